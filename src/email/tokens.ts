import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A one-time link token (32 random bytes, base64url) and the SHA-256 that is stored in its place. */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new key for a user's unsubscribe links. */
export function newMailKey(): string {
  return randomBytes(24).toString('base64url');
}

function unsubscribeMac(mailKey: string, userId: string, kind: string): string {
  return createHmac('sha256', mailKey).update(`${userId}.${kind}`).digest('base64url').slice(0, 32);
}

/**
 * The token of a one-click unsubscribe link: the user, the kind, and an HMAC of both under the user's mail
 * key, so the link works without signing in and cannot be forged for another user or kind.
 */
export function unsubscribeToken(mailKey: string, userId: string, kind: string): string {
  return `${Buffer.from(userId).toString('base64url')}.${kind}.${unsubscribeMac(mailKey, userId, kind)}`;
}

/** The user and kind an unsubscribe token names (not yet checked: see `unsubscribeTokenValid`), or null. */
export function readUnsubscribeToken(token: string): { userId: string; kind: string; mac: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '' || p.length > 200)) return null;
  return { userId: Buffer.from(parts[0]!, 'base64url').toString('utf8'), kind: parts[1]!, mac: parts[2]! };
}

export function unsubscribeTokenValid(mailKey: string, token: { userId: string; kind: string; mac: string }): boolean {
  const expected = Buffer.from(unsubscribeMac(mailKey, token.userId, token.kind));
  const given = Buffer.from(token.mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
