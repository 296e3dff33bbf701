import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.ts';
import { sendProblem } from '../problem.ts';

/** Liveness, readiness and Prometheus metrics. Not part of the versioned API. */
export function operationRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ctx.store.ping();
      return { status: 'ready', store: ctx.store.kind };
    } catch {
      return sendProblem(reply, 'SERVICE_UNAVAILABLE', 'Storage is not answering');
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
