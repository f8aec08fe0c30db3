package app

import (
	"context"
	"time"

	"relais"
	"relais/policy"
)

// Coaching: a team's manager asks the community manager or an internal
// social media manager for coaching. The two of them share a private
// thread; while it is open the coach reads the team space's aggregate
// figures (store.Relation.Coach, rule coaching.figures) and has no other
// presence in the space (coaching.invisible).

// CoachingThread is a coaching as one of its parties sees it.
type CoachingThread struct {
	Coaching *relais.Coaching         `json:"coaching"`
	Messages []relais.CoachingMessage `json:"messages"`
	// SpaceID is the team space the figures are about (0: the team has
	// none).
	SpaceID int64 `json:"space_id,omitempty"`
	// Figures are the team space's aggregate, k-anonymous figures while
	// the coaching is open; nil once it is closed.
	Figures *AnalyticsReport `json:"figures"`
	// Write says whether the reader may still write and close the thread.
	Write bool `json:"can_write"`
}

// Coach is a person a manager may ask for coaching.
type Coach struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// CoachingForm is what a manager needs to ask for coaching: the teams
// they lead and the people they may ask. Allowed is false (with the rule)
// for someone who leads no team.
type CoachingForm struct {
	Teams    []relais.Team   `json:"teams"`
	Coaches  []Coach         `json:"coaches"`
	Decision policy.Decision `json:"-"`
}

// CoachingForm returns the teams the actor leads and the eligible coaches,
// as the policy sees them (rule coaching.coaches).
func (s *Service) CoachingForm(ctx context.Context, u *relais.User) (*CoachingForm, error) {
	teams, err := s.Store.TeamsManagedBy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	f := &CoachingForm{Teams: teams, Coaches: []Coach{}}
	a := policy.ActorOf(u)
	var first *policy.Actor
	if len(teams) > 0 {
		users, err := s.Store.RoleHolders(ctx, relais.RoleCommunityManager, relais.RoleSocialMediaManager)
		if err != nil {
			return nil, err
		}
		for _, c := range users {
			if c.ID == u.ID || !c.Active {
				continue
			}
			sub := policy.ActorOf(c)
			if policy.Decide(a, policy.RequestCoaching, policy.Target{Manager: true, Subject: &sub}).Effect == policy.Allow {
				f.Coaches = append(f.Coaches, Coach{ID: c.ID, Login: c.Login, Name: c.Name})
				if first == nil {
					first = &sub
				}
			}
		}
	}
	// Leading no team, or finding no one to ask: the decision says why.
	f.Decision = policy.Decide(a, policy.RequestCoaching, policy.Target{Manager: len(teams) > 0, Subject: first})
	return f, nil
}

// RequestCoaching opens a coaching between the actor, as the manager of a
// team, and a coach. The coach is told; nobody in the team is.
func (s *Service) RequestCoaching(ctx context.Context, u *relais.User, in relais.NewCoaching) (*relais.Coaching, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	teams, err := s.Store.TeamsManagedBy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var team *relais.Team
	switch {
	case in.TeamID != 0:
		for i := range teams {
			if teams[i].ID == in.TeamID {
				team = &teams[i]
			}
		}
	case len(teams) == 1:
		team = &teams[0]
	case len(teams) > 1:
		return nil, &relais.Error{Code: relais.EINVALID, Field: "team_id",
			Message:   "You lead several teams: say which one the coaching is for (team_id).",
			MessageFR: "Vous dirigez plusieurs équipes : précisez celle que concerne l'accompagnement (team_id)."}
	}
	a := policy.ActorOf(u)
	if d := policy.Decide(a, policy.RequestCoaching, policy.Target{Manager: team != nil}); d.Effect == policy.Deny && d.Rule.ID == policy.RuleCoachingManagers {
		return nil, d.Err()
	}
	coach, err := s.Store.UserByLogin(ctx, in.CoachLogin)
	if err != nil || !coach.Active {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Field: "coach_login", Message: "No active account has the login " + in.CoachLogin + ".",
			MessageFR: "Aucun compte actif n'a l'identifiant " + in.CoachLogin + "."}
	}
	if coach.ID == u.ID {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "coach_login", Message: "Ask someone else than yourself to coach you.",
			MessageFR: "Demandez à quelqu'un d'autre que vous-même de vous accompagner."}
	}
	sub := policy.ActorOf(coach)
	if d := policy.Decide(a, policy.RequestCoaching, policy.Target{Manager: true, Subject: &sub}); d.Effect == policy.Deny {
		e := d.Err().(*relais.Error)
		e.Code, e.Field = relais.EUNPROCESSABLE, "coach_login"
		return nil, e
	}
	c := &relais.Coaching{TeamID: team.ID, ManagerID: u.ID, CoachID: coach.ID, Topic: in.Topic}
	if err := s.Store.CreateCoaching(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Coachings returns the coachings the actor is a party to.
func (s *Service) Coachings(ctx context.Context, u *relais.User) ([]*relais.Coaching, error) {
	return s.Store.Coachings(ctx, u.ID)
}

// coachingFor loads a coaching the actor is a party to; to anyone else it
// does not exist (rule coaching.private).
func (s *Service) coachingFor(ctx context.Context, u *relais.User, id int64) (*relais.Coaching, error) {
	c, err := s.Store.CoachingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	party := c.ManagerID == u.ID || c.CoachID == u.ID
	if d := policy.Decide(policy.ActorOf(u), policy.TakePartCoaching, policy.Target{Member: party}); d.Effect != policy.Allow {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Coaching not found.", MessageFR: "Accompagnement introuvable."}
	}
	return c, nil
}

// Coaching returns a coaching thread to one of its parties, with the
// team space's aggregate figures while it is open.
func (s *Service) Coaching(ctx context.Context, u *relais.User, id int64) (*CoachingThread, error) {
	c, err := s.coachingFor(ctx, u, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.CoachingMessages(ctx, id)
	if err != nil {
		return nil, err
	}
	th := &CoachingThread{Coaching: c, Messages: ms, Write: c.Open()}
	if spaceID, err := s.Store.TeamSpaceID(ctx, c.TeamID); err == nil {
		th.SpaceID = spaceID
	} else if relais.ErrorCode(err) != relais.ENOTFOUND {
		return nil, err
	}
	if c.Open() && th.SpaceID != 0 {
		w, err := relais.ParseAnalyticsWindow("", "", time.Now())
		if err != nil {
			return nil, err
		}
		// The figures come through the same rule as the analytics page:
		// the team's manager reads them (report.read), their coach too
		// (coaching.figures). Anyone else never gets here.
		rep, err := s.SpaceAnalytics(ctx, u, th.SpaceID, w)
		switch relais.ErrorCode(err) {
		case "":
			th.Figures = rep
		case relais.EFORBIDDEN, relais.ENOTFOUND:
			// The team changed manager: the coaching gives no figures.
		default:
			return nil, err
		}
	}
	return th, nil
}

// WriteCoaching adds a message to an open coaching the actor is a party
// to, and tells the other party.
func (s *Service) WriteCoaching(ctx context.Context, u *relais.User, id int64, body string) (*relais.CoachingMessage, error) {
	body, err := relais.ValidateCoachingMessage(body)
	if err != nil {
		return nil, err
	}
	if _, err := s.coachingFor(ctx, u, id); err != nil {
		return nil, err
	}
	m := &relais.CoachingMessage{CoachingID: id, AuthorID: u.ID, Body: body}
	if err := s.Store.AddCoachingMessage(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// CloseCoaching ends a coaching; either party may. The coach loses the
// team's figures at once.
func (s *Service) CloseCoaching(ctx context.Context, u *relais.User, id int64) (*relais.Coaching, error) {
	if _, err := s.coachingFor(ctx, u, id); err != nil {
		return nil, err
	}
	if err := s.Store.CloseCoaching(ctx, id, u.ID); err != nil {
		return nil, err
	}
	return s.Store.CoachingByID(ctx, id)
}
