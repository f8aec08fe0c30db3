package app

import (
	"context"

	"relais"
	"relais/policy"
	"relais/store"
)

// What an actor may know exists. Whoever may not even see a thing is
// answered as if it did not exist: the same not-found error, word for word,
// as for an unknown id, so that an id tells an outsider nothing. Who may see
// that it exists but may not do the action reads the rule's 403. The
// policy decides both: ViewSpace for a space, ReadPosts for what is
// inside it.

// spaceNotFound is the error of an unknown space id.
func spaceNotFound() error { return store.NotFound("Space") }

// postNotFound is the error of an unknown post id.
func postNotFound() error { return store.NotFound("Post") }

// refuse turns the decision d on an action in the space into the error the
// actor reads: nil when d allows (possibly pending approval); gone, the
// error of an unknown id, when the actor may not even see that the space
// exists (policy space.view); the rule's 403 otherwise.
func (v *SpaceView) refuse(d policy.Decision, gone func() error) error {
	switch {
	case d.Allowed():
		return nil
	case !v.Can.View.Allowed():
		return gone()
	}
	return d.Err()
}

// seesPost reports whether the actor may know that the post exists, as
// the pages show it: they may read its space (policy space.read), and the
// post is published, or theirs, or hidden from the members and theirs to
// moderate (to review and restore it), or waiting for their decision as
// mentor (policy approval.decide).
func (s *Service) seesPost(ctx context.Context, u *relais.User, p *relais.Post, v *SpaceView) (bool, error) {
	switch {
	case v.Can.Read.Effect != policy.Allow:
		return false, nil
	case p.Status == relais.StatusPublished, p.AuthorID == u.ID:
		return true, nil
	case p.Status == relais.StatusHidden:
		return v.Can.Moderate.Allowed(), nil
	case p.Status != relais.StatusPendingApproval:
		return false, nil
	}
	as, err := s.Store.Approvals(ctx, store.ApprovalFilter{MentorID: u.ID, Status: relais.ApprovalPending})
	if err != nil {
		return false, err
	}
	a := policy.ActorOf(u)
	for _, x := range as {
		if x.PostID == p.ID && x.Kind == relais.ApprovePost && policy.Decide(a, policy.DecideApproval, approvalTarget(x)).Effect == policy.Allow {
			return true, nil
		}
	}
	return false, nil
}
