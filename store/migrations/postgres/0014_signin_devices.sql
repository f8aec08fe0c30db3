-- Devices people signed in from: a browser (cookie) or an API client keeps
-- a random key given at a successful sign-in; the store keeps its hash.
-- Failed sign-ins of a client presenting a key of the account are counted
-- on that key alone, so that failures elsewhere do not lock the owner out.
-- used_at is the last successful sign-in with the key.
CREATE TABLE signin_devices (
	key_hash   TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	used_at    BIGINT NOT NULL
);
CREATE INDEX signin_devices_user ON signin_devices (user_id, used_at);
