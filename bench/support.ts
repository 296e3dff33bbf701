/**
 * Shared plumbing for the benchmarks: the server and the load generator run
 * as child processes, temp dirs are owned by the run, and everything is
 * cleaned up on exit, errors and signals (no orphans, no leftover files).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-worker.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const mainFile = join(repoRoot, 'src', 'main.ts');
const workerFile = join(repoRoot, 'bench', 'load-worker.ts');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Progress goes to stderr: stdout carries only the result line. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Kills every child still running and removes every temp dir. Safe to call more than once. */
export function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
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
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', workerFile], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_LOAD: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  // A hard bound: the worker stops itself after durationSec; this only catches a hang.
  const timer = setTimeout(() => child.kill('SIGKILL'), (spec.durationSec + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`load worker failed (exit ${code}):\n${stderr}${stdout}`);
  return JSON.parse(line) as LoadResult;
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
