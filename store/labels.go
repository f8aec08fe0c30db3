package store

import (
	"context"

	"relais"
	"relais/events"
)

// RoleLabels returns the organization's own names of the roles, by role
// then language ("fr", "en"); a role or language without one is absent.
func (s *Store) RoleLabels(ctx context.Context) (map[relais.Role]map[string]string, error) {
	out := map[relais.Role]map[string]string{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT role, lang, label FROM role_labels")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var role, lang, label string
			if err := rows.Scan(&role, &lang, &label); err != nil {
				return err
			}
			if out[relais.Role(role)] == nil {
				out[relais.Role(role)] = map[string]string{}
			}
			out[relais.Role(role)][lang] = label
		}
		return rows.Err()
	})
	return out, err
}

// SetRoleLabel gives a role the organization's name in a language ("fr"
// or "en"); an empty label restores Relais's own. The audit trail records
// it in the name of actorID.
func (s *Store) SetRoleLabel(ctx context.Context, actorID int64, role relais.Role, lang, label string) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.RoleLabelChanged, ActorID: actorID})
		var err error
		if label == "" {
			_, err = t.exec("DELETE FROM role_labels WHERE role = ? AND lang = ?", string(role), lang)
		} else {
			_, err = t.exec(`INSERT INTO role_labels (role, lang, label) VALUES (?, ?, ?)
				ON CONFLICT (role, lang) DO UPDATE SET label = excluded.label`, string(role), lang, label)
		}
		if err != nil {
			return err
		}
		return audit(t, actorID, relais.AuditRoleLabelSet, "role", 0, 0, string(role)+" "+lang+": "+label)
	})
}
