import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Auction, type AuctionSort, type AuctionStatus, type Facets, api } from '../api.ts';
import { newer } from '../auction-state.ts';
import {
  type BrowseFilters,
  ENDS_WITHIN,
  activeFilterCount,
  apiQueryOf,
  attributeLabel,
  categoryLabel,
  countryName,
  filtersOf,
  formatAttributeValue,
  isFilterParam,
  toggled,
  without,
  withParams,
} from '../catalogue.ts';
import { AuctionCard } from '../components/auction-card.tsx';
import { FilterSidebar } from '../components/filter-sidebar.tsx';
import { FormError } from '../components/form-error.tsx';
import { useServerNow } from '../components/use-now.ts';
import { LiveStream } from '../live-stream.ts';
import { formatMoney } from '../money.ts';
import { navigate } from '../router.ts';
import { serverNow } from '../server-clock.ts';

const SORTS: { value: AuctionSort; label: string }[] = [
  { value: 'ending_soon', label: 'Ending soon' },
  { value: 'newest', label: 'Newly listed' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'bids_desc', label: 'Most bids' },
];
const STATUSES: { value: AuctionStatus | 'all'; label: string }[] = [
  { value: 'open', label: 'Live now' },
  { value: 'scheduled', label: 'Coming up' },
  { value: 'closed', label: 'Ended' },
  { value: 'all', label: 'All' },
];
const STREAM_EVENTS = ['snapshot', 'bid', 'closed', 'cancelled', 'extended', 'settlement'];
/** The multi-auction stream takes at most this many ids. */
const MAX_WATCHED = 100;
const PAGE_SIZE = 24;

/**
 * The sidebar's counts: each group is counted without its own filter (choosing Toyota must not hide the
 * other makes), everything else with every filter. One request per filtered group, answered together.
 */
async function facetsFor(query: URLSearchParams, filters: BrowseFilters): Promise<Facets> {
  const base = without(query, 'sort');
  const keys = [...filters.values.keys()];
  const [all, categories, ...perKey] = await Promise.all([
    api.facets(base),
    filters.categories.length > 0 ? api.facets(without(base, 'category')) : null,
    ...keys.map((key) => api.facets(without(base, `attr.${key}`))),
  ]);
  const attributes = { ...all.attributes };
  keys.forEach((key, i) => {
    attributes[key] = perKey[i]!.attributes[key] ?? [];
  });
  return { ...all, categories: categories?.categories ?? all.categories, attributes };
}

/**
 * The marketplace: search, filter, sort, and a grid whose prices move live.
 * The cards on screen are watched through one multi-auction stream
 * (`GET /api/v1/events?auctions=…`), re-opened when the set on screen changes.
 */
export function BrowsePage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const status = (query.get('status') ?? 'open') as AuctionStatus | 'all';
  const sort = (query.get('sort') ?? 'ending_soon') as AuctionSort;
  const queryKey = query.toString();
  const filters = useMemo(() => filtersOf(query), [queryKey]);
  const [items, setItems] = useState<Auction[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [flashing, setFlashing] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState(q);
  const [visible, setVisible] = useState<string[]>([]);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const now = useServerNow(500);
  const grid = useRef<HTMLUListElement>(null);
  const results = useRef<HTMLDivElement>(null);
  /** The API query the list shown was read with: "Show more" continues exactly that one. */
  const listedWith = useRef<URLSearchParams | null>(null);
  // The observer follows the set of cards, not their contents (a live price change must not re-create it).
  const cardIds = items?.map((a) => a.id).join(',') ?? '';

  const go = (next: URLSearchParams) => {
    const text = next.toString();
    navigate(text ? `#/?${text}` : '#/');
  };
  const setQuery = (changes: Record<string, string>) => go(withParams(query, changes));

  useEffect(() => setSearch(q), [q]);

  // The list and the sidebar's counts, read again for every change of the page's URL (a filter, a sort).
  useEffect(() => {
    let cancelled = false;
    // "Ends within 24 h" is measured from now on the server's clock, once per change of the filters.
    const apiQuery = apiQueryOf(query, serverNow());
    listedWith.current = apiQuery;
    setItems(null);
    setError(null);
    const listQuery = new URLSearchParams(apiQuery);
    listQuery.set('limit', String(PAGE_SIZE));
    api
      .searchAuctions(listQuery)
      .then((page) => {
        if (cancelled) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((e) => !cancelled && setError(e));
    // The old counts stay until the new ones are in: the sidebar does not jump while they load.
    facetsFor(apiQuery, filters).then(
      (f) => !cancelled && setFacets(f),
      () => undefined, // the list's own answer tells what went wrong
    );
    return () => {
      cancelled = true;
    };
  }, [queryKey]);

  const loadMore = async () => {
    if (!cursor || !listedWith.current) return;
    setLoadingMore(true);
    try {
      const listQuery = new URLSearchParams(listedWith.current);
      listQuery.set('limit', String(PAGE_SIZE));
      listQuery.set('cursor', cursor);
      const page = await api.searchAuctions(listQuery);
      setItems((current) => {
        const seen = new Set((current ?? []).map((a) => a.id));
        return [...(current ?? []), ...page.items.filter((a) => !seen.has(a.id))];
      });
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  // Which cards are on screen (plus a margin), so only those are watched.
  useEffect(() => {
    const root = grid.current;
    if (!root || !cardIds) return;
    const onScreen = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      timer = null;
      setVisible([...onScreen].sort());
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.auctionId!;
          if (entry.isIntersecting) onScreen.add(id);
          else onScreen.delete(id);
        }
        timer ??= setTimeout(publish, 200);
      },
      { rootMargin: '200px' },
    );
    for (const card of root.querySelectorAll<HTMLElement>('[data-auction-id]')) observer.observe(card);
    return () => {
      observer.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [cardIds]);

  const watchKey = visible.slice(0, MAX_WATCHED).join(',');
  useEffect(() => {
    if (!watchKey) return;
    const stream = new LiveStream({
      url: `/api/v1/events?auctions=${encodeURIComponent(watchKey)}`,
      events: STREAM_EVENTS,
      onEvent(type, data) {
        const incoming = (data as { auction?: Auction }).auction;
        if (!incoming) return;
        setItems((current) => {
          if (!current) return current;
          let changed = false;
          const next = current.map((a) => {
            if (a.id !== incoming.id) return a;
            const merged = newer(a, incoming);
            if (merged !== a) changed = true;
            return merged;
          });
          return changed ? next : current;
        });
        if (type === 'bid') {
          setFlashing((f) => new Set(f).add(incoming.id));
          setTimeout(
            () =>
              setFlashing((f) => {
                const next = new Set(f);
                next.delete(incoming.id);
                return next;
              }),
            1200,
          );
        }
      },
    });
    return () => stream.close();
  }, [watchKey]);

  const heading = useMemo(() => {
    if (q) return `Results for “${q}”`;
    return STATUSES.find((s) => s.value === status)?.label ?? 'Auctions';
  }, [q, status]);
  const activeCount = activeFilterCount(filters);
  const clearFilters = () => {
    const next = new URLSearchParams();
    for (const [name, value] of query) if (!isFilterParam(name)) next.append(name, value);
    go(next);
  };

  return (
    <main class="page" id="main">
      <section class="hero">
        <h1>Live auctions</h1>
        <p class="muted">Every bid is confirmed only once it is safely stored, and everyone sees the same price.</p>
        <form
          class="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: search.trim() });
          }}
        >
          <label class="visually-hidden" for="search-q">
            Search auctions
          </label>
          <input
            id="search-q"
            type="search"
            placeholder="Search cameras, watches, art…"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button class="button button--primary" type="submit">
            Search
          </button>
        </form>
      </section>

      {/* Phones: the sidebar folds away behind this button, above it so it stays at hand when unfolded. */}
      <button
        type="button"
        class="button filters-toggle"
        aria-expanded={filtersOpen}
        aria-controls="browse-filters"
        onClick={() => setFiltersOpen((o) => !o)}
      >
        Filters{activeCount > 0 ? ` (${activeCount})` : ''}
      </button>
      <div class="browse-layout">
        <FilterSidebar
          id="browse-filters"
          query={query}
          filters={filters}
          facets={facets}
          open={filtersOpen}
          onChange={go}
          onDone={() => {
            setFiltersOpen(false);
            results.current?.scrollIntoView({ block: 'start' });
          }}
        />

        <div class="browse-results" ref={results}>
          <div class="toolbar">
            <div class="chips" role="group" aria-label="Show">
              {STATUSES.map((s) => (
                <button
                  type="button"
                  key={s.value}
                  class={`chip${status === s.value ? ' chip--active' : ''}`}
                  aria-pressed={status === s.value}
                  onClick={() => setQuery({ status: s.value === 'open' ? '' : s.value })}
                >
                  {s.label}
                </button>
              ))}
            </div>
            <div class="field field--inline">
              <label for="browse-sort">Sort by</label>
              <select id="browse-sort" value={sort} onChange={(e) => setQuery({ sort: e.currentTarget.value })}>
                {SORTS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
          </div>

          <ActiveFilters query={query} filters={filters} onChange={go} />

          <div class="results-head">
            <h2 class="section-title">{heading}</h2>
            {facets && items ? (
              <p class="muted small" data-testid="result-count" aria-live="polite">
                {facets.exact ? '' : 'about '}
                {facets.total.toLocaleString()} {facets.total === 1 ? 'auction' : 'auctions'}
              </p>
            ) : null}
          </div>
          <FormError error={error} />
          {items === null && !error ? (
            <ul class="auction-grid" aria-busy="true" aria-label="Loading auctions">
              {Array.from({ length: 8 }, (_, i) => (
                <li key={i} class="auction-card auction-card--skeleton" aria-hidden="true" />
              ))}
            </ul>
          ) : items && items.length === 0 ? (
            activeCount > 0 ? (
              <div class="empty">
                <p>No auctions match these filters.</p>
                <button type="button" class="button" onClick={clearFilters}>
                  Clear the filters
                </button>
              </div>
            ) : (
              <div class="empty">
                <p>No auctions here yet.</p>
                <a class="button button--primary" href="#/sell">
                  Sell something
                </a>
              </div>
            )
          ) : items ? (
            <>
              <ul class="auction-grid" ref={grid} aria-label="Auctions">
                {items.map((a) => (
                  <AuctionCard key={a.id} auction={a} now={now} flash={flashing.has(a.id)} />
                ))}
              </ul>
              {cursor ? (
                <div class="center">
                  <button type="button" class="button" onClick={loadMore} disabled={loadingMore}>
                    {loadingMore ? 'Loading…' : 'Show more'}
                  </button>
                </div>
              ) : null}
            </>
          ) : null}
        </div>
      </div>
    </main>
  );
}

/** The filters on, each a button that takes it off ("Make: Toyota ×"). */
function ActiveFilters(props: {
  query: URLSearchParams;
  filters: BrowseFilters;
  onChange(next: URLSearchParams): void;
}) {
  const { query, filters, onChange } = props;
  const chips: { label: string; next: URLSearchParams }[] = [];
  for (const c of filters.categories) chips.push({ label: categoryLabel(c), next: toggled(query, 'category', c) });
  for (const [key, values] of filters.values)
    for (const v of values)
      chips.push({
        label: `${attributeLabel(key)}: ${formatAttributeValue(v === 'true' ? true : v === 'false' ? false : v)}`,
        next: toggled(query, `attr.${key}`, v),
      });
  for (const [key, range] of filters.ranges)
    chips.push({
      label: `${attributeLabel(key)}: ${range.min ?? '…'}–${range.max ?? '…'}`,
      next: withParams(query, { [`attr.${key}.min`]: null, [`attr.${key}.max`]: null }),
    });
  if (filters.currency)
    chips.push({
      label:
        filters.minPrice !== null || filters.maxPrice !== null
          ? `Price: ${filters.minPrice !== null ? formatMoney(filters.minPrice, filters.currency) : '…'}–${
              filters.maxPrice !== null ? formatMoney(filters.maxPrice, filters.currency) : '…'
            }`
          : `In ${filters.currency}`,
      next: withParams(query, { currency: null, minPrice: null, maxPrice: null }),
    });
  if (filters.country) chips.push({ label: countryName(filters.country), next: withParams(query, { country: null }) });
  if (filters.city) chips.push({ label: filters.city, next: withParams(query, { city: null }) });
  if (filters.endsWithin)
    chips.push({
      label: `Ends ${ENDS_WITHIN.find((e) => e.value === filters.endsWithin)!.label.toLowerCase()}`,
      next: withParams(query, { endsWithin: null }),
    });
  if (filters.hasBuyNow) chips.push({ label: 'Buy now', next: withParams(query, { hasBuyNow: null }) });
  if (chips.length === 0) return null;
  return (
    <ul class="active-filters" aria-label="Filters on">
      {chips.map((chip) => (
        <li key={chip.label}>
          <button
            type="button"
            class="chip chip--removable"
            aria-label={`Remove filter ${chip.label}`}
            onClick={() => onChange(chip.next)}
          >
            {chip.label} <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
