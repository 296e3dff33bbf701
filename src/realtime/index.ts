/** Live delivery on one node: SSE transport, resume from stored history, watch lists, merging under load. */
export { StreamHub, type StreamHubOptions } from './stream-hub.ts';
export { WatchListStream, type WatchListStreamOptions, watchListFrame } from './watch-list-stream.ts';
export { FanoutPool, type FanoutPoolOptions } from './fanout/fanout-pool.ts';
export * from './live-room/live-rooms.ts';
export { RoomPresence } from './live-room/room-presence.ts';
export type { StreamSink } from './stream-watcher.ts';
