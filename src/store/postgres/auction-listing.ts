import type { Auction } from '../../domain/index.ts';
import { type AuctionListQuery, SEARCH_MAX_TERMS, SEARCH_PREFIX_MIN_LENGTH } from '../store.ts';
import { auctionListing } from './statements.ts';

type Placeholder = string;

/**
 * Search on PostgreSQL. The words of an item are computed here, in one function used both for what is
 * indexed (`searchDocument`, written once per auction into `auction_search`) and for what is asked
 * (`searchQuery`), so that a term can never be split or folded differently from the words it is matched
 * against. They are handed to PostgreSQL as a literal tsvector / tsquery (quoted lexemes are taken as
 * they are, no dictionary), and a GIN index answers both whole-word and prefix (`:*`) matches.
 *
 * A word is a run of letters and digits, lower-cased, without diacritics (the meaning the port gives
 * search; SQLite's unicode61 tokenizer with remove_diacritics 2 computes the same for ordinary text).
 */
export function searchWords(text: string): string[] {
  const folded = text.normalize('NFD').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** PostgreSQL keeps at most this position; later words keep it (positions only serve phrases). */
const MAX_POSITION = 16_383;
/** PostgreSQL refuses longer lexemes; like its own to_tsvector, such a "word" is not indexed. */
const MAX_LEXEME_BYTES = 2_046;

/**
 * The tsvector text of an item: its name's words, then its description's, with positions, and a gap
 * between the two so that a phrase never spans them (as in SQLite, where they are two columns).
 */
export function searchDocument(name: string, description: string): string {
  const words = [...searchWords(name), '', ...searchWords(description)];
  const lexemes: string[] = [];
  words.forEach((word, i) => {
    if (word !== '' && Buffer.byteLength(word) <= MAX_LEXEME_BYTES)
      lexemes.push(`${quote(word)}:${Math.min(i + 1, MAX_POSITION)}`);
  });
  return lexemes.join(' ');
}

/**
 * The tsquery text for the terms (all must match), or null when a term has no word in it (it then
 * matches nothing, as in SQLite). A term of several words is a phrase; its last word is a prefix from
 * SEARCH_PREFIX_MIN_LENGTH characters on, else a whole word.
 */
export function searchQuery(terms: readonly string[]): string | null {
  const parts: string[] = [];
  for (const term of terms) {
    const words = searchWords(term);
    const last = words[words.length - 1];
    if (last === undefined) return null;
    const lexemes = words.map(quote);
    if ([...last].length >= SEARCH_PREFIX_MIN_LENGTH) lexemes[lexemes.length - 1] += ':*';
    parts.push(lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`);
  }
  return parts.join(' & ');
}

/** A lexeme literal. Words are letters and digits only; escaping keeps that from mattering. */
function quote(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** A listing with its cursor decoded (a bad cursor is refused before any I/O). */
export interface ListingRequest extends Omit<AuctionListQuery, 'cursor'> {
  /** The sort key and seq of the last item of the previous page, or null for the first page. */
  after: [value: number, seq: number] | null;
}

/**
 * The SQL of a listing, assembled only from the fixed fragments of `auctionListing` (the request picks
 * among them; every value is a parameter), or null when it can match nothing.
 */
export function listingStatement(request: ListingRequest): { text: string; values: unknown[] } | null {
  if (request.terms.length > SEARCH_MAX_TERMS)
    throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${request.terms.length}`);
  const sort = auctionListing.sort[request.sort];
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where: string[] = [];
  let now: Placeholder | undefined;
  if (request.status) where.push(auctionListing.status[request.status](() => (now ??= param(request.now))));
  if (request.sellerId !== null) where.push(auctionListing.seller(param(request.sellerId)));
  if (request.terms.length > 0) {
    const query = searchQuery(request.terms);
    if (query === null) return null;
    where.push(auctionListing.text(param(query)));
  }
  if (request.after !== null) {
    const [value, seq] = request.after;
    where.push(auctionListing.after(sort, param(value), param(seq)));
  }
  const limit = param(request.limit + 1);
  const text =
    `SELECT seq, ${sort.column} AS sort_value, state FROM auctions` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${sort.column} ${sort.direction}, seq ${sort.direction} LIMIT ${limit}`;
  return { text, values };
}

/** The listing's rows to a page: items (descriptions cut to `descriptionChars`), whether there is more, the last key. */
export function listingPage(
  request: ListingRequest,
  rows: readonly { seq: number; sort_value: number; state: string }[],
): { items: Auction[]; more: boolean; last: [number, number] | null } {
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  const last = page[page.length - 1];
  const items = page.map((r) => JSON.parse(r.state) as Auction);
  const chars = request.descriptionChars;
  if (chars !== undefined) for (const a of items) a.item.description = startOf(a.item.description, chars);
  return { items, more, last: last ? [last.sort_value, last.seq] : null };
}

/** The first `units` UTF-16 code units of `text`, one more where the cut would split a surrogate pair. */
function startOf(text: string, units: number): string {
  if (text.length <= units) return text;
  return text.slice(0, /[\ud800-\udbff]/.test(text[units - 1] ?? '') ? units + 1 : units);
}
