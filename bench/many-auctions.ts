/**
 * many-auctions: hot-auction's group-commit bid load spread over many auctions.
 * `npm run bench -- many-auctions [--auctions N]` (default 100,000).
 *
 * Before the server starts, N hard-close auctions (open for an hour, one seller) are written straight
 * into a fresh data dir through the SQLite store's own code (`SqliteStore.insertAuctions` in chunks of
 * SEED_CHUNK, one transaction each): creating
 * them over HTTP takes ~180/s. Then one server (`src/main.ts`, default durable SQLite, group commit) on
 * that data dir, the bidders and one more auction over HTTP exactly as hot-auction sets them up
 * (bench/hot-auction.ts `prepare`), and two bid phases on the same server and connections:
 *
 *   hotAuction: hot-auction's group-commit phase, every bid on the one auction (the baseline);
 *   spread:     the same load (CONNECTIONS connections, one bidder each, DURATION s after a WARMUP s
 *               warm-up), each bid on one of the N auctions drawn at random.
 *
 * `ratioToHotAuction` = spread bids/s ÷ hot-auction bids/s, both measured in this run. 201 and 409 both
 * count as durably stored bids; anything else is reported as a `warning`. The hot auction is checked as
 * hot-auction checks it (`finishCheck`); after the server has stopped, every seeded auction is checked
 * in the database file: accepted amounts strictly increase with the auction's version, its version is
 * 1 + its accepted bids, its current price and bid count agree with them, and every acknowledged bid is
 * stored.
 *
 * Knobs (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, as hot-auction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Auction } from '../src/domain/index.ts';
import { newId } from '../src/ids.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { CONNECTIONS, DURATION, WARMUP, type BidPhase, bidPhase, finishCheck, prepare } from './hot-auction.ts';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import {
  type PhaseMetrics,
  type ServerProcess,
  appendBenchmarkDoc,
  failuresOf,
  log,
  machine,
  makeTempDir,
  markdownTable,
  perSec,
  phaseMetrics,
  ratio,
  readMetrics,
  removeTempDir,
  round,
  runLoad,
  startServer,
  benchLot,
} from './support.ts';

export const DEFAULT_AUCTIONS = 100_000;
const MAX_AUCTIONS = 1_000_000;
/** Auctions per seeding transaction. */
const SEED_CHUNK = 5_000;
const SELLER = 'bench_many_seller';

interface Seeded {
  sellerId: string;
  auctionIds: string[];
  seconds: number;
}

interface SpreadPhase {
  load: LoadResult;
  metrics: PhaseMetrics;
  accepted: number;
  rejected: number;
  perSec: number;
  failures: Record<string, number>;
  /** 201s and 409s, warm-up included: each must be stored. */
  acknowledged: { accepted: number; rejected: number };
}

interface SpreadCheck {
  consistent: boolean;
  problems: string[];
  /** Seeded auctions with at least one accepted bid. */
  auctionsWithBids: number;
  storedAccepted: number;
  storedRejected: number;
}

/** `--auctions` as given on the command line (undefined: the default). */
export function parseAuctionCount(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_AUCTIONS;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1 || n > MAX_AUCTIONS)
    throw new Error(`--auctions must be an integer from 1 to ${MAX_AUCTIONS}, not ${raw}`);
  return n;
}

export async function manyAuctions(options: { store: string; auctions?: string }): Promise<Record<string, unknown>> {
  if (options.store !== 'sqlite') throw new Error('many-auctions runs on SQLite only (no --store postgres)');
  const auctions = parseAuctionCount(options.auctions);
  const command = `npm run bench -- many-auctions${auctions === DEFAULT_AUCTIONS ? '' : ` --auctions ${auctions}`}`;
  const host = machine();
  const date = new Date().toISOString();
  log(
    `many-auctions: ${auctions} auctions, ${CONNECTIONS} connections, ${DURATION} s per phase (+${WARMUP} s warm-up), ${host.cpus} × ${host.cpuModel}`,
  );

  const dataDir = makeTempDir('gavel-bench-many-');
  const databaseFile = join(dataDir, 'gavel.db');
  const seeded = await seed(databaseFile, auctions);
  log(`seeded ${auctions} auctions in ${seeded.seconds} s (${perSec(auctions, seeded.seconds)}/s)`);
  const pathsFile = join(makeTempDir('gavel-bench-paths-'), 'paths.json');
  writeFileSync(pathsFile, JSON.stringify(seeded.auctionIds.map((id) => `/api/v1/auctions/${id}/bids`)));

  // The server's own temp dir stays empty: GAVEL_DATA_DIR points it at the seeded one.
  const started = await startServer({ GAVEL_DATA_DIR: dataDir });
  const server: ServerProcess = { ...started, dataDir, databaseFile };
  let hot: BidPhase;
  let spread: SpreadPhase;
  try {
    const setup = await prepare(server);
    hot = await bidPhase('one auction', server, setup);
    spread = await spreadPhase(server, setup.tokens, pathsFile, auctions);
  } finally {
    await started.stop();
  }
  hot.check = finishCheck(hot, server);
  const spreadCheck = checkSpread(databaseFile, seeded.sellerId, spread.acknowledged);
  removeTempDir(started.dataDir);
  removeTempDir(dataDir);

  const warnings: string[] = [];
  const describe = (name: string, failures: Record<string, number>) => {
    if (Object.keys(failures).length > 0) warnings.push(`${name}: unexpected outcomes ${JSON.stringify(failures)}`);
  };
  describe('hotAuction', hot.failures);
  describe('spread', spread.failures);
  if (!hot.check.consistent) warnings.push(`hotAuction inconsistent: ${hot.check.problems.join('; ')}`);
  if (!spreadCheck.consistent) warnings.push(`spread inconsistent: ${spreadCheck.problems.join('; ')}`);

  const result: Record<string, unknown> = {
    scenario: 'many-auctions',
    auctions,
    bidsPerSec: spread.perSec,
    p50Ms: spread.load.latencyMs.p50,
    p99Ms: spread.load.latencyMs.p99,
    hotAuctionBidsPerSec: hot.perSec,
    hotAuctionP50Ms: hot.load.latencyMs.p50,
    hotAuctionP99Ms: hot.load.latencyMs.p99,
    ratioToHotAuction: ratio(spread.perSec, hot.perSec),
    accepted: spread.accepted,
    rejected: spread.rejected,
    auctionsWithBids: spreadCheck.auctionsWithBids,
    avgCommitBatch: spread.metrics.avgCommitBatch,
    avgCommitMs: spread.metrics.avgCommitMs,
    serverCpuPct: spread.metrics.serverCpuPct,
    hotAuction: {
      accepted: hot.accepted,
      rejected: hot.rejected,
      avgCommitBatch: hot.metrics.avgCommitBatch,
      avgCommitMs: hot.metrics.avgCommitMs,
      serverCpuPct: hot.metrics.serverCpuPct,
    },
    seedSeconds: seeded.seconds,
    consistent: hot.check.consistent && spreadCheck.consistent,
    failures: { hotAuction: hot.failures, spread: spread.failures },
    connections: CONNECTIONS,
    durationSec: DURATION,
    loadGenCpuPct: round(spread.load.cpuMs / 10 / spread.load.durationSec, 1),
    node: host.node,
    cpus: host.cpus,
    cpuModel: host.cpuModel,
    date,
  };
  if (warnings.length > 0) result.warning = warnings.join(' | ');
  await appendBenchmarkDoc('# Benchmarks\n', docSection(result, command, hot, spread, host, date));
  return result;
}

/**
 * A seller and `count` hard-close auctions (starting price 1, increment 1, open for an hour), written
 * through the SQLite store into the file the server will open.
 */
async function seed(databaseFile: string, count: number): Promise<Seeded> {
  const started = performance.now();
  const store = new SqliteStore({ filename: databaseFile });
  try {
    const now = Date.now();
    const sellerId = newId();
    const inserted = await store.insertUser({
      id: sellerId,
      username: SELLER,
      displayName: SELLER,
      // Not a password hash: nobody logs in as this seller.
      passwordHash: '!',
      createdAt: now,
    });
    if (inserted !== 'inserted') throw new Error(`could not create ${SELLER}: ${inserted}`);
    const auctionIds: string[] = [];
    for (let first = 0; first < count; first += SEED_CHUNK) {
      const chunk: Auction[] = [];
      for (let i = first; i < Math.min(count, first + SEED_CHUNK); i++) {
        const auction = benchLot('many-auctions', i, count, sellerId, now + 3600_000, now);
        chunk.push(auction);
        auctionIds.push(auction.id);
      }
      await store.insertAuctions(chunk);
      if ((first / SEED_CHUNK) % 4 === 3) log(`seeded ${auctionIds.length} of ${count} auctions`);
    }
    return { sellerId, auctionIds, seconds: round((performance.now() - started) / 1000, 1) };
  } finally {
    await store.close();
  }
}

/** Warm-up, then the measured load, each bid on one of the seeded auctions drawn at random. */
async function spreadPhase(
  server: ServerProcess,
  tokens: string[],
  pathsFile: string,
  auctions: number,
): Promise<SpreadPhase> {
  const spec = (durationSec: number, base: number): LoadSpec => ({
    url: server.url,
    method: 'POST',
    path: '/api/v1/auctions/unused/bids',
    pathsFile,
    tokens,
    connections: CONNECTIONS,
    durationSec,
    body: 'bid',
    base,
  });
  const acknowledged = { accepted: 0, rejected: 0 };
  const count = (load: LoadResult) => {
    acknowledged.accepted += load.statusCodes['201'] ?? 0;
    acknowledged.rejected += load.statusCodes['409'] ?? 0;
  };
  // Amounts only grow (a seeded auction starts at 1): the measured phase starts above the warm-up's last.
  let base = 1;
  if (WARMUP > 0) {
    const warm = await runLoad(spec(WARMUP, base));
    count(warm);
    base = (warm.lastAmount ?? 0) + 1;
  }
  log(`bids (${auctions} auctions): POST a random auction's /bids`);
  const before = await readMetrics(server.url);
  const load = await runLoad(spec(DURATION, base));
  const after = await readMetrics(server.url);
  count(load);
  const accepted = load.statusCodes['201'] ?? 0;
  const rejected = load.statusCodes['409'] ?? 0;
  const metrics = phaseMetrics(before, after, load.durationSec);
  const phase: SpreadPhase = {
    load,
    metrics,
    accepted,
    rejected,
    perSec: perSec(accepted + rejected, load.durationSec),
    failures: failuresOf(load, ['201', '409']),
    acknowledged,
  };
  log(
    `bids (${auctions} auctions): ${phase.perSec} bids/s (${accepted} accepted, ${rejected} rejected), avg batch ${metrics.avgCommitBatch}`,
  );
  return phase;
}

/**
 * After the server has stopped, from the database file: every seeded auction's accepted history and
 * state agree, and every acknowledged bid on them is stored.
 */
function checkSpread(
  databaseFile: string,
  sellerId: string,
  acknowledged: { accepted: number; rejected: number },
): SpreadCheck {
  const problems: string[] = [];
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const seededBids = `SELECT b.* FROM bids b JOIN auctions a ON a.id = b.auction_id WHERE a.seller_id = @sellerId`;
    // Accepted bids out of order: a version taken twice or going back, or an amount not above the one before.
    const disorder = db
      .prepare(
        `SELECT auction_id AS auctionId, version, amount, prevVersion, prevAmount FROM (
           SELECT auction_id, auction_version AS version, amount,
                  LAG(auction_version) OVER w AS prevVersion, LAG(amount) OVER w AS prevAmount
           FROM (${seededBids}) WHERE status = 'accepted'
           WINDOW w AS (PARTITION BY auction_id ORDER BY auction_version, seq))
         WHERE prevVersion IS NOT NULL AND (version <= prevVersion OR amount <= prevAmount) LIMIT 5`,
      )
      .all({ sellerId }) as { auctionId: string; version: number; amount: number }[];
    for (const d of disorder)
      problems.push(`auction ${d.auctionId}: accepted ${d.amount} at version ${d.version} is out of order`);

    const rows = db
      .prepare(
        `SELECT a.id, a.version, a.state, coalesce(b.n, 0) AS n, b.highest
         FROM auctions a LEFT JOIN (
           SELECT auction_id, count(*) AS n, max(amount) AS highest FROM bids WHERE status = 'accepted' GROUP BY auction_id
         ) b ON b.auction_id = a.id
         WHERE a.seller_id = @sellerId`,
      )
      .all({ sellerId }) as { id: string; version: number; state: string; n: number; highest: number | null }[];
    let auctionsWithBids = 0;
    let storedAccepted = 0;
    for (const row of rows) {
      const state = JSON.parse(row.state) as { currentPrice: number | null; bidCount: number };
      if (row.n > 0) auctionsWithBids++;
      storedAccepted += row.n;
      const mismatch =
        state.currentPrice !== row.highest || state.bidCount !== row.n || row.version !== 1 + row.n
          ? `auction ${row.id}: version ${row.version}, currentPrice ${state.currentPrice}, bidCount ${state.bidCount} vs ${row.n} accepted bids up to ${row.highest}`
          : null;
      if (mismatch && problems.length < 10) problems.push(mismatch);
    }
    const storedRejected = (
      db.prepare(`SELECT count(*) AS n FROM (${seededBids}) WHERE status = 'rejected'`).get({ sellerId }) as {
        n: number;
      }
    ).n;
    if (storedAccepted < acknowledged.accepted)
      problems.push(`${acknowledged.accepted} bids acknowledged 201 but only ${storedAccepted} stored accepted`);
    if (storedRejected < acknowledged.rejected)
      problems.push(`${acknowledged.rejected} bids acknowledged 409 but only ${storedRejected} stored rejected`);
    return { consistent: problems.length === 0, problems, auctionsWithBids, storedAccepted, storedRejected };
  } finally {
    db.close();
  }
}

function docSection(
  result: Record<string, unknown>,
  command: string,
  hot: BidPhase,
  spread: SpreadPhase,
  host: ReturnType<typeof machine>,
  date: string,
): string {
  const auctions = result.auctions as number;
  const table = markdownTable(
    ['phase', 'bids/s', 'p50 ms', 'p99 ms', 'accepted', 'rejected', 'avg commit batch', 'server CPU %'],
    [
      [
        'one auction (hot-auction, group commit)',
        hot.perSec,
        hot.load.latencyMs.p50,
        hot.load.latencyMs.p99,
        hot.accepted,
        hot.rejected,
        hot.metrics.avgCommitBatch ?? '–',
        hot.metrics.serverCpuPct ?? '–',
      ],
      [
        `${auctions.toLocaleString('en-US')} auctions, one drawn at random per bid`,
        spread.perSec,
        spread.load.latencyMs.p50,
        spread.load.latencyMs.p99,
        spread.accepted,
        spread.rejected,
        spread.metrics.avgCommitBatch ?? '–',
        spread.metrics.serverCpuPct ?? '–',
      ],
    ],
  );
  return `## many-auctions, ${date}

- Command: \`${command}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}
- Method: ${auctions.toLocaleString('en-US')} auctions written through the SQLite store before the server starts (${result.seedSeconds} s), then hot-auction's group-commit load on one auction and on all of them (a random one per bid), same server, bidders and connections
- ${CONNECTIONS} connections, ${DURATION} s per phase; ratioToHotAuction ${result.ratioToHotAuction}, ${result.auctionsWithBids} auctions got bids, consistent ${result.consistent}${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
