/** Live delivery on one node: SSE transport, resume from stored history, watch lists, merging under load. */
export { SseHub, type SseHubOptions } from './sse-hub.ts';
export { WatchListStream, type WatchListStreamOptions, watchListFrame } from './watch-list-stream.ts';
export { FanoutPool, type FanoutPoolOptions } from './fanout/fanout-pool.ts';
