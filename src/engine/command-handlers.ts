import {
  type Auction,
  type BidFacts,
  type Candidate,
  acceptOffer,
  auctionView,
  bidView,
  buyNow,
  cancelAuction,
  setLiveStream,
  syncInventoryItem,
  closeIfDue,
  declineOffer,
  editListing,
  expireSettlement,
  pay,
  placeBid,
} from '../domain/index.ts';
import type { IdempotencyRecord, StoredEvent } from '../store/index.ts';
import type { ActionKind, ActionOutcome, BidOutcome, EngineCommand } from './commands.ts';

/**
 * What one command did to its auction: the new state (the same object when
 * nothing changed), the rows to store, and the answer its caller gets once
 * they are durable. Plain data: a batch can be decided again from fresh
 * states (a version conflict) without anything having happened.
 */
export interface CommandResult<A> {
  state: Auction;
  bids: BidFacts[];
  events: StoredEvent[];
  answer: A;
  idempotency?: IdempotencyRecord;
  /** Who caused the change (notifications are not sent to the actor about their own act); null: the clock. */
  actorId: string | null;
  /** For metrics: a bid's outcome (`accepted` or the rejection code), a close's result. */
  bidOutcome?: string;
  closedResult?: string;
}

/** Everything a handler may read besides the state: the clock and, for settlement, the candidates. */
export interface DecideContext {
  now: number;
  /** Second-chance candidates of this auction (loaded only for commands that may need them). */
  candidates: Candidate[];
}

/**
 * One command kind: how it changes an auction (pure), what it answers for an
 * unknown auction, and whether it needs the second-chance candidates. A new
 * command (relist, edit, item update, chat) is one more entry in `handlers`,
 * not an edit of the sequencer.
 */
export interface CommandHandler<C extends EngineCommand, A> {
  decide(state: Auction, command: C, context: DecideContext): CommandResult<A>;
  notFound(command: C): A;
  needsCandidates(state: Auction, command: C): boolean;
}

type CommandOf<T extends EngineCommand['type']> = Extract<EngineCommand, { type: T }>;

/** A stored event from the public views (never a maximum, never the reserve). */
function event(auction: Auction, type: StoredEvent['type'], now: number, data: object): StoredEvent {
  return { auctionId: auction.id, version: auction.version, type, data: JSON.stringify(data), createdAt: now };
}

/** The one place a stored bid row is built. */
function bidRecord(fields: Omit<BidFacts, 'createdAt'>, now: number): BidFacts {
  return { ...fields, createdAt: now };
}

const bidHandler: CommandHandler<CommandOf<'bid'>, BidOutcome> = {
  needsCandidates: () => false,
  notFound: () => ({ kind: 'auction_not_found' }),
  decide(state, command, { now }) {
    const proxy = state.proxyBidding;
    const decision = placeBid(
      state,
      { id: command.bidId, bidderId: command.bidderId, amount: command.amount, proxyBidId: command.proxyBidId },
      now,
    );
    const bids: BidFacts[] = [];
    const events: StoredEvent[] = [];
    let openAnswer: { bid: ReturnType<typeof bidView>; auction: ReturnType<typeof auctionView>; json: string } | null =
      null;
    if (decision.accepted) {
      for (const step of decision.steps) {
        const record = bidRecord(
          {
            id: step.bidId,
            auctionId: command.auctionId,
            bidderId: step.bidderId,
            amount: step.amount,
            kind: step.kind,
            // PRIVATE: the maximum the bidder submitted, on their own step only.
            maxAmount: step.bidId === command.bidId && proxy ? command.amount : null,
            status: 'accepted',
            reason: null,
            auctionVersion: step.auction.version,
          },
          now,
        );
        bids.push(record);
        // Events carry the public views: no maximum, no reserve.
        const publicBid = bidView(record, null);
        const publicAuction = auctionView(step.auction, now, null);
        const data = JSON.stringify({ bid: publicBid, auction: publicAuction });
        if (!proxy) openAnswer = { bid: publicBid, auction: publicAuction, json: data };
        events.push({ auctionId: command.auctionId, version: step.auction.version, type: 'bid', data, createdAt: now });
      }
    } else {
      bids.push(
        bidRecord(
          {
            id: command.bidId,
            auctionId: command.auctionId,
            bidderId: command.bidderId,
            amount: command.amount,
            kind: 'bid',
            // On a proxy auction the amount is a maximum: kept private (out of the public history).
            maxAmount: proxy ? command.amount : null,
            status: 'rejected',
            reason: decision.reason,
            auctionVersion: decision.auction.version,
          },
          now,
        ),
      );
    }
    const own = bids.find((b) => b.id === command.bidId)!;
    // An accepted open bid's own view is the public one (the bidder is not the seller and has no maximum), and
    // its answer is exactly the event already serialized.
    const bid = openAnswer?.bid ?? bidView(own, command.bidderId);
    const auction = openAnswer?.auction ?? auctionView(decision.auction, now, command.bidderId);
    const leading = decision.accepted && decision.leading;
    const json = openAnswer?.json ?? JSON.stringify(proxy ? { bid, auction, leading } : { bid, auction });
    return {
      state: decision.auction,
      bids,
      events,
      actorId: command.bidderId,
      bidOutcome: decision.accepted ? 'accepted' : decision.reason,
      answer: { kind: 'decided', accepted: decision.accepted, bid, auction, leading, replayed: false, json },
      idempotency:
        command.idempotencyKey === null
          ? undefined
          : {
              bidderId: command.bidderId,
              auctionId: command.auctionId,
              key: command.idempotencyKey,
              requestHash: command.requestHash,
              accepted: decision.accepted,
              bidId: command.bidId,
              response: json,
              createdAt: now,
            },
    };
  },
};

const tickHandler: CommandHandler<CommandOf<'tick'>, boolean> = {
  needsCandidates: (state) => state.settlement !== null,
  notFound: () => false,
  decide(state, _command, { now, candidates }) {
    const wasActive = state.lifecycle === 'active';
    let next = closeIfDue(state, now).auction;
    if (next === state) next = expireSettlement(state, now, candidates).auction;
    if (next === state) return { state, bids: [], events: [], answer: false, actorId: null };
    return {
      state: next,
      bids: [],
      events: [event(next, wasActive ? 'closed' : 'settlement', now, { auction: auctionView(next, now, null) })],
      answer: true,
      actorId: null,
      closedResult: wasActive ? next.outcome!.result : undefined,
    };
  },
};

type ActionRefusalCode = Extract<ActionOutcome, { kind: 'refused' }>['code'];
/** A change (`auction` the same object as the state: nothing to change, no version, no event), or a refusal. */
type ActionChange =
  | { ok: true; auction: Auction; event: StoredEvent['type']; bid: BidFacts | null }
  | { ok: false; code: ActionRefusalCode; detail?: string; field?: string };

/** The rules of each user action (buy-now, cancel, payment steps), as one change or a refusal. */
function applyAction(
  action: ActionKind,
  state: Auction,
  command: CommandOf<'action'>,
  { now, candidates }: DecideContext,
): ActionChange {
  switch (action) {
    case 'buy_now': {
      const d = buyNow(state, { bidId: command.bidId, buyerId: command.userId }, now);
      if (!d.bought) return { ok: false, code: d.reason === 'SELF_BIDDING' ? 'SELF_BIDDING' : 'BUY_NOW_UNAVAILABLE' };
      const bid = bidRecord(
        {
          id: command.bidId,
          auctionId: command.auctionId,
          bidderId: command.userId,
          amount: d.auction.currentPrice!,
          kind: 'buy_now',
          maxAmount: null,
          status: 'accepted',
          reason: null,
          auctionVersion: d.auction.version,
        },
        now,
      );
      return { ok: true, auction: d.auction, event: 'closed', bid };
    }
    case 'cancel': {
      const d = cancelAuction(state, command.userId, now);
      return d.cancelled
        ? { ok: true, auction: d.auction, event: 'cancelled', bid: null }
        : { ok: false, code: d.reason };
    }
    case 'set_live_stream': {
      const d = setLiveStream(state, command.userId, command.liveStream ?? null);
      return d.changed
        ? { ok: true, auction: d.auction, event: 'item_updated', bid: null }
        : { ok: false, code: d.reason };
    }
    case 'edit_listing': {
      const d = editListing(state, command.userId, command.edit ?? {}, now);
      return d.ok
        ? { ok: true, auction: d.auction, event: 'item_updated', bid: null }
        : { ok: false, code: d.reason, detail: d.message, field: d.field };
    }
    case 'sync_inventory_item': {
      if (command.inventoryItem === undefined) return { ok: false, code: 'FORBIDDEN' };
      const d = syncInventoryItem(state, command.userId, command.inventoryItem, now);
      return d.ok ? { ok: true, auction: d.auction, event: 'item_updated', bid: null } : { ok: false, code: d.reason };
    }
    case 'pay':
    case 'accept_offer':
    case 'decline_offer': {
      const d =
        action === 'pay'
          ? pay(state, command.userId, now)
          : action === 'accept_offer'
            ? acceptOffer(state, command.userId, now)
            : declineOffer(state, command.userId, now, candidates);
      if (d.changed) return { ok: true, auction: d.auction, event: 'settlement', bid: null };
      return { ok: false, code: d.reason ?? 'PAYMENT_NOT_DUE' };
    }
  }
}

const actionHandler: CommandHandler<CommandOf<'action'>, ActionOutcome> = {
  needsCandidates: (state, command) => command.action === 'decline_offer' && state.settlement !== null,
  notFound: () => ({ kind: 'auction_not_found' }),
  decide(state, command, context) {
    const { now } = context;
    const change = applyAction(command.action, state, command, context);
    if (!change.ok)
      return {
        state,
        bids: [],
        events: [],
        actorId: command.userId,
        answer: {
          kind: 'refused',
          code: change.code,
          auction: auctionView(state, now, command.userId),
          ...(change.detail === undefined ? {} : { detail: change.detail }),
          ...(change.field === undefined ? {} : { field: change.field }),
        },
      };
    // Asked for what the auction already is: answered with it, nothing stored (no version, no event).
    if (change.auction === state)
      return {
        state,
        bids: [],
        events: [],
        actorId: command.userId,
        answer: { kind: 'done', auction: auctionView(state, now, command.userId), bid: null },
      };
    const bid = change.bid ? bidView(change.bid, null) : null;
    const publicAuction = auctionView(change.auction, now, null);
    return {
      state: change.auction,
      bids: change.bid ? [change.bid] : [],
      events: [
        event(change.auction, change.event, now, bid ? { auction: publicAuction, bid } : { auction: publicAuction }),
      ],
      actorId: command.userId,
      closedResult: change.event === 'closed' ? change.auction.outcome!.result : undefined,
      answer: { kind: 'done', auction: auctionView(change.auction, now, command.userId), bid },
    };
  },
};

/** Every command kind the sequencer orders, by `type`. */
export const handlers: { [T in EngineCommand['type']]: CommandHandler<CommandOf<T>, AnswerOf<T>> } = {
  bid: bidHandler,
  tick: tickHandler,
  action: actionHandler,
};

/** The answer type of each command kind (what its caller's promise resolves with). */
export type AnswerOf<T extends EngineCommand['type']> =
  CommandOf<T> extends { resolve(value: infer A): void } ? A : never;
