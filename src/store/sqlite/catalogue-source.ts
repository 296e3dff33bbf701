import type Database from 'better-sqlite3';
import type { CatalogueRow } from '../catalogue-index.ts';
import type { CatalogueSource } from '../indexed-catalogue.ts';

/** The catalogue columns of an auction row and its attribute rows (as JSON), as the index takes them. */
const ROW = `SELECT seq, version, seller_id AS sellerId, lifecycle, start_date AS startDate, end_date AS endDate,
    created_at AS createdAt, list_price AS listPrice, bid_count AS bidCount, category, country, city_key AS cityKey,
    currency, buy_now AS buyNow, sample_bucket AS sampleBucket, change_seq AS change,
    (SELECT json_group_array(json_array(key, text_value, num_value, value)) FROM auction_attributes
      WHERE auction_id = a.id) AS attributes
  FROM auctions AS a`;

/** Changes read per statement (a catch-up after a big import reads several). */
const CHANGES_CHUNK = 5_000;

/**
 * The catalogue index's feed on SQLite (migration 010): rows by seq for the full load, rows by change_seq
 * for catching up. Synchronous reads on the main thread's connection: each is an index range of a few
 * rows (a full load reads 2,000 at a time, ~10 ms).
 */
export class SqliteCatalogueSource implements CatalogueSource {
  private readonly s: Record<'lastChange' | 'rowsAfter' | 'changesSince' | 'states' | 'highestSeq', Database.Statement>;

  constructor(db: Database.Database) {
    this.s = {
      lastChange: db.prepare('SELECT coalesce(max(change_seq), 0) FROM auctions').pluck(),
      rowsAfter: db.prepare(`${ROW} WHERE seq > ? ORDER BY seq LIMIT ?`),
      changesSince: db.prepare(`${ROW} WHERE change_seq > ? ORDER BY change_seq LIMIT ${CHANGES_CHUNK}`),
      states: db.prepare('SELECT seq, version, state FROM auctions WHERE seq IN (SELECT value FROM json_each(?))'),
      highestSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM auctions').pluck(),
    };
  }

  async changeToken(): Promise<string> {
    return String(this.s.lastChange.get());
  }

  async rowsAfter(afterSeq: number, limit: number): Promise<CatalogueRow[]> {
    return (this.s.rowsAfter.all(afterSeq, limit) as Record<string, unknown>[]).map(toRow);
  }

  async changesSince(token: string): Promise<{ rows: CatalogueRow[]; token: string }> {
    const rows: CatalogueRow[] = [];
    let after = Number(token);
    for (;;) {
      const chunk = this.s.changesSince.all(after) as Record<string, unknown>[];
      for (const row of chunk) rows.push(toRow(row));
      if (chunk.length > 0) after = chunk[chunk.length - 1]!.change as number;
      if (chunk.length < CHANGES_CHUNK) break;
    }
    return { rows, token: String(after) };
  }

  async states(seqs: readonly number[]): Promise<Map<number, { version: number; state: string }>> {
    const found = new Map<number, { version: number; state: string }>();
    if (seqs.length === 0) return found;
    for (const row of this.s.states.all(JSON.stringify(seqs)) as { seq: number; version: number; state: string }[])
      found.set(row.seq, { version: row.version, state: row.state });
    return found;
  }

  async highestSeq(): Promise<number> {
    return this.s.highestSeq.get() as number;
  }
}

function toRow(row: Record<string, unknown>): CatalogueRow {
  return {
    seq: row.seq as number,
    version: row.version as number,
    sellerId: row.sellerId as string,
    lifecycle: row.lifecycle as string,
    startDate: row.startDate as number,
    endDate: row.endDate as number,
    createdAt: row.createdAt as number,
    listPrice: row.listPrice as number,
    bidCount: row.bidCount as number,
    category: row.category as string | null,
    country: row.country as string | null,
    cityKey: row.cityKey as string | null,
    currency: row.currency as string,
    buyNow: row.buyNow === 1,
    sampleBucket: row.sampleBucket as number,
    attributes: JSON.parse(row.attributes as string) as CatalogueRow['attributes'],
  };
}
