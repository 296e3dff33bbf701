import type { Logger } from 'pino';
import type { StoredEvent, UserEvent } from '../../store/store.ts';
import type { Bus, BusListener } from '../bus.ts';

/** In-process Bus for a single node: synchronous fan-out, one listener's failure isolated from the rest. */
export class MemoryBus implements Bus {
  private readonly listeners = new Map<string, Set<BusListener>>();
  private readonly userListeners = new Map<string, Set<(event: UserEvent) => void>>();
  constructor(private readonly logger?: Logger) {}

  publish(event: StoredEvent): void {
    const set = this.listeners.get(event.auctionId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        // A failing subscriber must never break bid processing.
        this.logger?.error({ err: error, auctionId: event.auctionId }, 'bus listener failed');
      }
    }
  }

  subscribe(auctionId: string, listener: BusListener): () => void {
    let set = this.listeners.get(auctionId);
    if (!set) {
      set = new Set();
      this.listeners.set(auctionId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(auctionId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(auctionId);
    };
  }

  publishToUser(event: UserEvent): void {
    for (const listener of this.userListeners.get(event.userId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.error({ err: error, userId: event.userId }, 'bus user listener failed');
      }
    }
  }

  subscribeUser(userId: string, listener: (event: UserEvent) => void): () => void {
    let set = this.userListeners.get(userId);
    if (!set) {
      set = new Set();
      this.userListeners.set(userId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.userListeners.delete(userId);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.userListeners.clear();
  }
}
