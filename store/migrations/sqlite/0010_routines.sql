-- Routines: usage scenarios a team's manager runs in the team space
-- (weekly priorities, daily check-in, problem → solution, best practice of
-- the week, decision log, retrospective). A routine posts its prompt on its
-- schedule; members answer it with the template's structured fields.
--
-- schedule is the routine's rule ("weekly mon 09:00", "daily 09:00",
-- "weekdays 09:00", "monthly 1 09:00") read in time_zone; next_run_at is the
-- next instant (milliseconds, UTC) a prompt is due, NULL while paused.
-- replaces names the existing practice the routine replaces (the weekly
-- status e-mail, the Monday meeting). fields is the JSON list of the
-- structured fields members fill in, title and prompt the text posted, in
-- the language lang ('fr' or 'en'); kind is the kind of the threads its
-- prompts open. pause_reason says why a routine paused by itself (its team
-- has no manager any more).
CREATE TABLE routines (
	id          INTEGER PRIMARY KEY,
	space_id    INTEGER NOT NULL REFERENCES spaces (id),
	template    TEXT NOT NULL,
	lang        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL,
	prompt      TEXT NOT NULL,
	fields      TEXT NOT NULL,
	schedule    TEXT NOT NULL,
	time_zone   TEXT NOT NULL,
	replaces    TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL CHECK (status IN ('active', 'paused')),
	pause_reason TEXT NOT NULL DEFAULT '',
	next_run_at BIGINT,
	created_by  INTEGER NOT NULL REFERENCES users (id),
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX routines_space ON routines (space_id, id);
CREATE INDEX routines_due ON routines (next_run_at) WHERE status = 'active';

-- One row per prompt posted: (routine, due instant) is unique, so a prompt
-- is posted exactly once whatever the number of nodes or restarts.
CREATE TABLE routine_runs (
	routine_id INTEGER NOT NULL REFERENCES routines (id),
	due_at     BIGINT NOT NULL,
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	posted_at  BIGINT NOT NULL,
	PRIMARY KEY (routine_id, due_at)
);
CREATE UNIQUE INDEX routine_runs_post ON routine_runs (post_id);

-- The structured answer of a reply to a routine's prompt: the JSON object
-- of the template's fields.
CREATE TABLE routine_answers (
	reply_id   INTEGER PRIMARY KEY REFERENCES replies (id),
	routine_id INTEGER NOT NULL REFERENCES routines (id),
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	fields     TEXT NOT NULL
);
CREATE INDEX routine_answers_post ON routine_answers (post_id);
