import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type ModerationItem, api } from '../api.ts';
import { FormError } from '../components/form-error.tsx';
import { formatDateTime } from '../format.ts';
import { showToast } from '../notifications.ts';
import { auctionHref, loginHref } from '../router.ts';
import { currentUser, isModerator } from '../session.ts';
import { useShared } from '../store.ts';

type Decision = 'approve' | 'reject';

/**
 * The moderators' queue (`GAVEL_MODERATORS`): questions and answers the
 * moderation service has not judged yet (pending, or parked after repeated
 * failures), oldest first, each with Approve (publish) and Reject. A decided
 * item leaves the list; the queue is read again on demand, not live.
 */
export function ModerationPage() {
  const user = useShared(currentUser);
  const moderator = useShared(isModerator);
  const [items, setItems] = useState<ModerationItem[] | null>(null);
  const [itemNames, setItemNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    api
      .moderationQueue()
      .then(
        (answer) => {
          setItems(answer.items);
          void namesOf(answer.items).then(setItemNames);
        },
        (e) => setError(e),
      )
      .finally(() => setLoading(false));
  }, []);
  // Asked only of a moderator: anyone else would get a 403 (and a failed request in the console) for nothing.
  useEffect(() => {
    if (user && moderator) load();
  }, [user?.id, moderator, load]);

  if (user === undefined) return <main class="page" id="main" aria-busy="true" />;
  if (user === null)
    return (
      <main class="page page--narrow" id="main">
        <div class="card empty">
          <h1>Moderation</h1>
          <p class="muted">Log in with a moderator’s account to review questions and answers.</p>
          <a class="button button--primary" href={loginHref('#/moderation')}>
            Log in
          </a>
        </div>
      </main>
    );
  if (!moderator)
    return (
      <main class="page page--narrow" id="main">
        <div class="card empty">
          <h1>Moderation</h1>
          <p class="muted">This page is for moderators only.</p>
          <a class="button" href="#/">
            Back to auctions
          </a>
        </div>
      </main>
    );

  const decided = (id: string) => setItems((list) => (list ?? []).filter((item) => item.id !== id));

  return (
    <main class="page" id="main">
      <div class="page-heading">
        <div>
          <h1>Moderation</h1>
          <p class="muted">
            Questions and answers waiting for a verdict, oldest first. Approve publishes; reject keeps it hidden.
          </p>
        </div>
        <button type="button" class="button" disabled={loading} onClick={load}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <FormError error={error} />
      {items === null ? (
        error ? null : (
          <p class="muted" aria-busy="true">
            Loading…
          </p>
        )
      ) : items.length === 0 ? (
        <div class="empty">
          <p>Nothing is waiting for a verdict.</p>
        </div>
      ) : (
        <ul class="rows" aria-label="Moderation queue">
          {items.map((item) => (
            <ModerationRow key={item.id} item={item} itemName={itemNames.get(item.auctionId)} onDecided={decided} />
          ))}
        </ul>
      )}
    </main>
  );
}

function ModerationRow(props: { item: ModerationItem; itemName: string | undefined; onDecided(id: string): void }) {
  const { item, itemName, onDecided } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kind = item.kind === 'question' ? 'Question' : 'Answer';

  const decide = async (decision: Decision) => {
    setBusy(true);
    setError(null);
    try {
      await api.decideModeration(item.id, decision);
      showToast({ tone: 'good', text: `${kind} ${decision === 'approve' ? 'published' : 'rejected'}` });
      onDecided(item.id);
    } catch (e) {
      // Another moderator (or the service, retried meanwhile) got there first: it is no longer waiting.
      if (e instanceof ApiError && e.code === 'ALREADY_DECIDED') {
        showToast({ tone: 'info', text: `That ${kind.toLowerCase()} was already decided` });
        onDecided(item.id);
        return;
      }
      setError(e);
      setBusy(false);
    }
  };

  return (
    <li class="row row--text" data-moderation-item={item.id}>
      <div class="row__body">
        <p class="moderation-text">{item.text}</p>
        <div class="row__meta small">
          <span class="pill pill--info">{kind}</span>
          <span>
            on{' '}
            <a href={auctionHref(item.auctionId)} class="row__title">
              {itemName ?? 'an auction'}
            </a>
          </span>
          <span>{formatDateTime(item.createdAt)}</span>
          {item.parked ? (
            <span class="pill pill--warn" title={item.lastError ?? undefined}>
              Moderation service failed {item.attempts}×
            </span>
          ) : null}
        </div>
        <FormError error={error} />
      </div>
      <div class="row__actions">
        <button type="button" class="button button--primary" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" class="button" disabled={busy} onClick={() => void decide('reject')}>
          Reject
        </button>
      </div>
    </li>
  );
}

/** The item names of the auctions the queue's texts are about, for context; an auction not found is left out. */
async function namesOf(items: readonly ModerationItem[]): Promise<ReadonlyMap<string, string>> {
  const ids = [...new Set(items.map((item) => item.auctionId))];
  const names = await Promise.all(
    ids.map((id) =>
      api.auction(id).then(
        (answer) => [id, answer.auction.item.name] as const,
        () => null,
      ),
    ),
  );
  return new Map(names.filter((entry) => entry !== null));
}
