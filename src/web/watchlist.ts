/**
 * Which auctions the signed-in user watches: read once per session (`GET /api/v1/me/watchlist`, every
 * page), then kept up to date by the page's own watch and unwatch (`PUT`/`DELETE /me/watchlist/:id`).
 * The auction view tells how many watch an auction (`watcherCount`), not whether I do; this set does.
 */
import { api } from './api.ts';
import { currentUser } from './session.ts';
import { Shared } from './store.ts';

/** null until read for the signed-in user (or when nobody is signed in). */
export const watchedIds = new Shared<ReadonlySet<string> | null>(null);

/** The watchlist is read this many pages deep at most (100 a page): enough for anyone's real list. */
const MAX_PAGES = 20;

let loadedFor: string | null = null;
let loading: Promise<void> | null = null;

currentUser.subscribe((user) => {
  if ((user?.id ?? null) !== loadedFor) {
    loadedFor = null;
    loading = null;
    watchedIds.set(null);
  }
});

/** Reads the watchlist for the signed-in user unless it is at hand already. */
export function loadWatchedIds(): Promise<void> {
  const user = currentUser.get();
  if (!user) return Promise.resolve();
  if (loadedFor === user.id && watchedIds.get() !== null) return Promise.resolve();
  if (loading) return loading;
  const attempt = (async () => {
    const ids = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await api.watchlist(cursor);
      for (const auction of answer.items) ids.add(auction.id);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    // Signed out or in as someone else meanwhile: this list is not theirs.
    if (currentUser.get()?.id !== user.id) return;
    loadedFor = user.id;
    watchedIds.set(ids);
  })().finally(() => {
    if (loading === attempt) loading = null;
  });
  loading = attempt;
  return attempt;
}

/** Watch (`on`) or stop watching an auction; the set follows once the server has answered. */
export async function setWatching(auctionId: string, on: boolean): Promise<void> {
  if (on) await api.watch(auctionId);
  else await api.unwatch(auctionId);
  const current = watchedIds.get();
  if (current === null) return;
  const next = new Set(current);
  if (on) next.add(auctionId);
  else next.delete(auctionId);
  watchedIds.set(next);
}
