import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { LruCache } from '../engine/index.ts';
import { AppError } from '../error-catalogue.ts';
import type { Store } from '../store/index.ts';

/** Session tokens: 32 random bytes; only their SHA-256 is stored, so a leaked database holds no usable token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The browser's session cookie: set at log-in, HttpOnly, so page scripts never hold the token. */
export const SESSION_COOKIE = 'gavel_session';

/** OpenAPI `security` of (auth) routes: either scheme will do (names as in app.ts's securitySchemes). */
export const SESSION_SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { sessionCookie: [] }];

// The scheme name is case-insensitive (RFC 9110); the token itself is not.
const BEARER_SCHEME = /^bearer\b/i;
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9_-]{20,128})$/;
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

// Cache keys: a bearer session is cached under the raw Authorization header, a cookie session under this
// prefix plus its token. NUL cannot occur in an HTTP header value, so no header can hit a cookie entry.
const COOKIE_KEY_PREFIX = '\0cookie:';

/** Methods that change state: when a cookie authenticates them, they must come from our own origin. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Where a request's session comes from. `cacheKey` keys the session cache. */
type Credential = { kind: 'bearer'; cacheKey: string } | { kind: 'cookie'; cacheKey: string; token: string };

/**
 * Resolves a request's session to a user id. Two credentials: an
 * `Authorization: Bearer` token (API clients) or the `gavel_session` cookie
 * (the browser UI). A request whose Authorization header uses the Bearer
 * scheme is judged by that header alone, valid or not; only without one does
 * the cookie count (another scheme, such as a proxy's Basic auth, is ignored).
 *
 * Sessions are stored (they survive restarts); a small cache keeps the hot
 * bid path from reading the sessions table on every request, and honours
 * expiry itself.
 */
export class Authenticator {
  private readonly cache = new LruCache<string, { userId: string; expiresAt: number }>(50_000);
  private readonly resolved = new WeakMap<FastifyRequest, { userId: string; credential: Credential }>();
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * The caller's user id, or null when there is no valid session. Throws
   * `CROSS_SITE_REQUEST` for a cookie-authenticated unsafe request from another site.
   */
  async userIdOf(request: FastifyRequest): Promise<string | null> {
    return (await this.resolve(request))?.userId ?? null;
  }

  /**
   * `onRequest` hook for (auth) routes: a request without a valid session is
   * answered 401 before its body is even parsed, so a bad body from an
   * anonymous caller is a 401, not a 400.
   */
  readonly required = async (request: FastifyRequest): Promise<void> => {
    await this.requireUserId(request);
  };

  async requireUserId(request: FastifyRequest): Promise<string> {
    return (await this.requireSession(request)).userId;
  }

  /** Log-out: revokes the credential that authenticated this request (bearer token or cookie). */
  async revoke(request: FastifyRequest): Promise<void> {
    const { credential } = await this.requireSession(request);
    const token = tokenOf(credential);
    if (token !== null) {
      await this.store.deleteSession(hashToken(token));
      // One token can be cached under several keys (a client may send it as a header and as the cookie):
      // drop the forms clients send, or the other one would keep working until it fell out of the cache.
      this.cache.delete(`Bearer ${token}`);
      this.cache.delete(COOKIE_KEY_PREFIX + token);
    }
    this.cache.delete(credential.cacheKey);
  }

  private async requireSession(request: FastifyRequest): Promise<{ userId: string; credential: Credential }> {
    const session = await this.resolve(request);
    if (session === null) throw new AppError('UNAUTHENTICATED');
    return session;
  }

  private async resolve(request: FastifyRequest): Promise<{ userId: string; credential: Credential } | null> {
    const known = this.resolved.get(request);
    if (known !== undefined) return known;
    const credential = credentialOf(request);
    if (credential === null) return null;
    if (credential.kind === 'cookie' && UNSAFE_METHODS.has(request.method) && isCrossSite(request)) {
      // CSRF: a browser attaches the cookie to requests that other sites make it send. SameSite=Strict
      // already withholds it from cross-site requests; this also covers same-site (sibling subdomain)
      // origins and browsers without SameSite. Bearer requests cannot be forged this way.
      throw new AppError('CROSS_SITE_REQUEST', 'A change authenticated by the session cookie must come from this site');
    }
    const now = this.clock.now();
    // A hit (every request after the first) skips the SHA-256 and the store.
    // Raw tokens live only in this process's memory; the store only ever sees their hash.
    const cached = this.cache.get(credential.cacheKey);
    let userId: string;
    if (cached) {
      if (cached.expiresAt <= now) {
        this.cache.delete(credential.cacheKey);
        return null;
      }
      userId = cached.userId;
    } else {
      const token = tokenOf(credential);
      if (token === null) return null;
      const session = await this.store.findSession(hashToken(token), now);
      if (!session) return null;
      this.cache.set(credential.cacheKey, { userId: session.userId, expiresAt: session.expiresAt });
      userId = session.userId;
    }
    const resolved = { userId, credential };
    this.resolved.set(request, resolved);
    return resolved;
  }
}

function credentialOf(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && BEARER_SCHEME.test(header)) return { kind: 'bearer', cacheKey: header };
  // Parsed only here, not by a hook on every request: bearer clients (every bid of an API client) never pay
  // for it. A malformed value is no credential, so it cannot fill the cache either.
  const cookies = request.headers.cookie;
  if (typeof cookies !== 'string' || !cookies.includes(SESSION_COOKIE)) return null;
  const token = request.server.parseCookie(cookies)[SESSION_COOKIE];
  if (token === undefined || !TOKEN.test(token)) return null;
  return { kind: 'cookie', cacheKey: COOKIE_KEY_PREFIX + token, token };
}

/** The token of a credential, or null when a bearer header is not in the right form. */
function tokenOf(credential: Credential): string | null {
  if (credential.kind === 'cookie') return credential.token;
  const match = BEARER.exec(credential.cacheKey);
  return match ? match[1]! : null;
}

/**
 * Whether a request was sent by a page of another origin: `Sec-Fetch-Site`
 * (sent by current browsers) other than `same-origin`, or an `Origin` whose
 * host is not the request's Host. `request.host` is the Host header (or
 * X-Forwarded-Host when fastify's trustProxy is on, which is then the host
 * the browser used).
 */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return true;
  const origin = request.headers.origin;
  return origin !== undefined && !sameHost(origin, request.host);
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (typeof host !== 'string' || host === '') return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Parsed with the origin's scheme so that default ports compare equal (`example.com` = `example.com:443`).
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) and anything unparseable: not ours.
    return false;
  }
}

/**
 * Sets the session cookie on a log-in answer. HttpOnly (scripts cannot read it),
 * SameSite=Strict (no other site can make the browser send it), Path=/, Max-Age =
 * the session lifetime, and Secure when the request came over https (a browser
 * drops a Secure cookie set over plain http, which would break local use).
 */
export function setSessionCookie(reply: FastifyReply, token: string, lifetimeMs: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    ...cookieAttributes(reply.request),
    maxAge: Math.max(1, Math.ceil(lifetimeMs / 1000)),
  });
}

/** Tells the browser to drop the session cookie (log-out). */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieAttributes(reply.request));
}

function cookieAttributes(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' } as const;
}
