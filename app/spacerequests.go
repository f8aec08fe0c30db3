package app

import (
	"context"
	"slices"
	"strings"

	"relais"
	"relais/overlap"
	"relais/policy"
	"relais/store"
)

// ClosestSpaces is the number of existing communities a space request
// shows, nearest first.
const ClosestSpaces = 5

// MinOverlapPeople is the smallest number of likely members whose overlap
// with a community is shown to someone who cannot read that community's
// member list: below it, the share would tell who belongs where.
const MinOverlapPeople = 5

// RequestSpace files an employee's request for a new community, from an
// offering or from scratch, for the request's unit (by default, the
// requester's). The answer holds the closest existing communities.
func (s *Service) RequestSpace(ctx context.Context, u *relais.User, in relais.NewSpaceRequest) (*relais.SpaceRequest, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.RequestSpace, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.UnitID == 0 {
		in.UnitID = u.UnitID
	}
	r := &relais.SpaceRequest{OfferingID: in.OfferingID, UnitID: in.UnitID, RequestedBy: u.ID, Name: in.Name, Purpose: in.Purpose,
		Audience: in.Audience, JoinPolicy: in.JoinPolicy}
	if err := s.Store.CreateSpaceRequest(ctx, r); err != nil {
		return nil, err
	}
	return s.SpaceRequest(ctx, u, r.ID)
}

// mayReadRequest reports whether the actor sees a space request: its
// requester, and the community manager who decides it.
func mayReadRequest(u *relais.User, r *relais.SpaceRequest) bool {
	return r.RequestedBy == u.ID || govern(u).Allowed()
}

func requestNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Space request not found.", MessageFR: "Demande d'espace introuvable."}
}

// SpaceRequest returns a space request to its requester or the community
// manager, with the closest existing communities.
func (s *Service) SpaceRequest(ctx context.Context, u *relais.User, id int64) (*relais.SpaceRequest, error) {
	r, err := s.Store.SpaceRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayReadRequest(u, r) {
		return nil, requestNotFound()
	}
	if err := s.closest(ctx, u, r); err != nil {
		return nil, err
	}
	return r, nil
}

// SpaceRequests returns every space request to the community manager, and
// to another employee their own, newest first, without their closest
// communities.
func (s *Service) SpaceRequests(ctx context.Context, u *relais.User) ([]*relais.SpaceRequest, error) {
	if govern(u).Allowed() {
		return s.Store.SpaceRequests(ctx, store.SpaceRequestFilter{})
	}
	if err := policy.Decide(policy.ActorOf(u), policy.RequestSpace, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	return s.Store.SpaceRequests(ctx, store.SpaceRequestFilter{RequestedBy: u.ID})
}

// WithClosest fills the closest communities of requests the actor reads
// (as SpaceRequest does for one).
func (s *Service) WithClosest(ctx context.Context, u *relais.User, rs []*relais.SpaceRequest) error {
	if len(rs) == 0 {
		return nil
	}
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if !mayReadRequest(u, r) {
			return requestNotFound()
		}
		if err := s.closestIn(ctx, r, views); err != nil {
			return err
		}
	}
	return nil
}

// requestText is what a request says it is for: its purpose and the
// charter template of its offering.
func (s *Service) requestText(ctx context.Context, r *relais.SpaceRequest) (string, *relais.Offering, error) {
	if r.OfferingID == 0 {
		return r.Purpose, nil, nil
	}
	o, err := s.Store.OfferingByID(ctx, r.OfferingID)
	if err != nil {
		return "", nil, err
	}
	c := o.Charter
	return strings.Join([]string{r.Purpose, c.Objective, c.Rules, c.ExpectedActions}, "\n"), o, nil
}

// closest fills r.Closest with the existing communities nearest to the
// request (at most ClosestSpaces, among those sharing some purpose with
// it), as the actor may see them.
//
// Team spaces are never compared: they are closed, their charters and
// members are their team's business, and a community cannot duplicate
// one. The corpus is every community and the request; a community the
// actor may not see is left out of what they are shown (every employee
// sees every community today). The member overlap of a community is
// withheld (nil, the combined score then the text score) from a viewer who
// cannot read its members when fewer than MinOverlapPeople people are
// measured.
func (s *Service) closest(ctx context.Context, u *relais.User, r *relais.SpaceRequest) error {
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return err
	}
	return s.closestIn(ctx, r, views)
}

// closestIn is closest over the spaces as the actor sees them.
func (s *Service) closestIn(ctx context.Context, r *relais.SpaceRequest, views []*SpaceView) error {
	text, _, err := s.requestText(ctx, r)
	if err != nil {
		return err
	}
	likely, shared, err := s.Store.MemberOverlap(ctx, r.UnitID, r.RequestedBy)
	if err != nil {
		return err
	}
	r.LikelyMembers = likely
	var cands []overlap.Candidate
	visible := map[int64]bool{}
	for _, v := range views {
		if v.Kind != relais.SpaceCommunity || v.ID == r.SpaceID {
			continue
		}
		c := overlap.Candidate{ID: v.ID, Name: v.Name, Text: v.Description}
		if ch := v.Charter; ch != nil {
			c.Text = strings.Join([]string{v.Description, ch.Objective, ch.Rules, ch.ExpectedActions}, "\n")
		}
		if likely >= MinOverlapPeople || v.Can.Read.Allowed() {
			share := overlap.MemberShare(shared[v.ID], likely)
			c.Members = &share
		}
		visible[v.ID] = v.Can.View.Allowed()
		cands = append(cands, c)
	}
	r.Closest = []relais.SpaceMatch{}
	for _, m := range overlap.Rank(text, cands, -1) {
		if !visible[m.ID] {
			continue
		}
		words := m.Words
		if words == nil {
			words = []string{}
		}
		r.Closest = append(r.Closest, relais.SpaceMatch{SpaceID: m.ID, Name: m.Name, Text: m.Text, Members: m.Members, Score: m.Score, Words: words})
		if len(r.Closest) == ClosestSpaces {
			break
		}
	}
	return nil
}

// SpaceApproval is the community manager's decision to create the
// community of a request: its steward (a social media manager), the plan
// objectives it serves and its sponsor unit (by default, the request's).
type SpaceApproval struct {
	StewardLogin  string
	ObjectiveIDs  []int64
	SponsorUnitID int64
}

// ApproveSpaceRequest creates the community of a pending request from the
// charter template of its offering (or its purpose as objective, with the
// default rules), assigns its steward, aligns it with plan objectives and
// marks the request approved, in one transaction; the requester is told.
func (s *Service) ApproveSpaceRequest(ctx context.Context, u *relais.User, id int64, in SpaceApproval) (*relais.SpaceRequest, error) {
	a := policy.ActorOf(u)
	if err := govern(u).Err(); err != nil {
		return nil, err
	}
	r, err := s.Store.SpaceRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := decided(r); err != nil {
		return nil, err
	}
	if len(in.ObjectiveIDs) > relais.MaxObjectiveIDs {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "plan_objective_ids", Message: "At most 50 plan objectives.", MessageFR: "Au plus 50 objectifs du plan."}
	}
	var objectives []int64
	for _, oid := range in.ObjectiveIDs {
		if oid <= 0 {
			return nil, &relais.Error{Code: relais.EINVALID, Field: "plan_objective_ids", Message: "Plan objective ids are positive integers.",
				MessageFR: "Les identifiants d'objectifs du plan sont des entiers positifs."}
		}
		if !slices.Contains(objectives, oid) {
			objectives = append(objectives, oid)
		}
	}
	sponsor := r.UnitID
	if in.SponsorUnitID < 0 {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "sponsor_unit_id", Message: "The unit id is a positive integer.", MessageFR: "L'identifiant d'unité est un entier positif."}
	} else if in.SponsorUnitID > 0 {
		if _, err := s.Store.UnitByID(ctx, in.SponsorUnitID); err != nil {
			return nil, &relais.Error{Code: relais.ENOTFOUND, Field: "sponsor_unit_id", Message: "Unit not found.", MessageFR: "Unité introuvable."}
		}
		sponsor = in.SponsorUnitID
	}
	steward, err := s.visibleUser(ctx, u, in.StewardLogin)
	if err != nil {
		if e, ok := err.(*relais.Error); ok {
			e.Field = "steward_login"
		}
		return nil, err
	}
	sp := &relais.Space{Name: r.Name, Description: r.Purpose, Kind: relais.SpaceCommunity, Audience: r.Audience,
		JoinPolicy: r.JoinPolicy, Flow: relais.AboveTheFlow, SponsorUnitID: sponsor}
	// The steward rule of the policy, as for any community (AssignSteward):
	// a social media manager, an internal one for an internal audience.
	sub := policy.ActorOf(steward)
	if d := policy.Decide(a, policy.AssignSteward, policy.Target{Space: sp, Subject: &sub}); d.Effect == policy.Deny {
		e := d.Err().(*relais.Error)
		e.Code, e.Field = relais.EUNPROCESSABLE, "steward_login"
		return nil, e
	}
	_, o, err := s.requestText(ctx, r)
	if err != nil {
		return nil, err
	}
	var tmpl relais.OfferingCharter
	if o != nil {
		tmpl = o.Charter
	}
	charter := tmpl.Complete(r.Purpose)
	if err := charter.Validate(); err != nil {
		return nil, err
	}
	if err := s.Store.ApproveSpaceRequest(ctx, store.SpaceApproval{RequestID: id, ActorID: u.ID, Space: sp, Charter: &charter,
		StewardID: steward.ID, ObjectiveIDs: objectives}); err != nil {
		return nil, err
	}
	return s.SpaceRequest(ctx, u, id)
}

// decided refuses a request decided already: a conflict.
func decided(r *relais.SpaceRequest) error {
	switch r.Status {
	case relais.SpaceRequestApproved:
		return &relais.Error{Code: relais.ECONFLICT, Message: "This request was approved already: its community exists.",
			MessageFR: "Cette demande a déjà été approuvée : sa communauté existe."}
	case relais.SpaceRequestRefused:
		return &relais.Error{Code: relais.ECONFLICT, Message: "This request was refused: a refusal is final.",
			MessageFR: "Cette demande a été refusée : un refus est définitif."}
	}
	return nil
}

// RefuseSpaceRequest refuses a pending request with the reason its
// requester reads; they are told.
func (s *Service) RefuseSpaceRequest(ctx context.Context, u *relais.User, id int64, reason string) (*relais.SpaceRequest, error) {
	if err := govern(u).Err(); err != nil {
		return nil, err
	}
	reason, err := relais.ValidateReason(reason)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.SpaceRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := decided(r); err != nil {
		return nil, err
	}
	if err := s.Store.RefuseSpaceRequest(ctx, id, u.ID, reason); err != nil {
		return nil, err
	}
	return s.SpaceRequest(ctx, u, id)
}

// StewardCandidates returns the people the community manager may make
// stewards of a new community, as the policy decides (AssignSteward) for
// the widest audience, by name; the approval checks the request's own.
func (s *Service) StewardCandidates(ctx context.Context, u *relais.User) ([]*relais.User, error) {
	if err := govern(u).Err(); err != nil {
		return nil, err
	}
	us, err := s.Users(ctx, u, "")
	if err != nil {
		return nil, err
	}
	a := policy.ActorOf(u)
	open := &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceMixed}
	out := slices.DeleteFunc(us, func(x *relais.User) bool {
		sub := policy.ActorOf(x)
		return !x.Active || policy.Decide(a, policy.AssignSteward, policy.Target{Space: open, Subject: &sub}).Effect != policy.Allow
	})
	slices.SortStableFunc(out, func(a, b *relais.User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ObjectiveOptions returns the plan objectives the community manager may
// align a new community with.
func (s *Service) ObjectiveOptions(ctx context.Context, u *relais.User) ([]relais.ObjectiveOption, error) {
	if err := govern(u).Err(); err != nil {
		return nil, err
	}
	return s.Store.ObjectiveOptions(ctx)
}
