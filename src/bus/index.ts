/** The Bus port (publish/subscribe per auction) and its adapters. */
export type { Bus, BusListener } from './bus.ts';
export { MemoryBus } from './memory/index.ts';
