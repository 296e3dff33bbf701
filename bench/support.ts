/**
 * Shared plumbing for the benchmarks: the server and the load generator run
 * as child processes, temp dirs are owned by the run, and everything is
 * cleaned up on exit, errors and signals (no orphans, no leftover files).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Auction, newAuction } from '../src/domain/index.ts';
import { newId } from '../src/ids.ts';
import type { LoadResult, LoadSpec } from './load-worker.ts';
import type { RowLockResult, RowLockSpec } from './row-lock-worker.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const mainFile = join(repoRoot, 'src', 'main.ts');
const workerFile = join(repoRoot, 'bench', 'load-worker.ts');
const rowLockWorkerFile = join(repoRoot, 'bench', 'row-lock-worker.ts');
const pacedWorkerFile = join(repoRoot, 'bench', 'paced-load-worker.ts');

/** The PostgreSQL server's maintenance database: bench databases are created and dropped from it. */
export const BENCH_PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** The machine's Redis, the nodes' bus in multi-node runs. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** Names of the PostgreSQL databases this run created and has not dropped yet. */
const databases = new Set<string>();

/** Progress goes to stderr: stdout carries only the result line. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/**
 * Kills every child still running, removes every temp dir and drops every database this run created.
 * Synchronous, so that it also works from an `exit` handler. Safe to call more than once.
 */
export function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  for (const name of databases) dropDatabaseSync(name);
  databases.clear();
}

let handlersInstalled = false;
/** Installs exit and signal handlers that clean up (once per process). */
export function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping children and cleaning up`);
      cleanUp();
      process.exit(130);
    });
  }
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  databaseFile: string;
  output(): string;
  /** The server's process id (for per-thread CPU readings in /proc). */
  pid: number;
  /** SIGTERM, wait for the graceful exit (SIGKILL after `graceMs`); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `src/main.ts` as a separate process on a fresh data dir and waits for /readyz. */
export async function startServer(env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServerProcess> {
  const dataDir = makeTempDir('gavel-bench-');
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [...nodeArgs, '--import', 'tsx', mainFile], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        GAVEL_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        GAVEL_SCRYPT_N: '1024',
        // A load test is many clients from one address at rates no single user may reach: limits off.
        GAVEL_RATE_LIMITS: 'off',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output += String(chunk);
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 30 s:\n${output}`);
    }
    await sleep(50);
  }
  return {
    url,
    dataDir,
    databaseFile: join(dataDir, 'gavel.db'),
    output: () => output,
    pid: child.pid!,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs `bench/load-worker.ts` in its own process and returns its JSON result. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker<LoadResult>(workerFile, 'BENCH_LOAD', spec, spec.durationSec);
}

/** Runs one load worker per spec at once (one per node), and merges their results as one load. */
export async function runLoads(specs: LoadSpec[]): Promise<LoadResult> {
  return mergeLoads(await Promise.all(specs.map(runLoad)));
}

/** Runs `bench/paced-load-worker.ts`: `spec.overallRate` bids/s at evenly spaced instants (open loop). */
export function runPacedLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker<LoadResult>(pacedWorkerFile, 'BENCH_LOAD', spec, spec.durationSec);
}

/** Runs `bench/row-lock-worker.ts` (the row-lock baseline, straight to PostgreSQL) in its own process. */
export function runRowLockLoad(spec: RowLockSpec): Promise<RowLockResult> {
  return runWorker<RowLockResult>(rowLockWorkerFile, 'BENCH_ROW_LOCK', spec, spec.durationSec);
}

/** A worker script in its own process, its spec in an environment variable, its JSON result the last stdout line. */
async function runWorker<T>(file: string, envName: string, spec: unknown, durationSec: number): Promise<T> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: repoRoot,
      env: { ...process.env, [envName]: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  // A hard bound: the worker stops itself after durationSec; this only catches a hang.
  const timer = setTimeout(() => child.kill('SIGKILL'), (durationSec + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${file} failed (exit ${code}):\n${stderr}${stdout}`);
  return JSON.parse(line) as T;
}

/** The smallest latency (ms) at or below which `p` % of the responses of a `[ms, count]` histogram fall. */
export function percentile(histogram: [number, number][], p: number): number {
  const total = histogram.reduce((sum, [, n]) => sum + n, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [ms, n] of histogram) {
    seen += n;
    if (seen >= rank) return ms;
  }
  return histogram.at(-1)?.[0] ?? 0;
}

/** Several workers' results as one load: counts summed, latencies from the merged histogram. */
export function mergeLoads(loads: LoadResult[]): LoadResult {
  const histogram = new Map<number, number>();
  const statusCodes: Record<string, number> = {};
  for (const load of loads) {
    for (const [ms, n] of load.latencyHistogram) histogram.set(ms, (histogram.get(ms) ?? 0) + n);
    for (const [code, n] of Object.entries(load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const merged = [...histogram].sort((a, b) => a[0] - b[0]);
  const sum = (pick: (load: LoadResult) => number) => loads.reduce((total, load) => total + pick(load), 0);
  const responses = merged.reduce((total, [, n]) => total + n, 0);
  const amounts = (pick: (load: LoadResult) => number | null) => loads.map(pick).filter((a): a is number => a !== null);
  return {
    durationSec: Math.max(...loads.map((l) => l.durationSec)),
    statusCodes,
    errors: sum((l) => l.errors),
    timeouts: sum((l) => l.timeouts),
    resets: sum((l) => l.resets),
    mismatches: sum((l) => l.mismatches),
    sent: sum((l) => l.sent),
    completed: sum((l) => l.completed),
    latencyMs: {
      p50: percentile(merged, 50),
      p90: percentile(merged, 90),
      p99: percentile(merged, 99),
      avg: responses > 0 ? round(merged.reduce((total, [ms, n]) => total + ms * n, 0) / responses, 2) : 0,
      max: merged.at(-1)?.[0] ?? 0,
    },
    firstAmount: amounts((l) => l.firstAmount).length > 0 ? Math.min(...amounts((l) => l.firstAmount)) : null,
    lastAmount: amounts((l) => l.lastAmount).length > 0 ? Math.max(...amounts((l) => l.lastAmount)) : null,
    cpuMs: sum((l) => l.cpuMs),
    latencyHistogram: merged,
  };
}

/** `n` split into `parts` near-equal shares, larger first (connections per node). */
export function shares(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database, whatever connections are left (WITH (FORCE)). */
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database for this run, named `gavel_bench_<random>`. It is dropped by `drop()`, or
 * by cleanUp() on any exit, error or signal.
 */
export async function createDatabase(): Promise<BenchDatabase> {
  const name = `gavel_bench_${randomBytes(6).toString('hex')}`;
  await onMaintenance(`CREATE DATABASE ${name}`);
  databases.add(name);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    async drop() {
      await onMaintenance(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      databases.delete(name);
    },
  };
}

async function onMaintenance(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_PG_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The synchronous drop of cleanUp(): a short node process that runs DROP DATABASE … WITH (FORCE). */
function dropDatabaseSync(name: string): void {
  const script = `const pg = require('pg');
    const client = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
    client.on('error', () => {});
    client.connect()
      .then(() => client.query('DROP DATABASE IF EXISTS ${name} WITH (FORCE)'))
      .then(() => client.end(), (error) => { console.error(error.message); process.exitCode = 1; return client.end(); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_PG_URL },
    timeout: 20_000,
    encoding: 'utf8',
  });
  if (result.status === 0) log(`dropped database ${name}`);
  else log(`could not drop database ${name}: ${result.stderr || result.error?.message || `exit ${result.status}`}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** JSON over fetch; throws unless the status is the expected one. */
export async function callJson<T>(
  url: string,
  method: string,
  expected: number,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${url}: expected ${expected}, got ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The un-labelled samples of a Prometheus text exposition, by metric name. */
export async function readMetrics(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*) ([-+0-9.eE]+|NaN)$/.exec(line.trim());
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

/**
 * CPU time (ms) a process has used so far, split into its main thread and all its other threads (the SQLite
 * writer, V8's garbage-collection helpers, libuv's pool), from /proc (Linux; null elsewhere). Unlike
 * throughput, CPU per request does not move when the load generator or another process takes a core away:
 * it is the figure to compare two versions of the code with on a shared machine.
 */
export function threadCpuMs(pid: number): { main: number; others: number } | null {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return null;
  const ticksToMs = 1000 / CLOCK_TICKS_PER_SECOND;
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(tasks)) {
    let stat: string;
    try {
      stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * ticksToMs;
    if (tid === String(pid)) main += ms;
    else others += ms;
  }
  return { main, others };
}

/** USER_HZ: Linux reports thread times in these ticks (100 on every mainstream configuration). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU microseconds per request between two `threadCpuMs` readings (null when either is missing). */
export function cpuUsPerRequest(
  before: { main: number; others: number } | null,
  after: { main: number; others: number } | null,
  requests: number,
): { main: number; others: number } | null {
  if (!before || !after || requests <= 0) return null;
  return {
    main: round(((after.main - before.main) * 1000) / requests, 1),
    others: round(((after.others - before.others) * 1000) / requests, 1),
  };
}

export function cpuProfArgs(): string[] {
  const dir = process.env.BENCH_SERVER_CPU_PROF;
  if (!dir) return [];
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  log(`servers run with --cpu-prof into ${abs}`);
  return ['--cpu-prof', `--cpu-prof-dir=${abs}`];
}

export function machine() {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', node: process.version };
}

/**
 * Appends a section to docs/benchmarks.md (creating it with `header` when
 * missing) and formats the file with the project's prettier settings, so
 * `prettier --check .` keeps passing.
 */
export async function appendBenchmarkDoc(header: string, section: string): Promise<string> {
  const file = join(repoRoot, 'docs', 'benchmarks.md');
  // BENCH_DOC=off: a smoke run (test/bench.smoke.test.ts) checks that a scenario still works; its tiny
  // figures are not results.
  if (process.env.BENCH_DOC === 'off') {
    log('BENCH_DOC=off: docs/benchmarks.md left as it is');
    return file;
  }
  const before = existsSync(file) ? readFileSync(file, 'utf8') : header;
  let text = `${before.trimEnd()}\n\n${section.trim()}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...options, filepath: file });
  } catch (error) {
    log(`prettier unavailable, docs/benchmarks.md left unformatted: ${String(error)}`);
  }
  writeFileSync(file, text);
  return file;
}

/** A markdown table (prettier re-aligns it). */
export function markdownTable(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface PhaseMetrics {
  commits: number;
  avgCommitBatch: number | null;
  avgCommitMs: number | null;
  serverCpuPct: number | null;
}

export function phaseMetrics(
  before: Map<string, number>,
  after: Map<string, number>,
  durationSec: number,
): PhaseMetrics {
  const delta = (name: string) => (after.get(name) ?? NaN) - (before.get(name) ?? NaN);
  const commits = delta('gavel_commit_batch_size_count');
  const commands = delta('gavel_commit_batch_size_sum');
  const commitSeconds = delta('gavel_commit_duration_seconds_sum');
  const cpuSeconds = delta('gavel_process_cpu_seconds_total');
  const finite = (n: number, digits: number) => (Number.isFinite(n) ? round(n, digits) : null);
  return {
    commits: Number.isFinite(commits) ? commits : 0,
    avgCommitBatch: commits > 0 ? finite(commands / commits, 1) : null,
    avgCommitMs: commits > 0 ? finite((commitSeconds / commits) * 1000, 3) : null,
    serverCpuPct: finite((cpuSeconds / durationSec) * 100, 0),
  };
}

/** Everything that is not an expected status, plus transport errors and timeouts. */
export function failuresOf(load: LoadResult, expected: string[]): Record<string, number> {
  const failures: Record<string, number> = {};
  for (const [code, n] of Object.entries(load.statusCodes)) if (!expected.includes(code) && n > 0) failures[code] = n;
  // autocannon counts a timeout as an error too; report the remainder as plain errors.
  if (load.errors - load.timeouts > 0) failures.errors = load.errors - load.timeouts;
  if (load.timeouts > 0) failures.timeouts = load.timeouts;
  if (load.mismatches > 0) failures.mismatches = load.mismatches;
  return failures;
}

export function numberFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be in [${min}, ${max}]`);
  return value;
}

export function perSec(count: number, seconds: number): number {
  return seconds > 0 ? Math.round(count / seconds) : 0;
}

export function ratio(a: number, b: number): number | null {
  return b > 0 ? round(a / b, 2) : null;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * One plain auction for the benchmarks that bulk-load a store (many-auctions, ten-million): lot `i` of
 * `count`, starting at 1, hard close, ending at `endDate`, created at `createdAt`.
 */
export function benchLot(
  scenario: string,
  i: number,
  count: number,
  sellerId: string,
  endDate: number,
  createdAt: number,
): Auction {
  const made = newAuction(
    {
      id: newId(),
      sellerId,
      item: { name: `Lot ${i + 1}`, description: `${scenario} benchmark, lot ${i + 1} of ${count}`, imageUrl: null },
      currency: 'USD',
      startingPrice: 1,
      minIncrement: 1,
      reservePrice: null,
      buyNowPrice: null,
      startDate: null,
      endDate,
      maxEndDate: null,
      softClose: null,
    },
    createdAt,
  );
  if (!made.ok) throw new Error(`newAuction: ${made.message}`);
  return made.auction;
}
