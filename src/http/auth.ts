import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { LruCache } from '../engine/index.ts';
import { AppError } from '../error-catalogue.ts';
import type { Store } from '../store/index.ts';

/** Bearer tokens: 32 random bytes; only their SHA-256 is stored, so a leaked database holds no usable token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// The scheme name is case-insensitive (RFC 9110); the token itself is not.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9_-]{20,128})$/;

/**
 * Resolves the bearer token of a request to a user id. Sessions are stored
 * (they survive restarts); a small cache keeps the hot bid path from reading
 * the sessions table on every request, and honours expiry itself.
 */
export class Authenticator {
  private readonly cache = new LruCache<string, { userId: string; expiresAt: number }>(50_000);
  private readonly resolved = new WeakMap<FastifyRequest, string>();
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The caller's user id, or null when there is no valid token. */
  /** SHA-256 of the request's bearer token, or null when there is none in the right form. */
  tokenHashOf(request: FastifyRequest): string | null {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return null;
    const match = BEARER.exec(header);
    return match ? hashToken(match[1]!) : null;
  }

  async userIdOf(request: FastifyRequest): Promise<string | null> {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return null;
    const now = this.clock.now();
    // Keyed by the raw header: a hit (every request after the first) skips the SHA-256.
    // Raw tokens live only in this process's memory; the store only ever sees their hash.
    const cached = this.cache.get(header);
    if (cached) {
      if (cached.expiresAt > now) return cached.userId;
      this.cache.delete(header);
      return null;
    }
    const tokenHash = this.tokenHashOf(request);
    if (tokenHash === null) return null;
    const session = await this.store.findSession(tokenHash, now);
    if (!session) return null;
    this.cache.set(header, { userId: session.userId, expiresAt: session.expiresAt });
    return session.userId;
  }

  /**
   * `onRequest` hook for (auth) routes: a request without a valid token is
   * answered 401 before its body is even parsed, so a bad body from an
   * anonymous caller is a 401, not a 400.
   */
  readonly required = async (request: FastifyRequest): Promise<void> => {
    this.resolved.set(request, await this.requireUserId(request));
  };

  async requireUserId(request: FastifyRequest): Promise<string> {
    const known = this.resolved.get(request);
    if (known !== undefined) return known;
    const userId = await this.userIdOf(request);
    if (userId === null) throw new AppError('UNAUTHENTICATED');
    return userId;
  }

  /** Drops a revoked session from the cache (log-out). */
  forget(request: FastifyRequest): void {
    const header = request.headers.authorization;
    if (typeof header === 'string') this.cache.delete(header);
  }
}
