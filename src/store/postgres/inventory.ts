import type pg from 'pg';
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
import type { RetryPolicy } from './retry.ts';
import { runStatement, transaction } from './transaction.ts';

/** The first key of the per-seller advisory lock ("inv" in ASCII); the second is the seller id's hash. */
const SELLER_LOCK_SPACE = 0x696e76;

/**
 * Inventory sync on PostgreSQL (migration 007): the statements, one named constant per operation (each
 * prepared once per connection under its name).
 *
 * Every write of one seller's items or links to them first takes a transaction-level advisory lock on the
 * seller (`lockSeller`): nodes writing the same seller's inventory at once run one after another, so an
 * upsert decides created / updated / unchanged on rows nobody else is changing, and a link taken while an
 * item changes is either seen by that change (marked pending) or sees its new revision (pending at once).
 * Sellers never wait on each other (unless their ids' hashes meet, which only serializes them).
 */
export const inventorySql = {
  inventoryLockSeller: `SELECT pg_advisory_xact_lock(${SELLER_LOCK_SPACE}, hashtext($1))`,
  inventoryFindItems: 'SELECT * FROM inventory_items WHERE seller_id = $1 AND external_id = ANY ($2::text[])',
  /** The rows an upsert created or changed, one array per column, as decided under the seller's lock. */
  inventoryWriteItems: `INSERT INTO inventory_items (seller_id, external_id, revision, content, created_at, updated_at)
    SELECT $1::text, * FROM unnest ($2::text[], $3::integer[], $4::text[], $5::bigint[], $6::bigint[])
    ON CONFLICT (seller_id, external_id) DO UPDATE SET revision = excluded.revision, content = excluded.content,
      created_at = excluded.created_at, updated_at = excluded.updated_at, deleted_at = NULL`,
  /** Every link of a changed item is pending from here on (the durable marker of its auctions). */
  inventoryMarkLinksPending: `UPDATE inventory_links AS l SET item_revision = u.revision, next_attempt_at = $4
    FROM unnest ($2::text[], $3::integer[]) AS u (external_id, revision)
    WHERE l.seller_id = $1::text AND l.external_id = u.external_id AND l.item_revision < u.revision`,
  inventoryDeleteItem: `UPDATE inventory_items SET revision = revision + 1, updated_at = $3, deleted_at = $3
    WHERE seller_id = $1 AND external_id = $2 AND deleted_at IS NULL
    RETURNING *`,
  inventoryInsertLink: `INSERT INTO inventory_links (seller_id, external_id, auction_id, shown_revision, item_revision, next_attempt_at, created_at)
    SELECT $1::text, $2::text, $3::text, $4::integer, i.revision, $5::bigint, $6::bigint FROM inventory_items i
    WHERE i.seller_id = $1 AND i.external_id = $2 AND i.deleted_at IS NULL
    ON CONFLICT DO NOTHING`,
  inventoryItemAlive: 'SELECT 1 FROM inventory_items WHERE seller_id = $1 AND external_id = $2 AND deleted_at IS NULL',
  inventoryListItems: `SELECT * FROM inventory_items WHERE seller_id = $1 AND deleted_at IS NULL AND seq > $2
    ORDER BY seq LIMIT $3`,
  inventoryLinksOf: 'SELECT * FROM inventory_links WHERE seller_id = $1 AND external_id = ANY ($2::text[])',
  /** SKIP LOCKED: nodes sweeping at once share the pending links instead of waiting for each other. */
  inventoryClaimLinks: `UPDATE inventory_links AS l SET next_attempt_at = $2
    FROM (SELECT seller_id, external_id, auction_id FROM inventory_links
          WHERE item_revision > shown_revision AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) AS c
    WHERE l.seller_id = c.seller_id AND l.external_id = c.external_id AND l.auction_id = c.auction_id
    RETURNING l.*`,
  /** Harmless to repeat: a deleted link is not found again, and a shown revision is never lowered. */
  inventorySettleLinks: `WITH
    gone AS (
      DELETE FROM inventory_links AS l
      USING unnest ($1::text[], $2::text[], $3::text[]) AS g (seller_id, external_id, auction_id)
      WHERE l.seller_id = g.seller_id AND l.external_id = g.external_id AND l.auction_id = g.auction_id),
    shown AS (
      UPDATE inventory_links AS l SET shown_revision = GREATEST(l.shown_revision, s.revision)
      FROM unnest ($4::text[], $5::text[], $6::text[], $7::integer[]) AS s (seller_id, external_id, auction_id, revision)
      WHERE l.seller_id = s.seller_id AND l.external_id = s.external_id AND l.auction_id = s.auction_id)
    SELECT 1`,
} as const;

type InventoryStatement = keyof typeof inventorySql;

/** The inventory operations of PostgresStore (same meaning as the SQLite adapter's, see store.ts). */
export class PostgresInventory {
  constructor(
    private readonly pool: pg.Pool,
    private readonly retry: RetryPolicy,
  ) {}

  upsertItems(
    sellerId: string,
    items: readonly InventoryItemInput[],
    now: number,
    dueAt: number,
  ): Promise<InventoryUpsertResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    return transaction(this.pool, 'upsertInventoryItems', this.retry, async (client) => {
      const q = query(client);
      await q('inventoryLockSeller', [sellerId]);
      const ids = [...new Set(items.map((i) => i.externalId))];
      const current = new Map<string, InventoryItemRecord>();
      for (const row of (await q('inventoryFindItems', [sellerId, ids])).rows)
        current.set(row.external_id as string, toInventoryItem(row));
      // Decided here, in array order, on the rows the seller's lock keeps still; written below in two
      // statements whatever the number of items.
      const texts = new Map<string, string>();
      const written = new Map<string, InventoryItemRecord>();
      const results = items.map((input): InventoryUpsertResult => {
        const text = inventoryContentText(input.content);
        const before = current.get(input.externalId);
        const beforeText =
          before === undefined ? undefined : (texts.get(input.externalId) ?? inventoryContentText(before.content));
        if (before !== undefined && before.deletedAt === null && beforeText === text)
          return { outcome: 'unchanged', item: before };
        const item: InventoryItemRecord = {
          sellerId,
          externalId: input.externalId,
          content: JSON.parse(text) as InventoryItemRecord['content'],
          revision: before === undefined ? 1 : before.revision + 1,
          createdAt: before === undefined || before.deletedAt !== null ? now : before.createdAt,
          updatedAt: now,
          deletedAt: null,
        };
        current.set(input.externalId, item);
        texts.set(input.externalId, text);
        written.set(input.externalId, item);
        return { outcome: before === undefined || before.deletedAt !== null ? 'created' : 'updated', item };
      });
      if (written.size > 0) {
        const rows = [...written.values()];
        await q('inventoryWriteItems', [
          sellerId,
          rows.map((r) => r.externalId),
          rows.map((r) => r.revision),
          rows.map((r) => texts.get(r.externalId)!),
          rows.map((r) => r.createdAt),
          rows.map((r) => r.updatedAt),
        ]);
        // Only items that existed before can have links (a link needs a living item).
        const changed = rows.filter((r) => r.revision > 1);
        if (changed.length > 0)
          await q('inventoryMarkLinksPending', [
            sellerId,
            changed.map((r) => r.externalId),
            changed.map((r) => r.revision),
            dueAt,
          ]);
      }
      return results;
    });
  }

  async findItems(sellerId: string, externalIds: readonly string[]): Promise<Map<string, InventoryItemRecord>> {
    const found = new Map<string, InventoryItemRecord>();
    if (externalIds.length === 0) return found;
    const rows = (await this.run('inventoryFindItems', [sellerId, [...new Set(externalIds)]])).rows;
    for (const row of rows) found.set(row.external_id as string, toInventoryItem(row));
    return found;
  }

  async listItems(sellerId: string, limit: number, cursor: string | null): Promise<Page<InventoryItemRecord>> {
    // The tag ties the cursor to this seller's listing.
    const tag = `inventory:${sellerId}`;
    const after = cursor === null ? 0 : decodeCursor(tag, cursor, 1)[0]!;
    const rows = (await this.run('inventoryListItems', [sellerId, after, limit + 1])).rows;
    return keysetPage(rows, limit, tag, (row) => [row.seq as number], toInventoryItem);
  }

  deleteItem(sellerId: string, externalId: string, now: number, dueAt: number): Promise<InventoryItemRecord | null> {
    return transaction(this.pool, 'deleteInventoryItem', this.retry, async (client) => {
      const q = query(client);
      await q('inventoryLockSeller', [sellerId]);
      const row = (await q('inventoryDeleteItem', [sellerId, externalId, now])).rows[0];
      if (!row) return null;
      const tombstone = toInventoryItem(row);
      await q('inventoryMarkLinksPending', [sellerId, [externalId], [tombstone.revision], dueAt]);
      return tombstone;
    });
  }

  linkAuction(link: NewInventoryLink, dueAt: number): Promise<boolean> {
    return transaction(this.pool, 'linkInventoryAuction', this.retry, async (client) => {
      const q = query(client);
      await q('inventoryLockSeller', [link.sellerId]);
      const inserted = await q('inventoryInsertLink', [
        link.sellerId,
        link.externalId,
        link.auctionId,
        link.shownRevision,
        dueAt,
        link.createdAt,
      ]);
      if (inserted.rowCount === 1) return true;
      // Nothing inserted: no living item, or the link was there already.
      return (await q('inventoryItemAlive', [link.sellerId, link.externalId])).rowCount === 1;
    });
  }

  async linksOf(sellerId: string, externalIds: readonly string[]): Promise<InventoryLink[]> {
    if (externalIds.length === 0) return [];
    return (await this.run('inventoryLinksOf', [sellerId, [...new Set(externalIds)]])).rows.map(toInventoryLink);
  }

  /** Not repeated after an unknown outcome (it moves leases): a lost answer's links come back when the lease ends. */
  async claimLinks(now: number, leaseUntil: number, limit: number): Promise<InventoryLink[]> {
    const rows = await transaction(this.pool, 'claimInventoryLinks', this.retry, (client) =>
      query(client)('inventoryClaimLinks', [now, leaseUntil, limit]),
    );
    return rows.rows.map(toInventoryLink).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
  }

  async settleLinks(settled: readonly InventoryLinkSettlement[]): Promise<void> {
    if (settled.length === 0) return;
    const over = settled.filter((s) => s.over);
    const shown = settled.filter((s) => !s.over);
    await this.run('inventorySettleLinks', [
      over.map((s) => s.sellerId),
      over.map((s) => s.externalId),
      over.map((s) => s.auctionId),
      shown.map((s) => s.sellerId),
      shown.map((s) => s.externalId),
      shown.map((s) => s.auctionId),
      shown.map((s) => s.shownRevision),
    ]);
  }

  /** A read, or a write that is harmless to repeat: retried on any retryable failure. */
  private run(name: InventoryStatement, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return runStatement(this.pool, this.retry, name, inventorySql[name], values);
  }
}

function query(client: pg.PoolClient) {
  return (name: InventoryStatement, values: unknown[]) => client.query<Row>({ name, text: inventorySql[name], values });
}
