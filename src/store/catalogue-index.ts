import type { AuctionStatus } from '../domain/index.ts';
import { ENDING_SOON_GROUPS, NUMBER_TEXT, SORT_ORDERS, facetSample, facetsOf, isGrouped } from './catalogue-sql.ts';
import type { AttributeFilter, AuctionFacets, AuctionSort, CatalogueFilters } from './store.ts';

/**
 * The catalogue index: every auction's listing facts in memory, in columns (typed arrays indexed by the
 * auction's `seq`), so that any combination of filters, a sorted page and the facet counts are one pass
 * over flat arrays (~2–10 ms for 1,000,000 auctions) instead of an SQL plan that fits one filter and walks
 * everything for the others (seconds for three filters that each match many auctions but rarely together;
 * see docs/performance.md). It holds no item text, no state: the store reads a page's auctions by `seq`.
 *
 * Pure data: it is fed rows (`CatalogueRow`, the auction row's catalogue columns and attribute rows, as
 * both adapters store them) and answers with `seq`s; `IndexedCatalogue` keeps it in step with the store.
 * The semantics are those of the SQL in catalogue-sql.ts, which the store contract checks both against.
 *
 * Memory: ~60 bytes per auction in the columns plus 8 per attribute; the server's RSS grew by ~230 bytes per
 * auction with it at 1,000,000 (arrays grow by half when full; interned strings).
 */

export interface CatalogueRow {
  seq: number;
  version: number;
  sellerId: string;
  lifecycle: string;
  startDate: number;
  endDate: number;
  createdAt: number;
  listPrice: number;
  bidCount: number;
  category: string | null;
  country: string | null;
  cityKey: string | null;
  currency: string;
  buyNow: boolean;
  sampleBucket: number;
  /** [key, text_value, num_value, value] as stored in auction_attributes. */
  attributes: readonly (readonly [string, string | null, number | null, string])[];
}

/** What the index needs of a listing (the caller has decoded the cursor). */
export interface IndexedListing {
  status: AuctionStatus | null;
  sellerId: string | null;
  filters: CatalogueFilters;
  sort: AuctionSort;
  limit: number;
  now: number;
  /** The previous page's last key: [value, seq], or [group, value, seq] for the grouped ending_soon. */
  after: readonly number[] | null;
}

export interface IndexedPage {
  seqs: number[];
  versions: number[];
  more: boolean;
  last: number[] | null;
}

const ACTIVE = 1;
const CLOSED = 2;
const CANCELLED = 3;
const LIFECYCLES: Record<string, number> = { active: ACTIVE, closed: CLOSED, cancelled: CANCELLED };

/** Attribute filters one pass can check together (one bit each). */
export const INDEX_ATTRIBUTE_FILTERS_MAX = 30;

/** Strings to small integers and back. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

/** A mask over an interner's ids (index id + 1, so that "none" = -1 reads slot 0, always 0), or null when unfiltered. */
function maskOf(interner: Interner, values: readonly string[]): Uint8Array | null {
  if (values.length === 0) return null;
  const mask = new Uint8Array(interner.values.length + 1);
  for (const value of values) {
    const id = interner.find(value);
    if (id !== undefined) mask[id + 1] = 1;
  }
  return mask;
}

export class CatalogueIndex {
  private capacity = 0;
  /** The highest seq held. */
  private top = 0;
  /** How many auctions are held. */
  size = 0;

  private present = new Uint8Array(0);
  private version = new Int32Array(0);
  private lifecycle = new Uint8Array(0);
  private start = new Float64Array(0);
  private end = new Float64Array(0);
  private created = new Float64Array(0);
  private price = new Float64Array(0);
  private bids = new Float64Array(0);
  private seller = new Int32Array(0);
  private category = new Int32Array(0);
  private country = new Int32Array(0);
  private city = new Int32Array(0);
  private currency = new Int32Array(0);
  private buyNow = new Uint8Array(0);
  private bucket = new Uint16Array(0);
  /** An auction's attributes: `pairCount[seq]` entries of the pool from `pairStart[seq]`. */
  private pairStart = new Int32Array(0);
  private pairCount = new Uint8Array(0);
  /** The attribute pool: each entry is a value group and the raw spelling (JSON) of the value. */
  private pairGroup = new Int32Array(1024);
  private pairRaw = new Int32Array(1024);
  private poolLength = 0;
  /** Pool entries no auction points at any more (rewritten attributes); compacted past half the pool. */
  private poolGarbage = 0;

  private readonly sellers = new Interner();
  private readonly categories = new Interner();
  private readonly countries = new Interner();
  private readonly cities = new Interner();
  private readonly currencies = new Interner();
  private readonly keys = new Interner();
  private readonly raws = new Interner();
  /**
   * A value group is what the facets count as one value of a key and what a filter matches: (key, text,
   * number, whether a string), as the SQL groups attribute rows. Its text and number are the stored
   * text_value and num_value.
   */
  private readonly groups = new Interner();
  private readonly groupKey: number[] = [];
  private readonly groupText: (string | null)[] = [];
  private readonly groupNumber: number[] = [];
  /** The first raw spelling seen of each group, and whether it has had others (then facets pick the least). */
  private readonly groupRaw: number[] = [];
  private groupSpellingsMulti = new Uint8Array(1024);
  /** A facet request's matches (seqs), reused: a million of them in a JS array cost more than counting them. */
  private matched = new Int32Array(0);
  /** Per value group, a facet request's count (all 0 between requests). */
  private groupCounts = new Int32Array(0);
  /** The groups of each key (for number ranges and "has the key"). */
  private readonly keyGroups: number[][] = [];

  /** Adds or replaces an auction; an older version than the one held changes nothing. */
  apply(row: CatalogueRow): void {
    const s = row.seq;
    if (!Number.isSafeInteger(s) || s < 0) throw new RangeError(`bad seq ${s}`);
    this.ensure(s);
    if (this.present[s] === 1 && this.version[s]! > row.version) return;
    if (this.present[s] !== 1) {
      this.present[s] = 1;
      this.size++;
      if (s > this.top) this.top = s;
    }
    this.version[s] = row.version;
    this.lifecycle[s] = LIFECYCLES[row.lifecycle] ?? 0;
    this.start[s] = row.startDate;
    this.end[s] = row.endDate;
    this.created[s] = row.createdAt;
    this.price[s] = row.listPrice;
    this.bids[s] = row.bidCount;
    this.seller[s] = this.sellers.id(row.sellerId);
    this.category[s] = row.category === null ? -1 : this.categories.id(row.category);
    this.country[s] = row.country === null ? -1 : this.countries.id(row.country);
    this.city[s] = row.cityKey === null ? -1 : this.cities.id(row.cityKey);
    this.currency[s] = this.currencies.id(row.currency);
    this.buyNow[s] = row.buyNow ? 1 : 0;
    this.bucket[s] = row.sampleBucket;
    this.setAttributes(s, row.attributes);
  }

  private setAttributes(s: number, attributes: CatalogueRow['attributes']): void {
    const groups = attributes.map(([key, text, number, raw]) => {
      const g = this.groupOf(key, text, number, raw);
      const r = this.raws.id(raw);
      this.noteSpelling(g, r);
      return [g, r] as const;
    });
    const count = this.pairCount[s]!;
    const from = this.pairStart[s]!;
    // A bid changes the row but not its attributes: keep the entries when they are the same.
    if (
      count === groups.length &&
      groups.every(([g, r], i) => this.pairGroup[from + i] === g && this.pairRaw[from + i] === r)
    )
      return;
    this.poolGarbage += count;
    if (this.poolLength + groups.length > this.pairGroup.length) this.growPool(this.poolLength + groups.length);
    const at = this.poolLength;
    groups.forEach(([g, r], i) => {
      this.pairGroup[at + i] = g;
      this.pairRaw[at + i] = r;
    });
    this.poolLength += groups.length;
    this.pairStart[s] = at;
    this.pairCount[s] = groups.length;
    if (this.poolGarbage > 65_536 && this.poolGarbage * 2 > this.poolLength) this.compactPool();
  }

  private groupOf(key: string, text: string | null, number: number | null, raw: string): number {
    const isString = raw.startsWith('"');
    const name = `${key}\u0000${isString ? 's' : 'x'}\u0000${text ?? ''}\u0000${number ?? ''}`;
    const before = this.groups.values.length;
    const g = this.groups.id(name);
    if (g === before) {
      const k = this.keys.id(key);
      this.groupKey.push(k);
      this.groupText.push(text);
      this.groupNumber.push(number ?? Number.NaN);
      this.groupRaw.push(this.raws.id(raw));
      (this.keyGroups[k] ??= []).push(g);
    }
    return g;
  }

  /** Marks a group that has been spelled more than one way (its facet value is then the least spelling). */
  private noteSpelling(g: number, r: number): void {
    if (this.groupRaw[g] === r) return;
    if (g >= this.groupSpellingsMulti.length) {
      const grown = new Uint8Array(Math.max(g + 1, this.groupSpellingsMulti.length * 2));
      grown.set(this.groupSpellingsMulti);
      this.groupSpellingsMulti = grown;
    }
    this.groupSpellingsMulti[g] = 1;
  }

  private ensure(s: number): void {
    if (s < this.capacity) return;
    const capacity = Math.max(s + 1, Math.ceil(this.capacity * 1.5), 1024);
    const grow = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a as never);
      return b;
    };
    this.present = grow(this.present, (n) => new Uint8Array(n));
    this.version = grow(this.version, (n) => new Int32Array(n));
    this.lifecycle = grow(this.lifecycle, (n) => new Uint8Array(n));
    this.start = grow(this.start, (n) => new Float64Array(n));
    this.end = grow(this.end, (n) => new Float64Array(n));
    this.created = grow(this.created, (n) => new Float64Array(n));
    this.price = grow(this.price, (n) => new Float64Array(n));
    this.bids = grow(this.bids, (n) => new Float64Array(n));
    this.seller = grow(this.seller, (n) => new Int32Array(n));
    this.category = grow(this.category, (n) => new Int32Array(n));
    this.country = grow(this.country, (n) => new Int32Array(n));
    this.city = grow(this.city, (n) => new Int32Array(n));
    this.currency = grow(this.currency, (n) => new Int32Array(n));
    this.buyNow = grow(this.buyNow, (n) => new Uint8Array(n));
    this.bucket = grow(this.bucket, (n) => new Uint16Array(n));
    this.pairStart = grow(this.pairStart, (n) => new Int32Array(n));
    this.pairCount = grow(this.pairCount, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }

  private growPool(needed: number): void {
    const length = Math.max(needed, this.pairGroup.length * 2);
    const group = new Int32Array(length);
    group.set(this.pairGroup.subarray(0, this.poolLength));
    const raw = new Int32Array(length);
    raw.set(this.pairRaw.subarray(0, this.poolLength));
    this.pairGroup = group;
    this.pairRaw = raw;
  }

  private compactPool(): void {
    const live = this.poolLength - this.poolGarbage;
    const group = new Int32Array(Math.max(1024, Math.ceil(live * 1.25)));
    const raw = new Int32Array(group.length);
    let at = 0;
    for (let s = 0; s <= this.top; s++) {
      if (this.present[s] !== 1) continue;
      const from = this.pairStart[s]!;
      const count = this.pairCount[s]!;
      group.set(this.pairGroup.subarray(from, from + count), at);
      raw.set(this.pairRaw.subarray(from, from + count), at);
      this.pairStart[s] = at;
      at += count;
    }
    this.pairGroup = group;
    this.pairRaw = raw;
    this.poolLength = at;
    this.poolGarbage = 0;
  }

  /** Whether the index can answer this query alone (no search terms, no bidder filter, few attribute filters). */
  static answers(query: { terms: readonly string[]; filters?: CatalogueFilters }): boolean {
    const f = query.filters;
    return (
      query.terms.length === 0 &&
      (f === undefined || (f.bidderId === null && f.attributes.length <= INDEX_ATTRIBUTE_FILTERS_MAX))
    );
  }

  /** The page `list` would answer: its auctions' seqs (and the versions the index holds) in order. */
  list(query: IndexedListing): IndexedPage {
    const matcher = this.matcher(query);
    const limit = query.limit + 1;
    if (matcher === null) return { seqs: [], versions: [], more: false, last: null };
    const grouped = isGrouped(query);
    const orders = grouped ? ENDING_SOON_GROUPS.map((g) => g.order) : [SORT_ORDERS[query.sort]];
    const columns = orders.map((o) => this.column(o.column));
    const descending = orders.map((o) => o.direction === 'DESC');
    const after = query.after;
    const afterGroup = grouped && after !== null ? after[0]! : 0;
    const afterValue = after === null ? 0 : after[after.length - 2]!;
    const afterSeq = after === null ? 0 : after[after.length - 1]!;
    const now = query.now;
    const { lifecycle, start, end } = this;
    // The best `limit` so far, in order: parallel arrays of group, value and seq.
    const pg: number[] = [];
    const pv: number[] = [];
    const ps: number[] = [];
    /** a before b in the listing's order? */
    const before = (ga: number, va: number, sa: number, gb: number, vb: number, sb: number) => {
      if (ga !== gb) return ga < gb;
      if (descending[ga]) return va > vb || (va === vb && sa > sb);
      return va < vb || (va === vb && sa < sb);
    };
    matcher((s) => {
      let g = 0;
      if (grouped) {
        const l = lifecycle[s];
        g = l !== ACTIVE || end[s]! <= now ? 2 : start[s]! <= now ? 0 : 1;
      }
      const v = columns[g]![s]!;
      if (after !== null && !before(afterGroup, afterValue, afterSeq, g, v, s)) return;
      const n = ps.length;
      if (n === limit && !before(g, v, s, pg[n - 1]!, pv[n - 1]!, ps[n - 1]!)) return;
      let i = n;
      while (i > 0 && before(g, v, s, pg[i - 1]!, pv[i - 1]!, ps[i - 1]!)) i--;
      pg.splice(i, 0, g);
      pv.splice(i, 0, v);
      ps.splice(i, 0, s);
      if (ps.length > limit) {
        pg.pop();
        pv.pop();
        ps.pop();
      }
    });
    const more = ps.length > query.limit;
    const count = more ? query.limit : ps.length;
    const seqs = ps.slice(0, count);
    const lastAt = count - 1;
    const last = count === 0 ? null : grouped ? [pg[lastAt]!, pv[lastAt]!, ps[lastAt]!] : [pv[lastAt]!, ps[lastAt]!];
    return { seqs, versions: seqs.map((s) => this.version[s]!), more, last };
  }

  /** The facets of what `list` would list (see Store.auctionFacets). */
  facets(query: Omit<IndexedListing, 'sort' | 'limit' | 'after'>): AuctionFacets {
    const empty = facetsOf({ total: 0, price: undefined, categories: [], attributes: [], scale: 1 });
    const matcher = this.matcher(query);
    if (matcher === null) return empty;
    if (this.matched.length < this.top + 1) this.matched = new Int32Array(this.capacity);
    const matched = this.matched;
    let total = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const { price } = this;
    matcher((s) => {
      matched[total++] = s;
      const p = price[s]!;
      if (p < min) min = p;
      if (p > max) max = p;
    });
    if (total === 0) return empty;
    // Above FACETS_EXACT_MAX, values are counted on a sample (the same buckets as the SQL), the total exactly.
    const sample = facetSample(total);
    const buckets = sample?.buckets ?? Number.POSITIVE_INFINITY;
    const categoryCounts = new Float64Array(this.categories.values.length);
    if (this.groupCounts.length < this.groups.values.length)
      this.groupCounts = new Int32Array(Math.max(1024, this.groups.values.length * 2));
    const groupCounts = this.groupCounts;
    const touched: number[] = [];
    const leastSpelling = new Map<number, string>();
    const { bucket, category, pairStart, pairCount, pairGroup, pairRaw, groupSpellingsMulti } = this;
    for (let i = 0; i < total; i++) {
      const s = matched[i]!;
      if (bucket[s]! >= buckets) continue;
      const c = category[s]!;
      if (c >= 0) categoryCounts[c]!++;
      for (let p = pairStart[s]!, e = p + pairCount[s]!; p < e; p++) {
        const g = pairGroup[p]!;
        if (groupCounts[g]!++ === 0) touched.push(g);
        if (groupSpellingsMulti[g] === 1) {
          const raw = this.raws.values[pairRaw[p]!]!;
          const least = leastSpelling.get(g);
          if (least === undefined || raw < least) leastSpelling.set(g, raw);
        }
      }
    }
    const categories: { value: string; n: number }[] = [];
    categoryCounts.forEach((n, c) => {
      if (n > 0) categories.push({ value: this.categories.values[c]!, n });
    });
    const attributes: { key: string; value: string; n: number }[] = [];
    for (const g of touched) {
      attributes.push({
        key: this.keys.values[this.groupKey[g]!]!,
        value: leastSpelling.get(g) ?? this.raws.values[this.groupRaw[g]!]!,
        n: groupCounts[g]!,
      });
      groupCounts[g] = 0;
    }
    const facets = facetsOf({ total, price: { min, max }, categories, attributes, scale: sample?.scale ?? 1 });
    return facets;
  }

  private column(name: string): Float64Array {
    switch (name) {
      case 'end_date':
        return this.end;
      case 'created_at':
        return this.created;
      case 'list_price':
        return this.price;
      case 'bid_count':
        return this.bids;
      default:
        throw new Error(`no index column for ${name}`);
    }
  }

  /**
   * A pass over every auction that matches the query's status, seller and filters, in seq order; null when
   * nothing can match (a filter value no auction has).
   */
  private matcher(
    query: Omit<IndexedListing, 'sort' | 'limit' | 'after'>,
  ): ((visit: (s: number) => void) => void) | null {
    const f = query.filters;
    const now = query.now;
    let seller = -1;
    if (query.sellerId !== null) {
      const id = this.sellers.find(query.sellerId);
      if (id === undefined) return null;
      seller = id;
    }
    const categoryMask = maskOf(this.categories, f.categories);
    const currencyMask = maskOf(this.currencies, f.currencies);
    const countryMask = maskOf(this.countries, f.countries);
    const cityMask = maskOf(
      this.cities,
      f.cities.map((c) => c.toLowerCase()),
    );
    for (const mask of [categoryMask, currencyMask, countryMask, cityMask])
      if (mask !== null && !mask.includes(1)) return null;
    const minPrice = f.minPrice ?? Number.NEGATIVE_INFINITY;
    const maxPrice = f.maxPrice ?? Number.POSITIVE_INFINITY;
    const endsAfter = f.endsAfter ?? Number.NEGATIVE_INFINITY;
    const endsBefore = f.endsBefore ?? Number.POSITIVE_INFINITY;
    const hasBuyNow = f.hasBuyNow;
    const status = query.status;
    const attributes = this.attributeBits(f.attributes);
    if (attributes === null) return null;
    const { bits: groupBits, required } = attributes;
    const { present, lifecycle, start, end, price, category, currency, country, city, buyNow } = this;
    const sellers = this.seller;
    const { pairStart, pairCount, pairGroup } = this;
    const top = this.top;
    return (visit) => {
      for (let s = 0; s <= top; s++) {
        if (present[s] !== 1) continue;
        if (seller >= 0 && sellers[s] !== seller) continue;
        if (categoryMask !== null && categoryMask[category[s]! + 1] !== 1) continue;
        if (currencyMask !== null && currencyMask[currency[s]! + 1] !== 1) continue;
        if (countryMask !== null && countryMask[country[s]! + 1] !== 1) continue;
        if (cityMask !== null && cityMask[city[s]! + 1] !== 1) continue;
        const p = price[s]!;
        if (p < minPrice || p > maxPrice) continue;
        const e = end[s]!;
        if (e <= endsAfter || e >= endsBefore) continue;
        if (hasBuyNow && (buyNow[s] !== 1 || start[s]! > now || e <= now)) continue;
        if (status !== null) {
          const l = lifecycle[s]!;
          const open = l === ACTIVE && e > now;
          if (
            status === 'open'
              ? !open || start[s]! > now
              : status === 'scheduled'
                ? !open || start[s]! <= now
                : status === 'closed'
                  ? l !== CLOSED && (l !== ACTIVE || e > now)
                  : l !== CANCELLED
          )
            continue;
        }
        if (required !== 0) {
          let found = 0;
          for (let q = pairStart[s]!, qe = q + pairCount[s]!; q < qe; q++) found |= groupBits[pairGroup[q]!]!;
          if ((found & required) !== required) continue;
        }
        visit(s);
      }
    };
  }

  /**
   * Per value group, the attribute filters it satisfies (bit i for filter i), and the bits every match
   * needs; null when a filter matches no group at all. As in the SQL, each filter is one condition on the
   * auction's row for its key: values (text or number), bounds (numbers only), or, with neither, the key.
   */
  private attributeBits(filters: readonly AttributeFilter[]): { bits: Int32Array; required: number } | null {
    if (filters.length === 0) return { bits: new Int32Array(0), required: 0 };
    const bits = new Int32Array(this.groups.values.length);
    let required = 0;
    for (const [i, filter] of filters.entries()) {
      const bit = 1 << i;
      required |= bit;
      const k = this.keys.find(filter.key);
      if (k === undefined) return null;
      const texts = new Set(filter.values.map((v) => v.toLowerCase()));
      const numbers = new Set(
        filter.values
          .filter((v) => NUMBER_TEXT.test(v))
          .map(Number)
          .filter(Number.isFinite),
      );
      const anyValue = filter.values.length === 0;
      const min = filter.min;
      const max = filter.max;
      const bounded = min !== null || max !== null;
      let some = false;
      for (const g of this.keyGroups[k] ?? []) {
        const text = this.groupText[g]!;
        const number = this.groupNumber[g]!;
        if (!anyValue && !(text !== null && texts.has(text)) && !(!Number.isNaN(number) && numbers.has(number)))
          continue;
        if (bounded && (Number.isNaN(number) || (min !== null && number < min) || (max !== null && number > max)))
          continue;
        bits[g]! |= bit;
        some = true;
      }
      if (!some) return null;
    }
    return { bits, required };
  }
}
