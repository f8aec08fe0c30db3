package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"relais"
	"relais/events"
)

// Reads of analytics: the rollup cells of spaces and months, the people
// behind them (for unions over several spaces), members over time, the
// value ledger per cell, a person's own figures; and the settings that
// protect them.

// ActivityCells returns the cells of the given spaces for the months of w,
// with each cell's members at the end of its month (at now for the current
// month) and the active people of the month before (for retention). Every
// space and month has a cell, empty when nothing happened.
func (s *Store) ActivityCells(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow, now time.Time) (map[int64]map[relais.Month]*relais.Cell, error) {
	if err := s.CatchUpAnalytics(ctx); err != nil {
		return nil, err
	}
	out := map[int64]map[relais.Month]*relais.Cell{}
	for _, id := range spaceIDs {
		out[id] = map[relais.Month]*relais.Cell{}
		for _, m := range w.Months() {
			out[id][m] = &relais.Cell{SpaceID: id, Month: m, Delays: map[int]int64{}}
		}
	}
	if len(spaceIDs) == 0 {
		return out, nil
	}
	first, last := w.First.Add(-1), w.Last
	err := s.read(ctx, func(t *tx) error {
		for chunk := range slices.Chunk(spaceIDs, 500) {
			in, args := inList(chunk)
			args = append(args, int(first), int(last))
			prevActive := map[cellKey]int64{}
			rows, err := t.queryOnce(`SELECT space_id, month, posts, replies, answered, active, authors, repliers, responders, retained
				FROM analytics_months WHERE space_id IN `+in+` AND month >= ? AND month <= ?`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var c relais.Cell
				var m int
				if err := rows.Scan(&c.SpaceID, &m, &c.Posts, &c.Replies, &c.Answered, &c.Active, &c.Authors, &c.Repliers,
					&c.Responders, &c.Retained); err != nil {
					rows.Close()
					return err
				}
				c.Month = relais.Month(m)
				prevActive[cellKey{c.SpaceID, c.Month.Add(1)}] = c.Active
				if dst := out[c.SpaceID][c.Month]; dst != nil {
					c.Delays, c.Members = dst.Delays, dst.Members
					*dst = c
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for id, ms := range out {
				for m, c := range ms {
					c.PrevActive = prevActive[cellKey{id, m}]
				}
			}
			rows, err = t.queryOnce(`SELECT space_id, month, bucket, threads FROM analytics_delays
				WHERE space_id IN `+in+` AND month >= ? AND month <= ? AND threads > 0`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, n int64
				var m, b int
				if err := rows.Scan(&id, &m, &b, &n); err != nil {
					rows.Close()
					return err
				}
				if c := out[id][relais.Month(m)]; c != nil {
					c.Delays[b] += n
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		members, err := memberSets(t, spaceIDs, w, now)
		if err != nil {
			return err
		}
		for id, ms := range members {
			for m, set := range ms {
				if c := out[id][m]; c != nil {
					c.Members = int64(len(set))
				}
			}
		}
		return nil
	})
	return out, err
}

// ActivePeople returns, for each space and each month of w and the month
// before, the people who posted or replied there. Only unions over several
// spaces need it: the figures of one space are in its cells.
func (s *Store) ActivePeople(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow) (map[int64]map[relais.Month][]int64, error) {
	if err := s.CatchUpAnalytics(ctx); err != nil {
		return nil, err
	}
	out := map[int64]map[relais.Month][]int64{}
	err := s.read(ctx, func(t *tx) error {
		for chunk := range slices.Chunk(spaceIDs, 500) {
			in, args := inList(chunk)
			rows, err := t.queryOnce(`SELECT space_id, month, user_id FROM analytics_people
				WHERE space_id IN `+in+` AND month >= ? AND month <= ? AND (posts > 0 OR replies > 0)`,
				append(args, int(w.First.Add(-1)), int(w.Last))...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, user int64
				var m int
				if err := rows.Scan(&id, &m, &user); err != nil {
					rows.Close()
					return err
				}
				if out[id] == nil {
					out[id] = map[relais.Month][]int64{}
				}
				out[id][relais.Month(m)] = append(out[id][relais.Month(m)], user)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// Members returns, for each space and month of w, the ids of its members
// at the end of the month (at now for the current one).
func (s *Store) MemberSets(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow, now time.Time) (out map[int64]map[relais.Month]map[int64]bool, err error) {
	err = s.read(ctx, func(t *tx) error {
		out, err = memberSets(t, spaceIDs, w, now)
		return err
	})
	return out, err
}

// memberSets computes members over time: a community's members by their
// join dates and removals; its stewards, and a team space's team and
// manager, as they are today. Inactive accounts are left out.
func memberSets(t *tx, spaceIDs []int64, w relais.AnalyticsWindow, now time.Time) (map[int64]map[relais.Month]map[int64]bool, error) {
	type span struct {
		user, from, to int64 // to 0: still a member
	}
	spans := map[int64][]span{}
	for chunk := range slices.Chunk(spaceIDs, 500) {
		in, args := inList(chunk)
		q := `SELECT m.space_id, m.user_id, m.joined_at, 0 FROM memberships m JOIN users u ON u.id = m.user_id
				WHERE u.active AND m.space_id IN ` + in + `
			UNION ALL SELECT r.space_id, r.user_id, COALESCE(r.joined_at, 0), r.at FROM member_removals r JOIN users u ON u.id = r.user_id
				WHERE u.active AND r.space_id IN ` + in + `
			UNION ALL SELECT st.space_id, st.user_id, 0, 0 FROM space_stewards st JOIN users u ON u.id = st.user_id
				WHERE u.active AND st.space_id IN ` + in + `
			UNION ALL SELECT s.id, tm.user_id, 0, 0 FROM spaces s JOIN team_members tm ON tm.team_id = s.team_id
				JOIN users u ON u.id = tm.user_id WHERE u.active AND s.id IN ` + in + `
			UNION ALL SELECT s.id, tt.manager_id, 0, 0 FROM spaces s JOIN teams tt ON tt.id = s.team_id
				JOIN users u ON u.id = tt.manager_id WHERE u.active AND s.id IN ` + in
		all := slices.Concat(args, args, args, args, args)
		rows, err := t.queryOnce(q, all...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var sp span
			if err := rows.Scan(&id, &sp.user, &sp.from, &sp.to); err != nil {
				rows.Close()
				return nil, err
			}
			spans[id] = append(spans[id], sp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := map[int64]map[relais.Month]map[int64]bool{}
	for _, id := range spaceIDs {
		out[id] = map[relais.Month]map[int64]bool{}
		for _, m := range w.Months() {
			end := millis(m.End())
			if n := millis(now); n < end {
				end = n
			}
			set := map[int64]bool{}
			for _, sp := range spans[id] {
				if sp.from < end && (sp.to == 0 || sp.to >= end) {
					set[sp.user] = true
				}
			}
			out[id][m] = set
		}
	}
	return out, nil
}

// ValueCells sums the benefits declared in the given spaces during the
// months of w, per space, month and kind, with the number of distinct
// declarants of each.
func (s *Store) ValueCells(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow) ([]relais.ValueCell, error) {
	type key struct {
		space int64
		month relais.Month
		kind  relais.BenefitKind
	}
	cells := map[key]*relais.ValueCell{}
	people := map[key]map[int64]bool{}
	err := s.read(ctx, func(t *tx) error {
		for _, id := range spaceIDs {
			rows, err := t.query(`SELECT kind, amount, user_id, created_at FROM benefits
				WHERE space_id = ? AND created_at >= ? AND created_at < ?`, id, millis(w.First.Start()), millis(w.Last.End()))
			if err != nil {
				return err
			}
			for rows.Next() {
				var kind string
				var amount, user, created int64
				if err := rows.Scan(&kind, &amount, &user, &created); err != nil {
					rows.Close()
					return err
				}
				k := key{id, relais.MonthOfMillis(created), relais.BenefitKind(kind)}
				c := cells[k]
				if c == nil {
					c = &relais.ValueCell{SpaceID: k.space, Month: k.month, Kind: k.kind}
					cells[k] = c
					people[k] = map[int64]bool{}
				}
				c.Amount += relais.Amount(amount)
				c.Declarations++
				people[k][user] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	out := make([]relais.ValueCell, 0, len(cells))
	for k, c := range cells {
		c.Declarants = int64(len(people[k]))
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b relais.ValueCell) int {
		if a.SpaceID != b.SpaceID {
			return int(a.SpaceID - b.SpaceID)
		}
		if a.Month != b.Month {
			return int(a.Month - b.Month)
		}
		return slices.Index(relais.BenefitKinds, a.Kind) - slices.Index(relais.BenefitKinds, b.Kind)
	})
	return out, err
}

// ValueSource is a post or a signal on which value was declared: what the
// ledger's entries are traced to. It carries no amount and no declarant:
// those are shown only in totals over at least k people.
type ValueSource struct {
	SpaceID  int64                `json:"space_id"`
	PostID   int64                `json:"post_id,omitempty"`
	SignalID int64                `json:"signal_id,omitempty"`
	Title    string               `json:"title"`
	Kinds    []relais.BenefitKind `json:"kinds"`
	// Last is the month of the latest declaration, YYYY-MM.
	Last string `json:"last"`
	// Cells are the months and kinds of its declarations: the caller keeps
	// those whose totals are shown.
	Cells []ValueSourceCell `json:"-"`
}

// ValueSourceCell is a month and kind a source was declared in.
type ValueSourceCell struct {
	Month relais.Month
	Kind  relais.BenefitKind
}

// ValueSources lists the posts and signals of the given spaces on which
// benefits were declared during w, latest first, with the months and kinds
// of their declarations.
func (s *Store) ValueSources(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow) ([]ValueSource, error) {
	out := []ValueSource{}
	if len(spaceIDs) == 0 {
		return out, nil
	}
	err := s.read(ctx, func(t *tx) error {
		in, args := inList(spaceIDs)
		rows, err := t.queryOnce(`SELECT b.space_id, COALESCE(b.post_id, 0), COALESCE(b.signal_id, 0),
				COALESCE(p.title, sp.title, sg.summary, ''), b.kind, b.created_at
			FROM benefits b LEFT JOIN posts p ON p.id = b.post_id
			LEFT JOIN signals sg ON sg.id = b.signal_id LEFT JOIN posts sp ON sp.id = sg.post_id
			WHERE b.space_id IN `+in+` AND b.created_at >= ? AND b.created_at < ?
			ORDER BY b.created_at DESC, b.id DESC LIMIT 10000`, append(args, millis(w.First.Start()), millis(w.Last.End()))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		idx := map[[2]int64]int{}
		for rows.Next() {
			var v ValueSource
			var kind string
			var at int64
			if err := rows.Scan(&v.SpaceID, &v.PostID, &v.SignalID, &v.Title, &kind, &at); err != nil {
				return err
			}
			cell := ValueSourceCell{Month: relais.MonthOfMillis(at), Kind: relais.BenefitKind(kind)}
			k := [2]int64{v.PostID, v.SignalID}
			i, ok := idx[k]
			if !ok {
				v.Last = cell.Month.String()
				i = len(out)
				idx[k] = i
				out = append(out, v)
			}
			if !slices.Contains(out[i].Cells, cell) {
				out[i].Cells = append(out[i].Cells, cell)
			}
		}
		return rows.Err()
	})
	return out, err
}

// UnitSpaceIDs returns the spaces of a business unit: the communities it
// sponsors and the team spaces of its teams.
func (s *Store) UnitSpaceIDs(ctx context.Context, unitID int64) ([]int64, error) {
	var ids []int64
	err := s.read(ctx, func(t *tx) (err error) {
		ids, err = scanIDs(t.query(`SELECT s.id FROM spaces s LEFT JOIN teams tt ON tt.id = s.team_id
			WHERE s.sponsor_unit_id = ? OR tt.unit_id = ? ORDER BY s.id`, unitID, unitID))
		return err
	})
	return ids, err
}

// AlignedSpaceIDs returns the spaces aligned to a plan objective.
func (s *Store) AlignedSpaceIDs(ctx context.Context, objectiveID int64) ([]int64, error) {
	var ids []int64
	err := s.read(ctx, func(t *tx) (err error) {
		ids, err = scanIDs(t.query("SELECT space_id FROM space_objectives WHERE plan_objective_id = ? ORDER BY space_id", objectiveID))
		return err
	})
	return ids, err
}

// AnalyticsObjective is a plan objective as analytics name it.
type AnalyticsObjective struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// AnalyticsObjectiveByID returns a plan objective's id and title.
func (s *Store) AnalyticsObjectiveByID(ctx context.Context, id int64) (*AnalyticsObjective, error) {
	o := &AnalyticsObjective{}
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT id, title FROM plan_objectives WHERE id = ?", id).Scan(&o.ID, &o.Title)
		if err == sql.ErrNoRows {
			return &relais.Error{Code: relais.ENOTFOUND, Message: "Plan objective not found.", MessageFR: "Objectif du plan introuvable."}
		}
		return err
	})
	return o, err
}

// AnalyticsObjectives returns every plan objective, by title.
func (s *Store) AnalyticsObjectives(ctx context.Context) ([]AnalyticsObjective, error) {
	out := []AnalyticsObjective{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, title FROM plan_objectives ORDER BY title")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o AnalyticsObjective
			if err := rows.Scan(&o.ID, &o.Title); err != nil {
				return err
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}

// SpaceKPITargets returns the KPI targets of the plan objectives a space
// is aligned to (objectiveID 0), or of one objective, by due date.
func (s *Store) SpaceKPITargets(ctx context.Context, spaceID, objectiveID int64) ([]relais.KPIProgress, error) {
	out := []relais.KPIProgress{}
	err := s.read(ctx, func(t *tx) error {
		q := `SELECT k.id, k.plan_objective_id, o.title, k.horizon, k.metric, k.target, k.unit, k.due
			FROM kpi_targets k JOIN plan_objectives o ON o.id = k.plan_objective_id `
		arg := objectiveID
		if spaceID != 0 {
			q += "JOIN space_objectives so ON so.plan_objective_id = k.plan_objective_id WHERE so.space_id = ?"
			arg = spaceID
		} else {
			q += "WHERE k.plan_objective_id = ?"
		}
		rows, err := t.query(q+" ORDER BY k.due, k.id", arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k relais.KPIProgress
			var horizon string
			var target int64
			if err := rows.Scan(&k.TargetID, &k.PlanObjectiveID, &k.Objective, &horizon, &k.Metric, &target, &k.Unit, &k.Due); err != nil {
				return err
			}
			k.Horizon, k.Target = relais.KPIHorizon(horizon), relais.Amount(target)
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// AnalyticsK returns the suppression threshold (relais.DefaultK unless the
// community manager set another).
func (s *Store) AnalyticsK(ctx context.Context) (int, error) {
	k := relais.DefaultK
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT k FROM analytics_settings WHERE id = 1").Scan(&k)
		if err == sql.ErrNoRows {
			return nil
		}
		return err
	})
	return k, err
}

// SetAnalyticsK records the suppression threshold and audits the change.
func (s *Store) SetAnalyticsK(ctx context.Context, actorID int64, k int) error {
	if err := relais.ValidateK(k); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO analytics_settings (id, k, updated_by, updated_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET k = excluded.k, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			k, actorID, millis(time.Now()))
		t.emit(events.Event{Kind: events.AnalyticsKChanged, ActorID: actorID})
		return err
	})
}

// SpaceLeaderboard reports whether a space opted in to a leaderboard.
func (s *Store) SpaceLeaderboard(ctx context.Context, spaceID int64) (bool, error) {
	var on bool
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT leaderboard FROM spaces WHERE id = ?", spaceID).Scan(&on)
		if err == sql.ErrNoRows {
			return notFound("Space")
		}
		return err
	})
	return on, err
}

// SetSpaceLeaderboard opts a space in to a leaderboard, or out, in the
// name of actorID.
func (s *Store) SetSpaceLeaderboard(ctx context.Context, spaceID, actorID int64, on bool) error {
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec("UPDATE spaces SET leaderboard = ? WHERE id = ?", on, spaceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Space")
		}
		t.emit(events.Event{Kind: events.LeaderboardChanged, SpaceID: spaceID, ActorID: actorID, Subject: spaceID})
		return nil
	})
}

// LeaderboardEntry is one person on a space's leaderboard: a rank and a
// name, never a figure.
type LeaderboardEntry struct {
	Rank   int    `json:"rank"`
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// Leaderboard ranks, by posts and replies in a space during a month, the
// people who opted in themselves and still belong to the space.
func (s *Store) Leaderboard(ctx context.Context, spaceID int64, m relais.Month, limit int) ([]LeaderboardEntry, error) {
	if err := s.CatchUpAnalytics(ctx); err != nil {
		return nil, err
	}
	out := []LeaderboardEntry{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT ap.user_id, u.name, ap.posts + ap.replies AS n FROM analytics_people ap
			JOIN users u ON u.id = ap.user_id AND u.active
			JOIN privacy_settings ps ON ps.user_id = ap.user_id AND ps.leaderboard
			JOIN spaces s ON s.id = ap.space_id
			WHERE ap.space_id = ? AND ap.month = ? AND ap.posts + ap.replies > 0 AND (
				EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = s.id AND m.user_id = ap.user_id)
				OR EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = s.id AND st.user_id = ap.user_id)
				OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = s.team_id AND tm.user_id = ap.user_id)
				OR EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = ap.user_id))
			ORDER BY n DESC, u.name LIMIT ?`, spaceID, int(m), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		rank, prev := 0, int64(-1)
		for i := 1; rows.Next(); i++ {
			var e LeaderboardEntry
			var n int64
			if err := rows.Scan(&e.UserID, &e.Name, &n); err != nil {
				return err
			}
			if n != prev {
				rank, prev = i, n
			}
			e.Rank = rank
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// Privacy returns a person's privacy settings (the defaults when they set
// none).
func (s *Store) Privacy(ctx context.Context, userID int64) (relais.Privacy, error) {
	p := relais.DefaultPrivacy
	err := s.read(ctx, func(t *tx) error {
		var vis string
		err := t.queryRow("SELECT leaderboard, profile_visibility FROM privacy_settings WHERE user_id = ?", userID).Scan(&p.Leaderboard, &vis)
		if err == sql.ErrNoRows {
			return nil
		}
		p.ProfileVisibility = relais.ProfileVisibility(vis)
		return err
	})
	return p, err
}

// SetPrivacy records a person's privacy settings.
func (s *Store) SetPrivacy(ctx context.Context, userID int64, p relais.Privacy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO privacy_settings (user_id, leaderboard, profile_visibility, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET leaderboard = excluded.leaderboard, profile_visibility = excluded.profile_visibility,
			updated_at = excluded.updated_at`, userID, p.Leaderboard, string(p.ProfileVisibility), millis(time.Now()))
		t.emit(events.Event{Kind: events.PrivacyChanged, ActorID: userID, Subject: userID, UserID: userID})
		return err
	})
}

// belongsTo is the condition that user ? belongs to space s (a member, a
// steward, one of its team or the team's manager).
const belongsTo = `(EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = s.id AND m.user_id = ?)
	OR EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = s.id AND st.user_id = ?)
	OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = s.team_id AND tm.user_id = ?)
	OR EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = ?))`

// SharedSpaceIDs returns the spaces both people belong to.
func (s *Store) SharedSpaceIDs(ctx context.Context, a, b int64) ([]int64, error) {
	var ids []int64
	err := s.read(ctx, func(t *tx) (err error) {
		ids, err = scanIDs(t.query("SELECT s.id FROM spaces s WHERE "+belongsTo+" AND "+belongsTo+" ORDER BY s.id",
			a, a, a, a, b, b, b, b))
		return err
	})
	return ids, err
}

// PersonMonth is a person's own activity in one space and month.
type PersonMonth struct {
	SpaceID  int64
	Month    relais.Month
	Posts    int64
	Replies  int64
	Answers  int64 // first responses given
	Received int64 // replies received from others
	Answered int64 // own threads that got an answer
}

// PersonActivity returns a person's own rows over the months of w.
func (s *Store) PersonActivity(ctx context.Context, userID int64, w relais.AnalyticsWindow) ([]PersonMonth, error) {
	if err := s.CatchUpAnalytics(ctx); err != nil {
		return nil, err
	}
	out := []PersonMonth{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT space_id, month, posts, replies, answers, received, answered FROM analytics_people
			WHERE user_id = ? AND month >= ? AND month <= ? ORDER BY month, space_id`, userID, int(w.First), int(w.Last))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p PersonMonth
			var m int
			if err := rows.Scan(&p.SpaceID, &m, &p.Posts, &p.Replies, &p.Answers, &p.Received, &p.Answered); err != nil {
				return err
			}
			p.Month = relais.Month(m)
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// ReusedPractice is a best practice someone else wrote that a person
// replied to or reacted to.
type ReusedPractice struct {
	PostID     int64     `json:"post_id"`
	SpaceID    int64     `json:"space_id"`
	Title      string    `json:"title"`
	AuthorName string    `json:"author_name"`
	FirstAt    time.Time `json:"first_reused_at"`
}

// ReusedPractices returns the published best practices a person first
// reused during w, latest first.
func (s *Store) ReusedPractices(ctx context.Context, userID int64, w relais.AnalyticsWindow) ([]ReusedPractice, error) {
	out := []ReusedPractice{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT p.id, p.space_id, p.title, u.name, r.first_at FROM analytics_reuse r
			JOIN posts p ON p.id = r.post_id JOIN users u ON u.id = p.author_id
			WHERE r.user_id = ? AND r.first_at >= ? AND r.first_at < ? AND p.status = 'published'
			ORDER BY r.first_at DESC, p.id DESC LIMIT 500`, userID, millis(w.First.Start()), millis(w.Last.End()))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r ReusedPractice
			var at int64
			if err := rows.Scan(&r.PostID, &r.SpaceID, &r.Title, &r.AuthorName, &at); err != nil {
				return err
			}
			r.FirstAt = fromMillis(at)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// ValueOnAuthor sums, per kind, what others declared during w on the
// published posts a person wrote, with the number of distinct declarants.
func (s *Store) ValueOnAuthor(ctx context.Context, authorID int64, w relais.AnalyticsWindow) ([]relais.ValueCell, error) {
	out := []relais.ValueCell{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT b.kind, CAST(SUM(b.amount) AS BIGINT), COUNT(*), COUNT(DISTINCT b.user_id) FROM benefits b
			JOIN posts p ON p.id = b.post_id
			WHERE p.author_id = ? AND b.user_id <> ? AND p.status = 'published' AND b.created_at >= ? AND b.created_at < ?
			GROUP BY b.kind`, authorID, authorID, millis(w.First.Start()), millis(w.Last.End()))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c relais.ValueCell
			var kind string
			var sum int64
			if err := rows.Scan(&kind, &sum, &c.Declarations, &c.Declarants); err != nil {
				return err
			}
			c.Kind, c.Amount = relais.BenefitKind(kind), relais.Amount(sum)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// BulkThreads is a synthetic load for benchmarks: Posts published threads
// in a space, spread evenly over [From, To), written by Authors in turn;
// every Every-th thread gets a reply from the next author, Delay later.
type BulkThreads struct {
	SpaceID  int64
	Authors  []int64
	Posts    int
	From, To time.Time
	Every    int
	Delay    time.Duration
}

// LoadBulk writes a synthetic load with multi-row inserts, in transactions
// of 20,000 posts, without the search index: it is for benchmarks only.
// The analytics log fills as with any write; RebuildAnalytics then folds
// it in one pass.
func (s *Store) LoadBulk(ctx context.Context, b BulkThreads) error {
	if len(b.Authors) < 2 || b.Posts <= 0 || !b.To.After(b.From) {
		return fmt.Errorf("store: LoadBulk needs two authors, posts and a period")
	}
	span := b.To.Sub(b.From).Milliseconds()
	const perTx, perStmt = 20000, 500
	for done := 0; done < b.Posts; done += perTx {
		n := min(perTx, b.Posts-done)
		err := s.write(ctx, func(t *tx) error {
			var first int64
			if err := t.queryRow("SELECT COALESCE(MAX(id), 0) FROM posts").Scan(&first); err != nil {
				return err
			}
			for i := 0; i < n; i += perStmt {
				m := min(perStmt, n-i)
				args := make([]any, 0, m*7)
				for j := 0; j < m; j++ {
					x := done + i + j
					at := millis(b.From) + int64(x)*span/int64(b.Posts)
					args = append(args, first+int64(i+j)+1, b.SpaceID, b.Authors[x%len(b.Authors)], "question",
						fmt.Sprintf("Question %d", x), "Texte de la question.", at)
				}
				q := "INSERT INTO posts (id, space_id, author_id, kind, title, body, status, created_at) VALUES " +
					repeatJoin("(?, ?, ?, ?, ?, ?, 'published', ?)", m)
				if _, err := t.execOnce(q, args...); err != nil {
					return err
				}
			}
			if b.Every <= 0 {
				return nil
			}
			var rargs []any
			flush := func() error {
				if len(rargs) == 0 {
					return nil
				}
				q := "INSERT INTO replies (post_id, author_id, body, status, created_at) VALUES " + repeatJoin("(?, ?, ?, 'published', ?)", len(rargs)/4)
				_, err := t.execOnce(q, rargs...)
				rargs = rargs[:0]
				return err
			}
			for j := 0; j < n; j++ {
				x := done + j
				if x%b.Every != 0 {
					continue
				}
				at := millis(b.From) + int64(x)*span/int64(b.Posts)
				rargs = append(rargs, first+int64(j)+1, b.Authors[(x+1)%len(b.Authors)], "Réponse.", at+b.Delay.Milliseconds())
				if len(rargs) >= perStmt*4 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			return flush()
		})
		if err != nil {
			return err
		}
	}
	if s.d.name == "postgres" {
		// Identity columns do not follow explicit ids by themselves.
		if _, err := s.w.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT MAX(id) FROM posts))"); err != nil {
			return err
		}
	}
	return nil
}

func repeatJoin(s string, n int) string {
	out := make([]byte, 0, n*(len(s)+2))
	for i := 0; i < n; i++ {
		if i > 0 {
			out = append(out, ", "...)
		}
		out = append(out, s...)
	}
	return string(out)
}
