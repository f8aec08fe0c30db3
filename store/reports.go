package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"relais"
	"relais/events"
)

// Report computes what a space's report over [from, to) is made of, in
// one read: activity and the distinct people behind it, answers, signals
// and decisions, declared benefits and their declarants, the join funnel
// of a community (withFunnel) and the narratives of the months first to
// last (YYYY-MM). The caller protects the counts before showing them.
func (s *Store) Report(ctx context.Context, spaceID int64, withFunnel bool, from, to time.Time, first, last string) (*relais.ReportCounts, error) {
	c := &relais.ReportCounts{SpaceID: spaceID, Decisions: []relais.ReportDecision{}, Narratives: []relais.ReportNarrative{},
		People: relais.ReportPeople{Declarants: map[relais.BenefitKind]int64{}}}
	a, b := millis(from), millis(to)
	err := s.read(ctx, func(t *tx) (err error) {
		if err := reportActivity(t, c, spaceID, a, b); err != nil {
			return err
		}
		if err := reportSignals(t, c, spaceID, a, b); err != nil {
			return err
		}
		if c.Benefits, err = benefitTotals(t, BenefitFilter{SpaceID: spaceID, From: from, To: to}); err != nil {
			return err
		}
		if err := reportDeclarants(t, c, spaceID, a, b); err != nil {
			return err
		}
		if withFunnel {
			if c.Funnel, err = reportFunnel(t, spaceID, a, b); err != nil {
				return err
			}
		}
		c.Narratives, err = narratives(t, spaceID, first, last)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// reportActivity counts the published posts and replies of [a, b), the
// distinct people who wrote them (together, the threads' authors, the
// repliers), and for each thread opened then the delay to its first
// published reply by someone other than its author, and who gave it.
func reportActivity(t *tx, c *relais.ReportCounts, spaceID, a, b int64) error {
	err := t.queryRow(`SELECT
		(SELECT COUNT(*) FROM replies rp JOIN posts p ON p.id = rp.post_id
			WHERE p.space_id = ? AND p.status = 'published' AND rp.status = 'published' AND rp.created_at >= ? AND rp.created_at < ?),
		(SELECT COUNT(*) FROM (
			SELECT p.author_id FROM posts p
				WHERE p.space_id = ? AND p.status = 'published' AND p.created_at >= ? AND p.created_at < ?
			UNION
			SELECT rp.author_id FROM replies rp JOIN posts p ON p.id = rp.post_id
				WHERE p.space_id = ? AND p.status = 'published' AND rp.status = 'published' AND rp.created_at >= ? AND rp.created_at < ?) people),
		(SELECT COUNT(DISTINCT p.author_id) FROM posts p WHERE p.space_id = ? AND p.status = 'published' AND p.created_at >= ? AND p.created_at < ?),
		(SELECT COUNT(DISTINCT rp.author_id) FROM replies rp JOIN posts p ON p.id = rp.post_id
			WHERE p.space_id = ? AND p.status = 'published' AND rp.status = 'published' AND rp.created_at >= ? AND rp.created_at < ?)`,
		spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b).
		Scan(&c.Replies, &c.Active, &c.People.Authors, &c.People.Repliers)
	if err != nil {
		return err
	}
	rows, err := t.query(`SELECT p.created_at, f.created_at, f.author_id FROM posts p
		LEFT JOIN replies f ON f.id = (SELECT rp.id FROM replies rp WHERE rp.post_id = p.id AND rp.status = 'published'
			AND rp.author_id <> p.author_id ORDER BY rp.created_at, rp.id LIMIT 1)
		WHERE p.space_id = ? AND p.status = 'published' AND p.created_at >= ? AND p.created_at < ?`, spaceID, a, b)
	if err != nil {
		return err
	}
	defer rows.Close()
	var delays []int64
	responders := map[int64]bool{}
	for rows.Next() {
		var opened int64
		var first, responder sql.NullInt64
		if err := rows.Scan(&opened, &first, &responder); err != nil {
			return err
		}
		c.Posts++
		if first.Valid {
			delays = append(delays, max(0, first.Int64-opened))
			responders[responder.Int64] = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.Answered = len(delays)
	c.People.Responders = int64(len(responders))
	if m, ok := medianMillis(delays); ok {
		secs := (m + 500) / 1000
		c.MedianFirstResponse = &secs
	}
	return nil
}

// reportDeclarants counts, per kind, the distinct people who declared a
// benefit in the space during [a, b).
func reportDeclarants(t *tx, c *relais.ReportCounts, spaceID, a, b int64) error {
	rows, err := t.query(`SELECT kind, COUNT(DISTINCT user_id) FROM benefits WHERE space_id = ? AND created_at >= ? AND created_at < ?
		GROUP BY kind`, spaceID, a, b)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int64
		if err := rows.Scan(&kind, &n); err != nil {
			return err
		}
		c.People.Declarants[relais.BenefitKind(kind)] = n
	}
	return rows.Err()
}

// reportFunnel counts the join funnel of a community over [a, b) (as
// Funnel does), the distinct people each figure concerns, and lists the
// arrivals.
func reportFunnel(t *tx, spaceID, a, b int64) (*relais.FunnelCounts, error) {
	f := &relais.FunnelCounts{Funnel: relais.Funnel{From: fromMillis(a), To: fromMillis(b), JoinedBySource: map[string]int{}},
		People: map[string]int{}}
	var sent, accepted, declined, filed, approved, refused, removed int
	err := t.queryRow(`SELECT
		(SELECT COUNT(*) FROM invitations WHERE space_id = ? AND status NOT IN ('pending_approval', 'rejected') AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM invitations WHERE space_id = ? AND status NOT IN ('pending_approval', 'rejected') AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM invitations WHERE space_id = ? AND status = 'accepted' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM invitations WHERE space_id = ? AND status = 'accepted' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(*) FROM invitations WHERE space_id = ? AND status = 'declined' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM invitations WHERE space_id = ? AND status = 'declined' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(*) FROM join_requests WHERE space_id = ? AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM join_requests WHERE space_id = ? AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM join_requests WHERE space_id = ? AND status = 'approved' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM join_requests WHERE space_id = ? AND status = 'approved' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(*) FROM join_requests WHERE space_id = ? AND status = 'refused' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM join_requests WHERE space_id = ? AND status = 'refused' AND decided_at >= ? AND decided_at < ?),
		(SELECT COUNT(*) FROM member_removals WHERE space_id = ? AND at >= ? AND at < ?),
		(SELECT COUNT(DISTINCT user_id) FROM member_removals WHERE space_id = ? AND at >= ? AND at < ?)`,
		spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b,
		spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b, spaceID, a, b).
		Scan(&f.InvitationsSent, &sent, &f.InvitationsAccepted, &accepted, &f.InvitationsDeclined, &declined,
			&f.RequestsFiled, &filed, &f.RequestsApproved, &approved, &f.RequestsRefused, &refused, &f.Removed, &removed)
	if err != nil {
		return nil, err
	}
	for name, n := range map[string]int{relais.FunnelInvitationsSent: sent, relais.FunnelInvitationsAccepted: accepted,
		relais.FunnelInvitationsDeclined: declined, relais.FunnelRequestsFiled: filed, relais.FunnelRequestsApproved: approved,
		relais.FunnelRequestsRefused: refused, relais.FunnelRemoved: removed} {
		f.People[name] = n
	}
	rows, err := t.query(`SELECT source, user_id FROM memberships WHERE space_id = ? AND joined_at >= ? AND joined_at < ?
		UNION ALL SELECT source, user_id FROM member_removals WHERE space_id = ? AND joined_at >= ? AND joined_at < ?`,
		spaceID, a, b, spaceID, a, b)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	people := map[int64]bool{}
	for rows.Next() {
		var j relais.Join
		if err := rows.Scan(&j.Source, &j.UserID); err != nil {
			return nil, err
		}
		if j.Source == "" {
			j.Source = "other"
		}
		f.Joins = append(f.Joins, j)
		f.JoinedBySource[j.Source]++
		f.Joined++
		people[j.UserID] = true
	}
	f.People[relais.FunnelJoined] = len(people)
	return f, rows.Err()
}

// medianMillis returns the median of delays: the middle one, or the mean
// of the two middle ones.
func medianMillis(delays []int64) (int64, bool) {
	if len(delays) == 0 {
		return 0, false
	}
	slices.Sort(delays)
	n := len(delays)
	if n%2 == 1 {
		return delays[n/2], true
	}
	return (delays[n/2-1] + delays[n/2]) / 2, true
}

// reportSignals counts the signals raised and decided in [a, b) and lists
// the decisions, oldest first.
func reportSignals(t *tx, r *relais.ReportCounts, spaceID, a, b int64) error {
	err := t.queryRow(`SELECT
		(SELECT COUNT(*) FROM signals WHERE space_id = ? AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM signals WHERE space_id = ? AND decided_at >= ? AND decided_at < ?
			AND status IN ('accepted', 'rejected', 'planned', 'done'))`,
		spaceID, a, b, spaceID, a, b).Scan(&r.SignalsRaised, &r.SignalsDecided)
	if err != nil {
		return err
	}
	rows, err := t.query("SELECT "+signalColumns+signalFrom+` WHERE sg.space_id = ? AND sg.decided_at >= ? AND sg.decided_at < ?
		AND sg.status IN ('accepted', 'rejected', 'planned', 'done') ORDER BY sg.decided_at, sg.id LIMIT 1000`, spaceID, a, b)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		g, err := scanSignal(rows)
		if err != nil {
			return err
		}
		d := relais.ReportDecision{SignalID: g.ID, PostID: g.PostID, PostTitle: g.PostTitle, Summary: g.Summary, Status: g.Status,
			Decision: g.Decision, OwnerID: g.OwnerID, OwnerName: g.OwnerName, UnitID: g.UnitID, UnitName: g.UnitName,
			DecidedBy: g.DecidedBy, DeciderName: g.DeciderName}
		if g.DecidedAt != nil {
			d.DecidedAt = *g.DecidedAt
		}
		r.Decisions = append(r.Decisions, d)
	}
	return rows.Err()
}

// SetNarrative writes, or replaces, the steward's narrative of a space's
// month; an empty narrative removes it.
func (s *Store) SetNarrative(ctx context.Context, n *relais.ReportNarrative) error {
	stamp(&n.UpdatedAt)
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.NarrativeSet, SpaceID: n.SpaceID, ActorID: n.AuthorID, Subject: n.SpaceID})
		if n.Narrative == "" {
			_, err := t.exec("DELETE FROM report_narratives WHERE space_id = ? AND period = ?", n.SpaceID, n.Period)
			return err
		}
		_, err := t.exec(`INSERT INTO report_narratives (space_id, period, narrative, author_id, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (space_id, period) DO UPDATE SET narrative = excluded.narrative, author_id = excluded.author_id,
			updated_at = excluded.updated_at`, n.SpaceID, n.Period, n.Narrative, n.AuthorID, millis(n.UpdatedAt))
		return err
	})
}

// Narratives returns the narratives of a space for the months first to
// last (YYYY-MM), in order.
func (s *Store) Narratives(ctx context.Context, spaceID int64, first, last string) ([]relais.ReportNarrative, error) {
	var out []relais.ReportNarrative
	err := s.read(ctx, func(t *tx) (err error) {
		out, err = narratives(t, spaceID, first, last)
		return err
	})
	return out, err
}

func narratives(t *tx, spaceID int64, first, last string) ([]relais.ReportNarrative, error) {
	rows, err := t.query(`SELECT n.period, n.narrative, n.author_id, u.name, n.updated_at FROM report_narratives n
		JOIN users u ON u.id = n.author_id WHERE n.space_id = ? AND n.period >= ? AND n.period <= ? ORDER BY n.period`,
		spaceID, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []relais.ReportNarrative{}
	for rows.Next() {
		n := relais.ReportNarrative{SpaceID: spaceID}
		var updated int64
		if err := rows.Scan(&n.Period, &n.Narrative, &n.AuthorID, &n.AuthorName, &updated); err != nil {
			return nil, err
		}
		n.UpdatedAt = fromMillis(updated)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UndeliveredReports returns the communities created before the end of a
// month whose report for that month (YYYY-MM) was not delivered yet.
func (s *Store) UndeliveredReports(ctx context.Context, period string, end time.Time) ([]*relais.Space, error) {
	var out []*relais.Space
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+spaceColumns+spaceFrom+` WHERE s.kind = 'community' AND s.created_at < ?
			AND NOT EXISTS (SELECT 1 FROM report_deliveries d WHERE d.space_id = s.id AND d.period = ?) ORDER BY s.id`,
			millis(end), period)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sp, err := scanSpace(rows)
			if err != nil {
				return err
			}
			out = append(out, sp)
		}
		return rows.Err()
	})
	return out, err
}

// ReportRecipient is a person a monthly report is delivered to.
type ReportRecipient struct {
	ID    int64
	Name  string
	Email string
}

// DeliverReport records that a space's report for a month (YYYY-MM) is
// delivered and, in the same transaction, notifies every active internal
// community manager and the head of the sponsoring unit. The delivery is
// recorded once per space and month, whatever the number of nodes or
// calls: the one call that records it returns delivered and the
// recipients; the others return false.
func (s *Store) DeliverReport(ctx context.Context, spaceID int64, period string, at time.Time) (recipients []ReportRecipient, delivered bool, err error) {
	err = s.write(ctx, func(t *tx) error {
		recipients, delivered = nil, false
		res, err := t.exec(`INSERT INTO report_deliveries (space_id, period, delivered_at) VALUES (?, ?, ?)
			ON CONFLICT (space_id, period) DO NOTHING`, spaceID, period, millis(at))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		delivered = true
		t.emit(events.Event{Kind: events.ReportDelivered, SpaceID: spaceID, Subject: spaceID})
		rows, err := t.query(`SELECT u.id, u.name, u.email FROM users u WHERE u.active AND (
				(u.employment = 'internal' AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = ?))
				OR u.id = (SELECT un.head_id FROM spaces sp JOIN units un ON un.id = sp.sponsor_unit_id WHERE sp.id = ?))
			ORDER BY u.id`, string(relais.RoleCommunityManager), spaceID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rc ReportRecipient
			if err := rows.Scan(&rc.ID, &rc.Name, &rc.Email); err != nil {
				rows.Close()
				return err
			}
			recipients = append(recipients, rc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, rc := range recipients {
			if err := notify(t, rc.ID, relais.Notification{Kind: relais.NotifyReport, SpaceID: spaceID, SubjectID: spaceID,
				Detail: period}); err != nil {
				return err
			}
		}
		return nil
	})
	return recipients, delivered, err
}
