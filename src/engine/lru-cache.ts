/**
 * Bounded map with least-recently-used eviction (Map keeps insertion order;
 * a hit moves the key to the end). Holds hot auctions' state in memory so the
 * rules run without a read; the store stays the source of truth.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Deletes every entry whose value matches (a full scan: for rare operations such as "log out everywhere"). */
  deleteWhere(matches: (value: V, key: K) => boolean): void {
    for (const [key, value] of this.map) if (matches(value, key)) this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
