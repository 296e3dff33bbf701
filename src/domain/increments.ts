import { minorUnits } from './currencies.ts';

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

/**
 * The standard table for a currency whose minor unit has `minorDigits` decimals: the same steps in major
 * units (USD 5,000.00 and JPY 5,000 both step by 100 major units), each increment at least one minor unit.
 * For USD, EUR and the other 2-digit currencies the scaling changes nothing.
 */
const scaledTables = new Map<number, { rows: readonly (readonly [number, number])[]; top: number }>();

function tableFor(minorDigits: number): { rows: readonly (readonly [number, number])[]; top: number } {
  let table = scaledTables.get(minorDigits);
  if (!table) {
    const factor = 10 ** (minorDigits - 2);
    const scale = (amount: number) => Math.max(1, Math.round(amount * factor));
    table = {
      rows: STANDARD_TABLE.map(([upTo, increment]) => [scale(upTo), scale(increment)] as const),
      top: scale(STANDARD_TOP),
    };
    scaledTables.set(minorDigits, table);
  }
  return table;
}

/** The standard increment at `price` (minor units of a currency with `minorDigits` decimals; USD: 2). */
export function standardIncrement(price: number, minorDigits = 2): number {
  const { rows, top } = tableFor(minorDigits);
  for (const [upTo, increment] of rows) if (price < upTo) return increment;
  return top;
}

/** The increment that applies at `price`: the auction's table (in its currency), or its fixed `minIncrement`. */
export function incrementAt(
  auction: { incrementTable: IncrementTable | null; minIncrement: number; currency: string },
  price: number,
): number {
  return auction.incrementTable === 'standard'
    ? standardIncrement(price, minorUnits(auction.currency))
    : auction.minIncrement;
}
