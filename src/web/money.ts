/**
 * Money on the page. The API speaks integer minor units (cents for USD);
 * people read and type major units ("12.50"). Conversion works on the digits,
 * never through floating point, using the currency's own number of decimals.
 */

/** The currencies offered when selling and when filtering by price (any ISO 4217 code works in the API). */
export const COMMON_CURRENCIES: readonly string[] = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD'];

const digitsCache = new Map<string, number>();

/** Decimal places of a currency's minor unit (USD 2, JPY 0, BHD 3). */
export function fractionDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "$1,234.50" for 123450 USD. */
export function formatMoney(minor: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 });
    }
    formatters.set(currency, format);
  }
  return format.format(minor / 10 ** fractionDigits(currency));
}

/** The plain number a person would type for an amount: "12.50" for 1250 USD. */
export function toMajorInput(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/**
 * Parses what a person typed ("12.5", "1,200", "1 200.50", "12,50", "$12") into
 * minor units, or null when it is not clearly an amount in this currency (too
 * many decimals, letters, a sign, separators in the wrong places).
 */
export function parseMoney(input: string, currency: string): number | null {
  // A leading currency sign or code ("$", "USD ") is fine; a minus sign is not.
  let text = input.trim().replace(/^[^\d.,-]+/, '');
  if (/^\d{1,3}([ ,_\u00a0\u202f]\d{3})+(\.\d*)?$/.test(text)) {
    text = text.replace(/[ ,_\u00a0\u202f]/g, ''); // thousands separators, in groups of three
  } else if (/^\d+,\d{1,2}$/.test(text)) {
    text = text.replace(',', '.'); // a decimal comma: "12,50"
  }
  const digits = fractionDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}
