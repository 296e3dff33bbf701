-- Email (docs/email.md): the same columns, tables, indexes and trigger (by purpose) as the SQLite adapter's
-- migration 012.
ALTER TABLE users ADD COLUMN email text;
ALTER TABLE users ADD COLUMN mail_off text[] NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN mail_key text;
CREATE UNIQUE INDEX users_by_email ON users (email) WHERE email IS NOT NULL;

CREATE TABLE email_tokens (
  token_hash text PRIMARY KEY,
  purpose    text NOT NULL,
  user_id    text NOT NULL,
  email      text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at    bigint
);
CREATE INDEX email_tokens_by_expiry ON email_tokens (expires_at);

CREATE TABLE mail_outbox (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text NOT NULL UNIQUE,
  user_id         text NOT NULL,
  kind            text NOT NULL,
  auction_id      text,
  to_address      text,
  data            text,
  status          text NOT NULL DEFAULT 'pending',
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  created_at      bigint NOT NULL,
  next_attempt_at bigint,
  lease_until     bigint NOT NULL DEFAULT 0,
  sent_at         bigint
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_by_pair ON mail_outbox (user_id, auction_id, kind, seq);

CREATE FUNCTION user_events_mail() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mail_kind text := CASE NEW.type WHEN 'offer_received' THEN 'payment_due' WHEN 'auction_closed' THEN 'sold'
    ELSE NEW.type END;
BEGIN
  IF NEW.type = 'auction_closed' AND (NEW.data::jsonb ->> 'result') IS DISTINCT FROM 'sold' THEN
    RETURN NULL;
  END IF;
  INSERT INTO mail_outbox (id, user_id, kind, auction_id, data, created_at, next_attempt_at)
  SELECT replace(gen_random_uuid()::text, '-', ''), u.id, mail_kind,
    coalesce(NEW.data::jsonb ->> 'auctionId', NEW.data::jsonb -> 'auction' ->> 'id'),
    NEW.data, NEW.created_at, NEW.created_at
  FROM users u
  WHERE u.id = NEW.user_id AND u.email IS NOT NULL AND NOT (mail_kind = ANY (u.mail_off));
  RETURN NULL;
END $$;

CREATE TRIGGER user_events_mail AFTER INSERT ON user_events
FOR EACH ROW WHEN (NEW.type IN ('outbid', 'won', 'offer_received', 'payment_due', 'auction_closed', 'ending_soon', 'question'))
EXECUTE FUNCTION user_events_mail();
