/** Closes auctions (and, later, settlement deadlines) from the store's due-time index. */
export { Closer, type CloserOptions } from './closer.ts';
