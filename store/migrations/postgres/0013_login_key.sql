-- Logins are unique without regard to case and to Unicode compatibility
-- forms. login_key is the canonical key of the login (relais.LoginKey: NFKC,
-- then case folded), unique; login_skeleton (relais.LoginSkeleton) is what
-- the login looks like, to refuse look-alikes (pauI beside paul), indexed but
-- not unique. Neither can be computed in SQL: the Go step login_key fills
-- them.
--
-- A database may already hold logins that differ only by case (Paul beside
-- paul). The step keeps the key for one account of each key — one a SCIM
-- client did not delete before one it deleted, then the oldest — and leaves
-- the key of the others NULL: they cannot be found by login (sign-in with a
-- password, mentions, owners) until an administrator renames them, and each
-- gets an entry user.login_conflict in the audit trail. Look-alikes already
-- there are reported the same way and left as they are.
ALTER TABLE users ADD COLUMN login_key TEXT;
ALTER TABLE users ADD COLUMN login_skeleton TEXT NOT NULL DEFAULT '';
-- step: login_key
-- (PostgreSQL already names the constraint of login UNIQUE users_login_key.)
CREATE UNIQUE INDEX users_login_key_unique ON users (login_key);
CREATE INDEX users_login_skeleton ON users (login_skeleton);
