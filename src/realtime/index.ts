/** Live delivery on one node: SSE transport, resume from stored history, merging under load. */
export { SseHub, type SseHubOptions } from './sse-hub.ts';
