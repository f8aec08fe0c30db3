-- Animation of communities by their stewards: moderation, flags, pins,
-- scheduled posts, welcome messages, invitations and the join funnel; the
-- onboarding of social media managers in co-pilot; in-app notifications.

-- Approvals hold any visible action of a steward in co-pilot: the kind
-- names the action (checked by the application), the payload carries what
-- the action needs. SQLite cannot drop a CHECK constraint: the table is
-- rebuilt.
CREATE TABLE approvals_v4 (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	post_id      INTEGER REFERENCES posts (id),
	reply_id     INTEGER REFERENCES replies (id),
	join_request_id INTEGER REFERENCES join_requests (id),
	join_approve    BOOLEAN,
	join_reason     TEXT NOT NULL DEFAULT '',
	target_id    INTEGER,
	payload      TEXT NOT NULL DEFAULT '',
	space_id     INTEGER NOT NULL REFERENCES spaces (id),
	requester_id INTEGER NOT NULL REFERENCES users (id),
	mentor_id    INTEGER REFERENCES users (id),
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	reason       TEXT NOT NULL DEFAULT '',
	decided_by   INTEGER REFERENCES users (id),
	created_at   BIGINT NOT NULL,
	decided_at   BIGINT
);
INSERT INTO approvals_v4 (id, kind, post_id, reply_id, join_request_id, join_approve, join_reason, space_id,
	requester_id, mentor_id, status, reason, decided_by, created_at, decided_at)
	SELECT id, kind, post_id, reply_id, join_request_id, join_approve, join_reason, space_id,
	requester_id, mentor_id, status, reason, decided_by, created_at, decided_at FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_v4 RENAME TO approvals;
CREATE INDEX approvals_mentor ON approvals (mentor_id, status, id);
CREATE INDEX approvals_requester ON approvals (requester_id, status, id);
CREATE UNIQUE INDEX approvals_join_pending ON approvals (join_request_id) WHERE status = 'pending' AND join_request_id IS NOT NULL;

-- Moderation and pins.
ALTER TABLE posts ADD COLUMN pinned_at BIGINT;
ALTER TABLE posts ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN moderation_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN moderated_by INTEGER REFERENCES users (id);
ALTER TABLE posts ADD COLUMN moderated_at BIGINT;
CREATE INDEX posts_pinned ON posts (space_id, pinned_at) WHERE pinned_at IS NOT NULL;

CREATE TABLE flags (
	id         INTEGER PRIMARY KEY,
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	reason     TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'upheld')),
	created_at BIGINT NOT NULL,
	handled_by INTEGER REFERENCES users (id),
	handled_at BIGINT
);
CREATE UNIQUE INDEX flags_open ON flags (post_id, user_id) WHERE status = 'open';
CREATE INDEX flags_space ON flags (space_id, status, id);

-- Posts prepared for later: each becomes a post once, when it is due.
CREATE TABLE scheduled_posts (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	author_id  INTEGER NOT NULL REFERENCES users (id),
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	publish_at BIGINT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('pending_approval', 'scheduled', 'published', 'cancelled', 'rejected')),
	post_id    INTEGER REFERENCES posts (id),
	created_at BIGINT NOT NULL
);
CREATE INDEX scheduled_posts_due ON scheduled_posts (publish_at) WHERE status = 'scheduled';
CREATE INDEX scheduled_posts_space ON scheduled_posts (space_id, status, publish_at);

-- Welcome message, invitations, and how each member came in.
ALTER TABLE spaces ADD COLUMN welcome TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN source TEXT NOT NULL DEFAULT '';

CREATE TABLE invitations (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	invited_by INTEGER NOT NULL REFERENCES users (id),
	message    TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL CHECK (status IN ('pending_approval', 'pending', 'accepted', 'declined', 'rejected')),
	created_at BIGINT NOT NULL,
	decided_at BIGINT
);
CREATE UNIQUE INDEX invitations_open ON invitations (space_id, user_id) WHERE status IN ('pending_approval', 'pending');
CREATE INDEX invitations_user ON invitations (user_id, status);

CREATE TABLE member_removals (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	removed_by INTEGER NOT NULL REFERENCES users (id),
	reason     TEXT NOT NULL,
	at         BIGINT NOT NULL
);
CREATE INDEX member_removals_space ON member_removals (space_id, at);

-- Onboarding of social media managers in co-pilot.
ALTER TABLE users ADD COLUMN copilot_since BIGINT;
CREATE TABLE onboarding_steps (
	user_id INTEGER NOT NULL REFERENCES users (id),
	item    TEXT NOT NULL,
	done_by INTEGER NOT NULL REFERENCES users (id),
	done_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, item)
);

-- In-app notifications: what a person is told (a post hidden, a request
-- decided, a welcome, an invitation).
CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	kind       TEXT NOT NULL,
	space_id   INTEGER REFERENCES spaces (id),
	post_id    INTEGER REFERENCES posts (id),
	actor_id   INTEGER REFERENCES users (id),
	subject_id INTEGER,
	rule       TEXT NOT NULL DEFAULT '',
	detail     TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
