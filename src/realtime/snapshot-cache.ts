import { type Auction, buyNowAvailable, statusAt } from '../domain/index.ts';
import { LruCache } from '../engine/index.ts';

const SERVER_TIME = '"serverTime":"';

/**
 * Serializes each auction state once for every stream that starts on it.
 *
 * A snapshot is `{"auction":{…,"serverTime":"…"}}`. Everything but
 * `serverTime` depends only on the state's version and on two verdicts of
 * the clock (status, buy-now availability), so the text up to `serverTime`
 * is cached under that key and each stream only appends its own clock
 * reading. A thousand streams opening on one auction (or one watch list of a
 * hundred auctions opened a thousand times) cost one serialization per
 * state, not one per stream.
 */
export class SnapshotCache {
  private readonly entries: LruCache<string, { key: string; head: string }>;

  constructor(
    /** The public view to send (`serverTime` must be its last field). */
    private readonly render: (state: Auction, now: number) => object,
    capacity = 10_000,
  ) {
    this.entries = new LruCache(capacity);
  }

  /** The snapshot's data (JSON text) for `state` as seen at `now`. */
  data(state: Auction, now: number): string {
    const key = `${state.version}:${statusAt(state, now)}:${buyNowAvailable(state, now)}`;
    const at = new Date(now).toISOString();
    const cached = this.entries.get(state.id);
    if (cached && cached.key === key) return `${cached.head}${at}"}}`;
    const text = JSON.stringify({ auction: this.render(state, now) });
    // The shape is checked, not assumed: a view whose last field is not serverTime is never cached.
    const tail = `${SERVER_TIME}${at}"}}`;
    if (text.endsWith(tail))
      this.entries.set(state.id, { key, head: text.slice(0, text.length - tail.length + SERVER_TIME.length) });
    return text;
  }
}
