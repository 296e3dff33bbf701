/**
 * The browser's client for Gavel's HTTP API. Same origin only; the session is
 * an HttpOnly cookie set by `POST /api/v1/sessions`, so no script on the page
 * (ours included) ever holds the token. Errors become `ApiError` carrying the
 * problem document's stable `code`: the UI matches on codes, never on text.
 */
import type { AuctionView, BidView } from '../domain/auction-view.ts';
import type { Standing } from '../domain/standing.ts';
import { observeServerTime } from './server-clock.ts';

export type Auction = AuctionView;
export type Bid = BidView;
export type { Standing };

/** The signed-in user's own view: the only one with the login username. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  createdAt: string;
}

/** Anyone's view of a user: no username; `tag` tells apart two people showing the same display name. */
export interface PublicUser {
  id: string;
  displayName: string;
  tag: string;
  createdAt: string;
}

/** How another user is named on the page: their display name and, once known, their tag. */
export interface PublicName {
  displayName: string;
  tag: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface LeaderboardEntry {
  bidderId: string;
  displayName: string;
  bidderTag: string;
  amount: number;
  bidAt: string;
}

export interface MyBid {
  auction: Auction;
  highestBid: number;
  maximum: number | null;
  standing: Standing;
  lastBidAt: string;
}

export interface Problem {
  code: string;
  title: string;
  detail: string;
  status: number;
  bid?: Bid;
  auction?: Auction;
  errors?: { in?: string; path: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

const BASE = '/api/v1';

interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Raw bytes (uploads): sent as is with `contentType`. */
  bytes?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.bytes) {
    body = options.bytes;
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const sentAt = Date.now();
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({
      code: 'NETWORK_ERROR',
      title: 'The server could not be reached',
      detail: 'The server could not be reached. Check your connection and try again.',
      status: 0,
    });
  }
  const receivedAt = Date.now();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: reported below as a problem without a code of ours.
  }
  if (json && typeof json === 'object') {
    const withAuction = json as { auction?: Auction; items?: { serverTime?: string }[] };
    const serverTime = withAuction.auction?.serverTime ?? withAuction.items?.[0]?.serverTime;
    if (serverTime) observeServerTime(serverTime, sentAt, receivedAt);
  }
  if (!res.ok) {
    const problem = (json ?? {}) as Partial<Problem>;
    throw new ApiError({
      ...problem,
      code: problem.code ?? 'HTTP_ERROR',
      title: problem.title ?? res.statusText,
      detail: problem.detail ?? `The server answered ${res.status}`,
      status: res.status,
    } as Problem);
  }
  return json as T;
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};

export type AuctionSort = 'ending_soon' | 'newest' | 'price_asc' | 'price_desc' | 'bids_desc';
export type AuctionStatus = Auction['status'];

export interface NewAuction {
  /** `images`: up to 10 pictures, the cover first (the server makes it `imageUrl` too). */
  item: { name: string; description: string; imageUrl: string | null; images?: string[] };
  category?: string | null;
  attributes?: Auction['attributes'];
  location?: { country: string; region: string | null; city: string | null } | null;
  startingPrice: number;
  currency: string;
  startDate?: string;
  endDate: string;
  minIncrement: number;
  reservePrice: number | null;
  buyNowPrice: number | null;
  softClose: { windowSeconds: number; extendSeconds: number } | null;
  proxyBidding: boolean;
  incrementTable: 'standard' | null;
  liveStream?: { playbackUrl: string } | null;
}

export interface FacetCount<V> {
  value: V;
  count: number;
}

/** `GET /auctions/facets`: counts over the auctions matching every filter given. */
export interface Facets {
  total: number;
  categories: FacetCount<string>[];
  attributes: Record<string, FacetCount<string | number | boolean>[]>;
  price: { min: number | null; max: number | null };
  /** False above 10,000 matches: the counts may then be estimates within 5 %. */
  exact: boolean;
}

/** `GET /sessions/current`: who the page is signed in as (null: nobody) and whether they may moderate. */
export interface SessionState {
  user: User | null;
  moderator: boolean;
}

/** A question or answer waiting for a moderator's verdict (`GET /moderation/queue`). */
export interface ModerationItem {
  id: string;
  kind: 'question' | 'answer';
  auctionId: string;
  text: string;
  status: 'published' | 'pending_review' | 'rejected';
  attempts: number;
  lastError: string | null;
  /** The moderation service failed on it too often: it waits for a person. */
  parked: boolean;
  createdAt: string;
}

export const api = {
  signUp: (username: string, password: string, displayName?: string) =>
    request<{ user: User }>('/users', { method: 'POST', body: { username, password, displayName } }),
  logIn: (username: string, password: string) =>
    request<{ user: User; expiresAt: string }>('/sessions', { method: 'POST', body: { username, password } }),
  logOut: () => request<void>('/sessions/current', { method: 'DELETE' }),
  me: () => request<{ user: User }>('/me'),
  user: (id: string) => request<{ user: PublicUser }>(`/users/${encodeURIComponent(id)}`),

  /** The listing with any of its filters (`category`, `attr.<key>`, `country`…), as the browse page builds them. */
  searchAuctions: (query: URLSearchParams) => request<Page<Auction>>(`/auctions?${query.toString()}`),
  facets: (query: URLSearchParams) => request<Facets>(`/auctions/facets?${query.toString()}`),
  auction: (id: string) => request<{ auction: Auction }>(`/auctions/${encodeURIComponent(id)}`),
  createAuction: (body: NewAuction) => request<{ auction: Auction }>('/auctions', { method: 'POST', body }),
  bids: (id: string, cursor?: string | null) =>
    request<Page<Bid>>(`/auctions/${encodeURIComponent(id)}/bids${qs({ limit: 50, cursor })}`),
  leaderboard: (id: string) =>
    request<{ items: LeaderboardEntry[] }>(`/auctions/${encodeURIComponent(id)}/leaderboard`),
  placeBid: (id: string, amount: number, idempotencyKey: string) =>
    request<{ bid: Bid; auction: Auction }>(`/auctions/${encodeURIComponent(id)}/bids`, {
      method: 'POST',
      body: { amount },
      headers: { 'idempotency-key': idempotencyKey },
    }),
  act: (id: string, action: 'buy-now' | 'cancel' | 'payment' | 'offer/accept' | 'offer/decline') =>
    request<{ auction: Auction; bid: Bid | null }>(`/auctions/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
    }),
  upload: (file: Blob, type: string) =>
    request<{ url: string }>('/uploads', { method: 'POST', bytes: file, contentType: type }),

  myBids: (cursor?: string | null) => request<Page<MyBid>>(`/me/bids${qs({ limit: 50, cursor })}`),
  myBidOn: (auctionId: string) => request<{ item: MyBid }>(`/me/bids/${encodeURIComponent(auctionId)}`),
  myAuctions: (cursor?: string | null) => request<Page<Auction>>(`/me/auctions${qs({ limit: 50, cursor })}`),
  /** Auctions I watch, soonest end first. */
  watchlist: (cursor?: string | null) => request<Page<Auction>>(`/me/watchlist${qs({ limit: 100, cursor })}`),
  watch: (auctionId: string) => request<void>(`/me/watchlist/${encodeURIComponent(auctionId)}`, { method: 'PUT' }),
  unwatch: (auctionId: string) => request<void>(`/me/watchlist/${encodeURIComponent(auctionId)}`, { method: 'DELETE' }),

  session: () => request<SessionState>('/sessions/current'),
  moderationQueue: () => request<{ items: ModerationItem[] }>('/moderation/queue'),
  decideModeration: (id: string, decision: 'approve' | 'reject') =>
    request<{ item: ModerationItem }>(`/moderation/items/${encodeURIComponent(id)}`, {
      method: 'POST',
      body: { decision },
    }),
};

const names = new Map<string, Promise<PublicName>>();

/** A user's display name and tag, fetched once per page load (bid history carries only ids). */
export function publicNameOf(userId: string): Promise<PublicName> {
  let name = names.get(userId);
  if (!name) {
    name = api.user(userId).then(
      (r) => ({ displayName: r.user.displayName, tag: r.user.tag }),
      () => {
        names.delete(userId); // try again next time
        return { displayName: 'a bidder', tag: null };
      },
    );
    names.set(userId, name);
  }
  return name;
}

/** A question on an auction, as the viewer may see it (their own pending ones included). */
export interface Question {
  id: string;
  auctionId: string;
  askerId: string;
  text: string;
  status: 'published' | 'pending_review' | 'rejected';
  answer: { id: string; text: string; status: string; answeredAt: string } | null;
  createdAt: string;
}

/** The auction page's room: questions and answers, the seller's live video. */
export const roomApi = {
  questions: (auctionId: string) =>
    request<Page<Question>>(`/auctions/${encodeURIComponent(auctionId)}/questions${qs({ limit: 50 })}`),
  ask: (auctionId: string, text: string) =>
    request<{ question: Question }>(`/auctions/${encodeURIComponent(auctionId)}/questions`, {
      method: 'POST',
      body: { text },
    }),
  answer: (auctionId: string, questionId: string, text: string) =>
    request<{ question: Question }>(
      `/auctions/${encodeURIComponent(auctionId)}/questions/${encodeURIComponent(questionId)}/answer`,
      { method: 'POST', body: { text } },
    ),
  setLiveStream: (auctionId: string, playbackUrl: string | null) =>
    request<{ auction: Auction }>(
      `/auctions/${encodeURIComponent(auctionId)}/live-stream`,
      playbackUrl === null ? { method: 'DELETE' } : { method: 'PUT', body: { playbackUrl } },
    ),
};
