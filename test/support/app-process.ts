import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  AppProcessOptions,
  AppProcessReply,
  AppProcessRequest,
  ServerMemory,
  ServerSockets,
} from './app-process-child.ts';

export type { AppProcessOptions, ServerMemory, ServerSockets };

const childFile = fileURLToPath(new URL('./app-process-child.ts', import.meta.url));

/** A test app (startTestApp, listening) in a process of its own, asked over IPC what it holds. */
export interface AppProcess {
  url: string;
  pid: number;
  /** The server's memory after two forced collections (the child runs with --expose-gc). */
  memory(): Promise<ServerMemory>;
  /** The server's open WebSockets and what each has not yet sent. */
  sockets(): Promise<ServerSockets>;
  /** CPU time the process has used so far (user + system), seconds, from /proc/<pid>/stat. */
  cpuSeconds(): number;
  /** Disposes of the app (and its storage) and waits for the process to exit. */
  stop(): Promise<void>;
  output(): string;
}

/**
 * Runs `startTestApp({ ...options, listen: true })` (GAVEL_TEST_STORE chooses the store, as in this
 * process) in a child process, so that a test with many client sockets can measure the server's memory
 * alone: the clients' sockets, parsers and recorded messages stay in the test's process.
 */
export async function startAppProcess(options: AppProcessOptions = {}, readyTimeoutMs = 30_000): Promise<AppProcess> {
  const env = { ...process.env };
  // The child is not a test file: nothing in it should talk to the test runner.
  delete env.NODE_TEST_CONTEXT;
  // APP_PROCESS_CPU_PROF=<dir>: the server writes a CPU profile per thread there (to see where a room's
  // delivery spends its time).
  const profile = process.env.APP_PROCESS_CPU_PROF;
  const profiling = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const child: ChildProcess = spawn(process.execPath, [...profiling, '--expose-gc', '--import', 'tsx', childFile], {
    env: { ...env, GAVEL_APP_PROCESS_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let nextId = 0;
  const pending = new Map<number, (reply: AppProcessReply) => void>();
  let ready: (url: string) => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<string>((resolve, reject) => {
    ready = resolve;
    timer = setTimeout(() => reject(new Error(`app process not ready in time:\n${output}`)), readyTimeoutMs);
    child.once('exit', (code) => reject(new Error(`app process exited early (${code}):\n${output}`)));
  });
  child.on('message', (raw) => {
    const reply = raw as AppProcessReply;
    if (reply.kind === 'ready') return ready(reply.url);
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const ask = (request: Omit<AppProcessRequest, 'id'>): Promise<AppProcessReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error(`app process gone:\n${output}`));
      const id = ++nextId;
      pending.set(id, resolve);
      child.send({ ...request, id } as AppProcessRequest);
    });

  let url: string;
  try {
    url = await started;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    pid: child.pid!,
    async memory() {
      const reply = await ask({ kind: 'memory' });
      if (reply.kind !== 'memory') throw new Error(`unexpected reply ${reply.kind}`);
      // Read by this process too, from the kernel: the figure a process monitor would show.
      const vmRss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return { ...reply.memory, vmRssBytes: vmRss ? Number(vmRss[1]) * 1024 : reply.memory.rss };
    },
    async sockets() {
      const reply = await ask({ kind: 'sockets' });
      if (reply.kind !== 'sockets') throw new Error(`unexpected reply ${reply.kind}`);
      return reply.sockets;
    },
    cpuSeconds() {
      // Fields 14 and 15 (utime, stime), in clock ticks (100 a second on Linux), after the parenthesised name.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      if (child.exitCode === null && child.connected) {
        await ask({ kind: 'stop' }).catch(() => {});
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
    output: () => output,
  };
}
