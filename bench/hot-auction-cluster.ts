/**
 * hot-auction on PostgreSQL with N nodes: `npm run bench -- hot-auction --store postgres --nodes N`.
 *
 * One fresh database (`gavel_bench_<random>`, dropped at the end), N node processes
 * (`node --import tsx src/main.ts`, GAVEL_STORE = that database, GAVEL_BUS = the machine's Redis,
 * GAVEL_RATE_LIMITS=off), and three phases measured in the same run on that database:
 *
 *   hot:      CONNECTIONS bidders on one hard-close auction over HTTP, their connections spread
 *             round-robin over the nodes (one autocannon worker process per node).
 *   rowLock:  the same number of bidders on another auction of the same database, straight through `pg`
 *             with one row-locking transaction per bid (bench/row-lock-worker.ts), one worker process
 *             per node, BASELINE_POOL connections in all. `ratioToRowLockBaseline` = hot / rowLock.
 *   spread:   the same HTTP load, each bid on one of SPREAD_AUCTIONS auctions drawn at random.
 *
 * 201 and 409 both count as durable bids (and the baseline's accepted and rejected ones); any other
 * outcome is reported as a `warning`. After each phase the database is checked: accepted amounts strictly
 * increase with the version of their auction, no two accepted bids share a version, each auction's
 * version and price agree with its accepted bids, every acknowledged bid is stored, and every node reads
 * the hot auction at the same final version and price.
 *
 * Knobs (environment): BENCH_DURATION (s per measured phase, default 10), BENCH_WARMUP (s, default 2),
 * BENCH_CONNECTIONS (default 256), BENCH_SPREAD_AUCTIONS (default 10000), BENCH_BASELINE_POOL (the
 * baseline's PostgreSQL connections, default 16), BENCH_PG_URL (maintenance database, default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import type { RowLockResult, RowLockSpec } from './row-lock-worker.ts';
import {
  BENCH_REDIS_URL,
  type BenchDatabase,
  type PhaseMetrics,
  type ServerProcess,
  appendBenchmarkDoc,
  callJson,
  createDatabase,
  failuresOf,
  log,
  machine,
  makeTempDir,
  markdownTable,
  numberFromEnv,
  percentile,
  perSec,
  phaseMetrics,
  ratio,
  readMetrics,
  removeTempDir,
  runLoads,
  runRowLockLoad,
  shares,
  sleep,
  startServer,
} from './support.ts';

const DURATION = numberFromEnv('BENCH_DURATION', 10, 1, 30);
const WARMUP = numberFromEnv('BENCH_WARMUP', 2, 0, 10);
const CONNECTIONS = numberFromEnv('BENCH_CONNECTIONS', 256, 1, 512);
const SPREAD_AUCTIONS = numberFromEnv('BENCH_SPREAD_AUCTIONS', 10_000, 1, 100_000);
const BASELINE_POOL = numberFromEnv('BENCH_BASELINE_POOL', 16, 1, 64);
const PASSWORD = 'correct horse battery';

interface Setup {
  sellerToken: string;
  tokens: string[];
  bidderIds: string[];
  hotAuctionId: string;
  baselineAuctionId: string;
  spreadAuctionIds: string[];
}

interface Acknowledged {
  accepted: number;
  rejected: number;
}

interface HttpPhase {
  load: LoadResult;
  metrics: PhaseMetrics;
  accepted: number;
  rejected: number;
  perSec: number;
  failures: Record<string, number>;
  /** 201s and 409s, warm-up included: each must be stored. */
  acknowledged: Acknowledged;
}

interface BaselinePhase {
  result: RowLockResult;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  acknowledged: Acknowledged;
}

interface Check {
  consistent: boolean;
  problems: string[];
}

export async function hotAuctionCluster(nodeCount: number): Promise<Record<string, unknown>> {
  const host = machine();
  const date = new Date().toISOString();
  const command = `npm run bench -- hot-auction --store postgres --nodes ${nodeCount}`;
  log(
    `hot-auction on PostgreSQL, ${nodeCount} node(s): ${CONNECTIONS} connections, ${DURATION} s per phase (+${WARMUP} s warm-up), ${host.cpus} × ${host.cpuModel}`,
  );
  const database = await createDatabase();
  log(`database ${database.name}`);
  const servers: ServerProcess[] = [];
  try {
    const env = { GAVEL_STORE: database.url, GAVEL_BUS: BENCH_REDIS_URL };
    // Started together, as a deployment would (migrations run once, under their lock).
    const nodeArgs = process.env.BENCH_SERVER_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_SERVER_CPU_PROF)}`]
      : [];
    servers.push(...(await Promise.all(Array.from({ length: nodeCount }, () => startServer(env, nodeArgs)))));
    log(`nodes: ${servers.map((s) => s.url).join(' ')}`);
    const setup = await prepare(servers);

    const hot = await httpPhase('hot auction', servers, setup, {
      path: `/api/v1/auctions/${setup.hotAuctionId}/bids`,
    });
    const hotCheck = await checkAuctions(database, [setup.hotAuctionId], hot.acknowledged, servers);

    const baseline = await baselinePhase(database, setup, nodeCount);
    const baselineCheck = await checkAuctions(database, [setup.baselineAuctionId], baseline.acknowledged, []);

    const pathsFile = join(makeTempDir('gavel-bench-paths-'), 'paths.json');
    writeFileSync(pathsFile, JSON.stringify(setup.spreadAuctionIds.map((id) => `/api/v1/auctions/${id}/bids`)));
    const spread = await httpPhase(`${SPREAD_AUCTIONS} auctions`, servers, setup, { pathsFile });
    const spreadCheck = await checkAuctions(database, setup.spreadAuctionIds, spread.acknowledged, []);

    const warnings: string[] = [];
    const describe = (name: string, failures: Record<string, number>) => {
      if (Object.keys(failures).length > 0) warnings.push(`${name}: unexpected outcomes ${JSON.stringify(failures)}`);
    };
    describe('hot', hot.failures);
    describe('spread', spread.failures);
    if (baseline.result.errors > 0)
      warnings.push(`rowLock: ${baseline.result.errors} errors, e.g. ${baseline.result.errorSamples.join(' / ')}`);
    for (const [name, check] of [
      ['hot', hotCheck],
      ['rowLock', baselineCheck],
      ['spread', spreadCheck],
    ] as const)
      if (!check.consistent) warnings.push(`${name} inconsistent: ${check.problems.join('; ')}`);

    const result: Record<string, unknown> = {
      scenario: 'hot-auction',
      store: 'postgres',
      nodes: nodeCount,
      bidsPerSec: hot.perSec,
      p50Ms: hot.load.latencyMs.p50,
      p99Ms: hot.load.latencyMs.p99,
      rowLockBaselineBidsPerSec: baseline.perSec,
      ratioToRowLockBaseline: ratio(hot.perSec, baseline.perSec),
      spreadBidsPerSec: spread.perSec,
      spreadP50Ms: spread.load.latencyMs.p50,
      spreadP99Ms: spread.load.latencyMs.p99,
      rowLockBaselineP50Ms: baseline.p50Ms,
      rowLockBaselineP99Ms: baseline.p99Ms,
      accepted: hot.accepted,
      rejected: hot.rejected,
      avgCommitBatch: hot.metrics.avgCommitBatch,
      avgCommitMs: hot.metrics.avgCommitMs,
      serverCpuPct: hot.metrics.serverCpuPct,
      rowLockBaseline: {
        accepted: baseline.result.accepted,
        rejected: baseline.result.rejected,
        errors: baseline.result.errors,
        pool: BASELINE_POOL,
        workerCpuPct: cpuPct(baseline.result.cpuMs, baseline.result.durationSec),
      },
      spread: {
        auctions: SPREAD_AUCTIONS,
        accepted: spread.accepted,
        rejected: spread.rejected,
        avgCommitBatch: spread.metrics.avgCommitBatch,
        avgCommitMs: spread.metrics.avgCommitMs,
        serverCpuPct: spread.metrics.serverCpuPct,
      },
      consistent: hotCheck.consistent && baselineCheck.consistent && spreadCheck.consistent,
      failures: { hot: hot.failures, spread: spread.failures },
      connections: CONNECTIONS,
      durationSec: DURATION,
      loadGenCpuPct: cpuPct(hot.load.cpuMs, hot.load.durationSec),
      node: host.node,
      cpus: host.cpus,
      cpuModel: host.cpuModel,
      date,
    };
    if (warnings.length > 0) result.warning = warnings.join(' | ');
    await appendBenchmarkDoc('# Benchmarks\n', docSection(result, command, hot, baseline, spread, host, date));
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    for (const server of servers) removeTempDir(server.dataDir);
    await database.drop();
    log(`dropped database ${database.name}`);
  }
}

/**
 * CONNECTIONS bidders and a seller (sign-ups spread over the nodes), the hot auction, the baseline's
 * auction and SPREAD_AUCTIONS auctions, all hard-close, open for an hour.
 */
async function prepare(servers: ServerProcess[]): Promise<Setup> {
  const api = (i: number) => `${servers[i % servers.length]!.url}/api/v1`;
  const login = async (username: string, i: number): Promise<{ token: string; id: string }> => {
    await callJson(`${api(i)}/users`, 'POST', 201, { username, password: PASSWORD });
    const session = await callJson<{ token: string; user: { id: string } }>(`${api(i + 1)}/sessions`, 'POST', 201, {
      username,
      password: PASSWORD,
    });
    return { token: session.token, id: session.user.id };
  };
  const seller = await login('bench_seller', 0);
  const tokens: string[] = [];
  const bidderIds: string[] = [];
  for (let i = 0; i < CONNECTIONS; i += 16) {
    const batch = Array.from({ length: Math.min(16, CONNECTIONS - i) }, (_, j) => i + j);
    for (const bidder of await Promise.all(batch.map((k) => login(`bidder_${k}`, k)))) {
      tokens.push(bidder.token);
      bidderIds.push(bidder.id);
    }
  }
  const createAuction = async (name: string, i: number): Promise<string> => {
    const { auction } = await callJson<{ auction: { id: string } }>(
      `${api(i)}/auctions`,
      'POST',
      201,
      {
        item: { name, description: 'hot-auction benchmark' },
        startingPrice: 1,
        minIncrement: 1,
        softClose: null,
        endDate: new Date(Date.now() + 3600_000).toISOString(),
      },
      { authorization: `Bearer ${seller.token}` },
    );
    return auction.id;
  };
  const hotAuctionId = await createAuction('Hot auction', 0);
  const baselineAuctionId = await createAuction('Row-lock baseline auction', 0);
  const started = Date.now();
  const spreadAuctionIds: string[] = new Array<string>(SPREAD_AUCTIONS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < SPREAD_AUCTIONS) {
        const i = next++;
        spreadAuctionIds[i] = await createAuction(`Lot ${i}`, i);
      }
    }),
  );
  log(`created ${CONNECTIONS} bidders and ${SPREAD_AUCTIONS + 2} auctions (spread: ${Date.now() - started} ms)`);
  return { sellerToken: seller.token, tokens, bidderIds, hotAuctionId, baselineAuctionId, spreadAuctionIds };
}

/**
 * Warm-up, then the measured bid load, over HTTP: connection i (bidder i) goes to node i mod N, one
 * worker process per node. Amounts count from one clock shared by the workers, above the hot auction's
 * minimum next bid (spread auctions: above every amount sent before).
 */
async function httpPhase(
  name: string,
  servers: ServerProcess[],
  setup: Setup,
  target: { path: string } | { pathsFile: string },
): Promise<HttpPhase> {
  const perNode = shares(CONNECTIONS, servers.length);
  let floor = 0;
  const specs = async (durationSec: number): Promise<LoadSpec[]> => {
    const base =
      'path' in target
        ? (
            await callJson<{ auction: { minNextBid: number } }>(
              `${servers[0]!.url}/api/v1/auctions/${setup.hotAuctionId}`,
              'GET',
              200,
            )
          ).auction.minNextBid
        : floor + 1;
    const clockOrigin = Date.now();
    let offset = 0;
    return servers.map((server, i) => {
      const tokens = setup.tokens.slice(offset, offset + perNode[i]!);
      offset += perNode[i]!;
      return {
        url: server.url,
        method: 'POST',
        path: 'path' in target ? target.path : '/',
        ...('pathsFile' in target ? { pathsFile: target.pathsFile } : {}),
        tokens,
        connections: perNode[i]!,
        durationSec,
        body: 'bid',
        base,
        clockOrigin,
      };
    });
  };
  const acknowledged = { accepted: 0, rejected: 0 };
  const count = (load: LoadResult) => {
    acknowledged.accepted += load.statusCodes['201'] ?? 0;
    acknowledged.rejected += load.statusCodes['409'] ?? 0;
    floor = Math.max(floor, load.lastAmount ?? 0);
  };
  if (WARMUP > 0) count(await runLoads(await specs(WARMUP)));

  log(`bids (${name}): ${servers.length} node(s)`);
  const measured = await specs(DURATION);
  const before = await sumMetrics(servers);
  const load = await runLoads(measured);
  const after = await sumMetrics(servers);
  count(load);
  const accepted = load.statusCodes['201'] ?? 0;
  const rejected = load.statusCodes['409'] ?? 0;
  const phase: HttpPhase = {
    load,
    metrics: phaseMetrics(before, after, load.durationSec),
    accepted,
    rejected,
    perSec: perSec(accepted + rejected, load.durationSec),
    failures: failuresOf(load, ['201', '409']),
    acknowledged,
  };
  log(
    `bids (${name}): ${phase.perSec} bids/s (${accepted} accepted, ${rejected} rejected), p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, avg batch ${phase.metrics.avgCommitBatch}`,
  );
  return phase;
}

/** The row-lock baseline: warm-up, then the measured load, one worker process per node (same split). */
async function baselinePhase(database: BenchDatabase, setup: Setup, workers: number): Promise<BaselinePhase> {
  const perWorker = shares(CONNECTIONS, workers);
  const pools = shares(BASELINE_POOL, workers).map((n) => Math.max(1, n));
  const acknowledged = { accepted: 0, rejected: 0 };
  const run = async (durationSec: number): Promise<RowLockResult[]> => {
    // Amounts start above the auction's current price (its list_price), as the HTTP phases' do.
    const base = 1 + (await listPrice(database, setup.baselineAuctionId));
    const clockOrigin = Date.now();
    let offset = 0;
    const specs: RowLockSpec[] = perWorker.map((concurrency, i) => {
      const bidderIds = setup.bidderIds.slice(offset, offset + concurrency);
      offset += concurrency;
      return {
        databaseUrl: database.url,
        auctionId: setup.baselineAuctionId,
        bidderIds,
        concurrency,
        poolSize: pools[i]!,
        durationSec,
        base,
        clockOrigin,
      };
    });
    const results = await Promise.all(specs.map(runRowLockLoad));
    for (const r of results) {
      acknowledged.accepted += r.accepted;
      acknowledged.rejected += r.rejected;
    }
    return results;
  };
  if (WARMUP > 0) await run(WARMUP);
  log(`bids (row-lock baseline): ${workers} worker(s), ${BASELINE_POOL} connections`);
  const results = await run(DURATION);
  const histogram = new Map<number, number>();
  for (const r of results) for (const [ms, n] of r.latencyHistogram) histogram.set(ms, (histogram.get(ms) ?? 0) + n);
  const merged = [...histogram].sort((a, b) => a[0] - b[0]);
  const sum = (pick: (r: RowLockResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const result: RowLockResult = {
    durationSec: DURATION,
    accepted: sum((r) => r.accepted),
    rejected: sum((r) => r.rejected),
    errors: sum((r) => r.errors),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
    latencyHistogram: merged,
    cpuMs: sum((r) => r.cpuMs),
  };
  const phase: BaselinePhase = {
    result,
    perSec: perSec(result.accepted + result.rejected, DURATION),
    p50Ms: percentile(merged, 50),
    p99Ms: percentile(merged, 99),
    acknowledged,
  };
  log(
    `bids (row-lock baseline): ${phase.perSec} bids/s (${result.accepted} accepted, ${result.rejected} rejected, ${result.errors} errors), p50 ${phase.p50Ms} ms, p99 ${phase.p99Ms} ms`,
  );
  return phase;
}

/**
 * The stored histories of `auctionIds`, once they are quiet: accepted amounts strictly increase with the
 * version, no version is taken twice, version = 1 + accepted bids and the price is the highest accepted
 * amount (hard close, no extensions), and at least every acknowledged bid is stored. With `servers`, every
 * node must also read the (single) auction at the stored version and price.
 */
async function checkAuctions(
  database: BenchDatabase,
  auctionIds: string[],
  acknowledged: Acknowledged,
  servers: ServerProcess[],
): Promise<Check> {
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {});
  await client.connect();
  const problems: string[] = [];
  try {
    const versions = async () =>
      (
        await client.query<{ total: string }>(
          'SELECT coalesce(sum(version), 0)::text AS total FROM auctions WHERE auction_id = ANY ($1)',
          [auctionIds],
        )
      ).rows[0]!.total;
    // Quiet: load generators stop at their deadline without waiting for their last requests.
    for (let attempt = 0, last = await versions(); ; attempt++) {
      await sleep(300);
      const now = await versions();
      if (now === last) break;
      last = now;
      if (attempt === 20) throw new Error('the auctions kept changing for 6 s after the load stopped');
    }
    const count = async (text: string) => Number((await client.query<{ n: string }>(text, [auctionIds])).rows[0]!.n);
    const sharedVersions = await count(`SELECT count(*) AS n FROM (
        SELECT auction_id, auction_version FROM bids WHERE status = 'accepted' AND auction_id = ANY ($1)
        GROUP BY 1, 2 HAVING count(*) > 1) d`);
    if (sharedVersions > 0) problems.push(`${sharedVersions} versions taken by more than one accepted bid`);
    const notIncreasing = await count(`SELECT count(*) AS n FROM (
        SELECT amount, lag(amount) OVER (PARTITION BY auction_id ORDER BY auction_version, seq) AS previous
        FROM bids WHERE status = 'accepted' AND auction_id = ANY ($1)) b
      WHERE amount <= previous`);
    if (notIncreasing > 0) problems.push(`${notIncreasing} accepted bids not above the one before`);
    const disagreeing = await count(`SELECT count(*) AS n FROM auctions a
      LEFT JOIN (SELECT auction_id, count(*) AS accepted, max(amount) AS highest
                 FROM bids WHERE status = 'accepted' AND auction_id = ANY ($1) GROUP BY auction_id) b USING (auction_id)
      WHERE a.auction_id = ANY ($1)
        AND (a.version <> 1 + coalesce(b.accepted, 0) OR (b.highest IS NOT NULL AND a.list_price <> b.highest))`);
    if (disagreeing > 0) problems.push(`${disagreeing} auctions whose version or price disagrees with their bids`);
    const stored = await client.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM bids WHERE auction_id = ANY ($1) GROUP BY status',
      [auctionIds],
    );
    const storedCount = (status: string) => Number(stored.rows.find((r) => r.status === status)?.n ?? 0);
    if (storedCount('accepted') < acknowledged.accepted)
      problems.push(`${acknowledged.accepted} bids acknowledged accepted, ${storedCount('accepted')} stored`);
    if (storedCount('rejected') < acknowledged.rejected)
      problems.push(`${acknowledged.rejected} bids acknowledged rejected, ${storedCount('rejected')} stored`);

    if (servers.length > 0 && auctionIds.length === 1) {
      const row = await client.query<{ version: number; list_price: string }>(
        'SELECT version, list_price FROM auctions WHERE auction_id = $1',
        [auctionIds[0]],
      );
      const final = { version: row.rows[0]!.version, price: Number(row.rows[0]!.list_price) };
      for (const server of servers) {
        const { auction } = await callJson<{ auction: { version: number; currentPrice: number | null } }>(
          `${server.url}/api/v1/auctions/${auctionIds[0]}`,
          'GET',
          200,
        );
        if (auction.version !== final.version || auction.currentPrice !== final.price)
          problems.push(
            `${server.url} reads version ${auction.version} at ${auction.currentPrice}, stored ${final.version} at ${final.price}`,
          );
      }
    }
  } finally {
    await client.end();
  }
  return { consistent: problems.length === 0, problems };
}

async function listPrice(database: BenchDatabase, auctionId: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {});
  await client.connect();
  try {
    const row = await client.query<{ list_price: string }>('SELECT list_price FROM auctions WHERE auction_id = $1', [
      auctionId,
    ]);
    return Number(row.rows[0]!.list_price);
  } finally {
    await client.end();
  }
}

/** Every node's metrics, summed (commit counts, durations and CPU seconds add up across nodes). */
async function sumMetrics(servers: ServerProcess[]): Promise<Map<string, number>> {
  const total = new Map<string, number>();
  for (const samples of await Promise.all(servers.map((s) => readMetrics(s.url))))
    for (const [name, value] of samples) total.set(name, (total.get(name) ?? 0) + value);
  return total;
}

function cpuPct(cpuMs: number, durationSec: number): number {
  return durationSec > 0 ? Math.round((cpuMs / 10 / durationSec) * 10) / 10 : 0;
}

function docSection(
  result: Record<string, unknown>,
  command: string,
  hot: HttpPhase,
  baseline: BaselinePhase,
  spread: HttpPhase,
  host: ReturnType<typeof machine>,
  date: string,
): string {
  const nodes = result.nodes as number;
  const table = markdownTable(
    ['phase', 'bids/s', 'p50 ms', 'p99 ms', 'accepted', 'rejected', 'avg commit batch', 'nodes CPU %'],
    [
      [
        `one auction, HTTP, ${nodes} node(s)`,
        hot.perSec,
        hot.load.latencyMs.p50,
        hot.load.latencyMs.p99,
        hot.accepted,
        hot.rejected,
        hot.metrics.avgCommitBatch ?? '–',
        hot.metrics.serverCpuPct ?? '–',
      ],
      [
        `row-lock baseline, \`pg\` direct, ${BASELINE_POOL} connections`,
        baseline.perSec,
        baseline.p50Ms,
        baseline.p99Ms,
        baseline.result.accepted,
        baseline.result.rejected,
        1,
        '–',
      ],
      [
        `${SPREAD_AUCTIONS.toLocaleString('en-US')} auctions, HTTP, ${nodes} node(s)`,
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
  return `## hot-auction, PostgreSQL, ${nodes} node(s), ${date}

- Command: \`${command}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}; PostgreSQL and Redis on the same machine
- ${CONNECTIONS} connections spread round-robin over ${nodes} node(s), ${DURATION} s per phase; ratioToRowLockBaseline ${result.ratioToRowLockBaseline}, consistent ${result.consistent}${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
