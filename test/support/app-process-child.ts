/**
 * The child side of app-process.ts: one listening test app, answering the parent's questions over IPC.
 * Run with --expose-gc, so that memory figures are taken after forced collections rather than whenever
 * the collector last happened to run.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WebSocketServer } from 'ws';
import { baseUrl, startTestApp } from './harness.ts';

/** What the parent may set (JSON only: the options cross a process boundary). */
export interface AppProcessOptions {
  limits?: { enabled?: boolean };
  liveRooms?: { presenceHeartbeatMs?: number; presenceTtlMs?: number; sessionCheckMs?: number };
  streamStallTimeoutMs?: number;
}

export interface ServerMemory {
  rss: number;
  /** VmRSS of /proc/<pid>/status, read by the parent (the same quantity as `rss`, from the kernel). */
  vmRssBytes: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Whether the figures follow forced collections. */
  gc: boolean;
}

export interface ServerSockets {
  /** Open WebSockets on the server. */
  open: number;
  /** Live-room members on this node. */
  members: number;
  /** Each open socket's bytes accepted by `send` but not yet written to the kernel, largest first. */
  bufferedAmounts: number[];
}

export type AppProcessRequest = { id: number } & ({ kind: 'memory' } | { kind: 'sockets' } | { kind: 'stop' });

export type AppProcessReply =
  | { kind: 'ready'; url: string }
  | { kind: 'memory'; id: number; memory: Omit<ServerMemory, 'vmRssBytes'> }
  | { kind: 'sockets'; id: number; sockets: ServerSockets }
  | { kind: 'stopped'; id: number };

const options = JSON.parse(process.env.GAVEL_APP_PROCESS_OPTIONS ?? '{}') as AppProcessOptions;
const t = await startTestApp({ ...options, listen: true });
const send = (reply: AppProcessReply) => process.send!(reply);
const collect = (globalThis as { gc?: () => void }).gc;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await t.dispose();
};

process.on('message', (raw) => {
  const request = raw as AppProcessRequest;
  void (async () => {
    switch (request.kind) {
      case 'memory': {
        if (collect) {
          // Twice, a turn apart: what the first collection frees may only become collectable after it.
          collect();
          await nextTurn();
          collect();
        }
        const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
        return send({
          kind: 'memory',
          id: request.id,
          memory: { rss, heapUsed, external, arrayBuffers, gc: !!collect },
        });
      }
      case 'sockets': {
        const wss = (t.app as unknown as { websocketServer: WebSocketServer }).websocketServer;
        const bufferedAmounts = [...wss.clients].map((s) => s.bufferedAmount).sort((a, b) => b - a);
        return send({
          kind: 'sockets',
          id: request.id,
          sockets: { open: wss.clients.size, members: t.rooms.memberCount, bufferedAmounts },
        });
      }
      case 'stop':
        await stop();
        send({ kind: 'stopped', id: request.id });
        return process.exit(0);
    }
  })();
});
// The parent went away without asking: do not leave a server (and its database) behind.
process.on('disconnect', () => void stop().finally(() => process.exit(0)));

send({ kind: 'ready', url: baseUrl(t.app) });
