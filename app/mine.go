package app

import (
	"context"
	"math"

	"relais"
	"relais/store"
)

// "What Relais brings me": a person's own figures, in terms of the work
// they already do. Nobody else reads them, so nothing is suppressed but
// what others declared (their declarations are theirs).

// MyMonth is what a month brought a person, all spaces together.
type MyMonth struct {
	Period string `json:"period"` // YYYY-MM
	// Threads the person opened, and how many of them someone else
	// answered.
	Questions         int64 `json:"threads_opened"`
	QuestionsAnswered int64 `json:"threads_answered"`
	// AnswersReceived counts the replies others wrote in the person's
	// threads.
	AnswersReceived int64 `json:"replies_received"`
	// Replies the person wrote, and the first responses among them.
	Replies      int64 `json:"replies_written"`
	AnswersGiven int64 `json:"first_responses_given"`
}

func (m *MyMonth) add(p store.PersonMonth) {
	m.Questions += p.Posts
	m.QuestionsAnswered += p.Answered
	m.AnswersReceived += p.Received
	m.Replies += p.Replies
	m.AnswersGiven += p.Answers
}

// MySpace is a person's own activity in one space over the window.
type MySpace struct {
	ScopeSpace
	MyMonth
}

// MyValue is what Relais brought a person over a window of months.
type MyValue struct {
	Period string    `json:"period"`
	Since  string    `json:"since"`
	Months []MyMonth `json:"months"`
	Totals MyMonth   `json:"totals"`
	// Spaces is the activity per space the person may still see; Elsewhere
	// sums the rest (spaces they left).
	Spaces    []MySpace `json:"spaces"`
	Elsewhere MyMonth   `json:"elsewhere"`
	// TimeSavedHours is the time the person declared Relais saved them;
	// TimeSavedDays says it in working days of 7 hours.
	TimeSavedHours relais.Amount `json:"time_saved_hours"`
	TimeSavedDays  float64       `json:"time_saved_days"`
	// Declared sums, per kind, every benefit the person declared.
	Declared []relais.BenefitTotal `json:"declared"`
	// BroughtToOthers sums, per kind, what others declared on the person's
	// posts: null when fewer than k people declared it.
	BroughtToOthers []relais.ValueFigure `json:"brought_to_others"`
	// BestPractices are the best practices others wrote that the person
	// reused (replied to or reacted to) for the first time in the window,
	// among those they may still read.
	BestPractices []store.ReusedPractice `json:"best_practices_reused"`
	K             int                    `json:"k"`
	// PracticesReused counts how many times other spaces reused, from the
	// library, the practices drawn from the person's own posts.
	PracticesReused int `json:"practices_reused"`
}

// MyValue returns what Relais brought the caller over the months of w:
// answers received, time saved, best practices reused, and what their own
// contributions brought others.
func (s *Service) MyValue(ctx context.Context, u *relais.User, w relais.AnalyticsWindow) (*MyValue, error) {
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return nil, err
	}
	mv := &MyValue{Period: w.Last.String(), Since: w.First.String(), K: k, Spaces: []MySpace{}}
	rows, err := s.Store.PersonActivity(ctx, u.ID, w)
	if err != nil {
		return nil, err
	}
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	visible := map[int64]*SpaceView{}
	for _, v := range views {
		if v.Can.Read.Allowed() {
			visible[v.ID] = v
		}
	}
	byMonth := map[relais.Month]*MyMonth{}
	bySpace := map[int64]*MySpace{}
	for _, m := range w.Months() {
		byMonth[m] = &MyMonth{Period: m.String()}
	}
	for _, r := range rows {
		if mm := byMonth[r.Month]; mm != nil {
			mm.add(r)
		}
		mv.Totals.add(r)
		v := visible[r.SpaceID]
		if v == nil {
			mv.Elsewhere.add(r)
			continue
		}
		sp := bySpace[r.SpaceID]
		if sp == nil {
			sp = &MySpace{ScopeSpace: ScopeSpace{ID: v.ID, Name: v.Name, Kind: v.Kind}}
			bySpace[r.SpaceID] = sp
		}
		sp.add(r)
	}
	for _, m := range w.Months() {
		mv.Months = append(mv.Months, *byMonth[m])
	}
	for _, v := range views {
		if sp := bySpace[v.ID]; sp != nil {
			mv.Spaces = append(mv.Spaces, *sp)
		}
	}
	mv.Totals.Period = ""
	from, to := w.First.Start(), w.Last.End()
	if mv.Declared, err = s.Store.BenefitTotals(ctx, store.BenefitFilter{UserID: u.ID, From: from, To: to}); err != nil {
		return nil, err
	}
	for _, b := range mv.Declared {
		if b.Kind == relais.BenefitTimeSaved {
			mv.TimeSavedHours += b.Amount
		}
	}
	mv.TimeSavedDays = math.Round(float64(mv.TimeSavedHours)/100/relais.WorkingDayHours*10) / 10
	others, err := s.Store.ValueOnAuthor(ctx, u.ID, w)
	if err != nil {
		return nil, err
	}
	mv.BroughtToOthers = []relais.ValueFigure{}
	for _, kind := range relais.BenefitKinds {
		f := relais.ValueFigure{Kind: kind, Unit: kind.Unit(), Suppressed: true}
		for _, c := range others {
			if c.Kind == kind && c.Declarants >= int64(k) {
				a, n := c.Amount, c.Declarations
				f.Amount, f.Declarations, f.Suppressed = &a, &n, false
			}
		}
		mv.BroughtToOthers = append(mv.BroughtToOthers, f)
	}
	reused, err := s.Store.ReusedPractices(ctx, u.ID, w)
	if err != nil {
		return nil, err
	}
	reuses, err := s.Store.PracticeReusesOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	mv.PracticesReused = int(reuses)
	mv.BestPractices = []store.ReusedPractice{}
	for _, r := range reused {
		if visible[r.SpaceID] != nil {
			mv.BestPractices = append(mv.BestPractices, r)
		}
	}
	return mv, nil
}
