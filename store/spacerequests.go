package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"relais"
	"relais/events"
)

const spaceRequestColumns = `r.id, COALESCE(r.offering_id, 0), COALESCE(o.title, ''), COALESCE(r.unit_id, 0), COALESCE(un.name, ''),
	r.requested_by, rq.name, r.name, r.purpose, r.audience, r.join_policy, r.status, r.reason, COALESCE(r.space_id, 0),
	COALESCE(sp.name, ''), COALESCE(r.decided_by, 0), COALESCE(d.name, ''), r.decided_at, r.created_at`

const spaceRequestFrom = ` FROM space_requests r JOIN users rq ON rq.id = r.requested_by
	LEFT JOIN offerings o ON o.id = r.offering_id LEFT JOIN units un ON un.id = r.unit_id
	LEFT JOIN spaces sp ON sp.id = r.space_id LEFT JOIN users d ON d.id = r.decided_by`

func scanSpaceRequest(sc interface{ Scan(...any) error }) (*relais.SpaceRequest, error) {
	r := &relais.SpaceRequest{}
	var audience, policy, status string
	var decided sql.NullInt64
	var created int64
	if err := sc.Scan(&r.ID, &r.OfferingID, &r.OfferingTitle, &r.UnitID, &r.UnitName, &r.RequestedBy, &r.RequesterName,
		&r.Name, &r.Purpose, &audience, &policy, &status, &r.Reason, &r.SpaceID, &r.SpaceName, &r.DecidedBy, &r.DeciderName,
		&decided, &created); err != nil {
		return nil, err
	}
	r.Audience, r.JoinPolicy, r.Status = relais.Audience(audience), relais.JoinPolicy(policy), relais.SpaceRequestStatus(status)
	r.CreatedAt = fromMillis(created)
	if decided.Valid {
		at := fromMillis(decided.Int64)
		r.DecidedAt = &at
	}
	return r, nil
}

func spaceRequestNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Space request not found.", MessageFR: "Demande d'espace introuvable."}
}

// checkSpaceName refuses a name a space or a pending request already
// holds, whatever its case.
func checkSpaceName(t *tx, name string) error {
	var n int
	if err := t.queryRow("SELECT COUNT(*) FROM spaces WHERE LOWER(name) = LOWER(?)", name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &relais.Error{Code: relais.ECONFLICT, Field: "name", Message: "A space named " + name + " already exists.",
			MessageFR: "Un espace nommé " + name + " existe déjà."}
	}
	if err := t.queryRow("SELECT COUNT(*) FROM space_requests WHERE status = 'pending' AND LOWER(name) = LOWER(?)", name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return pendingNameTaken(name)
	}
	return nil
}

func pendingNameTaken(name string) error {
	return &relais.Error{Code: relais.ECONFLICT, Field: "name", Message: "A request for a space named " + name + " is already waiting for a decision.",
		MessageFR: "Une demande d'espace nommé " + name + " attend déjà une décision."}
}

// CreateSpaceRequest files a request for a new community and tells the
// community managers. A name held by a space or a pending request is a
// conflict; an unknown offering or unit is not found.
func (s *Store) CreateSpaceRequest(ctx context.Context, r *relais.SpaceRequest) error {
	stamp(&r.CreatedAt)
	r.Status = relais.SpaceRequestPending
	return s.write(ctx, func(t *tx) (err error) {
		if err := checkSpaceName(t, r.Name); err != nil {
			return err
		}
		var one int
		if r.OfferingID != 0 {
			if err := t.queryRow("SELECT 1 FROM offerings WHERE id = ?", r.OfferingID).Scan(&one); err == sql.ErrNoRows {
				return &relais.Error{Code: relais.ENOTFOUND, Field: "offering_id", Message: "Offering not found.", MessageFR: "Proposition de valeur introuvable."}
			} else if err != nil {
				return err
			}
		}
		if r.UnitID != 0 {
			if err := t.queryRow("SELECT 1 FROM units WHERE id = ?", r.UnitID).Scan(&one); err == sql.ErrNoRows {
				return &relais.Error{Code: relais.ENOTFOUND, Field: "unit_id", Message: "Unit not found.", MessageFR: "Unité introuvable."}
			} else if err != nil {
				return err
			}
		}
		r.ID, err = t.insert(`INSERT INTO space_requests (offering_id, unit_id, requested_by, name, purpose, audience, join_policy,
			status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
			nullID(r.OfferingID), nullID(r.UnitID), r.RequestedBy, r.Name, r.Purpose, string(r.Audience), string(r.JoinPolicy),
			millis(r.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return pendingNameTaken(r.Name)
		} else if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.SpaceRequested, ActorID: r.RequestedBy, Subject: r.ID})
		return insertNotifications(t, `INSERT INTO notifications (user_id, kind, actor_id, subject_id, detail, created_at)
			SELECT ur.user_id, ?, ?, ?, ?, ? FROM user_roles ur JOIN users u ON u.id = ur.user_id
			WHERE ur.role = 'community_manager' AND u.active AND u.employment = 'internal' AND u.id <> ?`,
			relais.NotifySpaceRequested, r.RequestedBy, r.ID, r.Name, millis(r.CreatedAt), r.RequestedBy)
	})
}

func spaceRequestByID(t *tx, id int64) (*relais.SpaceRequest, error) {
	r, err := scanSpaceRequest(t.queryRow("SELECT "+spaceRequestColumns+spaceRequestFrom+" WHERE r.id = ?", id))
	if err == sql.ErrNoRows {
		return nil, spaceRequestNotFound()
	} else if err != nil {
		return nil, err
	}
	if r.SpaceID != 0 {
		rows, err := t.query("SELECT plan_objective_id FROM space_objectives WHERE space_id = ? ORDER BY plan_objective_id", r.SpaceID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var oid int64
			if err := rows.Scan(&oid); err != nil {
				return nil, err
			}
			r.ObjectiveIDs = append(r.ObjectiveIDs, oid)
		}
		return r, rows.Err()
	}
	return r, nil
}

// SpaceRequestByID returns one space request; an approved one with the
// plan objectives its community serves.
func (s *Store) SpaceRequestByID(ctx context.Context, id int64) (r *relais.SpaceRequest, err error) {
	err = s.read(ctx, func(t *tx) error { r, err = spaceRequestByID(t, id); return err })
	return r, err
}

// SpaceRequestFilter selects space requests.
type SpaceRequestFilter struct {
	RequestedBy int64                     // 0: anyone's
	Status      relais.SpaceRequestStatus // "": any
}

// SpaceRequests returns the space requests of a filter, newest first.
func (s *Store) SpaceRequests(ctx context.Context, f SpaceRequestFilter) ([]*relais.SpaceRequest, error) {
	q, args := "SELECT "+spaceRequestColumns+spaceRequestFrom+" WHERE 1 = 1", []any{}
	if f.RequestedBy != 0 {
		q, args = q+" AND r.requested_by = ?", append(args, f.RequestedBy)
	}
	if f.Status != "" {
		q, args = q+" AND r.status = ?", append(args, string(f.Status))
	}
	out := []*relais.SpaceRequest{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q+" ORDER BY r.id DESC LIMIT 500", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanSpaceRequest(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// decideSpaceRequest moves a pending request to its decision, or says why
// it cannot: unknown, or decided already.
func decideSpaceRequest(t *tx, id, actorID int64, status relais.SpaceRequestStatus, reason string, at time.Time) error {
	res, err := t.exec(`UPDATE space_requests SET status = ?, reason = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND status = 'pending'`, string(status), reason, actorID, millis(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var current string
	if err := t.queryRow("SELECT status FROM space_requests WHERE id = ?", id).Scan(&current); err == sql.ErrNoRows {
		return spaceRequestNotFound()
	} else if err != nil {
		return err
	}
	if current == string(relais.SpaceRequestApproved) {
		return conflict("This request was approved already: its community exists.", "Cette demande a déjà été approuvée : sa communauté existe.")
	}
	return conflict("This request was refused: a refusal is final.", "Cette demande a été refusée : un refus est définitif.")
}

// SpaceApproval is what the community manager decides for a request: the
// community to create, its first charter, its steward and the plan
// objectives it serves.
type SpaceApproval struct {
	RequestID    int64
	ActorID      int64
	Space        *relais.Space
	Charter      *relais.Charter
	StewardID    int64
	ObjectiveIDs []int64
}

// ApproveSpaceRequest creates the community of a pending request with its
// first charter and its steward, aligns it with plan objectives, marks the
// request approved and tells the requester, in one transaction. A request
// decided already is a conflict; an unknown plan objective is not found.
func (s *Store) ApproveSpaceRequest(ctx context.Context, a SpaceApproval) error {
	sp := a.Space
	stamp(&sp.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		if err := decideSpaceRequest(t, a.RequestID, a.ActorID, relais.SpaceRequestApproved, "", sp.CreatedAt); err != nil {
			return err
		}
		var n int
		if err := t.queryRow("SELECT COUNT(*) FROM spaces WHERE LOWER(name) = LOWER(?)", sp.Name).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return &relais.Error{Code: relais.ECONFLICT, Field: "name", Message: "A space named " + sp.Name + " was created since the request: refuse it, or ask for another name.",
				MessageFR: "Un espace nommé " + sp.Name + " a été créé depuis la demande : refusez-la, ou demandez un autre nom."}
		}
		for _, oid := range a.ObjectiveIDs {
			var one int
			if err := t.queryRow("SELECT 1 FROM plan_objectives WHERE id = ?", oid).Scan(&one); err == sql.ErrNoRows {
				id := strconv.FormatInt(oid, 10)
				return &relais.Error{Code: relais.ENOTFOUND, Field: "plan_objective_ids", Message: "No plan objective " + id + ".",
					MessageFR: "Aucun objectif du plan " + id + "."}
			} else if err != nil {
				return err
			}
		}
		sp.ID, err = t.insert(`INSERT INTO spaces (name, description, kind, audience, join_policy, join_criteria,
			flow, team_id, sponsor_unit_id, created_at) VALUES (?, ?, ?, ?, ?, '', ?, NULL, ?, ?)`,
			sp.Name, sp.Description, string(sp.Kind), string(sp.Audience), string(sp.JoinPolicy),
			string(sp.Flow), nullID(sp.SponsorUnitID), millis(sp.CreatedAt))
		if err != nil {
			return err
		}
		c := a.Charter
		c.SpaceID, c.Version, c.CreatedAt = sp.ID, 1, sp.CreatedAt
		if err := insertCharter(t, c, a.ActorID); err != nil {
			return err
		}
		sp.Charter = c
		if _, err := t.exec("INSERT INTO space_stewards (space_id, user_id) VALUES (?, ?)", sp.ID, a.StewardID); err != nil {
			return err
		}
		for _, oid := range a.ObjectiveIDs {
			if _, err := t.exec("INSERT INTO space_objectives (space_id, plan_objective_id) VALUES (?, ?) ON CONFLICT DO NOTHING", sp.ID, oid); err != nil {
				return err
			}
		}
		if _, err := t.exec("UPDATE space_requests SET space_id = ? WHERE id = ?", sp.ID, a.RequestID); err != nil {
			return err
		}
		var requester int64
		if err := t.queryRow("SELECT requested_by FROM space_requests WHERE id = ?", a.RequestID).Scan(&requester); err != nil {
			return err
		}
		for _, e := range []struct {
			action, kind string
			subject      int64
			detail       string
		}{
			{relais.AuditSpaceCreated, "space", sp.ID, sp.Name},
			{relais.AuditStewardAssigned, "user", a.StewardID, ""},
			{relais.AuditSpaceRequestApproved, "space_request", a.RequestID, sp.Name},
		} {
			if err := audit(t, a.ActorID, e.action, e.kind, e.subject, sp.ID, e.detail); err != nil {
				return err
			}
		}
		t.emit(events.Event{Kind: events.SpaceCreated, SpaceID: sp.ID, ActorID: a.ActorID, Subject: sp.ID})
		t.emit(events.Event{Kind: events.StewardChanged, SpaceID: sp.ID, ActorID: a.ActorID, Subject: a.StewardID})
		t.emit(events.Event{Kind: events.SpaceRequestDecided, SpaceID: sp.ID, ActorID: a.ActorID, Subject: a.RequestID})
		return notify(t, requester, relais.Notification{Kind: relais.NotifySpaceRequestApproved, SpaceID: sp.ID, ActorID: a.ActorID,
			SubjectID: a.RequestID, Detail: sp.Name})
	})
}

// RefuseSpaceRequest refuses a pending request with the reason its
// requester reads, and tells them. A request decided already is a
// conflict.
func (s *Store) RefuseSpaceRequest(ctx context.Context, id, actorID int64, reason string) error {
	return s.write(ctx, func(t *tx) error {
		if err := decideSpaceRequest(t, id, actorID, relais.SpaceRequestRefused, reason, time.Now()); err != nil {
			return err
		}
		var requester int64
		var name string
		if err := t.queryRow("SELECT requested_by, name FROM space_requests WHERE id = ?", id).Scan(&requester, &name); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.SpaceRequestDecided, ActorID: actorID, Subject: id})
		if err := audit(t, actorID, relais.AuditSpaceRequestRefused, "space_request", id, 0, name+": "+reason); err != nil {
			return err
		}
		return notify(t, requester, relais.Notification{Kind: relais.NotifySpaceRequestRefused, ActorID: actorID, SubjectID: id, Detail: reason})
	})
}

// MemberOverlap counts the likely members of a new community and, per
// community, how many of them already belong to it (as member or
// steward). The likely members are the active people of unitID, or the
// requester alone when there is no unit. Team spaces are not counted.
func (s *Store) MemberOverlap(ctx context.Context, unitID, requesterID int64) (likely int, shared map[int64]int, err error) {
	shared = map[int64]int{}
	err = s.read(ctx, func(t *tx) error {
		people, arg := "SELECT id FROM users WHERE active AND unit_id = ?", unitID
		if unitID == 0 {
			people, arg = "SELECT id FROM users WHERE id = ?", requesterID
		}
		if err := t.queryRow("SELECT COUNT(*) FROM ("+people+") p", arg).Scan(&likely); err != nil {
			return err
		}
		rows, err := t.query(`SELECT m.space_id, COUNT(DISTINCT m.user_id) FROM (
				SELECT space_id, user_id FROM memberships UNION SELECT space_id, user_id FROM space_stewards) m
			JOIN spaces s ON s.id = m.space_id AND s.kind = 'community'
			WHERE m.user_id IN (`+people+`) GROUP BY m.space_id`, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			shared[id] = n
		}
		return rows.Err()
	})
	return likely, shared, err
}

// ObjectiveOptions returns the plan objectives a community may be aligned
// with, by title.
func (s *Store) ObjectiveOptions(ctx context.Context) ([]relais.ObjectiveOption, error) {
	out := []relais.ObjectiveOption{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, title FROM plan_objectives ORDER BY title, id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o relais.ObjectiveOption
			if err := rows.Scan(&o.ID, &o.Title); err != nil {
				return err
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}
