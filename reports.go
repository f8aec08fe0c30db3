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

// MaxReportDays bounds the length of a report's period.
const MaxReportDays = 366

// ReportPeriod is a span of whole days in UTC, From to To inclusive.
type ReportPeriod struct {
	From, To time.Time
}

// NewReportPeriod returns the period of whole days from one date to
// another, both included, checking that it is well ordered and at most
// MaxReportDays long.
func NewReportPeriod(from, to time.Time) (ReportPeriod, error) {
	p := ReportPeriod{From: day(from), To: day(to)}
	switch {
	case p.To.Before(p.From):
		return p, &Error{Code: EINVALID, Field: "to", Message: "The period ends before it starts: give a date to on or after from.",
			MessageFR: "La période se termine avant de commencer : la date to doit suivre ou égaler from."}
	case p.Days() > MaxReportDays:
		return p, &Error{Code: EINVALID, Field: "to", Message: "A report covers at most 366 days.",
			MessageFR: "Un rapport couvre au plus 366 jours."}
	}
	return p, nil
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
// asked, what the owner decided, and when.
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

// Report is a space's activity and value over a period.
//
// Posts and replies count what is published. Active members are the
// distinct people who published a post or a reply in the space during the
// period. A thread opened during the period is answered once someone other
// than its author published a reply to it (whenever that was); the median
// time to first response is over the answered threads, in seconds, and the
// answer rate the share of the period's threads that were answered. Both
// are null when no thread was opened.
type Report struct {
	SpaceID   int64     `json:"space_id"`
	SpaceName string    `json:"space_name"`
	SpaceKind SpaceKind `json:"space_kind"`
	From      string    `json:"from"` // first day, YYYY-MM-DD
	To        string    `json:"to"`   // last day, included

	NewMembers      int      `json:"new_members"`
	ActiveMembers   int      `json:"active_members"`
	Posts           int      `json:"posts"`
	Replies         int      `json:"replies"`
	AnsweredThreads int      `json:"answered_threads"`
	AnswerRate      *float64 `json:"answer_rate"`
	// MedianFirstResponse is in seconds.
	MedianFirstResponse *int64 `json:"median_first_response_seconds"`
	// Funnel is how people came into a community (null for a team space,
	// whose members follow the directory).
	Funnel *Funnel `json:"funnel"`

	SignalsRaised  int              `json:"signals_raised"`
	SignalsDecided int              `json:"signals_decided"`
	Decisions      []ReportDecision `json:"decisions"`
	// Benefits sums, per kind and unit, the benefits declared during the
	// period on the space's posts and signals.
	Benefits   []BenefitTotal    `json:"benefits"`
	Narratives []ReportNarrative `json:"narratives"`

	GeneratedAt time.Time `json:"generated_at"`
}

// ReportFigure is one figure of a report, by name, as text.
type ReportFigure struct {
	Name, Value string
}

// Figures lists the report's figures in a stable order, as the CSV export
// writes them: the period, activity, join funnel, signals, benefits,
// decisions and narratives. An unknown figure (no thread, no funnel) is
// empty.
func (r *Report) Figures() []ReportFigure {
	itoa := strconv.Itoa
	fs := []ReportFigure{
		{"space", r.SpaceName}, {"from", r.From}, {"to", r.To},
		{"new_members", itoa(r.NewMembers)}, {"active_members", itoa(r.ActiveMembers)},
		{"posts", itoa(r.Posts)}, {"replies", itoa(r.Replies)}, {"answered_threads", itoa(r.AnsweredThreads)},
	}
	rate, median := "", ""
	if r.AnswerRate != nil {
		rate = strconv.FormatFloat(*r.AnswerRate, 'f', -1, 64)
	}
	if r.MedianFirstResponse != nil {
		median = strconv.FormatInt(*r.MedianFirstResponse, 10)
	}
	fs = append(fs, ReportFigure{"answer_rate", rate}, ReportFigure{"median_first_response_seconds", median})
	if f := r.Funnel; f != nil {
		fs = append(fs,
			ReportFigure{"funnel.invitations_sent", itoa(f.InvitationsSent)},
			ReportFigure{"funnel.invitations_accepted", itoa(f.InvitationsAccepted)},
			ReportFigure{"funnel.invitations_declined", itoa(f.InvitationsDeclined)},
			ReportFigure{"funnel.requests_filed", itoa(f.RequestsFiled)},
			ReportFigure{"funnel.requests_approved", itoa(f.RequestsApproved)},
			ReportFigure{"funnel.requests_refused", itoa(f.RequestsRefused)},
			ReportFigure{"funnel.joined", itoa(f.Joined)})
		for _, src := range []string{SourceOpen, SourceCriteria, SourceRequest, SourceInvitation, "other"} {
			if n, ok := f.JoinedBySource[src]; ok {
				fs = append(fs, ReportFigure{"funnel.joined." + src, itoa(n)})
			}
		}
		fs = append(fs, ReportFigure{"funnel.removed", itoa(f.Removed)})
	}
	fs = append(fs, ReportFigure{"signals_raised", itoa(r.SignalsRaised)}, ReportFigure{"signals_decided", itoa(r.SignalsDecided)})
	for _, b := range r.Benefits {
		fs = append(fs, ReportFigure{"benefits." + string(b.Kind) + "." + b.Unit, b.Amount.String()},
			ReportFigure{"benefits." + string(b.Kind) + ".declarations", itoa(b.Count)})
	}
	for _, d := range r.Decisions {
		p := "decision." + strconv.FormatInt(d.SignalID, 10) + "."
		owner := d.OwnerName
		if d.UnitName != "" {
			owner = d.UnitName
		}
		fs = append(fs, ReportFigure{p + "summary", d.Summary}, ReportFigure{p + "status", string(d.Status)},
			ReportFigure{p + "decision", d.Decision}, ReportFigure{p + "owner", owner},
			ReportFigure{p + "decided_by", d.DeciderName}, ReportFigure{p + "decided_at", d.DecidedAt.UTC().Format(time.RFC3339)})
	}
	for _, n := range r.Narratives {
		fs = append(fs, ReportFigure{"narrative." + n.Period, n.Narrative})
	}
	return fs
}
