package relais

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Analytics: a space's, a unit's or a plan objective's activity and value,
// per calendar month, with the people behind them protected.
//
// Protection rests on three rules:
//
//  1. Fixed buckets. Figures exist per space and per calendar month (UTC),
//     never over free date ranges: two overlapping ranges would let their
//     difference isolate a day, and one person in it.
//  2. Suppression below k. Each figure of a space and month counts the
//     distinct people it is computed from; below k (5 by default, and
//     never below 5: with fewer people a figure points at someone) the
//     figure is null and marked suppressed, on every surface.
//  3. Suppressed cells feed nothing. A figure over several spaces (a unit,
//     an objective) or several months (a twelve-month total) is computed
//     only from the cells whose own figure is shown. What is suppressed
//     never enters any sum, union or median, so no difference of published
//     figures can recover it: everything published is a function of the
//     published cells alone.

// Suppression thresholds. MinK is the minimum the product promises: a
// figure computed from fewer than 5 people is never shown, whatever the
// setting, since below that a figure lets colleagues tell who it is about.
const (
	DefaultK = 5
	MinK     = 5
	MaxK     = 50
)

// ValidateK checks a suppression threshold: a whole number from MinK to
// MaxK.
func ValidateK(k int) error {
	if k < MinK || k > MaxK {
		return KRangeError(EUNPROCESSABLE)
	}
	return nil
}

// KRangeError is the error of a threshold outside MinK to MaxK (code
// EUNPROCESSABLE), or of one that is no whole number (code EINVALID).
func KRangeError(code string) *Error {
	min, max := strconv.Itoa(MinK), strconv.Itoa(MaxK)
	return &Error{Code: code, Field: "k",
		Message: "The threshold k is a whole number from " + min + " to " + max + ": a figure computed from fewer than k people is never shown, and k is never below " +
			min + ", under which a figure would let colleagues tell who it is about.",
		MessageFR: "Le seuil k est un nombre entier de " + min + " à " + max + " : un chiffre calculé à partir de moins de k personnes n'est jamais affiché, et k n'est jamais inférieur à " +
			min + ", en dessous de quoi un chiffre permettrait de reconnaître les personnes concernées."}
}

// Month is a calendar month in UTC, written YYYYMM as an integer (202601
// is January 2026).
type Month int

// MonthOf returns the month of t, in UTC.
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month(t.Year()*100 + int(t.Month()))
}

// MonthOfMillis returns the month of a time in milliseconds since 1970.
func MonthOfMillis(ms int64) Month { return MonthOf(time.UnixMilli(ms)) }

// Start returns the first instant of the month.
func (m Month) Start() time.Time {
	return time.Date(int(m)/100, time.Month(int(m)%100), 1, 0, 0, 0, 0, time.UTC)
}

// End returns the first instant after the month.
func (m Month) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// Add returns the month n months later (earlier when n < 0).
func (m Month) Add(n int) Month { return MonthOf(m.Start().AddDate(0, n, 0)) }

// String writes the month YYYY-MM.
func (m Month) String() string { return m.Start().Format("2006-01") }

// Since returns the number of months from a to m (m - a).
func (m Month) Since(a Month) int {
	return (int(m)/100-int(a)/100)*12 + int(m)%100 - int(a)%100
}

// MaxTrendMonths bounds how many months one analytics request covers.
const MaxTrendMonths = 24

// DefaultTrendMonths is how many months a trend covers by default.
const DefaultTrendMonths = 12

// AnalyticsWindow is the months an analytics request covers: First to
// Last, both included, whole calendar months.
type AnalyticsWindow struct {
	First, Last Month
}

// Months lists the months of the window, oldest first.
func (w AnalyticsWindow) Months() []Month {
	var out []Month
	for m := w.First; m <= w.Last; m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

// ParseAnalyticsWindow reads the window of an analytics request: period
// (YYYY-MM, the last month shown; default: the current month) and since
// (YYYY-MM, the first; default: 11 months before period). Both are whole
// calendar months, since not after period, at most 24 months, none in the
// future, none before 2000.
func ParseAnalyticsWindow(period, since string, now time.Time) (AnalyticsWindow, error) {
	current := MonthOf(now)
	w := AnalyticsWindow{Last: current}
	var err error
	if period = strings.TrimSpace(period); period != "" {
		if w.Last, err = parseMonthParam("period", period); err != nil {
			return w, err
		}
	}
	w.First = w.Last.Add(1 - DefaultTrendMonths)
	if since = strings.TrimSpace(since); since != "" {
		if w.First, err = parseMonthParam("since", since); err != nil {
			return w, err
		}
	}
	switch {
	case w.Last > current:
		return w, &Error{Code: EUNPROCESSABLE, Field: "period", Message: "The month " + w.Last.String() + " has not begun: analytics cover the current month or past ones.",
			MessageFR: "Le mois " + w.Last.String() + " n'a pas commencé : les statistiques couvrent le mois en cours ou des mois passés."}
	case w.First > w.Last:
		return w, &Error{Code: EINVALID, Field: "since", Message: "The period is reversed: since (" + w.First.String() + ") comes after period (" + w.Last.String() + ").",
			MessageFR: "La période est inversée : since (" + w.First.String() + ") vient après period (" + w.Last.String() + ")."}
	case w.Last.Since(w.First) >= MaxTrendMonths:
		return w, &Error{Code: EINVALID, Field: "since", Message: "Analytics cover at most 24 months at once.",
			MessageFR: "Les statistiques couvrent au plus 24 mois à la fois."}
	}
	return w, nil
}

func parseMonthParam(field, s string) (Month, error) {
	bad := &Error{Code: EINVALID, Field: field,
		Message:   "The " + field + " must be a calendar month written YYYY-MM, such as 2026-01: analytics use whole months only, never free date ranges, so that no one can be singled out by comparing overlapping periods.",
		MessageFR: "Le paramètre " + field + " doit être un mois calendaire écrit AAAA-MM, par exemple 2026-01 : les statistiques portent sur des mois entiers seulement, jamais sur des dates libres, pour que personne ne puisse être isolé en comparant des périodes qui se recouvrent."}
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return 0, bad
	}
	if t.Year() < 2000 {
		return 0, &Error{Code: EINVALID, Field: field, Message: "Analytics start in 2000.", MessageFR: "Les statistiques commencent en 2000."}
	}
	return MonthOf(t), nil
}

// DelayBucket returns the bucket of a delay to a first response, in
// seconds: 0 under a second, then buckets about 10 % wide, so that a
// median read from the buckets is within 5 % of the exact one.
func DelayBucket(secs int64) int {
	if secs < 1 {
		return 0
	}
	return 1 + int(math.Floor(math.Log(float64(secs))/math.Log(1.1)))
}

// DelayOfBucket returns the delay a bucket stands for: the geometric middle
// of its bounds, in whole seconds.
func DelayOfBucket(b int) int64 {
	if b <= 0 {
		return 0
	}
	lo, hi := math.Pow(1.1, float64(b-1)), math.Pow(1.1, float64(b))
	return int64(math.Round(math.Sqrt(lo * hi)))
}

// MedianOfBuckets returns the median delay of threads counted per bucket,
// and false when there is none.
func MedianOfBuckets(buckets map[int]int64) (int64, bool) {
	var n int64
	maxB := 0
	for b, c := range buckets {
		if c > 0 {
			n += c
			maxB = max(maxB, b)
		}
	}
	if n == 0 {
		return 0, false
	}
	half := (n + 1) / 2
	var seen int64
	for b := 0; b <= maxB; b++ {
		seen += buckets[b]
		if seen >= half {
			return DelayOfBucket(b), true
		}
	}
	return DelayOfBucket(maxB), true
}

// Cell is the rollup of one space and one month: counters and the numbers
// of distinct people behind them. A cell never leaves the server: Protect
// turns it into figures.
type Cell struct {
	SpaceID int64
	Month   Month
	// Members is the number of members at the end of the month (now, for
	// the current month).
	Members  int64
	Posts    int64
	Replies  int64
	Answered int64
	// Distinct people: who posted or replied, who opened a thread, who
	// replied, who gave a first response to a thread of the month, who was
	// active this month and the month before.
	Active, Authors, Repliers, Responders, Retained int64
	// PrevActive is Active of the month before (for retention).
	PrevActive int64
	// Delays counts the answered threads of the month per DelayBucket.
	Delays map[int]int64
}

// Figure names, as the API and the CSV export write them.
const (
	FigureMembers       = "members"
	FigureActiveMembers = "active_members"
	FigurePosts         = "posts"
	FigureReplies       = "replies"
	FigureMedian        = "median_first_response_seconds"
	FigureAnswerRate    = "answer_rate"
	FigureRetention     = "retention"
)

// ActivityFigures lists the activity figures in display order.
var ActivityFigures = []string{FigureMembers, FigureActiveMembers, FigurePosts, FigureReplies, FigureMedian, FigureAnswerRate, FigureRetention}

// Contributors returns, for each figure of a cell, the number of distinct
// people it is computed from:
//
//   - members: the members;
//   - active members: the people who posted or replied;
//   - posts: who opened the threads; replies: who replied;
//   - median time to first response and answer rate: the fewer of the
//     threads' authors and of the people who gave their first responses;
//   - retention: the fewer of this month's and last month's active people.
func (c Cell) Contributors() map[string]int64 {
	return map[string]int64{
		FigureMembers: c.Members, FigureActiveMembers: c.Active, FigurePosts: c.Authors, FigureReplies: c.Repliers,
		FigureMedian: min(c.Authors, c.Responders), FigureAnswerRate: min(c.Authors, c.Responders),
		FigureRetention: min(c.Active, c.PrevActive),
	}
}

// Activity is the activity of a scope over one month, as anyone but the
// people themselves sees it: a figure computed from fewer than k people
// is null and named in SuppressedFigures.
type Activity struct {
	Period        string `json:"period"` // YYYY-MM
	Members       *int64 `json:"members"`
	ActiveMembers *int64 `json:"active_members"`
	Posts         *int64 `json:"posts"`
	Replies       *int64 `json:"replies"`
	// MedianFirstResponse is the median delay, in seconds, from a thread's
	// opening to its first reply by someone else, over the month's
	// answered threads (read from buckets 10 % wide).
	MedianFirstResponse *int64 `json:"median_first_response_seconds"`
	// AnswerRate is the share of the month's threads answered by someone
	// other than their author.
	AnswerRate *float64 `json:"answer_rate"`
	// Retention is the share of last month's active people active again.
	Retention         *float64 `json:"retention"`
	Suppressed        bool     `json:"suppressed"`
	SuppressedFigures []string `json:"suppressed_figures"`
}

// Value returns a figure by name, as text ("" when suppressed).
func (a Activity) Value(name string) string {
	i := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	switch name {
	case FigureMembers:
		return i(a.Members)
	case FigureActiveMembers:
		return i(a.ActiveMembers)
	case FigurePosts:
		return i(a.Posts)
	case FigureReplies:
		return i(a.Replies)
	case FigureMedian:
		return i(a.MedianFirstResponse)
	case FigureAnswerRate:
		return f(a.AnswerRate)
	case FigureRetention:
		return f(a.Retention)
	}
	return ""
}

// Hidden reports whether the figure is suppressed.
func (a Activity) Hidden(name string) bool {
	for _, s := range a.SuppressedFigures {
		if s == name {
			return true
		}
	}
	return false
}

func ratio(n, d int64) float64 { return math.Round(float64(n)/float64(d)*10000) / 10000 }

// Protect turns a cell into the figures anyone may see: each figure whose
// contributors number fewer than k is null and listed as suppressed.
func Protect(c Cell, k int) Activity {
	a := Activity{Period: c.Month.String(), SuppressedFigures: []string{}}
	people := c.Contributors()
	shown := func(name string) bool {
		if people[name] < int64(k) {
			a.SuppressedFigures = append(a.SuppressedFigures, name)
			return false
		}
		return true
	}
	ptr := func(n int64) *int64 { return &n }
	if shown(FigureMembers) {
		a.Members = ptr(c.Members)
	}
	if shown(FigureActiveMembers) {
		a.ActiveMembers = ptr(c.Active)
	}
	if shown(FigurePosts) {
		a.Posts = ptr(c.Posts)
	}
	if shown(FigureReplies) {
		a.Replies = ptr(c.Replies)
	}
	if shown(FigureMedian) {
		if m, ok := MedianOfBuckets(c.Delays); ok {
			a.MedianFirstResponse = &m
		}
	}
	if shown(FigureAnswerRate) && c.Posts > 0 {
		r := ratio(c.Answered, c.Posts)
		a.AnswerRate = &r
	}
	if shown(FigureRetention) && c.PrevActive > 0 {
		r := ratio(c.Retained, c.PrevActive)
		a.Retention = &r
	}
	a.Suppressed = len(a.SuppressedFigures) > 0
	return a
}

// Published reports, for each figure of a cell, whether it may be shown at
// threshold k: the cells whose figure is not shown feed no aggregate.
func (c Cell) Published(k int) map[string]bool {
	out := map[string]bool{}
	for name, n := range c.Contributors() {
		out[name] = n >= int64(k)
	}
	return out
}

// ValueCell is what was declared in one space, month and benefit kind:
// the sum, the number of declarations and of distinct declarants.
type ValueCell struct {
	SpaceID      int64
	Month        Month
	Kind         BenefitKind
	Amount       Amount
	Declarations int64
	Declarants   int64
}

// ValueFigure is the declared value of one kind over a month (or over the
// window), as anyone but the declarants sees it: null when fewer than k
// people declared it.
type ValueFigure struct {
	Kind         BenefitKind `json:"kind"`
	Unit         string      `json:"unit"`
	Amount       *Amount     `json:"amount"`
	Declarations *int64      `json:"declarations"`
	Suppressed   bool        `json:"suppressed"`
}

// ValueMonth is the declared value of every kind over one month.
type ValueMonth struct {
	Period     string        `json:"period"`
	Figures    []ValueFigure `json:"figures"`
	Suppressed bool          `json:"suppressed"`
}

// KPIProgress sets a KPI target of the plan beside what Relais measured:
// Actual is null when Relais measures nothing that matches the metric, or
// when the matching figure is suppressed.
type KPIProgress struct {
	TargetID        int64      `json:"target_id"`
	PlanObjectiveID int64      `json:"plan_objective_id"`
	Objective       string     `json:"objective"`
	Horizon         KPIHorizon `json:"horizon"`
	Metric          string     `json:"metric"`
	Target          Amount     `json:"target"`
	Unit            string     `json:"unit"`
	Due             string     `json:"due"`
	// Figure names what Relais compares the target with ("" for nothing).
	Figure string  `json:"figure"`
	Actual *Amount `json:"actual"`
	// Progress is Actual over Target (for a delay, Target over Actual).
	Progress   *float64 `json:"progress"`
	Suppressed bool     `json:"suppressed"`
}

// KPIFigure guesses which measured figure a KPI target of the plan speaks
// of, from its horizon, metric and unit (French or English): "" when none.
// Activity targets read the last month's figure; value targets the sum of
// the window's declared value.
func KPIFigure(horizon KPIHorizon, metric, unit string) string {
	m := " " + strings.ToLower(metric) + " "
	u := strings.ToLower(strings.TrimSpace(unit))
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(m, w) {
				return true
			}
		}
		return false
	}
	if horizon == HorizonValue {
		switch {
		case has("temps", "time", "heure", "hour"):
			return string(BenefitTimeSaved)
		case has("revenu", "revenue", "chiffre d'affaires", "ventes", "sales"):
			return string(BenefitRevenue)
		case has("coût", "cout", "cost", "économ", "saving"):
			return string(BenefitCostAvoided)
		case has("risque", "risk", "incident"):
			return string(BenefitRisk)
		case has("qualité", "qualite", "quality", "défaut", "defaut", "defect", "réclamation", "reclamation", "complaint"):
			return string(BenefitQuality)
		}
		return ""
	}
	switch {
	case has("délai", "delai", "delay", "temps de réponse", "response time", "first response", "première réponse"):
		return FigureMedian
	case has("taux de réponse", "answer rate", "réponse", "answered"):
		return FigureAnswerRate
	case has("rétention", "retention", "fidélis"):
		return FigureRetention
	case has("actif", "active"):
		return FigureActiveMembers
	case has("membre", "member", "adhérent"):
		return FigureMembers
	case has("réponses", "replies"):
		return FigureReplies
	case has("fil", "thread", "post", "question", "message"):
		return FigurePosts
	}
	if u == "membres" || u == "members" {
		return FigureMembers
	}
	return ""
}

// ScopeKind is what an analytics page is about.
type ScopeKind string

// Scopes of analytics.
const (
	ScopeSpace     ScopeKind = "space"
	ScopeUnit      ScopeKind = "unit"
	ScopeObjective ScopeKind = "objective"
)

// ProfileVisibility says who sees a person's profile.
type ProfileVisibility string

// Profile visibilities.
const (
	// VisibleToEveryone: whoever the directory lets see the person.
	VisibleToEveryone ProfileVisibility = "everyone"
	// VisibleToSpaces: only the members of the person's spaces.
	VisibleToSpaces ProfileVisibility = "spaces"
)

// Valid reports whether v is a known visibility.
func (v ProfileVisibility) Valid() bool { return v == VisibleToEveryone || v == VisibleToSpaces }

// Privacy is a person's own privacy settings.
type Privacy struct {
	// Leaderboard: the person may appear on the leaderboard of the spaces
	// that opted in to one.
	Leaderboard bool `json:"leaderboard"`
	// ProfileVisibility: who sees the person's profile.
	ProfileVisibility ProfileVisibility `json:"profile_visibility"`
}

// DefaultPrivacy is the settings of a person who set none: off every
// leaderboard, a profile seen as the directory allows.
var DefaultPrivacy = Privacy{Leaderboard: false, ProfileVisibility: VisibleToEveryone}

// Validate checks the settings.
func (p Privacy) Validate() error {
	if !p.ProfileVisibility.Valid() {
		return &Error{Code: EINVALID, Field: "profile_visibility",
			Message:   "Unknown profile visibility " + quote(string(p.ProfileVisibility)) + "; expected everyone or spaces.",
			MessageFR: "Visibilité du profil inconnue " + quote(string(p.ProfileVisibility)) + " ; attendu : everyone ou spaces."}
	}
	return nil
}

// WorkingDayHours is the length of a working day, to say hours saved in
// days of work.
const WorkingDayHours = 7

// ReportPeople is the number of distinct people behind the figures of a
// space's report (reports.go): who opened the period's threads, who
// replied, who gave their first responses, and who declared each kind of
// benefit. The report's active members are its own count of people.
type ReportPeople struct {
	Authors, Repliers, Responders int64
	Declarants                    map[BenefitKind]int64
}

// ReportHidden returns the figures of a space's month (named as in the
// report's SuppressedFigures) that k-suppression hides, in display order:
// those computed from fewer than k distinct people.
//
//   - new members and the funnel's arrivals: who arrived; invitations:
//     who was invited; requests: who asked; removals: who was removed;
//   - active members: themselves; posts: who opened the threads; replies:
//     who replied; answered threads, answer rate and median time to first
//     response: the fewer of the threads' authors and of the people who
//     gave their first responses;
//   - each kind of benefit: who declared it.
//
// The arrivals are a total and its parts (by source): the total is hidden
// too when the hidden parts, which it would give away by difference,
// concern between 1 and k-1 people.
func ReportHidden(c *ReportCounts, k int) []string {
	low := func(n int64) bool { return n < int64(k) }
	hidden := map[string]bool{
		FigureActiveMembers:   low(int64(c.Active)),
		FigurePosts:           low(c.People.Authors),
		FigureReplies:         low(c.People.Repliers),
		FigureAnsweredThreads: low(min(c.People.Authors, c.People.Responders)),
		FigureAnswerRate:      low(min(c.People.Authors, c.People.Responders)),
		FigureMedian:          low(min(c.People.Authors, c.People.Responders)),
	}
	for _, kind := range BenefitKinds {
		hidden["benefits."+string(kind)] = low(c.People.Declarants[kind])
	}
	if f := c.Funnel; f != nil {
		for _, name := range FunnelFigures {
			hidden["funnel."+name] = low(int64(f.People[name]))
		}
		bySource := joinsBySource(f.Joins)
		var unshown []Join
		for _, src := range JoinSources {
			if low(distinctPeople(bySource[src])) {
				hidden["funnel.joined."+src] = true
				unshown = append(unshown, bySource[src]...)
			}
		}
		gives := distinctPeople(unshown)
		total := low(distinctPeople(f.Joins)) || (gives > 0 && low(gives))
		hidden["funnel."+FunnelJoined], hidden[FigureNewMembers] = total, total
	}
	out := []string{}
	for _, name := range reportFigures(c) {
		if hidden[name] {
			out = append(out, name)
		}
	}
	return out
}
