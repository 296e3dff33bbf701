import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.ts';
import { sendProblem } from '../problem.ts';

/** Liveness, readiness and Prometheus metrics. Not part of the versioned API. */
export function operationRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Ready while the store answers. A bus that is down does not make the node unready: bids are still taken
  // and durable, and streams catch up from the store; a load balancer must keep sending it traffic.
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const bus = ctx.bus.connected ? 'ok' : 'down';
    try {
      await ctx.store.ping();
      return { status: 'ready', store: 'ok', bus };
    } catch {
      reply.header('retry-after', 1);
      return sendProblem(reply, 'SERVICE_UNAVAILABLE', 'Storage is not answering', { store: 'down', bus });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
