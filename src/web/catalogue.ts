/**
 * The catalogue on the page: categories, attributes and locations as people read and type them, and the
 * browse page's filters as they live in its URL (`#/?category=vehicles&attr.make=Toyota`) and as the API
 * takes them. Pure: no DOM, no requests, so test/web.catalogue.units.test.ts can hold it to the contract.
 */
import {
  ATTRIBUTE_KEY_PATTERN,
  ATTRIBUTE_TEXT_MAX,
  ATTRIBUTES_MAX,
  type AttributeValue,
  CATEGORY_PATTERN,
  isCountryCode,
} from '../domain/catalogue.ts';

export { ATTRIBUTE_KEY_PATTERN, ATTRIBUTE_TEXT_MAX, ATTRIBUTES_MAX, CATEGORY_PATTERN, type AttributeValue };
export { ITEM_IMAGES_MAX } from '../domain/catalogue.ts';

// ---------- categories ----------

/** The categories the sell form offers first; a seller may type any other that fits CATEGORY_PATTERN. */
export const CATEGORIES: readonly { value: string; label: string }[] = [
  { value: 'vehicles', label: 'Vehicles' },
  { value: 'watches', label: 'Watches' },
  { value: 'jewellery', label: 'Jewellery' },
  { value: 'art', label: 'Art' },
  { value: 'antiques', label: 'Antiques' },
  { value: 'collectibles', label: 'Collectibles' },
  { value: 'electronics', label: 'Electronics' },
  { value: 'cameras', label: 'Cameras' },
  { value: 'computers', label: 'Computers' },
  { value: 'fashion', label: 'Fashion' },
  { value: 'home-garden', label: 'Home & garden' },
  { value: 'books', label: 'Books' },
  { value: 'music', label: 'Music' },
  { value: 'sports', label: 'Sports' },
  { value: 'toys', label: 'Toys' },
];

/** "Vehicles" for `vehicles`, "Classic cars" for `classic-cars`. */
export function categoryLabel(value: string): string {
  return CATEGORIES.find((c) => c.value === value)?.label ?? sentenceCase(value.replace(/-+/g, ' '));
}

/**
 * What a seller typed as a category, as the API takes it: lower case, spaces and underscores as dashes.
 * Null when it still does not fit `^[a-z0-9-]{1,40}$` (accents, punctuation, too long).
 */
export function categoryOf(text: string): string | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-{2,}/g, '-');
  return CATEGORY_PATTERN.test(value) ? value : null;
}

// ---------- attributes ----------

/** What the sell form asks about a vehicle; other categories get a free key/value editor. */
export const VEHICLE_FIELDS: readonly VehicleField[] = [
  { key: 'make', label: 'Make', kind: 'text', placeholder: 'Toyota' },
  { key: 'model', label: 'Model', kind: 'text', placeholder: 'Camry' },
  { key: 'year', label: 'Year', kind: 'number', placeholder: '2019', min: 1886, max: 2100 },
  { key: 'mileage', label: 'Mileage (km)', kind: 'number', placeholder: '42000', min: 0, max: 10_000_000 },
  { key: 'fuel', label: 'Fuel', kind: 'choice', choices: ['petrol', 'diesel', 'hybrid', 'electric', 'lpg', 'other'] },
  { key: 'transmission', label: 'Transmission', kind: 'choice', choices: ['manual', 'automatic'] },
  {
    key: 'condition',
    label: 'Condition',
    kind: 'choice',
    choices: ['new', 'like new', 'good', 'fair', 'for parts'],
  },
];
export type VehicleField =
  | { key: string; label: string; kind: 'text'; placeholder: string }
  | { key: string; label: string; kind: 'number'; placeholder: string; min: number; max: number }
  | { key: string; label: string; kind: 'choice'; choices: string[] };

/** "Model year" for `model_year`. */
export function attributeLabel(key: string): string {
  const vehicle = VEHICLE_FIELDS.find((f) => f.key === key);
  if (vehicle) return vehicle.label;
  return sentenceCase(key.replace(/_+/g, ' '));
}

/** An attribute's value for people: Yes/No, 2019 (a year, not "2,019"), 42,000, "Diesel". */
export function formatAttributeValue(value: AttributeValue): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return Math.abs(value) >= 10_000 ? value.toLocaleString() : String(value);
  // "diesel" reads as "Diesel"; a value with capitals of its own ("iPhone", "BMW") is shown as written.
  return value === value.toLowerCase() ? sentenceCase(value) : value;
}

/**
 * A detail's name as typed ("Model year", "Size (mm)", "Année") as an attribute key (`model_year`, `size_mm`,
 * `annee`), or null when it cannot be one (it must start with a letter, and a key has at most 40 characters).
 */
export function attributeKeyOf(name: string): string | null {
  const key = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ATTRIBUTE_KEY_PATTERN.test(key) ? key : null;
}

/**
 * A detail's value as typed: a plain decimal number becomes a number (so buyers can filter by range);
 * anything else stays text, as written. "007" stays text: a leading zero is a code, not a quantity.
 */
export function attributeValueOf(text: string): AttributeValue {
  const value = text.trim();
  if (/^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,6})?$/.test(value)) return Number(value);
  return value;
}

// ---------- locations ----------

/** ISO 3166-1 alpha-2 codes as the server knows them (the domain's list), with names in the page's language. */
export const COUNTRIES: readonly { code: string; name: string }[] = (() => {
  const names = regionNames();
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (isCountryCode(code)) codes.push(code);
    }
  return codes.map((code) => ({ code, name: names?.of(code) ?? code })).sort((x, y) => x.name.localeCompare(y.name));
})();

function regionNames(): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
}

export function countryName(code: string): string {
  return COUNTRIES.find((c) => c.code === code)?.name ?? code;
}

/** "Munich, Bavaria, Germany". */
export function formatLocation(location: { country: string; region: string | null; city: string | null }): string {
  return [location.city, location.region, countryName(location.country)].filter(Boolean).join(', ');
}

// ---------- the browse page's filters ----------

/** How soon an auction must end, as the page's URL says it (`endsWithin=24h`): relative, so a shared link stays true. */
export const ENDS_WITHIN: readonly { value: string; label: string; ms: number }[] = [
  { value: '1h', label: 'Within 1 hour', ms: 3_600_000 },
  { value: '24h', label: 'Within 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Within 7 days', ms: 7 * 86_400_000 },
];

/** `attr.year`, `attr.year.min`, `attr.year.max`. */
const ATTRIBUTE_PARAM = /^attr\.([a-z][a-z0-9_]{0,39})(?:\.(min|max))?$/;
/** Page parameters that are passed to the API as they are. */
const PASSED = ['q', 'sort', 'category', 'currency', 'minPrice', 'maxPrice', 'country', 'city', 'hasBuyNow'];

/** The browse page's filters, read from its URL. */
export interface BrowseFilters {
  categories: string[];
  /** Exact values per attribute key (any of them), as typed in the URL. */
  values: Map<string, string[]>;
  /** Number ranges per attribute key; either end may be missing. */
  ranges: Map<string, { min: string | null; max: string | null }>;
  currency: string | null;
  minPrice: number | null;
  maxPrice: number | null;
  country: string | null;
  city: string | null;
  endsWithin: string | null;
  hasBuyNow: boolean;
}

export function filtersOf(query: URLSearchParams): BrowseFilters {
  const values = new Map<string, string[]>();
  const ranges = new Map<string, { min: string | null; max: string | null }>();
  for (const [name, value] of query) {
    const match = ATTRIBUTE_PARAM.exec(name);
    if (!match || value === '') continue;
    const key = match[1]!;
    if (match[2] === undefined) values.set(key, [...(values.get(key) ?? []), value]);
    else {
      const range = ranges.get(key) ?? { min: null, max: null };
      range[match[2] as 'min' | 'max'] = value;
      ranges.set(key, range);
    }
  }
  const amount = (name: string) => {
    const v = query.get(name);
    return v !== null && /^\d{1,15}$/.test(v) ? Number(v) : null;
  };
  return {
    categories: query.getAll('category').filter(Boolean),
    values,
    ranges,
    currency: query.get('currency') || null,
    minPrice: amount('minPrice'),
    maxPrice: amount('maxPrice'),
    country: query.get('country') || null,
    city: query.get('city') || null,
    endsWithin: ENDS_WITHIN.some((e) => e.value === query.get('endsWithin')) ? query.get('endsWithin') : null,
    hasBuyNow: query.get('hasBuyNow') === 'true',
  };
}

/** How many filters of the sidebar are on (the phone's "Filters (3)" button). */
export function activeFilterCount(f: BrowseFilters): number {
  let n = f.categories.length + f.ranges.size;
  for (const v of f.values.values()) n += v.length;
  if (f.currency) n++;
  if (f.minPrice !== null || f.maxPrice !== null) n++;
  if (f.country) n++;
  if (f.city) n++;
  if (f.endsWithin) n++;
  if (f.hasBuyNow) n++;
  return n;
}

/** The page parameters that are sidebar filters (cleared together by "Clear all"). */
export function isFilterParam(name: string): boolean {
  return (
    ATTRIBUTE_PARAM.test(name) ||
    ['category', 'currency', 'minPrice', 'maxPrice', 'country', 'city', 'endsWithin', 'hasBuyNow'].includes(name)
  );
}

/**
 * The API's query (`GET /auctions` and `/auctions/facets`) for the page's: the status chip (`open` when
 * none, nothing for `all`), `endsWithin` as an `endsBefore` instant from `now` (the server's clock), every
 * other filter as it is. Anything else in the page's URL is the page's own and is not sent (the API refuses
 * unknown parameters).
 */
export function apiQueryOf(query: URLSearchParams, now: number): URLSearchParams {
  const api = new URLSearchParams();
  const status = query.get('status') ?? 'open';
  if (status !== 'all') api.set('status', status);
  for (const [name, value] of query) {
    if (value === '') continue;
    if (PASSED.includes(name) || ATTRIBUTE_PARAM.test(name)) api.append(name, value);
  }
  const within = ENDS_WITHIN.find((e) => e.value === query.get('endsWithin'));
  if (within) api.set('endsBefore', new Date(now + within.ms).toISOString());
  return api;
}

/** The same query without some parameters: the facets of one filter are counted without that filter. */
export function without(query: URLSearchParams, ...names: string[]): URLSearchParams {
  const next = new URLSearchParams();
  for (const [name, value] of query) if (!names.includes(name)) next.append(name, value);
  return next;
}

/** The query with `value` added to or removed from the repeatable parameter `name`. */
export function toggled(query: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(query);
  const current = next.getAll(name);
  const on = current.some((v) => sameValue(v, value));
  next.delete(name);
  for (const v of on ? current.filter((c) => !sameValue(c, value)) : [...current, value]) next.append(name, v);
  return next;
}

/** Attribute text matches ignoring case, as the server compares it. */
export function sameValue(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The query with single parameters set (or removed, for '' and null). */
export function withParams(query: URLSearchParams, changes: Record<string, string | null>): URLSearchParams {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
  }
  return next;
}

function sentenceCase(text: string): string {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
