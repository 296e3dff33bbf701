import { useEffect, useState } from 'preact/hooks';
import type { FacetCount, Facets } from '../api.ts';
import {
  type BrowseFilters,
  COUNTRIES,
  ENDS_WITHIN,
  VEHICLE_FIELDS,
  activeFilterCount,
  attributeLabel,
  categoryLabel,
  formatAttributeValue,
  isFilterParam,
  sameValue,
  toggled,
  withParams,
} from '../catalogue.ts';
import { COMMON_CURRENCIES, formatMoney, parseMoney, toMajorInput } from '../money.ts';

/** Attribute groups shown at most (the most common first); any the URL filters on are shown as well. */
const MAX_ATTRIBUTE_GROUPS = 8;
/** Values listed per group before "Show all". */
const VALUES_SHOWN = 6;
/** A number in an attribute range, as the API takes it (`attr.year.min=2015`, `attr.engine_l.max=2.5`). */
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)$/;

export interface SidebarProps {
  id: string;
  query: URLSearchParams;
  filters: BrowseFilters;
  /** Counts for the matching auctions (each group counted without its own filter); null before the first answer. */
  facets: Facets | null;
  /** Phones: whether the sidebar is unfolded (wide screens always show it). */
  open: boolean;
  onChange(next: URLSearchParams): void;
  /** Phones: fold the sidebar and go to the results. */
  onDone(): void;
}

/**
 * The browse page's filters, each a change of the page's URL (so a search can be shared and Back undoes
 * the last filter): categories, the chosen category's common attributes (values with counts, number
 * ranges), price, location, how soon the auction ends, buy-now only.
 */
export function FilterSidebar(props: SidebarProps) {
  const { id, query, filters, facets, open, onChange, onDone } = props;
  const set = (changes: Record<string, string | null>) => onChange(withParams(query, changes));
  const active = activeFilterCount(filters);

  const categories = mergeCounts(facets?.categories ?? [], filters.categories);
  const attributeKeys = attributeGroups(facets, filters);

  return (
    <aside id={id} class={`filters${open ? ' filters--open' : ''}`} aria-label="Filters">
      <div class="filters__head">
        <h2>Filters</h2>
        {active > 0 ? (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              const next = new URLSearchParams();
              for (const [name, value] of query) if (!isFilterParam(name)) next.append(name, value);
              onChange(next);
            }}
          >
            Clear all
          </button>
        ) : null}
      </div>

      <fieldset class="filter-group">
        <legend>Category</legend>
        {categories.length === 0 ? (
          <p class="muted small">{facets ? 'No categories among these auctions.' : 'Loading…'}</p>
        ) : (
          <ValueList
            name="category"
            values={categories}
            isChecked={(v) => filters.categories.includes(String(v))}
            label={(v) => categoryLabel(String(v))}
            onToggle={(v) =>
              onChange(toggled(withoutAttributesIfLast(query, filters, String(v)), 'category', String(v)))
            }
          />
        )}
      </fieldset>

      {attributeKeys.map(({ key, numeric, values }) =>
        numeric ? (
          <RangeFilter
            key={key}
            id={`filter-${key}`}
            label={attributeLabel(key)}
            min={filters.ranges.get(key)?.min ?? null}
            max={filters.ranges.get(key)?.max ?? null}
            bounds={numberBounds(values)}
            onCommit={(min, max) => set({ [`attr.${key}.min`]: min, [`attr.${key}.max`]: max })}
          />
        ) : (
          <fieldset class="filter-group" key={key}>
            <legend>{attributeLabel(key)}</legend>
            <ValueList
              name={`attr.${key}`}
              values={values}
              isChecked={(v) => (filters.values.get(key) ?? []).some((chosen) => sameValue(chosen, String(v)))}
              label={formatAttributeValue}
              onToggle={(v) => onChange(toggled(query, `attr.${key}`, String(v)))}
            />
          </fieldset>
        ),
      )}
      {filters.categories.length === 0 && attributeKeys.length === 0 && categories.length > 0 ? (
        <p class="muted small filters__tip">Choose a category to filter by its details (make, year, size…).</p>
      ) : null}

      <PriceFilter filters={filters} facets={facets} onChange={set} />

      <fieldset class="filter-group">
        <legend>Location</legend>
        <div class="field">
          <label for="filter-country">Country</label>
          <select
            id="filter-country"
            value={filters.country ?? ''}
            onChange={(e) => set({ country: e.currentTarget.value })}
          >
            <option value="">Any country</option>
            {COUNTRIES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <TextFilter id="filter-city" label="City" value={filters.city ?? ''} onCommit={(city) => set({ city })} />
      </fieldset>

      <fieldset class="filter-group">
        <legend>Ending</legend>
        {[{ value: '', label: 'Any time' }, ...ENDS_WITHIN].map((e) => (
          <label class="check" key={e.value}>
            <input
              type="radio"
              name="filter-ending"
              value={e.value}
              checked={(filters.endsWithin ?? '') === e.value}
              onChange={() => set({ endsWithin: e.value })}
            />
            {e.label}
          </label>
        ))}
      </fieldset>

      <fieldset class="filter-group">
        <legend>Buying</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={filters.hasBuyNow}
            onChange={(e) => set({ hasBuyNow: e.currentTarget.checked ? 'true' : null })}
          />
          Buy now available
        </label>
      </fieldset>

      <button type="button" class="button button--primary button--block filters__done" onClick={onDone}>
        {facets ? `Show ${facets.total.toLocaleString()} ${facets.total === 1 ? 'result' : 'results'}` : 'Show results'}
      </button>
    </aside>
  );
}

/**
 * Unchecking the last category leaves its attributes meaningless (another category's auctions have other
 * details): they go with it. Checking a category, or unchecking one of several, keeps them.
 */
function withoutAttributesIfLast(query: URLSearchParams, filters: BrowseFilters, category: string): URLSearchParams {
  if (!(filters.categories.length === 1 && filters.categories[0] === category)) return query;
  const next = new URLSearchParams();
  for (const [name, value] of query) if (!name.startsWith('attr.')) next.append(name, value);
  return next;
}

/** The counted values, and any chosen value the counts leave out (shown with 0, so it can be unchecked). */
function mergeCounts<V extends string | number | boolean>(counts: FacetCount<V>[], chosen: string[]): FacetCount<V>[] {
  const missing = chosen.filter((c) => !counts.some((f) => sameValue(String(f.value), c)));
  return [...counts, ...missing.map((value) => ({ value: value as V, count: 0 }))];
}

interface AttributeGroup {
  key: string;
  /** Every counted value is a number (year, mileage): a from–to range instead of checkboxes. */
  numeric: boolean;
  values: FacetCount<string | number | boolean>[];
}

/**
 * Which attributes to offer: those of the chosen categories' auctions, the vehicle fields in their usual
 * order first, then the most common; every attribute the URL filters on, whatever the counts say.
 */
function attributeGroups(facets: Facets | null, filters: BrowseFilters): AttributeGroup[] {
  const inUrl = new Set([...filters.values.keys(), ...filters.ranges.keys()]);
  const counted = filters.categories.length > 0 ? Object.entries(facets?.attributes ?? {}) : [];
  const coverage = (values: FacetCount<unknown>[]) => values.reduce((n, v) => n + v.count, 0);
  const order = (key: string) => {
    const vehicle = VEHICLE_FIELDS.findIndex((f) => f.key === key);
    return vehicle === -1 ? VEHICLE_FIELDS.length : vehicle;
  };
  const chosen = counted
    .sort(([a, av], [b, bv]) => order(a) - order(b) || coverage(bv) - coverage(av) || a.localeCompare(b))
    .slice(0, MAX_ATTRIBUTE_GROUPS)
    .map(([key]) => key);
  for (const key of inUrl) if (!chosen.includes(key)) chosen.push(key);
  return chosen.map((key) => {
    const values = facets?.attributes[key] ?? [];
    const numeric = filters.ranges.has(key) || (values.length > 0 && values.every((v) => typeof v.value === 'number'));
    return { key, numeric, values: mergeCounts(values, filters.values.get(key) ?? []) };
  });
}

function numberBounds(values: FacetCount<string | number | boolean>[]): { min: number; max: number } | null {
  const numbers = values.map((v) => v.value).filter((v): v is number => typeof v === 'number');
  return numbers.length === 0 ? null : { min: Math.min(...numbers), max: Math.max(...numbers) };
}

/** Checkboxes for the values of one filter, each with its count; the rarer ones behind "Show all". */
function ValueList<V extends string | number | boolean>(props: {
  name: string;
  values: FacetCount<V>[];
  isChecked(value: V): boolean;
  label(value: V): string;
  onToggle(value: V): void;
}) {
  const { name, values, isChecked, label, onToggle } = props;
  const [all, setAll] = useState(false);
  // The chosen ones always show, however rare.
  const shown = all ? values : values.filter((v, i) => i < VALUES_SHOWN || isChecked(v.value));
  return (
    <>
      <ul class="facet-list">
        {shown.map((v) => (
          <li key={String(v.value)}>
            <label class="check facet">
              <input
                type="checkbox"
                name={name}
                value={String(v.value)}
                checked={isChecked(v.value)}
                onChange={() => onToggle(v.value)}
              />
              <span class="facet__label">{label(v.value)}</span>
              <span class="facet__count">{v.count.toLocaleString()}</span>
            </label>
          </li>
        ))}
      </ul>
      {shown.length < values.length ? (
        <button type="button" class="link-button small" onClick={() => setAll(true)}>
          Show all {values.length}
        </button>
      ) : null}
    </>
  );
}

/** A from–to pair of numbers, applied when a field is left or Enter is pressed. */
function RangeFilter(props: {
  id: string;
  label: string;
  min: string | null;
  max: string | null;
  bounds: { min: number; max: number } | null;
  onCommit(min: string | null, max: string | null): void;
}) {
  const { id, label, min, max, bounds, onCommit } = props;
  const [from, setFrom] = useState(min ?? '');
  const [to, setTo] = useState(max ?? '');
  const [invalid, setInvalid] = useState<'min' | 'max' | null>(null);
  useEffect(() => setFrom(min ?? ''), [min]);
  useEffect(() => setTo(max ?? ''), [max]);
  const commit = () => {
    const a = from.trim();
    const b = to.trim();
    if (a && !NUMBER.test(a)) return setInvalid('min');
    if (b && !NUMBER.test(b)) return setInvalid('max');
    setInvalid(null);
    if (a !== (min ?? '') || b !== (max ?? '')) onCommit(a || null, b || null);
  };
  const input = (end: 'min' | 'max', value: string, setValue: (v: string) => void, placeholder: string) => (
    <div class="field">
      <label id={`${id}-${end}-label`} for={`${id}-${end}`}>
        {end === 'min' ? 'From' : 'To'}
      </label>
      <input
        id={`${id}-${end}`}
        inputMode="decimal"
        aria-labelledby={`${id}-legend ${id}-${end}-label`}
        placeholder={placeholder}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        onChange={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        {...(invalid === end ? { 'aria-invalid': true, 'aria-errormessage': `${id}-error` } : {})}
      />
    </div>
  );
  return (
    <fieldset class="filter-group">
      <legend id={`${id}-legend`}>{label}</legend>
      <div class="range">
        {input('min', from, setFrom, bounds ? String(bounds.min) : '')}
        {input('max', to, setTo, bounds ? String(bounds.max) : '')}
      </div>
      {invalid ? (
        <small class="field-error" id={`${id}-error`} role="alert">
          Enter a number, like 2015 or 2.5.
        </small>
      ) : null}
    </fieldset>
  );
}

/** A text filter (the city), applied when the field is left or Enter is pressed. */
function TextFilter(props: { id: string; label: string; value: string; onCommit(value: string | null): void }) {
  const { id, label, value, onCommit } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    const next = text.trim();
    if (next !== value) onCommit(next || null);
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={text}
        maxLength={100}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </div>
  );
}

/**
 * Price in one currency: amounts in different currencies cannot be compared, so the range is typed in the
 * chosen currency's units and sent as its minor units (`minPrice`, `maxPrice`) with `currency`.
 */
function PriceFilter(props: {
  filters: BrowseFilters;
  facets: Facets | null;
  onChange(changes: Record<string, string | null>): void;
}) {
  const { filters, facets, onChange } = props;
  const currency = filters.currency;
  const shown = (minor: number | null) => (minor === null || !currency ? '' : toMajorInput(minor, currency));
  const [from, setFrom] = useState(shown(filters.minPrice));
  const [to, setTo] = useState(shown(filters.maxPrice));
  const [invalid, setInvalid] = useState<'min' | 'max' | null>(null);
  useEffect(() => setFrom(shown(filters.minPrice)), [filters.minPrice, currency]);
  useEffect(() => setTo(shown(filters.maxPrice)), [filters.maxPrice, currency]);
  const currencies =
    currency && !COMMON_CURRENCIES.includes(currency) ? [...COMMON_CURRENCIES, currency] : COMMON_CURRENCIES;

  const commit = () => {
    if (!currency) return;
    const parse = (text: string) => (text.trim() ? parseMoney(text, currency) : null);
    const min = parse(from);
    const max = parse(to);
    if (from.trim() && min === null) return setInvalid('min');
    if (to.trim() && max === null) return setInvalid('max');
    setInvalid(null);
    if (min !== filters.minPrice || max !== filters.maxPrice)
      onChange({ minPrice: min === null ? null : String(min), maxPrice: max === null ? null : String(max) });
  };
  const bound = (minor: number | null | undefined) => (currency && minor != null ? formatMoney(minor, currency) : '');
  const input = (end: 'min' | 'max', value: string, setValue: (v: string) => void, placeholder: string) => (
    <div class="field">
      <label id={`filter-price-${end}-label`} for={`filter-price-${end}`}>
        {end === 'min' ? 'From' : 'To'}
      </label>
      <input
        id={`filter-price-${end}`}
        inputMode="decimal"
        aria-labelledby={`filter-price-legend filter-price-${end}-label`}
        aria-describedby={currency ? undefined : 'filter-price-hint'}
        disabled={!currency}
        placeholder={placeholder}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        onChange={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        {...(invalid === end ? { 'aria-invalid': true, 'aria-errormessage': 'filter-price-error' } : {})}
      />
    </div>
  );
  return (
    <fieldset class="filter-group">
      <legend id="filter-price-legend">Price</legend>
      <div class="field">
        <label for="filter-currency">Currency</label>
        <select
          id="filter-currency"
          value={currency ?? ''}
          // Amounts typed in one currency mean nothing in another: a new currency starts a new range.
          onChange={(e) => onChange({ currency: e.currentTarget.value, minPrice: null, maxPrice: null })}
        >
          <option value="">Any currency</option>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div class="range">
        {input('min', from, setFrom, bound(facets?.price.min))}
        {input('max', to, setTo, bound(facets?.price.max))}
      </div>
      {!currency ? (
        <small class="hint" id="filter-price-hint">
          Choose a currency to set a price range.
        </small>
      ) : null}
      {invalid ? (
        <small class="field-error" id="filter-price-error" role="alert">
          Enter an amount like {currency === 'JPY' ? '1500' : '15.00'}.
        </small>
      ) : null}
    </fieldset>
  );
}
