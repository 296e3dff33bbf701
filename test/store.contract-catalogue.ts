/**
 * The Store contract for the catalogue: listAuctions' catalogue filters and sorts, and auctionFacets, on
 * every adapter, against a model written here from the port's documentation (store.ts), not from the
 * adapters' SQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Attributes, Auction, AttributeValue, Location } from '../src/domain/index.ts';
import {
  type AttributeFilter,
  type AuctionFacets,
  type AuctionSort,
  type CatalogueFilters,
  FACETS_EXACT_MAX,
  NO_FILTERS,
  type Page,
  type Store,
} from '../src/store/index.ts';
import { AuctionBook, type StoreUnderTest, insertScenarioUsers } from './store.contract.ts';
import { SELLER, T0, makeAuction, modelStatus } from './support/auction-scenarios.ts';

const HOUR = 3_600_000;

const CATEGORIES = ['vehicles', 'watches', 'art'];
const MAKES = ['Toyota', 'toyota', 'VW', 'Volvo', 'Fiat'];
const CITIES = ['Munich', 'munich', 'Berlin', 'Paris', 'Lyon'];

interface Spec {
  category: string | null;
  attributes: Attributes;
  location: Location | null;
  currency: 'USD' | 'EUR';
  startingPrice: number;
  buyNowPrice: number | null;
  reservePrice: number | null;
  startDelay: number;
  duration: number;
  bids: ('alice' | 'bob')[];
  fate: 'active' | 'closed' | 'cancelled';
}

const attributesArb: fc.Arbitrary<Attributes> = fc
  .record(
    {
      make: fc.constantFrom(...MAKES),
      year: fc.oneof(fc.integer({ min: 2015, max: 2020 }), fc.constant('2019')),
      automatic: fc.boolean(),
      mileage: fc.constantFrom(0, 1500.5, 20_000, 80_000),
    },
    { requiredKeys: [] },
  )
  .map((a) => a as Attributes);

const specArb: fc.Arbitrary<Spec> = fc.record({
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
  attributes: attributesArb,
  location: fc.option(
    fc.record({
      country: fc.constantFrom('DE', 'FR'),
      region: fc.constant(null),
      city: fc.option(fc.constantFrom(...CITIES), { nil: null }),
    }),
    { nil: null },
  ),
  currency: fc.constantFrom('USD' as const, 'EUR' as const),
  startingPrice: fc.constantFrom(100, 500, 1_000),
  buyNowPrice: fc.option(fc.constantFrom(1_000, 2_000), { nil: null }),
  reservePrice: fc.option(fc.constantFrom(800, 5_000), { nil: null }),
  startDelay: fc.constantFrom(0, 0, 2 * HOUR),
  duration: fc.integer({ min: 1, max: 6 }).map((n) => n * HOUR),
  bids: fc.array(fc.constantFrom('alice' as const, 'bob' as const), { maxLength: 3 }),
  fate: fc.constantFrom('active' as const, 'active' as const, 'closed' as const, 'cancelled' as const),
});

const filtersArb: fc.Arbitrary<CatalogueFilters> = fc
  .record(
    {
      categories: fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 }),
      attributes: fc.array(
        fc.oneof(
          fc.record({
            key: fc.constant('make'),
            values: fc.subarray(['toyota', 'VW', 'volvo', 'Saab'], { minLength: 1, maxLength: 2 }),
            min: fc.constant(null),
            max: fc.constant(null),
          }),
          fc.record({
            key: fc.constant('year'),
            values: fc.constantFrom<string[]>([], ['2019'], ['2019.0', '2016']),
            min: fc.option(fc.constantFrom(2016, 2018), { nil: null }),
            max: fc.option(fc.constantFrom(2018, 2019), { nil: null }),
          }),
          fc.record({
            key: fc.constant('automatic'),
            values: fc.constantFrom<string[]>(['true'], ['false']),
            min: fc.constant(null),
            max: fc.constant(null),
          }),
          fc.record({
            key: fc.constant('mileage'),
            values: fc.constant([] as string[]),
            min: fc.constantFrom(1_000, 1500.5),
            max: fc.option(fc.constant(20_000), { nil: null }),
          }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
      currencies: fc.subarray(['USD', 'EUR'], { minLength: 1, maxLength: 1 }),
      minPrice: fc.constantFrom(500, 1_000),
      maxPrice: fc.constantFrom(1_000, 1_500),
      countries: fc.subarray(['DE', 'FR'], { minLength: 1, maxLength: 1 }),
      cities: fc.subarray(['MUNICH', 'paris'], { minLength: 1, maxLength: 2 }),
      endsAfter: fc.constantFrom(T0 + 2 * HOUR, T0 + 3 * HOUR),
      endsBefore: fc.constantFrom(T0 + 3 * HOUR, T0 + 5 * HOUR),
      hasBuyNow: fc.constant(true),
      bidderId: fc.constantFrom('alice', 'bob', 'carol'),
    },
    { requiredKeys: [] },
  )
  .map((f) => ({ ...NO_FILTERS, ...f }) as CatalogueFilters);

// ---------------------------------------------------------------------------
// The model (store.ts's documentation, restated)
// ---------------------------------------------------------------------------

function attributeMatches(value: AttributeValue | undefined, filter: AttributeFilter): boolean {
  if (value === undefined) return false;
  if (filter.values.length > 0) {
    const equal = filter.values.some((v) => {
      if (typeof value === 'string') return value.toLowerCase() === v.toLowerCase();
      if (typeof value === 'boolean') return String(value) === v.toLowerCase();
      return v.trim() !== '' && /^-?[\d.]+(e[+-]?\d+)?$/i.test(v) && Number(v) === value;
    });
    if (!equal) return false;
  }
  if (filter.min !== null || filter.max !== null) {
    if (typeof value !== 'number') return false;
    if (filter.min !== null && value < filter.min) return false;
    if (filter.max !== null && value > filter.max) return false;
  }
  return true;
}

function modelBuyNow(a: Auction, now: number): boolean {
  if (a.buyNowPrice === null || modelStatus(a, now) !== 'open') return false;
  if (a.currentPrice !== null && a.currentPrice >= a.buyNowPrice) return false;
  const reserveMet = a.reservePrice === null || (a.currentPrice ?? 0) >= a.reservePrice;
  return a.highestBid === null || !reserveMet;
}

function matches(a: Auction, f: CatalogueFilters, now: number, bidders: Map<string, Set<string>>): boolean {
  const price = a.currentPrice ?? a.startingPrice;
  return (
    (f.categories.length === 0 || f.categories.includes(a.category ?? '')) &&
    f.attributes.every((filter) => attributeMatches(a.attributes?.[filter.key], filter)) &&
    (f.currencies.length === 0 || f.currencies.includes(a.currency)) &&
    (f.minPrice === null || price >= f.minPrice) &&
    (f.maxPrice === null || price <= f.maxPrice) &&
    (f.countries.length === 0 || f.countries.includes(a.location?.country ?? '')) &&
    (f.cities.length === 0 || f.cities.some((c) => c.toLowerCase() === a.location?.city?.toLowerCase())) &&
    (f.endsAfter === null || a.endDate > f.endsAfter) &&
    (f.endsBefore === null || a.endDate < f.endsBefore) &&
    (!f.hasBuyNow || modelBuyNow(a, now)) &&
    (f.bidderId === null || (bidders.get(a.id)?.has(f.bidderId) ?? false))
  );
}

function modelFacets(matched: Auction[]): AuctionFacets {
  const rank = <V>(counts: Map<string, { value: V; count: number }>) =>
    [...counts.values()].sort((x, y) => y.count - x.count || (String(x.value) < String(y.value) ? -1 : 1)).slice(0, 20);
  const categories = new Map<string, { value: string; count: number }>();
  const attributes = new Map<string, Map<string, { value: AttributeValue; count: number }>>();
  for (const a of matched) {
    if (a.category) {
      const c = categories.get(a.category) ?? { value: a.category, count: 0 };
      c.count++;
      categories.set(a.category, c);
    }
    for (const [key, value] of Object.entries(a.attributes ?? {})) {
      // One value per string ignoring case, per number, per boolean.
      const group = typeof value === 'string' ? `s:${value.toLowerCase()}` : `${typeof value}:${value}`;
      const values = attributes.get(key) ?? new Map();
      attributes.set(key, values);
      const v = values.get(group) ?? { value, count: 0 };
      v.count++;
      values.set(group, v);
    }
  }
  const prices = matched.map((a) => a.currentPrice ?? a.startingPrice);
  return {
    total: matched.length,
    categories: rank(categories),
    attributes: Object.fromEntries([...attributes.keys()].sort().map((k) => [k, rank(attributes.get(k)!)])),
    price: prices.length === 0 ? null : { min: Math.min(...prices), max: Math.max(...prices) },
    exact: true,
  };
}

/** Facet values of one group may be written differently (Toyota, toyota): compare the groups' text. */
function normalizeFacets(f: AuctionFacets) {
  const fold = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  return {
    ...f,
    attributes: Object.fromEntries(
      Object.entries(f.attributes).map(([k, vs]) => [k, vs.map((v) => ({ value: fold(v.value), count: v.count }))]),
    ),
  };
}

async function allPages<T>(read: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: Page<T> = await read(cursor);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('more than 100 pages');
}

async function seed(book: AuctionBook, specs: Spec[]): Promise<Map<string, Set<string>>> {
  const bidders = new Map<string, Set<string>>();
  for (const [i, spec] of specs.entries()) {
    const startDate = T0 + spec.startDelay;
    const auction = makeAuction(
      {
        id: `catalogue-${process.pid}-${i}-${Math.random().toString(36).slice(2, 8)}`,
        sellerId: SELLER,
        currency: spec.currency,
        startingPrice: spec.startingPrice,
        buyNowPrice: spec.buyNowPrice,
        reservePrice: spec.reservePrice,
        minIncrement: 100,
        startDate,
        endDate: startDate + spec.duration,
        catalogue: { category: spec.category, attributes: spec.attributes, location: spec.location },
      },
      T0,
    );
    await book.insert(auction);
    if (spec.fate === 'cancelled') {
      await book.commit([{ type: 'cancel', auctionId: auction.id, now: T0 }]);
      continue;
    }
    if (spec.startDelay === 0) {
      for (const [n, bidder] of spec.bids.entries()) {
        const state = book.state(auction.id);
        const amount = (state.currentPrice ?? state.startingPrice - 100) + 100 * (n + 1);
        const batch = await book.commit([
          { type: 'bid', auctionId: auction.id, bidderId: bidder, amount, now: T0 + n },
        ]);
        if (batch.bids[0]?.status === 'accepted') {
          const set = bidders.get(auction.id) ?? new Set<string>();
          set.add(bidder);
          bidders.set(auction.id, set);
        }
      }
    }
    if (spec.fate === 'closed') await book.commit([{ type: 'close', auctionId: auction.id, now: T0 + 10 * HOUR }]);
  }
  return bidders;
}

export function catalogueContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  async function withBook(fn: (store: Store, book: AuctionBook) => Promise<void>) {
    const handle = await makeStore();
    try {
      await insertScenarioUsers(handle.store);
      await fn(handle.store, new AuctionBook(handle.store));
    } finally {
      await handle.cleanup();
    }
  }

  describe(`Store contract: ${name}: catalogue`, () => {
    test('filters, sorts and facets equal the model for random auctions and filter combinations (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(specArb, { minLength: 5, maxLength: 25 }),
          fc.array(
            fc.record({
              filters: filtersArb,
              status: fc.constantFrom(null, null, 'open' as const, 'closed' as const),
              sort: fc.constantFrom<AuctionSort>('ending_soon', 'newest', 'price_asc', 'price_desc', 'bids_desc'),
              limit: fc.integer({ min: 1, max: 4 }),
              now: fc.constantFrom(T0 + 30 * 60_000, T0 + 150 * 60_000, T0 + 4 * HOUR + 1),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          async (specs, queries) => {
            await withBook(async (store, book) => {
              const bidders = await seed(book, specs);
              const all = [...book.states.values()];
              for (const q of queries) {
                const label = JSON.stringify(q);
                const expected = all.filter(
                  (a) =>
                    (q.status === null || modelStatus(a, q.now) === q.status) && matches(a, q.filters, q.now, bidders),
                );
                const query = {
                  status: q.status,
                  sellerId: null,
                  terms: [],
                  filters: q.filters,
                  sort: q.sort,
                  now: q.now,
                };
                const listed = await allPages((cursor) => store.listAuctions({ ...query, limit: q.limit, cursor }));
                assert.deepEqual(listed.map((a) => a.id).sort(), expected.map((a) => a.id).sort(), `set: ${label}`);
                assert.equal(new Set(listed.map((a) => a.id)).size, listed.length, `duplicates: ${label}`);
                if (q.sort === 'bids_desc')
                  for (let i = 1; i < listed.length; i++)
                    assert.ok(listed[i - 1]!.bidCount >= listed[i]!.bidCount, `bids order: ${label}`);
                const facets = await store.auctionFacets({
                  status: q.status,
                  sellerId: null,
                  terms: [],
                  filters: q.filters,
                  now: q.now,
                });
                assert.deepEqual(normalizeFacets(facets), normalizeFacets(modelFacets(expected)), `facets: ${label}`);
              }
            });
          },
        ),
        { numRuns: 12 },
      );
    });

    test('a catalogue change (catalogueChanged) re-indexes the auction: old values no longer match, new ones do', async () => {
      await withBook(async (store, book) => {
        const a = await book.insert(
          makeAuction({
            id: `recat-${process.pid}`,
            sellerId: SELLER,
            item: { name: 'Red bicycle', description: '', imageUrl: null },
            catalogue: {
              category: 'bikes',
              attributes: { colour: 'red' },
              location: { country: 'DE', region: null, city: 'Bonn' },
            },
          }),
        );
        const changed: Auction = {
          ...a,
          version: a.version + 1,
          item: { ...a.item, name: 'Blue tandem' },
          category: 'tandems',
          attributes: { colour: 'Blue', seats: 2 },
          location: { country: 'FR', region: null, city: 'Nice' },
        };
        await store.commitBatch({
          bids: [],
          auctions: [{ before: a.version, after: changed, catalogueChanged: true }],
          events: [],
          idempotency: [],
          notifications: [],
        });
        const list = async (filters: Partial<CatalogueFilters>, terms: string[] = []) =>
          (
            await store.listAuctions({
              status: null,
              sellerId: null,
              terms,
              filters: { ...NO_FILTERS, ...filters },
              sort: 'newest',
              limit: 10,
              cursor: null,
              now: T0,
            })
          ).items.map((x) => x.id);
        assert.deepEqual(await list({ categories: ['bikes'] }), []);
        assert.deepEqual(await list({ categories: ['tandems'] }), [a.id]);
        assert.deepEqual(await list({ attributes: [{ key: 'colour', values: ['red'], min: null, max: null }] }), []);
        assert.deepEqual(await list({ attributes: [{ key: 'colour', values: ['BLUE'], min: null, max: null }] }), [
          a.id,
        ]);
        assert.deepEqual(await list({ attributes: [{ key: 'seats', values: [], min: 2, max: 2 }] }), [a.id]);
        assert.deepEqual(await list({ cities: ['bonn'] }), []);
        assert.deepEqual(await list({ countries: ['FR'], cities: ['NICE'] }), [a.id]);
        assert.deepEqual(await list({}, ['tandem']), [a.id], 'the search follows the item');
        assert.deepEqual(await list({}, ['bicycle']), []);
      });
    });

    test(`above ${FACETS_EXACT_MAX} matches: the total and the counts are estimates within 5 % (from a sample, even for blocks)`, async () => {
      await withBook(async (store) => {
        const n = 30_000;
        const auctions: Auction[] = [];
        for (let i = 0; i < n; i++)
          auctions.push(
            makeAuction({
              id: `many-${process.pid}-${i}`,
              sellerId: SELLER,
              // Inserted in blocks (all vehicles first): a sample by insertion order would be biased.
              catalogue: {
                category: i < 15_000 ? 'vehicles' : i < 25_000 ? 'watches' : 'art',
                attributes: { make: i % 4 === 0 ? 'Toyota' : 'VW' },
                location: null,
              },
            }),
          );
        for (let i = 0; i < n; i += 5_000) await store.insertAuctions(auctions.slice(i, i + 5_000));
        const facets = await store.auctionFacets({
          status: null,
          sellerId: null,
          terms: [],
          filters: NO_FILTERS,
          now: T0,
        });
        const counts = Object.fromEntries(facets.categories.map((c) => [c.value, c.count]));
        const within = (actual: number | undefined, expected: number) =>
          assert.ok(actual !== undefined && Math.abs(actual - expected) <= 0.05 * expected, `${actual} vs ${expected}`);
        assert.equal(facets.exact, false);
        within(facets.total, n);
        within(counts.vehicles, 15_000);
        within(counts.watches, 10_000);
        within(counts.art, 5_000);
        const makes = Object.fromEntries(facets.attributes.make!.map((v) => [String(v.value), v.count]));
        within(makes.Toyota, 7_500);
        within(makes.VW, 22_500);
        // Under the limit: exact.
        const art = await store.auctionFacets({
          status: null,
          sellerId: null,
          terms: [],
          filters: { ...NO_FILTERS, categories: ['art'] },
          now: T0,
        });
        assert.equal(art.exact, true);
        assert.deepEqual(art.categories, [{ value: 'art', count: 5_000 }]);
      });
    });
  });
}
