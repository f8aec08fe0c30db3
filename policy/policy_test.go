package policy_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/policy"
)

// update rewrites testdata/decisions.golden from the current decisions:
//
//	go test ./policy -run TestDecideGolden -update
var update = flag.Bool("update", false, "rewrite testdata/decisions.golden")

const goldenFile = "testdata/decisions.golden"

// ---------------------------------------------------------------------------
// The axes of the matrix.

// profile is one kind of person the rules tell apart. The specification
// reads only the plain facts (external, internalCM, admin, copilot); the
// policy only reads actor. Keeping both side by side lets the test say, in
// the product's words, who the person is.
type profile struct {
	name       string
	actor      policy.Actor
	external   bool // a customer, partner or outsourced agency, not an employee
	internalCM bool // holds the community manager role and is an employee
	admin      bool // holds the administrator role
	copilot    bool // an outsourced SMM whose visible actions wait for a mentor
}

// person returns an actor with directory attributes, so that join criteria
// can be built to match it or not.
func person(id int64, e relais.Employment, copilot bool, roles ...relais.Role) policy.Actor {
	a := policy.Actor{UserID: id, Employment: e, Roles: roles, CoPilot: copilot,
		UnitID: 10 + id, Site: "Lyon", JobFamily: "engineering"}
	if e == relais.External {
		a.Site, a.JobFamily = "Montréal", "buyer"
	}
	return a
}

// profiles are the seven actors of the matrix. The manager is an employee
// with no organization-wide role: managing a team is a relation (member of
// its team space), not a role, so the relation axis decides whether the
// space is their own team or another one.
var profiles = []profile{
	{name: "participant", actor: person(1, relais.Internal, false)},
	{name: "customer", actor: person(2, relais.External, false), external: true},
	{name: "manager", actor: person(3, relais.Internal, false)},
	{name: "smm", actor: person(4, relais.Internal, false, relais.RoleSocialMediaManager)},
	{name: "smm_copilot", actor: person(5, relais.External, true, relais.RoleSocialMediaManager),
		external: true, copilot: true},
	{name: "cm", actor: person(6, relais.Internal, false, relais.RoleCommunityManager), internalCM: true},
	{name: "admin", actor: person(7, relais.Internal, false, relais.RoleAdministrator), admin: true},
}

// Join policy values of the matrix. A criteria community appears twice: once
// with criteria the actor meets, once with criteria they do not.
const (
	joinOpen          = "open"
	joinCriteriaMet   = "criteria_met"
	joinCriteriaUnmet = "criteria_unmet"
	joinRequest       = "request"
	joinDirectory     = "directory" // team spaces only
)

// Relations of the actor to the space. A steward is given with Steward set
// and Member unset, so the test also shows that stewardship alone counts.
const (
	relNone    = "none"
	relMember  = "member"
	relSteward = "steward" // communities only
	// relStale is a community member who accepted an older version of the
	// charter than the current one.
	relStale = "member_stale_charter"
	// relCoach is the coach of a team's manager: outside the team, with
	// its aggregate figures only (team spaces only).
	relCoach = "coach"
)

// currentCharter is the charter version of every space of the matrix.
const currentCharter = 2

// spaceCase is one space of the matrix.
type spaceCase struct {
	kind     relais.SpaceKind
	audience relais.Audience
	join     string // one of the join* constants
}

// spaceCases lists every community (3 audiences × 4 join policies) and the
// team space (always internal, membership from the directory).
func spaceCases() []spaceCase {
	var cs []spaceCase
	for _, aud := range []relais.Audience{relais.AudienceInternal, relais.AudienceExternal, relais.AudienceMixed} {
		for _, j := range []string{joinOpen, joinCriteriaMet, joinCriteriaUnmet, joinRequest} {
			cs = append(cs, spaceCase{relais.SpaceCommunity, aud, j})
		}
	}
	return append(cs, spaceCase{relais.SpaceTeam, relais.AudienceInternal, joinDirectory})
}

// managesTeam reports whether the profile manages the team of a team space
// it belongs to: the manager profile does.
func managesTeam(p profile, s spaceCase, rel string) bool {
	return p.name == "manager" && s.kind == relais.SpaceTeam && rel == relMember
}

// acceptedCharter is the charter version accepted in a relation.
func acceptedCharter(rel string) int {
	switch rel {
	case relMember:
		return currentCharter
	case relStale:
		return currentCharter - 1
	}
	return 0
}

// relations returns the relations that make sense for a kind of space.
func relations(k relais.SpaceKind) []string {
	if k == relais.SpaceTeam {
		return []string{relNone, relMember, relCoach}
	}
	return []string{relNone, relMember, relSteward, relStale}
}

// accountActions are the actions whose target is an account or the
// organization rather than a space.
var accountActions = []policy.Action{policy.GrantRole, policy.ViewDirectory, policy.DecideApproval, policy.ViewAudit,
	policy.ConfirmOnboarding, policy.EndCoPilot, policy.AssignSteward, policy.DecideSignal, policy.ResolveEscalation,
	policy.ManageWebhooks, policy.Govern, policy.ReadPlan, policy.RequestSpace, policy.RenameRoles, policy.ManageDirectory,
	policy.Mentor, policy.OwnDecision, policy.ReadLibrary, policy.DecideAgreement, policy.RequestCoaching,
	policy.TakePartCoaching, policy.ViewProfile,
	policy.WithdrawAgreement, policy.ReadSignal, policy.ReadEscalation, policy.ReadMetrics, policy.ViewCoPilot}

// spaceActions is every action on a space: policy.Actions without the
// account actions.
func spaceActions() []policy.Action {
	var as []policy.Action
	for _, a := range policy.Actions {
		if !slices.Contains(accountActions, a) {
			as = append(as, a)
		}
	}
	return as
}

// criteriaFor builds join criteria the actor meets, or misses by one
// attribute only (the site), every other list still holding their value.
func criteriaFor(a policy.Actor, met bool) *relais.JoinCriteria {
	c := &relais.JoinCriteria{
		UnitIDs:     []int64{99, a.UnitID},
		Sites:       []string{"Brest", a.Site},
		JobFamilies: []string{"legal", a.JobFamily},
		Employments: []relais.Employment{a.Employment},
	}
	if !met {
		c.Sites = []string{"Brest"}
	}
	return c
}

// space builds the relais.Space of a case for a given actor.
func (s spaceCase) space(a policy.Actor) *relais.Space {
	sp := &relais.Space{ID: 1, Name: "space", Kind: s.kind, Audience: s.audience, Charter: &relais.Charter{Version: currentCharter}}
	switch s.join {
	case joinOpen:
		sp.JoinPolicy = relais.JoinOpen
	case joinCriteriaMet, joinCriteriaUnmet:
		sp.JoinPolicy = relais.JoinByCriteria
		sp.Criteria = criteriaFor(a, s.join == joinCriteriaMet)
	case joinRequest:
		sp.JoinPolicy = relais.JoinRequest
	case joinDirectory:
		sp.JoinPolicy, sp.Flow, sp.TeamID = relais.JoinDirectory, relais.InTheFlow, 1
	}
	return sp
}

// ---------------------------------------------------------------------------
// The matrix.

// combo is one row of the matrix: an actor, an action and a target, the
// golden-file fields that name it, and the expected outcome.
type combo struct {
	fields [6]string // actor kind audience joinpolicy relation action
	actor  policy.Actor
	action policy.Action
	target policy.Target
	effect policy.Effect // expected
	rule   string        // expected
}

func (c combo) label() string { return strings.Join(c.fields[:], " ") }

// matrix enumerates every space combination and every role grant.
func matrix() []combo {
	var cs []combo
	for _, p := range profiles {
		for _, s := range spaceCases() {
			for _, rel := range relations(s.kind) {
				for _, act := range spaceActions() {
					eff, rule := expectSpace(p, s, rel, act)
					cs = append(cs, combo{
						fields: [6]string{p.name, string(s.kind), string(s.audience), s.join, rel, string(act)},
						actor:  p.actor,
						action: act,
						target: policy.Target{Space: s.space(p.actor),
							Member: rel == relMember || rel == relStale, Steward: rel == relSteward,
							Manager:         managesTeam(p, s, rel),
							Coach:           rel == relCoach,
							AcceptedCharter: acceptedCharter(rel)},
						effect: eff, rule: rule,
					})
				}
			}
		}
		for _, role := range relais.Roles {
			for _, emp := range []relais.Employment{relais.Internal, relais.External} {
				subject := person(100, emp, false)
				eff, rule := expectGrant(p, role, emp == relais.External)
				cs = append(cs, combo{
					fields: [6]string{p.name, "account", "subject:" + string(emp), "-", "-",
						string(policy.GrantRole) + ":" + string(role)},
					actor:  p.actor,
					action: policy.GrantRole,
					target: policy.Target{Role: role, Subject: &subject},
					effect: eff, rule: rule,
				})
			}
		}
		// Employees see the whole directory; an external account only the
		// members of its own spaces.
		eff, rule := policy.Allow, "directory.internal"
		if p.external {
			eff, rule = policy.Deny, "directory.external"
		}
		cs = append(cs, combo{
			fields: [6]string{p.name, "directory", "-", "-", "-", string(policy.ViewDirectory)},
			actor:  p.actor, action: policy.ViewDirectory, effect: eff, rule: rule,
		})
		// The audit trail: the internal community manager and the
		// administrators read it, nobody else.
		aeff := policy.Deny
		if p.internalCM || p.admin {
			aeff = policy.Allow
		}
		cs = append(cs, combo{
			fields: [6]string{p.name, "audit", "-", "-", "-", string(policy.ViewAudit)},
			actor:  p.actor, action: policy.ViewAudit, effect: aeff, rule: "audit.governance",
		})
		// Approvals in co-pilot: the requester's internal mentor decides,
		// nobody else, and nobody decides their own request.
		for _, who := range []string{"own", "mentor", "other"} {
			tgt := policy.Target{RequesterID: 900, MentorID: 901}
			switch who {
			case "own":
				tgt.RequesterID = p.actor.UserID
			case "mentor":
				tgt.MentorID = p.actor.UserID
			}
			eff, rule := policy.Deny, "copilot.mentor_only"
			switch {
			case who == "own":
				rule = "copilot.no_self_approval"
			case who == "mentor" && !p.external:
				eff, rule = policy.Allow, "copilot.mentor_decides"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "approval", who, "-", "-", string(policy.DecideApproval)},
				actor:  p.actor, action: policy.DecideApproval, target: tgt, effect: eff, rule: rule,
			})
		}
		// Onboarding of an SMM in co-pilot: their internal mentor or the
		// internal community manager confirms each step.
		copilot := profiles[4].actor
		for _, who := range []string{"mentor", "other"} {
			tgt := policy.Target{Subject: &copilot, MentorID: 901}
			if who == "mentor" {
				tgt.MentorID = p.actor.UserID
			}
			eff, rule := policy.Deny, "copilot.onboarding.mentor_only"
			if !p.external && (who == "mentor" || p.internalCM) {
				eff, rule = policy.Allow, "copilot.onboarding"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "onboarding", who, "-", "-", string(policy.ConfirmOnboarding)},
				actor:  p.actor, action: policy.ConfirmOnboarding, target: tgt, effect: eff, rule: rule,
			})
		}
		// Ending the co-pilot period: the internal community manager alone,
		// once the checklist is complete.
		for _, done := range []bool{true, false} {
			eff, rule := policy.Deny, "copilot.end.cm_only"
			switch {
			case p.internalCM && done:
				eff, rule = policy.Allow, "copilot.end"
			case p.internalCM:
				rule = "copilot.end.checklist"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "copilot", fmt.Sprintf("checklist_done:%v", done), "-", "-", string(policy.EndCoPilot)},
				actor:  p.actor, action: policy.EndCoPilot, target: policy.Target{Subject: &copilot, ChecklistDone: done},
				effect: eff, rule: rule,
			})
		}
		// Signals are decided by their owner alone; escalations resolved by
		// their assignee or the internal CM; webhooks managed by internal
		// administrators.
		for _, owner := range []bool{true, false} {
			eff, rule := policy.Deny, "signal.owner_only"
			if owner {
				eff, rule = policy.Allow, "signal.owner_decides"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "signal", fmt.Sprintf("owner:%v", owner), "-", "-", string(policy.DecideSignal)},
				actor:  p.actor, action: policy.DecideSignal, target: policy.Target{Owner: owner}, effect: eff, rule: rule,
			})
			eff, rule = policy.Deny, "escalation.assignee_only"
			if owner || p.internalCM {
				eff, rule = policy.Allow, "escalation.resolve"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "escalation", fmt.Sprintf("assignee:%v", owner), "-", "-", string(policy.ResolveEscalation)},
				actor:  p.actor, action: policy.ResolveEscalation, target: policy.Target{Owner: owner}, effect: eff, rule: rule,
			})
		}
		// Who reads a signal or an escalation: its parties always; a
		// signal's thread readers; the CM every community's, and a team
		// space's only once overdue.
		for _, act := range []policy.Action{policy.ReadSignal, policy.ReadEscalation} {
			for _, sc := range []spaceCase{
				{relais.SpaceCommunity, relais.AudienceInternal, joinOpen},
				{relais.SpaceCommunity, relais.AudienceMixed, joinOpen},
				{relais.SpaceTeam, relais.AudienceInternal, joinDirectory},
			} {
				parties := []string{"owner", "raiser", "reader", "none"}
				if sc.kind == relais.SpaceTeam {
					parties = append(parties, "team_manager")
				}
				for _, party := range parties {
					for _, stale := range []bool{false, true} {
						eff, rule := expectRoutedRead(p, sc, party, stale, act)
						cs = append(cs, combo{
							fields: [6]string{p.name, string(sc.kind), string(sc.audience), "party:" + party, fmt.Sprintf("overdue:%v", stale), string(act)},
							actor:  p.actor, action: act,
							target: policy.Target{Space: sc.space(p.actor), Owner: party == "owner", Author: party == "raiser",
								Member: party == "reader" || party == "team_manager", Manager: party == "team_manager", Stale: stale},
							effect: eff, rule: rule,
						})
					}
				}
			}
		}
		weff, wrule := policy.Deny, "webhook.admin_only"
		if p.admin {
			weff, wrule = policy.Allow, "webhook.admin"
		}
		cs = append(cs, combo{
			fields: [6]string{p.name, "webhooks", "-", "-", "-", string(policy.ManageWebhooks)},
			actor:  p.actor, action: policy.ManageWebhooks, effect: weff, rule: wrule,
		})
		// The operational metrics: internal administrators only.
		meff := policy.Deny
		if p.admin {
			meff = policy.Allow
		}
		cs = append(cs, combo{
			fields: [6]string{p.name, "operations", "-", "-", "-", string(policy.ReadMetrics)},
			actor:  p.actor, action: policy.ReadMetrics, effect: meff, rule: "metrics.admin",
		})
		// The cockpit: the internal CM governs; employees read the plan and
		// ask for spaces; the CM and administrators rename roles.
		cockpit := []struct {
			act         policy.Action
			ok          bool
			allow, deny string
		}{
			{policy.Govern, p.internalCM, "cockpit.cm", "cockpit.cm_only"},
			{policy.ReadPlan, !p.external, "plan.internal", "plan.internal_only"},
			{policy.RequestSpace, !p.external, "plan.internal", "plan.internal_only"},
			{policy.RenameRoles, p.internalCM || p.admin, "roles.rename", "roles.rename.governance_only"},
			{policy.ManageDirectory, p.admin, "directory.admin", "directory.admin_only"},
			// Who may be appointed mentor (an internal SMM or the CM), and
			// who may own a signal or an escalation (an employee).
			{policy.Mentor, !p.external && (p.name == "smm" || p.internalCM), "copilot.mentor_decides", "copilot.mentor_only"},
			{policy.OwnDecision, !p.external, "decision.employees", "decision.employees_only"},
			// The best-practice library is the employees'.
			{policy.ReadLibrary, !p.external, "practice.library", "practice.library.internal_only"},
		}
		for _, c := range cockpit {
			eff, rule := policy.Deny, c.deny
			if c.ok {
				eff, rule = policy.Allow, c.allow
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "cockpit", "-", "-", "-", string(c.act)},
				actor:  p.actor, action: c.act, effect: eff, rule: rule,
			})
		}
		// The sponsor of a community reads its reports, member or not;
		// an external account never sees an internal community.
		for _, aud := range []relais.Audience{relais.AudienceInternal, relais.AudienceMixed} {
			eff, rule := policy.Allow, "report.read"
			if p.external && aud == relais.AudienceInternal {
				eff, rule = policy.Deny, "community.audience"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "community", string(aud), "sponsor", "-", string(policy.ReadReport)},
				actor:  p.actor, action: policy.ReadReport,
				target: policy.Target{Space: &relais.Space{Kind: relais.SpaceCommunity, Audience: aud, JoinPolicy: relais.JoinOpen}, Sponsor: true},
				effect: eff, rule: rule,
			})
		}
		// Contribution agreements are decided by the person's manager;
		// a coaching thread is read by its two parties only.
		for _, rel := range []bool{true, false} {
			eff, rule := policy.Deny, "agreement.manager_only"
			if rel && !p.external {
				eff, rule = policy.Allow, "agreement.manager_decides"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "agreement", fmt.Sprintf("manager:%v", rel), "-", "-", string(policy.DecideAgreement)},
				actor:  p.actor, action: policy.DecideAgreement, target: policy.Target{Manager: rel}, effect: eff, rule: rule,
			})
			eff = policy.Deny
			if rel {
				eff = policy.Allow
			}
			weff, wrule := policy.Deny, "agreement.withdraw.owner_only"
			if rel {
				weff, wrule = policy.Allow, "agreement.withdraw"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "agreement", fmt.Sprintf("proposer:%v", rel), "-", "-", string(policy.WithdrawAgreement)},
				actor:  p.actor, action: policy.WithdrawAgreement, target: policy.Target{Owner: rel}, effect: weff, rule: wrule,
			})
			cs = append(cs, combo{
				fields: [6]string{p.name, "coaching", fmt.Sprintf("party:%v", rel), "-", "-", string(policy.TakePartCoaching)},
				actor:  p.actor, action: policy.TakePartCoaching, target: policy.Target{Member: rel}, effect: eff, rule: "coaching.private",
			})
		}
		// A profile: seen by those who share a space with the person, by
		// governance, and by employees unless the person restricted it.
		for _, shared := range []bool{true, false} {
			for _, restricted := range []bool{true, false} {
				eff, rule := policy.Allow, "profile.everyone"
				switch {
				case shared:
					rule = "profile.shared_space"
				case p.external:
					eff, rule = policy.Deny, "directory.external"
				case p.admin || p.internalCM:
					rule = "profile.governance"
				case restricted:
					eff, rule = policy.Deny, "profile.restricted"
				}
				cs = append(cs, combo{
					fields: [6]string{p.name, "profile", fmt.Sprintf("shared:%v", shared), fmt.Sprintf("restricted:%v", restricted), "-", string(policy.ViewProfile)},
					actor:  p.actor, action: policy.ViewProfile, target: policy.Target{Member: shared, Restricted: restricted},
					effect: eff, rule: rule,
				})
			}
		}
		// Who is in co-pilot, and their mentor: employees see it of
		// anyone; an external account of itself only.
		for _, who := range []string{"self", "other"} {
			subject := person(9, relais.External, true, relais.RoleSocialMediaManager)
			if who == "self" {
				subject = p.actor
			}
			eff, rule := policy.Allow, "copilot.visible"
			if p.external && who == "other" {
				eff, rule = policy.Deny, "copilot.visible.internal_only"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "copilot", "subject:" + who, "-", "-", string(policy.ViewCoPilot)},
				actor:  p.actor, action: policy.ViewCoPilot, target: policy.Target{Subject: &subject}, effect: eff, rule: rule,
			})
		}
		// Asking for coaching: a team's manager asks the CM or an internal
		// SMM who is not in co-pilot.
		coaches := []struct {
			name    string
			subject policy.Actor
			ok      bool
		}{
			{"cm", person(110, relais.Internal, false, relais.RoleCommunityManager), true},
			{"smm", person(111, relais.Internal, false, relais.RoleSocialMediaManager), true},
			{"smm_copilot", person(112, relais.External, true, relais.RoleSocialMediaManager), false},
			{"participant", person(113, relais.Internal, false), false},
		}
		for _, manages := range []bool{true, false} {
			for _, c := range coaches {
				eff, rule := policy.Deny, "coaching.managers_only"
				switch {
				case !manages || p.external:
				case !c.ok:
					rule = "coaching.coaches"
				default:
					eff, rule = policy.Allow, "coaching.request"
				}
				cs = append(cs, combo{
					fields: [6]string{p.name, "coaching", fmt.Sprintf("manages:%v", manages), "coach:" + c.name, "-", string(policy.RequestCoaching)},
					actor:  p.actor, action: policy.RequestCoaching, target: policy.Target{Manager: manages, Subject: &c.subject},
					effect: eff, rule: rule,
				})
			}
		}
		// The author of a problem marks its solution where they belong.
		for _, sc := range []struct {
			name   string
			space  spaceCase
			member bool
		}{
			{"team:member", spaceCase{relais.SpaceTeam, relais.AudienceInternal, joinDirectory}, true},
			{"internal:member", spaceCase{relais.SpaceCommunity, relais.AudienceInternal, joinOpen}, true},
			{"mixed:member", spaceCase{relais.SpaceCommunity, relais.AudienceMixed, joinOpen}, true},
			{"mixed:removed", spaceCase{relais.SpaceCommunity, relais.AudienceMixed, joinOpen}, false},
		} {
			eff, rule := policy.Allow, "problem.solve"
			switch {
			case p.external && sc.space.kind == relais.SpaceTeam:
				eff, rule = policy.Deny, "team.external"
			case p.external && sc.space.audience == relais.AudienceInternal:
				eff, rule = policy.Deny, "community.audience"
			case !sc.member:
				eff, rule = policy.Deny, "problem.solvers_only"
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "problem", "author", sc.name, "-", string(policy.SolveProblem)},
				actor:  p.actor, action: policy.SolveProblem,
				target: policy.Target{Space: sc.space.space(p.actor), Member: sc.member, Author: true, AcceptedCharter: currentCharter},
				effect: eff, rule: rule,
			})
		}
		// Assigning stewards: the internal community manager gives a
		// community to a social media manager whom its audience admits.
		smm := person(101, relais.Internal, false, relais.RoleSocialMediaManager)
		extSMM := person(102, relais.External, false, relais.RoleSocialMediaManager)
		plain := person(103, relais.Internal, false)
		for _, sc := range []struct {
			name    string
			space   *relais.Space
			subject *policy.Actor
			rule    string // when the actor is the internal CM
		}{
			{"team:smm", &relais.Space{Kind: relais.SpaceTeam, Audience: relais.AudienceInternal}, &smm, "steward.community_only"},
			{"internal:smm", &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, &smm, "steward.assign"},
			{"internal:external_smm", &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, &extSMM, "community.audience"},
			{"mixed:external_smm", &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceMixed}, &extSMM, "steward.assign"},
			{"internal:not_smm", &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, &plain, "steward.smm_only"},
		} {
			eff, rule := policy.Deny, "steward.assign.cm_only"
			if p.internalCM {
				rule = sc.rule
				if rule == "steward.assign" {
					eff = policy.Allow
				}
			}
			cs = append(cs, combo{
				fields: [6]string{p.name, "steward", sc.name, "-", "-", string(policy.AssignSteward)},
				actor:  p.actor, action: policy.AssignSteward, target: policy.Target{Space: sc.space, Subject: sc.subject},
				effect: eff, rule: rule,
			})
		}
	}
	return cs
}

// ---------------------------------------------------------------------------
// The specification, written from the product's rules. It names rule ids as
// plain strings and never calls into the policy.

// visible reports whether others would see the action, so that an actor in
// co-pilot needs their mentor's approval for it.
func visible(act policy.Action) bool {
	switch act {
	case policy.CreatePost, policy.CreateReply, policy.React, policy.DecideJoin,
		policy.ModeratePost, policy.PinPost, policy.SchedulePost, policy.SetWelcome, policy.Invite, policy.RemoveMember,
		// Routing is seen by its owner, the thread and the ticketing
		// tools; a reused practice opens a thread.
		policy.RaiseSignal, policy.Escalate, policy.ReusePractice:
		return true
	}
	return false
}

// expectSpace is the expected outcome of an action on a space.
func expectSpace(p profile, s spaceCase, rel string, act policy.Action) (policy.Effect, string) {
	var eff policy.Effect
	var rule string
	if s.kind == relais.SpaceTeam {
		eff, rule = expectTeam(p, rel, act)
	} else {
		eff, rule = expectCommunity(p, s, rel, act)
	}
	if eff == policy.Allow && p.copilot && visible(act) {
		return policy.NeedsApproval, "copilot.approval"
	}
	return eff, rule
}

// expectTeam: a team space is closed. Externals never enter; nobody joins by
// hand (the directory decides); only the team and its manager get in — not
// the community manager, an SMM, an administrator or another team.
func expectTeam(p profile, rel string, act policy.Action) (policy.Effect, string) {
	switch {
	case p.external:
		return policy.Deny, "team.external"
	case rel == relCoach && act == policy.ReadReport:
		// A coach sees the team's aggregate figures...
		return policy.Allow, "coaching.figures"
	case rel == relCoach:
		// ...and has no other presence in the team space.
		return policy.Deny, "coaching.invisible"
	case act == policy.JoinSpace || act == policy.DecideJoin || act == policy.AcceptCharter ||
		act == policy.Invite || act == policy.RemoveMember || act == policy.ConfigureJoin:
		// Membership of a team space, charter included, follows the
		// directory: nobody invites, removes or changes how one joins.
		return policy.Deny, "team.join.directory"
	case act == policy.ProposeAgreement:
		// One agrees time for a community, not for one's own team.
		return policy.Deny, "agreement.communities_only"
	case rel == relNone:
		return policy.Deny, "team.outsider"
	case act == policy.ReusePractice:
		// A team space is for employees: the library's practices may
		// open a thread there.
		return policy.Allow, "practice.reuse"
	case act == policy.PinPost || act == policy.SchedulePost || act == policy.SetWelcome || act == policy.ModeratePost ||
		act == policy.ManageRoutines:
		// The manager animates the team space; members take part.
		if p.name == "manager" {
			return policy.Allow, "team.manager.animates"
		}
		return policy.Deny, "team.manager_only"
	case act == policy.RaiseSignal || act == policy.Escalate:
		// The manager routes what the team raises; members suggest.
		if p.name == "manager" {
			return policy.Allow, "signal.raise"
		}
		return policy.Deny, "signal.stewards_only"
	case act == policy.ReadReport:
		if p.name == "manager" {
			return policy.Allow, "report.read"
		}
		return policy.Deny, "report.readers_only"
	case act == policy.NarrateReport:
		if p.name == "manager" {
			return policy.Allow, "report.narrate"
		}
		return policy.Deny, "report.narrators_only"
	case act == policy.OptInLeaderboard:
		if p.name == "manager" {
			return policy.Allow, "leaderboard.opt_in"
		}
		return policy.Deny, "leaderboard.stewards_only"
	case act == policy.SuggestSignal:
		return policy.Allow, "signal.suggest"
	case act == policy.SolveProblem:
		// The manager marks solutions (authors are in their own rows).
		if p.name == "manager" {
			return policy.Allow, "problem.solve"
		}
		return policy.Deny, "problem.solvers_only"
	case act == policy.SharePractice:
		// The manager consents, for the team, to a practice's reuse.
		if p.name == "manager" {
			return policy.Allow, "practice.share"
		}
		return policy.Deny, "practice.share.owners_only"
	case act == policy.EditCharter && p.name != "manager":
		return policy.Deny, "charter.editors_only"
	case act == policy.EditCharter:
		// The manager owns the team space and its charter.
		return policy.Allow, "charter.edit"
	}
	return policy.Allow, "team.member"
}

// expectCommunity: an internal community is for employees only; anyone of
// the audience sees it; members and stewards read and contribute; the
// internal community manager reads every community but contributes only
// where they belong; joining follows the join policy.
func expectCommunity(p profile, s spaceCase, rel string, act policy.Action) (policy.Effect, string) {
	belongs := rel == relMember || rel == relSteward || rel == relStale
	if p.external && s.audience == relais.AudienceInternal {
		return policy.Deny, "community.audience"
	}
	// A member who has not accepted the current charter reads but does not
	// contribute until they accept it again.
	if rel == relStale && (act == policy.CreatePost || act == policy.CreateReply || act == policy.React) {
		return policy.Deny, "charter.accept"
	}
	switch act {
	case policy.ViewSpace:
		return policy.Allow, "community.visible"
	case policy.JoinSpace:
		return expectJoin(s, belongs)
	case policy.EditCharter:
		// Internal stewards and the community manager publish the charter.
		if !p.external && (rel == relSteward || p.internalCM) {
			return policy.Allow, "charter.edit"
		}
		return policy.Deny, "charter.editors_only"
	case policy.AcceptCharter:
		if belongs {
			return policy.Allow, "community.member"
		}
		return policy.Deny, "community.non_member"
	case policy.DecideJoin:
		// Stewards decide on requests to join; the community manager too.
		if rel == relSteward || p.internalCM {
			return policy.Allow, "community.join.decide"
		}
		return policy.Deny, "community.join.stewards_only"
	case policy.ReadPosts:
		if !belongs && p.internalCM {
			return policy.Allow, "community.cm_oversight"
		}
	case policy.ConfigureJoin:
		// How one joins is governance: internal stewards and the CM.
		if !p.external && (rel == relSteward || p.internalCM) {
			return policy.Allow, "community.join.configure"
		}
		return policy.Deny, "community.join.configure_editors"
	case policy.ModeratePost, policy.RemoveMember:
		// Stewards moderate; the CM may step in anywhere.
		if rel == relSteward || p.internalCM {
			return policy.Allow, "moderation.moderate"
		}
		return policy.Deny, "moderation.stewards_only"
	case policy.PinPost, policy.SchedulePost, policy.SetWelcome, policy.Invite:
		// Animation is the stewards' job, not the CM's.
		if rel == relSteward {
			return policy.Allow, "animation.steward"
		}
		return policy.Deny, "animation.stewards_only"
	case policy.FlagPost:
		// Anyone who belongs flags, even with an outdated charter: a flag
		// adds nothing to the conversation.
		if belongs {
			return policy.Allow, "moderation.flag"
		}
		return policy.Deny, "community.non_member"
	case policy.RaiseSignal, policy.Escalate:
		// Stewards route signals and escalate; participants cannot.
		if rel == relSteward {
			return policy.Allow, "signal.raise"
		}
		return policy.Deny, "signal.stewards_only"
	case policy.SuggestSignal:
		if belongs {
			return policy.Allow, "signal.suggest"
		}
		return policy.Deny, "community.non_member"
	case policy.ReadReport:
		// Stewards, the CM and the sponsor (see the sponsor rows).
		if rel == relSteward || p.internalCM {
			return policy.Allow, "report.read"
		}
		return policy.Deny, "report.readers_only"
	case policy.NarrateReport:
		// The steward writes; the CM and the sponsor only read.
		if rel == relSteward {
			return policy.Allow, "report.narrate"
		}
		return policy.Deny, "report.narrators_only"
	case policy.ManageRoutines:
		return policy.Deny, "routine.teams_only"
	case policy.ManageTasks:
		return policy.Deny, "task.teams_only"
	case policy.SolveProblem:
		// Internal stewards mark solutions (authors are in their own rows).
		if rel == relSteward && !p.external {
			return policy.Allow, "problem.solve"
		}
		return policy.Deny, "problem.solvers_only"
	case policy.SharePractice:
		if rel == relSteward && !p.external {
			return policy.Allow, "practice.share"
		}
		return policy.Deny, "practice.share.owners_only"
	case policy.ReusePractice:
		// The library is the employees': none of it reaches a community
		// whose audience includes externals.
		switch {
		case p.external:
			return policy.Deny, "practice.library.internal_only"
		case s.audience != relais.AudienceInternal:
			return policy.Deny, "practice.reuse.internal_only"
		case !belongs:
			return policy.Deny, "community.non_member"
		case rel == relStale:
			return policy.Deny, "charter.accept"
		}
		return policy.Allow, "practice.reuse"
	case policy.ProposeAgreement:
		// An employee who belongs proposes time; their manager decides.
		switch {
		case p.external:
			return policy.Deny, "agreement.employees_only"
		case !belongs:
			return policy.Deny, "community.non_member"
		}
		return policy.Allow, "agreement.propose"
	case policy.OptInLeaderboard:
		// Ranking people is decided by internal stewards only.
		if rel == relSteward && !p.external {
			return policy.Allow, "leaderboard.opt_in"
		}
		return policy.Deny, "leaderboard.stewards_only"
	}
	if belongs {
		return policy.Allow, "community.member"
	}
	return policy.Deny, "community.non_member"
}

// expectRoutedRead: whoever raised a signal or an escalation and whoever it
// goes to read it; a signal is shown in its thread to whoever reads it; the
// internal community manager follows every community's, and a team space's
// only once it is overdue; a team's manager reads its space's escalations.
func expectRoutedRead(p profile, s spaceCase, party string, stale bool, act policy.Action) (policy.Effect, string) {
	reader := party == "reader" || party == "team_manager"
	switch {
	case party == "owner" || party == "raiser":
		return policy.Allow, "routing.parties"
	case s.kind == relais.SpaceCommunity && act == policy.ReadSignal && reader:
		return policy.Allow, "signal.thread"
	case s.kind == relais.SpaceCommunity && p.internalCM:
		return policy.Allow, "routing.community_cm"
	case s.kind == relais.SpaceCommunity:
		return policy.Deny, "routing.readers_only"
	case act == policy.ReadSignal && reader && !p.external:
		return policy.Allow, "signal.thread"
	case act == policy.ReadEscalation && party == "team_manager" && !p.external:
		return policy.Allow, "routing.team_manager"
	case p.internalCM && stale:
		return policy.Allow, "routing.team_overdue"
	}
	return policy.Deny, "routing.team_closed"
}

// expectJoin: one cannot join twice; an open community lets anyone in, a
// criteria community those who meet the criteria, and a request community
// waits for a steward's approval.
func expectJoin(s spaceCase, belongs bool) (policy.Effect, string) {
	if belongs {
		return policy.Deny, "community.join.already_member"
	}
	switch s.join {
	case joinOpen:
		return policy.Allow, "community.join.open"
	case joinCriteriaMet:
		return policy.Allow, "community.join.criteria_met"
	case joinCriteriaUnmet:
		return policy.Deny, "community.join.criteria_unmet"
	}
	return policy.NeedsApproval, "community.join.request"
}

// expectGrant: only an administrator or the internal community manager
// assigns roles, and the community manager role never goes to an external
// account, whoever grants it.
func expectGrant(p profile, role relais.Role, externalSubject bool) (policy.Effect, string) {
	switch {
	case !p.admin && !p.internalCM:
		return policy.Deny, "role.authority"
	case role == relais.RoleCommunityManager && externalSubject:
		return policy.Deny, "role.cm_internal_only"
	case role == relais.RoleAdministrator && (!p.admin || externalSubject):
		// Only an administrator makes another, and only of an employee.
		return policy.Deny, "role.admin_grant"
	}
	return policy.Allow, "role.grant"
}

// ---------------------------------------------------------------------------
// Tests.

// TestDecideMatrix checks every combination against the specification, and
// every decision against the rulebook and its error.
func TestDecideMatrix(t *testing.T) {
	cs := matrix()
	n := len(spaceActions())
	if n != 29 {
		t.Fatalf("%d space actions, want 29: add the new action to the specification", n)
	}
	if want := len(profiles) * (3*4*4*n + 1*1*3*n + 3*2 + 1 + 3 + 1 + 2 + 2 + 5 + 2*2 + 1 + 1 + 2 + 8 + 2*3 + 2*4 + 4 + 4 + 2*(2*4+5)*2 + 2); len(cs) != want {
		t.Fatalf("matrix has %d combinations, want %d", len(cs), want)
	}
	for _, c := range cs {
		t.Run(c.label(), func(t *testing.T) {
			d := policy.Decide(c.actor, c.action, c.target)
			if d.Effect != c.effect || d.Rule.ID != c.rule {
				t.Errorf("got %s %s, want %s %s", d.Effect, d.Rule.ID, c.effect, c.rule)
			}
			checkDecision(t, d)
		})
	}
}

// checkDecision checks that a decision names a rule of the rulebook with two
// distinct sentences, and that its error matches its effect.
func checkDecision(t *testing.T, d policy.Decision) {
	t.Helper()
	if !slices.Contains(policy.Rules, d.Rule) {
		t.Errorf("rule %+v is not in policy.Rules", d.Rule)
	}
	if d.Rule.FR == "" || d.Rule.EN == "" || d.Rule.FR == d.Rule.EN {
		t.Errorf("rule %s: FR %q and EN %q must be non-empty and differ", d.Rule.ID, d.Rule.FR, d.Rule.EN)
	}
	if d.Allowed() != (d.Effect != policy.Deny) {
		t.Errorf("Allowed() = %v for effect %s", d.Allowed(), d.Effect)
	}
	err := d.Err()
	if d.Effect != policy.Deny {
		if err != nil {
			t.Errorf("Err() = %v for effect %s, want nil", err, d.Effect)
		}
		return
	}
	var e *relais.Error
	if !errors.As(err, &e) {
		t.Fatalf("Err() = %#v, want a *relais.Error", err)
	}
	if e.Code != relais.EFORBIDDEN || e.Rule != d.Rule.ID || e.Message != d.Rule.EN || e.MessageFR != d.Rule.FR {
		t.Errorf("Err() = %+v, want code %s, rule %s and the rule's sentences", e, relais.EFORBIDDEN, d.Rule.ID)
	}
}

// TestDecideGolden records every decision of the matrix, one sorted line per
// combination, "actor kind audience joinpolicy relation action -> effect
// rule". A role grant reads "actor account subject:<employment> - -
// role.grant:<role> -> effect rule".
func TestDecideGolden(t *testing.T) {
	var lines []string
	for _, c := range matrix() {
		d := policy.Decide(c.actor, c.action, c.target)
		lines = append(lines, fmt.Sprintf("%s -> %s %s", c.label(), d.Effect, d.Rule.ID))
	}
	slices.Sort(lines)
	got := strings.Join(lines, "\n") + "\n"

	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run go test ./policy -update to create it)", err)
	}
	if string(want) != got {
		missing, extra := lineDiff(strings.Split(string(want), "\n"), lines)
		t.Errorf("decisions differ from %s (rerun with -update if the change is intended)\n"+
			"only in golden:\n%s\nonly now:\n%s", goldenFile, head(missing), head(extra))
	}
}

// lineDiff returns the lines only in a and the lines only in b.
func lineDiff(a, b []string) (onlyA, onlyB []string) {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, l := range a {
		inA[l] = true
	}
	for _, l := range b {
		inB[l] = true
	}
	for _, l := range a {
		if l != "" && !inB[l] {
			onlyA = append(onlyA, l)
		}
	}
	for _, l := range b {
		if !inA[l] {
			onlyB = append(onlyB, l)
		}
	}
	return onlyA, onlyB
}

// head joins at most 20 lines for an error message.
func head(ls []string) string {
	if len(ls) > 20 {
		ls = append(ls[:20:20], fmt.Sprintf("… and %d more", len(ls)-20))
	}
	return "\t" + strings.Join(ls, "\n\t")
}

// unreachable lists rules that no combination can produce, each with the
// reason. It is empty: every rule of the rulebook is produced by the matrix.
var unreachable = map[string]string{}

// TestEveryRuleIsProduced checks that the rulebook holds no dead rule: each
// rule is the answer to at least one combination of the matrix.
func TestEveryRuleIsProduced(t *testing.T) {
	produced := map[string]int{}
	for _, c := range matrix() {
		produced[policy.Decide(c.actor, c.action, c.target).Rule.ID]++
	}
	for _, r := range policy.Rules {
		_, excused := unreachable[r.ID]
		switch {
		case produced[r.ID] == 0 && !excused:
			t.Errorf("rule %s is never produced by the matrix", r.ID)
		case produced[r.ID] > 0 && excused:
			t.Errorf("rule %s is listed as unreachable but is produced %d times", r.ID, produced[r.ID])
		}
	}
}

// TestDecideEdges covers facts outside the seven profiles: accounts that
// should not exist but must still be refused, and targets with missing parts.
func TestDecideEdges(t *testing.T) {
	externalCM := person(8, relais.External, false, relais.RoleCommunityManager)
	cm := profiles[5].actor
	community := &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceMixed, JoinPolicy: relais.JoinByCriteria}
	tests := []struct {
		name   string
		actor  policy.Actor
		action policy.Action
		target policy.Target
		effect policy.Effect
		rule   string
	}{
		{"an external account holding the CM role gets no oversight", externalCM, policy.ReadPosts,
			policy.Target{Space: community}, policy.Deny, "community.non_member"},
		{"an external account holding the CM role grants no role", externalCM, policy.GrantRole,
			policy.Target{Role: relais.RoleSocialMediaManager, Subject: &cm}, policy.Deny, "role.authority"},
		{"granting the CM role to an unknown subject is refused", cm, policy.GrantRole,
			policy.Target{Role: relais.RoleCommunityManager}, policy.Deny, "role.cm_internal_only"},
		{"a criteria community without criteria lets anyone join", cm, policy.JoinSpace,
			policy.Target{Space: community}, policy.Allow, "community.join.criteria_met"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := policy.Decide(tt.actor, tt.action, tt.target)
			if d.Effect != tt.effect || d.Rule.ID != tt.rule {
				t.Errorf("got %s %s, want %s %s", d.Effect, d.Rule.ID, tt.effect, tt.rule)
			}
			checkDecision(t, d)
		})
	}
	t.Run("a space action without a space panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("Decide did not panic")
			}
		}()
		policy.Decide(cm, policy.ViewSpace, policy.Target{})
	})
}

// TestReadReportImpliesView: whoever may read a space's figures may see the
// space, but a team's coach, who sees the figures and nothing else. The
// analytics service relies on it to ask ReadReport alone.
func TestReadReportImpliesView(t *testing.T) {
	for _, c := range matrix() {
		if c.action != policy.ReadReport || c.target.Space == nil {
			continue
		}
		d := policy.Decide(c.actor, policy.ReadReport, c.target)
		if d.Effect != policy.Allow || d.Rule.ID == policy.RuleCoachingFigures {
			continue
		}
		if v := policy.Decide(c.actor, policy.ViewSpace, c.target); v.Effect != policy.Allow {
			t.Errorf("%s: reads the figures (%s) but may not see the space (%s)", c.label(), d.Rule.ID, v.Rule.ID)
		}
	}
}
