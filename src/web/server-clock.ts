/**
 * The server's clock, as seen from the browser. The server decides every
 * deadline; the page only counts down to it, so it corrects its own clock by
 * the offset measured on each answer that carries `serverTime`, trusting the
 * measurement with the shortest round trip (its error is at most half of it).
 */
let offsetMs = 0;
let bestRoundTrip = Number.POSITIVE_INFINITY;
let measuredAt = 0;

export function observeServerTime(serverTime: string, sentAt: number, receivedAt: number): void {
  const server = Date.parse(serverTime);
  if (!Number.isFinite(server)) return;
  const roundTrip = receivedAt - sentAt;
  // A fresh measurement replaces an old one after a minute, in case either clock jumped.
  if (roundTrip <= bestRoundTrip || receivedAt - measuredAt > 60_000) {
    bestRoundTrip = roundTrip;
    measuredAt = receivedAt;
    offsetMs = server - (sentAt + receivedAt) / 2;
  }
}

/** Now on the server's clock, ms. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
