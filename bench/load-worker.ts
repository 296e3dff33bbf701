/**
 * Load generator for the benchmarks. Runs in its own process (never in the
 * server's): in-process load generation steals the server's event loop and
 * gives meaningless numbers.
 *
 * Input: the environment variable BENCH_LOAD, a JSON `LoadSpec`.
 * Output: one JSON `LoadResult` line on stdout. Nothing else is written there.
 *
 * One bidder per connection: connection i sends every request with bidder
 * i's bearer token. Bid bodies are generated per request with strictly
 * growing amounts (base + elapsed ms × 1000 + counter), so most bids are
 * accepted and the rest are rejected as too low only because requests from
 * different connections reach the server in a slightly different order.
 *
 * With `pathsFile` (a JSON array of paths), each request goes to a path drawn
 * at random from it instead of `path` (bids spread over many auctions).
 * Every response's latency is also counted in `latencyHistogram` (1 ms
 * buckets), so that the runner can merge several workers' latencies into one
 * exact-to-the-millisecond p50 and p99.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadSpec {
  /** Base URL, e.g. http://127.0.0.1:1234 (loopback only). */
  url: string;
  method: 'GET' | 'POST';
  path: string;
  /** Bearer tokens; connection i uses tokens[i % tokens.length]. */
  tokens: string[];
  connections: number;
  durationSec: number;
  /**
   * `bid`: POST bodies `{ amount }` with strictly growing amounts starting above `base`. `json`: the same
   * body, `json`, in every request (creates: each request makes a new auction).
   */
  body: 'none' | 'bid' | 'json';
  /** The body of every request when `body` is `json`. */
  json?: string;
  base: number;
  /** A file holding a JSON array of paths: each request takes one at random (instead of `path`). */
  pathsFile?: string;
  /**
   * Epoch ms that amounts count time from, shared by workers started together (one per node), so that
   * their amounts grow on one clock and no worker's bids trail another's. Default: this worker's start.
   */
  clockOrigin?: number;
  /** Requests per second over all connections (autocannon's `overallRate`); default: as fast as answered. */
  overallRate?: number;
  /**
   * Send exactly this many requests and wait for every answer (autocannon's `amount`; `durationSec` then
   * only bounds the run). Without it the run stops at `durationSec` and drops the requests still in flight,
   * whose effect the server may or may not have stored: with it, every stored write has a counted answer.
   */
  amount?: number;
}

export interface LoadResult {
  durationSec: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  resets: number;
  mismatches: number;
  sent: number;
  completed: number;
  latencyMs: { p50: number; p90: number; p99: number; avg: number; max: number };
  firstAmount: number | null;
  lastAmount: number | null;
  cpuMs: number;
  /** `[ms, count]` pairs, ascending: responses by latency rounded to the millisecond. */
  latencyHistogram: [number, number][];
  /**
   * Paced load only: how late the generator's own timer noticed each bid was due (ms). It is part of every
   * latency above, and it is the measuring side's share, not the server's (its event loop shares the cores).
   */
  generatorLagMs?: { p50: number; p99: number; max: number };
}

const MAX_AMOUNT = 1_000_000_000_000;

async function main(): Promise<void> {
  const raw = process.env.BENCH_LOAD;
  if (!raw) throw new Error('BENCH_LOAD (JSON load spec) is not set');
  const spec = JSON.parse(raw) as LoadSpec;
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]')
    throw new Error(`refusing to load a non-loopback host: ${url.hostname}`);
  if (spec.tokens.length === 0) throw new Error('no tokens');
  if (!(spec.durationSec > 0 && spec.durationSec <= 60)) throw new Error('durationSec must be in (0, 60]');

  const t0 = performance.now();
  let counter = 0;
  let firstAmount: number | null = null;
  let lastAmount: number | null = null;
  const nextAmount = (): number => {
    counter += 1;
    const elapsedMs = spec.clockOrigin === undefined ? performance.now() - t0 : Date.now() - spec.clockOrigin;
    const amount = spec.base + Math.floor(elapsedMs) * 1000 + counter;
    if (amount > MAX_AMOUNT) throw new Error('amount out of range; lower the base');
    firstAmount ??= amount;
    lastAmount = amount;
    return amount;
  };

  const paths = spec.pathsFile ? (JSON.parse(readFileSync(spec.pathsFile, 'utf8')) as string[]) : null;
  if (paths !== null && paths.length === 0) throw new Error('pathsFile holds no paths');
  const randomPath = (): string => paths![Math.floor(Math.random() * paths!.length)]!;

  let nextConnection = 0;
  const histogram = new Map<number, number>();
  const cpuBefore = process.cpuUsage();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    duration: spec.durationSec,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    ...(spec.amount ? { amount: spec.amount } : {}),
    timeout: 10,
    setupClient(client) {
      const token = spec.tokens[nextConnection++ % spec.tokens.length]!;
      const request: AutocannonRequest = {
        method: spec.method,
        path: spec.path,
        headers:
          spec.body === 'none'
            ? { authorization: `Bearer ${token}` }
            : { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(spec.body === 'json' ? { body: spec.json ?? '{}' } : {}),
      };
      if (paths !== null || spec.body === 'bid')
        request.setupRequest = (req) => ({
          ...req,
          ...(paths === null ? {} : { path: randomPath() }),
          ...(spec.body === 'bid' ? { body: `{"amount":${nextAmount()}}` } : {}),
        });
      client.setRequests([request]);
    },
  });
  // With `amount`, autocannon notices the end only at its next 1 s sample: the run's duration is taken from
  // the start to the last answer instead.
  let lastResponseAt = t0;
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
    lastResponseAt = performance.now();
    const ms = Math.round(responseTimeMs);
    histogram.set(ms, (histogram.get(ms) ?? 0) + 1);
  });
  const result = await instance;
  const cpu = process.cpuUsage(cpuBefore);

  const statusCodes: Record<string, number> = {};
  let completed = 0;
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) {
    statusCodes[code] = count;
    completed += count;
  }
  const out: LoadResult = {
    durationSec: spec.amount ? Math.round(lastResponseAt - t0) / 1000 : result.duration,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    mismatches: result.mismatches,
    sent: result.requests.sent,
    completed,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      avg: result.latency.average,
      max: result.latency.max,
    },
    firstAmount,
    lastAmount,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    latencyHistogram: [...histogram].sort((a, b) => a[0] - b[0]),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
