-- Email (docs/email.md): verified addresses, one-time tokens, notification settings, and the mail outbox.

-- `email` is the verified address (lower-cased), unique among users; `mail_off` the JSON array of the
-- notification kinds the user turned off; `mail_key` the key of their unsubscribe links.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN mail_off TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN mail_key TEXT;
CREATE UNIQUE INDEX users_by_email ON users (email) WHERE email IS NOT NULL;

-- Verification and password-reset links: only the token's SHA-256 is stored; single use (`used_at`).
CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  email      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX email_tokens_by_expiry ON email_tokens (expires_at);

-- The mail outbox: one row per mail, written in the transaction of what it reports. `to_address` is set for
-- mails to an address not (yet) verified (a verification link); otherwise the user's verified address
-- when it is sent. `data` (JSON) is what the mail says; a link's token is wiped once the mail is sent.
-- Sent at least once under a lease, like the webhook outbox (next_attempt_at / lease_until).
CREATE TABLE mail_outbox (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  user_id         TEXT NOT NULL,
  kind            TEXT NOT NULL,
  auction_id      TEXT,
  to_address      TEXT,
  data            TEXT,
  status          TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  sent_at         INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
-- The outbid rule ("at most one per auction per user per 15 minutes"): the last outbid mail of a pair.
CREATE INDEX mail_outbox_by_pair ON mail_outbox (user_id, auction_id, kind, seq);

-- Every notification that is also a mail is queued by the insert that stores the notification, whatever
-- path writes it (a bid's batch, the closer, ending-soon deliveries, a watch, a published question): in
-- the same transaction, for a user with a verified address who has not turned that kind off. A closed
-- auction is a `sold` mail only when it sold; a second-chance offer is a `payment_due` mail.
CREATE TRIGGER user_events_mail AFTER INSERT ON user_events
WHEN NEW.type IN ('outbid', 'won', 'offer_received', 'payment_due', 'auction_closed', 'ending_soon', 'question')
BEGIN
  INSERT INTO mail_outbox (id, user_id, kind, auction_id, data, created_at, next_attempt_at)
  SELECT lower(hex(randomblob(16))), u.id, k.kind,
    coalesce(json_extract(NEW.data, '$.auctionId'), json_extract(NEW.data, '$.auction.id')),
    NEW.data, NEW.created_at, NEW.created_at
  FROM users u,
    (SELECT CASE NEW.type WHEN 'offer_received' THEN 'payment_due' WHEN 'auction_closed' THEN 'sold'
      ELSE NEW.type END AS kind) k
  WHERE u.id = NEW.user_id AND u.email IS NOT NULL
    AND instr(u.mail_off, '"' || k.kind || '"') = 0
    AND (NEW.type <> 'auction_closed' OR json_extract(NEW.data, '$.result') = 'sold');
END;
