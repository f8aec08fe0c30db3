// Package events names the domain events that every write records. The
// store writes them to its event log in the transaction of the change (an
// outbox), so that an event exists exactly when what it tells happened;
// live updates read that log. A Bus hands events around one process and
// never blocks a publisher.
package events

import (
	"sync"
	"time"
)

// Kinds of events published by the foundation.
const (
	PostCreated     = "post.created"
	ReplyCreated    = "reply.created"
	ReactionToggled = "reaction.toggled"
	MemberJoined    = "member.joined"
	JoinRequested   = "join.requested"
	JoinDecided     = "join.decided"
	SpaceCreated    = "space.created"
	CharterVersion  = "charter.versioned"
	CharterAccepted = "charter.accepted"
	UserCreated     = "user.created"
	RolesChanged    = "roles.changed"
	TeamChanged     = "team.changed"
	SessionStarted  = "session.started"
	TokenCreated    = "token.created"
	TokenRevoked    = "token.revoked"
	SessionEnded    = "session.ended"
	// ApprovalApproved and ApprovalRejected follow a mentor's decision on
	// what an actor in co-pilot submitted.
	ApprovalRequested = "approval.requested"
	ApprovalApproved  = "approval.approved"
	ApprovalRejected  = "approval.rejected"

	// Animation and moderation.
	PostHidden         = "post.hidden"
	PostRestored       = "post.restored"
	PostPinned         = "post.pinned"
	PostUnpinned       = "post.unpinned"
	PostFlagged        = "post.flagged"
	FlagsDismissed     = "flags.dismissed"
	PostScheduled      = "post.scheduled"
	ScheduleCancelled  = "post.schedule_cancelled"
	WelcomeSet         = "space.welcome"
	InvitationSent     = "invitation.sent"
	InvitationAnswered = "invitation.answered"
	MemberRemoved      = "member.removed"
	JoinPolicyChanged  = "space.join_policy"
	StewardChanged     = "steward.changed"
	OnboardingStep     = "copilot.onboarding"
	CoPilotStarted     = "copilot.started"
	CoPilotEnded       = "copilot.ended"
	NotificationsRead  = "notifications.read"
	// NotificationCreated: a notification was given to UserID (Subject:
	// the notification; SpaceID and PostID where it has them).
	NotificationCreated = "notification.created"

	// From conversation to decision.
	SignalRaised       = "signal.raised"
	SignalDecided      = "signal.decided"
	SignalSuggested    = "signal.suggested"
	EscalationRaised   = "escalation.raised"
	EscalationResolved = "escalation.resolved"
	SignalDeadlineSet  = "signal.deadline"

	// Reports and value.
	BenefitDeclared = "benefit.declared"
	NarrativeSet    = "report.narrative"
	ReportDelivered = "report.delivered"

	// The team's work: coordination tasks, problems, the library,
	// coaching and contribution agreements. Coaching and agreements
	// concern two people, not a space: their events carry no space.
	TaskChanged       = "task.changed"       // Subject: the task
	ProblemSolved     = "problem.solved"     // Subject: the post
	ProblemReopened   = "problem.reopened"   // Subject: the post
	PracticeShared    = "practice.shared"    // Subject: the practice
	PracticeWithdrawn = "practice.withdrawn" // Subject: the practice
	CoachingChanged   = "coaching.changed"   // Subject: the coaching
	AgreementChanged  = "agreement.changed"  // Subject: the agreement

	// The cockpit and the organization's settings.
	PlanChanged        = "plan.changed"      // Subject: the objective, workstream or KPI target
	RoleLabelChanged   = "roles.label"       // the organization renamed a role
	CapacityChanged    = "capacity.changed"  // Subject: the SMM
	WebhookChanged     = "webhook.changed"   // Subject: the webhook
	AnalyticsKChanged  = "analytics.k"       // the threshold of k-anonymity
	LeaderboardChanged = "space.leaderboard" // a space opted in or out of its leaderboard
	PrivacyChanged     = "privacy.changed"   // Subject: the person
	// RoutineChanged: a team's routine started, changed, paused or resumed (Subject: the routine).
	RoutineChanged = "routine.changed"
	// The catalog of value propositions and the requests for new spaces.
	OfferingChanged     = "offering.changed"      // Subject: the offering
	SpaceRequested      = "space_request.filed"   // Subject: the request
	SpaceRequestDecided = "space_request.decided" // Subject: the request
)

// Event is something that happened. SpaceID lets subscribers filter by
// visibility: a listener delivers an event only to those who may read the
// space; UserID, when set, names the one person the event concerns.
type Event struct {
	// ID is the event's position in the log, increasing in commit order
	// (0 until written).
	ID      int64  `json:"id,omitempty"`
	Kind    string `json:"kind"`
	SpaceID int64  `json:"space_id,omitempty"`
	ActorID int64  `json:"actor_id,omitempty"`
	Subject int64  `json:"subject_id,omitempty"` // id of the post, reply, user… the kind names
	// PostID is the thread's post, for post and reply events and anything
	// about a post.
	PostID int64 `json:"post_id,omitempty"`
	// ReplyID is the reply, for reply events.
	ReplyID int64 `json:"reply_id,omitempty"`
	// UserID is the one recipient of a personal event (a notification's
	// user, an approval's mentor, a party to a coaching or an agreement…);
	// 0: whoever may read the space.
	UserID int64     `json:"user_id,omitempty"`
	At     time.Time `json:"at"`
}

// Bus delivers events to subscribers.
type Bus interface {
	// Publish hands e to every subscriber without waiting for them.
	Publish(e Event)
	// Subscribe returns a channel of events and a function that ends the
	// subscription. A subscriber that falls behind loses events, never
	// blocks the bus.
	Subscribe(buffer int) (<-chan Event, func())
}

// Local is an in-process Bus for a single node.
type Local struct {
	mu   sync.RWMutex
	subs map[chan Event]struct{}
}

// NewLocal returns an empty in-process bus.
func NewLocal() *Local { return &Local{subs: make(map[chan Event]struct{})} }

// Publish implements Bus.
func (b *Local) Publish(e Event) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	for c := range b.subs {
		select {
		case c <- e:
		default:
		}
	}
}

// Subscribe implements Bus.
func (b *Local) Subscribe(buffer int) (<-chan Event, func()) {
	c := make(chan Event, buffer)
	b.mu.Lock()
	b.subs[c] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, c)
			b.mu.Unlock()
			close(c)
		})
	}
}
