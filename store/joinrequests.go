package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

const joinRequestColumns = `jr.id, jr.space_id, s.name, jr.user_id, u.name, jr.charter_version, jr.status, jr.reason,
	jr.created_at, jr.decided_at,
	COALESCE((SELECT a.requester_id FROM approvals a WHERE a.join_request_id = jr.id AND a.status = 'pending'), 0)`

const joinRequestFrom = ` FROM join_requests jr JOIN spaces s ON s.id = jr.space_id JOIN users u ON u.id = jr.user_id`

func scanMembershipRequest(sc interface{ Scan(...any) error }) (*relais.MembershipRequest, error) {
	m := &relais.MembershipRequest{}
	var status string
	var created int64
	var decided sql.NullInt64
	if err := sc.Scan(&m.ID, &m.SpaceID, &m.SpaceName, &m.UserID, &m.UserName, &m.CharterVersion, &status, &m.Reason,
		&created, &decided, &m.WaitingBy); err != nil {
		return nil, err
	}
	m.Waiting = m.WaitingBy != 0
	m.Status, m.CreatedAt = relais.JoinRequestStatus(status), fromMillis(created)
	if decided.Valid {
		d := fromMillis(decided.Int64)
		m.DecidedAt = &d
	}
	return m, nil
}

// MembershipRequestByID returns one request to join.
func (s *Store) MembershipRequestByID(ctx context.Context, id int64) (m *relais.MembershipRequest, err error) {
	err = s.read(ctx, func(t *tx) error {
		m, err = scanMembershipRequest(t.queryRow("SELECT "+joinRequestColumns+joinRequestFrom+" WHERE jr.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Request")
		}
		return err
	})
	return m, err
}

// MembershipRequestFilter selects requests to join, newest first.
type MembershipRequestFilter struct {
	SpaceID int64 // 0: any space
	UserID  int64 // 0: anyone
	Status  relais.JoinRequestStatus
}

// MembershipRequests returns the requests to join that match the filter.
func (s *Store) MembershipRequests(ctx context.Context, f MembershipRequestFilter) ([]*relais.MembershipRequest, error) {
	q, args := "SELECT "+joinRequestColumns+joinRequestFrom+" WHERE 1 = 1", []any{}
	if f.SpaceID != 0 {
		q, args = q+" AND jr.space_id = ?", append(args, f.SpaceID)
	}
	if f.UserID != 0 {
		q, args = q+" AND jr.user_id = ?", append(args, f.UserID)
	}
	if f.Status != "" {
		q, args = q+" AND jr.status = ?", append(args, string(f.Status))
	}
	out := []*relais.MembershipRequest{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q+" ORDER BY jr.id DESC LIMIT 200", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMembershipRequest(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// DecideMembershipRequest approves (the requester becomes a member, having
// accepted the charter version of their request) or refuses a pending
// request to join, with the audit entry, in one transaction. A request
// already decided is a conflict.
func (s *Store) DecideMembershipRequest(ctx context.Context, id, deciderID int64, approve bool, reason string) error {
	return s.write(ctx, func(t *tx) error { return decideMembershipRequest(t, id, deciderID, approve, reason) })
}

func decideMembershipRequest(t *tx, id, deciderID int64, approve bool, reason string) error {
	var spaceID, userID int64
	var version int
	var current string
	err := t.queryRow("SELECT space_id, user_id, charter_version, status FROM join_requests WHERE id = ?", id).
		Scan(&spaceID, &userID, &version, &current)
	if err == sql.ErrNoRows {
		return notFound("Request")
	} else if err != nil {
		return err
	}
	status, action := relais.JoinRefused, relais.AuditJoinRefused
	if approve {
		status, action = relais.JoinApproved, relais.AuditJoinApproved
	}
	now := millis(time.Now())
	// A decision that waited for a mentor on this request has no object
	// any more: close it, so that it leaves the mentor's queue. It comes
	// first: DecideApproval locks the approval, then the request, and
	// taking them in the same order never deadlocks with it.
	if _, err := t.exec(`UPDATE approvals SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?
		WHERE join_request_id = ? AND status = 'pending'`, decidedMeanwhile, nullID(deciderID), now, id); err != nil {
		return err
	}
	res, err := t.exec(`UPDATE join_requests SET status = ?, reason = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND status = 'pending'`, string(status), reason, nullID(deciderID), now, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Another decision won the race: read what it decided.
		if err := t.queryRow("SELECT status FROM join_requests WHERE id = ?", id).Scan(&current); err != nil {
			return err
		}
		return &relais.Error{Code: relais.ECONFLICT, Message: "This request to join was already " + current + ".",
			MessageFR: "Cette demande d'adhésion a déjà été " + map[string]string{"approved": "approuvée", "refused": "refusée"}[current] + "."}
	}
	t.emit(events.Event{Kind: events.JoinDecided, SpaceID: spaceID, ActorID: deciderID, Subject: id})
	kind := relais.NotifyJoinRefused
	if approve {
		t.emit(events.Event{Kind: events.MemberJoined, SpaceID: spaceID, ActorID: deciderID, Subject: userID})
		kind = relais.NotifyJoinApproved
		res, err := t.exec(`INSERT INTO memberships (space_id, user_id, charter_version, joined_at, source) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, spaceID, userID, version, now, relais.SourceRequest)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if err := welcome(t, spaceID, userID); err != nil {
				return err
			}
		}
	}
	if err := notify(t, userID, relais.Notification{Kind: kind, SpaceID: spaceID, ActorID: deciderID, SubjectID: id, Detail: reason}); err != nil {
		return err
	}
	return audit(t, deciderID, action, "join_request", id, spaceID, reason)
}

// decidedMeanwhile is the reason given to a steward in co-pilot whose
// decision waited while someone else decided the request.
const decidedMeanwhile = "Demande tranchée entre-temps par un autre animateur. · The request was decided meanwhile by another steward."

// RequestJoinDecisionApproval files, for a steward in co-pilot, the decision
// they want to make on a request to join, for their mentor to approve. A
// second pending decision on the same request is a conflict.
func (s *Store) RequestJoinDecisionApproval(ctx context.Context, joinRequestID, stewardID int64, approve bool, reason string) (id int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		var spaceID int64
		var status string
		err := t.queryRow("SELECT space_id, status FROM join_requests WHERE id = ?", joinRequestID).Scan(&spaceID, &status)
		if err == sql.ErrNoRows {
			return notFound("Request")
		} else if err != nil {
			return err
		}
		if status != string(relais.JoinPending) {
			return &relais.Error{Code: relais.ECONFLICT, Message: "This request to join was already " + status + ".",
				MessageFR: "Cette demande d'adhésion a déjà été traitée."}
		}
		var waiting int
		if err := t.queryRow("SELECT COUNT(*) FROM approvals WHERE join_request_id = ? AND status = 'pending'", joinRequestID).Scan(&waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return &relais.Error{Code: relais.ECONFLICT, Message: "A decision on this request already waits for a mentor.",
				MessageFR: "Une décision sur cette demande attend déjà un mentor."}
		}
		// The unique index on pending join decisions settles a race between
		// two such calls that both counted none.
		id, err = t.insert(`INSERT INTO approvals (kind, join_request_id, join_approve, join_reason, space_id, requester_id,
			mentor_id, status, created_at) VALUES ('join', ?, ?, ?, ?, ?, (SELECT mentor_id FROM users WHERE id = ?), 'pending', ?)`,
			joinRequestID, approve, reason, spaceID, stewardID, stewardID, millis(time.Now()))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return &relais.Error{Code: relais.ECONFLICT, Message: "A decision on this request already waits for a mentor.",
				MessageFR: "Une décision sur cette demande attend déjà un mentor."}
		} else if err != nil {
			return err
		}
		// Announced as a decision, as when the steward decides directly.
		t.emit(events.Event{Kind: events.JoinDecided, SpaceID: spaceID, ActorID: stewardID, Subject: joinRequestID})
		return notifyMentor(t, id)
	})
	return id, err
}
