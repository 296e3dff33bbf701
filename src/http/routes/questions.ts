import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoTime } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { newId } from '../../ids.ts';
import type { QaItemRecord, QuestionWithAnswer } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import {
  auctionParams,
  moderationDecisionBody,
  moderationItem,
  moderationItemParams,
  pageQuery,
  problem,
  qaTextBody,
  question,
  questionParams,
} from '../schemas.ts';

/**
 * A question as `viewerId` may see it. The caller has already decided the viewer may see the question;
 * the answer shows once published, and always to the seller (its author).
 */
export function questionView(
  { question: q, answer: a }: QuestionWithAnswer,
  viewerId: string | null,
  sellerId: string,
) {
  const answerVisible = a !== null && (a.status === 'published' || viewerId === sellerId);
  return {
    id: q.id,
    auctionId: q.auctionId,
    askerId: q.authorId,
    text: q.text,
    status: q.status,
    answer: answerVisible ? { id: a.id, text: a.text, status: a.status, answeredAt: isoTime(a.createdAt) } : null,
    createdAt: isoTime(q.createdAt),
  };
}

function moderationItemView(item: QaItemRecord) {
  return {
    id: item.id,
    kind: item.kind,
    auctionId: item.auctionId,
    text: item.text,
    status: item.status,
    attempts: item.attempts,
    lastError: item.lastError,
    parked: item.parked,
    createdAt: isoTime(item.createdAt),
  };
}

/** Questions to the seller and the seller's answers, each moderated before anyone else sees it. */
export function questionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const auctionOrThrow = async (id: string) => {
    const auction = await ctx.sequencer.getAuction(id);
    if (!auction) throw new AppError('AUCTION_NOT_FOUND');
    return auction;
  };

  r.post(
    '/api/v1/auctions/:id/questions',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['questions'],
        summary: 'Ask the seller a question. It is moderated: published, pending_review or rejected.',
        security: SESSION_SECURITY,
        params: auctionParams,
        body: qaTextBody,
        response: { 201: z.object({ question }), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const auction = await auctionOrThrow(request.params.id);
      if (auction.sellerId === userId) throw new AppError('SELLER_CANNOT_ASK');
      const { item } = await ctx.moderation.submit({
        id: newId(),
        kind: 'question',
        auctionId: auction.id,
        questionId: null,
        authorId: userId,
        text: request.body.text,
      });
      // A new question has no answer: the item as submit left it is the whole of it.
      const view = questionView({ question: item, answer: null }, userId, auction.sellerId);
      return reply.code(201).send({ question: view });
    },
  );

  r.post(
    '/api/v1/auctions/:id/questions/:questionId/answer',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['questions'],
        summary: 'Answer a question on your auction (seller only); moderated like the questions.',
        security: SESSION_SECURITY,
        params: questionParams,
        body: qaTextBody,
        response: { 200: z.object({ question }), 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const auction = await auctionOrThrow(request.params.id);
      if (auction.sellerId !== userId) throw new AppError('NOT_SELLER');
      const found = await ctx.store.findQuestion(auction.id, request.params.questionId);
      if (!found) throw new AppError('QUESTION_NOT_FOUND');
      if (found.answer !== null) throw new AppError('ALREADY_ANSWERED');
      const { inserted } = await ctx.moderation.submit({
        id: newId(),
        kind: 'answer',
        auctionId: auction.id,
        questionId: found.question.id,
        authorId: userId,
        text: request.body.text,
      });
      // Two answers at once: the store keeps the first, the other is told so.
      if (!inserted) throw new AppError('ALREADY_ANSWERED');
      const stored = await ctx.store.findQuestion(auction.id, found.question.id);
      return { question: questionView(stored!, userId, auction.sellerId) };
    },
  );

  r.get(
    '/api/v1/auctions/:id/questions',
    {
      schema: {
        tags: ['questions'],
        summary: 'Questions, newest first: published ones for everyone, your own in any status, all for the seller',
        params: auctionParams,
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(question), nextCursor: z.string().nullable() }),
          400: problem,
          404: problem,
        },
      },
    },
    async (request) => {
      const viewerId = await ctx.auth.userIdOf(request);
      const auction = await auctionOrThrow(request.params.id);
      const page = await ctx.store.listQuestions({
        auctionId: auction.id,
        visibility: viewerId !== null && viewerId === auction.sellerId ? 'all' : 'public',
        viewerId,
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return { items: page.items.map((q) => questionView(q, viewerId, auction.sellerId)), nextCursor: page.nextCursor };
    },
  );
}

/** The moderators' queue (GAVEL_MODERATORS): items waiting for a verdict, and their decisions. */
export function moderationRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const requireModerator = async (request: FastifyRequest) => {
    const userId = await ctx.auth.requireUserId(request);
    const user = (await ctx.store.findUsersByIds([userId])).get(userId);
    if (!user || !ctx.moderators.has(user.username)) throw new AppError('FORBIDDEN', 'Only moderators may do this');
  };

  r.get(
    '/api/v1/moderation/queue',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['moderation'],
        summary: 'Questions and answers waiting for a verdict (queued or parked), oldest first (moderators)',
        security: SESSION_SECURITY,
        response: { 200: z.object({ items: z.array(moderationItem) }), 401: problem, 403: problem },
      },
    },
    async (request) => {
      await requireModerator(request);
      return { items: (await ctx.store.qaModerationQueue(500)).map(moderationItemView) };
    },
  );

  r.post(
    '/api/v1/moderation/items/:id',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['moderation'],
        summary: 'Publish (approve) or reject a question or answer waiting for a verdict (moderators)',
        security: SESSION_SECURITY,
        params: moderationItemParams,
        body: moderationDecisionBody,
        response: {
          200: z.object({ item: moderationItem }),
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request) => {
      await requireModerator(request);
      const item = await ctx.store.findQaItem(request.params.id);
      if (!item) throw new AppError('MODERATION_ITEM_NOT_FOUND');
      const decided = await ctx.moderation.decide(item.id, request.body.decision);
      if (decided === null) throw new AppError('ALREADY_DECIDED');
      return { item: moderationItemView(decided) };
    },
  );
}
