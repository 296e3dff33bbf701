/** The pure auction rules: no I/O, no clock reads (time is always an argument). */
export * from './money.ts';
export * from './increments.ts';
export * from './auction.ts';
export * from './bidding.ts';
export * from './closing.ts';
export * from './buy-now.ts';
export * from './cancel.ts';
export * from './settlement.ts';
export * from './standing.ts';
export * from './new-auction.ts';
export * from './auction-view.ts';
export * from './live-stream.ts';
export * from './edit-listing.ts';
export * from './inventory-item.ts';
export * from './catalogue.ts';
export * from './currencies.ts';
export * from './ending-soon.ts';
