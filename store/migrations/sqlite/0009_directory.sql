-- The directory: accounts and teams kept in step with the company's
-- directory (CSV import, SCIM provisioning) and single sign-on.
--
-- users.directory_source says which feed manages the account ('csv',
-- 'scim' or '' for an account made by hand or by the demo); a full CSV
-- import with --deactivate-missing deactivates only the 'csv' accounts it
-- no longer lists. deactivated_at is when the account was deactivated
-- (NULL while active); scim_deleted hides an account a SCIM client
-- deleted (Relais deactivates it and keeps its posts). oidc_subject binds
-- the account to its identity at the OpenID Connect provider ("iss sub")
-- at its first sign-in.
ALTER TABLE users ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN directory_source TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
ALTER TABLE users ADD COLUMN scim_deleted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
CREATE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_external_id ON users (external_id) WHERE external_id <> '';
CREATE UNIQUE INDEX users_oidc_subject ON users (oidc_subject) WHERE oidc_subject <> '';

-- A team a SCIM client deleted is dissolved (no members, no manager) and
-- hidden; its space and posts stay.
ALTER TABLE teams ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN scim_deleted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE teams ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX teams_manager ON teams (manager_id);
