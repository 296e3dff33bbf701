-- Questions and answers (one table: both are moderated texts with the same life), and their moderation
-- queue, kept on the rows themselves so that an item and its place in the queue change in one statement.
CREATE TABLE qa_items (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('question', 'answer')),
  auction_id      TEXT NOT NULL,
  -- An answer's question; NULL for a question.
  question_id     TEXT,
  author_id       TEXT NOT NULL,
  -- Already screened by the built-in rules: personal data is never stored in clear.
  text            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('published', 'pending_review', 'rejected')),
  created_at      INTEGER NOT NULL,
  -- The moderation queue: failed attempts at the external service, the last failure, when to ask again
  -- (NULL: not queued), and whether it gave up and waits for a moderator (the dead letter).
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at INTEGER,
  parked          INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
  CHECK ((kind = 'question') = (question_id IS NULL)),
  -- Unique per auction (the distribution column leads every unique constraint); ids are server-made
  -- UUIDv7s, unique by construction, and found alone through qa_items_by_id.
  UNIQUE (auction_id, id)
);
CREATE INDEX qa_items_by_id ON qa_items (id);
-- One answer per question.
CREATE UNIQUE INDEX qa_items_one_answer ON qa_items (auction_id, question_id) WHERE kind = 'answer';
CREATE INDEX qa_items_questions_by_auction ON qa_items (auction_id, seq) WHERE kind = 'question';
CREATE INDEX qa_items_due ON qa_items (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX qa_items_pending ON qa_items (seq) WHERE status = 'pending_review';
