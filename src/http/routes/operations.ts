import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteContext } from '../context.ts';
import { ok, problems, problemsWith } from '../openapi.ts';
import { sendProblem } from '../problem.ts';

const health = z.enum(['ok', 'down']).meta({ examples: ['down'] });

/** Liveness, readiness and Prometheus metrics. Not part of the versioned API. */
export function operationRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['Operations'],
        summary: 'Liveness',
        description: '200 while the process serves.',
        response: { 200: ok('The process serves', z.object({ status: z.literal('ok') })), ...problems() },
      },
    },
    async () => ({ status: 'ok' }),
  );
  // Ready while the store answers. A bus that is down does not make the node unready: bids are still taken
  // and durable, and streams catch up from the store; a load balancer must keep sending it traffic.
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['Operations'],
        summary: 'Readiness',
        description:
          'Ready while storage answers. A bus (Redis) that is down does not make the node unready: bids are still ' +
          'taken and durable, so a load balancer must keep the node.',
        response: {
          200: ok('Ready', z.object({ status: z.literal('ready'), store: z.literal('ok'), bus: health })),
          ...problemsWith({ SERVICE_UNAVAILABLE: { store: health, bus: health } }, 'SERVICE_UNAVAILABLE'),
        },
      },
    },
    async (_request, reply) => {
      const bus = ctx.bus.connected ? 'ok' : 'down';
      try {
        await ctx.store.ping();
        return { status: 'ready', store: 'ok', bus };
      } catch {
        reply.header('retry-after', 1);
        return sendProblem(reply, 'SERVICE_UNAVAILABLE', 'Storage is not answering', { store: 'down', bus });
      }
    },
  );
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['Operations'],
        summary: 'Prometheus metrics',
        response: {
          200: {
            description: 'The Prometheus text format',
            content: { 'text/plain': { schema: z.string() } },
          },
          ...problems(),
        },
      },
    },
    async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );
}
