import { InvalidCursorError } from './store.ts';

/**
 * Opaque keyset cursors: base64url of `[tag, ...key]`. The tag ties a cursor
 * to the listing (and sort) that issued it, so a cursor pasted into another
 * listing is refused instead of silently returning the wrong page.
 */
export function encodeCursor(tag: string, key: readonly number[]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

export function decodeCursor(tag: string, cursor: string, length: number): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== length + 1 || parsed[0] !== tag) throw new InvalidCursorError();
  const key = parsed.slice(1);
  if (!key.every((v) => Number.isSafeInteger(v))) throw new InvalidCursorError();
  return key as number[];
}
