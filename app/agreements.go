package app

import (
	"context"

	"relais"
	"relais/policy"
	"relais/store"
)

// Contribution agreements: a participant proposes the time they give a
// community (agreement.propose); their manager in the directory approves
// or declines it (agreement.decide); the community manager sees the
// approved ones in the capacity planning, never activity.

// AgreementLists are the agreements one person deals with: their own,
// those waiting for their decision as manager, and those of the people
// they manage that were already decided.
type AgreementLists struct {
	Mine     []*relais.Agreement `json:"mine"`
	ToDecide []*relais.Agreement `json:"to_decide"`
	Team     []*relais.Agreement `json:"team"`
}

// ProposeAgreement files the actor's proposal of time in a community and
// asks their manager. It needs a manager in the directory (422 without).
func (s *Service) ProposeAgreement(ctx context.Context, u *relais.User, spaceID int64, in relais.NewAgreement) (*relais.Agreement, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, _, err := s.may(ctx, u, spaceID, policy.ProposeAgreement); err != nil {
		return nil, err
	}
	manager, err := s.Store.ManagerOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if manager == 0 {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE,
			Message:   "You have no manager in the directory: a contribution agreement needs your manager's approval.",
			MessageFR: "Vous n'avez pas de manager dans l'annuaire : un accord de contribution demande l'approbation de votre manager."}
	}
	a := &relais.Agreement{UserID: u.ID, SpaceID: spaceID, ManagerID: manager, Hours: in.Hours, Role: in.Role, Note: in.Note}
	if err := s.Store.CreateAgreement(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Agreements returns the actor's agreements, those waiting for their
// decision as manager, and their people's decided ones.
func (s *Service) Agreements(ctx context.Context, u *relais.User) (*AgreementLists, error) {
	mine, err := s.Store.Agreements(ctx, store.AgreementFilter{UserID: u.ID})
	if err != nil {
		return nil, err
	}
	theirs, err := s.Store.Agreements(ctx, store.AgreementFilter{ManagerID: u.ID})
	if err != nil {
		return nil, err
	}
	l := &AgreementLists{Mine: mine, ToDecide: []*relais.Agreement{}, Team: []*relais.Agreement{}}
	// The store selected the people the actor manages: the policy decides.
	a := policy.ActorOf(u)
	for _, x := range theirs {
		if policy.Decide(a, policy.DecideAgreement, policy.Target{Manager: true}).Effect != policy.Allow {
			continue
		}
		if x.Status == relais.AgreementProposed {
			l.ToDecide = append(l.ToDecide, x)
		} else {
			l.Team = append(l.Team, x)
		}
	}
	return l, nil
}

// agreementFor loads an agreement and tells whether the actor manages its
// person in the directory.
func (s *Service) agreementFor(ctx context.Context, u *relais.User, id int64) (*relais.Agreement, bool, error) {
	a, err := s.Store.AgreementByID(ctx, id)
	if err != nil {
		return nil, false, err
	}
	manages, err := s.Store.Manages(ctx, u.ID, a.UserID)
	if err != nil {
		return nil, false, err
	}
	return a, manages, nil
}

// DecideAgreement approves, or declines with a reason the person reads, a
// proposed agreement. Only the person's manager decides
// (agreement.manager_only).
func (s *Service) DecideAgreement(ctx context.Context, u *relais.User, id int64, approve bool, reason string) (*relais.Agreement, error) {
	if !approve {
		var err error
		if reason, err = relais.ValidateReason(reason); err != nil {
			return nil, err
		}
	} else {
		reason = ""
	}
	a, manages, err := s.agreementFor(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := policy.Decide(policy.ActorOf(u), policy.DecideAgreement, policy.Target{Manager: manages}).Err(); err != nil {
		return nil, err
	}
	if err := s.Store.DecideAgreement(ctx, a.ID, u.ID, approve, reason); err != nil {
		return nil, err
	}
	return s.Store.AgreementByID(ctx, id)
}

// WithdrawAgreement withdraws the actor's own proposed or approved
// agreement; their manager is told.
func (s *Service) WithdrawAgreement(ctx context.Context, u *relais.User, id int64) (*relais.Agreement, error) {
	a, err := s.Store.AgreementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := policy.Decide(policy.ActorOf(u), policy.WithdrawAgreement, policy.Target{Owner: a.UserID == u.ID}).Err(); err != nil {
		return nil, err
	}
	if err := s.Store.WithdrawAgreement(ctx, id, u.ID); err != nil {
		return nil, err
	}
	return s.Store.AgreementByID(ctx, id)
}
