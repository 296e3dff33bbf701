import type { Auction } from '../../domain/index.ts';
import { startOf } from '../rows.ts';
import {
  ENDING_SOON_GROUPS,
  SORT_ORDERS,
  type SqlParams,
  afterCondition,
  catalogueConditions,
  isGrouped,
  statusCondition,
} from '../catalogue-sql.ts';
import { type AuctionFacetQuery, type AuctionListQuery, SEARCH_MAX_TERMS, SEARCH_PREFIX_MIN_LENGTH } from '../store.ts';

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
  /** The key of the last item of the previous page ([value, seq], or [group, end, seq] when grouped), or null. */
  after: number[] | null;
}

/** One query of a listing: a plain sort is one; the grouped `ending_soon` one per group still to read. */
export interface ListingStatement {
  text: string;
  values: unknown[];
  /** The group it reads (index in ENDING_SOON_GROUPS), or -1 for a plain sort. */
  group: number;
}

/**
 * The conditions every query of a listing or facet count shares (status, seller, search, catalogue
 * filters), numbering parameters into `values`; null when the search can match nothing.
 */
function sharedConditions(
  request: Omit<ListingRequest, 'after' | 'limit' | 'sort'>,
  values: unknown[],
): { where: string[]; p: SqlParams } | null {
  if (request.terms.length > SEARCH_MAX_TERMS)
    throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${request.terms.length}`);
  let now: Placeholder | undefined;
  const p: SqlParams = {
    param: (value) => `$${values.push(value)}`,
    now: () => (now ??= `$${values.push(request.now)}`),
  };
  const where: string[] = [];
  if (request.status) where.push(statusCondition(request.status, p.now));
  if (request.sellerId !== null) where.push(`seller_id = ${p.param(request.sellerId)}`);
  if (request.terms.length > 0) {
    const query = searchQuery(request.terms);
    if (query === null) return null;
    where.push(`auction_id IN (SELECT auction_id FROM auction_search WHERE words @@ ${p.param(query)}::tsquery)`);
  }
  if (request.filters) where.push(...catalogueConditions(request.filters, 'auction_id', p));
  return { where, p };
}

/**
 * The SQL of a listing's queries, in order, each taking at most `remaining()` rows: a plain sort is one
 * query, the grouped `ending_soon` one per group from the cursor's on (the caller stops once it has a
 * page). Null when it can match nothing.
 */
export function listingStatements(request: ListingRequest, remaining: () => number): (() => ListingStatement)[] | null {
  if (sharedConditions(request, []) === null) return null;
  const groups = isGrouped(request)
    ? ENDING_SOON_GROUPS.map((g, index) => ({ index, order: g.order, status: g.status }))
    : [{ index: -1, order: SORT_ORDERS[request.sort], status: null }];
  const after = request.after;
  return groups
    .filter((g) => after === null || after.length === 2 || g.index >= after[0]!)
    .map((group) => () => {
      const values: unknown[] = [];
      const { where, p } = sharedConditions(request, values)!;
      if (group.status !== null) where.push(statusCondition(group.status, p.now));
      if (after !== null && (after.length === 2 || group.index === after[0]))
        where.push(afterCondition(group.order, p.param(after[after.length - 2]), p.param(after[after.length - 1])));
      const { column, direction } = group.order;
      const text =
        `SELECT seq, ${column} AS sort_value, state FROM auctions` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${column} ${direction}, seq ${direction} LIMIT ${p.param(remaining())}`;
      return { text, values, group: group.index };
    });
}

/** The facet queries over a listing's matches (see Store.auctionFacets), or null when it can match nothing. */
export function facetConditions(request: AuctionFacetQuery): { where: string; values: unknown[] } | null {
  const values: unknown[] = [];
  const shared = sharedConditions(request, values);
  if (shared === null) return null;
  return { where: shared.where.length ? ` WHERE ${shared.where.join(' AND ')}` : '', values };
}

/** The listing's rows to a page: items (descriptions cut to `descriptionChars`), whether there is more, the last key. */
export function listingPage(
  request: ListingRequest,
  rows: readonly { seq: number; sort_value: number; state: string; group: number }[],
): { items: Auction[]; more: boolean; last: number[] | null } {
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  const last = page[page.length - 1];
  const items = page.map((r) => JSON.parse(r.state) as Auction);
  const chars = request.descriptionChars;
  if (chars !== undefined) for (const a of items) a.item.description = startOf(a.item.description, chars);
  const key =
    last === undefined ? null : last.group >= 0 ? [last.group, last.sort_value, last.seq] : [last.sort_value, last.seq];
  return { items, more, last: key };
}
