package relais

import (
	"cmp"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The value ledger: what a conversation, or the decision it led to, is
// declared to have brought.

// BenefitKind is the kind of value a person declares.
type BenefitKind string

// Benefit kinds.
const (
	BenefitTimeSaved   BenefitKind = "time_saved"
	BenefitCostAvoided BenefitKind = "cost_avoided"
	BenefitRevenue     BenefitKind = "revenue"
	BenefitQuality     BenefitKind = "quality"
	BenefitRisk        BenefitKind = "risk"
)

// BenefitKinds lists every benefit kind in display order.
var BenefitKinds = []BenefitKind{BenefitTimeSaved, BenefitCostAvoided, BenefitRevenue, BenefitQuality, BenefitRisk}

// Units in which benefits are declared. Each kind has exactly one:
// time saved in hours, cost avoided and revenue in euros, quality and risk
// as a count (of defects, complaints or incidents avoided, whole numbers).
const (
	UnitHours = "hours"
	UnitEUR   = "EUR"
	UnitCount = "count"
)

// Valid reports whether k is a known benefit kind.
func (k BenefitKind) Valid() bool { return k.Unit() != "" }

// Unit returns the unit a benefit of kind k is declared in ("" for an
// unknown kind).
func (k BenefitKind) Unit() string {
	switch k {
	case BenefitTimeSaved:
		return UnitHours
	case BenefitCostAvoided, BenefitRevenue:
		return UnitEUR
	case BenefitQuality, BenefitRisk:
		return UnitCount
	}
	return ""
}

// LabelFR names the kind in French.
func (k BenefitKind) LabelFR() string {
	switch k {
	case BenefitTimeSaved:
		return "Temps gagné"
	case BenefitCostAvoided:
		return "Coûts évités"
	case BenefitRevenue:
		return "Revenus"
	case BenefitQuality:
		return "Qualité (défauts évités)"
	case BenefitRisk:
		return "Risques (incidents évités)"
	}
	return string(k)
}

// Amount is a quantity in hundredths of its unit (0.01 hour, one cent),
// so that sums stay exact on every database engine.
type Amount int64

// MaxAmount bounds one declared amount: one billion units.
const MaxAmount Amount = 1_000_000_000 * 100

// ParseAmount reads a positive decimal number with at most two decimals
// ("12", "2.5", "2,5", "1234.56", "1e3").
func ParseAmount(s string) (Amount, error) {
	bad := &Error{Code: EINVALID, Field: "amount", Message: "The amount must be a number with at most two decimals, such as 2.5 or 1200.",
		MessageFR: "Le montant doit être un nombre d'au plus deux décimales, par exemple 2.5 ou 1200."}
	// A decimal comma, as French forms write it, reads as a point.
	s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	if s == "" || len(s) > 40 || strings.Trim(s, "0123456789.+-eE") != "" {
		return 0, bad
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		// An exponent is read, but never one that would make big.Rat
		// compute a huge power: beyond ±30 no amount is valid anyway.
		if e, err := strconv.Atoi(s[i+1:]); err != nil || e < -30 || e > 30 {
			return 0, bad
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, bad
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, bad
	}
	n := r.Num()
	if n.Sign() <= 0 || n.Cmp(big.NewInt(int64(MaxAmount))) > 0 {
		return 0, &Error{Code: EUNPROCESSABLE, Field: "amount", Message: "The amount must be more than 0 and at most 1,000,000,000.",
			MessageFR: "Le montant doit être supérieur à 0 et d'au plus 1 000 000 000."}
	}
	return Amount(n.Int64()), nil
}

// String writes the amount in its unit with a decimal point, without
// trailing zeros: 1250 is "12.5".
func (a Amount) String() string {
	neg := a < 0
	if neg {
		a = -a
	}
	s := strconv.FormatInt(int64(a/100), 10)
	if c := a % 100; c != 0 {
		s += strings.TrimRight("."+strconv.FormatInt(int64(c)+100, 10)[1:], "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// French writes the amount with a decimal comma: 1250 is "12,5".
func (a Amount) French() string { return strings.Replace(a.String(), ".", ",", 1) }

// MarshalJSON writes the amount as a JSON number in its unit.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }

// MaxNote bounds the note of a benefit, in characters.
const MaxNote = 2000

// Benefit is one entry of the value ledger: what a person declares that a
// post, or a signal's decision, brought.
type Benefit struct {
	ID        int64       `json:"id"`
	SpaceID   int64       `json:"space_id"`
	SpaceName string      `json:"space_name,omitempty"`
	PostID    int64       `json:"post_id,omitempty"`
	SignalID  int64       `json:"signal_id,omitempty"`
	UserID    int64       `json:"user_id"`
	Kind      BenefitKind `json:"kind"`
	Amount    Amount      `json:"amount"`
	Unit      string      `json:"unit"`
	Note      string      `json:"note,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
}

// NewBenefit is what a person submits to declare a benefit: on a post or
// on a signal, one of the two.
type NewBenefit struct {
	PostID   int64
	SignalID int64
	Kind     BenefitKind
	// Amount is the decimal text as sent.
	Amount string
	// Unit may be empty: the kind's unit is then assumed.
	Unit string
	Note string
}

// Validate checks a declaration and returns the benefit to record.
func (b NewBenefit) Validate() (*Benefit, error) {
	if (b.PostID == 0) == (b.SignalID == 0) {
		return nil, &Error{Code: EINVALID, Field: "post_id", Message: "Declare the benefit on a post (post_id) or on a signal (signal_id), one of the two.",
			MessageFR: "Déclarez le bénéfice sur un message (post_id) ou sur un signal (signal_id), l'un des deux."}
	}
	if b.PostID < 0 || b.SignalID < 0 {
		return nil, &Error{Code: EINVALID, Field: "post_id", Message: "Ids are positive numbers.", MessageFR: "Les identifiants sont des nombres positifs."}
	}
	if !b.Kind.Valid() {
		return nil, &Error{Code: EINVALID, Field: "kind",
			Message:   "Unknown benefit kind " + quote(string(b.Kind)) + "; expected one of time_saved, cost_avoided, revenue, quality, risk.",
			MessageFR: "Type de bénéfice inconnu " + quote(string(b.Kind)) + " ; attendu : time_saved, cost_avoided, revenue, quality, risk."}
	}
	unit := strings.TrimSpace(b.Unit)
	if unit == "" {
		unit = b.Kind.Unit()
	}
	if unit != b.Kind.Unit() {
		return nil, &Error{Code: EUNPROCESSABLE, Field: "unit",
			Message:   "A benefit of kind " + string(b.Kind) + " is declared in " + b.Kind.Unit() + ", not " + quote(unit) + " (time_saved in hours; cost_avoided and revenue in EUR; quality and risk as a count).",
			MessageFR: "Un bénéfice de type " + string(b.Kind) + " se déclare en " + b.Kind.Unit() + ", pas en " + quote(unit) + " (time_saved en hours ; cost_avoided et revenue en EUR ; quality et risk en count)."}
	}
	amount, err := ParseAmount(b.Amount)
	if err != nil {
		return nil, err
	}
	if unit == UnitCount && amount%100 != 0 {
		return nil, &Error{Code: EUNPROCESSABLE, Field: "amount", Message: "A count is a whole number.",
			MessageFR: "Un décompte est un nombre entier."}
	}
	note := strings.TrimSpace(b.Note)
	switch {
	case utf8.RuneCountInString(note) > MaxNote:
		return nil, &Error{Code: EINVALID, Field: "note", Message: "The note is longer than 2,000 characters.", MessageFR: "La note dépasse 2 000 caractères."}
	case !ValidText(note):
		return nil, &Error{Code: EINVALID, Field: "note", Message: "The text holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return &Benefit{PostID: b.PostID, SignalID: b.SignalID, Kind: b.Kind, Amount: amount, Unit: unit, Note: note}, nil
}

// BenefitTotal sums the benefits of one kind and unit.
type BenefitTotal struct {
	Kind   BenefitKind `json:"kind"`
	Unit   string      `json:"unit"`
	Amount Amount      `json:"amount"`
	Count  int         `json:"count"` // how many declarations
}

// SortBenefitTotals orders totals by kind, in the order of BenefitKinds,
// then by unit.
func SortBenefitTotals(ts []BenefitTotal) {
	slices.SortStableFunc(ts, func(a, b BenefitTotal) int {
		if c := cmp.Compare(benefitRank(a.Kind), benefitRank(b.Kind)); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
}

func benefitRank(k BenefitKind) int {
	if i := slices.Index(BenefitKinds, k); i >= 0 {
		return i
	}
	return len(BenefitKinds)
}

// Reports.
//
// A space's report covers exactly one calendar month (UTC), never a free
// range of days: two overlapping ranges would let their difference isolate
// a day, and one person in it. Each figure counts the distinct people it
// is computed from; below k (see analytics.go) it is null and named in
// SuppressedFigures, on every surface: JSON, page, CSV and e-mail.

// ReportPeriod is a span of whole days in UTC, From to To inclusive; a
// report's period is always one calendar month.
type ReportPeriod struct {
	From, To time.Time
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// MonthPeriod returns the calendar month of t, in UTC.
func MonthPeriod(t time.Time) ReportPeriod {
	t = t.UTC()
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return ReportPeriod{From: first, To: first.AddDate(0, 1, -1)}
}

// LastFullMonth returns the calendar month before the one of now, in UTC.
func LastFullMonth(now time.Time) ReportPeriod {
	return MonthPeriod(MonthPeriod(now).From.AddDate(0, 0, -1))
}

// ParseMonth reads a month written YYYY-MM.
func ParseMonth(field, s string) (ReportPeriod, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 || t.Year() < 2000 {
		return ReportPeriod{}, &Error{Code: EINVALID, Field: field, Message: "The month must be written YYYY-MM, such as 2026-01.",
			MessageFR: "Le mois s'écrit AAAA-MM, par exemple 2026-01."}
	}
	return MonthPeriod(t), nil
}

// reportOneMonth explains, in both languages, how to ask for a report.
func reportOneMonth(field, en, fr string) *Error {
	return &Error{Code: EINVALID, Field: field,
		Message: en + "A report covers exactly one calendar month: ask for month=YYYY-MM (such as month=2026-03), or give from as the first day " +
			"and to as the last day of the same month (such as from=2026-03-01&to=2026-03-31). Free date ranges are refused, " +
			"so that no one can be singled out by comparing overlapping periods.",
		MessageFR: fr + "Un rapport couvre exactement un mois calendaire : demandez month=AAAA-MM (par exemple month=2026-03), ou donnez from, " +
			"le premier jour, et to, le dernier jour du même mois (par exemple from=2026-03-01&to=2026-03-31). Les dates libres sont refusées, " +
			"pour que personne ne puisse être isolé en comparant des périodes qui se recouvrent."}
}

// NewReportMonth returns the calendar month from one day to another: from
// must be the first day of a month and to its last day. The month must
// have begun at now; reports start in 2000.
func NewReportMonth(from, to, now time.Time) (ReportPeriod, error) {
	p := ReportPeriod{From: day(from), To: day(to)}
	if p.To.Before(p.From) {
		return p, reportOneMonth("to", "The period ends before it starts: to ("+p.To.Format(time.DateOnly)+") comes before from ("+p.From.Format(time.DateOnly)+"). ",
			"La période se termine avant de commencer : to ("+p.To.Format(time.DateOnly)+") précède from ("+p.From.Format(time.DateOnly)+"). ")
	}
	if m := MonthPeriod(p.From); !m.From.Equal(p.From) || !m.To.Equal(p.To) {
		field := "from"
		if m.From.Equal(p.From) {
			field = "to"
		}
		return p, reportOneMonth(field, "The days "+p.From.Format(time.DateOnly)+" to "+p.To.Format(time.DateOnly)+" are not one calendar month. ",
			"Les jours du "+p.From.Format(time.DateOnly)+" au "+p.To.Format(time.DateOnly)+" ne forment pas un mois calendaire. ")
	}
	return p, checkReportMonth("month", p, now)
}

func checkReportMonth(field string, p ReportPeriod, now time.Time) error {
	switch {
	case p.From.Year() < 2000:
		return &Error{Code: EINVALID, Field: field, Message: "Reports start with the month of January 2000.", MessageFR: "Les rapports commencent au mois de janvier 2000."}
	case p.From.After(MonthPeriod(now).From):
		return &Error{Code: EINVALID, Field: field,
			Message:   "The month " + p.Month() + " has not begun: a report covers a past month, or the current one (marked incomplete, its figures withheld until it ends).",
			MessageFR: "Le mois " + p.Month() + " n'a pas commencé : un rapport couvre un mois passé, ou le mois en cours (signalé incomplet, ses chiffres retenus jusqu'à sa fin)."}
	}
	return nil
}

// ParseReportMonth reads the month a report request asks for: month
// (YYYY-MM; period is its older name), or from and to (YYYY-MM-DD), the
// first and last days of one calendar month; nothing asks for the last
// closed month. Every other combination is refused with a message saying
// how to ask.
func ParseReportMonth(month, period, from, to string, now time.Time) (ReportPeriod, error) {
	month, period, from, to = strings.TrimSpace(month), strings.TrimSpace(period), strings.TrimSpace(from), strings.TrimSpace(to)
	field := "month"
	if month == "" {
		month, field = period, "period"
	} else if period != "" {
		return ReportPeriod{}, reportOneMonth("period", "Give month or period (the same parameter), not both. ",
			"Indiquez month ou period (le même paramètre), pas les deux. ")
	}
	switch {
	case month != "" && (from != "" || to != ""):
		return ReportPeriod{}, reportOneMonth(field, "Give either "+field+" or from and to, not both. ",
			"Indiquez soit "+field+", soit from et to, pas les deux. ")
	case month != "":
		t, err := time.Parse("2006-01", month)
		if err != nil || len(month) != 7 {
			return ReportPeriod{}, reportOneMonth(field, "The month "+quote(month)+" is not written YYYY-MM. ",
				"Le mois "+quote(month)+" ne s'écrit pas AAAA-MM. ")
		}
		p := MonthPeriod(t)
		return p, checkReportMonth(field, p, now)
	case from == "" && to == "":
		return LastFullMonth(now), nil
	case from == "" || to == "":
		missing := "from"
		if to == "" {
			missing = "to"
		}
		return ReportPeriod{}, reportOneMonth(missing, "The parameter "+missing+" is missing. ", "Le paramètre "+missing+" manque. ")
	}
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	switch {
	case err1 != nil:
		return ReportPeriod{}, reportOneMonth("from", "The date from "+quote(from)+" is not a day written YYYY-MM-DD. ",
			"La date from "+quote(from)+" n'est pas un jour écrit AAAA-MM-JJ. ")
	case err2 != nil:
		return ReportPeriod{}, reportOneMonth("to", "The date to "+quote(to)+" is not a day written YYYY-MM-DD. ",
			"La date to "+quote(to)+" n'est pas un jour écrit AAAA-MM-JJ. ")
	}
	return NewReportMonth(a, b, now)
}

// Start returns the first instant of the period.
func (p ReportPeriod) Start() time.Time { return p.From }

// End returns the first instant after the period.
func (p ReportPeriod) End() time.Time { return p.To.AddDate(0, 0, 1) }

// Days returns the number of days of the period.
func (p ReportPeriod) Days() int { return int(p.End().Sub(p.From).Hours()/24 + 0.5) }

// Months returns the first and last months the period touches, YYYY-MM.
func (p ReportPeriod) Months() (first, last string) {
	return p.From.Format("2006-01"), p.To.Format("2006-01")
}

// Month returns the month of a period that is one calendar month, YYYY-MM.
func (p ReportPeriod) Month() string { return p.From.Format("2006-01") }

// Complete reports whether the period was over at now.
func (p ReportPeriod) Complete(now time.Time) bool { return !now.Before(p.End()) }

// MaxNarrative bounds a report's narrative, in characters.
const MaxNarrative = 20000

// ReportNarrative is the steward's own words on a month of a space.
type ReportNarrative struct {
	SpaceID    int64     `json:"space_id"`
	Period     string    `json:"period"` // YYYY-MM
	Narrative  string    `json:"narrative"`
	AuthorID   int64     `json:"author_id,omitempty"`
	AuthorName string    `json:"author_name,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ReportDecision is a signal decided during a report's period: what was
// asked, what the owner decided, and when. A decision is an accountable
// act fed back to the community: it is shown with its names, and is no
// one's activity figure.
type ReportDecision struct {
	SignalID    int64        `json:"signal_id"`
	PostID      int64        `json:"post_id"`
	PostTitle   string       `json:"post_title"`
	Summary     string       `json:"summary"`
	Status      SignalStatus `json:"status"`
	Decision    string       `json:"decision"`
	OwnerID     int64        `json:"owner_id,omitempty"`
	OwnerName   string       `json:"owner_name,omitempty"`
	UnitID      int64        `json:"unit_id,omitempty"`
	UnitName    string       `json:"unit_name,omitempty"`
	DecidedBy   int64        `json:"decided_by,omitempty"`
	DeciderName string       `json:"decider_name,omitempty"`
	DecidedAt   time.Time    `json:"decided_at"`
}

// Join is one arrival in a community: how the person came in, and who.
type Join struct {
	Source string
	UserID int64
}

// ReportCounts is what a space's report over one month is computed from:
// the raw figures and the distinct people behind each. It never leaves the
// server: ProtectReport turns it into a Report.
//
// Posts and replies count what is published. Active is the number of
// distinct people who published a post or a reply in the month. A thread
// opened in the month is answered once someone other than its author
// published a reply to it (whenever that was); the median time to first
// response is over the answered threads, in seconds.
type ReportCounts struct {
	SpaceID                       int64
	Active, Posts, Replies        int
	Answered                      int
	MedianFirstResponse           *int64
	People                        ReportPeople
	SignalsRaised, SignalsDecided int
	Decisions                     []ReportDecision
	Benefits                      []BenefitTotal
	Narratives                    []ReportNarrative
	// Funnel is nil for a team space, whose members follow the directory.
	Funnel *FunnelCounts
}

// FunnelCounts is the join funnel of a community over a month with the
// people behind it: the distinct people each figure concerns (by figure
// name, as FunnelFigures), and every arrival.
type FunnelCounts struct {
	Funnel
	People map[string]int
	Joins  []Join
}

// Funnel figures, as the report's JSON fields and CSV rows name them
// (prefixed with "funnel.").
const (
	FunnelInvitationsSent     = "invitations_sent"
	FunnelInvitationsAccepted = "invitations_accepted"
	FunnelInvitationsDeclined = "invitations_declined"
	FunnelRequestsFiled       = "requests_filed"
	FunnelRequestsApproved    = "requests_approved"
	FunnelRequestsRefused     = "requests_refused"
	FunnelJoined              = "joined"
	FunnelRemoved             = "removed"
)

// FunnelFigures lists the funnel's figures in display order (the arrivals
// by source come after joined).
var FunnelFigures = []string{FunnelInvitationsSent, FunnelInvitationsAccepted, FunnelInvitationsDeclined,
	FunnelRequestsFiled, FunnelRequestsApproved, FunnelRequestsRefused, FunnelJoined, FunnelRemoved}

// JoinSources lists how a member may come in, in display order; "other"
// is a membership older than sources.
var JoinSources = []string{SourceOpen, SourceCriteria, SourceRequest, SourceInvitation, "other"}

// ReportFunnel is how people came into a community over the month, as the
// report shows it: each figure is null when it concerns fewer than k
// people.
type ReportFunnel struct {
	InvitationsSent     *int `json:"invitations_sent"`
	InvitationsAccepted *int `json:"invitations_accepted"`
	InvitationsDeclined *int `json:"invitations_declined"`
	RequestsFiled       *int `json:"requests_filed"`
	RequestsApproved    *int `json:"requests_approved"`
	RequestsRefused     *int `json:"requests_refused"`
	Joined              *int `json:"joined"`
	// JoinedBySource holds every source of JoinSources, always.
	JoinedBySource map[string]*int `json:"joined_by_source"`
	Removed        *int            `json:"removed"`
}

// Figure returns a funnel figure by name (FunnelFigures).
func (f *ReportFunnel) Figure(name string) *int {
	switch name {
	case FunnelInvitationsSent:
		return f.InvitationsSent
	case FunnelInvitationsAccepted:
		return f.InvitationsAccepted
	case FunnelInvitationsDeclined:
		return f.InvitationsDeclined
	case FunnelRequestsFiled:
		return f.RequestsFiled
	case FunnelRequestsApproved:
		return f.RequestsApproved
	case FunnelRequestsRefused:
		return f.RequestsRefused
	case FunnelJoined:
		return f.Joined
	case FunnelRemoved:
		return f.Removed
	}
	return nil
}

// ReportBenefit is the value of one kind declared in the space over the
// month: null, and suppressed, when fewer than k people declared it. A
// report lists every kind, declared or not, so that its shape tells
// nothing.
type ReportBenefit struct {
	Kind       BenefitKind `json:"kind"`
	Unit       string      `json:"unit"`
	Amount     *Amount     `json:"amount"`
	Count      *int        `json:"count"` // how many declarations
	Suppressed bool        `json:"suppressed"`
}

// Report is a space's activity and value over one calendar month, as its
// readers see it: every figure computed from fewer than K distinct people
// is null and named in SuppressedFigures (see ReportCounts for what the
// figures mean). The current month's report is not Complete: its people
// figures are withheld until the month ends, so that two readings a day
// apart cannot single out what one person did in between.
type Report struct {
	SpaceID   int64     `json:"space_id"`
	SpaceName string    `json:"space_name"`
	SpaceKind SpaceKind `json:"space_kind"`
	Month     string    `json:"month"` // YYYY-MM
	From      string    `json:"from"`  // first day, YYYY-MM-DD
	To        string    `json:"to"`    // last day, included
	Complete  bool      `json:"complete"`
	K         int       `json:"k"`

	// NewMembers is null for a team space (no funnel), and then not
	// listed as suppressed.
	NewMembers      *int     `json:"new_members"`
	ActiveMembers   *int     `json:"active_members"`
	Posts           *int     `json:"posts"`
	Replies         *int     `json:"replies"`
	AnsweredThreads *int     `json:"answered_threads"`
	AnswerRate      *float64 `json:"answer_rate"`
	// MedianFirstResponse is in seconds.
	MedianFirstResponse *int64        `json:"median_first_response_seconds"`
	Funnel              *ReportFunnel `json:"funnel"`

	// SignalsRaised and SignalsDecided count signals, raised by the
	// stewards and decided by their owners: accountable acts listed by
	// name in the signal log the report's readers already see, not
	// anyone's activity figure.
	SignalsRaised  int               `json:"signals_raised"`
	SignalsDecided int               `json:"signals_decided"`
	Decisions      []ReportDecision  `json:"decisions"`
	Benefits       []ReportBenefit   `json:"benefits"`
	Narratives     []ReportNarrative `json:"narratives"`

	Suppressed        bool      `json:"suppressed"`
	SuppressedFigures []string  `json:"suppressed_figures"`
	GeneratedAt       time.Time `json:"generated_at"`
}

// Hidden reports whether a figure (named as in SuppressedFigures) is
// suppressed.
func (r *Report) Hidden(name string) bool { return slices.Contains(r.SuppressedFigures, name) }

// ProtectReport turns the counts of a space's month into the report its
// readers see at threshold k: a figure computed from fewer than k people
// is null and listed as suppressed (ReportHidden says which). When the
// month is not complete, every figure that counts people is withheld.
func ProtectReport(c *ReportCounts, sp *Space, p ReportPeriod, complete bool, k int) *Report {
	r := &Report{SpaceID: c.SpaceID, Month: p.Month(), From: p.From.Format(time.DateOnly), To: p.To.Format(time.DateOnly),
		Complete: complete, K: k, SignalsRaised: c.SignalsRaised, SignalsDecided: c.SignalsDecided,
		Decisions: c.Decisions, Narratives: c.Narratives, Benefits: []ReportBenefit{}}
	if sp != nil {
		r.SpaceName, r.SpaceKind = sp.Name, sp.Kind
	}
	if r.Decisions == nil {
		r.Decisions = []ReportDecision{}
	}
	if r.Narratives == nil {
		r.Narratives = []ReportNarrative{}
	}
	if complete {
		r.SuppressedFigures = ReportHidden(c, k)
	} else {
		r.SuppressedFigures = reportFigures(c)
	}
	shown := func(name string) bool { return !slices.Contains(r.SuppressedFigures, name) }
	n := func(name string, v int) *int {
		if !shown(name) {
			return nil
		}
		return &v
	}
	r.ActiveMembers = n(FigureActiveMembers, c.Active)
	r.Posts = n(FigurePosts, c.Posts)
	r.Replies = n(FigureReplies, c.Replies)
	r.AnsweredThreads = n(FigureAnsweredThreads, c.Answered)
	if shown(FigureAnswerRate) && c.Posts > 0 {
		rate := ratio(int64(c.Answered), int64(c.Posts))
		r.AnswerRate = &rate
	}
	if shown(FigureMedian) && c.MedianFirstResponse != nil {
		m := *c.MedianFirstResponse
		r.MedianFirstResponse = &m
	}
	if f := c.Funnel; f != nil {
		joined := joinsBySource(f.Joins)
		rf := &ReportFunnel{JoinedBySource: map[string]*int{}}
		rf.InvitationsSent = n("funnel."+FunnelInvitationsSent, f.InvitationsSent)
		rf.InvitationsAccepted = n("funnel."+FunnelInvitationsAccepted, f.InvitationsAccepted)
		rf.InvitationsDeclined = n("funnel."+FunnelInvitationsDeclined, f.InvitationsDeclined)
		rf.RequestsFiled = n("funnel."+FunnelRequestsFiled, f.RequestsFiled)
		rf.RequestsApproved = n("funnel."+FunnelRequestsApproved, f.RequestsApproved)
		rf.RequestsRefused = n("funnel."+FunnelRequestsRefused, f.RequestsRefused)
		rf.Joined = n("funnel."+FunnelJoined, len(f.Joins))
		rf.Removed = n("funnel."+FunnelRemoved, f.Removed)
		for _, src := range JoinSources {
			rf.JoinedBySource[src] = n("funnel.joined."+src, len(joined[src]))
		}
		r.Funnel = rf
		r.NewMembers = n(FigureNewMembers, len(f.Joins))
	}
	for _, kind := range BenefitKinds {
		b := ReportBenefit{Kind: kind, Unit: kind.Unit(), Suppressed: !shown("benefits." + string(kind))}
		if !b.Suppressed {
			amount, count := Amount(0), 0
			for _, t := range c.Benefits {
				if t.Kind == kind {
					amount, count = amount+t.Amount, count+t.Count
				}
			}
			b.Amount, b.Count = &amount, &count
		}
		r.Benefits = append(r.Benefits, b)
	}
	r.Suppressed = len(r.SuppressedFigures) > 0
	return r
}

// joinsBySource groups arrivals by source: the joins of each.
func joinsBySource(joins []Join) map[string][]Join {
	out := map[string][]Join{}
	for _, j := range joins {
		src := j.Source
		if !slices.Contains(JoinSources, src) {
			src = "other"
		}
		out[src] = append(out[src], j)
	}
	return out
}

// distinctPeople counts the distinct people of arrivals.
func distinctPeople(joins []Join) int64 {
	seen := map[int64]bool{}
	for _, j := range joins {
		seen[j.UserID] = true
	}
	return int64(len(seen))
}

// Report figure names beyond the analytics' ones (FigureActiveMembers,
// FigurePosts, FigureReplies, FigureAnswerRate, FigureMedian).
const (
	FigureNewMembers      = "new_members"
	FigureAnsweredThreads = "answered_threads"
)

// reportFigures lists every figure of a report that counts people, named
// as in SuppressedFigures: what an incomplete month withholds.
func reportFigures(c *ReportCounts) []string {
	out := []string{}
	if c.Funnel != nil {
		out = append(out, FigureNewMembers)
	}
	out = append(out, FigureActiveMembers, FigurePosts, FigureReplies, FigureAnsweredThreads, FigureAnswerRate, FigureMedian)
	if c.Funnel != nil {
		for _, f := range FunnelFigures {
			out = append(out, "funnel."+f)
			if f == FunnelJoined {
				for _, src := range JoinSources {
					out = append(out, "funnel.joined."+src)
				}
			}
		}
	}
	for _, kind := range BenefitKinds {
		out = append(out, "benefits."+string(kind))
	}
	return out
}

// ReportFigure is one figure of a report, by name, as text, and whether it
// is suppressed.
type ReportFigure struct {
	Name, Value string
	Suppressed  bool
}

// Figures lists the report's figures in a stable order, as the CSV export
// writes them: the period, activity, join funnel, signals, benefits,
// decisions and narratives. A suppressed figure is empty and marked; an
// unknown one (no thread) is empty. The rows are the same whatever the
// month holds.
func (r *Report) Figures() []ReportFigure {
	var fs []ReportFigure
	add := func(name, value string) { fs = append(fs, ReportFigure{Name: name, Value: value}) }
	num := func(name string, v *int) {
		s := ""
		if v != nil {
			s = strconv.Itoa(*v)
		}
		fs = append(fs, ReportFigure{Name: name, Value: s, Suppressed: r.Hidden(name)})
	}
	add("space", r.SpaceName)
	add("month", r.Month)
	add("from", r.From)
	add("to", r.To)
	add("complete", strconv.FormatBool(r.Complete))
	add("k", strconv.Itoa(r.K))
	if r.Funnel != nil {
		num(FigureNewMembers, r.NewMembers)
	}
	num(FigureActiveMembers, r.ActiveMembers)
	num(FigurePosts, r.Posts)
	num(FigureReplies, r.Replies)
	num(FigureAnsweredThreads, r.AnsweredThreads)
	rate, median := "", ""
	if r.AnswerRate != nil {
		rate = strconv.FormatFloat(*r.AnswerRate, 'f', -1, 64)
	}
	if r.MedianFirstResponse != nil {
		median = strconv.FormatInt(*r.MedianFirstResponse, 10)
	}
	fs = append(fs, ReportFigure{FigureAnswerRate, rate, r.Hidden(FigureAnswerRate)}, ReportFigure{FigureMedian, median, r.Hidden(FigureMedian)})
	if f := r.Funnel; f != nil {
		for _, name := range FunnelFigures {
			num("funnel."+name, f.Figure(name))
			if name == FunnelJoined {
				for _, src := range JoinSources {
					num("funnel.joined."+src, f.JoinedBySource[src])
				}
			}
		}
	}
	add("signals_raised", strconv.Itoa(r.SignalsRaised))
	add("signals_decided", strconv.Itoa(r.SignalsDecided))
	for _, b := range r.Benefits {
		amount, count := "", ""
		if b.Amount != nil {
			amount = b.Amount.String()
		}
		if b.Count != nil {
			count = strconv.Itoa(*b.Count)
		}
		fs = append(fs, ReportFigure{"benefits." + string(b.Kind) + "." + b.Unit, amount, b.Suppressed},
			ReportFigure{"benefits." + string(b.Kind) + ".declarations", count, b.Suppressed})
	}
	for _, d := range r.Decisions {
		p := "decision." + strconv.FormatInt(d.SignalID, 10) + "."
		owner := d.OwnerName
		if d.UnitName != "" {
			owner = d.UnitName
		}
		add(p+"summary", d.Summary)
		add(p+"status", string(d.Status))
		add(p+"decision", d.Decision)
		add(p+"owner", owner)
		add(p+"decided_by", d.DeciderName)
		add(p+"decided_at", d.DecidedAt.UTC().Format(time.RFC3339))
	}
	for _, n := range r.Narratives {
		add("narrative."+n.Period, n.Narrative)
	}
	return fs
}
