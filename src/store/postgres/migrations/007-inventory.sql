-- Inventory sync (docs/inventory.md): the same tables, columns and indexes (by purpose) as the SQLite
-- adapter's migration 009.
--
-- Per seller, not per auction: these tables would be distributed (or co-located) by seller_id. Writes of
-- one seller's items (and the links to them) take a transaction-level advisory lock on the seller
-- (postgres-inventory.ts), so that nodes writing the same seller's items at once run one after another.

-- `content` is the item's canonical JSON (domain inventoryContentText), `text` for the same reasons as
-- auctions.state (migration 001): compared and handed back byte for byte. A deleted item stays as a
-- tombstone (`deleted_at`).
CREATE TABLE inventory_items (
  seller_id   text NOT NULL,
  external_id text NOT NULL,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  revision    integer NOT NULL,
  content     text NOT NULL,
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  deleted_at  bigint,
  PRIMARY KEY (seller_id, external_id)
);
CREATE INDEX inventory_items_by_seller ON inventory_items (seller_id, seq) WHERE deleted_at IS NULL;

-- Item → auction; pending while item_revision > shown_revision (see the SQLite migration 009).
CREATE TABLE inventory_links (
  seller_id       text NOT NULL,
  external_id     text NOT NULL,
  auction_id      text NOT NULL,
  shown_revision  integer NOT NULL,
  item_revision   integer NOT NULL,
  next_attempt_at bigint NOT NULL,
  created_at      bigint NOT NULL,
  PRIMARY KEY (seller_id, external_id, auction_id)
);
CREATE INDEX inventory_links_pending ON inventory_links (next_attempt_at) WHERE item_revision > shown_revision;
