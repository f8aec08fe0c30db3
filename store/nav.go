package store

import (
	"context"
	"time"
)

// NavQuery says which counts a page's navigation shows a person, as the
// policy decided them.
type NavQuery struct {
	UserID int64
	// Approvals: count the requests waiting for this person as mentor.
	Approvals bool
	// CoPilots: count the social media managers in co-pilot this person
	// mentors, or all of them with AllCoPilots.
	CoPilots, AllCoPilots bool
	// Beside the open escalations assigned to the person, count every one
	// of the communities (CommunityEscalations), of the team spaces
	// (TeamEscalations), or of the team spaces once overdue
	// (OverdueEscalations).
	CommunityEscalations, TeamEscalations, OverdueEscalations bool
}

// NavCounts are the counts of a page's navigation.
type NavCounts struct {
	Approvals int // requests waiting for the person's approval
	Unread    int // unread notifications
	CoPilots  int // social media managers in co-pilot the person follows
	Routing   RoutingCounts
}

// NavCounts reads the counts of a page's navigation in one query.
func (s *Store) NavCounts(ctx context.Context, q NavQuery) (c NavCounts, err error) {
	u := q.UserID
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow(`SELECT
			(SELECT COUNT(*) FROM approvals WHERE mentor_id = ? AND status = 'pending' AND ?),
			(SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL),
			(SELECT COUNT(*) FROM users WHERE co_pilot AND active AND ? AND (? OR mentor_id = ?)),
			`+routingCounts,
			u, q.Approvals, u, q.CoPilots, q.AllCoPilots, u,
			u, u, u, u, u, u, q.CommunityEscalations, q.TeamEscalations, q.OverdueEscalations, millis(time.Now()), u, u).
			Scan(&c.Approvals, &c.Unread, &c.CoPilots,
				&c.Routing.Waiting, &c.Routing.Signals, &c.Routing.OpenEscalations, &c.Routing.Escalations)
	})
	return c, err
}
