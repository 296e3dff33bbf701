import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Auction, type MyBid, type Standing, api } from '../api.ts';
import { displayStatus, priceOf } from '../auction-state.ts';
import { SettlementButtons, useAuctionAction } from '../components/auction-actions.tsx';
import { Countdown } from '../components/countdown.tsx';
import { EmailSettings } from '../components/email-settings.tsx';
import { FormError } from '../components/form-error.tsx';
import { ItemImage } from '../components/item-image.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { useServerNow } from '../components/use-now.ts';
import { formatDateTime } from '../format.ts';
import { formatMoney } from '../money.ts';
import { onNotification } from '../notifications.ts';
import { auctionHref, loginHref } from '../router.ts';
import { currentUser } from '../session.ts';
import { useShared } from '../store.ts';
import { setWatching, watchedIds } from '../watchlist.ts';

const STANDING: Record<Standing, { label: string; tone: 'good' | 'warn' | 'info' | 'bad' }> = {
  leading: { label: 'Leading', tone: 'good' },
  outbid: { label: 'Outbid', tone: 'warn' },
  payment_due: { label: 'Won: payment due', tone: 'good' },
  offer_received: { label: 'Second-chance offer', tone: 'good' },
  won: { label: 'Won and paid', tone: 'good' },
  payment_lapsed: { label: 'Payment window passed', tone: 'bad' },
  lost: { label: 'Not won', tone: 'info' },
  cancelled: { label: 'Cancelled', tone: 'info' },
};

/** Standings of an auction that is over for the bidder: it closed (won or not) or was cancelled. */
const WON: ReadonlySet<Standing> = new Set(['won', 'payment_due', 'offer_received']);
const NOT_WON: ReadonlySet<Standing> = new Set(['lost', 'payment_lapsed', 'cancelled']);

/** In the order of the tab bar: with no tab in the URL, the page opens on the first one that has something. */
const TABS = ['action', 'bids', 'watching', 'selling', 'ended', 'email'] as const;
type Tab = (typeof TABS)[number];
const isTab = (tab: string | null): tab is Tab => (TABS as readonly (string | null)[]).includes(tab);

/**
 * My Gavel: what needs my action (payments, offers), my bids, the auctions I watch, my auctions, what is
 * over (won, not won, my ended auctions), and my e-mail address and notification mails. Refreshed by my
 * notifications.
 */
export function AccountPage({ tab }: { tab: string | null }) {
  const user = useShared(currentUser);
  const [bids, setBids] = useState<MyBid[] | null>(null);
  const [selling, setSelling] = useState<Auction[] | null>(null);
  const [watching, setWatchingList] = useState<Auction[] | null>(null);
  const [watchingCursor, setWatchingCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const now = useServerNow(1000);
  const tabBar = useRef<HTMLElement>(null);

  const load = useCallback(() => {
    if (!currentUser.get()) return;
    Promise.all([api.myBids(), api.myAuctions(), api.watchlist()]).then(
      ([b, s, w]) => {
        setBids(b.items);
        setSelling(s.items);
        setWatchingList(w.items);
        setWatchingCursor(w.nextCursor);
        // The whole list is at hand: the auction pages' Watch buttons can use it.
        if (w.nextCursor === null) watchedIds.set(new Set(w.items.map((a) => a.id)));
      },
      (e) => setError(e),
    );
  }, []);
  const moreWatching = async () => {
    if (!watchingCursor) return;
    try {
      const page = await api.watchlist(watchingCursor);
      setWatchingList((current) => [
        ...(current ?? []),
        ...page.items.filter((a) => !(current ?? []).some((c) => c.id === a.id)),
      ]);
      setWatchingCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(load, [user?.id, load]);
  useEffect(() => onNotification(() => load()), [load]);
  const loaded = bids !== null && selling !== null && watching !== null;
  // On a phone the tab bar scrolls sideways: the open tab (the last one, say) must not be out of sight.
  // Once the lists are in, since the open tab then depends on what they hold.
  useEffect(() => {
    const bar = tabBar.current;
    const active = bar?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!bar || !active) return;
    const left = active.getBoundingClientRect().left - bar.getBoundingClientRect().left;
    if (left < 0 || left + active.offsetWidth > bar.clientWidth)
      bar.scrollLeft += left - (bar.clientWidth - active.offsetWidth) / 2;
  }, [tab, loaded]);

  if (user === undefined) return <main class="page" id="main" aria-busy="true" />;
  if (user === null)
    return (
      <main class="page page--narrow" id="main">
        <div class="card empty">
          <h1>My Gavel</h1>
          <p class="muted">Log in to see your bids, wins and auctions.</p>
          <a class="button button--primary" href={loginHref('#/account')}>
            Log in
          </a>
        </div>
      </main>
    );

  const needsAction = (bids ?? []).filter((b) => b.standing === 'payment_due' || b.standing === 'offer_received');
  const won = (bids ?? []).filter((b) => WON.has(b.standing));
  const notWon = (bids ?? []).filter((b) => NOT_WON.has(b.standing));
  const endedSelling = (selling ?? []).filter((a) => a.status === 'closed' || a.status === 'cancelled');
  const tabs: { id: Tab; label: string; count: number | null }[] = [
    { id: 'action', label: 'To do', count: loaded ? needsAction.length : null },
    { id: 'bids', label: 'My bids', count: bids?.length ?? null },
    { id: 'watching', label: 'Watchlist', count: watching?.length ?? null },
    { id: 'selling', label: 'My auctions', count: selling?.length ?? null },
    { id: 'ended', label: 'Won & ended', count: loaded ? won.length + notWon.length + endedSelling.length : null },
    // Settings, not a list: never the tab the page opens on by itself.
    { id: 'email', label: 'E-mail', count: null },
  ];
  // No tab asked for: the first with something in it (an empty "To do" says nothing when there are bids).
  const current: Tab | null = isTab(tab) ? tab : loaded ? (tabs.find((t) => (t.count ?? 0) > 0)?.id ?? 'action') : null;

  return (
    <main class="page" id="main">
      <h1>My Gavel</h1>
      <p class="muted">
        Signed in as <strong>{user.displayName}</strong> (@{user.username})
      </p>
      <nav class="tabs" aria-label="My Gavel sections" ref={tabBar}>
        {tabs.map((t) => (
          <a
            key={t.id}
            href={`#/account/${t.id}`}
            class={`tab${current === t.id ? ' tab--active' : ''}`}
            aria-current={current === t.id ? 'page' : undefined}
          >
            {t.label}
            {t.count !== null ? <span class="tab__count">{t.count}</span> : null}
          </a>
        ))}
      </nav>
      <FormError error={error} />
      {current === 'email' ? (
        <EmailSettings />
      ) : !loaded ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : current === 'watching' ? (
        watching.length === 0 ? (
          <div class="empty">
            <p>
              You are not watching anything. Press Watch on an auction to follow it here; you hear when it ends soon.
            </p>
            <a class="button button--primary" href="#/">
              Find something
            </a>
          </div>
        ) : (
          <>
            <ul class="rows" aria-label="Watched auctions">
              {watching.map((a) => (
                <WatchedRow
                  key={a.id}
                  auction={a}
                  now={now}
                  onUnwatched={() => setWatchingList((current) => (current ?? []).filter((c) => c.id !== a.id))}
                />
              ))}
            </ul>
            {watchingCursor ? (
              <div class="center">
                <button type="button" class="button" onClick={() => void moreWatching()}>
                  Show more
                </button>
              </div>
            ) : null}
          </>
        )
      ) : current === 'ended' ? (
        <EndedView won={won} notWon={notWon} selling={endedSelling} now={now} onChange={load} />
      ) : current === 'action' ? (
        needsAction.length === 0 ? (
          <div class="empty">
            <p>Nothing needs your attention. Payments due and second-chance offers appear here.</p>
          </div>
        ) : (
          <ul class="rows">
            {needsAction.map((b) => (
              <MyBidRow key={b.auction.id} row={b} now={now} onChange={load} />
            ))}
          </ul>
        )
      ) : current === 'bids' ? (
        bids.length === 0 ? (
          <div class="empty">
            <p>You have not bid yet.</p>
            <a class="button button--primary" href="#/">
              Find something
            </a>
          </div>
        ) : (
          <ul class="rows">
            {bids.map((b) => (
              <MyBidRow key={b.auction.id} row={b} now={now} onChange={load} />
            ))}
          </ul>
        )
      ) : selling.length === 0 ? (
        <div class="empty">
          <p>You are not selling anything yet.</p>
          <a class="button button--primary" href="#/sell">
            Sell an item
          </a>
        </div>
      ) : (
        <ul class="rows">
          {selling.map((a) => (
            <SellingRow key={a.id} auction={a} now={now} />
          ))}
        </ul>
      )}
    </main>
  );
}

/** What is over: auctions I won, auctions I bid on and did not win, my auctions that have ended. */
function EndedView(props: { won: MyBid[]; notWon: MyBid[]; selling: Auction[]; now: number; onChange(): void }) {
  const { won, notWon, selling, now, onChange } = props;
  if (won.length + notWon.length + selling.length === 0)
    return (
      <div class="empty">
        <p>Nothing has ended yet. Auctions you win, bid on or sell appear here once they close.</p>
      </div>
    );
  const bidSection = (title: string, rows: MyBid[]) =>
    rows.length === 0 ? null : (
      <section class="account-section" aria-label={title}>
        <h2>{title}</h2>
        <ul class="rows">
          {rows.map((b) => (
            <MyBidRow key={b.auction.id} row={b} now={now} onChange={onChange} />
          ))}
        </ul>
      </section>
    );
  return (
    <>
      {bidSection('Won', won)}
      {bidSection('Not won', notWon)}
      {selling.length === 0 ? null : (
        <section class="account-section" aria-label="Your ended auctions">
          <h2>Your ended auctions</h2>
          <ul class="rows">
            {selling.map((a) => (
              <SellingRow key={a.id} auction={a} now={now} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** One auction in a list: picture, name, a line of facts, more below, actions on the right. */
function AuctionRow(props: {
  auction: Auction;
  meta: preact.ComponentChildren;
  more?: preact.ComponentChildren;
  actions?: preact.ComponentChildren;
}) {
  const { auction, meta, more, actions } = props;
  const price = priceOf(auction);
  return (
    <li class="row">
      <a class="row__media" href={auctionHref(auction.id)} tabIndex={-1} aria-hidden="true">
        <ItemImage auction={auction} size="card" />
      </a>
      <div class="row__body">
        <a class="row__title" href={auctionHref(auction.id)}>
          {auction.item.name}
        </a>
        <div class="row__meta small">
          {meta}
          <span>
            {price.label}: <strong>{price.text}</strong>
          </span>
        </div>
        {more}
      </div>
      {actions ? <div class="row__actions">{actions}</div> : null}
    </li>
  );
}

function MyBidRow({ row, now, onChange }: { row: MyBid; now: number; onChange(): void }) {
  const { auction } = row;
  const money = (n: number) => formatMoney(n, auction.currency);
  const standing = STANDING[row.standing];
  const s = auction.settlement;
  const { busy, error, run } = useAuctionAction(auction.id, () => onChange());
  const user = useShared(currentUser);
  return (
    <AuctionRow
      auction={auction}
      meta={
        <>
          <span class={`pill pill--${standing.tone}`}>{standing.label}</span>
          <span>Your bid: {money(row.highestBid)}</span>
          {row.maximum !== null ? <span>Your maximum: {money(row.maximum)}</span> : null}
          <Countdown auction={auction} now={now} />
        </>
      }
      more={
        <>
          {s?.deadline && (row.standing === 'payment_due' || row.standing === 'offer_received') ? (
            <p class="small">
              {row.standing === 'payment_due' ? 'Pay' : 'Answer'} by {formatDateTime(s.deadline)}
              {s.price !== null ? ` · ${money(s.price)}` : ''}
            </p>
          ) : null}
          <FormError error={error} />
        </>
      }
      actions={
        <>
          {user ? <SettlementButtons auction={auction} userId={user.id} busy={busy} run={(a) => void run(a)} /> : null}
          {row.standing === 'outbid' && displayStatus(auction, now) === 'open' ? (
            <a class="button" href={auctionHref(auction.id)}>
              Bid again
            </a>
          ) : null}
        </>
      }
    />
  );
}

/** An auction I watch: its state and time left, and Unwatch. */
function WatchedRow({ auction, now, onUnwatched }: { auction: Auction; now: number; onUnwatched(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const unwatch = async () => {
    setBusy(true);
    setError(null);
    try {
      await setWatching(auction.id, false);
      onUnwatched();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <AuctionRow
      auction={auction}
      meta={
        <>
          <StatusBadge auction={auction} status={displayStatus(auction, now)} />
          <span>
            {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
          </span>
          <Countdown auction={auction} now={now} />
        </>
      }
      more={<FormError error={error} />}
      actions={
        <button
          type="button"
          class="button"
          disabled={busy}
          aria-label={`Unwatch ${auction.item.name}`}
          onClick={() => void unwatch()}
        >
          Unwatch
        </button>
      }
    />
  );
}

const SETTLEMENT: Record<string, string> = {
  awaiting_payment: 'Awaiting payment',
  offer_pending: 'Second-chance offer pending',
  paid: 'Paid',
  unsold: 'Unsold: no bidder paid',
};

function SellingRow({ auction, now }: { auction: Auction; now: number }) {
  const s = auction.settlement;
  return (
    <AuctionRow
      auction={auction}
      meta={
        <>
          <StatusBadge auction={auction} status={displayStatus(auction, now)} />
          <span>
            {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
          </span>
          {auction.hasReserve ? (
            <span class={auction.reserveMet ? 'good' : 'warn'}>
              {auction.reserveMet ? 'Reserve met' : 'Reserve not met'}
              {auction.reservePrice != null ? ` (${formatMoney(auction.reservePrice, auction.currency)})` : ''}
            </span>
          ) : null}
          <Countdown auction={auction} now={now} />
        </>
      }
      more={
        s ? (
          <p class="small">
            {SETTLEMENT[s.state]}
            {s.round > 0 ? ` (offer ${s.round})` : ''}
            {s.deadline && (s.state === 'awaiting_payment' || s.state === 'offer_pending')
              ? ` · until ${formatDateTime(s.deadline)}`
              : ''}
            {s.paidAt ? ` · paid ${formatDateTime(s.paidAt)}` : ''}
          </p>
        ) : null
      }
    />
  );
}
