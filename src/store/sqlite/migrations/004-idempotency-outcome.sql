-- An idempotency record keeps whether the first answer accepted the bid, not the HTTP status it was sent
-- with: the engine and the store know nothing of HTTP (the route maps accepted to 201, refused to 409).
ALTER TABLE idempotency_keys ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
UPDATE idempotency_keys SET accepted = (status_code = 201);
ALTER TABLE idempotency_keys DROP COLUMN status_code;
