import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../engine/webhook-events.ts';
import { AppError } from '../../error-catalogue.ts';
import { newId } from '../../ids.ts';
import type { WebhookDeliveryRecord, WebhookRecord } from '../../store/index.ts';
import { checkWebhookUrl } from '../../webhooks/url-policy.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, noContent, ok, problems } from '../openapi.ts';
import { pageQuery } from '../schemas.ts';

/** Webhooks one user may have: enough for a few systems and their staging twins. */
export const WEBHOOKS_PER_USER_MAX = 20;

const idText = z.string().min(1).max(100);
const webhookParams = z.strictObject({ id: idText });
const deliveryParams = z.strictObject({ id: idText, deliveryId: idText });

const createWebhookBody = z.strictObject({
  url: z.string().min(1).max(2_000).describe('http:// or https://; not a loopback, private or link-local address'),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((types) => new Set(types).size === types.length, 'each event type once')
    .describe('The event types to receive'),
});

const webhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: z.string().describe('ISO 8601 UTC with milliseconds'),
  })
  .meta({
    id: 'Webhook',
    description: 'A webhook as its owner sees it (its secret is shown only when it is created)',
    examples: [
      {
        id: '01936c00-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
        url: 'https://erp.example/gavel',
        events: ['bid.accepted', 'auction.closed'],
        createdAt: '2026-11-20T09:15:00.000Z',
      },
    ],
  });

const deliveryView = z
  .object({
    id: z.string(),
    eventId: z.string().describe('The `id` of the delivered body: the same on every attempt'),
    type: z.string(),
    auctionId: z.string(),
    version: z.number().int(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string().describe('ISO 8601 UTC with milliseconds'),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    manual: z.boolean().describe('Sent again by hand: may arrive out of the auction’s order'),
  })
  .meta({
    id: 'WebhookDelivery',
    description: 'One event sent, or to be sent, to one webhook: at least once, the same `eventId` on every attempt',
    examples: [
      {
        id: '3f9e0c6b2d8a4e1f9b7c5a3d1e0f2a4b',
        eventId: '01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b.9.bid.accepted',
        type: 'bid.accepted',
        auctionId: '01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b',
        version: 9,
        status: 'pending',
        attempts: 2,
        lastError: 'HTTP 503',
        createdAt: '2026-11-29T12:59:45.120Z',
        nextAttemptAt: '2026-11-29T13:00:05.120Z',
        lastAttemptAt: '2026-11-29T12:59:55.120Z',
        deliveredAt: null,
        manual: false,
      },
    ],
  });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toWebhookView(w: WebhookRecord) {
  return { id: w.id, url: w.url, events: w.events, createdAt: new Date(w.createdAt).toISOString() };
}

function toDeliveryView(d: WebhookDeliveryRecord) {
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    auctionId: d.auctionId,
    version: d.version,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: new Date(d.createdAt).toISOString(),
    nextAttemptAt: iso(d.nextAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    manual: d.manual,
  };
}

/**
 * Webhooks (docs/webhooks.md): a seller's signed feed of what happens to their auctions. A webhook, its
 * deliveries and its retries are its owner's: for anyone else they do not exist (404).
 */
export function webhookRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const ownWebhook = async (userId: string, id: string) => {
    const webhook = await ctx.store.findWebhook(userId, id);
    if (!webhook) throw new AppError('WEBHOOK_NOT_FOUND');
    return webhook;
  };

  r.post(
    '/api/v1/webhooks',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'createWebhook',
        tags: ['Webhooks'],
        summary: 'Register a webhook',
        description:
          'For the events of the auctions I sell. The answer shows its signing secret, once: every delivery ' +
          'carries `Gavel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. A URL ' +
          'whose host is, or resolves to, a loopback, private, link-local or reserved address is refused.',
        security: SESSION_SECURITY,
        body: createWebhookBody,
        response: {
          201: ok(
            'Registered: the webhook with its secret',
            z.object({ webhook: webhookView.extend({ secret: z.string().describe('The signing key: kept secret') }) }),
          ),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS, 'WEBHOOK_URL_FORBIDDEN', 'TOO_MANY_WEBHOOKS'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const verdict = await checkWebhookUrl(request.body.url, ctx.webhookUrlPolicy);
      if (!verdict.ok) {
        if (verdict.reason === 'forbidden') throw new AppError('WEBHOOK_URL_FORBIDDEN', verdict.detail);
        throw new AppError('VALIDATION_FAILED', `url: ${verdict.detail}`, { field: 'url' });
      }
      const webhook: WebhookRecord = {
        id: newId(),
        ownerId: userId,
        url: verdict.url.href,
        events: request.body.events,
        secret: `whsec_${randomBytes(24).toString('base64url')}`,
        createdAt: ctx.clock.now(),
      };
      if (!(await ctx.store.insertWebhook(webhook, WEBHOOKS_PER_USER_MAX)))
        throw new AppError('TOO_MANY_WEBHOOKS', `at most ${WEBHOOKS_PER_USER_MAX} webhooks per user`);
      return reply.code(201).send({ webhook: { ...toWebhookView(webhook), secret: webhook.secret } });
    },
  );

  r.get(
    '/api/v1/webhooks',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'listWebhooks',
        tags: ['Webhooks'],
        summary: 'My webhooks',
        description: 'Oldest first, without their secrets.',
        security: SESSION_SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: ok('My webhooks', z.object({ items: z.array(webhookView) })),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      return { items: (await ctx.store.listWebhooks(userId)).map(toWebhookView) };
    },
  );

  r.delete(
    '/api/v1/webhooks/:id',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'deleteWebhook',
        tags: ['Webhooks'],
        summary: 'Delete one of my webhooks',
        description: 'Its pending deliveries are never sent.',
        security: SESSION_SECURITY,
        params: webhookParams,
        response: {
          204: noContent('Deleted'),
          ...problems('VALIDATION_FAILED', ...SIGNED_IN_CHANGE_ERRORS, 'WEBHOOK_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      if (!(await ctx.store.deleteWebhook(userId, request.params.id))) throw new AppError('WEBHOOK_NOT_FOUND');
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'listWebhookDeliveries',
        tags: ['Webhooks'],
        summary: 'A webhook’s deliveries',
        description: 'Newest first, with their status, attempts and last error; keyset-paginated.',
        security: SESSION_SECURITY,
        params: webhookParams,
        querystring: pageQuery.strict(),
        response: {
          200: ok(
            'A page of deliveries',
            z.object({ items: z.array(deliveryView), nextCursor: z.string().nullable() }),
          ),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'WEBHOOK_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const webhook = await ownWebhook(userId, request.params.id);
      // A cursor of another listing is InvalidCursorError: 400 (problem.ts).
      const page = await ctx.store.listWebhookDeliveries(webhook.id, request.query.limit, request.query.cursor ?? null);
      return { items: page.items.map(toDeliveryView), nextCursor: page.nextCursor };
    },
  );

  r.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/retry',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'retryWebhookDelivery',
        tags: ['Webhooks'],
        summary: 'Send a failed delivery again',
        description: 'One more attempt, with the same event id; it may arrive out of the auction’s order.',
        security: SESSION_SECURITY,
        params: deliveryParams,
        response: {
          202: ok('Queued again', z.object({ delivery: z.object({ id: z.string(), status: z.literal('pending') }) })),
          ...problems(
            'VALIDATION_FAILED',
            ...SIGNED_IN_CHANGE_ERRORS,
            'WEBHOOK_NOT_FOUND',
            'DELIVERY_NOT_FOUND',
            'DELIVERY_NOT_FAILED',
          ),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const webhook = await ownWebhook(userId, request.params.id);
      const result = await ctx.store.retryWebhookDelivery(webhook.id, request.params.deliveryId, ctx.clock.now());
      if (result === 'not_found') throw new AppError('DELIVERY_NOT_FOUND');
      if (result === 'not_failed') throw new AppError('DELIVERY_NOT_FAILED');
      // Sent by the next read of the outbox (on any node); this one reads it now.
      void ctx.webhooks.dispatch();
      return reply.code(202).send({ delivery: { id: request.params.deliveryId, status: 'pending' as const } });
    },
  );
}
