import { call } from './child-server.ts';

/** A bid the server answered with a stored bid: 201 (accepted) or 409 (rejected, kept in the audit trail). */
export interface AnsweredBid {
  auctionId: string;
  bidId: string;
  amount: number;
  /** The bid's status as answered: `accepted` or `rejected`. */
  status: string;
  /** Date.now() when the answer arrived. */
  at: number;
}

export interface BidStorm {
  /** Every bid answered with a stored bid so far, in the order the answers arrived. */
  readonly answered: AnsweredBid[];
  /** Answers that were not a stored bid (a 503 during shutdown, say), by status. */
  readonly otherAnswers: Map<number, number>;
  /** Requests that got no answer at all (connection refused or reset). */
  readonly connectionErrors: number;
  /** Resolves once at least `count` bids have been answered (rejects after `timeoutMs`). */
  answeredAtLeast(count: number, timeoutMs?: number): Promise<void>;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Several bidders, each sending one bid after another (a new one as soon as the last is answered) to the
 * auctions in turn, from a real HTTP client. Amounts rise on each auction, with collisions between bidders,
 * so that some bids are accepted and some rejected. A bidder stops at its first request without an answer
 * when `stopOnConnectionError` (the server is gone), and otherwise goes on until `stop()`.
 */
export function startBidStorm(options: {
  base: string;
  auctionIds: string[];
  bidders: { auth: Record<string, string> }[];
  stopOnConnectionError?: boolean;
}): BidStorm {
  const { base, auctionIds, bidders } = options;
  const answered: AnsweredBid[] = [];
  const otherAnswers = new Map<number, number>();
  const next = new Map(auctionIds.map((id) => [id, 0]));
  let connectionErrors = 0;
  let stopped = false;

  const bidder = async (index: number) => {
    const { auth } = bidders[index]!;
    for (let n = index; !stopped; n++) {
      const auctionId = auctionIds[n % auctionIds.length]!;
      const step = next.get(auctionId)! + 1;
      next.set(auctionId, step);
      // Mostly rising; every fifth bid a little below what others are sending, to be rejected.
      const amount = 1000 + step * 100 - (n % 5 === 0 ? 250 : 0);
      try {
        const res = await call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, auth);
        if (res.status === 201 || res.status === 409) {
          const bid = res.body.bid as { id: string; status: string } | undefined;
          if (bid) answered.push({ auctionId, bidId: bid.id, amount, status: bid.status, at: Date.now() });
          else otherAnswers.set(res.status, (otherAnswers.get(res.status) ?? 0) + 1);
        } else otherAnswers.set(res.status, (otherAnswers.get(res.status) ?? 0) + 1);
      } catch {
        connectionErrors++;
        if (options.stopOnConnectionError) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const running = Promise.all(bidders.map((_, index) => bidder(index)));

  return {
    answered,
    otherAnswers,
    get connectionErrors() {
      return connectionErrors;
    },
    async answeredAtLeast(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (answered.length < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${answered.length} of ${count} bids answered in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
