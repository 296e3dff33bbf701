/**
 * The currencies an auction may use: the ISO 4217 codes Node's ICU knows
 * (`Intl.supportedValuesOf('currency')`), so that every accepted code can also
 * be formatted and has a known minor unit. XXX ("no currency") and XTS
 * (reserved for testing) are codes but not money, whether or not this ICU
 * lists them.
 */
const NOT_MONEY = new Set(['XXX', 'XTS']);

export const CURRENCIES: ReadonlySet<string> = new Set(
  Intl.supportedValuesOf('currency').filter((code) => !NOT_MONEY.has(code)),
);

export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

const minorUnitCache = new Map<string, number>();

/**
 * Decimal places of the currency's minor unit, as ICU has them (USD 2, JPY 0,
 * BHD 3): amounts are integers of these units. Throws for a code that is not in
 * CURRENCIES, so that a caller cannot mistake an unknown code for "2".
 */
export function minorUnits(currency: string): number {
  let digits = minorUnitCache.get(currency);
  if (digits === undefined) {
    if (!isCurrency(currency)) throw new RangeError(`not a supported currency: ${currency}`);
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitCache.set(currency, digits);
  }
  return digits;
}
