import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import {
  type AuctionBody,
  BURST_LIMITS,
  ManualClock,
  type TestApp,
  type TestUser,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

/**
 * The catalogue filters and facets of `GET /api/v1/auctions` and `GET /api/v1/auctions/facets`
 * (docs: /work/shared/spec/api.md, "Catalogue: categories, attributes, locations, filters, facets"),
 * through the HTTP API, on the store GAVEL_TEST_STORE names.
 *
 * 1. A property: random auctions (categories, typed attributes, locations, currencies, prices, buy-now,
 *    reserves, bids by two bidders, scheduled, ended and cancelled ones) are created through the API; for
 *    random filter combinations, paging through the list with the cursor yields exactly what a model written
 *    here from the contract's semantics computes (no duplicates, no gaps, in sort order), and the facets of
 *    the same filters are the model's counts.
 * 2. Examples for each filter alone and combined, and every malformed filter refused.
 * 3. Validation of `category`, `attributes` and `location` on creation, and their echo.
 *
 * Semantics beyond the contract's words (decided): endsAfter/endsBefore are strict; hasBuyNow=true means
 * buy-now is available now (open, buyNowPrice set, no bid reaching it, no accepted bid unless the reserve is
 * not met); city ignores case; `attr.k=v` matches a string equal ignoring case, a number equal to v read as a
 * number, a boolean when v is true/false; `.min`/`.max` only numbers, inclusive; repeated exact filters are
 * OR, different filters AND; the price filters are on currentPrice (startingPrice before a bid), inclusive;
 * `bidder=me`: an accepted bid of the signed-in user; `ending_soon` without `status`: open (soonest end
 * first), scheduled (soonest end first), ended (closed or cancelled, latest end first). Facets: up to 20
 * values per list, most frequent first, ties by value as text; string attribute values grouped ignoring case.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const LIMITS = { ...BURST_LIMITS, auctionsPerUserPerHour: 1_000_000 };

type AttrValue = string | number | boolean;
type Attributes = Record<string, AttrValue>;
interface LocationIn {
  country: string;
  region?: string;
  city?: string;
}
type Param = [name: string, value: string];

interface ListBody {
  items: AuctionBody[];
  nextCursor: string | null;
}
interface FacetCount {
  value: AttrValue;
  count: number;
}
interface FacetsBody {
  total: number;
  categories: { value: string; count: number }[];
  attributes: Record<string, FacetCount[]>;
  price: { min: number | null; max: number | null };
  exact: boolean;
}

function encodeQuery(params: readonly Param[]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// ---------------------------------------------------------------------------
// The model: the contract's semantics, in plain JavaScript over what the test created
// ---------------------------------------------------------------------------

interface ModelAuction {
  id: string;
  name: string;
  sellerId: string;
  category: string | null;
  attributes: Attributes;
  location: { country: string; region: string | null; city: string | null } | null;
  currency: string;
  startingPrice: number;
  buyNowPrice: number | null;
  reservePrice: number | null;
  createdAt: number;
  startDate: number;
  endDate: number;
  cancelled: boolean;
  currentPrice: number | null;
  bidCount: number;
  /** Users with an accepted bid. */
  bidders: Set<string>;
}

function statusAt(a: ModelAuction, now: number): string {
  if (a.cancelled) return 'cancelled';
  if (now >= a.endDate) return 'closed';
  if (now < a.startDate) return 'scheduled';
  return 'open';
}

const listPrice = (a: ModelAuction) => a.currentPrice ?? a.startingPrice;

function buyNowAvailableAt(a: ModelAuction, now: number): boolean {
  if (statusAt(a, now) !== 'open' || a.buyNowPrice === null) return false;
  if (a.currentPrice !== null && a.currentPrice >= a.buyNowPrice) return false;
  if (a.bidCount === 0) return true;
  return a.reservePrice !== null && (a.currentPrice ?? 0) < a.reservePrice;
}

/** A filter value "reads as a number": the test only sends plain decimals as such. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

function attributeEquals(value: AttrValue, wanted: string): boolean {
  if (typeof value === 'string') return value.toLowerCase() === wanted.toLowerCase();
  if (typeof value === 'number') return PLAIN_DECIMAL.test(wanted) && Number(wanted) === value;
  return (wanted === 'true' && value === true) || (wanted === 'false' && value === false);
}

interface ParsedQuery {
  multi: Map<string, string[]>;
  single: Map<string, string>;
  attrExact: Map<string, string[]>;
  attrMin: Map<string, number>;
  attrMax: Map<string, number>;
}

function parseParams(params: readonly Param[]): ParsedQuery {
  const q: ParsedQuery = {
    multi: new Map(),
    single: new Map(),
    attrExact: new Map(),
    attrMin: new Map(),
    attrMax: new Map(),
  };
  for (const [name, value] of params) {
    const attr = /^attr\.([a-z0-9_]+)(?:\.(min|max))?$/.exec(name);
    if (attr) {
      const key = attr[1]!;
      if (attr[2] === 'min') q.attrMin.set(key, Number(value));
      else if (attr[2] === 'max') q.attrMax.set(key, Number(value));
      else q.attrExact.set(key, [...(q.attrExact.get(key) ?? []), value]);
    } else if (['category', 'currency', 'country', 'city'].includes(name)) {
      q.multi.set(name, [...(q.multi.get(name) ?? []), value]);
    } else {
      q.single.set(name, value);
    }
  }
  return q;
}

function modelMatches(a: ModelAuction, q: ParsedQuery, now: number, viewerId: string | null): boolean {
  const anyOf = (name: string, test: (v: string) => boolean) => {
    const values = q.multi.get(name);
    return values === undefined || values.some(test);
  };
  if (!anyOf('category', (v) => a.category === v)) return false;
  if (!anyOf('currency', (v) => a.currency === v)) return false;
  if (!anyOf('country', (v) => a.location?.country === v)) return false;
  if (!anyOf('city', (v) => a.location?.city != null && a.location.city.toLowerCase() === v.toLowerCase()))
    return false;
  const s = q.single;
  if (s.has('status') && statusAt(a, now) !== s.get('status')) return false;
  if (s.has('sellerId') && a.sellerId !== s.get('sellerId')) return false;
  if (s.has('minPrice') && listPrice(a) < Number(s.get('minPrice'))) return false;
  if (s.has('maxPrice') && listPrice(a) > Number(s.get('maxPrice'))) return false;
  if (s.has('endsAfter') && !(a.endDate > Date.parse(s.get('endsAfter')!))) return false;
  if (s.has('endsBefore') && !(a.endDate < Date.parse(s.get('endsBefore')!))) return false;
  if (s.get('hasBuyNow') === 'true' && !buyNowAvailableAt(a, now)) return false;
  if (s.get('bidder') === 'me' && (viewerId === null || !a.bidders.has(viewerId))) return false;
  for (const [key, values] of q.attrExact) {
    const value = a.attributes[key];
    if (value === undefined || !values.some((v) => attributeEquals(value, v))) return false;
  }
  for (const [key, min] of q.attrMin) {
    const value = a.attributes[key];
    if (typeof value !== 'number' || value < min) return false;
  }
  for (const [key, max] of q.attrMax) {
    const value = a.attributes[key];
    if (typeof value !== 'number' || value > max) return false;
  }
  return true;
}

/** The sort key as a tuple, ascending: the listing must never go down in it. */
function sortKey(a: ModelAuction, sort: string, statusGiven: boolean, now: number): number[] {
  switch (sort) {
    case 'ending_soon': {
      if (statusGiven) return [a.endDate];
      const status = statusAt(a, now);
      if (status === 'open') return [0, a.endDate];
      if (status === 'scheduled') return [1, a.endDate];
      return [2, -a.endDate];
    }
    case 'newest':
      return [-a.createdAt];
    case 'price_asc':
      return [listPrice(a)];
    case 'price_desc':
      return [-listPrice(a)];
    case 'bids_desc':
      return [-a.bidCount];
    default:
      throw new Error(`no sort ${sort}`);
  }
}

function compareTuples(x: number[], y: number[]): number {
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A facet value's group: strings ignoring case; numbers and booleans by value; types apart. */
function facetGroup(value: AttrValue): string {
  if (typeof value === 'string') return `string:${value.toLowerCase()}`;
  return `${typeof value}:${String(value)}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface ModelFacets {
  total: number;
  categories: { value: string; count: number }[];
  /** key → group → { count, spellings } */
  attributes: Map<string, Map<string, { count: number; spellings: Set<AttrValue> }>>;
  price: { min: number | null; max: number | null };
}

function modelFacets(matches: readonly ModelAuction[]): ModelFacets {
  const categories = new Map<string, number>();
  const attributes: ModelFacets['attributes'] = new Map();
  for (const a of matches) {
    if (a.category !== null) categories.set(a.category, (categories.get(a.category) ?? 0) + 1);
    for (const [key, value] of Object.entries(a.attributes)) {
      let groups = attributes.get(key);
      if (!groups) attributes.set(key, (groups = new Map()));
      const group = facetGroup(value);
      let entry = groups.get(group);
      if (!entry) groups.set(group, (entry = { count: 0, spellings: new Set() }));
      entry.count++;
      entry.spellings.add(value);
    }
  }
  const prices = matches.map(listPrice);
  return {
    total: matches.length,
    categories: [...categories]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || byText(a.value, b.value))
      .slice(0, 20),
    attributes,
    price: prices.length === 0 ? { min: null, max: null } : { min: Math.min(...prices), max: Math.max(...prices) },
  };
}

/** The facets answered equal the model's (string values: any spelling seen, grouped ignoring case). */
function assertFacets(actual: FacetsBody, matches: readonly ModelAuction[], label: string): void {
  const expected = modelFacets(matches);
  assert.equal(actual.total, expected.total, `facets total: ${label}`);
  assert.equal(actual.exact, true, `facets exact: ${label}`);
  assert.deepEqual(actual.price, expected.price, `facets price: ${label}`);
  assert.deepEqual(actual.categories, expected.categories, `facets categories: ${label}`);
  assert.deepEqual(
    Object.keys(actual.attributes).sort(),
    [...expected.attributes.keys()].sort(),
    `facets attribute keys: ${label}`,
  );
  for (const [key, groups] of expected.attributes) {
    const list = actual.attributes[key]!;
    const shown = list.map((c) => `${JSON.stringify(c.value)}×${c.count}`).join(', ');
    const want = [...groups].map(([g, e]) => `${g}×${e.count} (${[...e.spellings].map((s) => JSON.stringify(s))})`);
    const context = `facets attributes.${key}: answered [${shown}], model [${want.join(', ')}]: ${label}`;
    assert.equal(list.length, Math.min(20, groups.size), context);
    const seen = new Set<string>();
    for (const { value, count } of list) {
      const group = facetGroup(value);
      assert.ok(!seen.has(group), `twice: ${context}`);
      seen.add(group);
      const entry = groups.get(group);
      assert.ok(entry, `unexpected value ${JSON.stringify(value)}: ${context}`);
      assert.equal(count, entry.count, `count of ${JSON.stringify(value)}: ${context}`);
      assert.ok(entry.spellings.has(value), `${JSON.stringify(value)} is no spelling seen: ${context}`);
    }
    for (let i = 1; i < list.length; i++) {
      const [x, y] = [list[i - 1]!, list[i]!];
      assert.ok(
        x.count > y.count || (x.count === y.count && String(x.value) <= String(y.value)),
        `order at ${i}: ${context}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------
// The dataset: specs generated by fast-check, created through the API
// ---------------------------------------------------------------------------

type Kind = 'open' | 'scheduled' | 'short' | 'cancelled';
type Bidder = 'alice' | 'bob';

interface AuctionSpec {
  seller: 0 | 1;
  /** Clock step before creating it: 0 makes createdAt ties. */
  gap: number;
  category: string | null;
  attributes: Attributes;
  location: LocationIn | null;
  currency: 'USD' | 'EUR' | 'JPY';
  startingPrice: number;
  buyNowExtra: number | null;
  reserveExtra: number | null;
  kind: Kind;
  endSlot: number;
  startSlot: number;
  firstBidder: Bidder;
  /** Raises of the alternating bids: the first over startingPrice, the others over the previous bid. */
  raises: number[];
  /** carol places a bid that is refused (too low, not started, cancelled): never "hers". */
  carolRefused: boolean;
}

const CATEGORIES = ['vehicles', 'watches', 'art', 'classic-cars'];
const MAKES = ['Toyota', 'toyota', 'TOYOTA', 'BMW', 'bmw', 'Audi', 'Ford', 'ford'];
const YEARS: AttrValue[] = [2015, 2017, 2019, 2019, 2021, '2019'];
const MILEAGES = [0, 12_000, 42_000, 80_000, 150_000];
const AUTOMATIC: AttrValue[] = [true, true, false, false, 'TRUE'];
const PLACES: LocationIn[] = [
  { country: 'DE', city: 'Munich' },
  { country: 'DE', city: 'munich', region: 'Bavaria' },
  { country: 'DE', city: 'München' },
  { country: 'DE', city: 'MÜNCHEN' },
  { country: 'DE', city: 'Berlin' },
  { country: 'DE' },
  { country: 'FR', city: 'Paris' },
  { country: 'FR', city: 'PARIS' },
  { country: 'US', city: 'New York', region: 'NY' },
  { country: 'US', city: 'new york' },
  { country: 'JP', city: 'Tokyo' },
];

/** Each key present three times in four, so that several attribute filters still match something. */
const sometimes = <T>(values: readonly T[]) => fc.option(fc.constantFrom(...values), { nil: undefined, freq: 4 });
const attributesArb: fc.Arbitrary<Attributes> = fc
  .record({
    make: sometimes(MAKES),
    year: sometimes(YEARS),
    mileage: sometimes(MILEAGES),
    automatic: sometimes(AUTOMATIC),
  })
  .map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Attributes);

const auctionSpecArb: fc.Arbitrary<AuctionSpec> = fc.record({
  seller: fc.constantFrom(0 as const, 1 as const),
  gap: fc.constantFrom(0, 1000, 1000),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null, freq: 5 }),
  attributes: attributesArb,
  location: fc.option(fc.constantFrom(...PLACES), { nil: null, freq: 5 }),
  currency: fc.constantFrom('USD' as const, 'EUR' as const, 'JPY' as const),
  startingPrice: fc.constantFrom(100, 500, 1000, 2500, 10_000),
  buyNowExtra: fc.option(fc.constantFrom(0, 500, 2000, 8000), { nil: null }),
  reserveExtra: fc.option(fc.constantFrom(0, 1000, 5000), { nil: null, freq: 3 }),
  kind: fc.constantFrom<Kind>('open', 'open', 'open', 'scheduled', 'short', 'short', 'cancelled'),
  endSlot: fc.integer({ min: 0, max: 6 }),
  startSlot: fc.integer({ min: 0, max: 3 }),
  firstBidder: fc.constantFrom<Bidder>('alice', 'bob'),
  raises: fc.oneof(
    fc.constant([] as number[]),
    fc.array(fc.constantFrom(0, 1, 300, 2000, 9000), { minLength: 1, maxLength: 3 }),
  ),
  carolRefused: fc.boolean(),
});

const datasetArb = fc.array(auctionSpecArb, { minLength: 40, maxLength: 60 });

/** Clock during the queries: the short auctions (ending by T0 + 11 min, or right at it) have ended, nothing else has. */
const QUERY_NOW = T0 + 20 * MIN;

function endDateOf(spec: AuctionSpec, startDate: number): number {
  switch (spec.kind) {
    case 'short':
      // Ended by the time of the queries; the last two right on it: ended at QUERY_NOW, still open 1 ms longer.
      return spec.endSlot === 5 ? QUERY_NOW : spec.endSlot === 6 ? QUERY_NOW + 1 : T0 + 5 * MIN + spec.endSlot * MIN;
    case 'scheduled':
      return startDate + HOUR + spec.endSlot * 15 * MIN;
    default:
      return T0 + HOUR + spec.endSlot * 15 * MIN;
  }
}

/** Every end date the specs can give, for endsAfter/endsBefore right on them and 1 ms either side. */
function candidateEndDates(): number[] {
  const out = new Set<number>([T0, QUERY_NOW, T0 + 100 * HOUR]);
  for (let slot = 0; slot <= 6; slot++) {
    out.add(T0 + 5 * MIN + slot * MIN);
    out.add(T0 + HOUR + slot * 15 * MIN);
    for (let start = 0; start <= 3; start++) out.add(T0 + 2 * HOUR + start * 30 * MIN + HOUR + slot * 15 * MIN);
  }
  return [...out].flatMap((t) => [t - 1, t, t + 1]);
}

interface World {
  app: TestApp;
  clock: ManualClock;
  users: Record<'seller0' | 'seller1' | 'alice' | 'bob' | 'carol', TestUser>;
  auctions: ModelAuction[];
  byId: Map<string, ModelAuction>;
}

function expectStatus(res: LightMyRequestResponse, status: number, what: string): void {
  assert.equal(res.statusCode, status, `${what}: ${res.statusCode} ${res.body}`);
}

async function buildWorld(specs: readonly AuctionSpec[]): Promise<World> {
  const clock = new ManualClock(T0);
  const app = await startTestApp({ clock, limits: LIMITS });
  try {
    const users = {
      seller0: await createUser(app.app, 'cat_seller'),
      seller1: await createUser(app.app, 'cat_seller'),
      alice: await createUser(app.app, 'cat_alice'),
      bob: await createUser(app.app, 'cat_bob'),
      carol: await createUser(app.app, 'cat_carol'),
    };
    const auctions: ModelAuction[] = [];
    for (const [i, spec] of specs.entries()) {
      clock.advance(spec.gap);
      const now = clock.now();
      const seller = spec.seller === 0 ? users.seller0 : users.seller1;
      const startDate = spec.kind === 'scheduled' ? T0 + 2 * HOUR + spec.startSlot * 30 * MIN : now;
      const endDate = endDateOf(spec, startDate);
      const buyNowPrice = spec.buyNowExtra === null ? null : spec.startingPrice + spec.buyNowExtra;
      const reservePrice = spec.reserveExtra === null ? null : spec.startingPrice + spec.reserveExtra;
      const payload: Record<string, unknown> = {
        item: { name: `Lot ${i}`, description: `${spec.kind} lot` },
        startingPrice: spec.startingPrice,
        currency: spec.currency,
        endDate: iso(endDate),
        attributes: spec.attributes,
      };
      if (spec.kind === 'scheduled') payload.startDate = iso(startDate);
      if (spec.category !== null) payload.category = spec.category;
      if (spec.location !== null) payload.location = spec.location;
      if (buyNowPrice !== null) payload.buyNowPrice = buyNowPrice;
      if (reservePrice !== null) payload.reservePrice = reservePrice;
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: seller.auth,
        payload,
      });
      expectStatus(created, 201, `create ${JSON.stringify(payload)}`);
      const body = (created.json() as { auction: AuctionBody }).auction;
      const model: ModelAuction = {
        id: body.id,
        name: `Lot ${i}`,
        sellerId: seller.id,
        category: spec.category,
        attributes: { ...spec.attributes },
        location: spec.location && {
          country: spec.location.country,
          region: spec.location.region ?? null,
          city: spec.location.city ?? null,
        },
        currency: spec.currency,
        startingPrice: spec.startingPrice,
        buyNowPrice,
        reservePrice,
        createdAt: now,
        startDate,
        endDate,
        cancelled: false,
        currentPrice: null,
        bidCount: 0,
        bidders: new Set(),
      };
      auctions.push(model);
      const bid = (user: TestUser, amount: number) =>
        app.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${model.id}/bids`,
          headers: user.auth,
          payload: { amount },
        });

      if (spec.kind === 'cancelled') {
        const res = await app.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${model.id}/cancel`,
          headers: seller.auth,
        });
        expectStatus(res, 200, `cancel ${model.name}`);
        model.cancelled = true;
        if (spec.carolRefused)
          expectStatus(await bid(users.carol, spec.startingPrice + 50_000), 409, 'bid on a cancelled one');
        continue;
      }
      if (spec.kind === 'scheduled') {
        if (spec.carolRefused) expectStatus(await bid(users.carol, spec.startingPrice), 409, 'bid before start');
        continue;
      }
      let bidder = spec.firstBidder;
      let amount = spec.startingPrice;
      for (const [n, raise] of spec.raises.entries()) {
        amount += n === 0 ? raise : Math.max(1, raise);
        const res = await bid(users[bidder], amount);
        expectStatus(res, 201, `bid ${amount} by ${bidder} on ${model.name}`);
        model.currentPrice = amount;
        model.bidCount++;
        model.bidders.add(users[bidder].id);
        bidder = bidder === 'alice' ? 'bob' : 'alice';
      }
      if (spec.carolRefused) expectStatus(await bid(users.carol, 1), 409, 'a bid too low');
    }
    clock.set(QUERY_NOW);

    // The model's bookkeeping agrees with the server's view of each auction (else the model, not the
    // filters, would be wrong).
    for (const a of auctions) {
      const res = await app.app.inject({ method: 'GET', url: `/api/v1/auctions/${a.id}` });
      expectStatus(res, 200, `read ${a.name}`);
      const got = (res.json() as { auction: AuctionBody }).auction;
      assert.deepEqual(
        {
          status: got.status,
          currentPrice: got.currentPrice,
          bidCount: got.bidCount,
          endDate: got.endDate,
          startDate: got.startDate,
          createdAt: got.createdAt,
          category: got.category,
          attributes: got.attributes,
          location: got.location,
          currency: got.currency,
          buyNowPrice: got.buyNowPrice,
        },
        {
          status: statusAt(a, QUERY_NOW),
          currentPrice: a.currentPrice,
          bidCount: a.bidCount,
          endDate: iso(a.endDate),
          startDate: iso(a.startDate),
          createdAt: iso(a.createdAt),
          category: a.category,
          attributes: a.attributes,
          location: a.location,
          currency: a.currency,
          buyNowPrice: a.buyNowPrice,
        },
        `the model of ${a.name} agrees with GET /auctions/:id`,
      );
    }
    return { app, clock, users, auctions, byId: new Map(auctions.map((a) => [a.id, a])) };
  } catch (error) {
    await app.dispose();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

type Viewer = 'alice' | 'bob' | 'carol' | 'seller0' | null;

interface QuerySpec {
  filters: { kind: string; params: Param[] }[];
  sort: string | null;
  limit: number;
  viewer: Viewer;
}

function queryArb(world: World): fc.Arbitrary<QuerySpec> {
  const single = (name: string, values: readonly string[]) =>
    fc.constantFrom(...values).map((v) => ({ kind: name, params: [[name, v]] as Param[] }));
  const multi = (name: string, values: readonly string[]) =>
    fc
      .array(fc.constantFrom(...values), { minLength: 1, maxLength: 3 })
      .map((vs) => ({ kind: name, params: vs.map((v) => [name, v] as Param) }));
  const dates = candidateEndDates().map(iso);
  const prices = ['0', '100', '499', '500', '1000', '1001', '1500', '2500', '3000', '10000', '12300', '20000'];
  const filters = [
    multi('category', [...CATEGORIES, 'boats']),
    multi('currency', ['USD', 'EUR', 'JPY', 'GBP']),
    single('minPrice', prices),
    single('maxPrice', prices),
    multi('country', ['DE', 'FR', 'US', 'JP', 'CH']),
    multi('city', ['munich', 'MUNICH', 'München', 'münchen', 'paris', 'New York', 'NEW YORK', 'Tokyo', 'Lyon']),
    single('endsAfter', dates),
    single('endsBefore', dates),
    single('hasBuyNow', ['true']),
    single('bidder', ['me']),
    single('status', ['open', 'scheduled', 'closed', 'cancelled']),
    single('sellerId', [world.users.seller0.id, world.users.seller1.id]),
    multi('attr.make', ['toyota', 'TOYOTA', 'Bmw', 'audi', 'FORD', 'Tesla']),
    multi('attr.year', ['2019', '2019.0', '2017', '2021', '2015', '2020']),
    multi('attr.mileage', ['42000', '42000.00', '0', '150000', '1']),
    multi('attr.automatic', ['true', 'false']),
    multi('attr.colour', ['red']),
    single('attr.year.min', ['2014', '2016', '2017', '2019', '2019.5', '2022']),
    single('attr.year.max', ['2014', '2015', '2017', '2019', '2020.5', '2022']),
    single('attr.mileage.min', ['0', '-5', '10000', '42000', '1e5']),
    single('attr.mileage.max', ['0', '12000', '42000', '42000.5', '1e5']),
    single('attr.make.min', ['0']),
  ];
  // Mostly one or two filters: four at once rarely leave anything of 40–60 auctions.
  return fc
    .constantFrom(1, 1, 1, 2, 2, 2, 3, 3, 4)
    .chain((n) => fc.uniqueArray(fc.oneof(...filters), { minLength: n, maxLength: n, selector: (f) => f.kind }))
    .chain((chosen) =>
      fc.record({
        filters: fc.constant(chosen),
        sort: fc.constantFrom(null, 'ending_soon', 'newest', 'price_asc', 'price_desc', 'bids_desc'),
        limit: fc.integer({ min: 1, max: 7 }),
        viewer: chosen.some((f) => f.kind === 'bidder')
          ? fc.constantFrom<Viewer>('alice', 'bob', 'carol', 'seller0')
          : fc.constantFrom<Viewer>(null, 'alice', 'bob'),
      }),
    );
}

async function checkQuery(world: World, spec: QuerySpec): Promise<void> {
  const { app } = world.app;
  const params = spec.filters.flatMap((f) => f.params);
  const viewer = spec.viewer === null ? null : world.users[spec.viewer];
  const headers = viewer?.auth ?? {};
  const parsed = parseParams(params);
  const sort = spec.sort ?? 'ending_soon';
  const statusGiven = parsed.single.has('status');
  const expected = world.auctions.filter((a) => modelMatches(a, parsed, QUERY_NOW, viewer?.id ?? null));
  const name = (id: string) => {
    const a = world.byId.get(id);
    return a ? a.name : `unknown ${id}`;
  };
  const describeA = (id: string) => {
    const a = world.byId.get(id);
    if (!a) return `unknown ${id}`;
    return JSON.stringify({
      name: a.name,
      status: statusAt(a, QUERY_NOW),
      category: a.category,
      attributes: a.attributes,
      location: a.location,
      currency: a.currency,
      price: listPrice(a),
      buyNow: a.buyNowPrice,
      reserve: a.reservePrice,
      bids: a.bidCount,
      end: iso(a.endDate),
    });
  };
  const base = encodeQuery([
    ...params,
    ...(spec.sort === null ? [] : ([['sort', spec.sort]] as Param[])),
    ['limit', String(spec.limit)],
  ]);
  const label = `GET /api/v1/auctions?${base} as ${spec.viewer ?? 'anonymous'}`;

  // Page through with the cursor.
  const listed: AuctionBody[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    assert.ok(page <= world.auctions.length + 1, `paging does not end: ${label}`);
    const url: string = `/api/v1/auctions?${base}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = await app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, `${label}: ${res.body}`);
    const body = res.json() as ListBody;
    assert.ok(body.items.length <= spec.limit, `page longer than limit: ${label}`);
    listed.push(...body.items);
    cursor = body.nextCursor;
    if (cursor === null) break;
  }
  const ids = listed.map((a) => a.id);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dupes.map(name), [], `listed twice: ${label}`);
  const want = new Set(expected.map((a) => a.id));
  const got = new Set(ids);
  const missing = [...want].filter((id) => !got.has(id)).map(describeA);
  const extra = [...got].filter((id) => !want.has(id)).map(describeA);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `wrong set: ${label} (now ${iso(QUERY_NOW)})`);
  for (const item of listed) {
    const a = world.byId.get(item.id)!;
    assert.equal(item.status, statusAt(a, QUERY_NOW), `status of ${a.name}: ${label}`);
    assert.deepEqual(
      { category: item.category, attributes: item.attributes, location: item.location },
      { category: a.category, attributes: a.attributes, location: a.location },
      `catalogue of ${a.name} in the list: ${label}`,
    );
  }
  for (let i = 1; i < listed.length; i++) {
    const [x, y] = [world.byId.get(listed[i - 1]!.id)!, world.byId.get(listed[i]!.id)!];
    assert.ok(
      compareTuples(sortKey(x, sort, statusGiven, QUERY_NOW), sortKey(y, sort, statusGiven, QUERY_NOW)) <= 0,
      `out of ${sort} order at ${i} (${describeA(x.id)} before ${describeA(y.id)}): ${label}`,
    );
  }
  // Paging changes nothing: the same order as one page of everything.
  const wholeQuery = encodeQuery([...params, ...(spec.sort === null ? [] : ([['sort', spec.sort]] as Param[]))]);
  const whole = await app.inject({ method: 'GET', url: `/api/v1/auctions?${wholeQuery}&limit=100`, headers });
  assert.equal(whole.statusCode, 200, whole.body);
  const wholeBody = whole.json() as ListBody;
  assert.equal(wholeBody.nextCursor, null);
  assert.deepEqual(
    ids.map(name),
    wholeBody.items.map((a) => name(a.id)),
    `paging reordered: ${label}`,
  );

  // Facets of the same filters.
  const facetsUrl = `/api/v1/auctions/facets?${encodeQuery(params)}`;
  const facets = await app.inject({ method: 'GET', url: facetsUrl, headers });
  assert.equal(facets.statusCode, 200, `${facetsUrl}: ${facets.body}`);
  assertFacets(facets.json() as FacetsBody, expected, `GET ${facetsUrl} as ${spec.viewer ?? 'anonymous'}`);
}

const DATASETS = 2;
const QUERY_RUNS = 30;

describe('catalogue filters and facets: property over random auctions', () => {
  test(`listing pages and facets equal the model (${DATASETS} datasets of 40–60 auctions, ${QUERY_RUNS} queries each)`, async () => {
    const seed = Number(process.env.GAVEL_TEST_SEED ?? Date.now() % 2 ** 31);
    const datasets = fc.sample(datasetArb, { numRuns: DATASETS, seed });
    for (const [n, specs] of datasets.entries()) {
      const world = await buildWorld(specs);
      try {
        await fc.assert(
          fc.asyncProperty(queryArb(world), (q) => checkQuery(world, q)),
          { numRuns: QUERY_RUNS, seed: seed + n },
        );
      } catch (error) {
        (error as Error).message = `dataset ${n} of GAVEL_TEST_SEED=${seed}: ${(error as Error).message}`;
        throw error;
      } finally {
        await world.app.dispose();
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

describe('catalogue filters: examples', () => {
  const clock = new ManualClock(T0);
  let t: TestApp;
  let s1: TestUser;
  let s2: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const ids: Record<string, string> = {};
  const names = new Map<string, string>();

  before(async () => {
    t = await startTestApp({ clock, limits: LIMITS });
    s1 = await createUser(t.app, 'ex_seller');
    s2 = await createUser(t.app, 'ex_seller');
    alice = await createUser(t.app, 'ex_alice');
    bob = await createUser(t.app, 'ex_bob');
    const fixtures: [string, TestUser, Record<string, unknown>][] = [
      [
        'car1',
        s1,
        {
          category: 'vehicles',
          attributes: { make: 'Toyota', year: 2019, mileage: 42_000, automatic: true },
          location: { country: 'DE', city: 'Munich' },
          startingPrice: 1000,
          buyNowPrice: 5000,
          endDate: iso(T0 + 2 * HOUR),
        },
      ],
      [
        'car2',
        s1,
        {
          category: 'vehicles',
          attributes: { make: 'toyota', year: '2019', mileage: 80_000, automatic: 'TRUE' },
          location: { country: 'DE', region: 'Bavaria', city: 'MÜNCHEN' },
          currency: 'EUR',
          startingPrice: 3000,
          buyNowPrice: 9000,
          reservePrice: 8000,
          endDate: iso(T0 + 3 * HOUR),
        },
      ],
      [
        'car3',
        s2,
        {
          category: 'vehicles',
          attributes: { make: 'BMW', year: 2015, automatic: false },
          location: { country: 'FR', city: 'Paris' },
          startingPrice: 20_000,
          buyNowPrice: 30_000,
          endDate: iso(T0 + HOUR),
        },
      ],
      [
        'watch1',
        s2,
        {
          category: 'watches',
          attributes: { make: 'Rolex', year: 2021 },
          location: { country: 'CH', city: 'Geneva' },
          currency: 'JPY',
          startingPrice: 500_000,
          buyNowPrice: 900_000,
          startDate: iso(T0 + HOUR),
          endDate: iso(T0 + 5 * HOUR),
        },
      ],
      ['art1', s1, { category: 'art', startingPrice: 500, endDate: iso(T0 + 10 * MIN) }],
      [
        'art2',
        s2,
        {
          category: 'art',
          attributes: { medium: 'oil' },
          location: { country: 'US', city: 'New York' },
          startingPrice: 700,
          endDate: iso(T0 + 4 * HOUR),
        },
      ],
      ['misc', s1, { location: { country: 'DE' }, startingPrice: 100, endDate: iso(T0 + 6 * HOUR) }],
    ];
    for (const [name, seller, overrides] of fixtures) {
      clock.advance(1000);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: seller.auth,
        payload: { item: { name, description: `the ${name}` }, ...overrides },
      });
      assert.equal(res.statusCode, 201, res.body);
      ids[name] = (res.json() as { auction: AuctionBody }).auction.id;
      names.set(ids[name]!, name);
    }
    const bid = async (name: string, user: TestUser, amount: number) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/auctions/${ids[name]}/bids`,
        headers: user.auth,
        payload: { amount },
      });
      assert.equal(res.statusCode, 201, res.body);
    };
    await bid('car1', alice, 1200);
    await bid('car2', bob, 3500);
    await bid('art1', alice, 600);
    await bid('art1', bob, 700);
    const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/auctions/${ids.art2}/cancel`, headers: s2.auth });
    assert.equal(cancel.statusCode, 200, cancel.body);
    // art1 has ended; car3 (T0 + 1 h) is the next to end.
    clock.set(T0 + 20 * MIN);
  });
  after(() => t.dispose());

  const list = async (query: string, user: TestUser | null = null): Promise<string[]> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/auctions?${query}${query ? '&' : ''}limit=100`,
      headers: user?.auth ?? {},
    });
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    return (res.json() as ListBody).items.map((a) => names.get(a.id) ?? a.id);
  };
  /** The names listed, in any order. */
  const set = async (query: string, user: TestUser | null = null) => (await list(query, user)).sort();
  const facets = async (query: string, user: TestUser | null = null): Promise<FacetsBody> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/auctions/facets?${query}`,
      headers: user?.auth ?? {},
    });
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    return res.json() as FacetsBody;
  };

  test('category (one, or any of several)', async () => {
    assert.deepEqual(await set('category=vehicles'), ['car1', 'car2', 'car3']);
    assert.deepEqual(await set('category=art&category=watches'), ['art1', 'art2', 'watch1']);
    assert.deepEqual(await set('category=boats'), []);
  });

  test('attr.<key>=<value>: strings ignoring case, numbers by value, booleans', async () => {
    assert.deepEqual(await set('attr.make=TOYOTA'), ['car1', 'car2']);
    assert.deepEqual(await set('attr.make=bmw&attr.make=rolex'), ['car3', 'watch1']);
    // 2019 is the number 2019 and the string "2019"; 2019.0 only the number.
    assert.deepEqual(await set('attr.year=2019'), ['car1', 'car2']);
    assert.deepEqual(await set('attr.year=2019.0'), ['car1']);
    assert.deepEqual(await set('attr.mileage=42000'), ['car1']);
    // true is the boolean and the string "TRUE" (strings ignore case); false the boolean.
    assert.deepEqual(await set('attr.automatic=true'), ['car1', 'car2']);
    assert.deepEqual(await set('attr.automatic=false'), ['car3']);
    assert.deepEqual(await set('attr.medium=OIL'), ['art2']);
    assert.deepEqual(await set('attr.colour=red'), []);
  });

  test('attr.<key>.min / .max: numbers only, inclusive', async () => {
    assert.deepEqual(await set('attr.year.min=2016'), ['car1', 'watch1']);
    assert.deepEqual(await set('attr.year.max=2019'), ['car1', 'car3']);
    assert.deepEqual(await set('attr.year.min=2015&attr.year.max=2015'), ['car3']);
    assert.deepEqual(await set('attr.year.min=2015.5&attr.year.max=2019.5'), ['car1']);
    assert.deepEqual(await set('attr.mileage.max=42000'), ['car1']);
    assert.deepEqual(await set('attr.mileage.min=-1'), ['car1', 'car2']);
    assert.deepEqual(await set('attr.make.min=0'), [], 'a string is no number');
  });

  test('currency', async () => {
    assert.deepEqual(await set('currency=EUR'), ['car2']);
    assert.deepEqual(await set('currency=USD&currency=JPY'), ['art1', 'art2', 'car1', 'car3', 'misc', 'watch1']);
    assert.deepEqual(await set('currency=GBP'), []);
  });

  test('minPrice / maxPrice: on the current price, or the starting price before a bid; inclusive', async () => {
    // List prices: car1 1200 (bid), car2 3500 (bid), car3 20000, watch1 500000, art1 700 (bid), art2 700, misc 100.
    assert.deepEqual(await set('minPrice=1200'), ['car1', 'car2', 'car3', 'watch1']);
    assert.deepEqual(await set('maxPrice=700'), ['art1', 'art2', 'misc']);
    assert.deepEqual(await set('minPrice=700&maxPrice=1200'), ['art1', 'art2', 'car1']);
    assert.deepEqual(await set('minPrice=1001&maxPrice=1199'), [], 'car1 is at its bid, not its starting price');
  });

  test('country and city (city ignoring case)', async () => {
    assert.deepEqual(await set('country=DE'), ['car1', 'car2', 'misc']);
    assert.deepEqual(await set('country=FR&country=CH'), ['car3', 'watch1']);
    assert.deepEqual(await set('city=MUNICH'), ['car1']);
    assert.deepEqual(await set('city=münchen'), ['car2']);
    assert.deepEqual(await set('city=munich&city=new%20york'), ['art2', 'car1']);
    assert.deepEqual(await set('country=GB'), []);
  });

  test('endsAfter / endsBefore: strict', async () => {
    assert.deepEqual(await set(`endsAfter=${iso(T0 + 2 * HOUR)}`), ['art2', 'car2', 'misc', 'watch1']);
    assert.deepEqual(await set(`endsBefore=${iso(T0 + 2 * HOUR)}`), ['art1', 'car3']);
    assert.deepEqual(await set(`endsAfter=${iso(T0 + HOUR)}&endsBefore=${iso(T0 + 3 * HOUR)}`), ['car1']);
    assert.deepEqual(await set(`endsAfter=${iso(T0 + HOUR - 1)}&endsBefore=${iso(T0 + HOUR + 1)}`), ['car3']);
    // Any offset is read as the instant it names.
    assert.deepEqual(await set(`endsBefore=${encodeURIComponent('2026-11-22T14:00:00.001+01:00')}`), ['art1', 'car3']);
  });

  test('hasBuyNow=true: buy-now available now', async () => {
    // car1: a bid and no reserve; car2: a bid under the reserve; car3: no bid; watch1: not started.
    assert.deepEqual(await set('hasBuyNow=true'), ['car2', 'car3']);
  });

  test('bidder=me: auctions with an accepted bid of the signed-in user', async () => {
    assert.deepEqual(await set('bidder=me', alice), ['art1', 'car1']);
    assert.deepEqual(await set('bidder=me', bob), ['art1', 'car2']);
    assert.deepEqual(await set('bidder=me', s1), []);
    for (const path of ['/api/v1/auctions', '/api/v1/auctions/facets']) {
      const res = await t.app.inject({ method: 'GET', url: `${path}?bidder=me` });
      expectProblem(res, 'UNAUTHENTICATED');
      const forged = await t.app.inject({
        method: 'GET',
        url: `${path}?bidder=me`,
        headers: { authorization: 'Bearer not-a-session' },
      });
      assert.equal(forged.statusCode, 401, forged.body);
    }
  });

  test('sort=ending_soon without status: open, then scheduled, then ended (latest end first)', async () => {
    assert.deepEqual(await list(''), ['car3', 'car1', 'car2', 'misc', 'watch1', 'art2', 'art1']);
    assert.deepEqual(await list('sort=ending_soon&status=open'), ['car3', 'car1', 'car2', 'misc']);
  });

  test('sort=bids_desc: most bids first', async () => {
    const listed = await list('sort=bids_desc');
    assert.equal(listed[0], 'art1');
    assert.deepEqual(listed.slice(1, 3).sort(), ['car1', 'car2']);
    assert.deepEqual(listed.slice(3).sort(), ['art2', 'car3', 'misc', 'watch1']);
    assert.deepEqual(await list('sort=bids_desc&category=vehicles&currency=USD'), ['car1', 'car3']);
  });

  test('filters combined (AND)', async () => {
    assert.deepEqual(await set('category=vehicles&attr.make=toyota&currency=USD'), ['car1']);
    assert.deepEqual(await set('category=vehicles&hasBuyNow=true&country=DE'), ['car2']);
    assert.deepEqual(await set('attr.year=2019&attr.year.min=2019'), ['car1'], 'the string "2019" is no number');
    assert.deepEqual(await list('status=open&minPrice=1000&sort=price_desc'), ['car3', 'car2', 'car1']);
    assert.deepEqual(await list('category=vehicles&sort=price_asc'), ['car1', 'car2', 'car3']);
    assert.deepEqual(await set('bidder=me&category=art', alice), ['art1']);
    assert.deepEqual(await set('bidder=me&hasBuyNow=true', bob), ['car2']);
    assert.deepEqual(await set('sellerId=' + s2.id + '&country=FR&country=US'), ['art2', 'car3']);
    assert.deepEqual(await set('q=toyota&category=vehicles'), [], 'the name is searched, not the attributes');
    assert.deepEqual(await set('q=car1&attr.automatic=true'), ['car1']);
    assert.deepEqual(await set('category=vehicles&category=art&attr.make=bmw&attr.make=toyota&maxPrice=3000'), [
      'car1',
    ]);
  });

  test('cursor paging over a filtered list', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/auctions?country=DE&country=FR&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as ListBody;
      seen.push(...body.items.map((a) => names.get(a.id)!));
      cursor = body.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ['car3', 'car1', 'car2', 'misc']);
  });

  test('facets: counts of what matches', async () => {
    const all = await facets('');
    assert.equal(all.total, 7);
    assert.equal(all.exact, true);
    assert.deepEqual(all.categories, [
      { value: 'vehicles', count: 3 },
      { value: 'art', count: 2 },
      { value: 'watches', count: 1 },
    ]);
    assert.deepEqual(all.price, { min: 100, max: 500_000 });

    const cars = await facets('category=vehicles');
    assert.equal(cars.total, 3);
    assert.deepEqual(cars.categories, [{ value: 'vehicles', count: 3 }]);
    assert.deepEqual(cars.price, { min: 1200, max: 20_000 });
    assert.deepEqual(Object.keys(cars.attributes).sort(), ['automatic', 'make', 'mileage', 'year']);
    // Toyota and toyota are one value.
    const make = cars.attributes.make!;
    assert.equal(make.length, 2, JSON.stringify(make));
    assert.ok(['Toyota', 'toyota'].includes(make[0]!.value as string), JSON.stringify(make));
    assert.equal(make[0]!.count, 2);
    assert.deepEqual(make[1], { value: 'BMW', count: 1 });
    // The number 2019 and the string "2019" are two values; ties by value as text.
    const year = cars.attributes.year!;
    assert.equal(year.length, 3, JSON.stringify(year));
    assert.deepEqual(year[0], { value: 2015, count: 1 });
    assert.deepEqual(
      year
        .slice(1)
        .map((c) => JSON.stringify(c))
        .sort(),
      [JSON.stringify({ value: 2019, count: 1 }), JSON.stringify({ value: '2019', count: 1 })].sort(),
    );
    assert.deepEqual(cars.attributes.mileage, [
      { value: 42_000, count: 1 },
      { value: 80_000, count: 1 },
    ]);

    const none = await facets('category=boats');
    assert.deepEqual(none, { total: 0, categories: [], attributes: {}, price: { min: null, max: null }, exact: true });

    const mine = await facets('bidder=me', alice);
    assert.equal(mine.total, 2);
    assert.deepEqual(mine.price, { min: 700, max: 1200 });
  });

  test('facets: a boolean and a string spelled like it are two values', async () => {
    // car1 has automatic: true (a boolean), car2 automatic: "TRUE" (a string), car3 false.
    const cars = await facets('category=vehicles');
    const automatic = [...cars.attributes.automatic!].map((c) => JSON.stringify(c)).sort();
    assert.deepEqual(
      automatic,
      [
        JSON.stringify({ value: true, count: 1 }),
        JSON.stringify({ value: 'TRUE', count: 1 }),
        JSON.stringify({ value: false, count: 1 }),
      ].sort(),
      `facets attributes.automatic: ${JSON.stringify(cars.attributes.automatic)}`,
    );
  });

  describe('a malformed filter is 400 VALIDATION_FAILED (list and facets)', () => {
    const long = 'a'.repeat(41);
    const cases: [string, string][] = [
      ['category with capitals', 'category=Vehicles'],
      ['category with an underscore', 'category=classic_cars'],
      ['category empty', 'category='],
      ['category of 41 characters', `category=${long}`],
      ['country XX (not assigned)', 'country=XX'],
      ['country de (lower case)', 'country=de'],
      ['country of three letters', 'country=DEU'],
      ['currency not ISO 4217', 'currency=ZZZ'],
      ['currency in lower case', 'currency=usd'],
      ['currency of two letters', 'currency=US'],
      ['minPrice non-digits', 'minPrice=12abc'],
      ['minPrice negative', 'minPrice=-1'],
      ['minPrice with a decimal point', 'minPrice=1.5'],
      ['maxPrice empty', 'maxPrice='],
      ['maxPrice not a number', 'maxPrice=cheap'],
      ['endsAfter not ISO', 'endsAfter=yesterday'],
      ['endsAfter a date without a time', 'endsAfter=2026-11-22'],
      ['endsAfter epoch milliseconds', 'endsAfter=1795000000000'],
      ['endsBefore not ISO', 'endsBefore=2026-13-45T99:00:00Z'],
      ['hasBuyNow=yes', 'hasBuyNow=yes'],
      ['hasBuyNow=1', 'hasBuyNow=1'],
      ['bidder=someone', 'bidder=someone'],
      ['bidder=ME', 'bidder=ME'],
      ['attr.Make (key with a capital)', 'attr.Make=VW'],
      ['attr.1year (key starting with a digit)', 'attr.1year=2019'],
      ['attr. (no key)', 'attr.=x'],
      ['attr.year.between (unknown suffix)', 'attr.year.between=1'],
      ['attr.make empty', 'attr.make='],
      ['attr.year.min=abc', 'attr.year.min=abc'],
      ['attr.year.max empty', 'attr.year.max='],
      ['attr.year.min=Infinity', 'attr.year.min=Infinity'],
      ['attr.year.min=0x10', 'attr.year.min=0x10'],
      ['attr.year.min repeated', 'attr.year.min=2015&attr.year.min=2016'],
      ['21 categories', Array.from({ length: 21 }, (_, i) => `category=c${i}`).join('&')],
      ['21 countries', Array.from({ length: 21 }, () => 'country=DE').join('&')],
      ['21 values of one attribute', Array.from({ length: 21 }, (_, i) => `attr.make=m${i}`).join('&')],
      ['11 attribute filters', Array.from({ length: 11 }, (_, i) => `attr.k${i}=v`).join('&')],
      ['sort=bids_asc', 'sort=bids_asc'],
      ['status=sold', 'status=sold'],
    ];
    for (const [what, query] of cases) {
      test(what, async () => {
        for (const path of ['/api/v1/auctions', '/api/v1/auctions/facets']) {
          const res = await t.app.inject({ method: 'GET', url: `${path}?${query}`, headers: alice.auth });
          expectProblem(res, 'VALIDATION_FAILED');
        }
      });
    }

    test('the limits themselves are fine: 20 repeats, 10 attribute filters', async () => {
      for (const query of [
        Array.from({ length: 20 }, (_, i) => `category=c${i}`).join('&'),
        Array.from({ length: 20 }, (_, i) => `attr.make=m${i}`).join('&'),
        Array.from({ length: 10 }, (_, i) => `attr.k${i}=v`).join('&'),
        'attr.year.min=2015&attr.year.max=2.5e3&attr.mileage.min=-0.5',
      ]) {
        for (const path of ['/api/v1/auctions', '/api/v1/auctions/facets']) {
          const res = await t.app.inject({ method: 'GET', url: `${path}?${query}` });
          assert.equal(res.statusCode, 200, `${path}?${query.slice(0, 60)}: ${res.body}`);
        }
      }
    });

    test('an unknown parameter is refused, named in the detail', async () => {
      for (const path of ['/api/v1/auctions', '/api/v1/auctions/facets']) {
        const res = await t.app.inject({ method: 'GET', url: `${path}?category=art&colour=red&attr.make=x` });
        const problem = expectProblem(res, 'VALIDATION_FAILED');
        assert.match(problem.detail, /colour/);
        assert.doesNotMatch(problem.detail, /category|attr\.make/);
        const bad = await t.app.inject({ method: 'GET', url: `${path}?attr.Make=VW` });
        assert.match(expectProblem(bad, 'VALIDATION_FAILED').detail, /attr\.Make/);
      }
    });
  });
});

describe('facets: at most 20 values per list, most frequent first, ties by value', () => {
  const clock = new ManualClock(T0);
  let t: TestApp;
  let seller: TestUser;
  before(async () => {
    t = await startTestApp({ clock, limits: LIMITS });
    seller = await createUser(t.app, 'facet_seller');
    const create = async (category: string, attributes: Attributes) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: seller.auth,
        payload: { item: { name: 'x' }, startingPrice: 100, endDate: iso(T0 + HOUR), category, attributes },
      });
      assert.equal(res.statusCode, 201, res.body);
    };
    // 23 categories: c-00 three times, c-22 twice, the rest once; attribute values alike (with case variants).
    for (let i = 0; i < 23; i++) {
      const n = String(i).padStart(2, '0');
      const times = i === 0 ? 3 : i === 22 ? 2 : 1;
      for (let k = 0; k < times; k++) await create(`c-${n}`, { tag: k % 2 === 0 ? `T${n}` : `t${n}`, n: i });
    }
  });
  after(() => t.dispose());

  test('the 20 most frequent categories and attribute values', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auctions/facets' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as FacetsBody;
    assert.equal(body.total, 26);
    const expectedCategories = [
      { value: 'c-00', count: 3 },
      { value: 'c-22', count: 2 },
      ...Array.from({ length: 18 }, (_, i) => ({ value: `c-${String(i + 1).padStart(2, '0')}`, count: 1 })),
    ];
    assert.deepEqual(body.categories, expectedCategories);
    // Numbers: ties by value as text ("10" < "2").
    const asText = Array.from({ length: 21 }, (_, i) => String(i + 1)).sort();
    assert.deepEqual(body.attributes.n, [
      { value: 0, count: 3 },
      { value: 22, count: 2 },
      ...asText
        .filter((s) => s !== '22')
        .slice(0, 18)
        .map((s) => ({ value: Number(s), count: 1 })),
    ]);
    const tags = body.attributes.tag!;
    assert.equal(tags.length, 20);
    assert.deepEqual(
      tags.map((c) => [String(c.value).toLowerCase(), c.count]),
      expectedCategories.map((c) => [c.value.replace('c-', 't'), c.count]),
    );
  });
});

// ---------------------------------------------------------------------------
// Creation
// ---------------------------------------------------------------------------

describe('catalogue fields on creation', () => {
  let t: TestApp;
  let seller: TestUser;
  before(async () => {
    t = await startTestApp({ limits: LIMITS });
    seller = await createUser(t.app, 'create_seller');
  });
  after(() => t.dispose());

  const body = (overrides: Record<string, unknown>) => ({
    item: { name: 'Volvo 240' },
    startingPrice: 1000,
    endDate: iso(Date.now() + 2 * HOUR),
    ...overrides,
  });
  const post = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: { ...seller.auth, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

  const invalid: [string, Record<string, unknown>][] = [
    ['category with capitals', { category: 'Vehicles' }],
    ['category with an underscore', { category: 'classic_cars' }],
    ['category with a space', { category: 'classic cars' }],
    ['category empty', { category: '' }],
    ['category of 41 characters', { category: 'a'.repeat(41) }],
    ['category a number', { category: 7 }],
    ['31 attributes', { attributes: keys(31) }],
    ['attribute key with a capital', { attributes: { Make: 'VW' } }],
    ['attribute key starting with a digit', { attributes: { '1year': 2019 } }],
    ['attribute key with a dash', { attributes: { 'model-year': 2019 } }],
    ['attribute key empty', { attributes: { '': 'x' } }],
    ['attribute key of 41 characters', { attributes: { ['k'.repeat(41)]: 1 } }],
    ['attribute value an object', { attributes: { make: { name: 'VW' } } }],
    ['attribute value an array', { attributes: { make: ['VW'] } }],
    ['attribute value null', { attributes: { make: null } }],
    ['attribute value an empty string', { attributes: { make: '' } }],
    ['attribute value of 201 characters', { attributes: { make: 'm'.repeat(201) } }],
    ['attributes an array', { attributes: [['make', 'VW']] }],
    ['attributes a string', { attributes: 'make=VW' }],
    ['location without country', { location: { city: 'Munich' } }],
    ['location empty', { location: {} }],
    ['location country lower case', { location: { country: 'de' } }],
    ['location country XX', { location: { country: 'XX' } }],
    ['location country alpha-3', { location: { country: 'DEU' } }],
    ['location country a number', { location: { country: 276 } }],
    ['location unknown field', { location: { country: 'DE', street: 'Hauptstr. 1' } }],
    ['location a string', { location: 'Munich, DE' }],
  ];
  for (const [what, overrides] of invalid) {
    test(`400 VALIDATION_FAILED: ${what}`, async () => {
      expectProblem(await post(body(overrides)), 'VALIDATION_FAILED');
    });
  }

  test('nothing refused was stored', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/auctions?sellerId=${seller.id}&limit=100` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as ListBody).items.length, 0);
  });

  const read = async (id: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${id}` });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { auction: AuctionBody }).auction;
  };

  test('valid catalogue fields are kept and echoed on create, GET and in the list', async () => {
    const catalogue = {
      category: 'classic-cars',
      attributes: {
        make: 'Volvo',
        model: 'm'.repeat(200),
        year: 1988,
        mileage: 0,
        engine_l: 2.3,
        temperature_min: -40,
        runs: true,
        rusty: false,
        ['k'.repeat(40)]: 'longest key',
      },
      location: { country: 'SE', region: 'Västra Götaland', city: 'Göteborg' },
    };
    const res = await post(body(catalogue));
    assert.equal(res.statusCode, 201, res.body);
    const created = (res.json() as { auction: AuctionBody }).auction;
    for (const a of [created, await read(created.id)]) {
      assert.equal(a.category, catalogue.category);
      assert.deepEqual(a.attributes, catalogue.attributes);
      assert.deepEqual(a.location, catalogue.location);
    }
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/auctions?category=classic-cars&attr.runs=true` });
    assert.equal(listed.statusCode, 200, listed.body);
    const item = (listed.json() as ListBody).items.find((a) => a.id === created.id);
    assert.ok(item, 'listed');
    assert.deepEqual({ category: item.category, attributes: item.attributes, location: item.location }, catalogue);
  });

  test('boundaries: 30 attributes, a 40-character category, a location with only its country, explicit nulls', async () => {
    const thirty = await post(body({ attributes: keys(30), category: 'a'.repeat(40), location: { country: 'DE' } }));
    assert.equal(thirty.statusCode, 201, thirty.body);
    const a = await read((thirty.json() as { auction: AuctionBody }).auction.id);
    assert.deepEqual(a.attributes, keys(30));
    assert.equal(a.category, 'a'.repeat(40));
    assert.deepEqual(a.location, { country: 'DE', region: null, city: null });

    const nulls = await post(body({ category: null, location: null, attributes: {} }));
    assert.equal(nulls.statusCode, 201, nulls.body);
    const b = await read((nulls.json() as { auction: AuctionBody }).auction.id);
    assert.equal(b.category, null);
    assert.deepEqual(b.attributes, {});
    assert.equal(b.location, null);
  });
});
