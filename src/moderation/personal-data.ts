import { type CountryCode, isValidPhoneNumber } from 'libphonenumber-js';

/**
 * Personal data in free text (questions, answers, chat): e-mail addresses, phone numbers and payment card
 * numbers. The marketplace must not let buyers and sellers trade contact details around it, and must never
 * publish a card number: each one found is replaced by `[removed]` before the text is stored, sent to an
 * external moderation service or shown to anyone.
 *
 * Digits are read after NFKC normalisation, so full-width and other compatibility forms count; digits of
 * other scripts (Arabic-Indic, Devanagari, …) are not read as numbers.
 *
 * Detection leans to removing: a 10-digit run that is a valid phone number in one of the regions is removed
 * even if it was an order number. Prices ("1,250,000"), years, mileages and VINs (letters and digits) are left alone.
 */

export const REMOVED = '[removed]';

export type PersonalDataKind = 'email' | 'phone' | 'card';

export interface PersonalDataSpan {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

export interface PersonalDataOptions {
  /**
   * Regions whose national phone numbers are recognised (ISO 3166 alpha-2, as libphonenumber-js reads
   * them), when written with at least 9 digits. Numbers written with an international prefix (`+44…`,
   * `0044…`) are recognised whatever this says.
   * Default: US, GB, DE, FR, ES, IT, NL, CA, AU.
   */
  phoneRegions?: readonly CountryCode[];
}

const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'CA', 'AU'];

/**
 * A plain address, and the usual dodges (a match starts only where a run of address characters starts, so
 * that a long run without an `@` is scanned once, not once per character): `name (at) host.tld`, `name [at] host [dot] tld`, `name at host.tld`. */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}|(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\p{L}\p{N}-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\sdot\s)\s*[\p{L}\p{N}-]+)*\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\sdot\s)\s*(?:com|net|org|edu|gov|io|co|uk|de|fr|es|it|nl|info|biz|me|us|ca|au)\b/giu;

/** 13–19 digits, each group separated by at most one space or dash: the shapes card numbers are written in. */
const CARD_CANDIDATE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

/**
 * Anything shaped like a phone number: an optional `+`, then 7–17 digits with at most two separators
 * (space, dot, dash, slash, parentheses) between any two. Each candidate is then checked against the
 * numbering plans (libphonenumber-js), which is what keeps prices, dates and lot numbers out; only the
 * candidates are checked, because searching a whole text for numbers costs ~50 ms per region for 2,000
 * characters of digits.
 */
const PHONE_CANDIDATE = /(?<![0-9A-Za-z+])(?:\+|00)?\(?[0-9](?:[\s()./-]{0,2}[0-9]){6,16}(?![0-9A-Za-z])/g;

/** Fewer digits than this, without an international prefix, is a local number at best, or a lot number. */
const MIN_NATIONAL_PHONE_DIGITS = 9;

/** No phone number has more digits (E.164). */
const MAX_PHONE_DIGITS = 15;

/**
 * Candidates checked against the numbering plans per text (each check is tens of µs per region). A text
 * with more phone-shaped numbers than this is not a normal question: the rest are removed unchecked, so
 * that no text costs more than a bounded amount of work.
 */
const MAX_PHONE_CANDIDATES_CHECKED = 8;

function isPhoneNumber(candidate: string, regions: readonly CountryCode[], check: boolean): boolean {
  const trimmed = candidate.trim();
  const digitCount = digitsOf(trimmed).length;
  if (digitCount > MAX_PHONE_DIGITS) return false;
  if (!check) return digitCount >= MIN_NATIONAL_PHONE_DIGITS;
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) {
    const international = `+${digitsOf(trimmed).replace(/^00/, '')}`;
    return isValidPhoneNumber(international);
  }
  if (digitsOf(trimmed).length < MIN_NATIONAL_PHONE_DIGITS) return false;
  return regions.some((region) => isValidPhoneNumber(trimmed, region));
}

/** Luhn checksum, the one every payment card number satisfies. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The ASCII digits of a match. */
function digitsOf(text: string): string {
  return text.replace(/[^0-9]/g, '');
}

/** Every span of personal data in `text` (overlaps possible; `redact` merges them). */
export function findPersonalData(text: string, options: PersonalDataOptions = {}): PersonalDataSpan[] {
  const spans: PersonalDataSpan[] = [];
  for (const m of text.matchAll(EMAIL)) spans.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(CARD_CANDIDATE)) {
    const digits = digitsOf(m[0]);
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits))
      spans.push({ kind: 'card', start: m.index, end: m.index + m[0].length });
  }
  const regions = options.phoneRegions ?? DEFAULT_PHONE_REGIONS;
  let checked = 0;
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    if (isPhoneNumber(m[0], regions, checked++ < MAX_PHONE_CANDIDATES_CHECKED))
      spans.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/**
 * The text with every span of personal data replaced by `[removed]`, and how many were removed. The text is
 * NFKC-normalised first (full-width and other compatibility digits become ASCII ones), and the result is
 * normalised the same way, so that what is stored is exactly what was checked.
 */
export function redactPersonalData(text: string, options: PersonalDataOptions = {}): { text: string; removed: number } {
  const normalised = text.normalize('NFKC');
  const spans = findPersonalData(normalised, options).sort((a, b) => a.start - b.start || b.end - a.end);
  if (spans.length === 0) return { text: normalised, removed: 0 };
  let out = '';
  let at = 0;
  let removed = 0;
  let current: { start: number; end: number } | null = null;
  for (const span of spans) {
    if (current && span.start < current.end) {
      current.end = Math.max(current.end, span.end);
      continue;
    }
    if (current) {
      out += normalised.slice(at, current.start) + REMOVED;
      at = current.end;
      removed++;
    }
    current = { start: span.start, end: span.end };
  }
  out += normalised.slice(at, current!.start) + REMOVED;
  at = current!.end;
  removed++;
  out += normalised.slice(at);
  return { text: out, removed };
}
