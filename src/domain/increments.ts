/**
 * The standard increment table (USD cents), keyed on the current price: the
 * eBay schedule. Each row is `[upTo (exclusive), increment]`.
 */
const STANDARD_TABLE: readonly (readonly [number, number])[] = [
  [100, 5], //           below 1.00 → 0.05
  [500, 25], //          below 5.00 → 0.25
  [2_500, 50], //        below 25.00 → 0.50
  [10_000, 100], //      below 100.00 → 1.00
  [25_000, 250], //      below 250.00 → 2.50
  [50_000, 500], //      below 500.00 → 5.00
  [100_000, 1_000], //   below 1,000.00 → 10.00
  [250_000, 2_500], //   below 2,500.00 → 25.00
  [500_000, 5_000], //   below 5,000.00 → 50.00
];
const STANDARD_TOP = 10_000; // 5,000.00 and above → 100.00

export type IncrementTable = 'standard';

export function standardIncrement(price: number): number {
  for (const [upTo, increment] of STANDARD_TABLE) if (price < upTo) return increment;
  return STANDARD_TOP;
}

/** The increment that applies at `price`: the auction's table, or its fixed `minIncrement`. */
export function incrementAt(
  auction: { incrementTable: IncrementTable | null; minIncrement: number },
  price: number,
): number {
  return auction.incrementTable === 'standard' ? standardIncrement(price) : auction.minIncrement;
}
