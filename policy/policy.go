// Package policy holds every role rule of Relais and nothing else. Decide is
// a pure function: the services load the facts (who the actor is, what the
// target is, how they relate), ask Decide, and obey. The rulebook, the web
// UI's buttons and the API's 403s all come from here.
package policy

import (
	"slices"

	"relais"
)

// Effect is the outcome of a decision.
type Effect int

// Effects.
const (
	Deny Effect = iota
	Allow
	NeedsApproval
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "allow"
	case NeedsApproval:
		return "needs_approval"
	}
	return "deny"
}

// Action is something an actor wants to do.
type Action string

// Actions of the foundation.
const (
	ViewSpace   Action = "space.view"  // see that the space exists, its name and charter
	ReadPosts   Action = "space.read"  // read its threads and replies
	JoinSpace   Action = "space.join"  // become a member
	CreatePost  Action = "post.create" // open a thread
	CreateReply Action = "reply.create"
	React       Action = "reaction.create"
	GrantRole   Action = "role.grant" // give an organization-wide role to an account
	// DecideJoin is approving or refusing a request to join a community.
	DecideJoin Action = "join.decide"
	// EditCharter is publishing a new version of a space's charter.
	EditCharter Action = "charter.edit"
	// AcceptCharter is accepting the current version of the charter of a
	// space one belongs to.
	AcceptCharter Action = "charter.accept"
	// ViewDirectory is seeing the whole directory of people; who may not
	// sees only the members of their own spaces.
	ViewDirectory Action = "directory.view"
	// DecideApproval is approving or rejecting what an actor in co-pilot
	// submitted.
	DecideApproval Action = "approval.decide"
	// ViewAudit is reading the audit trail of governance actions.
	ViewAudit Action = "audit.view"
)

// Actions lists every action, in a stable order.
var Actions = []Action{ViewSpace, ReadPosts, JoinSpace, CreatePost, CreateReply, React, DecideJoin, EditCharter, AcceptCharter, GrantRole, ViewDirectory, DecideApproval, ViewAudit}

// visible reports whether the action makes something visible to others, so
// that an actor in co-pilot needs a mentor's approval for it.
func (a Action) visible() bool {
	return a == CreatePost || a == CreateReply || a == React || a == DecideJoin
}

// contributes reports whether the action adds to a space's conversation.
func (a Action) contributes() bool {
	return a == CreatePost || a == CreateReply || a == React
}

// Actor is who acts, with the directory facts the rules read.
type Actor struct {
	UserID     int64
	Employment relais.Employment
	Roles      []relais.Role
	CoPilot    bool
	UnitID     int64
	Site       string
	JobFamily  string
}

// ActorOf returns the actor for a user.
func ActorOf(u *relais.User) Actor {
	return Actor{UserID: u.ID, Employment: u.Employment, Roles: u.Roles, CoPilot: u.CoPilot,
		UnitID: u.UnitID, Site: u.Site, JobFamily: u.JobFamily}
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r relais.Role) bool { return slices.Contains(a.Roles, r) }

// Target is what the action applies to, with the actor's relation to it.
type Target struct {
	Space *relais.Space
	// Member is true when the actor belongs to the space: a member of the
	// team (or its manager) for a team space, a member of a community.
	Member bool
	// Steward is true when the actor animates the community.
	Steward bool
	// Manager is true when the actor manages the team that owns the team
	// space.
	Manager bool
	// AcceptedCharter is the charter version the actor accepted when they
	// joined (or accepted since); Space.Charter holds the current one.
	AcceptedCharter int

	// For GrantRole: the role and the account that would receive it.
	Role    relais.Role
	Subject *Actor

	// For DecideApproval: who asked, and their mentor.
	RequesterID int64
	MentorID    int64
}

// Decision is the answer of the policy: an effect, the rule that produced it
// and that rule's sentences.
type Decision struct {
	Effect Effect
	Rule   Rule
}

// Allowed reports whether the action may proceed (possibly pending approval).
func (d Decision) Allowed() bool { return d.Effect != Deny }

// Err returns nil when allowed, else a forbidden error naming the rule.
func (d Decision) Err() error {
	if d.Effect != Deny {
		return nil
	}
	return &relais.Error{Code: relais.EFORBIDDEN, Rule: d.Rule.ID, Message: d.Rule.EN, MessageFR: d.Rule.FR}
}

func decide(e Effect, rule string) Decision {
	r, ok := byID[rule]
	if !ok {
		panic("policy: unknown rule " + rule)
	}
	return Decision{Effect: e, Rule: r}
}

// Decide applies the rules to one action of one actor on one target.
func Decide(a Actor, act Action, t Target) Decision {
	switch act {
	case GrantRole:
		return decideRole(a, t)
	case ViewDirectory:
		if a.Employment == relais.Internal {
			return decide(Allow, RuleDirectoryInternal)
		}
		return decide(Deny, RuleDirectoryExternal)
	case ViewAudit:
		if a.Employment == relais.Internal && (a.Has(relais.RoleCommunityManager) || a.Has(relais.RoleAdministrator)) {
			return decide(Allow, RuleAuditGovernance)
		}
		return decide(Deny, RuleAuditGovernance)
	case DecideApproval:
		switch {
		case a.UserID == t.RequesterID:
			return decide(Deny, RuleApprovalOwn)
		case a.UserID != t.MentorID || a.Employment != relais.Internal:
			return decide(Deny, RuleApprovalMentor)
		}
		return decide(Allow, RuleApprovalMentorDecides)
	}
	if t.Space == nil {
		panic("policy: " + string(act) + " needs a space")
	}
	var d Decision
	switch t.Space.Kind {
	case relais.SpaceCommunity:
		d = decideCommunity(a, act, t)
	default: // a team space, or a space of unknown kind, is closed
		d = decideTeam(a, act, t)
	}
	if d.Effect == Allow && a.CoPilot && act.visible() {
		return decide(NeedsApproval, RuleCoPilotApproval)
	}
	return d
}

func decideTeam(a Actor, act Action, t Target) Decision {
	switch {
	case a.Employment != relais.Internal:
		return decide(Deny, RuleTeamExternal)
	case act == JoinSpace || act == DecideJoin || act == AcceptCharter:
		return decide(Deny, RuleTeamJoinDirectory)
	case !t.Member:
		return decide(Deny, RuleTeamOutsider)
	case act == EditCharter && !t.Manager:
		return decide(Deny, RuleCharterEditors)
	case act == EditCharter:
		return decide(Allow, RuleCharterEdit)
	}
	return decide(Allow, RuleTeamMember)
}

func decideCommunity(a Actor, act Action, t Target) Decision {
	open := t.Space.Audience == relais.AudienceExternal || t.Space.Audience == relais.AudienceMixed
	if a.Employment != relais.Internal && !open {
		return decide(Deny, RuleCommunityAudience)
	}
	member := t.Member || t.Steward
	if t.Member && !t.Steward && act.contributes() && t.Space.Charter != nil && t.AcceptedCharter < t.Space.Charter.Version {
		return decide(Deny, RuleCharterAccept)
	}
	switch act {
	case ViewSpace:
		return decide(Allow, RuleCommunityVisible)
	case JoinSpace:
		return decideJoin(a, t)
	case DecideJoin:
		if t.Steward || (a.Has(relais.RoleCommunityManager) && a.Employment == relais.Internal) {
			return decide(Allow, RuleJoinDecide)
		}
		return decide(Deny, RuleJoinDecideStewards)
	case EditCharter:
		// The charter frames everyone's field of action: internal stewards
		// and the community manager publish it, not an outsourced agency.
		if a.Employment == relais.Internal && (t.Steward || a.Has(relais.RoleCommunityManager)) {
			return decide(Allow, RuleCharterEdit)
		}
		return decide(Deny, RuleCharterEditors)
	case AcceptCharter:
		if t.Member || t.Steward {
			return decide(Allow, RuleCommunityMember)
		}
		return decide(Deny, RuleCommunityNonMember)
	case ReadPosts:
		if member {
			return decide(Allow, RuleCommunityMember)
		}
		if a.Has(relais.RoleCommunityManager) && a.Employment == relais.Internal {
			return decide(Allow, RuleCommunityOversight)
		}
		return decide(Deny, RuleCommunityNonMember)
	}
	if member {
		return decide(Allow, RuleCommunityMember)
	}
	return decide(Deny, RuleCommunityNonMember)
}

func decideJoin(a Actor, t Target) Decision {
	if t.Member || t.Steward {
		return decide(Deny, RuleJoinAlreadyMember)
	}
	switch t.Space.JoinPolicy {
	case relais.JoinOpen:
		return decide(Allow, RuleJoinOpen)
	case relais.JoinByCriteria:
		if Meets(a, t.Space.Criteria) {
			return decide(Allow, RuleJoinCriteriaMet)
		}
		return decide(Deny, RuleJoinCriteriaUnmet)
	}
	return decide(NeedsApproval, RuleJoinRequest)
}

// Meets reports whether the actor's directory attributes match the criteria.
// Each non-empty list must contain the actor's value.
func Meets(a Actor, c *relais.JoinCriteria) bool {
	if c == nil {
		return true
	}
	return (len(c.UnitIDs) == 0 || slices.Contains(c.UnitIDs, a.UnitID)) &&
		(len(c.Sites) == 0 || slices.Contains(c.Sites, a.Site)) &&
		(len(c.JobFamilies) == 0 || slices.Contains(c.JobFamilies, a.JobFamily)) &&
		(len(c.Employments) == 0 || slices.Contains(c.Employments, a.Employment))
}

func decideRole(a Actor, t Target) Decision {
	if !a.Has(relais.RoleAdministrator) && !(a.Has(relais.RoleCommunityManager) && a.Employment == relais.Internal) {
		return decide(Deny, RuleRoleAuthority)
	}
	if t.Role == relais.RoleCommunityManager && (t.Subject == nil || t.Subject.Employment != relais.Internal) {
		return decide(Deny, RuleRoleCMInternalOnly)
	}
	if t.Role == relais.RoleAdministrator && (!a.Has(relais.RoleAdministrator) || t.Subject == nil || t.Subject.Employment != relais.Internal) {
		return decide(Deny, RuleRoleAdminGrant)
	}
	return decide(Allow, RuleRoleGrant)
}
