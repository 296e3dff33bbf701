/**
 * Paced (open-loop) bid load, in its own process: `spec.overallRate` bids per second at evenly spaced
 * instants, over `spec.connections` keep-alive sockets (raw HTTP/1.1, one request at a time on each). Each latency is measured
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
import { type Socket, connect } from 'node:net';
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
  const generatorLags: number[] = [];
  const t0 = performance.now();

  const nextAmount = (): number => {
    counter += 1;
    const amount = spec.base + Math.floor(performance.now() - t0) * 1000 + counter;
    if (amount > MAX_AMOUNT) throw new Error('amount out of range; lower the base');
    firstAmount ??= amount;
    lastAmount = amount;
    return amount;
  };

  // Raw keep-alive sockets and a minimal HTTP/1.1 reader (status line, Content-Length): a node:http client
  // costs ~100 µs of CPU per request, enough at a few thousand bids/s to make the measuring side the
  // bottleneck on two shared cores.
  const host = `${url.hostname}:${url.port}`;
  const idle: Connection[] = [];
  const waiting: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const settle = () => {
    if (completed + errors === total) done();
  };

  class Connection {
    private readonly socket: Socket;
    private buffer: Buffer = Buffer.alloc(0);
    private dueAt = 0;
    private busy = false;
    constructor(readonly token: string) {
      this.socket = connect({ host: url.hostname, port: Number(url.port) });
      this.socket.setNoDelay(true);
      this.socket.on('connect', () => this.free());
      this.socket.on('data', (chunk: Buffer) => this.read(chunk));
      this.socket.on('error', () => {});
      this.socket.on('close', () => {
        if (this.busy) {
          errors++;
          this.busy = false;
          settle();
        }
      });
    }

    send(dueAt: number): void {
      this.busy = true;
      this.dueAt = dueAt;
      sent++;
      const body = `{"amount":${nextAmount()}}`;
      this.socket.write(
        `POST ${spec.path} HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${this.token}\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }

    private read(chunk: Buffer): void {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headEnd = this.buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = this.buffer.subarray(0, headEnd).toString('latin1');
        const match = /\r\ncontent-length: *(\d+)/i.exec(head);
        const length = match ? Number(match[1]) : 0;
        if (this.buffer.length < headEnd + 4 + length) return;
        this.buffer = this.buffer.subarray(headEnd + 4 + length);
        const status = head.slice(9, 12);
        const ms = performance.now() - this.dueAt;
        latencies.push(ms);
        const rounded = Math.round(ms);
        histogram.set(rounded, (histogram.get(rounded) ?? 0) + 1);
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        completed++;
        this.busy = false;
        settle();
        this.free();
      }
    }

    private free(): void {
      const due = waiting.shift();
      if (due !== undefined) this.send(due);
      else idle.push(this);
    }

    close(): void {
      this.socket.destroy();
    }
  }

  const connections = Array.from(
    { length: spec.connections },
    (_, i) => new Connection(spec.tokens[i % spec.tokens.length]!),
  );
  // Every socket connected before the first bid is due.
  while (idle.length < connections.length) await new Promise((resolve) => setTimeout(resolve, 10));

  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 20;
  let due = 0;
  const tick = () => {
    const now = performance.now();
    while (due < total && start + due * intervalMs <= now) {
      const dueAt = start + due++ * intervalMs;
      generatorLags.push(now - dueAt);
      const connection = idle.pop();
      // No free socket: the bid waits for one, its latency still counted from when it was due.
      if (connection) connection.send(dueAt);
      else waiting.push(dueAt);
    }
    if (due < total) setTimeout(tick, Math.max(0, start + due * intervalMs - performance.now()));
  };
  setTimeout(tick, 20);
  await finished;
  const durationSec = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const connection of connections) connection.close();

  latencies.sort((a, b) => a - b);
  generatorLags.sort((a, b) => a - b);
  const quantile = (sorted: number[], p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 100) / 100;
  const at = (p: number) => quantile(latencies, p);
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
    generatorLagMs: {
      p50: quantile(generatorLags, 0.5),
      p99: quantile(generatorLags, 0.99),
      max: quantile(generatorLags, 1),
    },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
