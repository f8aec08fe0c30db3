package app

import (
	"context"
	"strings"

	"relais"
	"relais/policy"
	"relais/store"
)

// onboardingTarget is the policy target for acting on the co-pilot period
// of subject.
func onboardingTarget(subject *relais.User, o *relais.Onboarding) policy.Target {
	sub := policy.ActorOf(subject)
	return policy.Target{Subject: &sub, MentorID: subject.MentorID, ChecklistDone: o != nil && o.Complete}
}

// Onboarding returns where a social media manager stands in their co-pilot
// period, to themselves, their mentor and the community manager.
func (s *Service) Onboarding(ctx context.Context, u *relais.User, userID int64) (*relais.Onboarding, error) {
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.ID != userID && !policy.Decide(policy.ActorOf(u), policy.ConfirmOnboarding, onboardingTarget(subject, nil)).Allowed() {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "User not found.", MessageFR: "Utilisateur introuvable."}
	}
	return s.Store.Onboarding(ctx, userID)
}

// ConfirmOnboardingStep records that an item of the checklist is done.
func (s *Service) ConfirmOnboardingStep(ctx context.Context, u *relais.User, userID int64, item string) (*relais.Onboarding, error) {
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := policy.Decide(policy.ActorOf(u), policy.ConfirmOnboarding, onboardingTarget(subject, nil)).Err(); err != nil {
		return nil, err
	}
	if !subject.CoPilot {
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This account is not in a co-pilot period.", MessageFR: "Ce compte n'est pas en période de doubles commandes."}
	}
	if err := s.Store.ConfirmOnboardingStep(ctx, userID, strings.TrimSpace(item), u.ID); err != nil {
		return nil, err
	}
	return s.Store.Onboarding(ctx, userID)
}

// EndCoPilot ends the co-pilot period of a social media manager whose
// checklist is complete: their actions become visible without waiting.
func (s *Service) EndCoPilot(ctx context.Context, u *relais.User, userID int64) (*relais.Onboarding, error) {
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	o, err := s.Store.Onboarding(ctx, userID)
	if err != nil {
		return nil, err
	}
	// Authority first, then whether there is a period to end at all (an
	// account never in co-pilot has no checklist: a conflict, not an
	// incomplete checklist), then the checklist.
	d := policy.Decide(policy.ActorOf(u), policy.EndCoPilot, onboardingTarget(subject, o))
	if d.Effect == policy.Deny && d.Rule.ID != policy.RuleCoPilotEndChecklist {
		return nil, d.Err()
	}
	if !subject.CoPilot {
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This account is not in a co-pilot period.", MessageFR: "Ce compte n'est pas en période de doubles commandes."}
	}
	if d.Effect == policy.Deny {
		e := d.Err().(*relais.Error)
		e.Code = relais.EUNPROCESSABLE
		return nil, e
	}
	if err := s.Store.EndCoPilot(ctx, userID, u.ID); err != nil {
		return nil, err
	}
	return s.Store.Onboarding(ctx, userID)
}

// CoPilots returns the social media managers in a co-pilot period whom the
// actor mentors, or all of them for the community manager.
func (s *Service) CoPilots(ctx context.Context, u *relais.User) ([]*relais.Onboarding, error) {
	us, err := s.Store.Users(ctx, "")
	if err != nil {
		return nil, err
	}
	out := []*relais.Onboarding{}
	for _, x := range us {
		if !x.CoPilot || !policy.Decide(policy.ActorOf(u), policy.ConfirmOnboarding, onboardingTarget(x, nil)).Allowed() {
			continue
		}
		o, err := s.Store.Onboarding(ctx, x.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// NavCounts reads, at once, the counts a page's navigation shows the
// actor: the requests waiting for their approval as mentor, their unread
// notifications, the social media managers in co-pilot they follow (those
// they mentor, or all of them for whom the policy lets confirm anyone's
// onboarding: the community manager), and what waits in signals and
// escalations (beside their own, the open escalations the policy lets them
// read and resolve: the community manager's, of the communities and of the
// team spaces once overdue).
func (s *Service) NavCounts(ctx context.Context, u *relais.User) (store.NavCounts, error) {
	a := policy.ActorOf(u)
	mentor := policy.Target{MentorID: u.ID}
	resolves := policy.Decide(a, policy.ResolveEscalation, policy.Target{}).Allowed()
	follows := func(kind relais.SpaceKind, overdue bool) bool {
		return resolves && policy.Decide(a, policy.ReadEscalation, policy.Target{Space: &relais.Space{Kind: kind}, Stale: overdue}).Allowed()
	}
	return s.Store.NavCounts(ctx, store.NavQuery{UserID: u.ID,
		Approvals:            policy.Decide(a, policy.DecideApproval, mentor).Effect == policy.Allow,
		CoPilots:             policy.Decide(a, policy.ConfirmOnboarding, mentor).Allowed(),
		AllCoPilots:          policy.Decide(a, policy.ConfirmOnboarding, policy.Target{}).Allowed(),
		CommunityEscalations: follows(relais.SpaceCommunity, false),
		TeamEscalations:      follows(relais.SpaceTeam, false),
		OverdueEscalations:   follows(relais.SpaceTeam, true),
	})
}

// Notifications returns a page of the actor's notifications and how many
// are unread.
func (s *Service) Notifications(ctx context.Context, u *relais.User, beforeID int64, limit int) ([]*relais.Notification, int, error) {
	ns, err := s.Store.Notifications(ctx, u.ID, beforeID, limit)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.Store.UnreadNotifications(ctx, u.ID)
	return ns, n, err
}

// MarkNotificationsRead marks the actor's notifications up to upToID (0:
// all) as read.
func (s *Service) MarkNotificationsRead(ctx context.Context, u *relais.User, upToID int64) (int64, error) {
	return s.Store.MarkNotificationsRead(ctx, u.ID, upToID)
}

// StartCoPilot places a social media manager in a co-pilot period with an
// internal mentor (an internal social media manager or the community
// manager), or gives them a new mentor. Whoever ends co-pilot periods
// starts them.
func (s *Service) StartCoPilot(ctx context.Context, u *relais.User, userID int64, mentorLogin string) (*relais.Onboarding, error) {
	if d := policy.Decide(policy.ActorOf(u), policy.EndCoPilot, policy.Target{ChecklistDone: true}); d.Effect == policy.Deny {
		return nil, d.Err()
	}
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	mentor, err := s.visibleUser(ctx, u, mentorLogin)
	if err != nil {
		return nil, err
	}
	switch {
	case !subject.HasRole(relais.RoleSocialMediaManager):
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Rule: policy.RuleCoPilotApproval,
			Message: "Only a social media manager works in a co-pilot period.", MessageFR: "Seul un social media manager travaille en doubles commandes."}
	case mentor.ID == subject.ID:
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "mentor_login", Rule: policy.RuleApprovalOwn,
			Message: "Nobody mentors themselves.", MessageFR: "Personne n'est son propre mentor."}
	case !policy.Decide(policy.ActorOf(mentor), policy.Mentor, policy.Target{}).Allowed():
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "mentor_login", Rule: policy.RuleApprovalMentor,
			Message:   "The mentor must be an internal social media manager or the community manager.",
			MessageFR: "Le mentor doit être un social media manager interne ou le community manager."}
	}
	if err := s.Store.StartCoPilot(ctx, userID, mentor.ID, u.ID); err != nil {
		return nil, err
	}
	return s.Store.Onboarding(ctx, userID)
}
