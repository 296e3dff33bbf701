-- Retention and uploads (security issue: nothing a client creates may pile up forever).

-- "Log out everywhere" ends every session of one user.
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Idempotency records are kept 24 hours (the contract's minimum), then deleted oldest first.
CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);

-- Uploaded item pictures: who uploaded each (per-user quota) and whether an auction uses it.
-- A row is written before its file and deleted after it, so a file never exists without a row;
-- uploads that no auction took within 24 hours are deleted (file, then row).
CREATE TABLE uploads (
  name        TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  attached_at INTEGER
);
CREATE INDEX uploads_by_user ON uploads (user_id, created_at);
CREATE INDEX uploads_unattached ON uploads (created_at) WHERE attached_at IS NULL;
