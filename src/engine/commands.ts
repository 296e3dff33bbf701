import type { AuctionView, BidView, InventoryItemRevision, ListingEdit, LiveStream } from '../domain/index.ts';

/** What the engine answers for one bid. */
export type BidOutcome =
  | {
      kind: 'decided';
      /** Accepted, or refused (the bid is stored either way; the HTTP route answers 201 or 409). */
      accepted: boolean;
      bid: BidView;
      auction: AuctionView;
      /** True when this is the stored first answer to an `Idempotency-Key` retry. */
      replayed: boolean;
      /** Proxy bidding: whether this bidder holds the lead after the engine's counter-bids. */
      leading: boolean;
      /** The answer body `{ bid, auction, leading }` serialized once (also the idempotency record). */
      json: string;
    }
  | { kind: 'auction_not_found' }
  | { kind: 'idempotency_key_reused' };

export interface PlaceBidInput {
  auctionId: string;
  bidderId: string;
  amount: number;
  idempotencyKey: string | null;
}

export interface Deferred<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Commands a user may give besides bidding; each is one ordered, durable state change or a refusal. */
export type ActionKind =
  | 'buy_now'
  | 'cancel'
  | 'pay'
  | 'accept_offer'
  | 'decline_offer'
  | 'set_live_stream'
  | 'edit_listing'
  | 'sync_inventory_item';

export type ActionRefusal =
  | 'BUY_NOW_UNAVAILABLE'
  | 'SELF_BIDDING'
  | 'FORBIDDEN'
  | 'CANCEL_NOT_ALLOWED'
  | 'PAYMENT_NOT_DUE'
  | 'NO_OFFER_PENDING'
  | 'AUCTION_CLOSED'
  | 'AUCTION_CANCELLED'
  | 'NOT_SELLER'
  | 'AUCTION_HAS_BIDS'
  | 'ITEM_MANAGED_BY_INVENTORY'
  | 'VALIDATION_FAILED';

export type ActionOutcome =
  | { kind: 'done'; auction: AuctionView; bid: BidView | null }
  | {
      kind: 'refused';
      code: ActionRefusal;
      auction: AuctionView;
      /** What exactly was wrong (VALIDATION_FAILED names the field), when the code alone does not say it. */
      detail?: string;
      field?: string;
    }
  | { kind: 'auction_not_found' };

/** What an action carries besides its kind, auction and user. */
export interface ActionPayload {
  /** `set_live_stream`: the new stream (null removes it). */
  liveStream?: LiveStream | null;
  /** `edit_listing`: the seller's changes. */
  edit?: ListingEdit;
  /** `sync_inventory_item`: the revision of the inventory item the auction sells, to show. */
  inventoryItem?: InventoryItemRevision;
}

/** What every queued command carries: its arrival order, and how often a conflict sent it back. */
interface Queued {
  seq: number;
  attempts?: number;
}

export type EngineCommand = Queued &
  (
    | ({ type: 'bid'; enqueuedAt: number; bidId: string; proxyBidId: string; requestHash: string } & PlaceBidInput &
        Deferred<BidOutcome>)
    | ({ type: 'tick'; auctionId: string } & Deferred<boolean>)
    | ({
        type: 'action';
        action: ActionKind;
        auctionId: string;
        userId: string;
        bidId: string;
      } & ActionPayload &
        Deferred<ActionOutcome>)
  );
