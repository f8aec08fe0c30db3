package relais

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FlagStatus is where a member's flag on a post stands.
type FlagStatus string

// Flag statuses.
const (
	FlagOpen      FlagStatus = "open"
	FlagDismissed FlagStatus = "dismissed" // a steward kept the post
	FlagUpheld    FlagStatus = "upheld"    // a steward hid the post
)

// Flag is a member's report of a post to the stewards' moderation queue.
type Flag struct {
	ID        int64      `json:"id"`
	PostID    int64      `json:"post_id"`
	SpaceID   int64      `json:"space_id"`
	UserID    int64      `json:"user_id"`
	UserName  string     `json:"user_name"`
	Reason    string     `json:"reason"`
	Status    FlagStatus `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
}

// FlaggedPost is one entry of a moderation queue: a post and its open flags.
type FlaggedPost struct {
	Post  *Post   `json:"post"`
	Flags []*Flag `json:"flags"`
}

// ScheduledStatus is where a scheduled post stands.
type ScheduledStatus string

// Scheduled post statuses.
const (
	SchedulePendingApproval ScheduledStatus = "pending_approval"
	ScheduleWaiting         ScheduledStatus = "scheduled"
	SchedulePublished       ScheduledStatus = "published"
	ScheduleCancelled       ScheduledStatus = "cancelled"
	ScheduleRejected        ScheduledStatus = "rejected"
)

// ScheduledPost is a post prepared by a steward that appears on its own at
// PublishAt, exactly once.
type ScheduledPost struct {
	ID         int64           `json:"id"`
	SpaceID    int64           `json:"space_id"`
	AuthorID   int64           `json:"author_id"`
	AuthorName string          `json:"author_name"`
	Kind       PostKind        `json:"kind"`
	Title      string          `json:"title"`
	Body       string          `json:"body"`
	PublishAt  time.Time       `json:"publish_at"`
	Status     ScheduledStatus `json:"status"`
	PostID     int64           `json:"post_id,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
}

// InvitationStatus is where an invitation to a community stands.
type InvitationStatus string

// Invitation statuses.
const (
	InvitationPendingApproval InvitationStatus = "pending_approval" // a co-pilot's invitation, waiting for the mentor
	InvitationPending         InvitationStatus = "pending"          // sent, waiting for the invitee
	InvitationAccepted        InvitationStatus = "accepted"
	InvitationDeclined        InvitationStatus = "declined"
	InvitationRejected        InvitationStatus = "rejected" // the mentor refused to send it
)

// Invitation is a steward's invitation of a person to join a community.
type Invitation struct {
	ID          int64            `json:"id"`
	SpaceID     int64            `json:"space_id"`
	SpaceName   string           `json:"space_name"`
	UserID      int64            `json:"user_id"`
	UserName    string           `json:"user_name"`
	InvitedBy   int64            `json:"invited_by"`
	InviterName string           `json:"inviter_name"`
	Message     string           `json:"message,omitempty"`
	Status      InvitationStatus `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	DecidedAt   *time.Time       `json:"decided_at,omitempty"`
}

// Funnel counts how people came into a community over a period: the
// invitations and requests at each step, and the members who came and
// went.
type Funnel struct {
	From                time.Time      `json:"from"`
	To                  time.Time      `json:"to"`
	InvitationsSent     int            `json:"invitations_sent"`
	InvitationsAccepted int            `json:"invitations_accepted"`
	InvitationsDeclined int            `json:"invitations_declined"`
	RequestsFiled       int            `json:"requests_filed"`
	RequestsApproved    int            `json:"requests_approved"`
	RequestsRefused     int            `json:"requests_refused"`
	Joined              int            `json:"joined"`
	JoinedBySource      map[string]int `json:"joined_by_source"`
	Removed             int            `json:"removed"`
}

// Join sources: how a member came in.
const (
	SourceOpen       = "open"
	SourceCriteria   = "criteria"
	SourceRequest    = "request"
	SourceInvitation = "invitation"
)

// Notification is what a person is told in the app: their post hidden,
// their request decided, a welcome, an invitation, a removal.
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	SpaceID   int64      `json:"space_id,omitempty"`
	SpaceName string     `json:"space_name,omitempty"`
	PostID    int64      `json:"post_id,omitempty"`
	PostTitle string     `json:"post_title,omitempty"`
	ActorID   int64      `json:"actor_id,omitempty"`
	ActorName string     `json:"actor_name,omitempty"`
	SubjectID int64      `json:"subject_id,omitempty"`
	Rule      string     `json:"rule,omitempty"`
	Detail    string     `json:"detail,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Notification kinds.
const (
	NotifyPostHidden       = "post.hidden"
	NotifyPostRestored     = "post.restored"
	NotifyWelcome          = "welcome"
	NotifyInvitation       = "invitation"
	NotifyRemoved          = "member.removed"
	NotifyJoinApproved     = "join.approved"
	NotifyJoinRefused      = "join.refused"
	NotifyApprovalApproved = "approval.approved"
	NotifyApprovalRejected = "approval.rejected"
	NotifyCoPilotEnded     = "copilot.ended"
	// Signals, escalations and reports.
	NotifySignalRaised       = "signal.raised"
	NotifySignalDecided      = "signal.decided"
	NotifySignalStale        = "signal.stale"
	NotifySignalSuggested    = "signal.suggested"
	NotifyEscalation         = "escalation.raised"
	NotifyEscalationResolved = "escalation.resolved"
	NotifyReport             = "report.delivered"
	// What waits for a decision.
	NotifyApprovalRequested = "approval.requested"
	NotifyJoinRequested     = "join.requested"
)

// Onboarding items of a social media manager in co-pilot: all must be done
// before the community manager ends the period.
const (
	OnboardingCodes       = "codes_values"
	OnboardingCharter     = "charter"
	OnboardingEscalations = "escalation_paths"
)

// OnboardingItems lists the checklist in order.
var OnboardingItems = []string{OnboardingCodes, OnboardingCharter, OnboardingEscalations}

// OnboardingStep is one item of the checklist and who confirmed it.
type OnboardingStep struct {
	Item       string     `json:"item"`
	Done       bool       `json:"done"`
	DoneBy     int64      `json:"done_by,omitempty"`
	DoneByName string     `json:"done_by_name,omitempty"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
}

// Onboarding is where a social media manager in co-pilot stands.
type Onboarding struct {
	UserID       int64            `json:"user_id"`
	UserName     string           `json:"user_name"`
	CoPilot      bool             `json:"co_pilot"`
	MentorID     int64            `json:"mentor_id,omitempty"`
	MentorName   string           `json:"mentor_name,omitempty"`
	CoPilotSince *time.Time       `json:"co_pilot_since,omitempty"`
	Steps        []OnboardingStep `json:"steps"`
	Complete     bool             `json:"complete"`
}

// MaxWelcome bounds a welcome message, in characters.
const MaxWelcome = 5000

// ValidateText checks and trims a required free text of at most max
// characters; field names it in errors, fr in French.
func ValidateText(field, fr, text string, max int) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", &Error{Code: EINVALID, Field: field, Message: "The " + strings.ReplaceAll(field, "_", " ") + " is required.",
			MessageFR: "Le champ « " + fr + " » est requis."}
	case utf8.RuneCountInString(text) > max:
		return "", &Error{Code: EINVALID, Field: field, Message: "The " + strings.ReplaceAll(field, "_", " ") + " is longer than " + thousands(max) + " characters.",
			MessageFR: "Le champ « " + fr + " » dépasse " + thousandsFR(max) + " caractères."}
	case !ValidText(text):
		return "", &Error{Code: EINVALID, Field: field, Message: "The text holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return text, nil
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func thousandsFR(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}
