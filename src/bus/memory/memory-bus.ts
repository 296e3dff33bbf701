import type { Logger } from 'pino';
import type { Bus, BusListener, BusMessage, Unsubscribe } from '../bus.ts';

/**
 * In-process Bus for a single node: synchronous fan-out, one listener's
 * failure isolated from the rest. Each subscription is its own entry, so an
 * unsubscribe (even a repeated one) removes exactly that subscription, never
 * a newer one that happens to use the same listener function.
 */
export class MemoryBus implements Bus {
  private readonly topics = new Map<string, Set<{ listener: BusListener }>>();
  readonly connected = true;
  constructor(private readonly logger?: Logger) {}

  publish(topic: string, message: BusMessage): void {
    const entries = this.topics.get(topic);
    if (!entries) return;
    for (const entry of entries) {
      try {
        entry.listener(message);
      } catch (error) {
        // A failing subscriber must never break bid processing.
        this.logger?.error({ err: error, topic }, 'bus listener failed');
      }
    }
  }

  async subscribe(topic: string, listener: BusListener): Promise<Unsubscribe> {
    let entries = this.topics.get(topic);
    if (!entries) {
      entries = new Set();
      this.topics.set(topic, entries);
    }
    const entry = { listener };
    entries.add(entry);
    return () => {
      const current = this.topics.get(topic);
      if (!current?.delete(entry)) return;
      if (current.size === 0) this.topics.delete(topic);
    };
  }

  /** Subscriptions open on a topic (tests). */
  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.topics.clear();
  }
}
