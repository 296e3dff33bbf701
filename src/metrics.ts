import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app (no global singleton), so tests can build many apps in one process. */
export function createMetrics(options: { defaultMetrics?: boolean; catalogueIndexSize?: () => number | null } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'gavel_' });
  return {
    registry,
    bids: new Counter({
      name: 'gavel_bids_total',
      help: 'Bids decided, by outcome (accepted or the rejection code)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    bidLatency: new Histogram({
      name: 'gavel_bid_latency_seconds',
      help: 'From the bid entering the sequencer to its durable acknowledgement',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    commitBatchSize: new Histogram({
      name: 'gavel_commit_batch_size',
      help: 'Commands committed per durable transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
      registers: [registry],
    }),
    commitDuration: new Histogram({
      name: 'gavel_commit_duration_seconds',
      help: 'Time spent in one durable batch commit',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    createCommitBatchSize: new Histogram({
      name: 'gavel_create_commit_batch_size',
      help: 'New auctions committed per durable transaction (group commit of creates)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
      registers: [registry],
    }),
    createCommitDuration: new Histogram({
      name: 'gavel_create_commit_duration_seconds',
      help: 'Time spent in one durable commit of new auctions',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    mails: new Counter({
      name: 'gavel_mails_total',
      help: 'Mail sending attempts, by kind and outcome (sent, retry, failed)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'gavel_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookDeliveryDuration: new Histogram({
      name: 'gavel_webhook_delivery_seconds',
      help: 'Time from sending a webhook delivery to its answer (or its failure)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchRetries: new Counter({
      name: 'gavel_batch_retries_total',
      help: 'Batches decided again after a version conflict (another writer committed first)',
      registers: [registry],
    }),
    closed: new Counter({
      name: 'gavel_auctions_closed_total',
      help: 'Auctions closed, by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    catalogueIndexAuctions: new Gauge({
      name: 'gavel_catalogue_index_auctions',
      help: 'Auctions in the in-memory catalogue index; -1 until it is loaded (listings use SQL meanwhile) or without one',
      registers: [registry],
      collect() {
        this.set(options.catalogueIndexSize?.() ?? -1);
      },
    }),
    sseConnections: new Gauge({
      name: 'gavel_sse_connections',
      help: 'Open server-sent event streams',
      registers: [registry],
    }),
    liveRoomSockets: new Gauge({
      name: 'gavel_live_room_sockets',
      help: 'Open live-room WebSockets on this node',
      registers: [registry],
    }),
    chatMessages: new Counter({
      name: 'gavel_chat_messages_total',
      help: 'Live-room chat messages, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    fanoutStreams: new Gauge({
      name: 'gavel_fanout_streams',
      help: 'Auction streams served by fan-out worker processes (part of gavel_sse_connections)',
      registers: [registry],
    }),
    fanoutWorkerRestarts: new Counter({
      name: 'gavel_fanout_worker_restarts_total',
      help: 'Fan-out workers that died and were started again (their clients resumed elsewhere)',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
