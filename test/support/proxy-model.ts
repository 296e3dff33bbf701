/**
 * A reference model of proxy (automatic) bidding, written from auction-rules.md
 * and deliberately independent of src/domain: it keeps every bidder's highest
 * accepted maximum and derives the visible price and the leader from those
 * maximums alone, instead of stepping from state to state as the engine does.
 * Property tests compare the engine against it; the HTTP suites replay stored
 * maximums through it.
 */

/** The standard increment table restated from auction-rules.md (USD cents): `[below, increment]`. */
const TABLE: readonly (readonly [number, number])[] = [
  [100, 5],
  [500, 25],
  [2_500, 50],
  [10_000, 100],
  [25_000, 250],
  [50_000, 500],
  [100_000, 1_000],
  [250_000, 2_500],
  [500_000, 5_000],
];

export function modelStandardIncrement(price: number): number {
  for (const [below, increment] of TABLE) if (price < below) return increment;
  return 10_000;
}

export interface ProxyModelOptions {
  startingPrice: number;
  reservePrice: number | null;
  /** The increment that applies at a price: the standard table or a fixed `minIncrement`. */
  increment: (price: number) => number;
}

interface Maximum {
  max: number;
  /** Server order in which this maximum was set: the earlier one wins a tie. */
  setAt: number;
}

export class ProxyModel {
  readonly maximums = new Map<string, Maximum>();
  /** The visible price; `null` before the first accepted maximum. */
  price: number | null = null;
  private order = 0;

  constructor(readonly options: ProxyModelOptions) {}

  minNextBid(): number {
    return this.price === null ? this.options.startingPrice : this.price + this.options.increment(this.price);
  }

  /** The bidder with the highest maximum, the earliest on ties. */
  leader(): string | null {
    let best: [string, Maximum] | null = null;
    for (const entry of this.maximums) {
      const [, m] = entry;
      if (best === null || m.max > best[1].max || (m.max === best[1].max && m.setAt < best[1].setAt)) best = entry;
    }
    return best?.[0] ?? null;
  }

  maxOf(bidderId: string): number | null {
    return this.maximums.get(bidderId)?.max ?? null;
  }

  /** The highest maximum of anyone but `bidderId`. */
  highestOtherThan(bidderId: string): number | null {
    let best: number | null = null;
    for (const [id, m] of this.maximums) if (id !== bidderId && (best === null || m.max > best)) best = m.max;
    return best;
  }

  reserveMet(): boolean {
    const leader = this.leader();
    if (this.options.reservePrice === null) return true;
    return leader !== null && this.maxOf(leader)! >= this.options.reservePrice;
  }

  /** Whether a new maximum would be accepted (price rules only; the clock is the caller's business). */
  accepts(bidderId: string, amount: number): boolean {
    if (amount < this.minNextBid()) return false;
    const leader = this.leader();
    return leader !== bidderId || amount > this.maxOf(leader)!;
  }

  /** Submits a maximum; returns whether it was accepted. A refused maximum changes nothing. */
  submit(bidderId: string, amount: number): boolean {
    if (!this.accepts(bidderId, amount)) return false;
    const raisingLeader = this.leader() === bidderId;
    this.maximums.set(bidderId, { max: amount, setAt: ++this.order });
    const leader = this.leader()!;
    const top = this.maxOf(leader)!;
    const second = this.highestOtherThan(leader);
    let price: number;
    if (raisingLeader) {
      // auction-rules.md: "The leader raising their own maximum does not move the price, except up to the
      // reserve." (The plain min(top, second + increment) would lift it when the price sat at the old maximum.)
      price = this.price!;
    } else if (second === null) {
      price = this.options.startingPrice;
    } else {
      price = Math.min(top, second + this.options.increment(second));
    }
    const reserve = this.options.reservePrice;
    if (reserve !== null && top >= reserve) price = Math.max(price, reserve);
    // The price never goes down.
    this.price = Math.max(this.price ?? price, price);
    return true;
  }
}
