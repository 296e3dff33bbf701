import { GROUPED_CURSOR_TAG, isGrouped } from './catalogue-sql.ts';
import { type AuctionListQuery, InvalidCursorError, type Page } from './store.ts';

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

/**
 * One page of a keyset listing read with `limit + 1` rows: the first `limit` as items, and, when the extra
 * row shows there is more, the cursor after the last item (its key under `tag`).
 */
export function keysetPage<R, T>(
  rows: readonly R[],
  limit: number,
  tag: string,
  keyOf: (row: R) => number[],
  toItem: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { items: page.map(toItem), nextCursor: more && last !== undefined ? encodeCursor(tag, keyOf(last)) : null };
}

/** The tag and key length of a listing's cursor: [value, seq] per sort, [group, end, seq] when grouped. */
export function listingCursor(query: Pick<AuctionListQuery, 'status' | 'sort'>): { tag: string; length: number } {
  return isGrouped(query) ? { tag: GROUPED_CURSOR_TAG, length: 3 } : { tag: query.sort, length: 2 };
}
