/**
 * The signed-in user's notifications (`GET /api/v1/me/events`): shown as
 * toasts, and passed to whichever page wants to refresh on them (my bids, the
 * auction being watched). One stream per tab, opened while someone is signed in.
 */
import type { Auction } from './api.ts';
import { formatDateTime, formatRoughly } from './format.ts';
import { LiveStream } from './live-stream.ts';
import { formatMoney } from './money.ts';
import { serverNow } from './server-clock.ts';
import { Shared } from './store.ts';

export interface UserNotification {
  type: string;
  auctionId: string;
  itemName: string;
  currency: string;
  currentPrice: number | null;
  version: number;
  price?: number | null;
  deadline?: string | null;
  /** `ending_soon` carries the auction itself (`{ auction }`); its other fields are filled in from it. */
  auction?: Auction;
}

export interface Toast {
  id: number;
  tone: 'info' | 'good' | 'warn';
  text: string;
  auctionId?: string;
}

export const toasts = new Shared<Toast[]>([]);
const listeners = new Set<(n: UserNotification) => void>();

/**
 * Toasts on screen at once. A busy auction sends a notification every second or two; a pile of them would
 * bury the page, and anything older than the newest two has been overtaken by them anyway.
 */
export const MAX_TOASTS = 2;
/** How long a toast stays before it dismisses itself, ms: long enough to read two lines. */
export const TOAST_TTL_MS = 5000;

let nextToastId = 1;
export function showToast(toast: Omit<Toast, 'id'>, ttlMs = TOAST_TTL_MS): void {
  const id = nextToastId++;
  toasts.set([...toasts.get(), { ...toast, id }].slice(-MAX_TOASTS));
  setTimeout(() => dismissToast(id), ttlMs);
}
export function dismissToast(id: number): void {
  if (toasts.get().some((t) => t.id === id)) toasts.set(toasts.get().filter((t) => t.id !== id));
}
/** On leaving a page: its toasts were about what the visitor has moved on from. */
export function clearToasts(): void {
  if (toasts.get().length > 0) toasts.set([]);
}

export function onNotification(listener: (n: UserNotification) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const TYPES = [
  'outbid',
  'leading',
  'bid_received',
  'auction_closed',
  'won',
  'payment_due',
  'payment_lapsed',
  'offer_received',
  'payment_received',
  'auction_unsold',
  'ending_soon',
];

function describe(n: UserNotification): Omit<Toast, 'id'> | null {
  const price = (amount: number | null | undefined) => (amount == null ? '' : formatMoney(amount, n.currency));
  const by = n.deadline ? ` by ${formatDateTime(n.deadline)}` : '';
  const item = `“${n.itemName}”`;
  switch (n.type) {
    case 'outbid':
      return { tone: 'warn', text: `You were outbid on ${item}: now ${price(n.currentPrice)}` };
    case 'leading':
      return { tone: 'good', text: `Your maximum kept you in the lead on ${item} at ${price(n.currentPrice)}` };
    case 'bid_received':
      return { tone: 'info', text: `New bid on your ${item}: ${price(n.currentPrice)}` };
    case 'auction_closed':
      return { tone: 'info', text: `Your auction ${item} has closed` };
    case 'won':
      return { tone: 'good', text: `You won ${item} for ${price(n.price)}. Please pay${by}.` };
    case 'payment_due':
      return { tone: 'good', text: `Offer accepted: pay ${price(n.price)} for ${item}${by}` };
    case 'payment_lapsed':
      return { tone: 'warn', text: `Your payment window for ${item} has passed` };
    case 'offer_received':
      return { tone: 'good', text: `Second-chance offer: ${item} is yours for ${price(n.price)} if you accept${by}` };
    case 'payment_received':
      return { tone: 'good', text: `Payment received for ${item}: ${price(n.price)}` };
    case 'auction_unsold':
      return { tone: 'info', text: `${item} ended unsold: no bidder paid` };
    case 'ending_soon': {
      const end = n.auction ? Date.parse(n.auction.endDate) : NaN;
      const when = Number.isFinite(end) ? `ends in ${formatRoughly(end - serverNow())}` : 'ends soon';
      const now = n.currentPrice === null ? 'no bids yet' : `now ${price(n.currentPrice)}`;
      return { tone: 'warn', text: `Ending soon: ${item} ${when} (${now})` };
    }
    default:
      return null;
  }
}

let stream: LiveStream | null = null;

/**
 * Opens the stream for a signed-in user, closes it on log-out. `onRefused`:
 * the server refused a reconnection, which may mean the session ended.
 */
export function followUser(signedIn: boolean, onRefused: () => void): void {
  stream?.close();
  stream = null;
  if (!signedIn) return;
  stream = new LiveStream({
    url: '/api/v1/me/events',
    events: TYPES,
    onRefused,
    onEvent(type, data) {
      const n = notificationOf(type, data);
      const toast = describe(n);
      if (toast) showToast({ ...toast, auctionId: n.auctionId });
      for (const listener of listeners) listener(n);
    },
  });
}

/**
 * A notification's data as the page uses it. Most carry the auction's id, name and price as fields;
 * `ending_soon` carries the whole auction (`{ auction }`, api.md "Watchlist"), read into the same fields.
 */
export function notificationOf(type: string, data: unknown): UserNotification {
  const raw = (data ?? {}) as Partial<UserNotification>;
  const auction = raw.auction;
  if (auction && raw.auctionId === undefined)
    return {
      ...raw,
      type,
      auctionId: auction.id,
      itemName: auction.item.name,
      currency: auction.currency,
      currentPrice: auction.currentPrice,
      version: auction.version,
      auction,
    };
  return { ...(raw as UserNotification), type };
}

/** The toast for a notification, or null for types the page does not show (exported for tests). */
export const notificationText = describe;
