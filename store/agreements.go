package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

const agreementColumns = `a.id, a.user_id, u.login, u.name, a.space_id, s.name, a.manager_id, mg.name, a.hours_per_week, a.role, a.note,
	a.status, a.reason, a.created_at, a.decided_at, COALESCE(a.decided_by, 0), COALESCE(d.name, '')
	FROM contribution_agreements a JOIN users u ON u.id = a.user_id JOIN spaces s ON s.id = a.space_id
	JOIN users mg ON mg.id = a.manager_id LEFT JOIN users d ON d.id = a.decided_by`

func scanAgreement(sc interface{ Scan(...any) error }) (*relais.Agreement, error) {
	a := &relais.Agreement{}
	var status string
	var created int64
	var decided sql.NullInt64
	if err := sc.Scan(&a.ID, &a.UserID, &a.UserLogin, &a.UserName, &a.SpaceID, &a.SpaceName, &a.ManagerID, &a.ManagerName,
		&a.Hours, &a.Role, &a.Note, &status, &a.Reason, &created, &decided, &a.DecidedBy, &a.DeciderName); err != nil {
		return nil, err
	}
	a.Status, a.CreatedAt = relais.AgreementStatus(status), fromMillis(created)
	if decided.Valid {
		at := fromMillis(decided.Int64)
		a.DecidedAt = &at
	}
	return a, nil
}

func agreementByID(t *tx, id int64) (*relais.Agreement, error) {
	a, err := scanAgreement(t.queryRow("SELECT "+agreementColumns+" WHERE a.id = ?", id))
	if err == sql.ErrNoRows {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Contribution agreement not found.", MessageFR: "Accord de contribution introuvable."}
	}
	return a, err
}

// AgreementByID returns one contribution agreement.
func (s *Store) AgreementByID(ctx context.Context, id int64) (a *relais.Agreement, err error) {
	err = s.read(ctx, func(t *tx) error { a, err = agreementByID(t, id); return err })
	return a, err
}

// ManagerOf returns the manager of a person in the directory: the manager
// of a team they belong to (other than themselves), the first team by
// name; 0 when they have none.
func (s *Store) ManagerOf(ctx context.Context, userID int64) (managerID int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow(`SELECT tt.manager_id FROM team_members tm JOIN teams tt ON tt.id = tm.team_id
			JOIN users m ON m.id = tt.manager_id AND m.active = ?
			WHERE tm.user_id = ? AND tt.manager_id <> ? ORDER BY tt.name, tt.id LIMIT 1`, true, userID, userID).Scan(&managerID)
		if err == sql.ErrNoRows {
			return nil
		}
		return err
	})
	return managerID, err
}

// Manages reports whether managerID manages userID in the directory: they
// lead a team the person belongs to.
func (s *Store) Manages(ctx context.Context, managerID, userID int64) (ok bool, err error) {
	if managerID == userID {
		return false, nil
	}
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow(`SELECT EXISTS (SELECT 1 FROM team_members tm JOIN teams tt ON tt.id = tm.team_id
			WHERE tm.user_id = ? AND tt.manager_id = ?)`, userID, managerID).Scan(&ok)
	})
	return ok, err
}

// CreateAgreement files a proposed contribution agreement, tells the
// manager and records it in the audit trail, in one transaction. A second
// live (proposed or approved) agreement of the same person for the same
// community is a conflict.
func (s *Store) CreateAgreement(ctx context.Context, a *relais.Agreement) error {
	stamp(&a.CreatedAt)
	return s.write(ctx, func(t *tx) error {
		id, err := t.insert(`INSERT INTO contribution_agreements (user_id, space_id, manager_id, hours_per_week, role, note, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.UserID, a.SpaceID, a.ManagerID, int64(a.Hours), a.Role, a.Note,
			string(relais.AgreementProposed), millis(a.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return conflict("You already have a proposed or approved agreement for this community: withdraw it first.",
				"Vous avez déjà un accord proposé ou approuvé pour cette communauté : retirez-le d'abord.")
		} else if err != nil {
			return err
		}
		got, err := agreementByID(t, id)
		if err != nil {
			return err
		}
		*a = *got
		// An agreement concerns two people and no space.
		t.emit(events.Event{Kind: events.AgreementChanged, ActorID: a.UserID, Subject: a.ID, UserID: a.ManagerID})
		if err := notify(t, a.ManagerID, relais.Notification{Kind: relais.NotifyAgreementProposed, SpaceID: a.SpaceID,
			ActorID: a.UserID, SubjectID: a.ID, Detail: a.Hours.String() + " h"}); err != nil {
			return err
		}
		return audit(t, a.UserID, relais.AuditAgreementProposed, "agreement", a.ID, a.SpaceID, a.Hours.String()+" h, "+a.Role)
	})
}

// AgreementFilter selects contribution agreements.
type AgreementFilter struct {
	// UserID: the person's own agreements; ManagerID: those of the people
	// they manage in the directory (whoever was asked at the time).
	UserID    int64
	ManagerID int64
	Status    relais.AgreementStatus
}

// Agreements returns contribution agreements, newest first.
func (s *Store) Agreements(ctx context.Context, f AgreementFilter) ([]*relais.Agreement, error) {
	q, args := "SELECT "+agreementColumns+" WHERE 1 = 1", []any{}
	if f.UserID != 0 {
		q, args = q+" AND a.user_id = ?", append(args, f.UserID)
	}
	if f.ManagerID != 0 {
		q, args = q+` AND a.user_id <> ? AND EXISTS (SELECT 1 FROM team_members tm JOIN teams tt ON tt.id = tm.team_id
			WHERE tm.user_id = a.user_id AND tt.manager_id = ?)`, append(args, f.ManagerID, f.ManagerID)
	}
	if f.Status != "" {
		q, args = q+" AND a.status = ?", append(args, string(f.Status))
	}
	q += " ORDER BY a.id DESC LIMIT 500"
	out := []*relais.Agreement{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAgreement(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// DecideAgreement approves or declines a proposed agreement in the name
// of the person's manager, and tells the person, in one transaction. An
// agreement no longer proposed is a conflict.
func (s *Store) DecideAgreement(ctx context.Context, id, managerID int64, approve bool, reason string) error {
	status, kind := relais.AgreementApproved, relais.NotifyAgreementApproved
	if !approve {
		status, kind = relais.AgreementDeclined, relais.NotifyAgreementDeclined
	}
	return s.write(ctx, func(t *tx) error {
		a, err := agreementByID(t, id)
		if err != nil {
			return err
		}
		res, err := t.exec(`UPDATE contribution_agreements SET status = ?, reason = ?, decided_at = ?, decided_by = ?
			WHERE id = ? AND status = ?`, string(status), reason, millis(time.Now()), managerID, id, string(relais.AgreementProposed))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This agreement is no longer waiting for a decision.", "Cet accord n'attend plus de décision.")
		}
		t.emit(events.Event{Kind: events.AgreementChanged, ActorID: managerID, Subject: a.ID, UserID: a.UserID})
		if err := notify(t, a.UserID, relais.Notification{Kind: kind, SpaceID: a.SpaceID, ActorID: managerID,
			SubjectID: a.ID, Detail: reason}); err != nil {
			return err
		}
		return audit(t, managerID, relais.AuditAgreementDecided, "agreement", a.ID, a.SpaceID, string(status)+", "+a.Hours.String()+" h")
	})
}

// WithdrawAgreement withdraws a proposed or approved agreement in the
// person's name and tells the manager who was asked.
func (s *Store) WithdrawAgreement(ctx context.Context, id, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		a, err := agreementByID(t, id)
		if err != nil {
			return err
		}
		res, err := t.exec(`UPDATE contribution_agreements SET status = ?, decided_at = ?, decided_by = ?
			WHERE id = ? AND status IN (?, ?)`, string(relais.AgreementWithdrawn), millis(time.Now()), userID, id,
			string(relais.AgreementProposed), string(relais.AgreementApproved))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This agreement is already declined or withdrawn.", "Cet accord est déjà refusé ou retiré.")
		}
		manager := a.ManagerID
		if a.DecidedBy != 0 {
			manager = a.DecidedBy
		}
		t.emit(events.Event{Kind: events.AgreementChanged, ActorID: userID, Subject: a.ID, UserID: manager})
		return notify(t, manager, relais.Notification{Kind: relais.NotifyAgreementWithdrawn, SpaceID: a.SpaceID,
			ActorID: userID, SubjectID: a.ID, Detail: a.Hours.String() + " h"})
	})
}

// capacityAgreements returns the approved agreements per community, with
// their totals and the hours active social media managers give each one.
// It reads nothing of anyone's activity.
func capacityAgreements(t *tx) ([]relais.SpaceAgreements, error) {
	rows, err := t.query(`SELECT a.id, a.space_id, s.name, a.user_id, u.name, a.hours_per_week, a.role
		FROM contribution_agreements a JOIN spaces s ON s.id = a.space_id JOIN users u ON u.id = a.user_id AND u.active = ?
		WHERE a.status = ? ORDER BY s.name, s.id, u.name, a.id`, true, string(relais.AgreementApproved))
	if err != nil {
		return nil, err
	}
	out := []relais.SpaceAgreements{}
	for rows.Next() {
		var g relais.AgreedTime
		var spaceID int64
		var spaceName string
		if err := rows.Scan(&g.AgreementID, &spaceID, &spaceName, &g.UserID, &g.Name, &g.Hours, &g.Role); err != nil {
			rows.Close()
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].SpaceID != spaceID {
			out = append(out, relais.SpaceAgreements{SpaceID: spaceID, SpaceName: spaceName, Agreements: []relais.AgreedTime{}})
		}
		sa := &out[len(out)-1]
		sa.Agreements = append(sa.Agreements, g)
		sa.Hours += g.Hours
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := t.queryRow(`SELECT CAST(COALESCE(SUM(a.hours), 0) AS BIGINT) FROM smm_allocations a JOIN users u ON u.id = a.user_id AND u.active = ?
			JOIN user_roles r ON r.user_id = a.user_id AND r.role = ? WHERE a.space_id = ?`,
			true, string(relais.RoleSocialMediaManager), out[i].SpaceID).Scan(&out[i].SMMHours); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RecordAgreement writes an agreement as it already stands (its status,
// decision and dates), telling no one: history brought in, as the demo's.
func (s *Store) RecordAgreement(ctx context.Context, a *relais.Agreement) error {
	stamp(&a.CreatedAt)
	var decidedAt any
	if a.DecidedAt != nil {
		decidedAt = millis(*a.DecidedAt)
	}
	return s.write(ctx, func(t *tx) error {
		id, err := t.insert(`INSERT INTO contribution_agreements (user_id, space_id, manager_id, hours_per_week, role, note, status,
			reason, created_at, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.UserID, a.SpaceID, a.ManagerID, int64(a.Hours), a.Role, a.Note, string(a.Status), a.Reason,
			millis(a.CreatedAt), decidedAt, nullID(a.DecidedBy))
		if err != nil {
			return err
		}
		got, err := agreementByID(t, id)
		if err == nil {
			*a = *got
		}
		return err
	})
}
