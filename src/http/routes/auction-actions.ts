import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActionKind } from '../../engine/commands.ts';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { sendProblem } from '../problem.ts';
import { auction, auctionParams, bid, liveStreamBody, problem } from '../schemas.ts';

const actions: { path: string; action: ActionKind; summary: string; refusals: string }[] = [
  {
    path: 'buy-now',
    action: 'buy_now',
    summary: 'Buy now: closes the auction at once as sold at buyNowPrice, while buy-now is available',
    refusals: '409 BUY_NOW_UNAVAILABLE, 409 SELF_BIDDING',
  },
  {
    path: 'cancel',
    action: 'cancel',
    summary: 'Cancel (seller only, only while no bid is accepted)',
    refusals: '403 FORBIDDEN, 409 CANCEL_NOT_ALLOWED',
  },
  {
    path: 'payment',
    action: 'pay',
    summary: 'Pay for a won (or accepted second-chance) auction within the payment window; recorded, no processor',
    refusals: '403 FORBIDDEN, 409 PAYMENT_NOT_DUE',
  },
  {
    path: 'offer/accept',
    action: 'accept_offer',
    summary: 'Accept the second-chance offer made to you: your payment window opens',
    refusals: '403 FORBIDDEN, 409 NO_OFFER_PENDING',
  },
  {
    path: 'offer/decline',
    action: 'decline_offer',
    summary: 'Decline the second-chance offer made to you: it passes to the next bidder',
    refusals: '403 FORBIDDEN, 409 NO_OFFER_PENDING',
  },
];

/**
 * Commands besides bidding. Each goes through the sequencer, ordered with the
 * bids on the same auction (a buy-now racing bids: exactly one wins), and is
 * answered once durable.
 */
export function auctionActionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const { path, action, summary, refusals } of actions) {
    r.post(
      `/api/v1/auctions/:id/${path}`,
      {
        onRequest: ctx.auth.required,
        schema: {
          tags: ['auctions'],
          summary,
          description: `Refusals: ${refusals}.`,
          security: SESSION_SECURITY,
          params: auctionParams,
          response: {
            200: z.object({ auction, bid: bid.nullable() }),
            401: problem,
            403: problem,
            404: problem,
            409: problem,
          },
        },
      },
      async (request, reply) => {
        const userId = await ctx.auth.requireUserId(request);
        const outcome = await ctx.sequencer.act(action, request.params.id, userId);
        if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
        if (outcome.kind === 'refused')
          return sendProblem(reply, outcome.code, undefined, { auction: outcome.auction });
        return reply.code(200).send({ auction: outcome.auction, bid: outcome.bid });
      },
    );
  }

  // The seller's live video: set (or replaced) and removed, ordered with the bids like every change.
  const liveStreamRoute = (method: 'PUT' | 'DELETE') =>
    r.route({
      method,
      url: '/api/v1/auctions/:id/live-stream',
      onRequest: ctx.auth.required,
      schema: {
        tags: ['auctions'],
        summary:
          method === 'PUT'
            ? 'Set the live video (seller only, until the auction ends); watchers get an item_updated event'
            : 'Remove the live video (seller only, until the auction ends)',
        description: 'Refusals: 403 FORBIDDEN, 409 AUCTION_CLOSED.',
        security: SESSION_SECURITY,
        params: auctionParams,
        ...(method === 'PUT' ? { body: liveStreamBody } : {}),
        response: { 200: z.object({ auction }), 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
      handler: async (request, reply) => {
        const userId = await ctx.auth.requireUserId(request);
        const body = request.body as { playbackUrl: string } | undefined;
        const outcome = await ctx.sequencer.act('set_live_stream', request.params.id, userId, {
          liveStream: method === 'PUT' ? { playbackUrl: body!.playbackUrl } : null,
        });
        if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
        if (outcome.kind === 'refused')
          return sendProblem(reply, outcome.code, undefined, { auction: outcome.auction });
        return reply.code(200).send({ auction: outcome.auction });
      },
    });
  liveStreamRoute('PUT');
  liveStreamRoute('DELETE');
}
