package store

import (
	"context"
	"time"

	"relais"
)

// audit records a governance action in the transaction that performs it,
// so that the trail holds exactly what happened.
func audit(t *tx, actorID int64, action, subjectKind string, subjectID, spaceID int64, detail string) error {
	_, err := t.exec(`INSERT INTO audit_log (at, actor_id, action, subject_kind, subject_id, space_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, millis(time.Now()), nullID(actorID), action, subjectKind, subjectID, nullID(spaceID), detail)
	return err
}

// AuditFilter selects a page of the audit trail, newest first.
type AuditFilter struct {
	BeforeID int64
	Limit    int
}

// Audit returns a page of the audit trail, newest first.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]relais.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q, args := `SELECT a.id, a.at, COALESCE(a.actor_id, 0), COALESCE(u.name, ''), a.action, a.subject_kind, a.subject_id,
		COALESCE(a.space_id, 0), a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id`, []any{}
	if f.BeforeID > 0 {
		q, args = q+" WHERE a.id < ?", append(args, f.BeforeID)
	}
	q, args = q+" ORDER BY a.id DESC LIMIT ?", append(args, f.Limit)
	out := []relais.AuditEntry{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e relais.AuditEntry
			var at int64
			if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectKind, &e.SubjectID, &e.SpaceID, &e.Detail); err != nil {
				return err
			}
			e.At = fromMillis(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
