/**
 * Messages between a node's main process and its fan-out workers (child processes that own a share of the
 * auction streams' sockets, fanout-pool.ts and fanout-worker.ts). JSON over the IPC channel; a socket
 * travels as the handle of an `adopt` message.
 */

/** One event of an auction stream: `version` is its SSE id. */
export interface FeedEvent {
  version: number;
  type: string;
  data: string;
}

/** The SSE text of one event. */
export const sseFrame = (event: FeedEvent): string =>
  `id: ${event.version}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

export interface WorkerSettings {
  /** Keep-alive comment interval, ms. */
  heartbeatMs: number;
  /** A stream whose socket stays full this long is dropped, ms. */
  stallTimeoutMs: number;
  /** Events asked of the store per page while a stream catches up. */
  historyPageSize: number;
}

/** Main process → worker. */
export type ToWorker =
  | { t: 'init'; settings: WorkerSettings }
  /** Carries the socket; the worker answers the request it holds (`key`: the feed, e.g. `auction:<id>`). */
  | { t: 'adopt'; stream: number; key: string; lastEventId: number | null }
  /** A live event of `key`, sent once per worker that has streams of it. */
  | { t: 'event'; key: string; event: FeedEvent }
  | { t: 'reply'; call: number; ok: true; value: unknown }
  | { t: 'reply'; call: number; ok: false; message: string }
  /** Shutdown: end every stream (clients reconnect elsewhere), then answer `ended`. */
  | { t: 'end-all' };

/** What a worker asks of the main process, which owns the store and the feeds. */
export type FeedCall =
  | { op: 'start' }
  | { op: 'history'; after: number; limit: number }
  | { op: 'canResume'; after: number; firstVersion: number | null };

/** Worker → main process. */
export type FromWorker =
  | { t: 'ready' }
  | ({ t: 'call'; call: number; key: string } & FeedCall)
  /** A stream ended (client gone, dropped, or ended): its slot is free. */
  | { t: 'closed'; stream: number }
  | { t: 'ended' }
  | { t: 'log'; level: 'warn' | 'error'; message: string; key?: string };
