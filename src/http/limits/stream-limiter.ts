/**
 * Caps on open event streams (SSE and WebSocket): per client address and per
 * signed-in user (contract: 50 and 20). Counts what this node holds open; a
 * stream takes one slot under each of its keys and gives them back when it
 * closes, exactly once.
 */
export class StreamLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: { enabled: boolean; perAddress: number; perUser: number }) {}

  /**
   * Takes a slot for a stream from `address` (and `userId` when signed in). Returns the release function,
   * or the limit that is used up.
   */
  acquire(address: string, userId: string | null): { release: () => void } | { refused: number } {
    if (!this.limits.enabled) return { release: () => {} };
    const keys: [string, number][] = [[`addr:${address}`, this.limits.perAddress]];
    if (userId !== null) keys.push([`user:${userId}`, this.limits.perUser]);
    for (const [key, max] of keys) if ((this.open.get(key) ?? 0) >= max) return { refused: max };
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const [key] of keys) {
          const left = (this.open.get(key) ?? 1) - 1;
          if (left <= 0) this.open.delete(key);
          else this.open.set(key, left);
        }
      },
    };
  }

  /** Streams open under a key (tests, metrics). */
  count(kind: 'addr' | 'user', id: string): number {
    return this.open.get(`${kind}:${id}`) ?? 0;
  }
}
