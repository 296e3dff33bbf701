import type { StoredEvent, UserEvent } from '../store/store.ts';

/**
 * The Bus port: after a batch is durable, the engine publishes its events;
 * every node's realtime hub subscribes to the topics its clients watch.
 *
 * Delivery may be lossy (Redis pub/sub is fire-and-forget, and a node can be
 * cut off from Redis): the bus carries speed, the store carries truth.
 * Messages about an auction carry its version, so a subscriber that sees a
 * gap, (re)subscribes, or suspects a lost last message fills in from the
 * store.
 *
 * Topics are strings (`auctionTopic`, `userTopic`, …): a new kind of live
 * message (chat, presence, session revocations) is a new topic, not a new
 * method on every adapter.
 */
export interface Bus {
  /**
   * Publishes `message` to `topic`. Never throws and never waits: the change it reports is already
   * committed, so a failure to publish is logged and left to the subscribers' gap filling.
   */
  publish(topic: string, message: BusMessage): void;
  /**
   * Delivers every message published to `topic` from now on to `listener`, until the returned function is
   * called. Resolves once the subscription is in place (for Redis: SUBSCRIBE acknowledged), so a caller
   * may subscribe first and read the store's history next without missing what happens in between.
   * A listener that throws is logged; it never affects other listeners or the publisher.
   */
  subscribe(topic: string, listener: BusListener): Promise<Unsubscribe>;
  /** Whether messages can currently travel (readiness: `"bus": "ok" | "down"`). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** A JSON-serializable message. */
export type BusMessage = StoredEvent | UserEvent | Record<string, unknown>;
export type BusListener = (message: BusMessage) => void;
/** Ends one subscription (and only that one, however often it is called). */
export type Unsubscribe = () => void;

/** The topic of one auction's committed events (`StoredEvent`). */
export const auctionTopic = (auctionId: string) => `auction:${auctionId}`;
/** The topic of one user's notifications (`UserEvent`). */
export const userTopic = (userId: string) => `user:${userId}`;
