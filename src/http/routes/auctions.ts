import { newId } from '../../ids.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DESCRIPTION_SUMMARY_LENGTH, auctionSummaryView, auctionView, newAuction } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { SEARCH_MAX_TERMS, SEARCH_PREFIX_MIN_LENGTH, StoreBusyError } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { auction, auctionParams, createAuctionBody, listAuctionsQuery, problem } from '../schemas.ts';

/**
 * Free text → search terms: letters and digits only, so nothing the user types reaches FTS syntax; each
 * word once (case aside), at most 64 characters of it. More than SEARCH_MAX_TERMS different words is
 * 400 VALIDATION_FAILED naming `q`: every word narrows the result, so silently dropping some would answer
 * a different question, and each word costs the search a lookup.
 */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms = new Map<string, string>();
  for (const word of q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []) {
    const term = [...word].slice(0, 64).join('');
    if (!terms.has(term.toLowerCase())) terms.set(term.toLowerCase(), term);
  }
  if (terms.size > SEARCH_MAX_TERMS) {
    const message = `at most ${SEARCH_MAX_TERMS} different words (got ${terms.size})`;
    throw new AppError('VALIDATION_FAILED', `q: ${message}`, {
      errors: [{ in: 'querystring', path: '/q', message }],
    });
  }
  return [...terms.values()];
}

/** `q`, documented with its bounds (the shared query schema is otherwise unchanged). */
const listQuery = listAuctionsQuery.extend({
  q: listAuctionsQuery.shape.q.describe(
    `Search words (letters and digits; at most ${SEARCH_MAX_TERMS} different ones, else 400). Each must match a word ` +
      `of the item's name or description, ignoring case and accents: from ${SEARCH_PREFIX_MIN_LENGTH} characters on ` +
      'as the start of a word, shorter ones as a whole word',
  ),
});

/** A list item: the auction with a summary of its description (the whole one is on GET /api/v1/auctions/{id}). */
const auctionSummary = auction.extend({
  item: auction.shape.item.extend({
    description: z
      .string()
      .describe(
        `At most ${DESCRIPTION_SUMMARY_LENGTH} characters, cut between words where possible and ending in "…" when cut`,
      ),
    descriptionTruncated: z
      .boolean()
      .describe('Whether `description` was cut (GET /api/v1/auctions/{id} has all of it)'),
  }),
});

/** The stored name of an `/uploads/…` picture URL, or null for an outside URL (or none). */
function uploadNameOf(imageUrl: string | null): string | null {
  return imageUrl?.startsWith('/uploads/') ? imageUrl.slice('/uploads/'.length) : null;
}

/** Create, read and list auctions. */
export function auctionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/auctions',
    {
      onRequest: ctx.auth.required,
      config: ctx.rateLimits.createAuction,
      schema: {
        tags: ['auctions'],
        summary: 'Put an item up for auction (the caller is the seller)',
        security: SESSION_SECURITY,
        body: createAuctionBody,
        response: { 201: z.object({ auction }), 400: problem, 401: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const sellerId = await ctx.auth.requireUserId(request);
      const body = request.body;
      const now = ctx.clock.now();
      const result = newAuction(
        {
          id: newId(),
          sellerId,
          item: { name: body.item.name, description: body.item.description, imageUrl: body.item.imageUrl },
          currency: body.currency,
          startingPrice: body.startingPrice,
          minIncrement: body.minIncrement,
          reservePrice: body.reservePrice,
          buyNowPrice: body.buyNowPrice,
          startDate: body.startDate === undefined ? null : Date.parse(body.startDate),
          endDate: Date.parse(body.endDate),
          maxEndDate: body.maxEndDate === null ? null : Date.parse(body.maxEndDate),
          softClose: body.softClose,
          proxyBidding: body.proxyBidding,
          incrementTable: body.incrementTable,
          paymentWindowSeconds: body.paymentWindowSeconds,
          offerWindowSeconds: body.offerWindowSeconds,
          liveStream: body.liveStream,
        },
        now,
      );
      if (!result.ok)
        throw new AppError('VALIDATION_FAILED', result.message, {
          errors: [{ in: 'body', path: `/${result.field}`, message: result.message }],
        });
      const upload = uploadNameOf(body.item.imageUrl);
      // A picture uploaded here must be the seller's own: it is then kept (no longer an orphan to sweep).
      if (upload !== null && !(await ctx.store.attachUpload(upload, sellerId, now)))
        throw new AppError('VALIDATION_FAILED', 'imageUrl is not a picture you uploaded', {
          errors: [{ in: 'body', path: '/item/imageUrl', message: 'not a picture you uploaded' }],
        });
      await ctx.sequencer.createAuction(result.auction);
      return reply.code(201).send({ auction: auctionView(result.auction, ctx.clock.now(), sellerId) });
    },
  );

  r.get(
    '/api/v1/auctions/:id',
    {
      schema: {
        tags: ['auctions'],
        summary: 'Read one auction (strongly consistent)',
        params: auctionParams,
        response: { 200: z.object({ auction }), 404: problem },
      },
    },
    async (request) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const viewer = await ctx.auth.userIdOf(request);
      return { auction: auctionView(state, ctx.clock.now(), viewer) };
    },
  );

  r.get(
    '/api/v1/auctions',
    {
      schema: {
        tags: ['auctions'],
        summary: 'List and search auctions (items carry a summary of the description)',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(auctionSummary), nextCursor: z.string().nullable() }),
          400: problem,
          503: problem.describe('Too many listings at once; retry after Retry-After seconds'),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = ctx.clock.now();
      const terms = searchTerms(q.q);
      let page;
      try {
        page = await ctx.store.listAuctions({
          status: q.status ?? null,
          sellerId: q.sellerId ?? null,
          terms,
          sort: q.sort,
          limit: q.limit,
          cursor: q.cursor ?? null,
          now,
          // All a summary reads (and one more, to tell whether it was cut): see summarizeDescription.
          descriptionChars: DESCRIPTION_SUMMARY_LENGTH + 1,
        });
      } catch (error) {
        // Overload, not the request: every listing's cost is bounded (see the store's reader pool).
        if (!(error instanceof StoreBusyError)) throw error;
        reply.header('retry-after', '1');
        throw new AppError('SERVICE_UNAVAILABLE', 'Too many listings and searches at once; retry in a second');
      }
      const viewer = await ctx.auth.userIdOf(request);
      return { items: page.items.map((a) => auctionSummaryView(a, now, viewer)), nextCursor: page.nextCursor };
    },
  );
}
