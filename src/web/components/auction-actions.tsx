import { useState } from 'preact/hooks';
import { type Auction, ApiError, api } from '../api.ts';
import { formatMoney } from '../money.ts';
import { showToast } from '../notifications.ts';

export type AuctionAction = Parameters<typeof api.act>[1];

const DONE: Record<AuctionAction, string> = {
  'buy-now': 'You bought it!',
  cancel: 'Auction cancelled',
  payment: 'Payment recorded. Thank you!',
  'offer/accept': 'Offer accepted: please pay within the window',
  'offer/decline': 'Offer declined',
};

/**
 * Runs buy-now, cancel, pay and offer answers: one at a time, a toast when
 * done, the refusal's problem kept for display. Whatever the answer, the
 * auction it carries (also on a 409) is handed to `onChange`.
 */
export function useAuctionAction(auctionId: string, onChange: (auction: Auction | null) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: AuctionAction): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.act(auctionId, action);
      onChange(r.auction);
      showToast({ tone: 'good', text: DONE[action] });
      return true;
    } catch (e) {
      if (e instanceof ApiError) onChange(e.problem.auction ?? null);
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Pay, or accept or decline a second-chance offer: shown only to the buyer the settlement is waiting for. */
export function SettlementButtons(props: {
  auction: Auction;
  userId: string;
  busy: boolean;
  run(action: AuctionAction): void;
  block?: boolean;
}) {
  const { auction, userId, busy, run, block } = props;
  const s = auction.settlement;
  if (!s || s.buyerId !== userId) return null;
  if (s.state === 'awaiting_payment')
    return (
      <button
        type="button"
        class={`button button--accent${block ? ' button--block' : ''}`}
        disabled={busy}
        onClick={() => run('payment')}
      >
        Pay {s.price !== null ? formatMoney(s.price, auction.currency) : 'now'}
      </button>
    );
  if (s.state === 'offer_pending')
    return (
      <div class="confirm">
        <button type="button" class="button button--accent" disabled={busy} onClick={() => run('offer/accept')}>
          Accept offer
        </button>
        <button type="button" class="button button--ghost" disabled={busy} onClick={() => run('offer/decline')}>
          Decline
        </button>
      </div>
    );
  return null;
}
