import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { publicTag } from './public-user.ts';

test('publicTag: 6 upper-case Crockford base32 characters, the same for the same id', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 128 }), (id) => {
      const tag = publicTag(id);
      assert.match(tag, /^[0-9A-HJKMNP-TV-Z]{6}$/);
      assert.equal(publicTag(id), tag);
    }),
  );
});

test('publicTag: the first 30 bits of SHA-256(id), most significant first', () => {
  for (const id of ['01a23a55-7658-7000-b76a-1581b624dac3', 'alice', '']) {
    const top30 = createHash('sha256').update(id).digest().readUInt32BE(0) >>> 2;
    const expected = top30.toString(32).padStart(6, '0').toUpperCase();
    // toString(32) uses 0-9A-V; map it onto Crockford's alphabet (which skips I, L, O, U).
    const crockford = [...expected].map((c) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(c, 32)]).join('');
    assert.equal(publicTag(id), crockford, id);
  }
});

test('publicTag: different ids rarely share a tag (30 bits)', () => {
  const tags = new Set<string>();
  for (let i = 0; i < 20_000; i++) tags.add(publicTag(`user-${i}`));
  assert.ok(tags.size >= 19_990, `${20_000 - tags.size} collisions in 20,000 ids`);
});
