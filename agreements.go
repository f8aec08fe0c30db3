package relais

import (
	"strings"
	"time"
)

// Contribution agreements: a participant proposes the time they give a
// community (say 2 hours a week as an expert); their manager approves or
// declines it. The community manager sees the approved agreements in the
// capacity planning, never anyone's activity.

// AgreementStatus is where a contribution agreement stands.
type AgreementStatus string

// Agreement statuses.
const (
	AgreementProposed  AgreementStatus = "proposed"
	AgreementApproved  AgreementStatus = "approved"
	AgreementDeclined  AgreementStatus = "declined"
	AgreementWithdrawn AgreementStatus = "withdrawn"
)

// Bounds of a contribution agreement.
const (
	// MinAgreementHours and MaxAgreementHours bound the hours per week one
	// agrees to give a community: half an hour to 40 hours.
	MinAgreementHours Hours = 50
	MaxAgreementHours Hours = 40_00
	// MaxAgreementRole bounds the role, such as "expert", in characters.
	MaxAgreementRole = 60
	// MaxAgreementNote bounds the note to the manager.
	MaxAgreementNote = 1000
)

// Agreement is a participant's time in a community, agreed (or to be
// agreed) with their manager.
type Agreement struct {
	ID          int64           `json:"id"`
	UserID      int64           `json:"user_id"`
	UserLogin   string          `json:"user_login"`
	UserName    string          `json:"user_name"`
	SpaceID     int64           `json:"space_id"`
	SpaceName   string          `json:"space_name"`
	ManagerID   int64           `json:"manager_id"`
	ManagerName string          `json:"manager_name"`
	Hours       Hours           `json:"hours_per_week"`
	Role        string          `json:"role"`
	Note        string          `json:"note"`
	Status      AgreementStatus `json:"status"`
	// Reason is the manager's reason when they declined.
	Reason      string     `json:"reason,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	DecidedBy   int64      `json:"decided_by,omitempty"`
	DeciderName string     `json:"decider_name,omitempty"`
}

// NewAgreement is a participant's proposal.
type NewAgreement struct {
	Hours Hours
	Role  string
	Note  string
}

// Validate checks and trims the proposal: between half an hour and 40
// hours a week, a short role (default "contributor"), an optional note.
func (n *NewAgreement) Validate() error {
	if n.Hours < MinAgreementHours || n.Hours > MaxAgreementHours {
		return &Error{Code: EINVALID, Field: "hours_per_week",
			Message:   "The hours per week must be between 0.5 and 40.",
			MessageFR: "Les heures par semaine doivent être comprises entre 0,5 et 40."}
	}
	n.Role = strings.TrimSpace(n.Role)
	if n.Role == "" {
		n.Role = "contributor"
	}
	role, err := ValidateText("role", "rôle", n.Role, MaxAgreementRole)
	if err != nil {
		return err
	}
	n.Role = role
	n.Note = strings.TrimSpace(n.Note)
	if n.Note != "" {
		if n.Note, err = ValidateText("note", "note", n.Note, MaxAgreementNote); err != nil {
			return err
		}
	}
	return nil
}

// Notification kinds of contribution agreements: the manager is asked,
// the person is told of the decision.
const (
	NotifyAgreementProposed  = "agreement.proposed"
	NotifyAgreementApproved  = "agreement.approved"
	NotifyAgreementDeclined  = "agreement.declined"
	NotifyAgreementWithdrawn = "agreement.withdrawn"
)

// Audit actions of contribution agreements.
const (
	AuditAgreementProposed = "agreement.proposed"
	AuditAgreementDecided  = "agreement.decided"
)

// AgreedTime is one approved contribution agreement as the capacity
// planning shows it: who, how many hours, in what role. Never activity.
type AgreedTime struct {
	AgreementID int64  `json:"agreement_id"`
	UserID      int64  `json:"user_id"`
	Name        string `json:"name"`
	Hours       Hours  `json:"hours_per_week"`
	Role        string `json:"role"`
}

// SpaceAgreements is the time participants agreed to give one community,
// beside the hours its social media managers give it.
type SpaceAgreements struct {
	SpaceID   int64  `json:"space_id"`
	SpaceName string `json:"space_name"`
	// Hours is the sum of the agreements; SMMHours the hours active
	// social media managers are allocated to the space.
	Hours      Hours        `json:"hours_per_week"`
	SMMHours   Hours        `json:"smm_hours"`
	Agreements []AgreedTime `json:"agreements"`
}
