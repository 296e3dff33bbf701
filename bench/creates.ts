/**
 * creates: how many durable auction creations per second one node takes, with the sequencer's group
 * commit of creates against one transaction per create, in the same run.
 *
 *   server A (group commit, the default):  POST /api/v1/auctions (groupCommit)
 *   server B (GAVEL_GROUP_COMMIT=off):     the same load (perCreateCommit)
 *
 * Both servers are separate `node --import tsx src/main.ts` processes on fresh data dirs with the default
 * durable SQLite (WAL, synchronous=FULL) and GAVEL_RATE_LIMITS=off. The load comes from autocannon in
 * another process (bench/load-worker.ts): CONNECTIONS keep-alive connections, the sellers' tokens spread
 * over them, the same valid body in every request (each one is a new auction).
 *
 * Every run sends a fixed number of requests and waits for all their answers (autocannon's `amount`), so
 * that no request is left in flight whose auction may or may not have been stored. Two short warm-ups
 * (WARMUP_PER_CONNECTION requests per connection each) come first; the second one's rate sizes the measured
 * run to about DURATION seconds. After each phase the server is stopped and its database file read: the
 * auctions stored must be exactly the 201 answers (warm-ups included), each found by the search index
 * too (`consistent`).
 *
 * Knobs (environment): BENCH_DURATION (s the measured run aims at, default 10), BENCH_CONNECTIONS
 * (default 256).
 */
import Database from 'better-sqlite3';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import {
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
  ratio,
  readMetrics,
  removeTempDir,
  round,
  runLoad,
  startServer,
  threadCpuMs,
} from './support.ts';

const DURATION = numberFromEnv('BENCH_DURATION', 10, 1, 30);
const CONNECTIONS = numberFromEnv('BENCH_CONNECTIONS', 256, 1, 512);
/**
 * Requests per connection in each of the two warm-up runs: the first warms the JIT (its rate is well below
 * the steady one), the second measures the rate the measured run is sized from.
 */
const WARMUP_PER_CONNECTION = 8;
const SELLERS = 16;
const PASSWORD = 'correct horse battery';
const COMMAND = 'npm run bench -- creates';
/** In every item's name, so that the check can count the stored auctions through the search index. */
const SEARCH_WORD = 'gavelbenchlot';

interface CreatePhase {
  load: LoadResult;
  created: number;
  perSec: number;
  /** 201 answers, warm-ups included: each must be a stored auction, and nothing else may be stored. */
  acknowledged: number;
  failures: Record<string, number>;
  commits: number;
  avgCommitBatch: number | null;
  avgCommitMs: number | null;
  serverCpuPct: number | null;
  /** Server CPU per request in the measured run (Linux): main thread and the others, µs. */
  cpu: { main: number; others: number } | null;
  check: ConsistencyCheck;
}

interface ConsistencyCheck {
  consistent: boolean;
  problems: string[];
  storedAuctions: number;
  searchable: number;
}

export async function creates(): Promise<Record<string, unknown>> {
  const host = machine();
  const date = new Date().toISOString();
  log(`creates: ${CONNECTIONS} connections, ~${DURATION} s per phase, ${host.cpus} × ${host.cpuModel}`);

  const grouped = await phase('group commit', {});
  const perCreate = await phase('one commit per create', { GAVEL_GROUP_COMMIT: 'off' });

  const warnings: string[] = [];
  for (const [name, p] of [
    ['groupCommit', grouped],
    ['perCreateCommit', perCreate],
  ] as const) {
    if (Object.keys(p.failures).length > 0) warnings.push(`${name}: unexpected outcomes ${JSON.stringify(p.failures)}`);
    if (!p.check.consistent) warnings.push(`${name} inconsistent: ${p.check.problems.join('; ')}`);
  }

  const result: Record<string, unknown> = {
    scenario: 'creates',
    createsPerSec: grouped.perSec,
    p50Ms: grouped.load.latencyMs.p50,
    p99Ms: grouped.load.latencyMs.p99,
    perCreateCommitCreatesPerSec: perCreate.perSec,
    ratioToPerCreateCommit: ratio(grouped.perSec, perCreate.perSec),
    created: grouped.created,
    measuredSec: grouped.load.durationSec,
    avgCommitBatch: grouped.avgCommitBatch,
    avgCommitMs: grouped.avgCommitMs,
    serverCpuPct: grouped.serverCpuPct,
    // Server CPU per create (µs, main thread and the others): unmoved by other processes on the machine.
    cpuUsPerCreate: grouped.cpu,
    perCreateCommit: {
      createsPerSec: perCreate.perSec,
      created: perCreate.created,
      measuredSec: perCreate.load.durationSec,
      p50Ms: perCreate.load.latencyMs.p50,
      p99Ms: perCreate.load.latencyMs.p99,
      avgCommitBatch: perCreate.avgCommitBatch,
      avgCommitMs: perCreate.avgCommitMs,
      serverCpuPct: perCreate.serverCpuPct,
    },
    consistent: grouped.check.consistent && perCreate.check.consistent,
    check: {
      groupCommit: { acknowledged: grouped.acknowledged, stored: grouped.check.storedAuctions },
      perCreateCommit: { acknowledged: perCreate.acknowledged, stored: perCreate.check.storedAuctions },
    },
    failures: { groupCommit: grouped.failures, perCreateCommit: perCreate.failures },
    connections: CONNECTIONS,
    durationSec: DURATION,
    loadGenCpuPct: round(grouped.load.cpuMs / 10 / grouped.load.durationSec, 1),
    node: host.node,
    cpus: host.cpus,
    cpuModel: host.cpuModel,
    date,
  };
  if (process.env.BENCH_SERVER_CPU_PROF) warnings.push('servers ran with --cpu-prof: numbers are diagnostic only');
  if (warnings.length > 0) result.warning = warnings.join(' | ');

  // A profiled run is diagnostic only: it is not recorded.
  if (!process.env.BENCH_SERVER_CPU_PROF)
    await appendBenchmarkDoc('# Benchmarks\n', docSection(result, grouped, perCreate, host, date));
  return result;
}

/** One server: sellers, warm-ups, the measured run; then the server is stopped and its file checked. */
async function phase(name: string, env: Record<string, string>): Promise<CreatePhase> {
  const server = await startServer(env, cpuProfArgs());
  let measured: Omit<CreatePhase, 'check'>;
  try {
    const tokens = await signUpSellers(server);
    const spec = (amount: number): LoadSpec => ({
      url: server.url,
      method: 'POST',
      path: '/api/v1/auctions',
      tokens,
      connections: CONNECTIONS,
      // Only a bound: the run ends when all `amount` requests are answered.
      durationSec: Math.min(60, DURATION * 5),
      body: 'json',
      json: createBody(),
      base: 0,
      amount,
    });
    const warmUps = [
      await runLoad(spec(CONNECTIONS * WARMUP_PER_CONNECTION)),
      await runLoad(spec(CONNECTIONS * WARMUP_PER_CONNECTION)),
    ];
    const warmUp = warmUps[1]!;
    const warmUpRate = (warmUp.statusCodes['201'] ?? 0) / warmUp.durationSec;
    // What the second warm-up's rate does in DURATION seconds, a whole number per connection (autocannon splits it).
    const amount = CONNECTIONS * Math.max(4, Math.round((warmUpRate * DURATION) / CONNECTIONS));
    log(`creates (${name}): warm-up ${Math.round(warmUpRate)}/s; measured run: ${amount} creates`);

    const before = await readMetrics(server.url);
    const cpuBefore = threadCpuMs(server.pid);
    const load = await runLoad(spec(amount));
    const cpuAfter = threadCpuMs(server.pid);
    const after = await readMetrics(server.url);
    const delta = (metric: string) => (after.get(metric) ?? NaN) - (before.get(metric) ?? NaN);
    const commits = delta('gavel_create_commit_batch_size_count');
    const finite = (n: number, digits: number) => (Number.isFinite(n) ? round(n, digits) : null);
    const created = load.statusCodes['201'] ?? 0;
    measured = {
      load,
      created,
      perSec: perSec(created, load.durationSec),
      acknowledged: warmUps.reduce((sum, w) => sum + (w.statusCodes['201'] ?? 0), created),
      failures: mergeFailures([...warmUps, load].map((l) => failuresOf(l, ['201']))),
      commits: Number.isFinite(commits) ? commits : 0,
      avgCommitBatch: commits > 0 ? finite(delta('gavel_create_commit_batch_size_sum') / commits, 1) : null,
      avgCommitMs: commits > 0 ? finite((delta('gavel_create_commit_duration_seconds_sum') / commits) * 1000, 3) : null,
      serverCpuPct: finite((delta('gavel_process_cpu_seconds_total') / load.durationSec) * 100, 0),
      cpu: cpuUsPerRequest(
        cpuBefore,
        cpuAfter,
        Object.values(load.statusCodes).reduce((sum, n) => sum + n, 0),
      ),
    };
    log(
      `creates (${name}): ${measured.perSec} creates/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, avg batch ${measured.avgCommitBatch}`,
    );
  } finally {
    await server.stop();
  }
  const check = storedCheck(server, measured.acknowledged);
  removeTempDir(server.dataDir);
  return { ...measured, check };
}

/** The failures of several runs, counts summed per kind. */
function mergeFailures(all: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const failures of all) for (const [kind, n] of Object.entries(failures)) merged[kind] = (merged[kind] ?? 0) + n;
  return merged;
}

/** SELLERS users with sessions, signed up over HTTP; their tokens are spread over the connections. */
async function signUpSellers(server: ServerProcess): Promise<string[]> {
  const api = `${server.url}/api/v1`;
  return Promise.all(
    Array.from({ length: SELLERS }, async (_, i) => {
      const username = `bench_seller_${i}`;
      await callJson(`${api}/users`, 'POST', 201, { username, password: PASSWORD });
      return (await callJson<{ token: string }>(`${api}/sessions`, 'POST', 201, { username, password: PASSWORD }))
        .token;
    }),
  );
}

/** A listing as a seller or an inventory sync sends it: soft close, a reserve, a few hundred characters of text. */
function createBody(): string {
  return JSON.stringify({
    item: {
      name: `Lot ${SEARCH_WORD} vintage camera`,
      description:
        'A 35 mm rangefinder in working order, with its leather case, strap and lens cap. Light marks on the ' +
        'top plate; the shutter fires at every speed and the meter reads true against a handheld one. Shipped ' +
        'insured, in its original box with the manual.',
      imageUrl: null,
    },
    startingPrice: 10_000,
    minIncrement: 500,
    reservePrice: 25_000,
    endDate: new Date(Date.now() + 7 * 24 * 3_600_000).toISOString(),
  });
}

/**
 * After the server has stopped: the auctions in its database file are exactly the 201 answers (a create
 * answered 201 that is missing was acknowledged without being durable; one more than the answers was
 * stored without being acknowledged), and each is in the search index.
 */
function storedCheck(server: ServerProcess, acknowledged: number): ConsistencyCheck {
  const db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const storedAuctions = count('SELECT count(*) AS n FROM auctions');
    const searchable = count(`SELECT count(*) AS n FROM auctions_fts WHERE auctions_fts MATCH '${SEARCH_WORD}'`);
    const problems: string[] = [];
    if (storedAuctions !== acknowledged)
      problems.push(`${acknowledged} creates answered 201 but ${storedAuctions} auctions stored`);
    if (searchable !== storedAuctions)
      problems.push(`${storedAuctions} auctions stored but ${searchable} found by the search index`);
    return { consistent: problems.length === 0, problems, storedAuctions, searchable };
  } finally {
    db.close();
  }
}

function docSection(
  result: Record<string, unknown>,
  grouped: CreatePhase,
  perCreate: CreatePhase,
  host: ReturnType<typeof machine>,
  date: string,
): string {
  const table = markdownTable(
    ['phase', 'creates/s', 'p50 ms', 'p99 ms', 'created', 'avg commit batch', 'avg commit ms', 'server CPU %'],
    [
      ['creates, group commit', grouped],
      ['creates, one commit per create', perCreate],
    ].map(([label, phase]) => {
      const p = phase as CreatePhase;
      return [
        label as string,
        p.perSec,
        p.load.latencyMs.p50,
        p.load.latencyMs.p99,
        p.created,
        p.avgCommitBatch ?? '–',
        p.avgCommitMs ?? '–',
        p.serverCpuPct ?? '–',
      ];
    }),
  );
  return `## creates, ${date}

- Command: \`${COMMAND}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}
- Method: \`POST /api/v1/auctions\` on one node (SQLite, WAL, \`synchronous=FULL\`, rate limits off) from autocannon in another process, ${CONNECTIONS} connections, ${SELLERS} sellers; two warm-ups of ${WARMUP_PER_CONNECTION} creates per connection, then as many creates as the second warm-up's rate does in ${DURATION} s, every one answered. Group commit of creates (default) on one server, \`GAVEL_GROUP_COMMIT=off\` (one transaction per create) on a second. Afterwards each database file must hold exactly the auctions answered 201, each in the search index. Loader and server share the machine's cores, so expect noise.
- createsPerSec ${result.createsPerSec}, ratioToPerCreateCommit ${result.ratioToPerCreateCommit}, consistent ${result.consistent}${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
