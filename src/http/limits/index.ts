/** What a client may spend: rate limits, log-in throttling, stream and connection caps, slow-client timeouts. */
export { DEFAULT_LIMITS, type LimitSettings, HEADERS_TIMEOUT_MS, BODY_TIMEOUT_MS } from './limit-settings.ts';
export { type RateCounter, registerRateLimits, routeRateLimits, refuseWithRateLimit } from './rate-limits.ts';
export { LoginThrottle } from './login-throttle.ts';
export { StreamLimiter } from './stream-limiter.ts';
export { capConnectionsPerAddress, clientErrorHandler } from './connection-guard.ts';
export { trustedProxies } from './trusted-proxies.ts';
export { addressKey } from './client-address.ts';
export { BodyDeadlines, LONGEST_BODY_TIMEOUT_MS } from './body-deadline.ts';
