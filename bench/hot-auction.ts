/**
 * hot-auction: how many durable bids per second one auction takes, against
 * the same server's no-op endpoint and against one transaction per bid.
 *
 *   server A (group commit, the default):  GET /healthz (noop), then bids
 *   server B (GAVEL_GROUP_COMMIT=off):     the same bid load (perBidCommit)
 *
 * Both servers are separate `node --import tsx src/main.ts` processes on
 * fresh data dirs with the default durable SQLite (WAL, synchronous=FULL).
 * The load comes from autocannon in another process (bench/load-worker.ts):
 * CONNECTIONS keep-alive connections, one bidder each. 201 (accepted) and 409
 * (rejected, stored) are both completed, durably stored bids; anything else
 * is reported and turns into a `warning`. After each bid phase the stored
 * history is checked: accepted amounts strictly increase in version order,
 * currentPrice is the highest accepted amount, and every acknowledged bid is
 * stored.
 *
 * Knobs (environment): BENCH_DURATION (s per measured phase, default 10),
 * BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default 256),
 * BENCH_SERVER_CPU_PROF=<dir> (run the servers with --cpu-prof; numbers are
 * then diagnostic only and not appended to docs/benchmarks.md).
 */
import Database from 'better-sqlite3';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import {
  type PhaseMetrics,
  type ServerProcess,
  appendBenchmarkDoc,
  callJson,
  cpuProfArgs,
  cpuUsPerRequest,
  failuresOf,
  log,
  machine,
  markdownTable,
  numberFromEnv,
  perSec,
  phaseMetrics,
  ratio,
  readMetrics,
  removeTempDir,
  runLoad,
  runPacedLoad,
  startServer,
  threadCpuMs,
} from './support.ts';

export const DURATION = numberFromEnv('BENCH_DURATION', 10, 1, 30);
export const WARMUP = numberFromEnv('BENCH_WARMUP', 2, 0, 10);
export const CONNECTIONS = numberFromEnv('BENCH_CONNECTIONS', 256, 1, 512);
const PASSWORD = 'correct horse battery';
const COMMAND = 'npm run bench -- hot-auction';

export interface Setup {
  tokens: string[];
  auctionId: string;
}

export interface BidPhase {
  auctionId: string;
  /** 201s and 409s the clients got, warm-up included: each must be stored. */
  acknowledged: { accepted: number; rejected: number };
  load: LoadResult;
  metrics: PhaseMetrics;
  accepted: number;
  rejected: number;
  /** Responses other than 201/409, plus transport errors and timeouts. */
  failures: Record<string, number>;
  perSec: number;
  /** Server CPU per request in the measured phase (Linux), main thread and the others. */
  cpu: CpuPerRequest;
  /** A second measured run at half of `perSec` (rate-limited), when asked for. */
  halfPeak: {
    askedPerSec: number;
    perSec: number;
    p50Ms: number;
    p99Ms: number;
    /** The paced generator's own timer lateness, p99 (ms): the measuring side's share of p99Ms. */
    generatorLagP99Ms: number | null;
    failures: Record<string, number>;
  } | null;
  check: ConsistencyCheck;
}

interface ConsistencyCheck {
  consistent: boolean;
  problems: string[];
  storedAccepted: number;
  storedRejected: number;
  currentPrice: number | null;
}

export async function hotAuction(): Promise<Record<string, unknown>> {
  const host = machine();
  const date = new Date().toISOString();
  const nodeArgs = cpuProfArgs();
  log(
    `hot-auction: ${CONNECTIONS} connections, ${DURATION} s per phase (+${WARMUP} s warm-up), ${host.cpus} × ${host.cpuModel}`,
  );

  // Server A: group commit (default). Noop baseline, then bids.
  const a = await startServer({}, nodeArgs);
  let noop: LoadResult;
  let noopMetrics: PhaseMetrics;
  let noopCpu: CpuPerRequest;
  let grouped: BidPhase;
  try {
    const setup = await prepare(a);
    const noopSpec: LoadSpec = {
      url: a.url,
      method: 'GET',
      path: '/healthz',
      tokens: setup.tokens,
      connections: CONNECTIONS,
      durationSec: DURATION,
      body: 'none',
      base: 0,
    };
    if (WARMUP > 0) await runLoad({ ...noopSpec, durationSec: WARMUP });
    log('noop: GET /healthz');
    const before = await readMetrics(a.url);
    const cpuBefore = threadCpuMs(a.pid);
    noop = await runLoad(noopSpec);
    noopCpu = cpuUsPerRequest(cpuBefore, threadCpuMs(a.pid), totalRequests(noop));
    noopMetrics = phaseMetrics(before, await readMetrics(a.url), noop.durationSec);
    log(`noop: ${perSec(noop.statusCodes['200'] ?? 0, noop.durationSec)} req/s`);
    grouped = await bidPhase('group commit', a, setup, { halfPeak: true });
  } finally {
    await a.stop();
  }
  grouped.check = finishCheck(grouped, a);
  removeTempDir(a.dataDir);

  // Server B: one transaction per bid.
  const b = await startServer({ GAVEL_GROUP_COMMIT: 'off' }, nodeArgs);
  let perBid: BidPhase;
  try {
    perBid = await bidPhase('per-bid commit', b, await prepare(b));
  } finally {
    await b.stop();
  }
  perBid.check = finishCheck(perBid, b);
  removeTempDir(b.dataDir);

  const noopPerSec = perSec(noop.statusCodes['200'] ?? 0, noop.durationSec);
  const noopFailures = failuresOf(noop, ['200']);
  const warnings: string[] = [];
  const describe = (name: string, failures: Record<string, number>) => {
    if (Object.keys(failures).length > 0) warnings.push(`${name}: unexpected outcomes ${JSON.stringify(failures)}`);
  };
  describe('noop', noopFailures);
  describe('groupCommit', grouped.failures);
  describe('groupCommit at half the peak', grouped.halfPeak?.failures ?? {});
  describe('perBidCommit', perBid.failures);
  if (!grouped.check.consistent) warnings.push(`groupCommit inconsistent: ${grouped.check.problems.join('; ')}`);
  if (!perBid.check.consistent) warnings.push(`perBidCommit inconsistent: ${perBid.check.problems.join('; ')}`);
  if (nodeArgs.length > 0) warnings.push('servers ran with --cpu-prof: numbers are diagnostic only');

  const result: Record<string, unknown> = {
    scenario: 'hot-auction',
    bidsPerSec: grouped.perSec,
    p50Ms: grouped.load.latencyMs.p50,
    p99Ms: grouped.load.latencyMs.p99,
    p50AtHalfPeakMs: grouped.halfPeak?.p50Ms ?? null,
    p99AtHalfPeakMs: grouped.halfPeak?.p99Ms ?? null,
    halfPeakBidsPerSec: grouped.halfPeak?.perSec ?? null,
    halfPeakGeneratorLagP99Ms: grouped.halfPeak?.generatorLagP99Ms ?? null,
    noopPerSec,
    ratioToNoop: ratio(grouped.perSec, noopPerSec),
    perBidCommitBidsPerSec: perBid.perSec,
    ratioToPerBidCommit: ratio(grouped.perSec, perBid.perSec),
    // CPU per request, which the other processes on the machine do not move: the main thread's ratio is the
    // share of a no-op request's work that a bid costs, the others are the SQLite writer and V8's GC helpers.
    cpuUsPerNoop: noopCpu,
    cpuUsPerBid: grouped.cpu,
    mainThreadRatioToNoop: noopCpu && grouped.cpu ? ratio(noopCpu.main, grouped.cpu.main) : null,
    accepted: grouped.accepted,
    rejected: grouped.rejected,
    avgCommitBatch: grouped.metrics.avgCommitBatch,
    avgCommitMs: grouped.metrics.avgCommitMs,
    serverCpuPct: grouped.metrics.serverCpuPct,
    noopP50Ms: noop.latencyMs.p50,
    noopP99Ms: noop.latencyMs.p99,
    noopServerCpuPct: noopMetrics.serverCpuPct,
    perBidCommit: {
      accepted: perBid.accepted,
      rejected: perBid.rejected,
      p50Ms: perBid.load.latencyMs.p50,
      p99Ms: perBid.load.latencyMs.p99,
      avgCommitBatch: perBid.metrics.avgCommitBatch,
      avgCommitMs: perBid.metrics.avgCommitMs,
      serverCpuPct: perBid.metrics.serverCpuPct,
    },
    consistent: grouped.check.consistent && perBid.check.consistent,
    failures: { noop: noopFailures, groupCommit: grouped.failures, perBidCommit: perBid.failures },
    connections: CONNECTIONS,
    durationSec: DURATION,
    loadGenCpuPct: Math.round((grouped.load.cpuMs / 10 / grouped.load.durationSec) * 10) / 10,
    node: host.node,
    cpus: host.cpus,
    cpuModel: host.cpuModel,
    date,
  };
  if (warnings.length > 0) result.warning = warnings.join(' | ');

  // A profiled run is diagnostic only: it is not recorded.
  if (nodeArgs.length === 0)
    await appendBenchmarkDoc(DOC_HEADER, docSection(result, noop, noopMetrics, grouped, perBid, host, date));
  return result;
}

/** 64 bidders with sessions, one seller, one hard-close auction open for an hour. */
export async function prepare(server: ServerProcess): Promise<Setup> {
  const api = `${server.url}/api/v1`;
  const login = async (username: string): Promise<string> => {
    await callJson(`${api}/users`, 'POST', 201, { username, password: PASSWORD });
    const session = await callJson<{ token: string }>(`${api}/sessions`, 'POST', 201, { username, password: PASSWORD });
    return session.token;
  };
  const sellerToken = await login('bench_seller');
  const tokens: string[] = [];
  for (let i = 0; i < CONNECTIONS; i += 16) {
    const names = Array.from({ length: Math.min(16, CONNECTIONS - i) }, (_, j) => `bidder_${i + j}`);
    tokens.push(...(await Promise.all(names.map(login))));
  }
  const { auction } = await callJson<{ auction: { id: string } }>(
    `${api}/auctions`,
    'POST',
    201,
    {
      item: { name: 'Hot auction', description: 'hot-auction benchmark' },
      startingPrice: 1,
      minIncrement: 1,
      softClose: null,
      endDate: new Date(Date.now() + 3600_000).toISOString(),
    },
    { authorization: `Bearer ${sellerToken}` },
  );
  return { tokens, auctionId: auction.id };
}

/** Warm-up, then the measured bid load; the HTTP half of the consistency check runs before the server stops. */
export async function bidPhase(
  name: string,
  server: ServerProcess,
  setup: Setup,
  options: { halfPeak?: boolean } = {},
): Promise<BidPhase> {
  const auctionUrl = `${server.url}/api/v1/auctions/${setup.auctionId}`;
  const minNextBid = async () =>
    (await callJson<{ auction: { minNextBid: number } }>(auctionUrl, 'GET', 200)).auction.minNextBid;
  const spec = async (durationSec: number): Promise<LoadSpec> => ({
    url: server.url,
    method: 'POST',
    path: `/api/v1/auctions/${setup.auctionId}/bids`,
    tokens: setup.tokens,
    connections: CONNECTIONS,
    durationSec,
    body: 'bid',
    base: await minNextBid(),
  });
  const acknowledged = { accepted: 0, rejected: 0 };
  const count = (load: LoadResult) => {
    acknowledged.accepted += load.statusCodes['201'] ?? 0;
    acknowledged.rejected += load.statusCodes['409'] ?? 0;
  };
  if (WARMUP > 0) count(await runLoad(await spec(WARMUP)));

  log(`bids (${name}): POST ${setup.auctionId}/bids`);
  const measuredSpec = await spec(DURATION);
  const before = await readMetrics(server.url);
  const cpuBefore = threadCpuMs(server.pid);
  const load = await runLoad(measuredSpec);
  const cpu = cpuUsPerRequest(cpuBefore, threadCpuMs(server.pid), totalRequests(load));
  const after = await readMetrics(server.url);
  count(load);

  const accepted = load.statusCodes['201'] ?? 0;
  const rejected = load.statusCodes['409'] ?? 0;
  // Latency at half the rate just measured: what a bidder sees when the server is busy but not saturated
  // (at the peak, latency is mostly queueing behind the other connections).
  let halfPeak: BidPhase['halfPeak'] = null;
  if (options.halfPeak) {
    const rate = Math.max(1, Math.round(perSec(accepted + rejected, load.durationSec) / 2));
    log(`bids (${name}): at half the peak, ${rate} bids/s asked`);
    // Paced evenly (bench/paced-load-worker.ts), over 32 sockets: autocannon's overallRate sends each
    // second's bids in a burst at its start, which measures the burst rather than a half-loaded server.
    const half = await runPacedLoad({ ...(await spec(DURATION)), connections: 32, overallRate: rate });
    count(half);
    halfPeak = {
      askedPerSec: rate,
      perSec: perSec((half.statusCodes['201'] ?? 0) + (half.statusCodes['409'] ?? 0), half.durationSec),
      p50Ms: half.latencyMs.p50,
      p99Ms: half.latencyMs.p99,
      generatorLagP99Ms: half.generatorLagMs?.p99 ?? null,
      failures: failuresOf(half, ['201', '409']),
    };
  }
  const phase: BidPhase = {
    halfPeak,
    auctionId: setup.auctionId,
    acknowledged,
    load,
    metrics: phaseMetrics(before, after, load.durationSec),
    accepted,
    rejected,
    failures: failuresOf(load, ['201', '409']),
    perSec: perSec(accepted + rejected, load.durationSec),
    cpu,
    check: await httpCheck(auctionUrl),
  };
  log(
    `bids (${name}): ${phase.perSec} bids/s (${accepted} accepted, ${rejected} rejected), avg batch ${phase.metrics.avgCommitBatch}`,
  );
  return phase;
}

/**
 * Reads the auction and the newest page of its accepted history over HTTP,
 * once the auction is quiet: autocannon stops at the deadline without waiting
 * for its last requests, which the server still decides and commits. The pair
 * is taken at one version (auction read before and after the history).
 */
async function httpCheck(auctionUrl: string): Promise<ConsistencyCheck> {
  const problems: string[] = [];
  type AuctionRead = { auction: { id: string; currentPrice: number | null; bidCount: number; version: number } };
  const readAuction = () => callJson<AuctionRead>(auctionUrl, 'GET', 200).then((r) => r.auction);
  let auction = await readAuction();
  let page: { items: { amount: number; status: string }[] };
  for (let attempt = 0; ; attempt++) {
    await new Promise((r) => setTimeout(r, 300));
    const before = await readAuction();
    page = await callJson<{ items: { amount: number; status: string }[] }>(
      `${auctionUrl}/bids?status=accepted&limit=100`,
      'GET',
      200,
    );
    const after = await readAuction();
    const quiet = before.version === auction.version && after.version === before.version;
    auction = after;
    if (quiet) break;
    if (attempt === 20) throw new Error('the auction kept changing for 6 s after the load stopped');
  }
  const amounts = page.items.map((b) => b.amount);
  if (amounts[0] !== auction.currentPrice)
    problems.push(`newest accepted amount ${amounts[0]} ≠ currentPrice ${auction.currentPrice} (HTTP)`);
  for (let i = 1; i < amounts.length; i++) {
    if (!(amounts[i]! < amounts[i - 1]!)) {
      problems.push(`accepted history (HTTP) not strictly decreasing newest-first at ${i}`);
      break;
    }
  }
  return {
    consistent: problems.length === 0,
    problems,
    storedAccepted: auction.bidCount,
    storedRejected: 0,
    currentPrice: auction.currentPrice,
  };
}

/**
 * After the server has stopped: the whole accepted history from the database
 * file, in version order, and every acknowledged bid accounted for.
 */
export function finishCheck(phase: BidPhase, server: ServerProcess): ConsistencyCheck {
  const http = phase.check;
  const ack = { auctionId: phase.auctionId, ...phase.acknowledged };
  const problems = [...http.problems];
  const db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
  try {
    const accepted = db
      .prepare(
        "SELECT amount, auction_version AS version FROM bids WHERE auction_id = ? AND status = 'accepted' ORDER BY auction_version, seq",
      )
      .all(ack.auctionId) as { amount: number; version: number }[];
    const rejectedCount = (
      db.prepare("SELECT count(*) AS n FROM bids WHERE auction_id = ? AND status = 'rejected'").get(ack.auctionId) as {
        n: number;
      }
    ).n;
    const stateRow = db.prepare('SELECT state, version FROM auctions WHERE id = ?').get(ack.auctionId) as
      { state: string; version: number } | undefined;
    if (!stateRow) throw new Error('auction row missing');
    const state = JSON.parse(stateRow.state) as { currentPrice: number | null; bidCount: number; version: number };

    for (let i = 1; i < accepted.length; i++) {
      const prev = accepted[i - 1]!;
      const cur = accepted[i]!;
      if (!(cur.version > prev.version)) {
        problems.push(`accepted bids share or reverse version at ${cur.version}`);
        break;
      }
      if (!(cur.amount > prev.amount)) {
        problems.push(`accepted amount ${cur.amount} at version ${cur.version} is not above ${prev.amount}`);
        break;
      }
    }
    const max = accepted.reduce((m, b) => Math.max(m, b.amount), -Infinity);
    const highest = accepted.length > 0 ? max : null;
    if (state.currentPrice !== highest)
      problems.push(`stored currentPrice ${state.currentPrice} ≠ max accepted ${highest}`);
    if (http.currentPrice !== highest)
      problems.push(`HTTP currentPrice ${http.currentPrice} ≠ max accepted ${highest}`);
    if (state.bidCount !== accepted.length)
      problems.push(`bidCount ${state.bidCount} ≠ ${accepted.length} stored accepted bids`);
    // Hard close and no extensions: version 1 at creation, +1 per accepted bid.
    if (stateRow.version !== 1 + accepted.length)
      problems.push(`version ${stateRow.version} ≠ 1 + ${accepted.length} accepted bids`);
    if (accepted.length < ack.accepted)
      problems.push(`${ack.accepted} bids acknowledged 201 but only ${accepted.length} stored accepted`);
    if (rejectedCount < ack.rejected)
      problems.push(`${ack.rejected} bids acknowledged 409 but only ${rejectedCount} stored rejected`);
    return {
      consistent: problems.length === 0,
      problems,
      storedAccepted: accepted.length,
      storedRejected: rejectedCount,
      currentPrice: state.currentPrice,
    };
  } finally {
    db.close();
  }
}

const DOC_HEADER = `# Benchmarks

Measured numbers, newest last. Each section is appended by the benchmark itself.

## Method: hot-auction

\`${COMMAND}\` (about a minute). It starts the real server (\`node --import tsx src/main.ts\`) as a separate
process on a fresh data dir with the default durable SQLite (WAL, \`synchronous=FULL\`), creates 64 bidders,
a seller and one hard-close auction over HTTP, and drives it with autocannon from another process: 64
keep-alive connections, one bidder per connection, amounts strictly growing per request, 10 s per phase after a
2 s warm-up. Phases: \`GET /healthz\` on the same server and connections (noop baseline), bids with group
commit (default), and bids on a second server with \`GAVEL_GROUP_COMMIT=off\` (one transaction per bid).
201 and 409 both count as durably stored bids; any other outcome is reported as a \`warning\`. After each bid
phase the stored history is checked (accepted amounts strictly increase in version order, \`currentPrice\` is
the highest accepted amount, every acknowledged bid is stored). The average batch size comes from
\`gavel_commit_batch_size\` in \`/metrics\`. Loader and server share the machine's cores, so expect noise.
`;

type CpuPerRequest = { main: number; others: number } | null;

function cpuText(cpu: CpuPerRequest): string {
  return cpu ? `${cpu.main} / ${cpu.others}` : '–';
}

/** Every request the load generator completed, whatever its status. */
function totalRequests(load: LoadResult): number {
  return Object.values(load.statusCodes).reduce((sum, n) => sum + n, 0);
}

function docSection(
  result: Record<string, unknown>,
  noop: LoadResult,
  noopMetrics: PhaseMetrics,
  grouped: BidPhase,
  perBid: BidPhase,
  host: ReturnType<typeof machine>,
  date: string,
): string {
  const table = markdownTable(
    ['phase', 'completed/s', 'p50 ms', 'p99 ms', 'accepted', 'rejected', 'avg commit batch', 'server CPU %'],
    [
      [
        'noop `GET /healthz`',
        result.noopPerSec as number,
        noop.latencyMs.p50,
        noop.latencyMs.p99,
        '–',
        '–',
        '–',
        noopMetrics.serverCpuPct ?? '–',
      ],
      ...[
        ['bids, group commit', grouped],
        ['bids, one commit per bid', perBid],
      ].map(([label, phase]) => {
        const p = phase as BidPhase;
        return [
          label as string,
          p.perSec,
          p.load.latencyMs.p50,
          p.load.latencyMs.p99,
          p.accepted,
          p.rejected,
          p.metrics.avgCommitBatch ?? '–',
          p.metrics.serverCpuPct ?? '–',
        ];
      }),
      ...(grouped.halfPeak
        ? [
            [
              `bids, group commit, ${grouped.halfPeak.askedPerSec}/s asked (half the peak)`,
              grouped.halfPeak.perSec,
              grouped.halfPeak.p50Ms,
              grouped.halfPeak.p99Ms,
              '–',
              '–',
              '–',
              '–',
            ],
          ]
        : []),
    ],
  );
  return `## hot-auction, ${date}

- Command: \`${COMMAND}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}
- ${CONNECTIONS} connections, ${DURATION} s per phase; ratioToNoop ${result.ratioToNoop}, ratioToPerBidCommit ${result.ratioToPerBidCommit}, consistent ${result.consistent}
- At half the peak the paced generator's own timer was late by p99 ${result.halfPeakGeneratorLagP99Ms ?? '–'} ms (part of its latencies: the measuring side's share)
- Server CPU per request (µs, main thread / other threads): noop ${cpuText(result.cpuUsPerNoop as CpuPerRequest)}, bid ${cpuText(result.cpuUsPerBid as CpuPerRequest)}; main-thread ratio to the no-op ${result.mainThreadRatioToNoop ?? '–'}${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
