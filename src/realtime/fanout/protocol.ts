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

/** A stream a worker serves: an SSE response, or a live-room WebSocket. */
export type StreamKind = 'sse' | 'room';

/** The upgrade request of a live-room socket, for the worker to complete the WebSocket handshake. */
export interface UpgradeRequest {
  headers: Record<string, string | string[] | undefined>;
  url: string;
}

/** The first message of a live-room socket, and what the room's messages held meanwhile are checked against. */
export interface RoomStart {
  version: number;
  text: string;
  /** Chat ids the message lists: held chat among them is not sent again. */
  listed: string[];
  /** The participant count it gives: sent again once the socket is live if it has changed since. */
  participants: number;
}

/** Main process → worker. */
export type ToWorker =
  | { t: 'init'; settings: WorkerSettings }
  /**
   * Carries the socket; the worker answers the request it holds (`key`: the feed, e.g. `auction:<id>`, or
   * `room:<id>` for live-room sockets, whose upgrade it completes).
   */
  | { t: 'adopt'; stream: number; key: string; lastEventId: number | null; kind: StreamKind; upgrade?: UpgradeRequest }
  /**
   * A room message to every live-room socket of `key` here: held for those whose first message is not out
   * (chat listed in that message is then not sent again). With `participants`, a presence count: only for
   * sockets already started, the others compare it with their first message's.
   */
  | { t: 'room'; key: string; message: string; chatId?: string; participants?: number }
  /** A room message to one socket, after the events the worker had for it when the message came. */
  | { t: 'send'; stream: number; message: string }
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
  | { op: 'canResume'; after: number; firstVersion: number | null }
  /** A live-room socket resumes: the `resumed` message (a RoomStart whose version is unused). */
  | { op: 'resumed' };

/** Worker → main process. */
export type FromWorker =
  | { t: 'ready' }
  | ({ t: 'call'; call: number; key: string } & FeedCall)
  /** A stream ended (client gone, dropped, or ended): its slot is free. */
  | { t: 'closed'; stream: number }
  /** A live-room socket's client sent a message (null: a binary frame). */
  | { t: 'frame'; stream: number; text: string | null }
  /** A live-room socket's first message is out and it has caught up: its standing may be told. */
  | { t: 'started'; stream: number }
  | { t: 'ended' }
  | { t: 'log'; level: 'warn' | 'error'; message: string; key?: string };
