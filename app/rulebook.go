package app

import (
	"context"
	"slices"

	"relais"
	"relais/policy"
)

// The rulebook says who does what, and the audit trail who did what. The
// matrix of the rulebook is computed from the policy itself: for each
// typical profile and each action, policy.Decide on a representative
// target. Nothing here restates a rule.

// RulebookProfile is a typical person of the organization, as the rulebook's
// matrix shows them.
type RulebookProfile string

// Profiles of the matrix.
const (
	// ProfileParticipant is an employee without a role, a member of the
	// community.
	ProfileParticipant RulebookProfile = "participant"
	// ProfileCustomer is an external customer, a member of the community.
	ProfileCustomer RulebookProfile = "external_customer"
	// ProfileManager is a team's manager, in their team's space.
	ProfileManager RulebookProfile = "team_manager"
	// ProfileSteward is an internal social media manager, steward of the
	// community and mentor of the one in co-pilot.
	ProfileSteward RulebookProfile = "smm_steward"
	// ProfileCoPilot is an outsourced social media manager in co-pilot,
	// steward of the community.
	ProfileCoPilot RulebookProfile = "smm_copilot"
	// ProfileCM is the community manager, neither member nor steward of
	// the community.
	ProfileCM RulebookProfile = "community_manager"
	// ProfileAdministrator is an administrator (IT), neither member nor
	// steward of the community.
	ProfileAdministrator RulebookProfile = "administrator"
)

// Relations of a profile to the representative space.
const (
	RelationMember  = "member"
	RelationManager = "manager"
	RelationSteward = "steward"
	RelationNone    = "none"
)

// MatrixProfile is one column of the matrix: a profile, who they are, how
// they relate to the representative space, and the policy's decision for
// each action, in the order of the matrix's actions.
type MatrixProfile struct {
	ID         RulebookProfile   `json:"id"`
	Role       relais.Role       `json:"role,omitempty"`
	Employment relais.Employment `json:"employment"`
	CoPilot    bool              `json:"co_pilot"`
	// Space is the kind of the representative space of the space actions:
	// a mixed-audience open community, or the manager's team space.
	Space     relais.SpaceKind `json:"space"`
	Relation  string           `json:"relation"`
	Decisions []MatrixCell     `json:"decisions"`
}

// MatrixCell is the policy's decision for one profile and one action.
type MatrixCell struct {
	Action policy.Action `json:"action"`
	Effect string        `json:"effect"` // allow, needs_approval, deny
	Rule   string        `json:"rule"`
}

// RulebookMatrix is the rulebook's table of profiles and actions.
type RulebookMatrix struct {
	Actions  []policy.Action `json:"actions"`
	Profiles []MatrixProfile `json:"profiles"`
}

// matrixProfile is a profile with its actor and its relation to the
// representative space.
type matrixProfile struct {
	id       RulebookProfile
	role     relais.Role
	actor    policy.Actor
	space    *relais.Space
	relation string
}

// Matrix computes the rulebook's matrix from the policy: every profile
// against every action of policy.Actions.
//
// The representative targets: space actions apply to a mixed-audience open
// community (charter version 1, accepted by its members) where the
// participant and the customer are members, both social media managers are
// stewards and the community manager and the administrator are neither;
// the manager acts in their own team's space. Joining is asked of someone
// not yet a member. Granting a role is granting social_media_manager to an
// employee; an approval and an onboarding step are those of the social
// media manager in co-pilot, whose mentor is the internal one; ending the
// co-pilot period comes once the checklist is complete; whether someone is
// in co-pilot is asked of the social media manager in co-pilot; a steward assigned
// is the internal social media manager; a signal is one routed to the
// manager, an escalation one handed to the community manager, both raised
// by the internal steward from the profile's space.
func Matrix() RulebookMatrix {
	charter := &relais.Charter{Version: 1}
	community := &relais.Space{ID: 1, Name: "community", Kind: relais.SpaceCommunity, Audience: relais.AudienceMixed,
		JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow, Charter: charter}
	team := &relais.Space{ID: 2, Name: "team", Kind: relais.SpaceTeam, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinDirectory, Flow: relais.InTheFlow, TeamID: 1, Charter: charter}
	smm := []relais.Role{relais.RoleSocialMediaManager}
	profiles := []matrixProfile{
		{ProfileParticipant, "", policy.Actor{UserID: 1, Employment: relais.Internal}, community, RelationMember},
		{ProfileCustomer, "", policy.Actor{UserID: 2, Employment: relais.External}, community, RelationMember},
		{ProfileManager, "", policy.Actor{UserID: 3, Employment: relais.Internal}, team, RelationManager},
		{ProfileSteward, relais.RoleSocialMediaManager, policy.Actor{UserID: 4, Employment: relais.Internal, Roles: smm}, community, RelationSteward},
		{ProfileCoPilot, relais.RoleSocialMediaManager, policy.Actor{UserID: 5, Employment: relais.External, Roles: smm, CoPilot: true}, community, RelationSteward},
		{ProfileCM, relais.RoleCommunityManager, policy.Actor{UserID: 6, Employment: relais.Internal, Roles: []relais.Role{relais.RoleCommunityManager}}, community, RelationNone},
		{ProfileAdministrator, relais.RoleAdministrator, policy.Actor{UserID: 7, Employment: relais.Internal, Roles: []relais.Role{relais.RoleAdministrator}}, community, RelationNone},
	}
	employee, steward, copilot := profiles[0].actor, profiles[3].actor, profiles[4].actor
	m := RulebookMatrix{Actions: append([]policy.Action(nil), policy.Actions...)}
	for _, p := range profiles {
		mp := MatrixProfile{ID: p.id, Role: p.role, Employment: p.actor.Employment, CoPilot: p.actor.CoPilot,
			Space: p.space.Kind, Relation: p.relation}
		for _, act := range policy.Actions {
			var t policy.Target
			switch act {
			case policy.GrantRole:
				t = policy.Target{Role: relais.RoleSocialMediaManager, Subject: &employee}
			case policy.DecideApproval:
				t = policy.Target{RequesterID: copilot.UserID, MentorID: steward.UserID}
			case policy.ConfirmOnboarding:
				t = policy.Target{Subject: &copilot, MentorID: steward.UserID}
			case policy.EndCoPilot:
				t = policy.Target{Subject: &copilot, MentorID: steward.UserID, ChecklistDone: true}
			case policy.AssignSteward:
				t = policy.Target{Space: community, Subject: &steward}
			case policy.ViewCoPilot:
				t = policy.Target{Subject: &copilot}
			case policy.DecideSignal:
				t = policy.Target{Owner: p.id == ProfileManager}
			case policy.ResolveEscalation:
				t = policy.Target{Owner: p.id == ProfileCM}
			case policy.ReadSignal, policy.ReadEscalation:
				// Raised by the internal steward from the profile's space:
				// whoever reads the space reads its thread.
				t = spaceTarget(p, act)
				t.Member, t.Steward = t.Member || t.Steward, false
				t.Author = p.id == ProfileSteward
				t.Owner = (act == policy.ReadSignal && p.id == ProfileManager) || (act == policy.ReadEscalation && p.id == ProfileCM)
			default:
				if act.SpaceAction() {
					t = spaceTarget(p, act)
				}
			}
			d := policy.Decide(p.actor, act, t)
			mp.Decisions = append(mp.Decisions, MatrixCell{Action: act, Effect: d.Effect.String(), Rule: d.Rule.ID})
		}
		m.Profiles = append(m.Profiles, mp)
	}
	return m
}

// spaceTarget is a profile's relation to their representative space; for
// joining, the profile is not a member yet.
func spaceTarget(p matrixProfile, act policy.Action) policy.Target {
	t := policy.Target{Space: p.space}
	if act == policy.JoinSpace && p.space.Kind == relais.SpaceCommunity {
		return t
	}
	switch p.relation {
	case RelationMember:
		t.Member, t.AcceptedCharter = true, p.space.Charter.Version
	case RelationManager:
		t.Member, t.Manager, t.AcceptedCharter = true, true, p.space.Charter.Version
	case RelationSteward:
		t.Steward = true
	}
	return t
}

// AuditLine is an entry of the audit trail with the name of its space and,
// when it concerns a person, theirs.
type AuditLine struct {
	relais.AuditEntry
	SpaceName   string `json:"space_name,omitempty"`
	SubjectName string `json:"subject_name,omitempty"`
}

// AuditTrail is a page of the audit trail, newest first.
type AuditTrail struct {
	Lines []AuditLine
	// Older is the id before which the next (older) page starts; 0 when
	// this page is the last.
	Older int64
}

// AuditTrail returns a page of the audit trail of governance actions,
// newest first, with the names of the spaces, to those the policy lets
// read it.
func (s *Service) AuditTrail(ctx context.Context, u *relais.User, beforeID int64, limit int) (*AuditTrail, error) {
	es, err := s.Audit(ctx, u, beforeID, limit)
	if err != nil {
		return nil, err
	}
	names, err := s.Store.AuditSpaceNames(ctx)
	if err != nil {
		return nil, err
	}
	var userIDs []int64
	for _, e := range es {
		if e.SubjectKind == "user" && e.SubjectID != 0 && !slices.Contains(userIDs, e.SubjectID) {
			userIDs = append(userIDs, e.SubjectID)
		}
	}
	people, err := s.Store.AuditUserNames(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	tr := &AuditTrail{Lines: make([]AuditLine, len(es))}
	for i, e := range es {
		tr.Lines[i] = AuditLine{AuditEntry: e, SpaceName: names[e.SpaceID]}
		if e.SubjectKind == "user" {
			tr.Lines[i].SubjectName = people[e.SubjectID]
		}
	}
	if len(es) == limit && len(es) > 0 {
		tr.Older = es[len(es)-1].ID
	}
	return tr, nil
}
