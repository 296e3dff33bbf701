import type Database from 'better-sqlite3';
import type { Auction } from '../../domain/index.ts';
import { startOf } from '../rows.ts';
import {
  ENDING_SOON_GROUPS,
  SORT_ORDERS,
  afterCondition,
  catalogueConditions,
  countFacets,
  facetsOf,
  isGrouped,
  statusCondition,
} from '../catalogue-sql.ts';
import {
  type AuctionFacetQuery,
  type AuctionFacets,
  type AuctionListQuery,
  SEARCH_MAX_TERMS,
  SEARCH_PREFIX_MIN_LENGTH,
} from '../store.ts';

/** A listing as the reader thread receives it: the cursor is already decoded (a bad one never leaves the caller). */
export interface ListingRequest extends Omit<AuctionListQuery, 'cursor'> {
  /**
   * The key of the last item of the previous page, or null for the first page: [sort value, seq], or for
   * the grouped `ending_soon` (no status) [group, end, seq].
   */
  after: number[] | null;
}

export type FacetRequest = AuctionFacetQuery;

export interface ListingResult {
  items: Auction[];
  /** Whether there is a next page. */
  more: boolean;
  /** The key of the last item (the next page's cursor), or null when there are none. */
  last: number[] | null;
}

export interface ListingOptions {
  /**
   * A prefix term (4 characters or longer: 3 are read from the prefix index) that more indexed words than
   * this start with matches the whole word only. Expanding a prefix costs ~0.3 µs per word it stands for,
   * before reading any row; this keeps that part of a search under ~2 ms per term. Default 5,000.
   */
  prefixWordsMax?: number;
}

/** Must be the tokenizer of `auctions_fts` (migrations 001, 002): terms are split as the index splits words. */
export const SEARCH_TOKENIZER = 'unicode61 remove_diacritics 2';
/** The prefix lengths `auctions_fts` keeps an index for (migration 002). */
const PREFIX_INDEX_LENGTH = 3;

/**
 * Statements of the search, next to the code that runs them. The temp tables live in the reader's own
 * connection (a read-only connection may still write its `temp` schema): `search_input` tokenizes the
 * terms with the index's own tokenizer, `indexed_words` lists the words of the real index.
 */
const searchSql = {
  createInput: `CREATE VIRTUAL TABLE temp.search_input USING fts5 (term, tokenize = '${SEARCH_TOKENIZER}')`,
  createInputTokens: 'CREATE VIRTUAL TABLE temp.search_input_tokens USING fts5vocab (temp, search_input, instance)',
  createIndexedWords: 'CREATE VIRTUAL TABLE temp.indexed_words USING fts5vocab (main, auctions_fts, row)',
  insertInput: 'INSERT INTO temp.search_input (rowid, term) VALUES (?, ?)',
  inputTokens: 'SELECT doc, term FROM temp.search_input_tokens ORDER BY doc, offset',
  clearInput: 'DELETE FROM temp.search_input',
  /** fts5vocab turns the range into a seek on the index's term b-tree; LIMIT stops it early. */
  countWordsWithPrefix:
    'SELECT count(*) FROM (SELECT 1 FROM temp.indexed_words WHERE term >= @from AND term < @to LIMIT @cap)',
} as const;

/**
 * Runs `GET /auctions` listings and searches on one connection (a reader thread's). Every query has a
 * bounded cost, because nothing can interrupt a running statement (better-sqlite3 has no
 * sqlite3_interrupt nor progress handler): at most SEARCH_MAX_TERMS terms; a term shorter than
 * SEARCH_PREFIX_MIN_LENGTH is a whole word; a 3-character prefix reads the prefix index; a longer prefix
 * is expanded only when it stands for at most `prefixWordsMax` words. Worst case measured on 13,000
 * auctions of 10 KB: ~25 ms, against ~800 ms for eight one-letter prefixes before.
 */
export class AuctionListingReader {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly prefixWordsMax: number;
  private readonly tokenizeTerms: (terms: readonly string[]) => { doc: number; term: string }[];
  private readonly countWordsWithPrefix: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    options: ListingOptions = {},
  ) {
    this.prefixWordsMax = options.prefixWordsMax ?? 5_000;
    db.exec(`${searchSql.createInput}; ${searchSql.createInputTokens}; ${searchSql.createIndexedWords};`);
    const insertInput = db.prepare(searchSql.insertInput);
    const inputTokens = db.prepare(searchSql.inputTokens);
    const clearInput = db.prepare(searchSql.clearInput);
    this.tokenizeTerms = db.transaction((terms: readonly string[]) => {
      terms.forEach((term, i) => insertInput.run(i, term));
      const tokens = inputTokens.all() as { doc: number; term: string }[];
      clearInput.run();
      return tokens;
    });
    this.countWordsWithPrefix = db.prepare(searchSql.countWordsWithPrefix).pluck();
  }

  list(request: ListingRequest): ListingResult {
    const base = this.conditions(request);
    if (base === null) return { items: [], more: false, last: null };
    const groups = isGrouped(request)
      ? ENDING_SOON_GROUPS.map((g, i) => ({ index: i, order: g.order, status: g.status }))
      : [{ index: -1, order: SORT_ORDERS[request.sort], status: null }];
    const after = request.after;
    const rows: { seq: number; sort_value: number; state: string; group: number }[] = [];
    for (const group of groups) {
      // The grouped cursor is [group, value, seq]: groups before it are done, its own resumes after the key.
      if (after !== null && after.length === 3 && group.index < after[0]!) continue;
      const { where, params, p } = base();
      if (group.status !== null) where.push(statusCondition(group.status, p.now));
      if (after !== null && (after.length === 2 || group.index === after[0]))
        where.push(afterCondition(group.order, p.param(after[after.length - 2]), p.param(after[after.length - 1])));
      params.limit = request.limit + 1 - rows.length;
      const { column, direction } = group.order;
      const text =
        `SELECT seq, ${column} AS sort_value, state FROM auctions` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${column} ${direction}, seq ${direction} LIMIT @limit`;
      for (const row of this.statement(text).all(params) as { seq: number; sort_value: number; state: string }[])
        rows.push({ ...row, group: group.index });
      if (rows.length > request.limit) break;
    }
    const more = rows.length > request.limit;
    const page = more ? rows.slice(0, request.limit) : rows;
    const last = page[page.length - 1];
    const items = page.map((r) => JSON.parse(r.state) as Auction);
    const chars = request.descriptionChars;
    if (chars !== undefined) for (const a of items) a.item.description = startOf(a.item.description, chars);
    const key =
      last === undefined
        ? null
        : last.group >= 0
          ? [last.group, last.sort_value, last.seq]
          : [last.sort_value, last.seq];
    return { items, more, last: key };
  }

  /** The facet counts over what `list` would return (see Store.auctionFacets). */
  facets(request: FacetRequest): Promise<AuctionFacets> {
    const base = this.conditions({ ...request, sort: 'newest' });
    if (base === null)
      return Promise.resolve(facetsOf({ total: 0, price: undefined, categories: [], attributes: [], scale: 1 }));
    const { where, params } = base();
    const text = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    return countFacets(text, 'id', 'sqlite', (sql) => this.statement(sql).all(params) as Record<string, unknown>[]);
  }

  /**
   * The conditions every query of a listing shares (status, seller, search, catalogue filters), as a
   * factory of fresh (where, params) pairs; null when the search can match nothing.
   */
  private conditions(request: Omit<ListingRequest, 'after' | 'limit'>) {
    if (request.terms.length > SEARCH_MAX_TERMS)
      throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${request.terms.length}`);
    let match: string | null = null;
    if (request.terms.length > 0) {
      match = this.matchExpression(request.terms);
      if (match === null) return null;
    }
    return () => {
      const where: string[] = [];
      const params: Record<string, unknown> = { now: request.now };
      const p = paramsOf(params);
      if (request.status) where.push(statusCondition(request.status, p.now));
      if (request.sellerId !== null) where.push(`seller_id = ${p.param(request.sellerId)}`);
      if (match !== null)
        where.push(`seq IN (SELECT rowid FROM auctions_fts WHERE auctions_fts MATCH ${p.param(match)})`);
      if (request.filters) where.push(...catalogueConditions(request.filters, 'id', p));
      return { where, params, p };
    };
  }

  private statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      // Bounded: texts differ only by the filters' shape (which filters, how many values), not by values.
      if (this.statements.size >= 512) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * The FTS5 query for the terms (all must match), or null when a term has nothing the index can read (it
   * then matches nothing). Each term is split into words by the index's own tokenizer, so that it can never
   * expand differently from what was checked here (JavaScript's idea of a letter is not SQLite's for a few
   * characters); a term of several words is a phrase.
   */
  private matchExpression(terms: readonly string[]): string | null {
    const words: string[][] = terms.map(() => []);
    for (const { doc, term } of this.tokenizeTerms(terms)) words[doc]!.push(term);
    const phrases: string[] = [];
    for (const phrase of words) {
      const last = phrase[phrase.length - 1];
      if (last === undefined) return null;
      // Tokens are letters and digits only; doubling quotes keeps that from mattering.
      const quoted = `"${phrase.join(' ').replaceAll('"', '""')}"`;
      phrases.push(this.isPrefix(last) ? `${quoted}*` : quoted);
    }
    return phrases.join(' ');
  }

  /** Whether a (tokenized) word is matched as a prefix; see the class comment for the rules. */
  private isPrefix(word: string): boolean {
    const length = [...word].length;
    if (length < SEARCH_PREFIX_MIN_LENGTH) return false;
    if (length === PREFIX_INDEX_LENGTH) return true;
    const to = successor(word);
    if (to === null) return false;
    const cap = this.prefixWordsMax + 1;
    return (this.countWordsWithPrefix.get({ from: word, to, cap }) as number) < cap;
  }
}

/** Named parameters `@p0`, `@p1`, … in `params`; the clock reading is `@now`. */
function paramsOf(params: Record<string, unknown>) {
  let n = 0;
  return {
    param(value: unknown): string {
      const name = `p${n++}`;
      params[name] = value;
      return `@${name}`;
    },
    now: () => '@now',
  };
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order (which is
 * the UTF-8 byte order SQLite compares in), or null when there is none (the prefix is all U+10FFFF).
 */
function successor(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}
