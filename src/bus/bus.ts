import type { StoredEvent, UserEvent } from '../store/store.ts';

/**
 * The Bus port: after a batch is durable, the engine publishes its events;
 * every node's realtime hub subscribes per auction. Delivery may be lossy
 * (Redis pub/sub is fire-and-forget): subscribers detect version gaps and
 * fill them from the store, so the bus carries speed, the store carries truth.
 */
export interface Bus {
  publish(event: StoredEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(auctionId: string, listener: BusListener): () => void;
  /** Per-user notifications (GET /me/events). */
  publishToUser(event: UserEvent): void;
  subscribeUser(userId: string, listener: (event: UserEvent) => void): () => void;
  close(): Promise<void>;
}

export type BusListener = (event: StoredEvent) => void;
