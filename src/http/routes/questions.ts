import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoTime } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { newId } from '../../ids.ts';
import type { QaItemRecord, QuestionWithAnswer } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, ok, problems } from '../openapi.ts';
import {
  auctionParams,
  moderationDecisionBody,
  moderationItem,
  moderationItemParams,
  page,
  pageQuery,
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
        operationId: 'askQuestion',
        tags: ['Questions'],
        summary: 'Ask the seller a question',
        description:
          'It is moderated before anyone else sees it: its status is published, pending_review or rejected. ' +
          'E-mail addresses, phone and card numbers are replaced by [removed].',
        security: SESSION_SECURITY,
        params: auctionParams,
        body: qaTextBody,
        response: {
          201: ok('Asked: the question as its asker sees it', z.object({ question })),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS, 'SELLER_CANNOT_ASK', 'AUCTION_NOT_FOUND'),
        },
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
        operationId: 'answerQuestion',
        tags: ['Questions'],
        summary: 'Answer a question on your auction',
        description: 'Seller only; the answer is moderated like the questions and shows once published.',
        security: SESSION_SECURITY,
        params: questionParams,
        body: qaTextBody,
        response: {
          200: ok('Answered: the question with its answer', z.object({ question })),
          ...problems(
            ...JSON_BODY_ERRORS,
            ...SIGNED_IN_CHANGE_ERRORS,
            'NOT_SELLER',
            'AUCTION_NOT_FOUND',
            'QUESTION_NOT_FOUND',
            'ALREADY_ANSWERED',
          ),
        },
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
        operationId: 'listQuestions',
        tags: ['Questions'],
        summary: 'Questions on an auction, newest first',
        description: 'Published ones for everyone, your own in any status, all of them for the seller.',
        params: auctionParams,
        querystring: pageQuery,
        response: {
          200: ok('A page of questions', page('QuestionPage', question)),
          ...problems('VALIDATION_FAILED', 'AUCTION_NOT_FOUND'),
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
        operationId: 'listModerationQueue',
        tags: ['Moderation'],
        summary: 'Questions and answers waiting for a verdict',
        description: 'Moderators only: queued or parked items, oldest first.',
        security: SESSION_SECURITY,
        response: {
          200: ok('The waiting items', z.object({ items: z.array(moderationItem) })),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'),
        },
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
        operationId: 'decideModerationItem',
        tags: ['Moderation'],
        summary: 'Approve or reject a waiting question or answer',
        description: 'Moderators only: approve publishes it, reject hides it for good.',
        security: SESSION_SECURITY,
        params: moderationItemParams,
        body: moderationDecisionBody,
        response: {
          200: ok('Decided: the item with its new status', z.object({ item: moderationItem })),
          ...problems(
            ...JSON_BODY_ERRORS,
            ...SIGNED_IN_CHANGE_ERRORS,
            'FORBIDDEN',
            'MODERATION_ITEM_NOT_FOUND',
            'ALREADY_DECIDED',
          ),
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
