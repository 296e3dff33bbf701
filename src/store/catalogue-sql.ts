import { type Auction, type AuctionStatus, attributeKey, buyNowOffered, catalogueOf } from '../domain/index.ts';
import {
  type AuctionFacets,
  type AuctionSort,
  type CatalogueFilters,
  FACETS_EXACT_MAX,
  FACET_VALUES_MAX,
  type FacetCount,
} from './store.ts';

/**
 * The catalogue's SQL, shared by both adapters: the same columns, the same attribute rows, the same
 * conditions (both speak this subset of SQL alike; only the placeholders differ, and each adapter numbers
 * them through `SqlParams`). No user string ever becomes SQL: every value is a parameter.
 *
 * Storage (see docs/catalogue.md): the auction row carries the filtered facts as columns (category,
 * country, city_key, currency, buy_now, bid_count; list_price and end_date were there already), and each
 * attribute is a row of `auction_attributes` (auction_id, key, text_value, num_value, value) with one index
 * on (key, text_value) and one on (key, num_value). Attribute rows rather than a JSON column: the same
 * design in SQLite and PostgreSQL, number ranges answered by a b-tree (a jsonb GIN index answers
 * containment, not `year >= 2015`), and a bid, which rewrites the auction row, never touches them.
 */

/** The columns of an auction row that the catalogue filters read, from its state. */
export function catalogueColumns(auction: Auction) {
  const { category, location } = catalogueOf(auction);
  return {
    category,
    country: location?.country ?? null,
    cityKey: location?.city?.toLowerCase() ?? null,
    currency: auction.currency,
    buyNow: buyNowOffered(auction) ? 1 : 0,
    bidCount: auction.bidCount,
    sampleBucket: sampleBucket(auction.id),
  };
}

/** Facet samples are drawn by bucket: 0 … SAMPLE_BUCKETS - 1, from a hash of the id (FNV-1a). */
export const SAMPLE_BUCKETS = 4_096;

export function sampleBucket(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SAMPLE_BUCKETS;
}

export interface AttributeRow {
  auctionId: string;
  key: string;
  /** Lower-case text of a string, `true`/`false` of a boolean, null for a number. */
  textValue: string | null;
  numValue: number | null;
  /** The value as the seller wrote it (JSON), for facets. */
  value: string;
}

export function attributeRows(auction: Auction): AttributeRow[] {
  return Object.entries(catalogueOf(auction).attributes).map(([key, value]) => {
    const { text, number } = attributeKey(value);
    return { auctionId: auction.id, key, textValue: text, numValue: number, value: JSON.stringify(value) };
  });
}

/** Numbers a value as a parameter; `now()` is the clock reading's placeholder. */
export interface SqlParams {
  param(value: unknown): string;
  now(): string;
}

/** A filter value that reads as a number (`2019`, `-1.5`, `1e3`) matches that number too. */
export const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The conditions (ANDed) of the catalogue filters on the `auctions` table, whose id column is `idColumn`.
 * Each attribute filter is a semi-join on the attribute index.
 */
export function catalogueConditions(filters: CatalogueFilters, idColumn: string, p: SqlParams): string[] {
  const where: string[] = [];
  const list = (values: readonly unknown[]) => values.map((v) => p.param(v)).join(', ');
  if (filters.categories.length > 0) where.push(`category IN (${list(filters.categories)})`);
  if (filters.currencies.length > 0) where.push(`currency IN (${list(filters.currencies)})`);
  if (filters.countries.length > 0) where.push(`country IN (${list(filters.countries)})`);
  if (filters.cities.length > 0) where.push(`city_key IN (${list(filters.cities.map((c) => c.toLowerCase()))})`);
  if (filters.minPrice !== null) where.push(`list_price >= ${p.param(filters.minPrice)}`);
  if (filters.maxPrice !== null) where.push(`list_price <= ${p.param(filters.maxPrice)}`);
  if (filters.endsAfter !== null) where.push(`end_date > ${p.param(filters.endsAfter)}`);
  if (filters.endsBefore !== null) where.push(`end_date < ${p.param(filters.endsBefore)}`);
  // buy_now is only ever 1 while the auction is active (buyNowOffered); the clock does the rest.
  if (filters.hasBuyNow) where.push(`buy_now = 1 AND start_date <= ${p.now()} AND end_date > ${p.now()}`);
  if (filters.bidderId !== null)
    where.push(
      `${idColumn} IN (SELECT auction_id FROM auction_bidders WHERE bidder_id = ${p.param(filters.bidderId)})`,
    );
  for (const attribute of filters.attributes) {
    const key = p.param(attribute.key);
    if (attribute.values.length === 0 && attribute.min === null && attribute.max === null)
      where.push(`${idColumn} IN (SELECT auction_id FROM auction_attributes WHERE key = ${key})`);
    if (attribute.values.length > 0) {
      const numbers = attribute.values
        .filter((v) => NUMBER_TEXT.test(v))
        .map(Number)
        .filter(Number.isFinite);
      const texts = list(attribute.values.map((v) => v.toLowerCase()));
      const matches =
        numbers.length > 0
          ? `(text_value IN (${texts}) OR num_value IN (${list(numbers)}))`
          : `text_value IN (${texts})`;
      where.push(`${idColumn} IN (SELECT auction_id FROM auction_attributes WHERE key = ${key} AND ${matches})`);
    }
    if (attribute.min !== null || attribute.max !== null) {
      const bounds = [
        attribute.min === null ? 'num_value IS NOT NULL' : `num_value >= ${p.param(attribute.min)}`,
        ...(attribute.max === null ? [] : [`num_value <= ${p.param(attribute.max)}`]),
      ];
      where.push(
        `${idColumn} IN (SELECT auction_id FROM auction_attributes WHERE key = ${key} AND ${bounds.join(' AND ')})`,
      );
    }
  }
  return where;
}

/** Which auctions a status is, against the clock (the same in both adapters). */
export function statusCondition(status: AuctionStatus | 'ended', now: () => string): string {
  switch (status) {
    case 'open':
      return `lifecycle = 'active' AND start_date <= ${now()} AND end_date > ${now()}`;
    case 'scheduled':
      return `lifecycle = 'active' AND start_date > ${now()} AND end_date > ${now()}`;
    case 'closed':
      return `(lifecycle = 'closed' OR (lifecycle = 'active' AND end_date <= ${now()}))`;
    case 'cancelled':
      return "lifecycle = 'cancelled'";
    case 'ended':
      return `(lifecycle <> 'active' OR end_date <= ${now()})`;
  }
}

export interface SortOrder {
  column: string;
  direction: 'ASC' | 'DESC';
}

export const SORT_ORDERS: Record<AuctionSort, SortOrder> = {
  ending_soon: { column: 'end_date', direction: 'ASC' },
  newest: { column: 'created_at', direction: 'DESC' },
  price_asc: { column: 'list_price', direction: 'ASC' },
  price_desc: { column: 'list_price', direction: 'DESC' },
  bids_desc: { column: 'bid_count', direction: 'DESC' },
};

/**
 * `ending_soon` without a status: open auctions (soonest end first), then scheduled ones (soonest end
 * first), then ended ones, closed or cancelled (latest end first). A page may span groups; its cursor is
 * [group, end, seq].
 */
export const ENDING_SOON_GROUPS: readonly { status: 'open' | 'scheduled' | 'ended'; order: SortOrder }[] = [
  { status: 'open', order: { column: 'end_date', direction: 'ASC' } },
  { status: 'scheduled', order: { column: 'end_date', direction: 'ASC' } },
  { status: 'ended', order: { column: 'end_date', direction: 'DESC' } },
];

/** The cursor tag of the grouped listing (its keys are three numbers, a sorted listing's two). */
export const GROUPED_CURSOR_TAG = 'ending_soon:grouped';

export function isGrouped(query: { status: AuctionStatus | null; sort: AuctionSort }): boolean {
  return query.status === null && query.sort === 'ending_soon';
}

/** The keyset condition: strictly after the previous page's last (value, seq) in the order's direction. */
export function afterCondition(order: SortOrder, value: string, seq: string): string {
  const cmp = order.direction === 'ASC' ? '>' : '<';
  return `(${order.column} ${cmp} ${value} OR (${order.column} = ${value} AND seq ${cmp} ${seq}))`;
}

/**
 * Above FACETS_EXACT_MAX matches, the facet counts come from a sample of about FACET_SAMPLE_TARGET of them,
 * scaled up: the auctions whose `sample_bucket` (a hash of the id) is below a threshold, read through the
 * bucket index. The same query samples the same auctions, and auctions inserted in blocks (an importer
 * loading all cars first) are sampled evenly.
 */
const FACET_SAMPLE_TARGET = 20_000;

/** The sampling condition and its scale for `total` matches, or null when counts must be exact. */
export function facetSample(total: number): { condition: string; buckets: number; scale: number } | null {
  if (total <= FACETS_EXACT_MAX) return null;
  const buckets = Math.max(1, Math.min(SAMPLE_BUCKETS, Math.ceil((SAMPLE_BUCKETS * FACET_SAMPLE_TARGET) / total)));
  if (buckets >= SAMPLE_BUCKETS) return null;
  return { condition: `sample_bucket < ${buckets}`, buckets, scale: SAMPLE_BUCKETS / buckets };
}

/**
 * A sampled count estimates the total when it holds at least this many matches (relative standard error
 * about 3 %); fewer, and the matches are counted exactly (there are then few enough to count quickly).
 */
export const SAMPLED_TOTAL_MIN = 1_000;

/**
 * How facets are counted once more than FACETS_EXACT_MAX match, from the counts the adapter reads:
 * `sampleOf(rows)` first (a sample sized for all `rows` auctions); if its count `c` reaches
 * SAMPLED_TOTAL_MIN the total is `c` scaled, else the exact count decides (`facetSample(total)`). This
 * keeps a facet request from counting a million matches one by one.
 */
export function sampleOf(rows: number): { condition: string; scale: number } | null {
  return facetSample(Math.max(rows, FACETS_EXACT_MAX + 1));
}

/** The facet queries over the matches of `where` (conditions on `auctions`). */
export function facetStatements(where: string, idColumn: string, dialect: 'sqlite' | 'postgres') {
  return {
    /** How many match, counting no further than one past the exact limit. */
    boundedCount: `SELECT count(*) AS n FROM (SELECT 1 FROM auctions${where} LIMIT ${FACETS_EXACT_MAX + 1}) AS m`,
    count: `SELECT count(*) AS n FROM auctions${where}`,
    // Two statements, not one: each alone is a seek at one end of an index when there is no filter (a
    // query asking for both scans).
    // With a filter, `+ 0` keeps the planner from walking the price index until a row matches (seconds
    // for a rare filter on a million auctions): the matches come from the filter's index instead.
    priceMin: `SELECT min(list_price${where ? ' + 0' : ''}) AS v FROM auctions${where}`,
    priceMax: `SELECT max(list_price${where ? ' + 0' : ''}) AS v FROM auctions${where}`,
    /** The size of the table, as the highest seq (a seek). */
    rows: 'SELECT max(seq) AS n FROM auctions',
    sampledCount: (sampleWhere: string) => `SELECT count(*) AS n FROM auctions${sampleWhere}`,
    // SQLite: `+category` groups the matches as they come, never by walking the category index past
    // non-matches to save a sort (PostgreSQL's planner weighs that with statistics).
    categories: (sampleWhere: string) =>
      `SELECT category AS value, count(*) AS n FROM auctions${sampleWhere}${sampleWhere ? ' AND' : ' WHERE'} category IS NOT NULL GROUP BY ${dialect === 'sqlite' ? '+category' : 'category'}`,
    attributes: (sampleWhere: string) =>
      // One value per key and typed value: strings ignoring case, numbers, booleans (a string's JSON starts
      // with a quote, so "TRUE" and true, both indexed as the text `true`, stay two values).
      `SELECT key, min(value) AS value, count(*) AS n FROM auction_attributes WHERE auction_id IN (SELECT ${idColumn} FROM auctions${sampleWhere}) GROUP BY key, text_value, num_value, substr(value, 1, 1) = '"'`,
  };
}

type Rows = readonly Record<string, unknown>[];

/**
 * Counts the facets of the matches of `where` with `read` (which runs one statement with the query's
 * parameters): exact up to FACETS_EXACT_MAX matches; above, from a sample (see sampleOf).
 */
export async function countFacets(
  where: string,
  idColumn: string,
  dialect: 'sqlite' | 'postgres',
  read: (text: string) => Rows | Promise<Rows>,
): Promise<AuctionFacets> {
  const q = facetStatements(where, idColumn, dialect);
  const count = async (text: string) => Number((await read(text))[0]?.n ?? 0);
  const and = (condition: string) => `${where}${where ? ' AND' : ' WHERE'} ${condition}`;
  let total = await count(q.boundedCount);
  if (total === 0) return facetsOf({ total: 0, price: undefined, categories: [], attributes: [], scale: 1 });
  let sample: { condition: string; scale: number } | null = null;
  if (total > FACETS_EXACT_MAX) {
    sample = sampleOf(await count(q.rows));
    const sampled = sample === null ? 0 : await count(q.sampledCount(and(sample.condition)));
    if (sample !== null && sampled >= SAMPLED_TOTAL_MIN) total = Math.round(sampled * sample.scale);
    else {
      total = await count(q.count);
      sample = facetSample(total);
    }
  }
  const sampleWhere = sample === null ? where : and(sample.condition);
  const [min, max, categories, attributes] = await Promise.all([
    read(q.priceMin),
    read(q.priceMax),
    read(q.categories(sampleWhere)),
    read(q.attributes(sampleWhere)),
  ]);
  return facetsOf({
    total,
    price: { min: min[0]?.v, max: max[0]?.v },
    categories: categories as { value: unknown; n: unknown }[],
    attributes: attributes as { key: unknown; value: unknown; n: unknown }[],
    scale: sample?.scale ?? 1,
  });
}

/** The facets from the rows of the facet queries. */
export function facetsOf(input: {
  total: number;
  price: { min: unknown; max: unknown } | undefined;
  categories: readonly { value: unknown; n: unknown }[];
  attributes: readonly { key: unknown; value: unknown; n: unknown }[];
  scale: number;
}): AuctionFacets {
  const scaled = (n: unknown) => Math.max(1, Math.round(Number(n) * input.scale));
  const categories = top(input.categories.map((r) => ({ value: String(r.value), count: scaled(r.n) })));
  const byKey = new Map<string, FacetCount<string | number | boolean>[]>();
  for (const row of input.attributes) {
    const key = String(row.key);
    let values = byKey.get(key);
    if (!values) byKey.set(key, (values = []));
    values.push({ value: JSON.parse(String(row.value)) as string | number | boolean, count: scaled(row.n) });
  }
  const attributes: AuctionFacets['attributes'] = {};
  for (const key of [...byKey.keys()].sort()) attributes[key] = top(byKey.get(key)!);
  const min = input.price?.min;
  const max = input.price?.max;
  return {
    total: input.total,
    categories,
    attributes,
    price: min === null || min === undefined ? null : { min: Number(min), max: Number(max) },
    exact: input.scale === 1,
  };
}

/** The FACET_VALUES_MAX most frequent, ties by value (as text), so that every adapter answers alike. */
function top<V>(counts: FacetCount<V>[]): FacetCount<V>[] {
  return counts
    .sort(
      (a, b) =>
        b.count - a.count || (String(a.value) < String(b.value) ? -1 : String(a.value) > String(b.value) ? 1 : 0),
    )
    .slice(0, FACET_VALUES_MAX);
}
