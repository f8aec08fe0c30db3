package app

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"relais"
	"relais/policy"
	"relais/store"
)

// Analytics of a space, a business unit or a plan objective: activity per
// calendar month beside the declared value, against the plan's KPI
// targets, every figure protected (see relais.Protect).

// ScopeSpace names a space that an analytics report covers, when the
// reader may see it.
type ScopeSpace struct {
	ID   int64            `json:"id"`
	Name string           `json:"name"`
	Kind relais.SpaceKind `json:"kind"`
}

// ValueReport is the declared value of a scope over the months of a
// window: per month and kind, and the sum over the window of the months
// shown. Partial says that some month of some kind was left out because
// fewer than k people declared it.
type ValueReport struct {
	Months  []relais.ValueMonth  `json:"months"`
	Total   []relais.ValueFigure `json:"total"`
	Partial bool                 `json:"partial"`
}

// AnalyticsReport is what an analytics page and its API show: the last
// month's activity, the trend over the window, the declared value, the KPI
// targets and the sources of the value the reader may see.
type AnalyticsReport struct {
	Scope relais.ScopeKind `json:"scope"`
	ID    int64            `json:"id"`
	Name  string           `json:"name"`
	// Period is the last month of the window, Since the first (YYYY-MM).
	Period string `json:"period"`
	Since  string `json:"since"`
	// K is the suppression threshold in force.
	K int `json:"k"`
	// Current is the activity of the last month; Suppressed says that one
	// of its figures is suppressed.
	Current    relais.Activity   `json:"current"`
	Suppressed bool              `json:"suppressed"`
	Trend      []relais.Activity `json:"trend"`
	Value      ValueReport       `json:"value"`
	// Targets are the KPI targets of the plan objectives concerned.
	Targets []relais.KPIProgress `json:"targets"`
	// Sources are the posts and signals value was declared on, among those
	// the reader may see: each total is traced to what produced it.
	Sources []store.ValueSource `json:"sources"`
	// Spaces are the spaces covered that the reader may see; Others
	// counts those they may not (team spaces, mostly).
	Spaces      []ScopeSpace `json:"spaces"`
	OtherSpaces int          `json:"other_spaces"`
	GeneratedAt time.Time    `json:"generated_at"`
}

// maxSources bounds the sources listed.
const maxSources = 50

// SpaceAnalytics returns the analytics of a space to whoever may read its
// reports: its stewards, the community manager and its sponsor; a team's
// manager for the team space.
func (s *Service) SpaceAnalytics(ctx context.Context, u *relais.User, spaceID int64, w relais.AnalyticsWindow) (*AnalyticsReport, error) {
	v, err := s.figuresView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	rep := &AnalyticsReport{Scope: relais.ScopeSpace, ID: spaceID, Name: v.Name}
	targets, err := s.Store.SpaceKPITargets(ctx, spaceID, 0)
	if err != nil {
		return nil, err
	}
	return rep, s.analytics(ctx, u, rep, []int64{spaceID}, w, targets)
}

// figuresView loads a space whose aggregate figures the actor may read:
// the policy's ReadReport alone decides, so that a team's coach reads them
// (coaching.figures) without seeing anything else of the space. Whoever
// else may read them may see the space.
func (s *Service) figuresView(ctx context.Context, u *relais.User, spaceID int64) (*SpaceView, error) {
	v, err := s.loadSpaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.refuse(v.Can.ReadReport, spaceNotFound); err != nil {
		return nil, err
	}
	return v, nil
}

// UnitAnalytics returns the analytics of a business unit's spaces (the
// communities it sponsors and its teams' spaces) to those who read their
// reports as sponsor: the unit's head, and the community manager.
func (s *Service) UnitAnalytics(ctx context.Context, u *relais.User, unitID int64, w relais.AnalyticsWindow) (*AnalyticsReport, error) {
	unit, err := s.Store.UnitByID(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if err := readsAsSponsor(u, unit.HeadID == u.ID); err != nil {
		return nil, err
	}
	ids, err := s.Store.UnitSpaceIDs(ctx, unitID)
	if err != nil {
		return nil, err
	}
	rep := &AnalyticsReport{Scope: relais.ScopeUnit, ID: unitID, Name: unit.Name}
	return rep, s.analytics(ctx, u, rep, ids, w, nil)
}

// ObjectiveAnalytics returns the analytics of the spaces aligned to a plan
// objective, against its KPI targets, to the community manager and to the
// heads of the units that sponsor one of those spaces.
func (s *Service) ObjectiveAnalytics(ctx context.Context, u *relais.User, objectiveID int64, w relais.AnalyticsWindow) (*AnalyticsReport, error) {
	o, err := s.Store.AnalyticsObjectiveByID(ctx, objectiveID)
	if err != nil {
		return nil, err
	}
	ids, err := s.Store.AlignedSpaceIDs(ctx, objectiveID)
	if err != nil {
		return nil, err
	}
	sponsor, err := s.headsSponsorOf(ctx, u, ids)
	if err != nil {
		return nil, err
	}
	if err := readsAsSponsor(u, sponsor); err != nil {
		return nil, err
	}
	targets, err := s.Store.SpaceKPITargets(ctx, 0, objectiveID)
	if err != nil {
		return nil, err
	}
	rep := &AnalyticsReport{Scope: relais.ScopeObjective, ID: objectiveID, Name: o.Title}
	return rep, s.analytics(ctx, u, rep, ids, w, targets)
}

// readsAsSponsor applies the rule of reports to a set of spaces: the
// community manager reads them, and their sponsor.
func readsAsSponsor(u *relais.User, sponsor bool) error {
	d := policy.Decide(policy.ActorOf(u), policy.ReadReport, policy.Target{
		Space: &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, Sponsor: sponsor})
	return d.Err()
}

// headsSponsorOf reports whether u heads the unit that sponsors one of the
// spaces.
func (s *Service) headsSponsorOf(ctx context.Context, u *relais.User, spaceIDs []int64) (bool, error) {
	rels, err := s.Store.Relations(ctx, u.ID)
	if err != nil {
		return false, err
	}
	for _, id := range spaceIDs {
		if rels[id].Sponsor {
			return true, nil
		}
	}
	return false, nil
}

// analytics fills a report over spaces.
func (s *Service) analytics(ctx context.Context, u *relais.User, rep *AnalyticsReport, spaceIDs []int64, w relais.AnalyticsWindow, targets []relais.KPIProgress) error {
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return err
	}
	rep.K, rep.Period, rep.Since = k, w.Last.String(), w.First.String()
	now := time.Now()
	if rep.Trend, err = s.activity(ctx, spaceIDs, w, k, now); err != nil {
		return err
	}
	rep.Current = rep.Trend[len(rep.Trend)-1]
	rep.Suppressed = rep.Current.Suppressed
	cells, err := s.Store.ValueCells(ctx, spaceIDs, w)
	if err != nil {
		return err
	}
	rep.Value = protectValue(cells, w, k)
	rep.Targets = progress(targets, rep.Current, rep.Value)
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return err
	}
	byID := map[int64]*SpaceView{}
	for _, v := range views {
		byID[v.ID] = v
	}
	rep.Spaces = []ScopeSpace{}
	for _, id := range spaceIDs {
		if v := byID[id]; v != nil && v.Can.View.Allowed() {
			rep.Spaces = append(rep.Spaces, ScopeSpace{ID: id, Name: v.Name, Kind: v.Kind})
		} else {
			rep.OtherSpaces++
		}
	}
	sources, err := s.Store.ValueSources(ctx, spaceIDs, w)
	if err != nil {
		return err
	}
	// A source is listed for the totals that are shown, and only to who
	// may see it: a post to the readers of its space, a signal to who may
	// see the signal.
	shown := map[store.ValueSourceCell]map[int64]bool{}
	for _, c := range cells {
		if c.Declarants >= int64(k) {
			key := store.ValueSourceCell{Month: c.Month, Kind: c.Kind}
			if shown[key] == nil {
				shown[key] = map[int64]bool{}
			}
			shown[key][c.SpaceID] = true
		}
	}
	rep.Sources = []store.ValueSource{}
	for _, src := range sources {
		if len(rep.Sources) == maxSources {
			break
		}
		src.Kinds = []relais.BenefitKind{}
		for _, kind := range relais.BenefitKinds {
			for _, c := range src.Cells {
				if c.Kind == kind && shown[c][src.SpaceID] && !slices.Contains(src.Kinds, kind) {
					src.Kinds = append(src.Kinds, kind)
				}
			}
		}
		if len(src.Kinds) == 0 {
			continue
		}
		if src.PostID != 0 {
			if v := byID[src.SpaceID]; v == nil || v.Can.Read.Effect != policy.Allow {
				continue
			}
		} else if s.seeSignal(ctx, u, src.SignalID) != nil {
			continue
		}
		rep.Sources = append(rep.Sources, src)
	}
	rep.GeneratedAt = now.UTC().Truncate(time.Second)
	return nil
}

// activity returns the protected activity of spaces over the months of w.
// One space reads its cells; several are combined from the cells whose
// figure is shown, and only those: a suppressed cell feeds no sum, no
// union and no median, so no difference of published figures recovers it.
func (s *Service) activity(ctx context.Context, spaceIDs []int64, w relais.AnalyticsWindow, k int, now time.Time) ([]relais.Activity, error) {
	if len(spaceIDs) == 1 {
		cells, err := s.Store.ActivityCells(ctx, spaceIDs, w, now)
		if err != nil {
			return nil, err
		}
		out := make([]relais.Activity, 0, len(cells))
		for _, m := range w.Months() {
			out = append(out, relais.Protect(*cells[spaceIDs[0]][m], k))
		}
		return out, nil
	}
	// The month before the window decides retention of its first month.
	wide := relais.AnalyticsWindow{First: w.First.Add(-1), Last: w.Last}
	cells, err := s.Store.ActivityCells(ctx, spaceIDs, wide, now)
	if err != nil {
		return nil, err
	}
	members, err := s.Store.MemberSets(ctx, spaceIDs, wide, now)
	if err != nil {
		return nil, err
	}
	people, err := s.Store.ActivePeople(ctx, spaceIDs, wide)
	if err != nil {
		return nil, err
	}
	// active returns the union of the active people of the spaces whose
	// active figure is shown in month m.
	active := func(m relais.Month) map[int64]bool {
		set := map[int64]bool{}
		for _, id := range spaceIDs {
			if c := cells[id][m]; c != nil && c.Active >= int64(k) {
				for _, p := range people[id][m] {
					set[p] = true
				}
			}
		}
		return set
	}
	var out []relais.Activity
	prev := active(wide.First)
	for _, m := range w.Months() {
		a := relais.Activity{Period: m.String(), SuppressedFigures: []string{}}
		var posts, replies, answered, rated int64
		var anyPosts, anyReplies, anyRate bool
		delays := map[int]int64{}
		memberSet := map[int64]bool{}
		for _, id := range spaceIDs {
			c := cells[id][m]
			pub := c.Published(k)
			if pub[relais.FigurePosts] {
				posts, anyPosts = posts+c.Posts, true
			}
			if pub[relais.FigureReplies] {
				replies, anyReplies = replies+c.Replies, true
			}
			if pub[relais.FigureAnswerRate] {
				answered, rated, anyRate = answered+c.Answered, rated+c.Posts, true
				for b, n := range c.Delays {
					delays[b] += n
				}
			}
			if int64(len(members[id][m])) >= int64(k) {
				maps.Copy(memberSet, members[id][m])
			}
		}
		cur := active(m)
		hide := func(name string) { a.SuppressedFigures = append(a.SuppressedFigures, name) }
		if len(memberSet) >= k {
			n := int64(len(memberSet))
			a.Members = &n
		} else {
			hide(relais.FigureMembers)
		}
		if len(cur) >= k {
			n := int64(len(cur))
			a.ActiveMembers = &n
		} else {
			hide(relais.FigureActiveMembers)
		}
		if anyPosts {
			a.Posts = &posts
		} else {
			hide(relais.FigurePosts)
		}
		if anyReplies {
			a.Replies = &replies
		} else {
			hide(relais.FigureReplies)
		}
		if anyRate {
			if med, ok := relais.MedianOfBuckets(delays); ok {
				a.MedianFirstResponse = &med
			}
			if rated > 0 {
				r := math.Round(float64(answered)/float64(rated)*10000) / 10000
				a.AnswerRate = &r
			}
		} else {
			hide(relais.FigureMedian)
			hide(relais.FigureAnswerRate)
		}
		if len(cur) >= k && len(prev) >= k {
			kept := 0
			for p := range cur {
				if prev[p] {
					kept++
				}
			}
			r := math.Round(float64(kept)/float64(len(prev))*10000) / 10000
			a.Retention = &r
		} else {
			hide(relais.FigureRetention)
		}
		a.Suppressed = len(a.SuppressedFigures) > 0
		out = append(out, a)
		prev = cur
	}
	return out, nil
}

// protectValue sums declared value per month and kind from the cells
// declared by at least k people, and only from them.
func protectValue(cells []relais.ValueCell, w relais.AnalyticsWindow, k int) ValueReport {
	type key struct {
		month relais.Month
		kind  relais.BenefitKind
	}
	sum, count, shown := map[key]relais.Amount{}, map[key]int64{}, map[key]bool{}
	vr := ValueReport{Months: []relais.ValueMonth{}, Total: []relais.ValueFigure{}}
	for _, c := range cells {
		if c.Declarants < int64(k) {
			vr.Partial = true
			continue
		}
		kk := key{c.Month, c.Kind}
		sum[kk] += c.Amount
		count[kk] += c.Declarations
		shown[kk] = true
	}
	totalSum, totalCount, totalShown := map[relais.BenefitKind]relais.Amount{}, map[relais.BenefitKind]int64{}, map[relais.BenefitKind]bool{}
	for _, m := range w.Months() {
		vm := relais.ValueMonth{Period: m.String(), Figures: []relais.ValueFigure{}}
		for _, kind := range relais.BenefitKinds {
			f := relais.ValueFigure{Kind: kind, Unit: kind.Unit()}
			kk := key{m, kind}
			if shown[kk] {
				a, n := sum[kk], count[kk]
				f.Amount, f.Declarations = &a, &n
				totalSum[kind] += a
				totalCount[kind] += n
				totalShown[kind] = true
			} else {
				f.Suppressed, vm.Suppressed = true, true
			}
			vm.Figures = append(vm.Figures, f)
		}
		vr.Months = append(vr.Months, vm)
	}
	for _, kind := range relais.BenefitKinds {
		f := relais.ValueFigure{Kind: kind, Unit: kind.Unit()}
		if totalShown[kind] {
			a, n := totalSum[kind], totalCount[kind]
			f.Amount, f.Declarations = &a, &n
		} else {
			f.Suppressed = true
		}
		vr.Total = append(vr.Total, f)
	}
	return vr
}

// progress sets each KPI target beside the figure Relais measures for it:
// an activity target beside the last month's figure, a value target
// beside the value declared over the window.
func progress(targets []relais.KPIProgress, current relais.Activity, value ValueReport) []relais.KPIProgress {
	out := []relais.KPIProgress{}
	for _, t := range targets {
		t.Figure = relais.KPIFigure(t.Horizon, t.Metric, t.Unit)
		var actual *relais.Amount
		lowerIsBetter := false
		switch t.Figure {
		case "":
		case relais.FigureMembers, relais.FigureActiveMembers, relais.FigurePosts, relais.FigureReplies:
			if n := countOf(current, t.Figure); n != nil {
				a := relais.Amount(*n * 100)
				actual = &a
			}
		case relais.FigureAnswerRate, relais.FigureRetention:
			x := current.AnswerRate
			if t.Figure == relais.FigureRetention {
				x = current.Retention
			}
			if x != nil {
				// A target above 1 is a percentage, else a share.
				a := relais.Amount(math.Round(*x * 100))
				if t.Target > 100 {
					a = relais.Amount(math.Round(*x * 100 * 100))
				}
				actual = &a
			}
		case relais.FigureMedian:
			lowerIsBetter = true
			if current.MedianFirstResponse != nil {
				a := relais.Amount(math.Round(float64(*current.MedianFirstResponse) / delayUnit(t.Unit) * 100))
				actual = &a
			}
		default: // a benefit kind
			for _, f := range value.Total {
				if string(f.Kind) == t.Figure && f.Amount != nil {
					a := *f.Amount
					actual = &a
				}
			}
		}
		if t.Figure != "" && actual == nil {
			t.Suppressed = true
		}
		t.Actual = actual
		if actual != nil && t.Target > 0 {
			p := float64(*actual) / float64(t.Target)
			if lowerIsBetter {
				p = 0
				if *actual > 0 {
					p = float64(t.Target) / float64(*actual)
				}
			}
			p = math.Round(p*1000) / 1000
			t.Progress = &p
		}
		out = append(out, t)
	}
	return out
}

// countOf returns a count figure of an activity (nil when suppressed).
func countOf(a relais.Activity, name string) *int64 {
	switch name {
	case relais.FigureMembers:
		return a.Members
	case relais.FigureActiveMembers:
		return a.ActiveMembers
	case relais.FigurePosts:
		return a.Posts
	case relais.FigureReplies:
		return a.Replies
	}
	return nil
}

// delayUnit returns the seconds in the unit a delay target is written in
// (hours unless it says otherwise).
func delayUnit(unit string) float64 {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "s", "sec", "secondes", "seconds":
		return 1
	case "min", "minutes", "mn":
		return 60
	case "j", "jours", "jour", "d", "days", "day":
		return 86400
	}
	return 3600
}

// AnalyticsSettings is the suppression threshold and its bounds.
type AnalyticsSettings struct {
	K       int `json:"k"`
	Default int `json:"default"`
	Min     int `json:"min"`
	Max     int `json:"max"`
}

// AnalyticsSettings returns the suppression threshold in force.
func (s *Service) AnalyticsSettings(ctx context.Context) (*AnalyticsSettings, error) {
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return nil, err
	}
	return &AnalyticsSettings{K: k, Default: relais.DefaultK, Min: relais.MinK, Max: relais.MaxK}, nil
}

// SetAnalyticsK sets the suppression threshold: the community manager
// governs it, from relais.MinK (5, never less) to relais.MaxK.
func (s *Service) SetAnalyticsK(ctx context.Context, u *relais.User, k int) (*AnalyticsSettings, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	if err := relais.ValidateK(k); err != nil {
		return nil, err
	}
	if err := s.Store.SetAnalyticsK(ctx, u.ID, k); err != nil {
		return nil, err
	}
	return s.AnalyticsSettings(ctx)
}

// Leaderboard is a space's leaderboard for a month: whether the space
// opted in, and the ranks of the people who opted in themselves. It shows
// ranks, never figures: figures of some people set beside the space's
// totals would give away the others'.
type Leaderboard struct {
	SpaceID int64                    `json:"space_id"`
	Enabled bool                     `json:"enabled"`
	Period  string                   `json:"period"`
	Entries []store.LeaderboardEntry `json:"entries"`
	// OptedIn says whether the reader opted in themselves.
	OptedIn bool `json:"opted_in"`
	// CanToggle says whether the reader may open or close it.
	CanToggle bool `json:"can_toggle"`
}

// maxLeaderboard bounds a leaderboard.
const maxLeaderboard = 20

// SpaceLeaderboard returns a space's leaderboard to who may read the
// space. Without the space's opt-in it lists no one.
func (s *Service) SpaceLeaderboard(ctx context.Context, u *relais.User, spaceID int64, m relais.Month) (*Leaderboard, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	on, err := s.Store.SpaceLeaderboard(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	mine, err := s.Store.Privacy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	lb := &Leaderboard{SpaceID: spaceID, Enabled: on, Period: m.String(), Entries: []store.LeaderboardEntry{}, OptedIn: mine.Leaderboard,
		CanToggle: policy.Decide(policy.ActorOf(u), policy.OptInLeaderboard, target(v.Space, v.Relation)).Allowed()}
	if on {
		if lb.Entries, err = s.Store.Leaderboard(ctx, spaceID, m, maxLeaderboard); err != nil {
			return nil, err
		}
	}
	return lb, nil
}

// SetSpaceLeaderboard opens a space's leaderboard, or closes it: its
// internal stewards decide, or a team's manager.
func (s *Service) SetSpaceLeaderboard(ctx context.Context, u *relais.User, spaceID int64, on bool) (*Leaderboard, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.OptInLeaderboard); err != nil {
		return nil, err
	}
	if err := s.Store.SetSpaceLeaderboard(ctx, spaceID, u.ID, on); err != nil {
		return nil, err
	}
	return s.SpaceLeaderboard(ctx, u, spaceID, relais.MonthOf(time.Now()))
}

// Privacy returns the caller's own privacy settings.
func (s *Service) Privacy(ctx context.Context, u *relais.User) (relais.Privacy, error) {
	return s.Store.Privacy(ctx, u.ID)
}

// SetPrivacy records the caller's own privacy settings.
func (s *Service) SetPrivacy(ctx context.Context, u *relais.User, p relais.Privacy) (relais.Privacy, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	if err := s.Store.SetPrivacy(ctx, u.ID, p); err != nil {
		return p, err
	}
	return p, nil
}

// PersonProfile is a person as others see them: who they are and the spaces the
// viewer shares with them.
type PersonProfile struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	UnitName  string       `json:"unit_name,omitempty"`
	Site      string       `json:"site,omitempty"`
	JobFamily string       `json:"job_family,omitempty"`
	Shared    []ScopeSpace `json:"shared_spaces"`
	// Visibility is the person's setting, shown to them alone.
	Visibility relais.ProfileVisibility `json:"visibility,omitempty"`
}

// PersonProfile returns a person's profile to who may see it, as they chose:
// everyone the directory lets see them, or only the members of their
// spaces. Anyone else gets not found.
func (s *Service) PersonProfile(ctx context.Context, u *relais.User, userID int64) (*PersonProfile, error) {
	gone := &relais.Error{Code: relais.ENOTFOUND, Message: "Person not found.", MessageFR: "Personne introuvable."}
	p, err := s.Store.UserByID(ctx, userID)
	if relais.ErrorCode(err) == relais.ENOTFOUND || (err == nil && !p.Active) {
		return nil, gone
	} else if err != nil {
		return nil, err
	}
	shared, err := s.Store.SharedSpaceIDs(ctx, u.ID, userID)
	if err != nil {
		return nil, err
	}
	settings, err := s.Store.Privacy(ctx, userID)
	if err != nil {
		return nil, err
	}
	self := u.ID == userID
	d := policy.Decide(policy.ActorOf(u), policy.ViewProfile, policy.Target{Member: self || len(shared) > 0,
		Restricted: settings.ProfileVisibility == relais.VisibleToSpaces})
	if !d.Allowed() {
		return nil, gone
	}
	pr := &PersonProfile{ID: p.ID, Name: p.Name, Site: p.Site, JobFamily: p.JobFamily, Shared: []ScopeSpace{}}
	if self {
		pr.Visibility = settings.ProfileVisibility
	}
	if p.UnitID != 0 {
		if unit, err := s.Store.UnitByID(ctx, p.UnitID); err == nil {
			pr.UnitName = unit.Name
		}
	}
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if slices.Contains(shared, v.ID) && v.Can.View.Allowed() {
			pr.Shared = append(pr.Shared, ScopeSpace{ID: v.ID, Name: v.Name, Kind: v.Kind})
		}
	}
	return pr, nil
}

// AnalyticsScopes are the analytics a person may read: spaces, units and
// plan objectives.
type AnalyticsScopes struct {
	// K is the suppression threshold in force: a figure computed from
	// fewer than K distinct people is never shown.
	K          int                        `json:"k"`
	Spaces     []ScopeSpace               `json:"spaces"`
	Units      []relais.Unit              `json:"units"`
	Objectives []store.AnalyticsObjective `json:"objectives"`
}

// AnalyticsScopes lists what the person may read analytics of.
func (s *Service) AnalyticsScopes(ctx context.Context, u *relais.User) (*AnalyticsScopes, error) {
	out := &AnalyticsScopes{Spaces: []ScopeSpace{}, Units: []relais.Unit{}, Objectives: []store.AnalyticsObjective{}}
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return nil, err
	}
	out.K = k
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.Can.View.Allowed() && v.Can.ReadReport.Allowed() {
			out.Spaces = append(out.Spaces, ScopeSpace{ID: v.ID, Name: v.Name, Kind: v.Kind})
		}
	}
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	for _, unit := range units {
		if readsAsSponsor(u, unit.HeadID == u.ID) == nil {
			out.Units = append(out.Units, unit)
		}
	}
	objectives, err := s.Store.AnalyticsObjectives(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range objectives {
		if readsAsSponsor(u, false) == nil {
			out.Objectives = append(out.Objectives, o)
			continue
		}
		ids, err := s.Store.AlignedSpaceIDs(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		if sponsor, err := s.headsSponsorOf(ctx, u, ids); err != nil {
			return nil, err
		} else if sponsor {
			out.Objectives = append(out.Objectives, o)
		}
	}
	return out, nil
}

// RefreshAnalytics folds the writes waiting in the analytics log into the
// rollups. Readers do it anyway before reading; a background loop calling
// it keeps their wait short.
func (s *Service) RefreshAnalytics(ctx context.Context) error {
	return s.Store.CatchUpAnalytics(ctx)
}
