import type Database from 'better-sqlite3';
import { inventoryContentText } from '../../domain/index.ts';
import { decodeCursor, keysetPage } from '../cursor.ts';
import { type Row, toInventoryItem, toInventoryLink } from '../rows.ts';
import type {
  InventoryItemInput,
  InventoryItemRecord,
  InventoryLink,
  InventoryLinkSettlement,
  InventoryUpsertResult,
  NewInventoryLink,
  Page,
} from '../store.ts';

/**
 * Inventory sync on SQLite (migration 009): the statements, the writes (run on the writer thread, like
 * every write) and the reads (on the store's own connection). One named statement per operation.
 */
export const inventorySql = {
  findItem: 'SELECT * FROM inventory_items WHERE seller_id = ? AND external_id = ?',
  insertItem: `INSERT INTO inventory_items (seller_id, external_id, revision, content, created_at, updated_at)
    VALUES (@sellerId, @externalId, @revision, @content, @now, @now)`,
  /** A new content (or a tombstone brought back to life: then created_at is set anew). */
  updateItem: `UPDATE inventory_items SET revision = @revision, content = @content, updated_at = @now,
      created_at = CASE WHEN deleted_at IS NULL THEN created_at ELSE @now END, deleted_at = NULL
    WHERE seller_id = @sellerId AND external_id = @externalId`,
  deleteItem: `UPDATE inventory_items SET revision = revision + 1, updated_at = @now, deleted_at = @now
    WHERE seller_id = @sellerId AND external_id = @externalId AND deleted_at IS NULL
    RETURNING *`,
  /** Every link of a changed item is pending from here on (the durable marker of its auctions). */
  markLinksPending: `UPDATE inventory_links SET item_revision = @revision, next_attempt_at = @dueAt
    WHERE seller_id = @sellerId AND external_id = @externalId AND item_revision < @revision`,
  insertLink: `INSERT INTO inventory_links (seller_id, external_id, auction_id, shown_revision, item_revision, next_attempt_at, created_at)
    VALUES (@sellerId, @externalId, @auctionId, @shownRevision, @itemRevision, @dueAt, @createdAt)
    ON CONFLICT DO NOTHING`,
  listItems: `SELECT * FROM inventory_items WHERE seller_id = @sellerId AND deleted_at IS NULL AND seq > @after
    ORDER BY seq LIMIT @limit`,
  linksOf: `SELECT * FROM inventory_links WHERE seller_id = ? AND external_id IN (SELECT value FROM json_each(?))`,
  /** Single writer: no other claimer can interleave (cf. PostgreSQL's SKIP LOCKED). Read through the partial index. */
  claimLinks: `UPDATE inventory_links SET next_attempt_at = @leaseUntil
    WHERE (seller_id, external_id, auction_id) IN
      (SELECT seller_id, external_id, auction_id FROM inventory_links
        WHERE item_revision > shown_revision AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit)
    RETURNING *`,
  deleteLink:
    'DELETE FROM inventory_links WHERE seller_id = @sellerId AND external_id = @externalId AND auction_id = @auctionId',
  /** Never lowered: a settlement that arrives late (another node's, a retry's) cannot undo a newer one. */
  showRevision: `UPDATE inventory_links SET shown_revision = MAX(shown_revision, @shownRevision)
    WHERE seller_id = @sellerId AND external_id = @externalId AND auction_id = @auctionId`,
} as const;

type Statements = { [K in keyof typeof inventorySql]: Database.Statement };

function prepare(db: Database.Database, names: readonly (keyof typeof inventorySql)[]): Statements {
  return Object.fromEntries(names.map((name) => [name, db.prepare(inventorySql[name])])) as Statements;
}

/** The inventory writes, on the writer thread's connection. Each public method is one transaction. */
export class SqliteInventoryWriter {
  private readonly s: Statements;
  readonly upsertItems: (
    sellerId: string,
    items: readonly InventoryItemInput[],
    now: number,
    dueAt: number,
  ) => InventoryUpsertResult[];
  readonly deleteItem: (sellerId: string, externalId: string, now: number, dueAt: number) => InventoryItemRecord | null;
  readonly linkAuction: (link: NewInventoryLink, dueAt: number) => boolean;
  readonly claimLinks: (now: number, leaseUntil: number, limit: number) => InventoryLink[];
  readonly settleLinks: (settled: readonly InventoryLinkSettlement[]) => void;

  constructor(db: Database.Database) {
    this.s = prepare(db, Object.keys(inventorySql) as (keyof typeof inventorySql)[]);
    const s = this.s;
    // IMMEDIATE: these read, then write. Another process's writer on the same file (several stores on one
    // file) would otherwise make the read's lock upgrade fail at once with SQLITE_BUSY instead of waiting.
    const upsert = db.transaction(
      (sellerId: string, items: readonly InventoryItemInput[], now: number, dueAt: number) =>
        items.map((input) => this.upsertOne(sellerId, input, now, dueAt)),
    );
    this.upsertItems = (...args) => upsert.immediate(...args);
    const remove = db.transaction((sellerId: string, externalId: string, now: number, dueAt: number) => {
      const row = s.deleteItem.get({ sellerId, externalId, now }) as Row | undefined;
      if (!row) return null;
      const tombstone = toInventoryItem(row);
      s.markLinksPending.run({ sellerId, externalId, revision: tombstone.revision, dueAt });
      return tombstone;
    });
    this.deleteItem = (...args) => remove.immediate(...args);
    const linkAuction = db.transaction((link: NewInventoryLink, dueAt: number) => {
      const row = s.findItem.get(link.sellerId, link.externalId) as Row | undefined;
      if (!row || row.deleted_at !== null) return false;
      s.insertLink.run({ ...link, itemRevision: row.revision, dueAt });
      return true;
    });
    this.linkAuction = (...args) => linkAuction.immediate(...args);
    this.claimLinks = (now, leaseUntil, limit) =>
      (s.claimLinks.all({ now, leaseUntil, limit }) as Row[])
        .map(toInventoryLink)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    this.settleLinks = db.transaction((settled: readonly InventoryLinkSettlement[]) => {
      for (const link of settled) {
        const key = { sellerId: link.sellerId, externalId: link.externalId, auctionId: link.auctionId };
        if (link.over) s.deleteLink.run(key);
        else s.showRevision.run({ ...key, shownRevision: link.shownRevision });
      }
    });
  }

  private upsertOne(sellerId: string, input: InventoryItemInput, now: number, dueAt: number): InventoryUpsertResult {
    const s = this.s;
    const content = inventoryContentText(input.content);
    const key = { sellerId, externalId: input.externalId };
    const row = s.findItem.get(sellerId, input.externalId) as Row | undefined;
    if (!row) {
      s.insertItem.run({ ...key, revision: 1, content, now });
      return { outcome: 'created', item: toInventoryItem(stored(key, 1, content, now, now)) };
    }
    if (row.deleted_at === null && row.content === content) return { outcome: 'unchanged', item: toInventoryItem(row) };
    const revision = (row.revision as number) + 1;
    s.updateItem.run({ ...key, revision, content, now });
    s.markLinksPending.run({ ...key, revision, dueAt });
    const createdAt = row.deleted_at === null ? (row.created_at as number) : now;
    return {
      outcome: row.deleted_at === null ? 'updated' : 'created',
      item: toInventoryItem(stored(key, revision, content, createdAt, now)),
    };
  }
}

/** A row as the statements above leave it (for answering without reading it back). */
function stored(
  key: { sellerId: string; externalId: string },
  revision: number,
  content: string,
  createdAt: number,
  updatedAt: number,
): Row {
  return {
    seller_id: key.sellerId,
    external_id: key.externalId,
    revision,
    content,
    created_at: createdAt,
    updated_at: updatedAt,
    deleted_at: null,
  };
}

/** The inventory reads, on the store's own connection (WAL: they never wait for the writer). */
export class SqliteInventoryReader {
  private readonly s: Statements;

  constructor(db: Database.Database) {
    this.s = prepare(db, ['findItem', 'listItems', 'linksOf']);
  }

  findItems(sellerId: string, externalIds: readonly string[]): Map<string, InventoryItemRecord> {
    const found = new Map<string, InventoryItemRecord>();
    for (const externalId of new Set(externalIds)) {
      const row = this.s.findItem.get(sellerId, externalId) as Row | undefined;
      if (row) found.set(externalId, toInventoryItem(row));
    }
    return found;
  }

  listItems(sellerId: string, limit: number, cursor: string | null): Page<InventoryItemRecord> {
    // The tag ties the cursor to this seller's listing.
    const tag = `inventory:${sellerId}`;
    const after = cursor === null ? 0 : decodeCursor(tag, cursor, 1)[0]!;
    const rows = this.s.listItems.all({ sellerId, after, limit: limit + 1 }) as Row[];
    return keysetPage(rows, limit, tag, (row) => [row.seq as number], toInventoryItem);
  }

  linksOf(sellerId: string, externalIds: readonly string[]): InventoryLink[] {
    if (externalIds.length === 0) return [];
    return (this.s.linksOf.all(sellerId, JSON.stringify([...new Set(externalIds)])) as Row[]).map(toInventoryLink);
  }
}
