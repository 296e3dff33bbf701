import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIdempotencyKey, idempotencyKeyOfHeaders } from './idempotency-key.ts';

test('checkIdempotencyKey: 1–64 printable ASCII characters, or none at all', () => {
  assert.deepEqual(checkIdempotencyKey(undefined), { ok: true, key: null });
  for (const key of ['k', 'a, b', ' x ', '~'.repeat(64)]) assert.deepEqual(checkIdempotencyKey(key), { ok: true, key });
  for (const bad of ['', 'x'.repeat(65), 'é', 'a\tb', 'a\nb', 42, null, ['a']])
    assert.equal(checkIdempotencyKey(bad).ok, false, JSON.stringify(bad));
});

test('idempotencyKeyOfHeaders: one header line is one key (commas and all); two lines are refused, whatever their case', () => {
  assert.deepEqual(idempotencyKeyOfHeaders(['Host', 'x', 'Idempotency-Key', 'a, b'], 'a, b'), {
    ok: true,
    key: 'a, b',
  });
  assert.deepEqual(idempotencyKeyOfHeaders(['Host', 'x'], undefined), { ok: true, key: null });
  for (const names of [
    ['idempotency-key', 'idempotency-key'],
    ['Idempotency-Key', 'IDEMPOTENCY-KEY'],
  ]) {
    const check = idempotencyKeyOfHeaders([names[0]!, 'a', 'Host', 'x', names[1]!, 'a'], 'a, a');
    assert.equal(check.ok, false);
  }
  // A header *value* that looks like a name is not a header line.
  assert.equal(idempotencyKeyOfHeaders(['X-Note', 'idempotency-key', 'Idempotency-Key', 'k'], 'k').ok, true);
});
