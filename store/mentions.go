package store

import (
	"context"
	"strings"
	"time"

	"relais"
)

// UsersByLogins returns the active accounts among logins (compared by
// their key, relais.LoginKey), by key.
func (s *Store) UsersByLogins(ctx context.Context, logins []string) (map[string]*relais.User, error) {
	out := map[string]*relais.User{}
	if len(logins) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(logins)+1)
	for _, l := range logins {
		args = append(args, relais.LoginKey(l))
	}
	args = append(args, true)
	var ids []int64
	err := s.read(ctx, func(t *tx) error {
		var err error
		ids, err = scanIDs(t.query("SELECT id FROM users WHERE login_key IN ("+placeholders(len(logins))+") AND active = ?", args...))
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		u, err := s.UserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out[relais.LoginKey(u.Login)] = u
	}
	return out, nil
}

// MentionCandidates returns the people listed in a space (community
// members and stewards, or the team and its manager) whose login or name
// starts with q (any word of the name; without case), by name, at most
// limit. The service keeps those who may read the space.
func (s *Store) MentionCandidates(ctx context.Context, spaceID int64, q string, limit int) ([]Member, error) {
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	q = strings.TrimSpace(q)
	byLogin := escapeLike(relais.LoginKey(q)) + "%"
	like := escapeLike(strings.ToLower(q)) + "%"
	var ms []Member
	err := s.read(ctx, func(t *tx) (err error) {
		ms, err = scanMembers(t.query(memberQuery+` WHERE s.id = ? AND (u.login_key LIKE ? ESCAPE '\' OR LOWER(u.name) LIKE ? ESCAPE '\'
			OR LOWER(u.name) LIKE ? ESCAPE '\')
			ORDER BY u.name, u.id LIMIT ?`, spaceID, byLogin, like, "% "+like, limit))
		return err
	})
	return ms, err
}

// escapeLike escapes the wildcards of a LIKE pattern with a backslash.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Mention is one person a published post or reply names, who may read it.
type Mention struct {
	UserID  int64
	SpaceID int64
	PostID  int64
	// ReplyID is the reply that mentions them (0: the post itself).
	ReplyID int64
	ActorID int64
	// Detail is the title of the thread.
	Detail string
	// Kind is relais.NotifyMention ("" too) or relais.NotifyReply.
	Kind string
}

// NotifyMentions tells the people mentioned, in one transaction.
func (s *Store) NotifyMentions(ctx context.Context, ms []Mention) error {
	if len(ms) == 0 {
		return nil
	}
	return s.write(ctx, func(t *tx) error {
		now := millis(time.Now())
		for _, m := range ms {
			subject := m.PostID
			if m.ReplyID != 0 {
				subject = m.ReplyID
			}
			kind := m.Kind
			if kind == "" {
				kind = relais.NotifyMention
			}
			if err := insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, post_id, actor_id, subject_id, detail, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.UserID, kind, m.SpaceID, m.PostID, m.ActorID, subject,
				m.Detail, now); err != nil {
				return err
			}
		}
		return nil
	})
}
