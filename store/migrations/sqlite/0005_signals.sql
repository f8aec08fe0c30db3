-- From conversation to decision: signals routed to whoever decides,
-- escalations, monthly reports, outbound webhooks and e-mail, all written
-- in the transaction of what they tell (an outbox), so nothing is lost.

-- The head of a unit owns the signals routed to it and sponsors its spaces.
ALTER TABLE units ADD COLUMN head_id INTEGER REFERENCES users (id);
-- A removed member's arrival stays counted in the join funnel.
ALTER TABLE member_removals ADD COLUMN joined_at BIGINT;
ALTER TABLE member_removals ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- Days an owner has to answer a signal before it is stale.
ALTER TABLE spaces ADD COLUMN signal_deadline_days INTEGER NOT NULL DEFAULT 14;

CREATE TABLE signals (
	id            INTEGER PRIMARY KEY,
	space_id      INTEGER NOT NULL REFERENCES spaces (id),
	post_id       INTEGER NOT NULL REFERENCES posts (id),
	raised_by     INTEGER NOT NULL REFERENCES users (id),
	owner_user_id INTEGER REFERENCES users (id),
	owner_unit_id INTEGER REFERENCES units (id),
	summary       TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'accepted', 'rejected', 'planned', 'done')),
	decision      TEXT NOT NULL DEFAULT '',
	decided_by    INTEGER REFERENCES users (id),
	decided_at    BIGINT,
	due_at        BIGINT NOT NULL,
	stale_at      BIGINT,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	CHECK ((owner_user_id IS NULL) <> (owner_unit_id IS NULL))
);
CREATE INDEX signals_post ON signals (post_id);
CREATE INDEX signals_owner_user ON signals (owner_user_id, status);
CREATE INDEX signals_owner_unit ON signals (owner_unit_id, status);
CREATE INDEX signals_space ON signals (space_id, created_at);
CREATE INDEX signals_due ON signals (due_at) WHERE stale_at IS NULL AND status IN ('new', 'acknowledged');

-- Every change of a signal's status, with the note that came with it.
CREATE TABLE signal_history (
	id        INTEGER PRIMARY KEY,
	signal_id INTEGER NOT NULL REFERENCES signals (id),
	actor_id  INTEGER REFERENCES users (id),
	status    TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	at        BIGINT NOT NULL
);
CREATE INDEX signal_history_signal ON signal_history (signal_id, id);

-- A participant's suggestion that the stewards raise a signal.
CREATE TABLE signal_suggestions (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	note       TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('open', 'raised', 'dismissed')),
	signal_id  INTEGER REFERENCES signals (id),
	created_at BIGINT NOT NULL,
	handled_by INTEGER REFERENCES users (id),
	handled_at BIGINT
);
CREATE UNIQUE INDEX signal_suggestions_open ON signal_suggestions (post_id, user_id) WHERE status = 'open';
CREATE INDEX signal_suggestions_space ON signal_suggestions (space_id, status);

CREATE TABLE escalations (
	id          INTEGER PRIMARY KEY,
	space_id    INTEGER NOT NULL REFERENCES spaces (id),
	post_id     INTEGER REFERENCES posts (id),
	raised_by   INTEGER NOT NULL REFERENCES users (id),
	assignee_id INTEGER NOT NULL REFERENCES users (id),
	severity    TEXT NOT NULL CHECK (severity IN ('low', 'high', 'critical')),
	summary     TEXT NOT NULL,
	deadline_at BIGINT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
	resolution  TEXT NOT NULL DEFAULT '',
	resolved_by INTEGER REFERENCES users (id),
	resolved_at BIGINT,
	created_at  BIGINT NOT NULL
);
CREATE INDEX escalations_assignee ON escalations (assignee_id, status);
CREATE INDEX escalations_status ON escalations (status, deadline_at);

-- The steward's own words for a report, per space and month (YYYY-MM).
CREATE TABLE report_narratives (
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	period     TEXT NOT NULL,
	narrative  TEXT NOT NULL,
	author_id  INTEGER NOT NULL REFERENCES users (id),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (space_id, period)
);
-- Monthly reports delivered, once per space and month.
CREATE TABLE report_deliveries (
	space_id     INTEGER NOT NULL REFERENCES spaces (id),
	period       TEXT NOT NULL,
	delivered_at BIGINT NOT NULL,
	PRIMARY KEY (space_id, period)
);

CREATE TABLE webhooks (
	id         INTEGER PRIMARY KEY,
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL,
	events     TEXT NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL
);

-- The outbox of webhook deliveries: enqueued with the event, retried with
-- backoff until delivered or given up.
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
	event           TEXT NOT NULL,
	payload         TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

-- The outbox of e-mail, sent when SMTP is configured.
CREATE TABLE email_outbox (
	id              INTEGER PRIMARY KEY,
	to_addr         TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	sent_at         BIGINT
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';
