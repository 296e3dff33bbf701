import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Auction, ApiError, type Bid, type LeaderboardEntry, type MyBid, type Question, api } from '../api.ts';
import { displayStatus, newer, priceOf } from '../auction-state.ts';
import { type AuctionAction, SettlementButtons, useAuctionAction } from '../components/auction-actions.tsx';
import { BidForm } from '../components/bid-form.tsx';
import { Countdown } from '../components/countdown.tsx';
import { FormError, errorMessage } from '../components/form-error.tsx';
import { ItemFacts } from '../components/item-facts.tsx';
import { ItemGallery } from '../components/item-gallery.tsx';
import { LiveStreamControl } from '../components/live-stream-control.tsx';
import { LiveVideo } from '../components/live-video.tsx';
import { QuestionsPanel } from '../components/questions-panel.tsx';
import { RoomChat } from '../components/room-chat.tsx';
import { PublicName } from '../components/public-name.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { usePublicName } from '../components/use-display-name.ts';
import { useServerNow } from '../components/use-now.ts';
import { WatchButton } from '../components/watch-button.tsx';
import { categoryLabel } from '../catalogue.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { type ChatMessage, LiveRoom, type LiveStanding, type LiveState } from '../live-room.ts';
import { formatMoney } from '../money.ts';
import { onNotification } from '../notifications.ts';
import { loginHref } from '../router.ts';
import { currentUser, recheckSession } from '../session.ts';
import { useShared } from '../store.ts';

/** How many top bidders the page shows (the leaderboard's default page). */
const TOP_BIDDERS = 10;

/**
 * Top bidders after one accepted bid, without asking the server: each bidder once with their highest
 * accepted bid, highest first, earlier first on ties (the leaderboard's own order).
 */
function mergeLeader(current: LeaderboardEntry[], bid: Bid): LeaderboardEntry[] {
  if (bid.status !== 'accepted') return current;
  const existing = current.find((e) => e.bidderId === bid.bidderId);
  if (existing && existing.amount >= bid.amount) return current;
  const entry: LeaderboardEntry = {
    bidderId: bid.bidderId,
    // A bidder new to the list is named when the row renders (usePublicName).
    displayName: existing?.displayName ?? '',
    bidderTag: existing?.bidderTag ?? '',
    amount: bid.amount,
    bidAt: bid.createdAt,
  };
  return [...current.filter((e) => e.bidderId !== bid.bidderId), entry]
    .sort((a, b) => b.amount - a.amount || a.bidAt.localeCompare(b.bidAt))
    .slice(0, TOP_BIDDERS);
}

/** Newest first by the version each bid produced; one entry per bid id. */
function mergeBids(current: Bid[], incoming: Bid[]): Bid[] {
  const byId = new Map(current.map((b) => [b.id, b]));
  for (const b of incoming) if (b.status === 'accepted') byId.set(b.id, b);
  return [...byId.values()].sort((a, b) => b.auctionVersion - a.auctionVersion);
}

/**
 * One auction, live. The page subscribes to the auction's event stream first
 * (a snapshot, then every change in version order, resumed with Last-Event-ID
 * after a drop), then reads the history; both are merged by bid id and
 * version, so nothing shows twice and nothing older replaces something newer.
 */
export function AuctionPage({ id }: { id: string }) {
  const user = useShared(currentUser);
  const [auction, setAuction] = useState<Auction | null>(null);
  const [bids, setBids] = useState<Bid[]>([]);
  const [bidsCursor, setBidsCursor] = useState<string | null>(null);
  const [leaders, setLeaders] = useState<LeaderboardEntry[]>([]);
  const [mine, setMine] = useState<MyBid | null>(null);
  const [placedHere, setPlacedHere] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const [chat, setChat] = useState<ChatMessage[]>([]);
  const [participants, setParticipants] = useState(0);
  const [liveStanding, setLiveStanding] = useState<LiveStanding | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [announced, setAnnounced] = useState<Question[]>([]);
  const now = useServerNow(250);
  const roomRef = useRef<LiveRoom | null>(null);
  /** Whether this viewer has bid here: only then is `GET /me/bids/:id` asked (it is a 404 otherwise). */
  const hasBidRef = useRef(false);
  const firstSnapshot = useRef(true);
  /** Whom the last full read of the auction was made for. */
  const readAs = useRef<string | null>(null);

  const apply = useCallback((incoming: Auction) => setAuction((current) => newer(current, incoming)), []);

  /** Bid history and top bidders, read in full (at start, and after a reconnect that could not resume). */
  const reloadLists = useCallback(() => {
    api.bids(id).then(
      (page) => {
        setBids((current) => mergeBids(current, page.items));
        setBidsCursor(page.nextCursor);
      },
      () => undefined,
    );
    api.leaderboard(id).then(
      (r) => setLeaders(r.items),
      () => undefined,
    );
  }, [id]);

  const refreshMine = useCallback(() => {
    if (!currentUser.get()) return setMine(null);
    api.myBidOn(id).then(
      (r) => {
        setMine(r.item);
        apply(r.item.auction);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 404) setMine(null);
      },
    );
  }, [id, apply]);

  // The live room, then the reads (anything the reads miss, the room brings). A new socket when the viewer
  // signs in or out: the server knows who is chatting and whose standing to tell from the socket's session.
  useEffect(() => {
    setLiveStanding(null);
    setRefusal(null);
    const room = new LiveRoom(id, {
      onState: setLive,
      onSnapshot(snapshot, messages, count) {
        apply(snapshot);
        setChat(messages);
        setParticipants(count);
        if (!firstSnapshot.current) {
          // A snapshot after a reconnect: what happened meanwhile is no longer at hand as events.
          reloadLists();
        }
        firstSnapshot.current = false;
      },
      onResumed(messages, count) {
        setChat(messages);
        setParticipants(count);
      },
      onEvent(type, incoming, bid) {
        apply(incoming);
        if (type === 'bid' && bid) {
          setBids((current) => mergeBids(current, [bid]));
          setLeaders((current) => mergeLeader(current, bid));
          setAnnouncement(`New bid: ${formatMoney(bid.amount, incoming.currency)} at ${formatTime(bid.createdAt)}`);
        }
        if (type === 'closed') setAnnouncement('The auction has closed');
        if (type === 'closed' || type === 'settlement') {
          // Our own view may hold more than the public event (the seller's reserve, an offeree's price).
          api.auction(id).then(
            (r) => apply(r.auction),
            () => undefined,
          );
          if (hasBidRef.current) refreshMine();
        }
      },
      onChat: (message) => setChat((current) => [...current.filter((m) => m.id !== message.id), message].slice(-100)),
      onPresence: setParticipants,
      onStanding(standing) {
        setLiveStanding(standing);
        if (!hasBidRef.current) {
          // The room tells a standing only to bidders: now it is worth reading my bid (my maximum).
          hasBidRef.current = true;
          refreshMine();
        }
      },
      onQuestion: (question) => setAnnounced((current) => [...current.filter((q) => q.id !== question.id), question]),
      onError: (_code, detail) => setRefusal(detail),
      onSignedOut: () => void recheckSession(),
    });
    roomRef.current = room;
    return () => {
      room.close();
      if (roomRef.current === room) roomRef.current = null;
    };
  }, [id, user?.id, apply, refreshMine, reloadLists]);

  useEffect(() => {
    setAuction(null);
    setBids([]);
    setLeaders([]);
    setChat([]);
    setAnnounced([]);
    setLoadError(null);
    setPlacedHere(false);
    setMine(null);
    hasBidRef.current = false;
    firstSnapshot.current = true;
    readAs.current = currentUser.get()?.id ?? null;
    api.auction(id).then(
      (r) => apply(r.auction),
      (e) => setLoadError(e),
    );
    reloadLists();
  }, [id, apply, reloadLists]);

  // The auction as this viewer may see it (the seller's reserve): read again only if the viewer changed.
  useEffect(() => {
    const viewer = user?.id ?? null;
    if (user !== undefined && viewer !== readAs.current) {
      readAs.current = viewer;
      hasBidRef.current = false;
      setMine(null);
      api.auction(id).then(
        (r) => apply(r.auction),
        () => undefined,
      );
    }
  }, [user?.id]);
  useEffect(
    () =>
      onNotification((n) => {
        if (n.auctionId !== id) return;
        // Watchers hear ending_soon too: it carries the auction, and says nothing about having bid.
        if (n.type === 'ending_soon') {
          if (n.auction) apply(n.auction);
          return;
        }
        hasBidRef.current = true;
        refreshMine();
      }),
    [id, apply, refreshMine],
  );

  if (loadError) {
    const missing = loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 400);
    return (
      <main class="page" id="main">
        <div class="empty">
          <h1>{missing ? 'Auction not found' : 'Could not load this auction'}</h1>
          <p class="muted">{missing ? 'It may have been removed, or the link is wrong.' : errorMessage(loadError)}</p>
          <a class="button" href="#/">
            Back to auctions
          </a>
        </div>
      </main>
    );
  }
  if (!auction)
    return (
      <main class="page" id="main" aria-busy="true">
        <div class="auction-layout auction-layout--skeleton" aria-label="Loading auction" />
      </main>
    );

  const status = displayStatus(auction, now);
  const isSeller = user?.id === auction.sellerId;
  const myBidOnAuction = mine !== null || placedHere || liveStanding !== null;
  const canBid = status === 'open' && user != null && !isSeller;

  const loadMoreBids = async () => {
    if (!bidsCursor) return;
    const page = await api.bids(id, bidsCursor);
    setBids((current) => mergeBids(current, page.items));
    setBidsCursor(page.nextCursor);
  };

  return (
    <main class="page" id="main">
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <a href="#/">Auctions</a> <span aria-hidden="true">›</span>{' '}
        {auction.category ? (
          <>
            <a href={`#/?category=${encodeURIComponent(auction.category)}`}>{categoryLabel(auction.category)}</a>{' '}
            <span aria-hidden="true">›</span>{' '}
          </>
        ) : null}
        <span>{auction.item.name}</span>
      </nav>
      <div class="auction-layout">
        <section class="auction-media" aria-labelledby="auction-title">
          {auction.liveStream && status !== 'closed' && status !== 'cancelled' ? (
            <LiveVideo playbackUrl={auction.liveStream.playbackUrl} />
          ) : (
            <ItemGallery auction={auction} />
          )}
          <h1 id="auction-title" class="auction-title">
            {auction.item.name}
          </h1>
          <div class="auction-subtitle">
            <Seller sellerId={auction.sellerId} isMe={isSeller} />
            <WatchButton
              auction={auction}
              onChange={(delta) => {
                // At once, then the server's own count (others watch too).
                if (auction.watcherCount !== undefined)
                  apply({ ...auction, watcherCount: Math.max(0, auction.watcherCount + delta) });
                api.auction(id).then(
                  (r) => apply(r.auction),
                  () => undefined,
                );
              }}
            />
          </div>
        </section>
        <section class="auction-about" aria-label="About this item">
          {auction.item.description ? <p class="description">{auction.item.description}</p> : null}
          <ItemFacts auction={auction} />
          <Details auction={auction} />
        </section>

        <aside class="auction-side">
          <section class="card price-panel" aria-labelledby="price-heading">
            <div class="price-panel__top">
              <StatusBadge auction={auction} status={status} testId="auction-status" />
              <span class={`live-indicator live-indicator--${live}`}>
                {live === 'live' ? 'Live updates' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
              </span>
            </div>
            <PricePanel auction={auction} userId={user?.id ?? null} />
            <div class="price-panel__time">
              <Countdown auction={auction} now={now} testId="countdown" />
            </div>
            <MyStanding
              auction={auction}
              status={status}
              userId={user?.id ?? null}
              isSeller={isSeller}
              hasBid={myBidOnAuction}
              mine={mine}
            />
            {status === 'open' || status === 'scheduled' ? (
              user === null ? (
                <p class="signin-prompt">
                  <a class="button button--primary button--block" href={loginHref(`#/auction/${auction.id}`)}>
                    Log in to bid
                  </a>
                </p>
              ) : isSeller ? null : (
                <BidForm
                  auction={auction}
                  disabled={status !== 'open' || user === undefined}
                  onAnswer={(result) => {
                    apply(result.auction);
                    if (result.accepted) {
                      setPlacedHere(true);
                      hasBidRef.current = true;
                      setBids((current) => mergeBids(current, [result.bid]));
                      setLeaders((current) => mergeLeader(current, result.bid));
                      refreshMine();
                    }
                  }}
                />
              )
            ) : null}
            <Actions auction={auction} status={status} userId={user?.id ?? null} isSeller={isSeller} onChange={apply} />
          </section>

          {isSeller && (status === 'open' || status === 'scheduled' || status === 'ending') ? (
            <LiveStreamControl auction={auction} onChange={apply} />
          ) : null}

          <section class="card" aria-labelledby="leaders-heading">
            <h2 id="leaders-heading" class="card__title">
              Top bidders
            </h2>
            {leaders.length === 0 ? (
              <p class="muted">No bids yet. Be the first.</p>
            ) : (
              <ol class="leaderboard">
                {leaders.map((entry, i) => (
                  <LeaderRow
                    key={entry.bidderId}
                    entry={entry}
                    rank={i + 1}
                    isMe={entry.bidderId === user?.id}
                    currency={auction.currency}
                  />
                ))}
              </ol>
            )}
          </section>
        </aside>

        <div class="auction-chat">
          <RoomChat
            auctionId={auction.id}
            messages={chat}
            participants={participants}
            userId={user?.id ?? null}
            connected={live === 'live'}
            refusal={refusal}
            onSend={(text) => {
              setRefusal(null);
              return roomRef.current?.chat(text) ?? false;
            }}
          />
        </div>

        <div class="auction-questions">
          <QuestionsPanel auctionId={auction.id} userId={user?.id ?? null} isSeller={isSeller} announced={announced} />
        </div>

        <section class="card auction-history" aria-labelledby="history-heading">
          <h2 id="history-heading" class="card__title">
            Bid history <span class="muted small">({auction.bidCount})</span>
          </h2>
          {bids.length === 0 ? <p class="muted">No bids yet.</p> : null}
          <ol class="bid-history" data-testid="bid-history">
            {bids.map((bid) => (
              <BidRow key={bid.id} bid={bid} currency={auction.currency} userId={user?.id ?? null} />
            ))}
          </ol>
          {bidsCursor ? (
            <button type="button" class="button button--ghost" onClick={() => void loadMoreBids()}>
              Older bids
            </button>
          ) : null}
        </section>
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {canBid ? (
        // Phones: the price, the time left and the bid button stay on screen while the page scrolls.
        <div class="sticky-bid" data-testid="sticky-bid">
          <div class="sticky-bid__price">
            <strong>{priceOf(auction).text}</strong>
            <Countdown auction={auction} now={now} />
          </div>
          <button
            type="button"
            class="button button--primary"
            onClick={() => {
              const input = document.getElementById('bid-amount');
              input?.scrollIntoView({ block: 'center', behavior: 'smooth' });
              input?.focus({ preventScroll: true });
            }}
          >
            Bid {formatMoney(auction.minNextBid, auction.currency)}
          </button>
        </div>
      ) : null}
    </main>
  );
}

function LeaderRow(props: { entry: LeaderboardEntry; rank: number; isMe: boolean; currency: string }) {
  const { entry, rank, isMe, currency } = props;
  // A bidder who entered the list from a live bid has no name yet: look it up (cached per user).
  const looked = usePublicName(entry.displayName ? null : entry.bidderId);
  const name = entry.displayName ? { displayName: entry.displayName, tag: entry.bidderTag } : looked;
  return (
    <li class={isMe ? 'is-me' : undefined}>
      <span class="leaderboard__rank">{rank}</span>
      <span class="leaderboard__name">
        <PublicName name={name} />
        {isMe ? ' (you)' : ''}
      </span>
      <span class="leaderboard__amount">{formatMoney(entry.amount, currency)}</span>
    </li>
  );
}

function Seller({ sellerId, isMe }: { sellerId: string; isMe: boolean }) {
  const name = usePublicName(sellerId);
  return <p class="muted">Sold by {isMe ? 'you' : <PublicName name={name} />}</p>;
}

function PricePanel({ auction, userId }: { auction: Auction; userId: string | null }) {
  const price = priceOf(auction);
  const leaderId = auction.highestBid?.bidderId ?? null;
  const leaderName = usePublicName(leaderId);
  return (
    <div class="price-panel__price">
      <span class="muted small" id="price-heading">
        {price.label}
      </span>
      <strong class="price price--large" data-testid="current-price" key={auction.version}>
        {price.text}
      </strong>
      <p class="leader" data-testid="leader">
        {leaderId === null ? (
          'No bids yet'
        ) : (
          <>
            {auction.status === 'closed' ? 'Winner' : 'Leading'}:{' '}
            {leaderId === userId ? 'you' : <PublicName name={leaderName} />}
          </>
        )}
        {' · '}
        {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
      </p>
      <dl class="facts">
        {auction.status !== 'closed' && auction.status !== 'cancelled' ? (
          <div>
            <dt>Minimum next bid</dt>
            <dd>{formatMoney(auction.minNextBid, auction.currency)}</dd>
          </div>
        ) : null}
        {auction.hasReserve ? (
          <div>
            <dt>Reserve</dt>
            <dd class={auction.reserveMet ? 'good' : 'warn'}>
              {auction.reserveMet ? 'Reserve met' : 'Reserve not met'}
              {auction.reservePrice != null
                ? ` (${formatMoney(auction.reservePrice, auction.currency)}, only you see this)`
                : ''}
            </dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

function MyStanding(props: {
  auction: Auction;
  status: string;
  userId: string | null;
  isSeller: boolean;
  hasBid: boolean;
  mine: MyBid | null;
}) {
  const { auction, status, userId, isSeller, hasBid, mine } = props;
  if (!userId) return null;
  const money = (n: number) => formatMoney(n, auction.currency);
  const leading = auction.highestBid?.bidderId === userId;
  const maximum =
    auction.proxyBidding && mine?.maximum != null ? <> Your maximum: {money(mine.maximum)} (private).</> : null;
  let tone: 'good' | 'warn' | 'info' = 'info';
  let text: preact.ComponentChildren = null;
  if (isSeller) {
    text = 'This is your auction.';
  } else if (status === 'open' || status === 'ending') {
    if (leading) {
      tone = 'good';
      text = <>You are leading.{maximum}</>;
    } else if (hasBid) {
      tone = 'warn';
      text = (
        <>
          You were outbid. Bid {money(auction.minNextBid)} or more to lead again.{maximum}
        </>
      );
    }
  } else if (status === 'closed') {
    const s = auction.settlement;
    if (auction.outcome?.winnerId === userId) {
      tone = 'good';
      if (s?.state === 'paid' && s.buyerId === userId) text = 'You won this auction and paid. Thank you!';
      else if (s && s.state !== 'awaiting_payment' && s.buyerId !== userId)
        text = 'You won this auction, but the payment window has passed.';
      else
        text = (
          <>
            You won! Pay {money(auction.outcome.finalPrice ?? 0)}
            {s?.deadline ? ` by ${formatDateTime(s.deadline)}` : ''}.
          </>
        );
    } else if (s?.state === 'offer_pending' && s.buyerId === userId) {
      tone = 'good';
      text = (
        <>
          Second-chance offer: it is yours for {s.price !== null ? money(s.price) : 'your highest bid'} if you accept
          {s.deadline ? ` by ${formatDateTime(s.deadline)}` : ''}.
        </>
      );
    } else if (s?.buyerId === userId && s.state === 'awaiting_payment') {
      tone = 'good';
      text = (
        <>
          You accepted the offer. Pay {s.price !== null ? money(s.price) : ''}
          {s.deadline ? ` by ${formatDateTime(s.deadline)}` : ''}.
        </>
      );
    } else if (s?.buyerId === userId && s.state === 'paid') {
      tone = 'good';
      text = 'You bought this item. Thank you!';
    } else if (hasBid) {
      text = 'You did not win this one.';
    }
  }
  if (!text) return null;
  return (
    <p class={`standing standing--${tone}`} role="status">
      {text}
    </p>
  );
}

/** Buy-now, cancel, pay, answer an offer: whichever applies to this viewer now. */
function Actions(props: {
  auction: Auction;
  status: string;
  userId: string | null;
  isSeller: boolean;
  onChange(a: Auction): void;
}) {
  const { auction, status, userId, isSeller, onChange } = props;
  const [confirming, setConfirming] = useState<AuctionAction | null>(null);
  const { busy, error, run } = useAuctionAction(auction.id, (a) => a && onChange(a));
  useEffect(() => setConfirming(null), [auction.id]);
  if (!userId) return null;
  const money = (n: number) => formatMoney(n, auction.currency);

  /** A two-step button for what cannot be undone. */
  const confirmable = (action: AuctionAction, label: string, confirmLabel: string, accent = false) =>
    confirming === action ? (
      <div class="confirm" key={action}>
        <button
          type="button"
          class="button button--primary"
          disabled={busy}
          onClick={() => void run(action).then((ok) => ok && setConfirming(null))}
        >
          {confirmLabel}
        </button>
        <button type="button" class="button button--ghost" onClick={() => setConfirming(null)}>
          Keep it
        </button>
      </div>
    ) : (
      <button
        type="button"
        key={action}
        class={`button button--block${accent ? ' button--accent' : ''}`}
        onClick={() => setConfirming(action)}
      >
        {label}
      </button>
    );

  const buttons: preact.ComponentChildren[] = [];
  if (status === 'open' && auction.buyNowAvailable && auction.buyNowPrice !== null && !isSeller)
    buttons.push(
      confirmable(
        'buy-now',
        `Buy now for ${money(auction.buyNowPrice)}`,
        `Confirm: buy for ${money(auction.buyNowPrice)}`,
        true,
      ),
    );
  if (isSeller && auction.bidCount === 0 && (status === 'open' || status === 'scheduled'))
    buttons.push(confirmable('cancel', 'Cancel this auction', 'Yes, cancel the auction'));
  buttons.push(
    <SettlementButtons key="settle" auction={auction} userId={userId} busy={busy} run={(a) => void run(a)} block />,
  );
  return (
    <div class="actions">
      {buttons}
      <FormError error={error} />
    </div>
  );
}

function Details({ auction }: { auction: Auction }) {
  const money = (n: number) => formatMoney(n, auction.currency);
  return (
    <dl class="details">
      <div>
        <dt>Starting price</dt>
        <dd>{money(auction.startingPrice)}</dd>
      </div>
      <div>
        <dt>Bidding</dt>
        <dd>
          {auction.proxyBidding ? 'Automatic (proxy) bidding, ' : ''}
          {auction.incrementTable === 'standard'
            ? 'standard increments'
            : `increments of ${money(auction.minIncrement)}`}
        </dd>
      </div>
      {auction.buyNowPrice !== null ? (
        <div>
          <dt>Buy now</dt>
          <dd>
            {money(auction.buyNowPrice)}
            {auction.buyNowAvailable ? '' : ' (no longer available)'}
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Anti-sniping</dt>
        <dd>
          {auction.softClose
            ? `A bid in the last ${auction.softClose.windowSeconds}s extends the end to ${auction.softClose.extendSeconds}s after it`
            : 'Hard close: ends exactly on time'}
        </dd>
      </div>
      <div>
        <dt>Starts</dt>
        <dd>{formatDateTime(auction.startDate)}</dd>
      </div>
      <div>
        <dt>{auction.endDate !== auction.originalEndDate ? 'Ends (extended)' : 'Ends'}</dt>
        <dd>{formatDateTime(auction.endDate)}</dd>
      </div>
    </dl>
  );
}

function BidRow({ bid, currency, userId }: { bid: Bid; currency: string; userId: string | null }) {
  const name = usePublicName(bid.bidderId);
  const who = bid.bidderId === userId ? 'You' : <PublicName name={name} />;
  return (
    <li class={`bid-row${bid.bidderId === userId ? ' is-me' : ''}`}>
      <span class="bid-row__who">
        {who}
        {bid.kind === 'proxy' ? (
          <span class="tag tag--small" title="Placed automatically up to the bidder's maximum">
            {' '}
            auto
          </span>
        ) : null}
        {bid.kind === 'buy_now' ? <span class="tag tag--small"> buy now</span> : null}
      </span>
      <span class="bid-row__amount">{formatMoney(bid.amount, currency)}</span>
      <time class="bid-row__time muted small" dateTime={bid.createdAt}>
        {formatTime(bid.createdAt)}
      </time>
    </li>
  );
}
