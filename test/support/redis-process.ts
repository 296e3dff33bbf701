import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';
import { freePort } from './child-server.ts';

/**
 * A test's own `redis-server` process, so that a fault test can SIGKILL Redis and bring it back without
 * touching the machine's shared Redis (6379), which other tests and other people use.
 */
export interface RedisProcess {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** SIGKILL: every client connection drops at once, as when the Redis host dies. Resolves once it exited. */
  kill(): Promise<void>;
  /**
   * Starts a fresh `redis-server` on the same port (empty: nothing was saved) and resolves once it answers
   * PING. `lastRefusedAt` is the last `performance.now()` at which a probe could not connect, a lower
   * bound of the instant it began accepting connections; `acceptingAt` the first at which one could.
   */
  restart(): Promise<{ spawnedAt: number; lastRefusedAt: number; acceptingAt: number }>;
  /** Kills it (if running) for good. */
  stop(): Promise<void>;
  output(): string;
}

/** Sends PING on a fresh connection: true on `+PONG` within a second. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A redis-server on a free port: no persistence (`--save ""`, no AOF), loopback only. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  if (port === 6379) throw new Error('refusing to run a test Redis on the shared port 6379');
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const launch = async () => {
    const spawnedAt = performance.now();
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.stdout!.on('data', (d) => (output += String(d)));
    proc.stderr!.on('data', (d) => (output += String(d)));
    proc.once('error', (error) => (output += `spawn failed: ${error.message}\n`));
    let lastRefusedAt = spawnedAt;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`redis-server on ${port} exited early:\n${output}`);
      const probeAt = performance.now();
      if (await pings(port)) return { spawnedAt, lastRefusedAt, acceptingAt: performance.now() };
      lastRefusedAt = probeAt;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server on ${port} did not answer PING in time:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGKILL');
    await exited;
  };
  // A safety net if the test process ends without its `after` hook (a crash): never leave a server behind.
  const onExit = () => {
    const proc = child as ChildProcess | null;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  process.once('exit', onExit);

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      return launch();
    },
    async stop() {
      await kill();
      process.removeListener('exit', onExit);
    },
    output: () => output,
  };
}
