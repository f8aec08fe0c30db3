package app

import (
	"context"

	"relais"
	"relais/policy"
	"relais/store"
)

func approvalTarget(a *relais.Approval) policy.Target {
	return policy.Target{RequesterID: a.RequesterID, MentorID: a.MentorID}
}

// Approvals returns the pending requests the actor may decide, newest
// first.
func (s *Service) Approvals(ctx context.Context, u *relais.User) ([]*relais.Approval, error) {
	as, err := s.Store.Approvals(ctx, store.ApprovalFilter{MentorID: u.ID, Status: relais.ApprovalPending})
	if err != nil {
		return nil, err
	}
	out := []*relais.Approval{}
	a := policy.ActorOf(u)
	for _, x := range as {
		if policy.Decide(a, policy.DecideApproval, approvalTarget(x)).Effect == policy.Allow {
			out = append(out, x)
		}
	}
	return out, nil
}

// MyRequests returns the actor's own approval requests, newest first, so
// that an author in co-pilot sees what waits and why something was
// rejected.
func (s *Service) MyRequests(ctx context.Context, u *relais.User) ([]*relais.Approval, error) {
	as, err := s.Store.Approvals(ctx, store.ApprovalFilter{RequesterID: u.ID})
	if as == nil && err == nil {
		as = []*relais.Approval{}
	}
	return as, err
}

// Approval returns one request to its requester or to whoever may decide
// it; to anybody else it does not exist.
func (s *Service) Approval(ctx context.Context, u *relais.User, id int64) (*relais.Approval, error) {
	x, err := s.Store.ApprovalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if x.RequesterID != u.ID && policy.Decide(policy.ActorOf(u), policy.DecideApproval, approvalTarget(x)).Effect != policy.Allow {
		return nil, store.NotFound("Approval")
	}
	return x, nil
}

// DecideApproval approves a request (the content becomes visible to the
// members) or rejects it with a reason the author reads.
func (s *Service) DecideApproval(ctx context.Context, u *relais.User, id int64, approve bool, reason string) (*relais.Approval, error) {
	if !approve {
		var err error
		if reason, err = relais.ValidateReason(reason); err != nil {
			return nil, err
		}
	}
	x, err := s.Store.ApprovalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := policy.Decide(policy.ActorOf(u), policy.DecideApproval, approvalTarget(x))
	if x.RequesterID != u.ID && d.Effect != policy.Allow {
		// Who may neither decide nor see a request learns nothing of it.
		return nil, store.NotFound("Approval")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if err := s.Store.DecideApproval(ctx, id, u.ID, approve, reason); err != nil {
		return nil, err
	}
	if !approve {
		return s.Store.ApprovalByID(ctx, id)
	}
	// The action took effect in the requester's name: announce it as if
	// they had done it directly.
	switch x.Kind {
	case relais.ApprovePost:
		s.mentionsApproved(ctx, x.PostID, 0)
	case relais.ApproveReply:
		s.mentionsApproved(ctx, x.PostID, x.ReplyID)
	case relais.ApproveSchedule:
		s.wakeScheduler()
	}
	return s.Store.ApprovalByID(ctx, id)
}
