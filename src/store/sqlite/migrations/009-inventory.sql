-- Inventory sync (docs/inventory.md): each seller's items under the seller's own ids, and a link from each
-- item to every auction that sells it.

-- `content` is the item's canonical JSON (domain inventoryContentText): an unchanged item is told from a
-- changed one by comparing it. A deleted item stays as a tombstone (`deleted_at`), so that an auction linked
-- to it while it was being deleted is still found and cancelled, and so that its revisions keep counting up.
CREATE TABLE inventory_items (
  seq         INTEGER PRIMARY KEY,
  seller_id   TEXT NOT NULL,
  external_id TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  content     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER,
  UNIQUE (seller_id, external_id)
);
-- A seller's listing, in creation order (the keyset cursor is seq).
CREATE INDEX inventory_items_by_seller ON inventory_items (seller_id, seq) WHERE deleted_at IS NULL;

-- Item → auction. `shown_revision` is the item revision the auction shows; `item_revision` the item's
-- revision as of its last change. A link with item_revision > shown_revision is PENDING: its auction is
-- still to be brought up to date (or cancelled, when the item was deleted). That is the durable marker
-- that survives a crash between an item's commit and its auctions' commits: the sweep takes pending links
-- whose `next_attempt_at` is due, through the partial index below, never scanning the settled ones.
-- A link goes once its auction is over (closed, cancelled, or never stored).
CREATE TABLE inventory_links (
  seller_id       TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  auction_id      TEXT NOT NULL,
  shown_revision  INTEGER NOT NULL,
  item_revision   INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (seller_id, external_id, auction_id)
) WITHOUT ROWID;
CREATE INDEX inventory_links_pending ON inventory_links (next_attempt_at) WHERE item_revision > shown_revision;
