/**
 * Paced (open-loop) bid load, in its own process: `spec.overallRate` bids per second at evenly spaced
 * instants, over a keep-alive `node:http` agent of `spec.connections` sockets. Each latency is measured
 * from the instant the bid was due, not from when a socket was free, so queueing anywhere counts (no
 * coordinated omission).
 *
 * Why not autocannon's `overallRate`: it gives each connection a budget per second and spends it at once,
 * so with 256 connections the server gets the whole second's bids in a burst at the start of each second
 * and idles for the rest; latencies "at half the peak" then measure that burst (p50 35 ms, p99 147 ms
 * measured), not a server at half load.
 *
 * Input: BENCH_LOAD (a LoadSpec with `body: 'bid'` and `overallRate`). Output: one LoadResult JSON line.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './load-worker.ts';

const MAX_AMOUNT = 1_000_000_000_000;

async function main(): Promise<void> {
  const raw = process.env.BENCH_LOAD;
  if (!raw) throw new Error('BENCH_LOAD (JSON load spec) is not set');
  const spec = JSON.parse(raw) as LoadSpec;
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
    throw new Error(`refusing to load a non-loopback host: ${url.hostname}`);
  if (!spec.overallRate || spec.overallRate <= 0) throw new Error('overallRate must be set');
  if (spec.body !== 'bid') throw new Error('the paced load sends bids');
  if (!(spec.durationSec > 0 && spec.durationSec <= 60)) throw new Error('durationSec must be in (0, 60]');

  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const intervalMs = 1000 / spec.overallRate;
  const total = Math.floor(spec.overallRate * spec.durationSec);
  const histogram = new Map<number, number>();
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let completed = 0;
  let sent = 0;
  let counter = 0;
  let firstAmount: number | null = null;
  let lastAmount: number | null = null;
  const latencies: number[] = [];
  const t0 = performance.now();

  const nextAmount = (): number => {
    counter += 1;
    const amount = spec.base + Math.floor(performance.now() - t0) * 1000 + counter;
    if (amount > MAX_AMOUNT) throw new Error('amount out of range; lower the base');
    firstAmount ??= amount;
    lastAmount = amount;
    return amount;
  };

  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 50;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const send = (dueAt: number) => {
    const token = spec.tokens[sent % spec.tokens.length]!;
    sent++;
    const body = `{"amount":${nextAmount()}}`;
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: spec.path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - dueAt;
          latencies.push(ms);
          const rounded = Math.round(ms);
          histogram.set(rounded, (histogram.get(rounded) ?? 0) + 1);
          statusCodes[String(res.statusCode)] = (statusCodes[String(res.statusCode)] ?? 0) + 1;
          completed++;
          if (completed + errors === total) done();
        });
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      errors++;
      if (completed + errors === total) done();
    });
    request.end(body);
  };

  let due = 0;
  const tick = () => {
    const now = performance.now();
    while (due < total && start + due * intervalMs <= now) send(start + due++ * intervalMs);
    if (due < total) setTimeout(tick, Math.max(0, start + due * intervalMs - performance.now()));
  };
  setTimeout(tick, 50);
  await finished;
  const durationSec = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 100) / 100;
  const out: LoadResult = {
    durationSec,
    statusCodes,
    errors,
    timeouts: 0,
    resets: 0,
    mismatches: 0,
    sent,
    completed,
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      avg: Math.round((latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)) * 100) / 100,
      max: Math.round((latencies.at(-1) ?? 0) * 100) / 100,
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
