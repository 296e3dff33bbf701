/**
 * ten-million: a store holding millions of open auctions, nearly all of them untouched.
 * `npm run bench -- ten-million [--auctions N] [--together M]`
 *
 *   --auctions N  open auctions (default 1,000,000: about 5 minutes on 2 cores, 1.3 GB of disk; the issue's
 *                 full size, `--auctions 10000000`, takes about 35 minutes, ~30 of them loading at
 *                 ~5,600/s, and 13 GB of disk in the temp dir)
 *   --together M  of which M end in the same minute (default N / 100, at most 100,000: 10,000 at the
 *                 default size, the issue's 100,000 at full size)
 *
 * 1. Load: N − M hard-close auctions (one seller) with end dates drawn uniformly from 1 hour to 3 days
 *    ahead, then the M "together" auctions (another seller) with end dates spread evenly over one minute
 *    that starts LEAD s (BENCH_CLOSE_LEAD, default 60) after the load, written straight into a fresh data
 *    dir through the SQLite store's bulk path (`SqliteStore.insertAuctions`, SEED_CHUNK auctions per call,
 *    one transaction each) as many-auctions does. `loadSeconds` is that whole load; `dbBytes` the file
 *    (gavel.db + gavel.db-wal) once the store is closed.
 * 2. Start-up: one server (`src/main.ts`, default durable SQLite, group commit, rate limits off) on that
 *    dir. `startupSeconds` runs from the spawn to the first 200 from /readyz (bench/support.ts
 *    `startServer`; /readyz answers after /healthz, and only once the store answers); `rssBytes` is the
 *    server's VmRSS (/proc/<pid>/status) right then, before any request touched an auction.
 * 3. Closing: hot-auction's bidders (`prepare`), step 4 when it fits before the together minute, then
 *    bids on random auctions (a random sample of up to SAMPLE of the N − M, one drawn per request;
 *    CONNECTIONS connections, closed loop, so the server is saturated) from 3 s before the together
 *    minute until 5 s after it, in load workers of at most CHAIN_SEC s chained with a 2 s overlap (a
 *    worker runs at most 60 s). Then, with a read-only connection while the server runs, each together
 *    auction's `closed` event (auction_events.created_at: when the sequencer decided the close) against
 *    its end_date: close lateness p50/p99/max, and `closedTogether`, how many had closed by then.
 * 4. Bid latency: WARMUP s of warm-up, then DURATION s of bids on random auctions as in step 3, on the
 *    same server, before the together minute when there is time (else after the closes): `bidP50Ms`,
 *    `bidP99Ms`.
 * 5. Baseline: steps 1, 2 and 4 on a fresh 10,000-auction store in the same run (run first);
 *    `bidP99RatioTo10k` = bidP99Ms ÷ its p99 (target ≤ 1.5), `baseline10k.rssBytes` its RSS after
 *    start-up (`rssRatioTo10k`: memory that grows with untouched auctions shows here).
 *
 * 201 and 409 both count as served bids; anything else is reported as a `warning`, as is a together
 * auction not closed in time, a close p99 over 1 s or a p99 ratio over 1.5.
 *
 * Knobs (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS (as hot-auction),
 * BENCH_CLOSE_LEAD (s from the end of the load to the together minute, default 60; raise it when the
 * server takes longer than that to start).
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Auction } from '../src/domain/index.ts';
import { newId } from '../src/ids.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { CONNECTIONS, DURATION, WARMUP, prepare } from './hot-auction.ts';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import {
  type ServerProcess,
  appendBenchmarkDoc,
  failuresOf,
  log,
  machine,
  makeTempDir,
  markdownTable,
  mergeLoads,
  numberFromEnv,
  perSec,
  percentile,
  ratio,
  removeTempDir,
  round,
  runLoad,
  sleep,
  startServer,
  benchLot,
} from './support.ts';

const DEFAULT_AUCTIONS = 1_000_000;
const MAX_AUCTIONS = 10_000_000;
const MAX_TOGETHER = 100_000;
const BASELINE_AUCTIONS = 10_000;
/** Auctions per `insertAuctions` call (one transaction). */
const SEED_CHUNK = 10_000;
/** At most this many auction ids are kept for the bid load (a uniform random sample). */
const SAMPLE = 100_000;
/** The together auctions' end dates are spread over this long. */
/** The "same minute" (BENCH_TOGETHER_WINDOW, s; only the smoke test shortens it). */
const TOGETHER_WINDOW_MS = numberFromEnv('BENCH_TOGETHER_WINDOW', 60, 1, 60) * 1000;
const LEAD_SEC = numberFromEnv('BENCH_CLOSE_LEAD', 60, 3, 3600);
/** Longest single load worker in the closing phase (a worker refuses more than 60 s). */
const CHAIN_SEC = 50;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Seeded {
  sellerId: string;
  togetherSellerId: string | null;
  /** Ids of a random sample of the ordinary (not together) auctions: the bid load's targets. */
  sampleIds: string[];
  /** When the first together auction ends (epoch ms); null without together auctions. */
  togetherStart: number | null;
  loadSeconds: number;
  dbBytes: number;
}

interface RunFigures {
  auctions: number;
  loadSeconds: number;
  dbBytes: number;
  startupSeconds: number;
  rssBytes: number;
  bids: LoadResult;
  bidsPerSec: number;
  failures: Record<string, number>;
}

interface Closing {
  load: LoadResult;
  bidsPerSec: number;
  failures: Record<string, number>;
  latenessMs: number[];
  closed: number;
  together: number;
  /** How late the bid load started (ms after the first together end; negative: before it). */
  startedMs: number;
}

export function parseCount(raw: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag} must be an integer from ${min} to ${max}, not ${raw}`);
  return n;
}

export async function tenMillion(options: {
  store: string;
  auctions?: string;
  together?: string;
}): Promise<Record<string, unknown>> {
  if (options.store !== 'sqlite') throw new Error('ten-million runs on SQLite only (no --store postgres)');
  const auctions = parseCount(options.auctions, '--auctions', DEFAULT_AUCTIONS, 1_000, MAX_AUCTIONS);
  const defaultTogether = Math.min(MAX_TOGETHER, Math.floor(auctions / 100));
  const together = parseCount(options.together, '--together', defaultTogether, 1, Math.min(MAX_TOGETHER, auctions));
  const command = `npm run bench -- ten-million${options.auctions === undefined ? '' : ` --auctions ${auctions}`}${
    options.together === undefined ? '' : ` --together ${together}`
  }`;
  const host = machine();
  const date = new Date().toISOString();
  log(
    `ten-million: ${auctions} auctions (${together} ending in one minute), baseline ${BASELINE_AUCTIONS}, ${CONNECTIONS} connections, ${DURATION} s bids (+${WARMUP} s warm-up), ${host.cpus} × ${host.cpuModel}`,
  );

  // Baseline first: small, and a broken setup fails in seconds rather than after the big load.
  const baseline = await measuredRun(BASELINE_AUCTIONS, 0);
  const big = await measuredRun(auctions, together);
  const closing = big.closing!;

  const sorted = [...closing.latenessMs].sort((a, b) => a - b);
  const quantile = (p: number) =>
    sorted.length === 0
      ? null
      : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const closeLatenessP50Ms = quantile(50);
  const closeLatenessP99Ms = quantile(99);
  const closeLatenessMaxMs = sorted.at(-1) ?? null;
  const bidP99RatioTo10k = ratio(big.figures.bids.latencyMs.p99, baseline.figures.bids.latencyMs.p99);

  const warnings: string[] = [];
  const describe = (name: string, failures: Record<string, number>) => {
    if (Object.keys(failures).length > 0) warnings.push(`${name}: unexpected outcomes ${JSON.stringify(failures)}`);
  };
  describe('bids (10k baseline)', baseline.figures.failures);
  describe('bids', big.figures.failures);
  describe('bids while closing', closing.failures);
  if (closing.closed < together)
    warnings.push(`${together - closing.closed} of ${together} together auctions not closed 5 s after the last end`);
  if (closeLatenessP99Ms !== null && closeLatenessP99Ms > 1000)
    warnings.push(`close lateness p99 ${closeLatenessP99Ms} ms > 1 s`);
  if (bidP99RatioTo10k !== null && bidP99RatioTo10k > 1.5)
    warnings.push(`bid p99 ${bidP99RatioTo10k}× the 10,000-auction p99 (> 1.5)`);
  if (closing.startedMs > 0)
    warnings.push(`the bid load started ${closing.startedMs} ms after the first together end: raise BENCH_CLOSE_LEAD`);

  const result: Record<string, unknown> = {
    scenario: 'ten-million',
    auctions,
    loadSeconds: big.figures.loadSeconds,
    dbBytes: big.figures.dbBytes,
    startupSeconds: big.figures.startupSeconds,
    rssBytes: big.figures.rssBytes,
    bidP99Ms: big.figures.bids.latencyMs.p99,
    bidP50Ms: big.figures.bids.latencyMs.p50,
    bidP99RatioTo10k,
    closeLatenessP50Ms,
    closeLatenessP99Ms,
    closeLatenessMaxMs,
    closedTogether: closing.closed,
    together,
    bidsPerSec: big.figures.bidsPerSec,
    bidsWhileClosing: {
      perSec: closing.bidsPerSec,
      p50Ms: closing.load.latencyMs.p50,
      p99Ms: closing.load.latencyMs.p99,
    },
    baseline10k: {
      auctions: BASELINE_AUCTIONS,
      loadSeconds: baseline.figures.loadSeconds,
      dbBytes: baseline.figures.dbBytes,
      startupSeconds: baseline.figures.startupSeconds,
      rssBytes: baseline.figures.rssBytes,
      bidsPerSec: baseline.figures.bidsPerSec,
      bidP50Ms: baseline.figures.bids.latencyMs.p50,
      bidP99Ms: baseline.figures.bids.latencyMs.p99,
    },
    rssRatioTo10k: ratio(big.figures.rssBytes, baseline.figures.rssBytes),
    failures: { baseline: baseline.figures.failures, bids: big.figures.failures, whileClosing: closing.failures },
    connections: CONNECTIONS,
    durationSec: DURATION,
    node: host.node,
    cpus: host.cpus,
    cpuModel: host.cpuModel,
    date,
  };
  if (warnings.length > 0) result.warning = warnings.join(' | ');
  await appendBenchmarkDoc(
    '# Benchmarks\n',
    docSection(result, command, baseline.figures, big.figures, closing, host, date),
  );
  return result;
}

/** Load, start-up, (closing phase when `together` > 0), bid latency; the data dir is removed at the end. */
async function measuredRun(
  auctions: number,
  together: number,
): Promise<{ figures: RunFigures; closing: Closing | null }> {
  const label = auctions.toLocaleString('en-US');
  const dataDir = makeTempDir('gavel-bench-10m-');
  const databaseFile = join(dataDir, 'gavel.db');
  log(`${label}: loading${together > 0 ? ` (${together} ending together)` : ''}`);
  const seeded = await seed(databaseFile, auctions, together);
  log(
    `${label}: loaded in ${seeded.loadSeconds} s (${perSec(auctions, seeded.loadSeconds)}/s), ${round(seeded.dbBytes / 2 ** 20, 1)} MiB`,
  );
  const pathsFile = join(makeTempDir('gavel-bench-paths-'), 'paths.json');
  writeFileSync(pathsFile, JSON.stringify(seeded.sampleIds.map((id) => `/api/v1/auctions/${id}/bids`)));

  const spawnedAt = performance.now();
  const started = await startServer({ GAVEL_DATA_DIR: dataDir });
  const startupSeconds = round((performance.now() - spawnedAt) / 1000, 2);
  const rssBytes = serverRss();
  log(`${label}: server ready in ${startupSeconds} s, RSS ${round(rssBytes / 2 ** 20, 1)} MiB`);
  const server: ServerProcess = { ...started, dataDir, databaseFile };
  let closing: Closing | null = null;
  let bids: LoadResult;
  try {
    const { tokens } = await prepare(server);
    const spec = (durationSec: number, base: number, clockOrigin?: number): LoadSpec => ({
      url: server.url,
      method: 'POST',
      path: '/api/v1/auctions/unused/bids',
      pathsFile,
      tokens,
      connections: CONNECTIONS,
      durationSec,
      body: 'bid',
      base,
      ...(clockOrigin === undefined ? {} : { clockOrigin }),
    });
    let base = 1;
    const bidPhase = async () => {
      if (WARMUP > 0) base = ((await runLoad(spec(WARMUP, base))).lastAmount ?? base) + 1;
      log(`${label}: bids on random auctions, ${DURATION} s`);
      const load = await runLoad(spec(DURATION, base));
      base = (load.lastAmount ?? base) + 1;
      return load;
    };
    const { togetherStart, togetherSellerId } = seeded;
    if (togetherStart === null || togetherSellerId === null) bids = await bidPhase();
    else {
      // The bid-latency phase runs before the together minute when it fits (as on the baseline: a fresh
      // server), else after the closes.
      const first = Date.now() + (WARMUP + DURATION + 8) * 1000 < togetherStart ? await bidPhase() : null;
      closing = await closingPhase((d, o) => spec(d, base, o), databaseFile, togetherStart, togetherSellerId, together);
      base = Math.max(base, (closing.load.lastAmount ?? 0) + 1);
      bids = first ?? (await bidPhase());
    }
  } finally {
    await started.stop();
  }
  removeTempDir(started.dataDir);
  removeTempDir(dataDir);
  const served = (load: LoadResult) => (load.statusCodes['201'] ?? 0) + (load.statusCodes['409'] ?? 0);
  const figures: RunFigures = {
    auctions,
    loadSeconds: seeded.loadSeconds,
    dbBytes: seeded.dbBytes,
    startupSeconds,
    rssBytes,
    bids,
    bidsPerSec: perSec(served(bids), bids.durationSec),
    failures: failuresOf(bids, ['201', '409']),
  };
  log(`${label}: ${figures.bidsPerSec} bids/s, p50 ${bids.latencyMs.p50} ms, p99 ${bids.latencyMs.p99} ms`);
  return { figures, closing };
}

/**
 * Bids on random auctions from 3 s before the together minute to 5 s after it (chained workers), then
 * each together auction's close against its end, read from the file while the server runs.
 */
async function closingPhase(
  spec: (durationSec: number, clockOrigin: number) => LoadSpec,
  databaseFile: string,
  togetherStart: number,
  togetherSellerId: string,
  together: number,
): Promise<Closing> {
  const from = togetherStart - 3_000;
  const until = togetherStart + TOGETHER_WINDOW_MS + 5_000;
  if (Date.now() < from) {
    log(`closing: waiting ${round((from - Date.now()) / 1000, 1)} s for the together minute`);
    await sleep(from - Date.now());
  }
  const origin = Date.now();
  const startedMs = origin - togetherStart;
  log(`closing: ${together} auctions end over the next minute; bids on random auctions meanwhile`);
  const workers: Promise<LoadResult>[] = [];
  for (let at = origin; at < until; at += CHAIN_SEC * 1000) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    // Each worker starts 2 s before the previous one stops: no gap while the next one boots.
    const seconds = Math.ceil((Math.min(until, at + CHAIN_SEC * 1000) - Date.now()) / 1000) + 2;
    workers.push(runLoad(spec(Math.min(60, seconds), origin)));
  }
  const load = mergeLoads(await Promise.all(workers));
  const wait = until - Date.now();
  if (wait > 0) await sleep(wait);

  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  let rows: { endDate: number; closedAt: number | null }[];
  try {
    rows = db
      .prepare(
        `SELECT a.end_date AS endDate, (
           SELECT min(e.created_at) FROM auction_events e WHERE e.auction_id = a.id AND e.type = 'closed'
         ) AS closedAt
         FROM auctions a WHERE a.seller_id = ?`,
      )
      .all(togetherSellerId) as { endDate: number; closedAt: number | null }[];
  } finally {
    db.close();
  }
  const latenessMs = rows.filter((r) => r.closedAt !== null).map((r) => r.closedAt! - r.endDate);
  const served = (load.statusCodes['201'] ?? 0) + (load.statusCodes['409'] ?? 0);
  const closing: Closing = {
    load,
    bidsPerSec: perSec(served, (until - origin) / 1000),
    failures: failuresOf(load, ['201', '409']),
    latenessMs,
    closed: latenessMs.length,
    together: rows.length,
    startedMs,
  };
  const hist = [...latenessMs].sort((a, b) => a - b).map((ms): [number, number] => [ms, 1]);
  log(
    `closing: ${closing.closed} of ${together} closed, lateness p50 ${percentile(hist, 50)} ms, p99 ${percentile(hist, 99)} ms, max ${hist.at(-1)?.[0]} ms; bids meanwhile p99 ${load.latencyMs.p99} ms`,
  );
  return closing;
}

/**
 * `count` hard-close auctions (starting price 1, increment 1) through the SQLite store's bulk path into
 * the file the server will open: `count − together` ending 1 h to 3 days from now, then `together`
 * (another seller) spread over one minute that starts LEAD_SEC after the load.
 */
async function seed(databaseFile: string, count: number, together: number): Promise<Seeded> {
  const started = performance.now();
  const store = new SqliteStore({ filename: databaseFile });
  const seller = async (username: string) => {
    const id = newId();
    const inserted = await store.insertUser({
      id,
      username,
      displayName: username,
      // Not a password hash: nobody logs in as this seller.
      passwordHash: '!',
      createdAt: Date.now(),
    });
    if (inserted !== 'inserted') throw new Error(`could not create ${username}: ${inserted}`);
    return id;
  };
  let togetherStart: number | null = null;
  let sellerId: string;
  let togetherSellerId: string | null = null;
  const sampleIds: string[] = [];
  try {
    sellerId = await seller('bench_10m_seller');
    const ordinary = count - together;
    const keep = Math.min(1, SAMPLE / ordinary);
    const now = Date.now();
    const make = (i: number, owner: string, endDate: number, created: number): Auction =>
      benchLot('ten-million', i, count, owner, endDate, created);
    let lastLog = performance.now();
    for (let first = 0; first < ordinary; first += SEED_CHUNK) {
      const chunk: Auction[] = [];
      for (let i = first; i < Math.min(ordinary, first + SEED_CHUNK); i++) {
        const auction = make(i, sellerId, now + HOUR + Math.floor(Math.random() * (3 * DAY - HOUR)), now);
        if (Math.random() < keep) sampleIds.push(auction.id);
        chunk.push(auction);
      }
      await store.insertAuctions(chunk);
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`loaded ${first + chunk.length} of ${count} auctions`);
      }
    }
    if (together > 0) {
      togetherSellerId = await seller('bench_10m_together');
      // The minute starts LEAD_SEC after this point, the few seconds these inserts take included.
      const at = Date.now();
      togetherStart = at + LEAD_SEC * 1000;
      for (let first = 0; first < together; first += SEED_CHUNK) {
        const chunk: Auction[] = [];
        for (let i = first; i < Math.min(together, first + SEED_CHUNK); i++) {
          const endDate = togetherStart + Math.floor((i * TOGETHER_WINDOW_MS) / together);
          chunk.push(make(ordinary + i, togetherSellerId, endDate, at));
        }
        await store.insertAuctions(chunk);
      }
    }
  } finally {
    await store.close();
  }
  const loadSeconds = round((performance.now() - started) / 1000, 1);
  let dbBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      dbBytes += statSync(databaseFile + suffix).size;
    } catch {
      // no WAL left after a clean close
    }
  }
  return { sellerId, togetherSellerId, sampleIds, togetherStart, loadSeconds, dbBytes };
}

/** VmRSS of the one server process this run has running (a child of this process running src/main.ts). */
export function serverRss(): number {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(join('src', 'main.ts'))) continue;
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (match) found.push(Number(match[1]) * 1024);
    } catch {
      // gone meanwhile
    }
  }
  if (found.length !== 1) throw new Error(`expected one server process, found ${found.length}`);
  return found[0]!;
}

function docSection(
  result: Record<string, unknown>,
  command: string,
  baseline: RunFigures,
  big: RunFigures,
  closing: Closing,
  host: ReturnType<typeof machine>,
  date: string,
): string {
  const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
  const row = (f: RunFigures) => [
    f.auctions.toLocaleString('en-US'),
    f.loadSeconds,
    mib(f.dbBytes),
    f.startupSeconds,
    mib(f.rssBytes),
    f.bidsPerSec,
    f.bids.latencyMs.p50,
    f.bids.latencyMs.p99,
  ];
  const table = markdownTable(
    [
      'auctions',
      'load s',
      'database MiB',
      'start-up s',
      'RSS after start-up MiB',
      'bids/s',
      'bid p50 ms',
      'bid p99 ms',
    ],
    [row(baseline), row(big)],
  );
  const together = result.together as number;
  return `## ten-million, ${date}

- Command: \`${command}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}
- Method: ${big.auctions.toLocaleString('en-US')} open auctions loaded through the SQLite store's bulk path (\`insertAuctions\`, ${SEED_CHUNK.toLocaleString('en-US')} per transaction) before the server starts, end dates 1 h to 3 days ahead, ${together.toLocaleString('en-US')} of them ending within one minute; start-up is spawn to /readyz, RSS the server's VmRSS right after; bids on random auctions (${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up) compared with the same on a fresh ${BASELINE_AUCTIONS.toLocaleString('en-US')}-auction store in the same run; close lateness is each together auction's \`closed\` event time minus its end date, with bids on random auctions running throughout (${closing.bidsPerSec} bids/s, p99 ${closing.load.latencyMs.p99} ms)
- bidP99RatioTo10k ${result.bidP99RatioTo10k} (target ≤ 1.5), close lateness p50/p99/max ${result.closeLatenessP50Ms}/${result.closeLatenessP99Ms}/${result.closeLatenessMaxMs} ms (target p99 ≤ 1,000), ${closing.closed.toLocaleString('en-US')} of ${together.toLocaleString('en-US')} closed, RSS ${result.rssRatioTo10k}× the 10,000-auction server's${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
