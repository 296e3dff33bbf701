/** The bid sequencer: orders commands per auction, batches them into durable commits, then answers and publishes. */
export { Sequencer, type SequencerOptions } from './sequencer.ts';
export type { BidOutcome, PlaceBidInput } from './commands.ts';
export { LruCache } from './lru-cache.ts';
