/**
 * What a client may spend: the contract's "Limits and abuse" defaults. Every
 * number is configurable (src/config.ts); `enabled: false`
 * (`GAVEL_RATE_LIMITS=off`) turns off the rate limits, the stream caps and
 * the per-address connection cap, for load tests and benchmarks only. The
 * slow-client timeouts and the live room's chat limit stay on either way.
 */
export interface LimitSettings {
  /** `GAVEL_RATE_LIMITS`: on (default) or off. */
  enabled: boolean;
  /** Failed log-ins per username (existing or not) per `loginWindowMs`. Default 10. */
  loginFailuresPerUsername: number;
  /** Failed log-ins per client address per `loginWindowMs`. Default 50. */
  loginFailuresPerAddress: number;
  /** Default 15 minutes. */
  loginWindowMs: number;
  /** Sign-ups per client address per hour. Default 20. */
  signupsPerAddressPerHour: number;
  /** Bids per user per second (HTTP and, later, the live room). Default 20. */
  bidsPerUserPerSecond: number;
  /** Auctions created per user per hour. Default 200. */
  auctionsPerUserPerHour: number;
  /** Open event streams (SSE and WebSocket) per client address. Default 50. */
  streamsPerAddress: number;
  /** Open event streams per signed-in user. Default 20. */
  streamsPerUser: number;
  /**
   * Open TCP connections per peer address. Default 256. Not in the contract's list: it is what keeps one
   * client from exhausting the process's file descriptors (a trusted proxy's own address is exempt).
   */
  connectionsPerAddress: number;
  /** Image uploads per user per 24 hours. Default 50. */
  uploadsPerUserPerDay: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  enabled: true,
  loginFailuresPerUsername: 10,
  loginFailuresPerAddress: 50,
  loginWindowMs: 15 * 60_000,
  signupsPerAddressPerHour: 20,
  bidsPerUserPerSecond: 20,
  auctionsPerUserPerHour: 200,
  streamsPerAddress: 50,
  streamsPerUser: 20,
  connectionsPerAddress: 256,
  uploadsPerUserPerDay: 50,
};

/** Slow clients are cut whatever the rate at which they drip (contract: 10 s for headers, 30 s for a body). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const BODY_TIMEOUT_MS = 30_000;
