package app

import (
	"context"

	"relais"
	"relais/policy"
)

// PublishCharter publishes a new version of a space's charter. Members
// read and accept it before they contribute again.
func (s *Service) PublishCharter(ctx context.Context, u *relais.User, spaceID int64, c relais.Charter) (*relais.Charter, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.EditCharter.Err(); err != nil {
		return nil, err
	}
	current := v.Charter
	if c.Objective == current.Objective && c.Rules == current.Rules && c.Autonomy == current.Autonomy && c.ExpectedActions == current.ExpectedActions {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This is the current charter: nothing changed.",
			MessageFR: "C'est la charte actuelle : rien n'a changé."}
	}
	c.SpaceID = spaceID
	if err := s.Store.AddCharterVersion(ctx, &c, u.ID); err != nil {
		return nil, err
	}
	return &c, nil
}

// AcceptCharter records that a member read and accepted the current
// version of the charter of a community.
func (s *Service) AcceptCharter(ctx context.Context, u *relais.User, spaceID int64, version int) (*SpaceView, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.AcceptCharter.Err(); err != nil {
		return nil, err
	}
	if version != v.Charter.Version {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "charter_version", Rule: policy.RuleCharterAccept,
			Message:   "Accept the current version of the charter (version " + itoa(v.Charter.Version) + ").",
			MessageFR: "Acceptez la version actuelle de la charte (version " + itoa(v.Charter.Version) + ")."}
	}
	if v.Relation.Member {
		if err := s.Store.AcceptCharter(ctx, spaceID, u.ID, version); err != nil {
			return nil, err
		}
	}
	return s.spaceView(ctx, u, spaceID)
}
