// Package app holds the use cases of Relais. Each one loads the facts,
// asks the policy, writes in one transaction and publishes an event. The
// web and API packages are thin faces over these services.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"relais"
	"relais/auth"
	"relais/events"
	"relais/policy"
	"relais/store"
)

// Service is the set of use cases over one organization's store.
type Service struct {
	Store    *store.Store
	Bus      events.Bus
	Log      *slog.Logger
	Throttle *auth.Throttle
	// Mailer sends the e-mail outbox; nil when SMTP is not configured, and
	// QueueMail then queues nothing.
	Mailer *Mailer
	// WebhookTimeout bounds one webhook request, from dialing to the end
	// of the answer (0: DefaultWebhookTimeout).
	WebhookTimeout time.Duration
	// WebhooksAllowPrivate lets webhooks go to internal destinations
	// (loopback, private and link-local addresses, names of the internal
	// network): off, they are refused when a webhook is created and again
	// when each connection is made (see destinations.go).
	WebhooksAllowPrivate bool

	webhookOnce sync.Once
	webhookHTTP *http.Client
	// lookupHost, when set, resolves the names of webhook receivers in
	// place of the system's resolver (tests).
	lookupHost func(ctx context.Context, host string) ([]netip.Addr, error)

	// Live tunes the live streams (see live.go).
	Live LiveConfig
	// EventRetention and EventKeep bound the event log that live updates
	// replay from: the scheduler prunes events older than EventRetention,
	// always keeping the newest EventKeep (New sets DefaultEventRetention
	// and DefaultEventKeep).
	EventRetention time.Duration
	EventKeep      int

	wakeOnce sync.Once
	wakeCh   chan struct{}
	hubOnce  sync.Once
	liveHub  *hub
}

// The event log's retention by default: at least a day, and at least the
// last 100,000 events whatever their age.
const (
	DefaultEventRetention = 24 * time.Hour
	DefaultEventKeep      = 100000
)

// New returns a service over a store and a bus.
func New(st *store.Store, bus events.Bus, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Store: st, Bus: bus, Log: log, Throttle: auth.NewThrottle(),
		EventRetention: DefaultEventRetention, EventKeep: DefaultEventKeep}
}

// target builds the policy target for a user and a space.
func target(sp *relais.Space, rel store.Relation) policy.Target {
	return policy.Target{Space: sp, Member: rel.Member, Steward: rel.Steward, Manager: rel.Manager, AcceptedCharter: rel.CharterVersion,
		Sponsor: rel.Sponsor, Coach: rel.Coach}
}

// Permissions are the policy's answers for the actions a page offers on a
// space, so that the UI shows only what is allowed and explains the rest.
type Permissions struct {
	View  policy.Decision `json:"-"`
	Read  policy.Decision `json:"-"`
	Join  policy.Decision `json:"-"`
	Post  policy.Decision `json:"-"`
	Reply policy.Decision `json:"-"`
	React policy.Decision `json:"-"`
	// DecideJoin is deciding on the requests to join the space.
	DecideJoin policy.Decision `json:"-"`
	// EditCharter and AcceptCharter are publishing a new version of the
	// charter, and accepting the current one.
	EditCharter   policy.Decision `json:"-"`
	AcceptCharter policy.Decision `json:"-"`
	// The animation of the space.
	Flag          policy.Decision `json:"-"`
	Moderate      policy.Decision `json:"-"`
	Pin           policy.Decision `json:"-"`
	Schedule      policy.Decision `json:"-"`
	Welcome       policy.Decision `json:"-"`
	Invite        policy.Decision `json:"-"`
	RemoveMember  policy.Decision `json:"-"`
	ConfigureJoin policy.Decision `json:"-"`
	// From conversation to decision.
	Signal     policy.Decision `json:"-"`
	Suggest    policy.Decision `json:"-"`
	Escalate   policy.Decision `json:"-"`
	ReadReport policy.Decision `json:"-"`
	Narrate    policy.Decision `json:"-"`
	// Govern is the community manager's say over the space (its signals'
	// response deadline).
	Govern policy.Decision `json:"-"`
	// The team's work: routines, coordination tasks, solutions of
	// problems (for a post the actor did not write), the library, and
	// contribution agreements.
	Routines      policy.Decision `json:"-"`
	Tasks         policy.Decision `json:"-"`
	Solve         policy.Decision `json:"-"`
	SharePractice policy.Decision `json:"-"`
	Agreement     policy.Decision `json:"-"`
	// ReusePractice is opening a thread in the space from a practice of
	// the library.
	ReusePractice policy.Decision `json:"-"`
}

// Animates reports whether the actor has any part in animating the space,
// so that a page offers its steward console.
func (p Permissions) Animates() bool {
	return p.DecideJoin.Allowed() || p.Moderate.Allowed() || p.Pin.Allowed() || p.Schedule.Allowed() ||
		p.Welcome.Allowed() || p.Invite.Allowed() || p.RemoveMember.Allowed() || p.ConfigureJoin.Allowed()
}

func permissions(a policy.Actor, t policy.Target) Permissions {
	return Permissions{
		View:  policy.Decide(a, policy.ViewSpace, t),
		Read:  policy.Decide(a, policy.ReadPosts, t),
		Join:  policy.Decide(a, policy.JoinSpace, t),
		Post:  policy.Decide(a, policy.CreatePost, t),
		Reply: policy.Decide(a, policy.CreateReply, t),
		React: policy.Decide(a, policy.React, t),

		DecideJoin:    policy.Decide(a, policy.DecideJoin, t),
		EditCharter:   policy.Decide(a, policy.EditCharter, t),
		AcceptCharter: policy.Decide(a, policy.AcceptCharter, t),

		Flag:          policy.Decide(a, policy.FlagPost, t),
		Moderate:      policy.Decide(a, policy.ModeratePost, t),
		Pin:           policy.Decide(a, policy.PinPost, t),
		Schedule:      policy.Decide(a, policy.SchedulePost, t),
		Welcome:       policy.Decide(a, policy.SetWelcome, t),
		Invite:        policy.Decide(a, policy.Invite, t),
		RemoveMember:  policy.Decide(a, policy.RemoveMember, t),
		ConfigureJoin: policy.Decide(a, policy.ConfigureJoin, t),

		Signal:     policy.Decide(a, policy.RaiseSignal, t),
		Suggest:    policy.Decide(a, policy.SuggestSignal, t),
		Escalate:   policy.Decide(a, policy.Escalate, t),
		ReadReport: policy.Decide(a, policy.ReadReport, t),
		Narrate:    policy.Decide(a, policy.NarrateReport, t),
		Govern:     policy.Decide(a, policy.Govern, policy.Target{}),

		Routines:      policy.Decide(a, policy.ManageRoutines, t),
		Tasks:         policy.Decide(a, policy.ManageTasks, t),
		Solve:         policy.Decide(a, policy.SolveProblem, t),
		SharePractice: policy.Decide(a, policy.SharePractice, t),
		Agreement:     policy.Decide(a, policy.ProposeAgreement, t),
		ReusePractice: policy.Decide(a, policy.ReusePractice, t),
	}
}

// SpaceView is a space as one person sees it.
type SpaceView struct {
	*relais.Space
	Relation store.Relation
	Can      Permissions
}

// spaceView loads a space and the actor's relation to it; to an actor who
// may not even see it, it does not exist.
func (s *Service) spaceView(ctx context.Context, u *relais.User, spaceID int64) (*SpaceView, error) {
	v, err := s.loadSpaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.refuse(v.Can.View, spaceNotFound); err != nil {
		return nil, err
	}
	return v, nil
}

// loadSpaceView loads a space, the actor's relation to it and the policy's
// decisions, whether or not the actor may see it.
func (s *Service) loadSpaceView(ctx context.Context, u *relais.User, spaceID int64) (*SpaceView, error) {
	sp, rel, err := s.Store.SpaceAndRelation(ctx, spaceID, u.ID)
	if err != nil {
		return nil, err
	}
	return &SpaceView{Space: sp, Relation: rel, Can: permissions(policy.ActorOf(u), target(sp, rel))}, nil
}

// Space returns a space the actor may see, with their permissions.
func (s *Service) Space(ctx context.Context, u *relais.User, spaceID int64) (*SpaceView, error) {
	return s.spaceView(ctx, u, spaceID)
}

// Spaces returns the spaces the actor may see: their team spaces, the
// communities they belong to, then the others they could join.
func (s *Service) Spaces(ctx context.Context, u *relais.User) ([]*SpaceView, error) {
	all, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []*SpaceView
	for _, v := range all {
		if v.Can.View.Allowed() {
			out = append(out, v)
		}
	}
	return out, nil
}

// allSpaceViews returns every space with the actor's relation and the
// policy's decisions, visible or not.
func (s *Service) allSpaceViews(ctx context.Context, u *relais.User) ([]*SpaceView, error) {
	all, err := s.Store.Spaces(ctx)
	if err != nil {
		return nil, err
	}
	rels, err := s.Store.Relations(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	a := policy.ActorOf(u)
	out := make([]*SpaceView, len(all))
	for i, sp := range all {
		rel := rels[sp.ID]
		out[i] = &SpaceView{Space: sp, Relation: rel, Can: permissions(a, target(sp, rel))}
	}
	return out, nil
}

// readableSpaceIDs returns the ids of the spaces whose threads the actor
// may read.
func (s *Service) readableSpaceIDs(ctx context.Context, u *relais.User) ([]int64, error) {
	all, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, v := range all {
		if v.Can.Read.Effect == policy.Allow {
			ids = append(ids, v.ID)
		}
	}
	return ids, nil
}

// Members returns the people of a space the actor may read.
func (s *Service) Members(ctx context.Context, u *relais.User, spaceID int64) ([]relais.Member, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	return s.Store.Members(ctx, spaceID)
}

// JoinResult tells whether a person joined at once or waits for a steward.
type JoinResult struct {
	Status         string `json:"status"` // "joined" or "pending"
	SpaceID        int64  `json:"space_id"`
	CharterVersion int    `json:"charter_version"`
	Rule           string `json:"rule"`
}

// Join makes the actor a member of a space after they accepted the
// charter's current version, or files their request when a steward must
// approve it.
func (s *Service) Join(ctx context.Context, u *relais.User, spaceID int64, charterVersion int) (*JoinResult, error) {
	v, err := s.loadSpaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	d := v.Can.Join
	if err := v.refuse(d, spaceNotFound); err != nil {
		if d.Rule.ID == policy.RuleJoinAlreadyMember {
			err.(*relais.Error).Code = relais.ECONFLICT
		}
		return nil, err
	}
	current := v.Charter.Version
	if charterVersion != current {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "charter_version", Rule: policy.RuleCharterAccept,
			Message:   "To join, read and accept the current version of the charter (version " + itoa(current) + ").",
			MessageFR: "Pour rejoindre l'espace, lisez et acceptez la version actuelle de la charte (version " + itoa(current) + ")."}
	}
	res := &JoinResult{SpaceID: spaceID, CharterVersion: current, Rule: d.Rule.ID}
	if d.Effect == policy.NeedsApproval {
		if _, err := s.Store.RequestToJoin(ctx, spaceID, u.ID, current); err != nil {
			return nil, err
		}
		res.Status = "pending"
		return res, nil
	}
	source := relais.SourceOpen
	if v.JoinPolicy == relais.JoinByCriteria {
		source = relais.SourceCriteria
	}
	if err := s.Store.Join(ctx, &relais.Membership{SpaceID: spaceID, UserID: u.ID, CharterVersion: current, Source: source}); err != nil {
		return nil, err
	}
	res.Status = "joined"
	return res, nil
}

func itoa(n int) string {
	return fmtInt(int64(n))
}

// Charters returns every version of the charter of a space the actor may
// see, newest first.
func (s *Service) Charters(ctx context.Context, u *relais.User, spaceID int64) ([]relais.Charter, error) {
	if _, err := s.spaceView(ctx, u, spaceID); err != nil {
		return nil, err
	}
	return s.Store.Charters(ctx, spaceID)
}
