package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
)

// requestApproval files the approval request for content that waits for
// the author's mentor, in the transaction that created it.
func requestApproval(t *tx, kind string, postID, replyID, spaceID, authorID int64, at time.Time) error {
	_, err := t.exec(`INSERT INTO approvals (kind, post_id, reply_id, space_id, requester_id, mentor_id, status, created_at)
		VALUES (?, ?, ?, ?, ?, (SELECT mentor_id FROM users WHERE id = ?), 'pending', ?)`,
		kind, postID, nullID(replyID), spaceID, authorID, authorID, millis(at))
	return err
}

const approvalColumns = `a.id, a.kind, COALESCE(a.post_id, 0), COALESCE(a.reply_id, 0), a.space_id, s.name,
	COALESCE(p.title, ''), COALESCE(r.body, p.body, ''), a.requester_id, u.name, COALESCE(a.mentor_id, 0), a.status,
	a.reason, COALESCE(a.decided_by, 0), a.created_at, a.decided_at,
	COALESCE(a.join_request_id, 0), COALESCE(ju.name, ''), COALESCE(a.join_approve, FALSE), a.join_reason`

const approvalFrom = ` FROM approvals a
	JOIN spaces s ON s.id = a.space_id
	LEFT JOIN posts p ON p.id = a.post_id
	LEFT JOIN replies r ON r.id = a.reply_id
	LEFT JOIN join_requests jr ON jr.id = a.join_request_id
	LEFT JOIN users ju ON ju.id = jr.user_id
	JOIN users u ON u.id = a.requester_id`

func scanApproval(sc interface{ Scan(...any) error }) (*relais.Approval, error) {
	a := &relais.Approval{}
	var status string
	var created int64
	var decided sql.NullInt64
	err := sc.Scan(&a.ID, &a.Kind, &a.PostID, &a.ReplyID, &a.SpaceID, &a.SpaceName, &a.PostTitle, &a.Body,
		&a.RequesterID, &a.RequesterName, &a.MentorID, &status, &a.Reason, &a.DecidedBy, &created, &decided,
		&a.JoinRequestID, &a.JoinUserName, &a.JoinApprove, &a.JoinReason)
	if err != nil {
		return nil, err
	}
	a.Status, a.CreatedAt = relais.ApprovalStatus(status), fromMillis(created)
	if decided.Valid {
		d := fromMillis(decided.Int64)
		a.DecidedAt = &d
	}
	return a, nil
}

// ApprovalByID returns one approval request.
func (s *Store) ApprovalByID(ctx context.Context, id int64) (a *relais.Approval, err error) {
	err = s.read(ctx, func(t *tx) error {
		a, err = scanApproval(t.queryRow("SELECT "+approvalColumns+approvalFrom+" WHERE a.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Approval")
		}
		return err
	})
	return a, err
}

// ApprovalFilter selects approval requests, newest first.
type ApprovalFilter struct {
	MentorID    int64 // requests this mentor decides (0: any)
	RequesterID int64 // requests of this author (0: any)
	Status      relais.ApprovalStatus
	Limit       int
}

// Approvals returns the approval requests that match the filter.
func (s *Store) Approvals(ctx context.Context, f ApprovalFilter) ([]*relais.Approval, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 100
	}
	q, args := "SELECT "+approvalColumns+approvalFrom+" WHERE 1 = 1", []any{}
	if f.MentorID != 0 {
		q, args = q+" AND a.mentor_id = ?", append(args, f.MentorID)
	}
	if f.RequesterID != 0 {
		q, args = q+" AND a.requester_id = ?", append(args, f.RequesterID)
	}
	if f.Status != "" {
		q, args = q+" AND a.status = ?", append(args, string(f.Status))
	}
	q, args = q+" ORDER BY a.id DESC LIMIT ?", append(args, f.Limit)
	var out []*relais.Approval
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanApproval(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// DecideApproval approves or rejects a pending request in one transaction:
// the request, and the post or reply it holds, which becomes published (or
// rejected). A request already decided is a conflict, so that two mentors'
// clicks never publish twice.
func (s *Store) DecideApproval(ctx context.Context, id, deciderID int64, approve bool, reason string) error {
	status, content := relais.ApprovalRejected, relais.StatusRejected
	if approve {
		status, content = relais.ApprovalApproved, relais.StatusPublished
	}
	return s.write(ctx, func(t *tx) error {
		var kind string
		var postID, replyID, joinID sql.NullInt64
		var spaceID, requesterID int64
		var joinApprove sql.NullBool
		var current, joinReason string
		err := t.queryRow(`SELECT kind, post_id, reply_id, join_request_id, join_approve, join_reason, space_id, requester_id, status
			FROM approvals WHERE id = ?`, id).Scan(&kind, &postID, &replyID, &joinID, &joinApprove, &joinReason, &spaceID, &requesterID, &current)
		if err == sql.ErrNoRows {
			return notFound("Approval")
		} else if err != nil {
			return err
		}
		res, err := t.exec(`UPDATE approvals SET status = ?, reason = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND status = 'pending'`, string(status), reason, deciderID, millis(time.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// Another decision won the race: read what it decided.
			if err := t.queryRow("SELECT status FROM approvals WHERE id = ?", id).Scan(&current); err != nil {
				return err
			}
			return &relais.Error{Code: relais.ECONFLICT, Message: "This request was already " + current + ".",
				MessageFR: "Cette demande a déjà été " + map[string]string{"approved": "approuvée", "rejected": "refusée"}[current] + "."}
		}
		action := relais.AuditApprovalRejected
		if approve {
			action = relais.AuditApprovalApproved
		}
		if err := audit(t, deciderID, action, "approval", id, spaceID, reason); err != nil {
			return err
		}
		switch kind {
		case "join":
			if !approve {
				return nil // the request to join stays pending for another decision
			}
			// The steward's decision takes effect, in their name.
			return decideMembershipRequest(t, joinID.Int64, requesterID, joinApprove.Bool, joinReason)
		case "post":
			_, err = t.exec("UPDATE posts SET status = ? WHERE id = ? AND status = 'pending_approval'", string(content), postID.Int64)
			return err
		}
		if _, err = t.exec("UPDATE replies SET status = ? WHERE id = ? AND status = 'pending_approval'", string(content), replyID.Int64); err != nil {
			return err
		}
		if approve {
			_, err = t.exec("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?", postID.Int64)
		}
		return err
	})
}
