-- Webhooks (docs/webhooks.md): the same tables, columns and indexes (by purpose) as the SQLite adapter's
-- migration 011. Here `events` is a text[] (matched with = ANY on the commit path).
CREATE TABLE webhooks (
  seq        bigint GENERATED ALWAYS AS IDENTITY,
  id         text PRIMARY KEY,
  owner_id   text NOT NULL,
  url        text NOT NULL,
  events     text[] NOT NULL,
  secret     text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX webhooks_by_owner ON webhooks (owner_id, seq);

-- The outbox (see the SQLite migration 011). `seq` orders one (webhook, auction)'s rows: they are inserted
-- under the auction's row lock (commitBatch), so in commit order, which is version order.
CREATE TABLE webhook_deliveries (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text NOT NULL UNIQUE,
  webhook_id      text NOT NULL,
  event_id        text NOT NULL,
  type            text NOT NULL,
  auction_id      text NOT NULL,
  version         integer NOT NULL,
  data            text,
  status          text NOT NULL DEFAULT 'pending',
  manual          boolean NOT NULL DEFAULT false,
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  created_at      bigint NOT NULL,
  next_attempt_at bigint,
  lease_until     bigint NOT NULL DEFAULT 0,
  last_attempt_at bigint,
  delivered_at    bigint
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (webhook_id, auction_id, seq)
  WHERE status = 'pending' AND NOT manual;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
