import type { AuctionView, BidView } from '../domain/index.ts';

/** What the engine answers for one bid. */
export type BidOutcome =
  | {
      kind: 'decided';
      /** 201 accepted, 409 rejected (the bid is stored either way). */
      statusCode: 201 | 409;
      bid: BidView;
      auction: AuctionView;
      /** True when this is the stored first answer to an `Idempotency-Key` retry. */
      replayed: boolean;
      /** `{ bid, auction }` serialized once: the 201 body, the stored event data and the idempotency record. */
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

export type EngineCommand =
  | ({ type: 'bid'; enqueuedAt: number; bidId: string; requestHash: string } & PlaceBidInput & Deferred<BidOutcome>)
  | ({ type: 'close'; auctionId: string } & Deferred<boolean>);
