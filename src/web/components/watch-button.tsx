import { useEffect, useState } from 'preact/hooks';
import type { Auction } from '../api.ts';
import { loginHref } from '../router.ts';
import { currentUser } from '../session.ts';
import { useShared } from '../store.ts';
import { loadWatchedIds, setWatching, watchedIds } from '../watchlist.ts';
import { FormError } from './form-error.tsx';

/**
 * Watch / Watching, with how many watch the auction. Signed out, "Watch" leads to the log-in page and back;
 * the seller sees the count only. `onChange(delta)` after the server agreed (+1 watching, -1 not).
 */
export function WatchButton({ auction, onChange }: { auction: Auction; onChange(delta: number): void }) {
  const user = useShared(currentUser);
  const watched = useShared(watchedIds);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (user) loadWatchedIds().catch(setError);
  }, [user?.id]);

  const count = auction.watcherCount;
  const countText =
    count === undefined ? null : (
      <span class="watch__count muted small" data-testid="watcher-count">
        {count} {count === 1 ? 'watcher' : 'watchers'}
      </span>
    );
  if (user === undefined) return null;
  if (user === null)
    return (
      <div class="watch">
        <a class="button watch__button" href={loginHref(`#/auction/${encodeURIComponent(auction.id)}`)}>
          <span aria-hidden="true">☆</span> Watch
        </a>
        {countText}
      </div>
    );
  if (user.id === auction.sellerId) return countText ? <div class="watch">{countText}</div> : null;

  const on = watched?.has(auction.id) ?? false;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await setWatching(auction.id, !on);
      onChange(on ? -1 : 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="watch">
      <button
        type="button"
        class={`button watch__button${on ? ' watch__button--on' : ''}`}
        disabled={busy || watched === null}
        onClick={() => void toggle()}
      >
        <span aria-hidden="true">{on ? '★' : '☆'}</span> {on ? 'Watching' : 'Watch'}
        {on ? <span class="visually-hidden"> (press to stop watching)</span> : null}
      </button>
      {countText}
      <FormError error={error} />
    </div>
  );
}
