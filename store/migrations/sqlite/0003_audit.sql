-- The audit trail of governance actions: who did what, to what, when.
CREATE TABLE audit_log (
	id           INTEGER PRIMARY KEY,
	at           BIGINT NOT NULL,
	actor_id     INTEGER REFERENCES users (id),
	action       TEXT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject_id   INTEGER NOT NULL,
	space_id     INTEGER REFERENCES spaces (id),
	detail       TEXT NOT NULL DEFAULT ''
);
