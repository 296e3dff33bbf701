/**
 * CatalogueIndex's own bookkeeping, which the store contract (small stores, few rewrites) does not reach:
 * attribute rewrites past the pool's compaction, older versions arriving late, seqs far apart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogueIndex, type CatalogueRow } from '../src/store/catalogue-index.ts';
import { NO_FILTERS } from '../src/store/index.ts';

const NOW = 1_000_000;

function row(seq: number, version: number, colour: string, size: number): CatalogueRow {
  return {
    seq,
    version,
    sellerId: `seller-${seq % 3}`,
    lifecycle: 'active',
    startDate: 0,
    endDate: NOW + seq,
    createdAt: seq,
    listPrice: 100 * seq,
    bidCount: 0,
    category: seq % 2 === 0 ? 'even' : 'odd',
    country: null,
    cityKey: null,
    currency: 'EUR',
    buyNow: false,
    sampleBucket: seq % 4096,
    attributes: [
      ['colour', colour.toLowerCase(), null, JSON.stringify(colour)],
      ['size', null, size, String(size)],
    ],
  };
}

const query = (attributes: { key: string; values: string[]; min: number | null; max: number | null }[]) => ({
  status: null,
  sellerId: null,
  filters: { ...NO_FILTERS, attributes },
  sort: 'ending_soon' as const,
  limit: 5_000,
  now: NOW,
  after: null,
});

test('attributes rewritten many times (past the pool compaction) answer as a fresh index of the last rows', () => {
  const rewritten = new CatalogueIndex();
  const last = new Map<number, CatalogueRow>();
  const colours = ['Red', 'red', 'Blue', 'Green'];
  for (let round = 1; round <= 60; round++)
    for (let seq = 1; seq <= 2_000; seq++) {
      const r = row(seq, round, colours[(seq * round) % 4]!, (seq * 7 + round) % 50);
      rewritten.apply(r);
      last.set(seq, r);
    }
  const fresh = new CatalogueIndex();
  for (const r of last.values()) fresh.apply(r);
  for (const filters of [
    [],
    [{ key: 'colour', values: ['RED'], min: null, max: null }],
    [{ key: 'size', values: [], min: 10, max: 20 }],
    [
      { key: 'colour', values: ['blue', 'green'], min: null, max: null },
      { key: 'size', values: ['7'], min: null, max: null },
    ],
  ]) {
    assert.deepEqual(rewritten.list(query(filters)).seqs, fresh.list(query(filters)).seqs);
    assert.deepEqual(rewritten.facets(query(filters)), fresh.facets(query(filters)));
  }
  const facets = rewritten.facets(query([]));
  assert.equal(facets.total, 2_000);
  // "Red" and "red" are one value, shown in its least spelling.
  assert.ok(facets.attributes.colour!.some((v) => v.value === 'Red'));
  assert.ok(!facets.attributes.colour!.some((v) => v.value === 'red'));
});

test('an older version arriving after a newer one changes nothing', () => {
  const index = new CatalogueIndex();
  index.apply(row(5, 3, 'Red', 1));
  index.apply(row(5, 2, 'Blue', 1));
  assert.deepEqual(index.list(query([{ key: 'colour', values: ['red'], min: null, max: null }])).seqs, [5]);
  assert.deepEqual(index.list(query([{ key: 'colour', values: ['blue'], min: null, max: null }])).seqs, []);
  assert.equal(index.size, 1);
});

test('seqs far apart and a page cursor: every auction once, in order', () => {
  const index = new CatalogueIndex();
  const seqs = [3, 70_000, 12, 250_000, 9];
  for (const s of seqs) index.apply(row(s, 1, 'Red', 1));
  const seen: number[] = [];
  let after: number[] | null = null;
  for (;;) {
    const page = index.list({ ...query([]), limit: 2, after });
    seen.push(...page.seqs);
    if (!page.more) break;
    after = page.last;
  }
  assert.deepEqual(
    seen,
    [...seqs].sort((a, b) => a - b),
  );
});
