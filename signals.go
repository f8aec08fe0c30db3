package relais

import "time"

// SignalStatus is where a signal stands with its owner.
type SignalStatus string

// Signal statuses: new → acknowledged → accepted | rejected | planned →
// done.
const (
	SignalNew          SignalStatus = "new"
	SignalAcknowledged SignalStatus = "acknowledged"
	SignalAccepted     SignalStatus = "accepted"
	SignalRejected     SignalStatus = "rejected"
	SignalPlanned      SignalStatus = "planned"
	SignalDone         SignalStatus = "done"
)

// Valid reports whether s is a known status.
func (s SignalStatus) Valid() bool {
	switch s {
	case SignalNew, SignalAcknowledged, SignalAccepted, SignalRejected, SignalPlanned, SignalDone:
		return true
	}
	return false
}

// Next reports whether a signal may go from s to next: forward only, a
// decision (accepted, rejected, planned) may be revised, and done and
// rejected are final.
func (s SignalStatus) Next(next SignalStatus) bool {
	switch s {
	case SignalNew:
		return next != SignalNew && next != SignalDone
	case SignalAcknowledged:
		return next == SignalAccepted || next == SignalRejected || next == SignalPlanned
	case SignalAccepted, SignalPlanned:
		return next == SignalDone || (next != s && (next == SignalAccepted || next == SignalPlanned || next == SignalRejected))
	}
	return false
}

// Decided reports whether the owner answered: anything past acknowledged.
func (s SignalStatus) Decided() bool {
	return s == SignalAccepted || s == SignalRejected || s == SignalPlanned || s == SignalDone
}

// DefaultSignalDeadline is the time an owner has to answer a signal,
// unless the space sets another.
const DefaultSignalDeadline = 14 * 24 * time.Hour

// Signal routes a post or thread to whoever should decide: a named person
// or a business unit (its head decides). The decision is fed back into the
// thread.
type Signal struct {
	ID          int64        `json:"id"`
	SpaceID     int64        `json:"space_id"`
	SpaceName   string       `json:"space_name"`
	PostID      int64        `json:"post_id"`
	PostTitle   string       `json:"post_title,omitempty"`
	RaisedBy    int64        `json:"raised_by"`
	RaiserName  string       `json:"raiser_name"`
	OwnerID     int64        `json:"owner_id,omitempty"`
	OwnerName   string       `json:"owner_name,omitempty"`
	UnitID      int64        `json:"unit_id,omitempty"`
	UnitName    string       `json:"unit_name,omitempty"`
	Summary     string       `json:"summary"`
	Status      SignalStatus `json:"status"`
	Decision    string       `json:"decision,omitempty"`
	DecidedBy   int64        `json:"decided_by,omitempty"`
	DeciderName string       `json:"decider_name,omitempty"`
	DecidedAt   *time.Time   `json:"decided_at,omitempty"`
	DueAt       time.Time    `json:"due_at"`
	Stale       bool         `json:"stale"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	History     []SignalStep `json:"history,omitempty"`
}

// SignalStep is one change of a signal's status.
type SignalStep struct {
	Status    SignalStatus `json:"status"`
	ActorID   int64        `json:"actor_id,omitempty"`
	ActorName string       `json:"actor_name,omitempty"`
	Note      string       `json:"note,omitempty"`
	At        time.Time    `json:"at"`
}

// SignalSuggestion is a participant's proposal that the stewards raise a
// signal from a post.
type SignalSuggestion struct {
	ID        int64     `json:"id"`
	SpaceID   int64     `json:"space_id"`
	PostID    int64     `json:"post_id"`
	PostTitle string    `json:"post_title"`
	UserID    int64     `json:"user_id"`
	UserName  string    `json:"user_name"`
	Note      string    `json:"note"`
	Status    string    `json:"status"` // open, raised, dismissed
	SignalID  int64     `json:"signal_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Severity grades an escalation.
type Severity string

// Severities.
const (
	SeverityLow      Severity = "low"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return s == SeverityLow || s == SeverityHigh || s == SeverityCritical }

// Deadline is the default time to resolve an escalation of severity s.
func (s Severity) Deadline() time.Duration {
	switch s {
	case SeverityCritical:
		return 24 * time.Hour
	case SeverityHigh:
		return 3 * 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// Escalation hands a difficult situation to the community manager or a
// named responsible person.
type Escalation struct {
	ID           int64      `json:"id"`
	SpaceID      int64      `json:"space_id"`
	SpaceName    string     `json:"space_name"`
	PostID       int64      `json:"post_id,omitempty"`
	RaisedBy     int64      `json:"raised_by"`
	RaiserName   string     `json:"raiser_name"`
	AssigneeID   int64      `json:"assignee_id"`
	AssigneeName string     `json:"assignee_name"`
	Severity     Severity   `json:"severity"`
	Summary      string     `json:"summary"`
	DeadlineAt   time.Time  `json:"deadline_at"`
	Status       string     `json:"status"` // open, resolved
	Resolution   string     `json:"resolution,omitempty"`
	ResolvedBy   int64      `json:"resolved_by,omitempty"`
	ResolvedAt   *time.Time `json:"resolved_at,omitempty"`
	Overdue      bool       `json:"overdue"`
	CreatedAt    time.Time  `json:"created_at"`
}

// MaxSummary bounds the summary of a signal or an escalation, and a
// decision or resolution, in characters.
const (
	MaxSummary  = 2000
	MaxDecision = 5000
)
