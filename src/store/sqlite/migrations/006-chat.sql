-- The live room's chat. Each message keeps the sender's display name as it was when sent (a later rename
-- does not rewrite history), and is deleted 24 hours after its auction ended (retention).
CREATE TABLE chat_messages (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL,
  auction_id   TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  display_name TEXT NOT NULL,
  -- As moderated by the built-in rules: personal data never stored in clear.
  text         TEXT NOT NULL,
  sent_at      INTEGER NOT NULL,
  UNIQUE (auction_id, id)
);
CREATE INDEX chat_messages_by_auction ON chat_messages (auction_id, seq);
