-- The community manager's cockpit: the strategic plan and its alignment
-- with spaces, the catalog of value propositions, space requests, the
-- hours of social media managers, and the organization's names for roles.
-- Amounts are whole hundredths (hours, euros) to stay exact on both engines.

CREATE TABLE company_objectives (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);

CREATE TABLE plan_objectives (
	id                   INTEGER PRIMARY KEY,
	company_objective_id INTEGER REFERENCES company_objectives (id),
	title                TEXT NOT NULL UNIQUE,
	description          TEXT NOT NULL DEFAULT '',
	created_at           BIGINT NOT NULL
);

-- A workstream carries a plan objective's technical (tools, integrations),
-- human (SMM hours, contributors) and budget (planned, committed, spent)
-- dimensions.
CREATE TABLE workstreams (
	id                INTEGER PRIMARY KEY,
	plan_objective_id INTEGER NOT NULL REFERENCES plan_objectives (id),
	title             TEXT NOT NULL,
	tools             TEXT NOT NULL DEFAULT '',
	integrations      TEXT NOT NULL DEFAULT '',
	smm_hours         BIGINT NOT NULL DEFAULT 0 CHECK (smm_hours >= 0),
	contributors      INTEGER NOT NULL DEFAULT 0 CHECK (contributors >= 0),
	budget_planned    BIGINT NOT NULL DEFAULT 0 CHECK (budget_planned >= 0),
	budget_committed  BIGINT NOT NULL DEFAULT 0 CHECK (budget_committed >= 0),
	budget_spent      BIGINT NOT NULL DEFAULT 0 CHECK (budget_spent >= 0),
	created_at        BIGINT NOT NULL,
	UNIQUE (plan_objective_id, title)
);

-- KPI targets: medium-term activity, long-term value.
CREATE TABLE kpi_targets (
	id                INTEGER PRIMARY KEY,
	plan_objective_id INTEGER NOT NULL REFERENCES plan_objectives (id),
	horizon           TEXT NOT NULL CHECK (horizon IN ('activity', 'value')),
	metric            TEXT NOT NULL,
	target            BIGINT NOT NULL,
	unit              TEXT NOT NULL DEFAULT '',
	due               TEXT NOT NULL,
	created_at        BIGINT NOT NULL
);
CREATE INDEX kpi_targets_objective ON kpi_targets (plan_objective_id);

-- The alignment matrix: which space serves which plan objective.
CREATE TABLE space_objectives (
	space_id          INTEGER NOT NULL REFERENCES spaces (id),
	plan_objective_id INTEGER NOT NULL REFERENCES plan_objectives (id),
	PRIMARY KEY (space_id, plan_objective_id)
);
CREATE INDEX space_objectives_objective ON space_objectives (plan_objective_id);

-- The center of expertise: value propositions co-built with a unit.
CREATE TABLE offerings (
	id                INTEGER PRIMARY KEY,
	title             TEXT NOT NULL UNIQUE,
	unit_id           INTEGER REFERENCES units (id),
	use_case          TEXT NOT NULL,
	expected_value    TEXT NOT NULL,
	charter_objective TEXT NOT NULL DEFAULT '',
	charter_rules     TEXT NOT NULL DEFAULT '',
	charter_autonomy  TEXT NOT NULL DEFAULT '',
	charter_expected  TEXT NOT NULL DEFAULT '',
	routine_templates TEXT NOT NULL DEFAULT '',
	created_by        INTEGER NOT NULL REFERENCES users (id),
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL
);
CREATE TABLE offering_authors (
	offering_id INTEGER NOT NULL REFERENCES offerings (id),
	user_id     INTEGER NOT NULL REFERENCES users (id),
	PRIMARY KEY (offering_id, user_id)
);

-- A business unit's request for a community, from an offering or from
-- scratch, decided by the community manager.
CREATE TABLE space_requests (
	id           INTEGER PRIMARY KEY,
	offering_id  INTEGER REFERENCES offerings (id),
	unit_id      INTEGER REFERENCES units (id),
	requested_by INTEGER NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	audience     TEXT NOT NULL CHECK (audience IN ('internal', 'external', 'mixed')),
	join_policy  TEXT NOT NULL CHECK (join_policy IN ('open', 'criteria', 'request')),
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
	reason       TEXT NOT NULL DEFAULT '',
	space_id     INTEGER REFERENCES spaces (id),
	decided_by   INTEGER REFERENCES users (id),
	decided_at   BIGINT,
	created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX space_requests_pending_name ON space_requests (name) WHERE status = 'pending';
CREATE INDEX space_requests_status ON space_requests (status, id);

-- Hours per week a social media manager gives each space.
CREATE TABLE smm_allocations (
	user_id    INTEGER NOT NULL REFERENCES users (id),
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	hours      BIGINT NOT NULL CHECK (hours >= 0),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, space_id)
);
-- Hours per week a social media manager has in all (default 35 h).
ALTER TABLE users ADD COLUMN weekly_hours BIGINT NOT NULL DEFAULT 3500;

-- The organization's names for the roles, per language.
CREATE TABLE role_labels (
	role  TEXT NOT NULL,
	lang  TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
	label TEXT NOT NULL,
	PRIMARY KEY (role, lang)
);
