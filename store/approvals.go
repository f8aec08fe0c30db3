package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"relais"
	"relais/events"
)

// requestApproval files the approval request for content that waits for
// the author's mentor, in the transaction that created it.
func requestApproval(t *tx, kind string, postID, replyID, spaceID, authorID int64, at time.Time) error {
	id, err := t.insert(`INSERT INTO approvals (kind, post_id, reply_id, space_id, requester_id, mentor_id, status, created_at)
		VALUES (?, ?, ?, ?, ?, (SELECT mentor_id FROM users WHERE id = ?), 'pending', ?)`,
		kind, postID, nullID(replyID), spaceID, authorID, authorID, millis(at))
	if err != nil {
		return err
	}
	subject := postID
	if replyID != 0 {
		subject = replyID
	}
	return approvalRequested(t, id, subject)
}

// approvalRequested emits the ApprovalRequested event of a new approval
// request, addressed to the mentor (Subject: subject, or the approval when
// 0), and notifies the mentor.
func approvalRequested(t *tx, approvalID, subject int64) error {
	e := events.Event{Kind: events.ApprovalRequested, Subject: subject}
	if err := t.queryRow(`SELECT space_id, requester_id, COALESCE(post_id, 0), COALESCE(reply_id, 0), COALESCE(mentor_id, 0)
		FROM approvals WHERE id = ?`, approvalID).Scan(&e.SpaceID, &e.ActorID, &e.PostID, &e.ReplyID, &e.UserID); err != nil {
		return err
	}
	if e.Subject == 0 {
		e.Subject = approvalID
	}
	t.emit(e)
	return notifyMentor(t, approvalID)
}

// notifyMentor tells the mentor (if any) of the requester of an approval
// request that it waits for their decision.
func notifyMentor(t *tx, approvalID int64) error {
	return insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, post_id, actor_id, subject_id, created_at)
		SELECT a.mentor_id, ?, a.space_id, a.post_id, a.requester_id, a.id, ? FROM approvals a
		WHERE a.id = ? AND a.mentor_id IS NOT NULL`, relais.NotifyApprovalRequested, millis(time.Now()), approvalID)
}

// requestActionApproval files the approval request for a steward's visible
// action that waits for their mentor, in the transaction that prepared it.
//
// Its ApprovalRequested event names subject (0: the approval).
func requestActionApproval(t *tx, kind relais.ApprovalKind, spaceID, requesterID, postID, targetID, subject int64, payload relais.ActionPayload, at time.Time) (int64, error) {
	b, err := jsonString(payload)
	if err != nil {
		return 0, err
	}
	id, err := t.insert(`INSERT INTO approvals (kind, post_id, target_id, payload, space_id, requester_id, mentor_id, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, (SELECT mentor_id FROM users WHERE id = ?), 'pending', ?)`,
		string(kind), nullID(postID), nullID(targetID), b, spaceID, requesterID, requesterID, millis(at))
	if err != nil {
		return 0, err
	}
	return id, approvalRequested(t, id, subject)
}

// RequestActionApproval files, for a steward in co-pilot, a visible action
// (hiding or restoring a post, pinning, a welcome message, removing a
// member) for their mentor to approve; it takes effect on approval.
func (s *Store) RequestActionApproval(ctx context.Context, kind relais.ApprovalKind, spaceID, requesterID, postID int64, payload relais.ActionPayload) (id int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		id, err = requestActionApproval(t, kind, spaceID, requesterID, postID, payload.UserID, 0, payload, time.Now())
		return err
	})
	return id, err
}

// RequestRoutingApproval files, for a steward in co-pilot, a signal, an
// escalation or the dismissal of a suggestion (targetID) for their mentor
// to approve: nothing of it exists for anyone else until approved.
func (s *Store) RequestRoutingApproval(ctx context.Context, kind relais.ApprovalKind, spaceID, requesterID, postID, targetID int64, payload relais.ActionPayload) (id int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		id, err = requestActionApproval(t, kind, spaceID, requesterID, postID, targetID, 0, payload, time.Now())
		return err
	})
	return id, err
}

const approvalColumns = `a.id, a.kind, COALESCE(a.post_id, 0), COALESCE(a.reply_id, 0), a.space_id, s.name,
	COALESCE(p.title, sp.title, ''), COALESCE(r.body, p.body, sp.body, ''), a.requester_id, u.name, COALESCE(a.mentor_id, 0), a.status,
	a.reason, COALESCE(a.decided_by, 0), a.created_at, a.decided_at,
	COALESCE(a.join_request_id, 0), COALESCE(ju.name, ''), COALESCE(a.join_approve, FALSE), a.join_reason,
	COALESCE(a.target_id, 0), a.payload`

const approvalFrom = ` FROM approvals a
	JOIN spaces s ON s.id = a.space_id
	LEFT JOIN posts p ON p.id = a.post_id
	LEFT JOIN replies r ON r.id = a.reply_id
	LEFT JOIN scheduled_posts sp ON a.kind = 'post.schedule' AND sp.id = a.target_id
	LEFT JOIN join_requests jr ON jr.id = a.join_request_id
	LEFT JOIN users ju ON ju.id = jr.user_id
	JOIN users u ON u.id = a.requester_id`

func scanApproval(sc interface{ Scan(...any) error }) (*relais.Approval, error) {
	a := &relais.Approval{}
	var status string
	var created int64
	var decided sql.NullInt64
	var kind, payload string
	err := sc.Scan(&a.ID, &kind, &a.PostID, &a.ReplyID, &a.SpaceID, &a.SpaceName, &a.PostTitle, &a.Body,
		&a.RequesterID, &a.RequesterName, &a.MentorID, &status, &a.Reason, &a.DecidedBy, &created, &decided,
		&a.JoinRequestID, &a.JoinUserName, &a.JoinApprove, &a.JoinReason, &a.TargetID, &payload)
	if err != nil {
		return nil, err
	}
	a.Kind = relais.ApprovalKind(kind)
	if payload != "" {
		a.Action = &relais.ActionPayload{}
		if err := json.Unmarshal([]byte(payload), a.Action); err != nil {
			return nil, err
		}
		switch a.Kind {
		case relais.ApproveWelcome:
			a.Body = a.Action.Welcome
		case relais.ApproveSignal, relais.ApproveEscalation:
			a.Body = a.Action.Summary // what the owner or assignee will read
		case relais.ApproveDismiss:
			a.Body = a.Action.Note
		}
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
		var kind, payload string
		var postID, replyID, joinID, targetID sql.NullInt64
		var spaceID, requesterID int64
		var joinApprove sql.NullBool
		var current, joinReason string
		err := t.queryRow(`SELECT kind, post_id, reply_id, join_request_id, join_approve, join_reason, space_id, requester_id, status,
			target_id, payload FROM approvals WHERE id = ?`, id).Scan(&kind, &postID, &replyID, &joinID, &joinApprove, &joinReason,
			&spaceID, &requesterID, &current, &targetID, &payload)
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
		action, told, decided := relais.AuditApprovalRejected, relais.NotifyApprovalRejected, events.ApprovalRejected
		if approve {
			action, told, decided = relais.AuditApprovalApproved, relais.NotifyApprovalApproved, events.ApprovalApproved
		}
		t.emit(events.Event{Kind: decided, SpaceID: spaceID, ActorID: deciderID, Subject: id, PostID: postID.Int64,
			ReplyID: replyID.Int64, UserID: requesterID})
		if err := audit(t, deciderID, action, "approval", id, spaceID, reason); err != nil {
			return err
		}
		if err := notify(t, requesterID, relais.Notification{Kind: told, SpaceID: spaceID, PostID: postID.Int64,
			ActorID: deciderID, SubjectID: id, Detail: reason}); err != nil {
			return err
		}
		var p relais.ActionPayload
		if payload != "" {
			if err := json.Unmarshal([]byte(payload), &p); err != nil {
				return err
			}
		}
		// The action takes effect now, in the steward's name.
		switch relais.ApprovalKind(kind) {
		case relais.ApproveJoin:
			if !approve {
				return nil // the request to join stays pending for another decision
			}
			return decideMembershipRequest(t, joinID.Int64, requesterID, joinApprove.Bool, joinReason)
		case relais.ApprovePost:
			_, err = t.exec("UPDATE posts SET status = ? WHERE id = ? AND status = 'pending_approval'", string(content), postID.Int64)
			if err == nil && approve {
				// Published in the requester's name, as if they had posted.
				emitPostCreated(t, &relais.Post{ID: postID.Int64, SpaceID: spaceID, AuthorID: requesterID})
			}
			return err
		case relais.ApproveReply:
			if _, err = t.exec("UPDATE replies SET status = ? WHERE id = ? AND status = 'pending_approval'", string(content), replyID.Int64); err != nil {
				return err
			}
			if approve {
				_, err = t.exec("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?", postID.Int64)
				emitReplyCreated(t, spaceID, postID.Int64, replyID.Int64, requesterID)
			}
			return err
		case relais.ApproveSchedule:
			next := relais.ScheduleRejected
			if approve {
				next = relais.ScheduleWaiting
			}
			_, err = t.exec("UPDATE scheduled_posts SET status = ? WHERE id = ? AND status = 'pending_approval'", string(next), targetID.Int64)
			if err == nil && approve {
				t.emit(events.Event{Kind: events.PostScheduled, SpaceID: spaceID, ActorID: requesterID, Subject: targetID.Int64})
				err = audit(t, requesterID, relais.AuditPostScheduled, "scheduled_post", targetID.Int64, spaceID, p.Title)
			}
			return err
		case relais.ApproveInvite:
			if !approve {
				_, err = t.exec("UPDATE invitations SET status = 'rejected', decided_at = ? WHERE id = ? AND status = 'pending_approval'",
					millis(time.Now()), targetID.Int64)
				return err
			}
			return sendInvitation(t, targetID.Int64)
		}
		if !approve {
			return nil
		}
		switch relais.ApprovalKind(kind) {
		case relais.ApproveModerate:
			if p.Op == "restore" {
				return restorePost(t, postID.Int64, requesterID)
			}
			return hidePost(t, postID.Int64, requesterID, p.Rule, p.Reason)
		case relais.ApprovePin:
			return pinPost(t, postID.Int64, requesterID, p.Pin)
		case relais.ApproveWelcome:
			return setWelcome(t, spaceID, requesterID, p.Welcome)
		case relais.ApproveRemove:
			return removeMember(t, spaceID, p.UserID, requesterID, p.Reason)
		case relais.ApproveSignal:
			return approveSignal(t, id, spaceID, requesterID, postID.Int64, p)
		case relais.ApproveEscalation:
			return approveEscalation(t, id, spaceID, requesterID, postID.Int64, p)
		case relais.ApproveDismiss:
			return dismissSuggestion(t, targetID.Int64, spaceID, requesterID)
		}
		return fmt.Errorf("store: approval %d of unknown kind %q", id, kind)
	})
}

// approveSignal raises, in the steward's name, the signal their mentor
// approved: its owner is told and the webhooks enqueued only now. The
// approval records the signal it created. A post no longer published is
// routed nowhere.
func approveSignal(t *tx, approvalID, spaceID, requesterID, postID int64, p relais.ActionPayload) error {
	var status string
	if err := t.queryRow("SELECT status FROM posts WHERE id = ?", postID).Scan(&status); err == sql.ErrNoRows {
		return notFound("Post")
	} else if err != nil {
		return err
	}
	if status != string(relais.StatusPublished) {
		return conflict("The post is no longer published: reject this request.", "Le message n'est plus publié : refusez cette demande.")
	}
	g := &relais.Signal{SpaceID: spaceID, PostID: postID, RaisedBy: requesterID, OwnerID: p.UserID, UnitID: p.UnitID, Summary: p.Summary}
	stamp(&g.CreatedAt)
	if err := createSignal(t, g, p.SuggestionID); err != nil {
		return err
	}
	_, err := t.exec("UPDATE approvals SET target_id = ? WHERE id = ?", g.ID, approvalID)
	return err
}

// approveEscalation raises, in the steward's name, the escalation their
// mentor approved; without a deadline set by the steward, the severity's
// delay runs from the approval.
func approveEscalation(t *tx, approvalID, spaceID, requesterID, postID int64, p relais.ActionPayload) error {
	e := &relais.Escalation{SpaceID: spaceID, PostID: postID, RaisedBy: requesterID, AssigneeID: p.UserID,
		Severity: p.Severity, Summary: p.Summary, Status: "open"}
	stamp(&e.CreatedAt)
	if p.Deadline != nil {
		e.DeadlineAt = *p.Deadline
	} else {
		e.DeadlineAt = e.CreatedAt.Add(p.Severity.Deadline())
	}
	e.DeadlineAt = e.DeadlineAt.UTC().Truncate(time.Millisecond)
	if err := createEscalation(t, e); err != nil {
		return err
	}
	_, err := t.exec("UPDATE approvals SET target_id = ? WHERE id = ?", e.ID, approvalID)
	return err
}
