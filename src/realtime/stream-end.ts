/**
 * How a stream ends, and what its client is told. At shutdown a client must neither take the end for an
 * error nor for the last word, but reconnect (to another node behind the load balancer, or to this one
 * once it is back) and resume from what it last saw:
 * - an SSE stream gets a fresh `retry:` hint, then its response ends cleanly: EventSource reconnects after
 *   that long with `Last-Event-ID`. The hint is spread over 1–3 s so that a node's clients do not all land
 *   on the other nodes in the same second;
 * - a live-room socket is closed with 1012 (service restart, in the IANA WebSocket close code registry):
 *   the client reconnects with `?lastVersion=`.
 * Any other end (`ended`: the auction is gone, a catch-up failed) closes a room socket with 1001 and ends
 * an SSE response without a new hint; clients reconnect then too.
 */
export type StreamEnd = 'ended' | 'shutdown';

/** The WebSocket close of a live-room socket whose node shuts down. */
export const SERVICE_RESTART_CLOSE = { code: 1012, reason: 'service restart' } as const;

/** The SSE `retry:` field written before a stream ends at shutdown: reconnect in 1,000–2,999 ms. */
export function shutdownRetryField(random: () => number = Math.random): string {
  return `retry: ${1000 + Math.floor(random() * 2000)}\n\n`;
}
