/**
 * The row-lock baseline of the multi-node hot-auction benchmark: bids on one auction written the classic
 * way, straight to PostgreSQL with no Gavel node in between. Each bid is one transaction that holds the
 * auction's row lock from the read to the commit:
 *
 *   BEGIN
 *   SELECT state FROM auctions WHERE auction_id = $1 FOR UPDATE   -- lock, read the current price
 *   (compare the amount with the minimum next bid)
 *   INSERT INTO bids …                                             -- accepted or rejected (audit trail)
 *   UPDATE auctions SET list_price, version, state …               -- accepted only
 *   COMMIT                                                         -- synchronous_commit=on: durable
 *
 * Same tables, same database and same durability as the nodes (every session sets
 * synchronous_commit=on, as Gavel's pool does). `concurrency` bidders run in parallel, each bid waiting
 * for the previous one of its bidder like a closed-loop HTTP connection; they share a pool of
 * `poolSize` connections, as an application server would. Amounts grow as in load-worker.ts.
 *
 * Runs in its own process. Input: BENCH_ROW_LOCK, a JSON `RowLockSpec`. Output: one JSON `RowLockResult`
 * line on stdout.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newId } from '../src/ids.ts';

export interface RowLockSpec {
  databaseUrl: string;
  auctionId: string;
  /** Bidder i bids as bidderIds[i % bidderIds.length]. */
  bidderIds: string[];
  concurrency: number;
  poolSize: number;
  durationSec: number;
  base: number;
  /** Epoch ms that amounts count time from (shared by the workers of one phase, as in load-worker.ts). */
  clockOrigin: number;
}

export interface RowLockResult {
  durationSec: number;
  accepted: number;
  rejected: number;
  errors: number;
  /** The first few error messages, for the report. */
  errorSamples: string[];
  /** `[ms, count]` pairs, ascending, as in load-worker.ts. */
  latencyHistogram: [number, number][];
  cpuMs: number;
}

/** The part of the stored auction state the baseline reads and changes. */
interface AuctionState {
  startingPrice: number;
  minIncrement: number;
  currentPrice: number | null;
  highestBid: { id: string; bidderId: string; amount: number; createdAt: number } | null;
  bidCount: number;
  version: number;
  lifecycle: string;
  endDate: number;
}

const statements = {
  lock: 'SELECT state FROM auctions WHERE auction_id = $1 FOR UPDATE',
  insertBid: `INSERT INTO bids (auction_id, id, bidder_id, amount, kind, status, reason, created_at, auction_version)
    VALUES ($1, $2, $3, $4, 'bid', $5, $6, $7, $8)`,
  updateAuction: 'UPDATE auctions SET list_price = $2, version = $3, state = $4 WHERE auction_id = $1',
};

async function main(): Promise<void> {
  const raw = process.env.BENCH_ROW_LOCK;
  if (!raw) throw new Error('BENCH_ROW_LOCK (JSON spec) is not set');
  const spec = JSON.parse(raw) as RowLockSpec;
  if (spec.bidderIds.length === 0) throw new Error('no bidders');
  const pool = new pg.Pool({
    connectionString: spec.databaseUrl,
    max: spec.poolSize,
    options: '-c synchronous_commit=on',
    application_name: 'gavel-bench-row-lock',
  });
  pool.on('error', () => {});
  // Open every connection before the clock starts.
  const warm = await Promise.all(Array.from({ length: spec.poolSize }, () => pool.connect()));
  for (const client of warm) client.release();

  const t0 = performance.now();
  const deadline = t0 + spec.durationSec * 1000;
  let counter = 0;
  const nextAmount = () => spec.base + (Date.now() - spec.clockOrigin) * 1000 + ++counter;
  const histogram = new Map<number, number>();
  const result: RowLockResult = {
    durationSec: spec.durationSec,
    accepted: 0,
    rejected: 0,
    errors: 0,
    errorSamples: [],
    latencyHistogram: [],
    cpuMs: 0,
  };

  const bid = async (bidderId: string): Promise<'accepted' | 'rejected'> => {
    const amount = nextAmount();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const row = await client.query<{ state: string }>({
        name: 'lock',
        text: statements.lock,
        values: [spec.auctionId],
      });
      const state = JSON.parse(row.rows[0]!.state) as AuctionState;
      const now = Date.now();
      const minNext = state.currentPrice === null ? state.startingPrice : state.currentPrice + state.minIncrement;
      const open = state.lifecycle === 'active' && now < state.endDate;
      const accepted = open && amount >= minNext;
      const id = newId();
      const version = accepted ? state.version + 1 : state.version;
      await client.query({
        name: 'insertBid',
        text: statements.insertBid,
        values: [
          spec.auctionId,
          id,
          bidderId,
          amount,
          accepted ? 'accepted' : 'rejected',
          accepted ? null : open ? 'BID_TOO_LOW' : 'AUCTION_CLOSED',
          now,
          version,
        ],
      });
      if (accepted) {
        state.currentPrice = amount;
        state.highestBid = { id, bidderId, amount, createdAt: now };
        state.bidCount += 1;
        state.version = version;
        await client.query({
          name: 'updateAuction',
          text: statements.updateAuction,
          values: [spec.auctionId, amount, version, JSON.stringify(state)],
        });
      }
      await client.query('COMMIT');
      client.release();
      return accepted ? 'accepted' : 'rejected';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      throw error;
    }
  };

  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, i) => {
      const bidderId = spec.bidderIds[i % spec.bidderIds.length]!;
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          const outcome = await bid(bidderId);
          // Like autocannon, only answers that arrive within the duration count.
          if (performance.now() > deadline) break;
          result[outcome] += 1;
          const ms = Math.round(performance.now() - started);
          histogram.set(ms, (histogram.get(ms) ?? 0) + 1);
        } catch (error) {
          result.errors += 1;
          if (result.errorSamples.length < 5) result.errorSamples.push(String(error));
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  await pool.end();
  result.latencyHistogram = [...histogram].sort((a, b) => a[0] - b[0]);
  result.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
