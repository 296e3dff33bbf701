import { newId } from '../../ids.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DESCRIPTION_SUMMARY_LENGTH,
  type Item,
  auctionSummaryView,
  auctionView,
  newAuction,
  withImages,
} from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import {
  type AttributeFilter,
  type CatalogueFilters,
  FACETS_EXACT_MAX,
  FACET_VALUES_MAX,
  SEARCH_MAX_TERMS,
  StoreBusyError,
} from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { createFromInventory, inventorySource } from './inventory.ts';
import { withWatcherCounts } from '../watcher-counts.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, ok, problems } from '../openapi.ts';
import { ATTRIBUTE_FILTER, auction, auctionParams, createAuctionBody, listAuctionsQuery, page } from '../schemas.ts';
import { auctionSummaryExample, facetsExample } from '../schema-examples.ts';

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

/** A list item: the auction with a summary of its description (the whole one is on GET /api/v1/auctions/{id}). */
export const auctionSummary = auction
  .extend({
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
  })
  .meta({
    id: 'AuctionSummary',
    description: 'An auction in a list: as `Auction`, with a summary of the item’s description',
    examples: [auctionSummaryExample],
  });

/** A page of listed auctions (the listing, the watchlist). */
export const auctionSummaryPage = page('AuctionSummaryPage', auctionSummary);

/** The stored name of an `/uploads/…` picture URL, or null for an outside URL (or none). */
function uploadNameOf(imageUrl: string | null): string | null {
  return imageUrl?.startsWith('/uploads/') ? imageUrl.slice('/uploads/'.length) : null;
}

/**
 * The item as given: its pictures are `images` when given (the cover is the first), else the one
 * `imageUrl`. Giving both is allowed when they agree on the cover.
 */
export function itemOf(item: { name: string; description: string; imageUrl: string | null; images?: string[] }): Item {
  if (item.images !== undefined && item.imageUrl !== null && item.images[0] !== item.imageUrl)
    throw new AppError('VALIDATION_FAILED', 'item.imageUrl must be the first of item.images (or leave it out)', {
      errors: [{ in: 'body', path: '/item/imageUrl', message: 'must be the first of item.images' }],
    });
  return withImages({ name: item.name, description: item.description, imageUrl: item.imageUrl, images: item.images });
}

/** Pictures uploaded here must be the seller's own: they are then kept (no longer orphans to sweep). */
export async function attachUploads(ctx: RouteContext, urls: readonly string[], sellerId: string, now: number) {
  for (const [index, url] of urls.entries()) {
    const upload = uploadNameOf(url);
    if (upload !== null && !(await ctx.store.attachUpload(upload, sellerId, now)))
      throw new AppError('VALIDATION_FAILED', `${url} is not a picture you uploaded`, {
        errors: [{ in: 'body', path: `/item/images/${index}`, message: 'not a picture you uploaded' }],
      });
  }
}

/** Overload, not the request: every listing's cost is bounded (see the store's reader pool). */
function overloaded(error: unknown, reply: FastifyReply): unknown {
  if (!(error instanceof StoreBusyError)) return error;
  reply.header('retry-after', '1');
  return new AppError('SERVICE_UNAVAILABLE', 'Too many listings and searches at once; retry in a second');
}

type ListQuery = z.output<typeof listAuctionsQuery>;

/** The catalogue filters of a listing's query (already validated); `bidder=me` needs a signed-in viewer. */
export function catalogueFiltersOf(query: ListQuery, viewerId: string | null): CatalogueFilters {
  if (query.bidder === 'me' && viewerId === null)
    throw new AppError('UNAUTHENTICATED', 'bidder=me lists the auctions you bid on: sign in first');
  const attributes = new Map<string, AttributeFilter>();
  for (const [name, value] of Object.entries(query)) {
    const match = ATTRIBUTE_FILTER.exec(name);
    if (!match) continue;
    const key = match[1]!;
    let filter = attributes.get(key);
    if (!filter) attributes.set(key, (filter = { key, values: [], min: null, max: null }));
    const values = Array.isArray(value) ? (value as string[]) : [value as string];
    if (match[2] === 'min') filter.min = Number(values[0]);
    else if (match[2] === 'max') filter.max = Number(values[0]);
    else filter.values.push(...values);
  }
  return {
    categories: query.category ?? [],
    attributes: [...attributes.values()],
    currencies: query.currency ?? [],
    minPrice: query.minPrice ?? null,
    maxPrice: query.maxPrice ?? null,
    countries: query.country ?? [],
    cities: query.city ?? [],
    endsAfter: query.endsAfter === undefined ? null : Date.parse(query.endsAfter),
    endsBefore: query.endsBefore === undefined ? null : Date.parse(query.endsBefore),
    hasBuyNow: query.hasBuyNow === 'true',
    bidderId: query.bidder === 'me' ? viewerId : null,
  };
}

const facetCount = <T extends z.ZodType>(value: T) => z.object({ value, count: z.number().int() });

const facets = z
  .object({
    total: z.number().int().describe('How many auctions match every filter'),
    categories: z.array(facetCount(z.string())),
    attributes: z.record(z.string(), z.array(facetCount(z.union([z.string(), z.number(), z.boolean()])))),
    price: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable() }),
    exact: z.boolean().describe(`False above ${FACETS_EXACT_MAX} matches: the counts may then be estimates`),
  })
  .meta({ id: 'Facets', examples: [facetsExample] });

/** Create, read and list auctions. */
export function auctionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/auctions/facets',
    {
      schema: {
        operationId: 'getAuctionFacets',
        tags: ['Catalogue'],
        summary: 'Facet counts for a filter sidebar',
        description:
          'Counts of categories and attribute values, and the price range, of the auctions matching the filters. ' +
          `Takes the filters of GET /api/v1/auctions (sort, limit and cursor aside). Up to ${FACET_VALUES_MAX} values ` +
          `per list, most frequent first. Exact when total is at most ${FACETS_EXACT_MAX}; above that the counts ` +
          'may be estimates from a sample (exact: false).',
        querystring: listAuctionsQuery,
        response: {
          200: ok('The counts', facets),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const viewer = await ctx.auth.userIdOf(request);
      const filters = catalogueFiltersOf(q, viewer);
      const terms = searchTerms(q.q);
      try {
        const facets = await ctx.store.auctionFacets({
          status: q.status ?? null,
          sellerId: q.sellerId ?? null,
          terms,
          filters,
          now: ctx.clock.now(),
        });
        return { ...facets, price: facets.price ?? { min: null, max: null } };
      } catch (error) {
        throw overloaded(error, reply);
      }
    },
  );

  r.post(
    '/api/v1/auctions',
    {
      onRequest: ctx.auth.required,
      config: ctx.rateLimits.createAuction,
      schema: {
        operationId: 'createAuction',
        tags: ['Auctions'],
        summary: 'Put an item up for auction',
        description:
          'The caller is the seller. Give the item, or `itemExternalId` to sell one of your inventory items ' +
          '(404 ITEM_NOT_FOUND when you have no such item).',
        security: SESSION_SECURITY,
        body: createAuctionBody,
        response: {
          201: ok('Created: the auction as its seller sees it', z.object({ auction })),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS, 'ITEM_NOT_FOUND', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const sellerId = await ctx.auth.requireUserId(request);
      const body = request.body;
      const now = ctx.clock.now();
      // An inventory item brings the item and its catalogue, and the auction follows its changes.
      const stock =
        body.itemExternalId === undefined ? null : await inventorySource(ctx, sellerId, body.itemExternalId);
      const result = newAuction(
        {
          id: newId(),
          sellerId,
          item: stock?.item ?? itemOf(body.item!),
          catalogue: stock?.catalogue ?? {
            category: body.category ?? null,
            attributes: body.attributes ?? {},
            location: body.location ?? null,
          },
          itemExternalId: stock?.externalId ?? null,
          itemRevision: stock?.revision ?? null,
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
      if (stock !== null) {
        const created = await createFromInventory(ctx, result.auction, now);
        return reply.code(201).send({ auction: auctionView(created, ctx.clock.now(), sellerId) });
      }
      await attachUploads(ctx, result.auction.item.images ?? [], sellerId, now);
      await ctx.sequencer.createAuction(result.auction);
      return reply.code(201).send({ auction: auctionView(result.auction, ctx.clock.now(), sellerId) });
    },
  );

  r.get(
    '/api/v1/auctions/:id',
    {
      schema: {
        operationId: 'getAuction',
        tags: ['Auctions'],
        summary: 'Read one auction',
        description: 'Strongly consistent: a read that starts after a bid was acknowledged shows it, or a later state.',
        params: auctionParams,
        response: {
          200: ok('The auction as the caller sees it', z.object({ auction })),
          ...problems('VALIDATION_FAILED', 'AUCTION_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const viewer = await ctx.auth.userIdOf(request);
      const [view] = await withWatcherCounts(ctx.store, [auctionView(state, ctx.clock.now(), viewer)]);
      return { auction: view! };
    },
  );

  r.get(
    '/api/v1/auctions',
    {
      schema: {
        operationId: 'listAuctions',
        tags: ['Catalogue'],
        summary: 'List, search and filter auctions',
        description:
          'Items carry a summary of the description. Filters combine with AND; a repeated exact filter means any ' +
          'of its values. 503 SERVICE_UNAVAILABLE with Retry-After when too many listings run at once.',
        querystring: listAuctionsQuery,
        response: {
          200: ok('A page of auctions', auctionSummaryPage),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = ctx.clock.now();
      const terms = searchTerms(q.q);
      const viewer = await ctx.auth.userIdOf(request);
      const filters = catalogueFiltersOf(q, viewer);
      let page;
      try {
        page = await ctx.store.listAuctions({
          status: q.status ?? null,
          sellerId: q.sellerId ?? null,
          terms,
          filters,
          sort: q.sort,
          limit: q.limit,
          cursor: q.cursor ?? null,
          now,
          // All a summary reads (and one more, to tell whether it was cut): see summarizeDescription.
          descriptionChars: DESCRIPTION_SUMMARY_LENGTH + 1,
        });
      } catch (error) {
        throw overloaded(error, reply);
      }
      const items = await withWatcherCounts(
        ctx.store,
        page.items.map((a) => auctionSummaryView(a, now, viewer)),
      );
      return { items, nextCursor: page.nextCursor };
    },
  );
}
