import { useEffect, useRef, useState } from 'preact/hooks';
import { type Auction, ApiError, type Bid, api } from '../api.ts';
import { formatMoney, parseMoney, toMajorInput } from '../money.ts';
import { errorMessage } from './form-error.tsx';

const REASONS: Record<string, (a: Auction) => string> = {
  BID_TOO_LOW: (a) => `Your bid is too low: the minimum next bid is ${formatMoney(a.minNextBid, a.currency)}.`,
  AUCTION_CLOSED: () => 'Too late: the auction had ended when your bid arrived.',
  AUCTION_NOT_STARTED: () => 'This auction has not started yet.',
  AUCTION_CANCELLED: () => 'This auction was cancelled.',
  SELF_BIDDING: () => 'You cannot bid on your own auction.',
};

/** 128 random bits (getRandomValues works on plain-http origins too, unlike randomUUID). */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The bid form. Each bid carries an Idempotency-Key, kept until the server has
 * answered: a bid whose answer was lost (network drop, server restart) is sent
 * again with the same key, so it can never be placed twice.
 */
export function BidForm({
  auction,
  disabled,
  onAnswer,
}: {
  auction: Auction;
  disabled: boolean;
  onAnswer(result: { bid: Bid; auction: Auction; accepted: boolean }): void;
}) {
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newKey());
  const proxy = auction.proxyBidding;
  const { currency } = auction;

  useEffect(() => setMessage(null), [auction.id]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const amount = parseMoney(value, currency);
    if (amount === null || amount < 1) {
      setMessage({ tone: 'bad', text: `Enter an amount such as ${toMajorInput(auction.minNextBid, currency)}.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const answer = await api.placeBid(auction.id, amount, key.current);
          key.current = newKey();
          onAnswer({ ...answer, accepted: true });
          setValue('');
          setMessage({
            tone: 'good',
            text: proxy
              ? `Maximum of ${formatMoney(amount, currency)} placed. We bid for you up to it.`
              : `Bid of ${formatMoney(amount, currency)} placed.`,
          });
          return;
        } catch (error) {
          // Lost answers are retried with the same key; an answer from the server is final.
          const retryable = error instanceof ApiError && (error.status === 0 || error.status === 503);
          if (retryable && attempt < 3) {
            await sleep(400 * (attempt + 1));
            continue;
          }
          throw error;
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.problem.bid && error.problem.auction) {
        key.current = newKey();
        onAnswer({ bid: error.problem.bid, auction: error.problem.auction, accepted: false });
        const reason = REASONS[error.code];
        setMessage({ tone: 'bad', text: reason ? reason(error.problem.auction) : errorMessage(error) });
      } else {
        setMessage({ tone: 'bad', text: errorMessage(error) });
      }
    } finally {
      setBusy(false);
    }
  };

  const step = auction.incrementTable === 'standard' ? null : auction.minIncrement;
  const suggestions = [auction.minNextBid];
  if (step) suggestions.push(auction.minNextBid + step, auction.minNextBid + 4 * step);

  return (
    <form class="bid-form" onSubmit={submit}>
      <label for="bid-amount">{proxy ? 'Your maximum bid' : 'Your bid'}</label>
      <div class="bid-form__row">
        <div class="money-input">
          <span class="money-input__currency" aria-hidden="true">
            {currency}
          </span>
          <input
            id="bid-amount"
            data-testid="bid-input"
            inputMode="decimal"
            autocomplete="off"
            placeholder={toMajorInput(auction.minNextBid, currency)}
            value={value}
            disabled={disabled}
            aria-describedby="bid-hint"
            onInput={(e) => {
              setValue(e.currentTarget.value);
              key.current = newKey();
            }}
          />
        </div>
        <button class="button button--primary" type="submit" data-testid="place-bid" disabled={disabled || busy}>
          {busy ? 'Placing…' : proxy ? 'Set maximum' : 'Place bid'}
        </button>
      </div>
      <small id="bid-hint" class="hint">
        Enter {formatMoney(auction.minNextBid, currency)} or more.
        {proxy ? ' Your maximum stays private: we bid the smallest step needed to keep you ahead.' : ''}
      </small>
      {!disabled ? (
        <div class="quick-bids" aria-label="Suggested amounts">
          {suggestions.map((s) => (
            <button type="button" class="chip" key={s} onClick={() => setValue(toMajorInput(s, currency))}>
              {formatMoney(s, currency)}
            </button>
          ))}
        </div>
      ) : null}
      {message ? (
        <p
          class={`bid-form__message bid-form__message--${message.tone}`}
          role={message.tone === 'bad' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
