/** The Clock port: the only way the service reads time. The domain never calls it; it receives `now`. */
export interface Clock {
  /** Epoch milliseconds; never goes backwards within one process. */
  now(): number;
}

/**
 * Wall clock that refuses to run backwards (NTP steps): ordering of bids on
 * one auction must never see time decrease, or a bid could be judged open
 * after a later one was judged closed.
 */
export class SystemClock implements Clock {
  private last = 0;
  now(): number {
    const t = Date.now();
    if (t > this.last) this.last = t;
    return this.last;
  }
}
