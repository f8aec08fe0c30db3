package app

import (
	"context"

	"relais"
	"relais/policy"
	"relais/store"
)

// MembershipRequests returns the pending requests to join a space, to
// whoever may decide on them.
func (s *Service) MembershipRequests(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.MembershipRequest, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.DecideJoin.Err(); err != nil {
		return nil, err
	}
	return s.withholdingWaiting(u)(s.Store.MembershipRequests(ctx, store.MembershipRequestFilter{SpaceID: spaceID, Status: relais.JoinPending}))
}

// MyMembershipRequests returns the actor's own requests to join, with the
// decision and its reason: the requester is told. That a decision waits
// for the mentor of a steward in co-pilot is said only to whom the policy
// lets know who is in co-pilot (copilot.view); an external requester reads
// a request still pending.
func (s *Service) MyMembershipRequests(ctx context.Context, u *relais.User) ([]*relais.MembershipRequest, error) {
	return s.withholdingWaiting(u)(s.Store.MembershipRequests(ctx, store.MembershipRequestFilter{UserID: u.ID}))
}

// withholdingWaiting clears, from a list of requests to join, what the
// reader may not learn of who is in co-pilot.
func (s *Service) withholdingWaiting(reader *relais.User) func([]*relais.MembershipRequest, error) ([]*relais.MembershipRequest, error) {
	return func(ms []*relais.MembershipRequest, err error) ([]*relais.MembershipRequest, error) {
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			withholdWaiting(reader, m)
		}
		return ms, nil
	}
}

// MembershipDecision is the outcome of a steward's decision: made, or
// waiting for the mentor of a steward in co-pilot.
type MembershipDecision struct {
	Request    *relais.MembershipRequest `json:"request"`
	Status     string                    `json:"status"` // "decided" or "pending_approval"
	ApprovalID int64                     `json:"approval_id,omitempty"`
}

// DecideMembership approves or refuses (with a reason the requester reads)
// a request to join. A steward in co-pilot files the decision for their
// mentor instead.
func (s *Service) DecideMembership(ctx context.Context, u *relais.User, id int64, approve bool, reason string) (*MembershipDecision, error) {
	if !approve {
		var err error
		if reason, err = relais.ValidateReason(reason); err != nil {
			return nil, err
		}
	}
	req, err := s.Store.MembershipRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.loadSpaceView(ctx, u, req.SpaceID)
	if err != nil {
		return nil, err
	}
	d := v.Can.DecideJoin
	if d.Effect == policy.Deny {
		if !v.Can.View.Allowed() {
			return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Request not found.", MessageFR: "Demande introuvable."}
		}
		return nil, d.Err()
	}
	out := &MembershipDecision{Status: "decided"}
	if d.Effect == policy.NeedsApproval {
		if out.ApprovalID, err = s.Store.RequestJoinDecisionApproval(ctx, id, u.ID, approve, reason); err != nil {
			return nil, err
		}
		out.Status = "pending_approval"
	} else {
		if err := s.Store.DecideMembershipRequest(ctx, id, u.ID, approve, reason); err != nil {
			return nil, err
		}
	}
	if out.Request, err = s.Store.MembershipRequestByID(ctx, id); err != nil {
		return nil, err
	}
	withholdWaiting(u, out.Request)
	return out, nil
}
