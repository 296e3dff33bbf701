import type { CatalogueRow } from '../catalogue-index.ts';
import type { CatalogueSource } from '../indexed-catalogue.ts';

type Query = (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** The catalogue columns of an auction row and its attribute rows, as the index takes them (JSON numbers). */
const ROW = `SELECT a.seq, a.version, a.seller_id AS "sellerId", a.lifecycle, a.start_date AS "startDate",
    a.end_date AS "endDate", a.created_at AS "createdAt", a.list_price AS "listPrice", a.bid_count AS "bidCount",
    a.category, a.country, a.city_key AS "cityKey", a.currency, a.buy_now = 1 AS "buyNow",
    a.sample_bucket AS "sampleBucket",
    COALESCE((SELECT json_agg(json_build_array(x.key, x.text_value, x.num_value, x.value))
      FROM auction_attributes AS x WHERE x.auction_id = a.auction_id), '[]') AS attributes
  FROM auctions AS a`;

/**
 * The catalogue index's feed on PostgreSQL (migration 008). Each change records the writing transaction's
 * id; a catch-up reads, in ONE statement (one snapshot), the rows written by transactions from the oldest
 * one running at the previous catch-up on, and that snapshot's oldest running transaction, the next
 * token. A transaction in progress then has an id at or above it, so its rows are read once it commits,
 * however late; rows are read again at most while an older transaction runs (the index ignores repeats).
 */
export class PostgresCatalogueSource implements CatalogueSource {
  constructor(private readonly query: Query) {}

  async changeToken(): Promise<string> {
    const { rows } = await this.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS token', []);
    return rows[0]!.token as string;
  }

  async rowsAfter(afterSeq: number, limit: number): Promise<CatalogueRow[]> {
    const { rows } = await this.query(
      `SELECT COALESCE(json_agg(r ORDER BY r.seq), '[]') AS rows FROM (${ROW} WHERE a.seq > $1 ORDER BY a.seq LIMIT $2) AS r`,
      [afterSeq, limit],
    );
    return rows[0]!.rows as CatalogueRow[];
  }

  async changesSince(token: string): Promise<{ rows: CatalogueRow[]; token: string }> {
    const { rows } = await this.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS token,
        (SELECT COALESCE(json_agg(r), '[]') FROM (${ROW} WHERE a.change_xid >= $1::xid8) AS r) AS rows`,
      [token],
    );
    return { rows: rows[0]!.rows as CatalogueRow[], token: rows[0]!.token as string };
  }

  async states(seqs: readonly number[]): Promise<Map<number, { version: number; state: string }>> {
    const found = new Map<number, { version: number; state: string }>();
    if (seqs.length === 0) return found;
    const { rows } = await this.query(
      'SELECT seq::float8 AS seq, version, state FROM auctions WHERE seq = ANY ($1::bigint[])',
      [seqs],
    );
    for (const row of rows)
      found.set(row.seq as number, { version: row.version as number, state: row.state as string });
    return found;
  }

  async highestSeq(): Promise<number> {
    const { rows } = await this.query('SELECT COALESCE(max(seq), 0)::float8 AS n FROM auctions', []);
    return rows[0]!.n as number;
  }
}
