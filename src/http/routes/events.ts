import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import type { RouteContext } from '../context.ts';
import { auctionParams, problem } from '../schemas.ts';

const VERSION = /^\d{1,15}$/;

/** `GET /auctions/:id/events`: Server-Sent Events with snapshot, ordered events and `Last-Event-ID` resume. */
export function eventRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/auctions/:id/events',
    {
      schema: {
        tags: ['events'],
        summary:
          'Live events (text/event-stream): snapshot, then bid / closed / cancelled / extended in version order; id = version',
        params: auctionParams,
        querystring: z.object({
          lastEventId: z
            .string()
            .max(32)
            .optional()
            .describe('Same as the Last-Event-ID header, for clients that cannot set headers'),
        }),
        response: { 200: z.string().describe('text/event-stream'), 404: problem },
      },
    },
    async (request, reply) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const header = request.headers['last-event-id'];
      const raw = typeof header === 'string' ? header.trim() : request.query.lastEventId;
      // An unusable Last-Event-ID is treated as none: the client gets a fresh snapshot.
      const lastEventId = raw !== undefined && VERSION.test(raw) ? Number(raw) : null;
      reply.hijack();
      await ctx.hub.attach(reply.raw, state.id, lastEventId);
    },
  );
}
