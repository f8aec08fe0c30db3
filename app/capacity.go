package app

import (
	"context"
	"strings"

	"relais"
	"relais/policy"
)

// cockpitGovern refuses whoever the policy does not let govern the whole: the
// cockpit is the community manager's.
func cockpitGovern(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{}).Err()
}

// Capacity returns the social media managers' weeks: hours available,
// hours given to each space, over-allocation, the communities each one
// stewards without hours, and the communities nobody gives hours to.
func (s *Service) Capacity(ctx context.Context, u *relais.User) (*relais.Capacity, error) {
	if err := cockpitGovern(u); err != nil {
		return nil, err
	}
	return s.Store.Capacity(ctx)
}

// Allocation is what the community manager sets: the hours per week a
// social media manager gives a community.
type Allocation struct {
	Login   string
	SpaceID int64
	Hours   relais.Hours
}

// Allocate sets the hours per week a social media manager gives a
// community (zero removes them) and returns their week.
//
// The hours may go to any community the social media manager could
// steward, as the policy says of assigning a steward (steward.assign): a
// social media manager, a community, one whose audience is open to them.
// Not stewarding it (yet) is allowed, and flagged in the capacity.
func (s *Service) Allocate(ctx context.Context, u *relais.User, in Allocation) (*relais.SMMCapacity, error) {
	if err := cockpitGovern(u); err != nil {
		return nil, err
	}
	if in.Hours < 0 || in.Hours > relais.MaxWeeklyHours {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "hours", Message: "The hours must be between 0 and 168.",
			MessageFR: "Les heures doivent être comprises entre 0 et 168."}
	}
	login := strings.TrimSpace(in.Login)
	if login == "" {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "login", Message: "Name the social media manager by their login.",
			MessageFR: "Désignez le social media manager par son identifiant."}
	}
	smm, err := s.Store.UserByLogin(ctx, login)
	if err != nil {
		return nil, notFoundField(err, "login")
	}
	sp, err := s.Store.SpaceByID(ctx, in.SpaceID)
	if err != nil {
		return nil, notFoundField(err, "space_id")
	}
	sub := policy.ActorOf(smm)
	if d := policy.Decide(policy.ActorOf(u), policy.AssignSteward, policy.Target{Space: sp, Subject: &sub}); d.Effect == policy.Deny {
		e := d.Err().(*relais.Error)
		e.Code = relais.EUNPROCESSABLE
		if d.Rule.ID == policy.RuleStewardSMMOnly {
			e.Field = "login"
		} else {
			e.Field = "space_id"
		}
		return nil, e
	}
	if !smm.Active {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "login", Message: smm.Name + "'s account is deactivated.",
			MessageFR: "Le compte de " + smm.Name + " est désactivé."}
	}
	if err := s.Store.SetAllocation(ctx, u.ID, smm.ID, sp.ID, in.Hours); err != nil {
		return nil, err
	}
	return s.smmCapacity(ctx, smm.ID)
}

// SetWeeklyHours sets the hours per week a social media manager has in
// all, and returns their week.
func (s *Service) SetWeeklyHours(ctx context.Context, u *relais.User, userID int64, hours relais.Hours) (*relais.SMMCapacity, error) {
	if err := cockpitGovern(u); err != nil {
		return nil, err
	}
	if hours < 0 || hours > relais.MaxWeeklyHours {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "hours", Message: "The hours must be between 0 and 168.",
			MessageFR: "Les heures doivent être comprises entre 0 et 168."}
	}
	smm, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !smm.HasRole(relais.RoleSocialMediaManager) || !smm.Active {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "user_id",
			Message:   smm.Name + " is not an active social media manager: the capacity counts their hours only.",
			MessageFR: smm.Name + " n'est pas un social media manager actif : la capacité ne compte que leurs heures."}
	}
	if err := s.Store.SetWeeklyHours(ctx, u.ID, smm.ID, hours); err != nil {
		return nil, err
	}
	return s.smmCapacity(ctx, smm.ID)
}

// smmCapacity returns one social media manager's week.
func (s *Service) smmCapacity(ctx context.Context, userID int64) (*relais.SMMCapacity, error) {
	c, err := s.Store.Capacity(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range c.SMMs {
		if m.UserID == userID {
			return m, nil
		}
	}
	return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "This person is not an active social media manager.",
		MessageFR: "Cette personne n'est pas un social media manager actif."}
}

// notFoundField names the input field a not-found error is about.
func notFoundField(err error, field string) error {
	if e, ok := err.(*relais.Error); ok && e.Code == relais.ENOTFOUND {
		e.Field = field
	}
	return err
}
