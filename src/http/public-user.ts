import { createHash } from 'node:crypto';
import type { UserRecord } from '../store/index.ts';

/** Crockford's base32 alphabet: no I, L, O or U, so a tag read aloud or retyped is not misread. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TAG_LENGTH = 6;

/**
 * A short public discriminator for a user: the first 6 Crockford base32
 * characters (30 bits) of SHA-256 of the user id. It tells apart two people
 * showing the same display name (someone and their impersonator) without
 * revealing the login username, which is half of a credential. Derived, not
 * stored: it is stable for as long as the id is, and the same on every node.
 */
export function publicTag(userId: string): string {
  const digest = createHash('sha256').update(userId, 'utf8').digest();
  let tag = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && tag.length < TAG_LENGTH) {
      bits -= 5;
      tag += CROCKFORD[(buffer >> bits) & 31];
    }
    if (tag.length === TAG_LENGTH) break;
    buffer &= (1 << bits) - 1;
  }
  return tag;
}

/** What anyone may see of a user: never the username (a login name), never anything about the password. */
export function publicUserView(record: UserRecord) {
  return {
    id: record.id,
    displayName: record.displayName,
    tag: publicTag(record.id),
    createdAt: new Date(record.createdAt).toISOString(),
  };
}
