/**
 * Money is an integer number of minor units (cents for USD), never a float.
 * The contract bounds every amount to 1 … 1_000_000_000_000 so that sums and
 * comparisons stay exact in IEEE doubles and in SQL BIGINT.
 */
export const MIN_AMOUNT = 1;
export const MAX_AMOUNT = 1_000_000_000_000;

export function isValidAmount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= MIN_AMOUNT && (value as number) <= MAX_AMOUNT;
}
