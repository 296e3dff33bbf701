import { IDEMPOTENCY_KEY } from './schemas.ts';

/**
 * The `Idempotency-Key` rules, whatever carried the key: an HTTP header now,
 * a WebSocket bid frame's `idempotencyKey` later. A key is 1–64 printable
 * ASCII characters, and there is at most one.
 */

export type IdempotencyKeyCheck = { ok: true; key: string | null } | { ok: false; message: string };

/** Checks one key as sent (`undefined`: none was sent). */
export function checkIdempotencyKey(value: unknown): IdempotencyKeyCheck {
  if (value === undefined) return { ok: true, key: null };
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value))
    return { ok: false, message: 'must be 1–64 printable ASCII characters' };
  return { ok: true, key: value };
}

/**
 * The key of an HTTP request: `value` is the parsed header
 * (`request.headers['idempotency-key']`), `rawHeaders` the request's raw
 * `[name, value, …]` lines. Node joins repeated headers it does not know into
 * one value ("a, b"), which is itself a valid key: only the raw lines tell two
 * keys from one key containing a comma. Two keys are refused rather than one
 * picked, since the client could not know which one its retry would match.
 */
export function idempotencyKeyOfHeaders(rawHeaders: readonly string[], value: unknown): IdempotencyKeyCheck {
  let lines = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'idempotency-key') lines++;
  if (lines > 1) return { ok: false, message: 'must be sent at most once' };
  return checkIdempotencyKey(value);
}
