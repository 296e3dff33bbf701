/**
 * The Bus port: topic publish/subscribe across one node or a cluster. Adapters live in their own folders
 * (`memory/`, `redis/`) and are imported from there by whoever builds the service (server.ts, tests).
 */
export { type Bus, type BusListener, type BusMessage, type Unsubscribe, auctionTopic, userTopic } from './bus.ts';
