-- Coaching: a team's manager asks the community manager or an internal
-- social media manager for coaching. The thread is private between the two;
-- the coach sees the team space's aggregate figures and nothing more.
-- status is 'open' or 'closed'.
CREATE TABLE coachings (
	id         INTEGER PRIMARY KEY,
	team_id    INTEGER NOT NULL REFERENCES teams (id),
	manager_id INTEGER NOT NULL REFERENCES users (id),
	coach_id   INTEGER NOT NULL REFERENCES users (id),
	topic      TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	closed_at  BIGINT
);
CREATE INDEX coachings_team ON coachings (team_id, status);
CREATE INDEX coachings_coach ON coachings (coach_id, status);
CREATE INDEX coachings_manager ON coachings (manager_id);
-- One open coaching per team and coach.
CREATE UNIQUE INDEX coachings_open ON coachings (team_id, coach_id) WHERE status = 'open';

CREATE TABLE coaching_messages (
	id          INTEGER PRIMARY KEY,
	coaching_id INTEGER NOT NULL REFERENCES coachings (id),
	author_id   INTEGER NOT NULL REFERENCES users (id),
	body        TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX coaching_messages_thread ON coaching_messages (coaching_id, id);

-- Contribution agreements: a participant proposes the time they give a
-- community (hours per week, a role such as 'expert'); their manager
-- approves or declines it. status is 'proposed', 'approved', 'declined'
-- or 'withdrawn'; manager_id is the manager asked at the time;
-- hours_per_week is in hundredths of an hour, as smm_allocations.hours.
CREATE TABLE contribution_agreements (
	id             INTEGER PRIMARY KEY,
	user_id        INTEGER NOT NULL REFERENCES users (id),
	space_id       INTEGER NOT NULL REFERENCES spaces (id),
	manager_id     INTEGER NOT NULL REFERENCES users (id),
	hours_per_week BIGINT NOT NULL CHECK (hours_per_week > 0),
	role           TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	created_at     BIGINT NOT NULL,
	decided_at     BIGINT,
	decided_by     BIGINT
);
CREATE INDEX contribution_agreements_user ON contribution_agreements (user_id, status);
CREATE INDEX contribution_agreements_manager ON contribution_agreements (manager_id, status);
CREATE INDEX contribution_agreements_space ON contribution_agreements (space_id, status);
-- One live agreement (proposed or approved) per person and community.
CREATE UNIQUE INDEX contribution_agreements_live ON contribution_agreements (user_id, space_id)
	WHERE status IN ('proposed', 'approved');
