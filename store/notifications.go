package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// Notifications returns a page of a person's notifications, newest first.
// The title of the post a notification concerns is given only for the
// kinds whose recipient reads that post (its author, the stewards of its
// space): an escalation may concern a team post its assignee cannot read.
func (s *Store) Notifications(ctx context.Context, userID, beforeID int64, limit int) ([]*relais.Notification, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	q, args := `SELECT n.id, n.kind, COALESCE(n.space_id, 0), COALESCE(s.name, ''), COALESCE(n.post_id, 0), COALESCE(n.actor_id, 0),
		COALESCE(a.name, ''), COALESCE(n.subject_id, 0), n.rule, n.detail, n.created_at, n.read_at,
		CASE WHEN n.kind IN ('post.hidden', 'post.restored', 'approval.approved', 'approval.rejected', 'signal.suggested')
			THEN COALESCE(p.title, '') ELSE '' END
		FROM notifications n LEFT JOIN spaces s ON s.id = n.space_id LEFT JOIN users a ON a.id = n.actor_id
		LEFT JOIN posts p ON p.id = n.post_id
		WHERE n.user_id = ?`, []any{userID}
	if beforeID > 0 {
		q, args = q+" AND n.id < ?", append(args, beforeID)
	}
	q, args = q+" ORDER BY n.id DESC LIMIT ?", append(args, limit)
	out := []*relais.Notification{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n := &relais.Notification{}
			var created int64
			var read sql.NullInt64
			if err := rows.Scan(&n.ID, &n.Kind, &n.SpaceID, &n.SpaceName, &n.PostID, &n.ActorID, &n.ActorName, &n.SubjectID,
				&n.Rule, &n.Detail, &created, &read, &n.PostTitle); err != nil {
				return err
			}
			n.CreatedAt = fromMillis(created)
			if read.Valid {
				r := fromMillis(read.Int64)
				n.ReadAt = &r
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, err
}

// UnreadNotifications counts a person's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (n int, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n)
	})
	return n, err
}

// MarkNotificationsRead marks a person's notifications up to upToID (0:
// all of them) as read, and returns how many changed.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, upToID int64) (n int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		q, args := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", []any{millis(time.Now()), userID}
		if upToID > 0 {
			q, args = q+" AND id <= ?", append(args, upToID)
		}
		res, err := t.exec(q, args...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n > 0 {
			t.emit(events.Event{Kind: events.NotificationsRead, ActorID: userID, Subject: userID, UserID: userID})
		}
		return nil
	})
	return n, err
}
