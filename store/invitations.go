package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

const invitationColumns = `i.id, i.space_id, s.name, i.user_id, u.name, i.invited_by, b.name, i.message, i.status, i.created_at, i.decided_at`

const invitationFrom = ` FROM invitations i JOIN spaces s ON s.id = i.space_id JOIN users u ON u.id = i.user_id
	JOIN users b ON b.id = i.invited_by`

func scanInvitation(sc interface{ Scan(...any) error }) (*relais.Invitation, error) {
	v := &relais.Invitation{}
	var status string
	var created int64
	var decided sql.NullInt64
	if err := sc.Scan(&v.ID, &v.SpaceID, &v.SpaceName, &v.UserID, &v.UserName, &v.InvitedBy, &v.InviterName, &v.Message,
		&status, &created, &decided); err != nil {
		return nil, err
	}
	v.Status, v.CreatedAt = relais.InvitationStatus(status), fromMillis(created)
	if decided.Valid {
		d := fromMillis(decided.Int64)
		v.DecidedAt = &d
	}
	return v, nil
}

// Invite records an invitation. A pending one tells the invitee at once;
// one pending approval files the request for the steward's mentor in the
// same transaction. A second open invitation of the same person to the same
// space is a conflict.
func (s *Store) Invite(ctx context.Context, v *relais.Invitation) error {
	stamp(&v.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		v.ID, err = t.insert(`INSERT INTO invitations (space_id, user_id, invited_by, message, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, v.SpaceID, v.UserID, v.InvitedBy, v.Message, string(v.Status), millis(v.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return conflict("This person already has an invitation to this space.", "Cette personne a déjà une invitation pour cet espace.")
		} else if err != nil {
			return err
		}
		if v.Status == relais.InvitationPendingApproval {
			_, err = requestActionApproval(t, relais.ApproveInvite, v.SpaceID, v.InvitedBy, 0, v.ID, v.ID,
				relais.ActionPayload{UserID: v.UserID, UserName: v.UserName, Message: v.Message}, v.CreatedAt)
			return err
		}
		return sendInvitation(t, v.ID)
	})
}

// sendInvitation tells the invitee, and records the invitation as sent.
func sendInvitation(t *tx, id int64) error {
	var spaceID, userID, by int64
	if err := t.queryRow("SELECT space_id, user_id, invited_by FROM invitations WHERE id = ?", id).Scan(&spaceID, &userID, &by); err != nil {
		return err
	}
	if _, err := t.exec("UPDATE invitations SET status = 'pending' WHERE id = ? AND status IN ('pending', 'pending_approval')", id); err != nil {
		return err
	}
	t.emit(events.Event{Kind: events.InvitationSent, SpaceID: spaceID, ActorID: by, Subject: id})
	if err := audit(t, by, relais.AuditInvitationSent, "invitation", id, spaceID, ""); err != nil {
		return err
	}
	return notify(t, userID, relais.Notification{Kind: relais.NotifyInvitation, SpaceID: spaceID, ActorID: by, SubjectID: id})
}

// InvitationByID returns one invitation.
func (s *Store) InvitationByID(ctx context.Context, id int64) (v *relais.Invitation, err error) {
	err = s.read(ctx, func(t *tx) error {
		v, err = scanInvitation(t.queryRow("SELECT "+invitationColumns+invitationFrom+" WHERE i.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Invitation")
		}
		return err
	})
	return v, err
}

// InvitationFilter selects invitations, newest first.
type InvitationFilter struct {
	SpaceID int64 // 0: any space
	UserID  int64 // 0: anyone
	Status  relais.InvitationStatus
}

// Invitations returns the invitations that match the filter.
func (s *Store) Invitations(ctx context.Context, f InvitationFilter) ([]*relais.Invitation, error) {
	q, args := "SELECT "+invitationColumns+invitationFrom+" WHERE 1 = 1", []any{}
	if f.SpaceID != 0 {
		q, args = q+" AND i.space_id = ?", append(args, f.SpaceID)
	}
	if f.UserID != 0 {
		q, args = q+" AND i.user_id = ?", append(args, f.UserID)
	}
	if f.Status != "" {
		q, args = q+" AND i.status = ?", append(args, string(f.Status))
	}
	out := []*relais.Invitation{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q+" ORDER BY i.id DESC LIMIT 200", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanInvitation(rows)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// RespondInvitation accepts (the invitee joins, having accepted the charter
// version given) or declines a pending invitation.
func (s *Store) RespondInvitation(ctx context.Context, id, userID int64, accept bool, charterVersion int) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID int64
		var status string
		err := t.queryRow("SELECT space_id, status FROM invitations WHERE id = ? AND user_id = ?", id, userID).Scan(&spaceID, &status)
		if err == sql.ErrNoRows {
			return notFound("Invitation")
		} else if err != nil {
			return err
		}
		next := relais.InvitationDeclined
		if accept {
			next = relais.InvitationAccepted
		}
		now := millis(time.Now())
		res, err := t.exec("UPDATE invitations SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'", string(next), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This invitation was already "+status+".", "Cette invitation a déjà reçu une réponse.")
		}
		t.emit(events.Event{Kind: events.InvitationAnswered, SpaceID: spaceID, ActorID: userID, Subject: id})
		if !accept {
			return nil
		}
		return join(t, &relais.Membership{SpaceID: spaceID, UserID: userID, CharterVersion: charterVersion, Source: relais.SourceInvitation})
	})
}

// join inserts a membership and sends the welcome message. Joining twice
// is a conflict.
func join(t *tx, m *relais.Membership) error {
	stamp(&m.JoinedAt)
	_, err := t.exec("INSERT INTO memberships (space_id, user_id, charter_version, joined_at, source) VALUES (?, ?, ?, ?, ?)",
		m.SpaceID, m.UserID, m.CharterVersion, millis(m.JoinedAt), m.Source)
	if relais.ErrorCode(t.d.translate(err)) == relais.ECONFLICT {
		return &relais.Error{Code: relais.ECONFLICT, Message: "You are already a member of this space.", MessageFR: "Vous êtes déjà membre de cet espace."}
	} else if err != nil {
		return err
	}
	t.emit(events.Event{Kind: events.MemberJoined, SpaceID: m.SpaceID, ActorID: m.UserID, Subject: m.UserID})
	return welcome(t, m.SpaceID, m.UserID)
}

// Funnel counts, for a community and a period [from, to), the invitations,
// requests to join, arrivals by source and removals, with the distinct
// people behind each figure (see reportFunnel).
func (s *Store) Funnel(ctx context.Context, spaceID int64, from, to time.Time) (*relais.FunnelCounts, error) {
	var f *relais.FunnelCounts
	err := s.read(ctx, func(t *tx) (err error) {
		f, err = reportFunnel(t, spaceID, millis(from), millis(to))
		return err
	})
	if f != nil {
		f.From, f.To = from, to
	}
	return f, err
}
