import { createHash, randomBytes } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
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

// `Authorization: Bearer <token>`: the scheme is case-insensitive (RFC 9110) and surrounding or repeated
// spaces are ignored, so every spelling of one token is the same credential. The token itself is exact.
const BEARER_SCHEME = /^\s*bearer(?:\s|$)/i;
const BEARER = /^\s*bearer\s+([A-Za-z0-9_-]{20,128})\s*$/i;
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

/** Methods that change state: when a cookie authenticates them, they must come from our own origin. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Where a request's session comes from. `token` is null for a bearer header that is not in the right form
 * (no credential at all, but it still hides the cookie: the header is what the client chose to send).
 */
type Credential = { kind: 'bearer' | 'cookie'; token: string | null };

export interface AuthenticatorOptions {
  /**
   * How long a session found in the store is trusted without asking the store again, ms. Default 4,000.
   * This is how a log-out on one node reaches the others: their cached copy expires within this time
   * (the contract allows 5 s). The node that ends a session forgets it at once.
   */
  cacheTtlMs?: number;
  /** Sessions kept in memory. Default 50,000. */
  cacheSize?: number;
  /**
   * Origins besides the server's own whose pages may use the session cookie for changes and live-room
   * sockets (`GAVEL_ALLOWED_ORIGINS`, e.g. `https://shop.example`). Default none.
   */
  allowedOrigins?: readonly string[];
}

interface CachedSession {
  userId: string;
  expiresAt: number;
  /** Clock reading after which the store must be asked again. */
  checkAfter: number;
}

/**
 * Resolves a request's session to a user id. Two credentials: an
 * `Authorization: Bearer` token (API clients) or the `gavel_session` cookie
 * (the browser UI). A request whose Authorization header uses the Bearer
 * scheme is judged by that header alone, valid or not; only without one does
 * the cookie count (another scheme, such as a proxy's Basic auth, is ignored).
 *
 * Sessions are stored (they survive restarts). A small cache keyed on the
 * token (never on the header's spelling) keeps the hot bid path from reading
 * the sessions table on every request; each entry is trusted for a few
 * seconds only, so a session ended on another node stops working here soon
 * after, and expiry is honoured on every hit.
 */
export class Authenticator {
  private readonly cache: LruCache<string, CachedSession>;
  private readonly cacheTtlMs: number;
  private readonly resolved = new WeakMap<FastifyRequest, { userId: string; credential: Credential }>();
  /**
   * Bumped by every revocation on this node. A store lookup that started before a revocation must not put
   * its (possibly revoked) answer into the cache afterwards: it compares the generation it started with.
   */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    options: AuthenticatorOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? 50_000);
    this.cacheTtlMs = options.cacheTtlMs ?? 4_000;
    this.allowedOrigins = new Set((options.allowedOrigins ?? []).map(originOf).filter((o) => o !== null));
  }

  private readonly allowedOrigins: ReadonlySet<string>;

  /**
   * The session of a WebSocket upgrade, with its token (the live room checks it again while the socket
   * lives, so a session ended meanwhile turns the socket anonymous). An upgrade is a GET, but a socket can
   * bid and chat: one that the session cookie authenticates must come from our own origin or an allowed
   * one (`CROSS_SITE_REQUEST`, 403), since any site can open a WebSocket to us and the browser attaches the
   * cookie. Null: anonymous.
   */
  async upgradeSession(request: FastifyRequest): Promise<{ userId: string; token: string } | null> {
    const credential = credentialOf(request);
    if (credential === null || credential.token === null) return null;
    if (credential.kind === 'cookie' && this.isCrossSite(request))
      throw new AppError(
        'CROSS_SITE_REQUEST',
        'A live-room socket signed in by the session cookie must come from this site',
      );
    const userId = await this.userIdForToken(credential.token);
    return userId === null ? null : { userId, token: credential.token };
  }

  private isCrossSite(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (origin !== undefined && this.allowedOrigins.has(originOf(origin) ?? '')) return false;
    return isCrossSite(request);
  }

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

  /** Log-out: ends the session that authenticated this request (bearer token or cookie), on every spelling. */
  async revoke(request: FastifyRequest): Promise<void> {
    const { credential } = await this.requireSession(request);
    const token = credential.token!;
    this.generation++;
    this.cache.delete(token);
    await this.store.deleteSession(hashToken(token));
    // A lookup that raced with the delete above may have cached it again meanwhile.
    this.cache.delete(token);
  }

  /** "Log out everywhere": ends every session of the user of this request. */
  async revokeAll(request: FastifyRequest): Promise<void> {
    const { userId } = await this.requireSession(request);
    await this.revokeAllOf(userId);
  }

  /** Ends every session of a user (log out everywhere, password reset). */
  async revokeAllOf(userId: string): Promise<void> {
    this.generation++;
    this.cache.deleteWhere((entry) => entry.userId === userId);
    await this.store.deleteSessionsOfUser(userId);
    this.cache.deleteWhere((entry) => entry.userId === userId);
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
    if (credential.kind === 'cookie' && UNSAFE_METHODS.has(request.method) && this.isCrossSite(request)) {
      // CSRF: a browser attaches the cookie to requests that other sites make it send. SameSite=Strict
      // already withholds it from cross-site requests; this also covers same-site (sibling subdomain)
      // origins and browsers without SameSite. Bearer requests cannot be forged this way.
      throw new AppError('CROSS_SITE_REQUEST', 'A change authenticated by the session cookie must come from this site');
    }
    const userId = await this.userIdForToken(credential.token);
    if (userId === null) return null;
    const resolved = { userId, credential };
    this.resolved.set(request, resolved);
    return resolved;
  }

  /**
   * The user of a token, or null. A cache hit (every request after the first, for a few seconds) skips
   * the SHA-256 and the store. Raw tokens live only in this process's memory; the store sees their hash.
   */
  async userIdForToken(token: string | null): Promise<string | null> {
    if (token === null) return null;
    const now = this.clock.now();
    const cached = this.cache.get(token);
    if (cached && cached.checkAfter > now) {
      if (cached.expiresAt > now) return cached.userId;
      this.cache.delete(token);
      return null;
    }
    const generation = this.generation;
    const session = await this.store.findSession(hashToken(token), now);
    if (!session) {
      this.cache.delete(token);
      return null;
    }
    if (generation === this.generation)
      this.cache.set(token, {
        userId: session.userId,
        expiresAt: session.expiresAt,
        checkAfter: now + this.cacheTtlMs,
      });
    return session.userId;
  }
}

function credentialOf(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && BEARER_SCHEME.test(header))
    return { kind: 'bearer', token: BEARER.exec(header)?.[1] ?? null };
  return cookieCredential(request.headers.cookie, parseCookie);
}

/**
 * The session cookie's token, parsed only here and only when there is no bearer header: bearer clients
 * (every bid of an API client) never pay for cookie parsing. A malformed value is no credential.
 */
export function cookieCredential(
  cookies: string | undefined,
  parse: (text: string) => Record<string, string | undefined>,
): Credential | null {
  if (typeof cookies !== 'string' || !cookies.includes(SESSION_COOKIE)) return null;
  const token = parse(cookies)[SESSION_COOKIE];
  if (token === undefined || !TOKEN.test(token)) return null;
  return { kind: 'cookie', token };
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

/** An origin in canonical form (`https://shop.example`, default port dropped), or null when it is not one. */
function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
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
  reply.header(
    'set-cookie',
    stringifySetCookie(SESSION_COOKIE, token, {
      ...cookieAttributes(reply.request),
      maxAge: Math.max(1, Math.ceil(lifetimeMs / 1000)),
    }),
  );
}

/** Tells the browser to drop the session cookie (log-out): expired, with the attributes it was set with. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.header(
    'set-cookie',
    stringifySetCookie(SESSION_COOKIE, '', { ...cookieAttributes(reply.request), maxAge: 0, expires: new Date(0) }),
  );
}

function cookieAttributes(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' } as const;
}
