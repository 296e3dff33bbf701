import type { Store } from '../store/index.ts';

/**
 * Auction views (one auction, a page of a list, the watchlist) with their `watcherCount`, read for all of
 * them at once. Reads only: events and notifications leave it out, because watching is no state change.
 */
export async function withWatcherCounts<V extends { id: string }>(
  store: Store,
  views: readonly V[],
): Promise<(V & { watcherCount: number })[]> {
  if (views.length === 0) return [];
  const counts = await store.watcherCounts(views.map((v) => v.id));
  return views.map((v) => ({ ...v, watcherCount: counts.get(v.id) ?? 0 }));
}
