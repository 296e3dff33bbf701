import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userTopic } from '../../bus/index.ts';
import { auctionSummaryView } from '../../domain/index.ts';
import { endingSoonNotice } from '../../engine/ending-soon.ts';
import { AppError, toError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { SIGNED_IN_CHANGE_ERRORS, noContent, ok, problems } from '../openapi.ts';
import { auctionParams, pageQuery } from '../schemas.ts';
import { withWatcherCounts } from '../watcher-counts.ts';
import { auctionSummaryPage } from './auctions.ts';

const watchParams = z.object({ auctionId: auctionParams.shape.id });

/**
 * The signed-in user's watchlist (api.md "Watchlist"). Watching is no state change of the auction: no
 * version, no event; it shows as `watcherCount` in reads. A watcher hears `ending_soon` on /me/events once,
 * 15 minutes before the end (the closer hands the moment out), or at once when they start watching later.
 */
export function watchlistRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/api/v1/me/watchlist/:auctionId',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'watchAuction',
        tags: ['Watchlist'],
        summary: 'Watch an auction',
        description:
          'Idempotent. The auction joins my watchlist, and I hear `ending_soon` on /api/v1/me/events 15 minutes ' +
          'before its end (at once if that has passed).',
        security: SESSION_SECURITY,
        params: watchParams,
        response: {
          204: noContent('Watched'),
          ...problems('VALIDATION_FAILED', ...SIGNED_IN_CHANGE_ERRORS, 'AUCTION_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const state = await ctx.sequencer.getAuction(request.params.auctionId);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const now = ctx.clock.now();
      // The notice is rendered in any case: the store alone knows (atomically) whether it is to be sent now.
      const result = await ctx.store.watch({
        userId,
        auctionId: state.id,
        at: now,
        notice: endingSoonNotice(state, now),
      });
      if (!result.found) throw new AppError('AUCTION_NOT_FOUND');
      if (result.notification) {
        try {
          ctx.bus.publish(userTopic(userId), result.notification);
        } catch (error) {
          // Durable already: the user's stream fills the gap from the store.
          request.log.warn({ err: toError(error) }, 'publishing ending_soon failed');
        }
      }
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/api/v1/me/watchlist/:auctionId',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'unwatchAuction',
        tags: ['Watchlist'],
        summary: 'Stop watching an auction',
        description: 'Idempotent.',
        security: SESSION_SECURITY,
        params: watchParams,
        response: {
          204: noContent('Not watched (any more)'),
          ...problems('VALIDATION_FAILED', ...SIGNED_IN_CHANGE_ERRORS, 'AUCTION_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const state = await ctx.sequencer.getAuction(request.params.auctionId);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      await ctx.store.unwatch(userId, state.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me/watchlist',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'listWatchlist',
        tags: ['Watchlist'],
        summary: 'Auctions I watch',
        description: 'Soonest end first; items as in GET /api/v1/auctions, with `watcherCount`.',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: ok('A page of watched auctions', auctionSummaryPage),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const page = await ctx.store.listWatchlist(userId, request.query.limit, request.query.cursor ?? null);
      const now = ctx.clock.now();
      const states = await Promise.all(
        page.items.map(async (stored) => {
          // The embedded store's sequencer holds the latest committed state (a read from its cache). With
          // other writers the row just read is as fresh as the sequencer's own read would be.
          if (ctx.store.concurrentWriters) return stored;
          const latest = await ctx.sequencer.getAuction(stored.id);
          return latest && latest.version > stored.version ? latest : stored;
        }),
      );
      const items = await withWatcherCounts(
        ctx.store,
        states.map((state) => auctionSummaryView(state, now, userId)),
      );
      return { items, nextCursor: page.nextCursor };
    },
  );
}
