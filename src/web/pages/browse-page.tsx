import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Auction, type AuctionSort, type AuctionStatus, api } from '../api.ts';
import { newer } from '../auction-state.ts';
import { AuctionCard } from '../components/auction-card.tsx';
import { FormError } from '../components/form-error.tsx';
import { useServerNow } from '../components/use-now.ts';
import { LiveStream } from '../live-stream.ts';
import { navigate } from '../router.ts';

const SORTS: { value: AuctionSort; label: string }[] = [
  { value: 'ending_soon', label: 'Ending soon' },
  { value: 'newest', label: 'Newly listed' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
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

/**
 * The marketplace: search, filter, sort, and a grid whose prices move live.
 * The cards on screen are watched through one multi-auction stream
 * (`GET /api/v1/events?auctions=…`), re-opened when the set on screen changes.
 */
export function BrowsePage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const status = (query.get('status') ?? 'open') as AuctionStatus | 'all';
  const sort = (query.get('sort') ?? 'ending_soon') as AuctionSort;
  const [items, setItems] = useState<Auction[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [flashing, setFlashing] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState(q);
  const [visible, setVisible] = useState<string[]>([]);
  const now = useServerNow(500);
  const grid = useRef<HTMLUListElement>(null);
  // The observer follows the set of cards, not their contents (a live price change must not re-create it).
  const cardIds = items?.map((a) => a.id).join(',') ?? '';

  const setQuery = (changes: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    navigate(`#/?${next.toString()}`);
  };

  useEffect(() => setSearch(q), [q]);

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setError(null);
    api
      .auctions({ q, status: status === 'all' ? '' : status, sort, limit: 24 })
      .then((page) => {
        if (cancelled) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [q, status, sort]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.auctions({ q, status: status === 'all' ? '' : status, sort, limit: 24, cursor });
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

      <h2 class="section-title">{heading}</h2>
      <FormError error={error} />
      {items === null && !error ? (
        <ul class="auction-grid" aria-busy="true" aria-label="Loading auctions">
          {Array.from({ length: 8 }, (_, i) => (
            <li key={i} class="auction-card auction-card--skeleton" aria-hidden="true" />
          ))}
        </ul>
      ) : items && items.length === 0 ? (
        <div class="empty">
          <p>No auctions here yet.</p>
          <a class="button button--primary" href="#/sell">
            Sell something
          </a>
        </div>
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
    </main>
  );
}
