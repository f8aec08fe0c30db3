package relais

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The community manager's cockpit: the hours social media managers give
// the spaces, the health of the governance, and the organization's own
// names for the roles.

// Hours is a number of hours in whole hundredths, exact on both engines:
// 1250 is 12.5 hours.
type Hours int64

// Bounds of hours per week.
const (
	// MaxWeeklyHours is a whole week: 168 hours.
	MaxWeeklyHours Hours = 168_00
	// DefaultWeeklyHours is what a person has in a week unless the
	// community manager says otherwise: 35 hours.
	DefaultWeeklyHours Hours = 35_00
)

// ParseHours reads a number of hours per week written in decimal, with a
// point or (in French) a comma: "7.5", "7,5", "12", "0.25". It refuses
// anything else, a negative number, more than two decimals and more than
// the 168 hours of a week.
func ParseHours(s string) (Hours, error) {
	s = strings.TrimSpace(s)
	bad := &Error{Code: EINVALID, Field: "hours", Message: "The hours must be a number, such as 7.5.",
		MessageFR: "Les heures doivent être un nombre, comme 7,5."}
	neg := strings.HasPrefix(s, "-")
	whole, frac, dot := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if !dot {
		whole, frac, dot = strings.Cut(whole, ",")
	}
	if !digits(whole) || (dot && !digits(frac)) {
		return 0, bad
	}
	if neg {
		return 0, &Error{Code: EINVALID, Field: "hours", Message: "The hours cannot be negative.",
			MessageFR: "Les heures ne peuvent pas être négatives."}
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return 0, &Error{Code: EINVALID, Field: "hours", Message: "Hours are counted to the hundredth: at most 2 decimals.",
			MessageFR: "Les heures se comptent au centième : 2 décimales au plus."}
	}
	whole = strings.TrimLeft(whole, "0")
	tooMany := &Error{Code: EINVALID, Field: "hours", Message: "A week holds at most 168 hours.",
		MessageFR: "Une semaine compte au plus 168 heures."}
	if len(whole) > 3 {
		return 0, tooMany
	}
	w, _ := strconv.Atoi("0" + whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	h := Hours(w*100 + f)
	if h > MaxWeeklyHours {
		return 0, tooMany
	}
	return h, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String writes the hours in decimal with a point and no needless zero:
// "12.5", "35", "0.25".
func (h Hours) String() string {
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	s := sign + strconv.FormatInt(int64(h/100), 10)
	if c := h % 100; c != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(int64(100+c), 10)[1:], "0")
	}
	return s
}

// Format writes the hours for readers of lang: with a decimal comma in
// French.
func (h Hours) Format(lang string) string {
	if lang == "fr" {
		return strings.Replace(h.String(), ".", ",", 1)
	}
	return h.String()
}

// MarshalJSON writes the hours as a JSON number of hours: 12.5.
func (h Hours) MarshalJSON() ([]byte, error) { return []byte(h.String()), nil }

// SpaceRef names a space, and nothing of its content: the cockpit names
// team spaces where it must, never what is said in them.
type SpaceRef struct {
	ID   int64     `json:"id"`
	Name string    `json:"name"`
	Kind SpaceKind `json:"kind"`
}

// Allocation is the hours per week a social media manager gives a space.
type Allocation struct {
	SpaceID   int64  `json:"space_id"`
	SpaceName string `json:"space_name"`
	Hours     Hours  `json:"hours"`
	// Steward is false when the hours go to a community the social media
	// manager does not steward (yet): allowed, and flagged.
	Steward   bool      `json:"steward"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SMMCapacity is one social media manager's week: the hours they have,
// the hours given to each space, and what does not add up.
type SMMCapacity struct {
	UserID     int64      `json:"user_id"`
	Login      string     `json:"login"`
	Name       string     `json:"name"`
	Employment Employment `json:"employment"`
	CoPilot    bool       `json:"co_pilot"`
	// Available is the hours they have in a week (users.weekly_hours).
	Available Hours `json:"available_hours"`
	// Allocated is the sum of Allocations.
	Allocated Hours `json:"allocated_hours"`
	// OverAllocated is true when Allocated exceeds Available.
	OverAllocated bool         `json:"over_allocated"`
	Allocations   []Allocation `json:"allocations"`
	// Unallocated are the communities they steward without any hours.
	Unallocated []SpaceRef `json:"unallocated"`
}

// Tally computes Allocated and OverAllocated from the allocations.
func (c *SMMCapacity) Tally() {
	c.Allocated = 0
	for _, a := range c.Allocations {
		c.Allocated += a.Hours
	}
	c.OverAllocated = c.Allocated > c.Available
}

// Remaining is the hours left in their week (negative when over-allocated).
func (c *SMMCapacity) Remaining() Hours { return c.Available - c.Allocated }

// Capacity is the time given to the communities: the social media
// managers' weeks, and the communities nobody's hours go to.
//
// Contribution agreements (a participant's time in a community, agreed
// with their manager) stand beside the social media managers' weeks: the
// approved ones, per community, with their totals; never activity.
type Capacity struct {
	SMMs []*SMMCapacity `json:"smms"`
	// Unstaffed are the communities no social media manager gives hours to.
	Unstaffed []SpaceRef `json:"unstaffed"`
	// Agreements are the approved contribution agreements per community.
	Agreements []SpaceAgreements `json:"agreements"`
}

// FindingKind names a problem the governance health check finds.
type FindingKind string

// Finding kinds.
const (
	// FindingNoObjective: a space serves no objective of the strategic
	// plan (space_objectives).
	FindingNoObjective FindingKind = "space.no_objective"
	// FindingNoSponsor: a community has no sponsor unit.
	FindingNoSponsor FindingKind = "space.no_sponsor"
	// FindingNoSteward: a community has no (active) steward.
	FindingNoSteward FindingKind = "space.no_steward"
	// FindingCharterStale: a community's charter has not had a new version
	// for CharterReviewAge.
	FindingCharterStale FindingKind = "charter.stale"
	// FindingSignalStale: a signal waits for its owner past its deadline.
	FindingSignalStale FindingKind = "signal.stale"
	// FindingInactive: nothing was published in a community (thread or
	// reply) for InactiveAfter.
	FindingInactive FindingKind = "space.inactive"
	// FindingOverlap: two communities whose purposes are very similar.
	FindingOverlap FindingKind = "space.overlap"
	// FindingOverAllocated: a social media manager is given more hours
	// than they have.
	FindingOverAllocated FindingKind = "smm.over_allocated"
	// FindingCoPilotOverdue: a co-pilot period has lasted longer than
	// CoPilotOverdueAfter.
	FindingCoPilotOverdue FindingKind = "copilot.overdue"
)

// FindingKinds lists every kind of finding, in the order the health check
// reports them within a severity.
var FindingKinds = []FindingKind{FindingNoSteward, FindingSignalStale, FindingOverAllocated, FindingNoObjective,
	FindingNoSponsor, FindingInactive, FindingCoPilotOverdue, FindingCharterStale, FindingOverlap}

// Thresholds of the governance health check.
const (
	// CharterReviewAge is how old a community's latest charter version
	// may be before it asks for a review.
	CharterReviewAge = 365 * 24 * time.Hour
	// InactiveAfter is how long a community may go without a published
	// thread or reply. A community younger than that is not inactive.
	InactiveAfter = 60 * 24 * time.Hour
	// CoPilotOverdueAfter is how long a co-pilot period may last before
	// the community manager is asked to end it or say why it goes on.
	CoPilotOverdueAfter = 90 * 24 * time.Hour
)

// OverlapSimilarity is the text similarity of their purposes (a TF-IDF
// cosine in [0, 1]) from which two communities overlap.
const OverlapSimilarity = 0.5

// FindingSeverity grades a finding.
type FindingSeverity string

// Severities, from the most urgent.
const (
	HealthHigh   FindingSeverity = "high"
	HealthMedium FindingSeverity = "medium"
	HealthLow    FindingSeverity = "low"
)

// FindingSeverities lists the severities, most urgent first.
var FindingSeverities = []FindingSeverity{HealthHigh, HealthMedium, HealthLow}

// Finding is one problem of the governance, said in French and English,
// with where to act on it in the API and in the web UI.
type Finding struct {
	Kind     FindingKind     `json:"kind"`
	Severity FindingSeverity `json:"severity"`
	FR       string          `json:"fr"`
	EN       string          `json:"en"`
	APIPath  string          `json:"api_path"`
	WebPath  string          `json:"web_path"`
	// What it concerns: a space (by name only), a person, a signal.
	SpaceID   int64  `json:"space_id,omitempty"`
	SpaceName string `json:"space_name,omitempty"`
	UserID    int64  `json:"user_id,omitempty"`
	UserName  string `json:"user_name,omitempty"`
	SignalID  int64  `json:"signal_id,omitempty"`
	// OtherSpaceID and OtherSpaceName: the second space of an overlap.
	OtherSpaceID   int64  `json:"other_space_id,omitempty"`
	OtherSpaceName string `json:"other_space_name,omitempty"`
	// Since is when the problem started, when that is known: the latest
	// charter, the last publication, the deadline, the start of the period.
	Since *time.Time `json:"since,omitempty"`
}

// Text returns the finding's sentence in lang.
func (f Finding) Text(lang string) string {
	if lang == "fr" {
		return f.FR
	}
	return f.EN
}

// Health is the result of the governance health check.
type Health struct {
	CheckedAt time.Time `json:"checked_at"`
	Findings  []Finding `json:"findings"`
	// Skipped names the kinds of finding this check does not look for
	// (yet): the pages say so rather than imply all is well.
	Skipped []FindingKind `json:"skipped"`
}

// Count returns the number of findings of a severity.
func (h *Health) Count(sv FindingSeverity) int {
	n := 0
	for _, f := range h.Findings {
		if f.Severity == sv {
			n++
		}
	}
	return n
}

// RoleLabel is what the organization calls a role, in French and in
// English. The rules keep their meaning and their words: a label is how
// the pages name the role beside its id.
type RoleLabel struct {
	Role Role   `json:"role"`
	FR   string `json:"fr"`
	EN   string `json:"en"`
	// DefaultFR and DefaultEN are Relais's own names, shown when the
	// organization has not given one.
	DefaultFR string `json:"default_fr"`
	DefaultEN string `json:"default_en"`
}

// In returns the label in lang.
func (l RoleLabel) In(lang string) string {
	if lang == "fr" {
		return l.FR
	}
	return l.EN
}

// RoleLabels are the labels of every role, in the order of Roles.
type RoleLabels []RoleLabel

// Of returns the label of role r in lang; an unknown role is named by its
// id.
func (ls RoleLabels) Of(r Role, lang string) string {
	for _, l := range ls {
		if l.Role == r {
			return l.In(lang)
		}
	}
	return string(r)
}

// defaultRoleLabels are Relais's names of the roles: French, English.
var defaultRoleLabels = map[Role][2]string{
	RoleAdministrator:      {"Administrateur", "Administrator"},
	RoleCommunityManager:   {"Community manager", "Community manager"},
	RoleSocialMediaManager: {"Social media manager", "Social media manager"},
}

// DefaultRoleLabels returns Relais's own names of the roles, to which
// custom labels (by role, then language) are applied.
func DefaultRoleLabels(custom map[Role]map[string]string) RoleLabels {
	out := make(RoleLabels, 0, len(Roles))
	for _, r := range Roles {
		d := defaultRoleLabels[r]
		l := RoleLabel{Role: r, FR: d[0], EN: d[1], DefaultFR: d[0], DefaultEN: d[1]}
		if s := custom[r]["fr"]; s != "" {
			l.FR = s
		}
		if s := custom[r]["en"]; s != "" {
			l.EN = s
		}
		out = append(out, l)
	}
	return out
}

// MaxRoleLabel bounds a role's label, in characters.
const MaxRoleLabel = 80

// ValidateRoleLabel checks a role's label and trims it; an empty label is
// valid and restores the default.
func ValidateRoleLabel(label string) (string, error) {
	label = strings.TrimSpace(label)
	switch {
	case utf8.RuneCountInString(label) > MaxRoleLabel:
		return "", &Error{Code: EINVALID, Field: "label", Message: "The label is longer than 80 characters.",
			MessageFR: "Le libellé dépasse 80 caractères."}
	case !ValidText(label) || strings.ContainsAny(label, "\n\r\t"):
		return "", &Error{Code: EINVALID, Field: "label", Message: "The label holds invalid characters (a line break, not UTF-8, or a NUL).",
			MessageFR: "Le libellé contient des caractères invalides (retour à la ligne, hors UTF-8, ou NUL)."}
	}
	return label, nil
}

// Audited actions of the cockpit.
const (
	AuditCapacitySet    = "capacity.allocated"
	AuditWeeklyHoursSet = "capacity.weekly_hours"
	AuditRoleLabelSet   = "roles.labelled"
)
