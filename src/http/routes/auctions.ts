import { newId } from '../../ids.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auctionView, newAuction } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { auction, auctionParams, createAuctionBody, listAuctionsQuery, problem } from '../schemas.ts';

/** Free text → search terms: letters and digits only, so nothing the user types reaches FTS syntax. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((t) => t.slice(0, 64));
}

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
        response: { 201: z.object({ auction }), 400: problem, 401: problem },
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
        summary: 'List and search auctions',
        querystring: listAuctionsQuery,
        response: { 200: z.object({ items: z.array(auction), nextCursor: z.string().nullable() }), 400: problem },
      },
    },
    async (request) => {
      const q = request.query;
      const now = ctx.clock.now();
      const page = await ctx.store.listAuctions({
        status: q.status ?? null,
        sellerId: q.sellerId ?? null,
        terms: searchTerms(q.q),
        sort: q.sort,
        limit: q.limit,
        cursor: q.cursor ?? null,
        now,
      });
      const viewer = await ctx.auth.userIdOf(request);
      return { items: page.items.map((a) => auctionView(a, now, viewer)), nextCursor: page.nextCursor };
    },
  );
}
