import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auctionView, standingOf } from '../../domain/index.ts';
import type { RouteContext } from '../context.ts';
import { auction, myBid, pageQuery, problem } from '../schemas.ts';

/** The caller's own activity: auctions they bid on (with their private maximum) and auctions they sell. */
export function meRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/me/bids',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['me'],
        summary: 'Auctions I bid on, latest activity first, with my highest bid, my maximum and where I stand',
        security: [{ bearer: [] }],
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(myBid), nextCursor: z.string().nullable() }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const page = await ctx.store.bidderActivity(userId, request.query.limit, request.query.cursor ?? null);
      const now = ctx.clock.now();
      const items = await Promise.all(
        page.items.map(async (row) => {
          // The sequencer's copy is the latest committed state (the joined row may trail by a batch).
          const state = (await ctx.sequencer.getAuction(row.auction.id)) ?? row.auction;
          return {
            auction: auctionView(state, now, userId),
            highestBid: row.highestBid,
            maximum: row.maximum,
            standing: standingOf(state, userId, now),
            lastBidAt: new Date(row.lastBidAt).toISOString(),
          };
        }),
      );
      return { items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/api/v1/me/auctions',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['me'],
        summary: 'Auctions I sell, newest first (with the reserve, which only the seller sees)',
        security: [{ bearer: [] }],
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(auction), nextCursor: z.string().nullable() }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const now = ctx.clock.now();
      const page = await ctx.store.listAuctions({
        status: null,
        sellerId: userId,
        terms: [],
        sort: 'newest',
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
        now,
      });
      return { items: page.items.map((a) => auctionView(a, now, userId)), nextCursor: page.nextCursor };
    },
  );
}
