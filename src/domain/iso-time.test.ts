import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoTime } from './auction-view.ts';

// The memo must never answer one instant with another's text: instants that share a slot (same low 8 bits),
// repeats, and arbitrary sequences all format exactly as Date does.
test('isoTime formats every instant exactly as Date#toISOString, whatever came before', () => {
  const near = fc.integer({ min: 0, max: 4 * 256 }).map((d) => 1_764_000_000_000 + d);
  const any = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
  fc.assert(
    fc.property(fc.array(fc.oneof(near, any), { minLength: 1, maxLength: 200 }), (instants) => {
      for (const ms of instants) assert.equal(isoTime(ms), new Date(ms).toISOString());
    }),
    { numRuns: 500 },
  );
});

test('isoTime: two instants in the same slot alternate without mixing up', () => {
  const a = 1_764_000_000_000;
  const b = a + 256; // same slot
  for (let i = 0; i < 3; i++) {
    assert.equal(isoTime(a), new Date(a).toISOString());
    assert.equal(isoTime(b), new Date(b).toISOString());
  }
});

test('isoTime rejects an invalid instant as Date does', () => {
  assert.throws(() => isoTime(Number.NaN), RangeError);
});
