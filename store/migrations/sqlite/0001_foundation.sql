CREATE TABLE units (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	login         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	employment    TEXT NOT NULL CHECK (employment IN ('internal', 'external')),
	unit_id       INTEGER REFERENCES units (id),
	site          TEXT NOT NULL DEFAULT '',
	job_family    TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	active        BOOLEAN NOT NULL DEFAULT TRUE,
	co_pilot      BOOLEAN NOT NULL DEFAULT FALSE,
	mentor_id     INTEGER REFERENCES users (id),
	created_at    BIGINT NOT NULL
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id),
	role    TEXT NOT NULL,
	PRIMARY KEY (user_id, role)
);

CREATE TABLE teams (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	unit_id    INTEGER REFERENCES units (id),
	manager_id INTEGER REFERENCES users (id)
);

CREATE TABLE team_members (
	team_id INTEGER NOT NULL REFERENCES teams (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE spaces (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL UNIQUE,
	description     TEXT NOT NULL DEFAULT '',
	kind            TEXT NOT NULL CHECK (kind IN ('community', 'team')),
	audience        TEXT NOT NULL CHECK (audience IN ('internal', 'external', 'mixed')),
	join_policy     TEXT NOT NULL CHECK (join_policy IN ('open', 'criteria', 'request', 'directory')),
	join_criteria   TEXT NOT NULL DEFAULT '',
	flow            TEXT NOT NULL CHECK (flow IN ('in', 'above')),
	team_id         INTEGER UNIQUE REFERENCES teams (id),
	sponsor_unit_id INTEGER REFERENCES units (id),
	created_at      BIGINT NOT NULL
);

CREATE TABLE space_stewards (
	space_id INTEGER NOT NULL REFERENCES spaces (id),
	user_id  INTEGER NOT NULL REFERENCES users (id),
	PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_stewards_user ON space_stewards (user_id);

CREATE TABLE charters (
	space_id         INTEGER NOT NULL REFERENCES spaces (id),
	version          INTEGER NOT NULL,
	objective        TEXT NOT NULL,
	rules            TEXT NOT NULL,
	autonomy         TEXT NOT NULL,
	expected_actions TEXT NOT NULL,
	created_by       INTEGER REFERENCES users (id),
	created_at       BIGINT NOT NULL,
	PRIMARY KEY (space_id, version)
);

CREATE TABLE memberships (
	space_id        INTEGER NOT NULL REFERENCES spaces (id),
	user_id         INTEGER NOT NULL REFERENCES users (id),
	charter_version INTEGER NOT NULL,
	joined_at       BIGINT NOT NULL,
	PRIMARY KEY (space_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE join_requests (
	id              INTEGER PRIMARY KEY,
	space_id        INTEGER NOT NULL REFERENCES spaces (id),
	user_id         INTEGER NOT NULL REFERENCES users (id),
	charter_version INTEGER NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
	reason          TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	decided_by      INTEGER REFERENCES users (id),
	decided_at      BIGINT
);
CREATE UNIQUE INDEX join_requests_pending ON join_requests (space_id, user_id) WHERE status = 'pending';

CREATE TABLE posts (
	id          INTEGER PRIMARY KEY,
	space_id    INTEGER NOT NULL REFERENCES spaces (id),
	author_id   INTEGER NOT NULL REFERENCES users (id),
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	status      TEXT NOT NULL,
	reply_count INTEGER NOT NULL DEFAULT 0,
	created_at  BIGINT NOT NULL
);
CREATE INDEX posts_space ON posts (space_id, id);

CREATE TABLE replies (
	id         INTEGER PRIMARY KEY,
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	author_id  INTEGER NOT NULL REFERENCES users (id),
	body       TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX replies_post ON replies (post_id, id);

CREATE TABLE reactions (
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	reply_id   INTEGER NOT NULL DEFAULT 0,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	kind       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (post_id, reply_id, user_id, kind)
);

CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	csrf       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL
);

CREATE VIRTUAL TABLE search_fts USING fts5 (
	terms,
	post_id UNINDEXED,
	reply_id UNINDEXED,
	space_id UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);
