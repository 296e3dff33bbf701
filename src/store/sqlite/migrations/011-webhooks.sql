-- Webhooks (docs/webhooks.md): each seller's subscriptions, and the outbox of their deliveries.

-- `events` is the JSON array of subscribed types (e.g. ["bid.accepted","auction.closed"]); the commit path
-- matches a type with instr() on it: the types are a fixed set of dotted words, none inside another's quotes.
CREATE TABLE webhooks (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  owner_id   TEXT NOT NULL,
  url        TEXT NOT NULL,
  events     TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_by_owner ON webhooks (owner_id, seq);

-- The outbox: one row per (event, subscribed webhook), written in the transaction of the change. `data`
-- NULL means the stored event's data (auction_events at (auction_id, version)). A PENDING row has a
-- `next_attempt_at`: its next try, or the end of the lease of a try in flight (`lease_until`, the token
-- that settles it). Rows of one (webhook, auction) are sent in seq order: only the oldest pending one that
-- is not `manual` (a failed one sent again by hand) is handed out; the claim defers the others.
CREATE TABLE webhook_deliveries (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  webhook_id      TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  type            TEXT NOT NULL,
  auction_id      TEXT NOT NULL,
  version         INTEGER NOT NULL,
  data            TEXT,
  status          TEXT NOT NULL DEFAULT 'pending',
  manual          INTEGER NOT NULL DEFAULT 0,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER,
  delivered_at    INTEGER
);
-- The claim reads only pending rows, longest due first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- "Is an older one of this (webhook, auction) still pending?"
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (webhook_id, auction_id, seq)
  WHERE status = 'pending' AND manual = 0;
-- A webhook's deliveries, newest first.
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
