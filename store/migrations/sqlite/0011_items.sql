-- Actionable items: what a conversation turns into.
--
-- A coordination task comes from a post or a reply of a team space: an
-- owner (a member of the team), a due date (YYYY-MM-DD, '' if none) and
-- done_at once done.
CREATE TABLE tasks (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	reply_id   BIGINT NOT NULL DEFAULT 0,
	title      TEXT NOT NULL,
	owner_id   INTEGER NOT NULL REFERENCES users (id),
	due_on     TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	done_at    BIGINT,
	done_by    BIGINT
);
CREATE INDEX tasks_space ON tasks (space_id, done_at, due_on);
CREATE INDEX tasks_owner ON tasks (owner_id, done_at);
CREATE INDEX tasks_post ON tasks (post_id);

-- A problem (a post of kind 'problem') is open until the reply that solves
-- it is marked: solution_reply_id, by whom and when.
ALTER TABLE posts ADD COLUMN solution_reply_id BIGINT;
ALTER TABLE posts ADD COLUMN solved_by BIGINT;
ALTER TABLE posts ADD COLUMN solved_at BIGINT;

-- The best-practice library: a practice captured from a post of a space,
-- added by its manager or an internal steward (the space's consent to its
-- reuse); withdrawn_at once withdrawn. Reuses record which space adopted it,
-- by whom, and the post it became there.
CREATE TABLE practices (
	id           INTEGER PRIMARY KEY,
	space_id     INTEGER NOT NULL REFERENCES spaces (id),
	post_id      INTEGER NOT NULL REFERENCES posts (id),
	title        TEXT NOT NULL,
	summary      TEXT NOT NULL,
	tags         TEXT NOT NULL DEFAULT '',
	-- search_text is title, summary and tags lowercased and without
	-- accents, so that a search matches alike on both engines.
	search_text  TEXT NOT NULL DEFAULT '',
	shared_by    INTEGER NOT NULL REFERENCES users (id),
	shared_at    BIGINT NOT NULL,
	withdrawn_at BIGINT
);
CREATE UNIQUE INDEX practices_post ON practices (post_id);
CREATE INDEX practices_space ON practices (space_id);

CREATE TABLE practice_reuses (
	id          INTEGER PRIMARY KEY,
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	space_id    INTEGER NOT NULL REFERENCES spaces (id),
	user_id     INTEGER NOT NULL REFERENCES users (id),
	post_id     INTEGER NOT NULL REFERENCES posts (id),
	created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX practice_reuses_space ON practice_reuses (practice_id, space_id);
CREATE INDEX practice_reuses_user ON practice_reuses (user_id);
