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

	// Animation of a space by its stewards (a team's manager in their
	// team space).

	// FlagPost is reporting a post to the stewards' moderation queue.
	FlagPost Action = "post.flag"
	// ModeratePost is hiding a post with a reason, restoring it, dismissing
	// flags and reading the moderation queue.
	ModeratePost Action = "post.moderate"
	// PinPost is pinning a thread at the top of the space, or unpinning it.
	PinPost Action = "post.pin"
	// SchedulePost is preparing a post that appears later, on its own.
	SchedulePost Action = "post.schedule"
	// SetWelcome is writing the message each new member receives.
	SetWelcome Action = "space.welcome"
	// Invite is inviting a person to join a community.
	Invite Action = "member.invite"
	// RemoveMember is removing a member from a community, with a reason.
	RemoveMember Action = "member.remove"
	// ConfigureJoin is changing a community's join policy and criteria.
	ConfigureJoin Action = "space.configure"

	// Governance of the co-pilot period and of stewardship.

	// ConfirmOnboarding is ticking an item of the onboarding checklist of
	// a social media manager in co-pilot.
	ConfirmOnboarding Action = "copilot.onboarding"
	// EndCoPilot is ending the co-pilot period of a social media manager.
	EndCoPilot Action = "copilot.end"
	// AssignSteward is making a social media manager a steward of a
	// community, or withdrawing them.
	AssignSteward Action = "steward.assign"

	// From conversation to decision.

	// RaiseSignal is routing a post or thread to whoever should decide: a
	// named person or a business unit.
	RaiseSignal Action = "signal.raise"
	// SuggestSignal is a participant proposing a signal to the stewards.
	SuggestSignal Action = "signal.suggest"
	// Escalate is handing a difficult situation to the community manager
	// or a named responsible person.
	Escalate Action = "escalation.raise"
	// ReadReport is reading a space's periodic report.
	ReadReport Action = "report.read"
	// NarrateReport is writing the steward's own words for a report.
	NarrateReport Action = "report.narrate"
	// DecideSignal is acknowledging, accepting, rejecting, planning or
	// closing a signal one owns.
	DecideSignal Action = "signal.decide"
	// ResolveEscalation is resolving an escalation; with no escalation
	// named, reading all of them.
	ResolveEscalation Action = "escalation.resolve"
	// ManageWebhooks is configuring outbound webhooks and reading their
	// delivery log.
	ManageWebhooks Action = "webhook.manage"

	// The community manager's cockpit.

	// Govern is editing the strategic plan and the catalog of value
	// propositions, deciding space requests, allocating social media
	// managers' hours and reading the governance health.
	Govern Action = "cockpit.govern"
	// ReadPlan is reading the strategic plan, its objectives and the
	// catalog of value propositions.
	ReadPlan Action = "plan.read"
	// RequestSpace is a business unit asking for a new community.
	RequestSpace Action = "space.request"
	// RenameRoles is giving the organization's own names to the roles.
	RenameRoles Action = "roles.rename"

	// OptInLeaderboard is a space opting in to showing a leaderboard of
	// its members who opted in themselves.
	OptInLeaderboard Action = "space.leaderboard"
	// ManageDirectory is importing the directory (CSV, SCIM) that accounts
	// and teams come from.
	ManageDirectory Action = "directory.manage"

	// Mentor is the actor being appointed mentor of a social media manager
	// in co-pilot.
	Mentor Action = "copilot.mentor"
	// OwnDecision is the actor being made owner of a signal or assignee of
	// an escalation: someone who decides for the company.
	OwnDecision Action = "decision.own"
)

// Actions of the team's work: routines, actionable items, the best-practice
// library, coaching and contribution agreements.
const (
	// ManageRoutines is starting, pausing and editing a space's routines.
	ManageRoutines Action = "routine.manage"
	// ManageTasks is turning a reply into a coordination task, assigning
	// it and marking it done.
	ManageTasks Action = "task.manage"
	// SolveProblem is marking the reply that solves a problem (and
	// reopening it). Target.Author tells whether the actor wrote it.
	SolveProblem Action = "problem.solve"
	// SharePractice is adding a best practice of the space to the library:
	// the space's consent to its reuse.
	SharePractice Action = "practice.share"
	// ProposeAgreement is proposing the time one gives a community.
	ProposeAgreement Action = "agreement.propose"

	// ReadLibrary is browsing the best-practice library and reusing it.
	ReadLibrary Action = "practice.library"
	// DecideAgreement is approving or declining a contribution agreement;
	// Target.Manager tells whether the actor manages the person.
	DecideAgreement Action = "agreement.decide"
	// RequestCoaching is a manager asking for coaching: Target.Manager
	// tells whether the actor manages the team, Subject is the coach.
	RequestCoaching Action = "coaching.request"
	// TakePartCoaching is reading or writing in a coaching thread:
	// Target.Member tells whether the actor is one of its two parties.
	TakePartCoaching Action = "coaching.take_part"

	// WithdrawAgreement is withdrawing a contribution agreement:
	// Target.Owner tells whether the actor proposed it.
	WithdrawAgreement Action = "agreement.withdraw"
	// ReusePractice is opening, in a space, a thread from a practice of
	// the library: Target.Space is the space it would open in.
	ReusePractice Action = "practice.reuse"
	// ReadSignal is reading a signal: Target.Owner tells whether the actor
	// owns it, Target.Author whether they raised it, Target.Member whether
	// they read the thread it comes from, Target.Manager whether they
	// manage the team of a team space, Target.Stale whether it was left
	// unanswered past its deadline.
	ReadSignal Action = "signal.read"
	// ReadEscalation is reading an escalation, with the same facts as
	// ReadSignal (Target.Owner: the actor is its assignee; Target.Stale:
	// it is overdue).
	ReadEscalation Action = "escalation.read"
	// ViewCoPilot is learning that a person (Target.Subject) is in their
	// co-pilot period, and who their mentor is: the internal governance
	// of an outsourced social media manager's start.
	ViewCoPilot Action = "copilot.view"
	// ViewProfile is seeing a person's profile (unit, site, job family,
	// shared spaces) and finding them in the directory's listing.
	// Target.Member tells whether the actor shares a space with the person
	// (or is that person), Target.Restricted whether the person shows
	// their profile to the members of their spaces only.
	ViewProfile Action = "profile.view"
)

// Actions of operating the installation.
const (
	// ReadMetrics is reading the operational metrics (GET /metrics on the
	// main address): the routes used, volumes and durations tell an
	// outsider how the organization uses Relais.
	ReadMetrics Action = "metrics.read"
)

// Actions lists every action, in a stable order.
var Actions = []Action{ViewSpace, ReadPosts, JoinSpace, CreatePost, CreateReply, React, DecideJoin, EditCharter, AcceptCharter,
	FlagPost, ModeratePost, PinPost, SchedulePost, SetWelcome, Invite, RemoveMember, ConfigureJoin,
	RaiseSignal, SuggestSignal, Escalate, ReadReport, NarrateReport, OptInLeaderboard,
	GrantRole, ViewDirectory, DecideApproval, ViewAudit, ConfirmOnboarding, EndCoPilot, AssignSteward,
	DecideSignal, ResolveEscalation, ManageWebhooks, Govern, ReadPlan, RequestSpace, RenameRoles, ManageDirectory,
	Mentor, OwnDecision,
	ManageRoutines, ManageTasks, SolveProblem, SharePractice, ProposeAgreement,
	ReadLibrary, DecideAgreement, RequestCoaching, TakePartCoaching, ViewProfile,
	WithdrawAgreement, ReusePractice, ReadSignal, ReadEscalation, ReadMetrics, ViewCoPilot}

// SpaceActions are the actions whose target is a space the actor relates
// to; the others apply to accounts or to the organization.
func (a Action) SpaceAction() bool {
	switch a {
	case GrantRole, ViewDirectory, DecideApproval, ViewAudit, ConfirmOnboarding, EndCoPilot, AssignSteward,
		DecideSignal, ResolveEscalation, ManageWebhooks, Govern, ReadPlan, RequestSpace, RenameRoles, ManageDirectory,
		Mentor, OwnDecision, ReadLibrary, DecideAgreement, RequestCoaching, TakePartCoaching, ViewProfile,
		WithdrawAgreement, ReadSignal, ReadEscalation, ReadMetrics, ViewCoPilot:
		return false
	}
	return true
}

// visible reports whether the action makes something visible to others, so
// that an actor in co-pilot needs a mentor's approval for it. Routing a
// signal or escalating (and dismissing a participant's suggestion, which
// the stewards do as routing) is seen by the owner, the assignee, the
// thread and the webhooks' ticketing tools; reusing a practice opens a
// thread.
func (a Action) visible() bool {
	switch a {
	case CreatePost, CreateReply, React, DecideJoin, ModeratePost, PinPost, SchedulePost, SetWelcome, Invite, RemoveMember,
		RaiseSignal, Escalate, ReusePractice:
		return true
	}
	return false
}

// Visible reports whether members would see the result of the action, so
// that an actor in co-pilot needs their mentor's approval for it.
func (a Action) Visible() bool { return a.visible() }

// routes reports whether the action routes a situation out of the space,
// to whoever decides: a signal or an escalation.
func (a Action) routes() bool { return a == RaiseSignal || a == Escalate }

// animates reports whether the action belongs to the day-to-day animation
// of a space: what its stewards, or a team's manager, do.
func (a Action) animates() bool {
	return a == PinPost || a == SchedulePost || a == SetWelcome || a == Invite
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

	// For DecideApproval: who asked, and their mentor. For
	// ConfirmOnboarding: the mentor of Subject.
	RequesterID int64
	MentorID    int64

	// For EndCoPilot: whether every item of Subject's onboarding checklist
	// is done.
	ChecklistDone bool

	// Owner is true when the actor owns the signal (by name, or as head of
	// the unit it is routed to) or is the escalation's assignee.
	Owner bool
	// Sponsor is true when the actor heads the unit that sponsors the
	// space.
	Sponsor bool
	// Coach is true when the actor coaches the manager of the team that
	// owns the team space: they see its aggregate figures and nothing more.
	Coach bool
	// Author is true when the actor wrote the post the action applies to,
	// or raised the signal or escalation.
	Author bool
	// Stale is true when a signal was left unanswered past its deadline,
	// or an escalation is open past its deadline.
	Stale bool
	// Restricted is true when the person whose profile is asked for shows
	// it to the members of their spaces only.
	Restricted bool
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
	case ConfirmOnboarding:
		if a.Employment == relais.Internal && (a.UserID == t.MentorID || a.Has(relais.RoleCommunityManager)) {
			return decide(Allow, RuleOnboardingConfirm)
		}
		return decide(Deny, RuleOnboardingMentor)
	case EndCoPilot:
		switch {
		case a.Employment != relais.Internal || !a.Has(relais.RoleCommunityManager):
			return decide(Deny, RuleCoPilotEndCM)
		case !t.ChecklistDone:
			return decide(Deny, RuleCoPilotEndChecklist)
		}
		return decide(Allow, RuleCoPilotEnd)
	case AssignSteward:
		return decideSteward(a, t)
	case DecideSignal:
		if t.Owner {
			return decide(Allow, RuleSignalOwner)
		}
		return decide(Deny, RuleSignalOwnerOnly)
	case ResolveEscalation:
		if t.Owner || (a.Employment == relais.Internal && a.Has(relais.RoleCommunityManager)) {
			return decide(Allow, RuleEscalationResolve)
		}
		return decide(Deny, RuleEscalationAssignee)
	case ManageWebhooks:
		if a.Has(relais.RoleAdministrator) && a.Employment == relais.Internal {
			return decide(Allow, RuleWebhookAdmin)
		}
		return decide(Deny, RuleWebhookAdminOnly)
	case Govern:
		if a.Employment == relais.Internal && a.Has(relais.RoleCommunityManager) {
			return decide(Allow, RuleCockpitCM)
		}
		return decide(Deny, RuleCockpitCMOnly)
	case ReadPlan, RequestSpace:
		if a.Employment == relais.Internal {
			return decide(Allow, RulePlanInternal)
		}
		return decide(Deny, RulePlanInternalOnly)
	case Mentor:
		if a.Employment == relais.Internal && (a.Has(relais.RoleSocialMediaManager) || a.Has(relais.RoleCommunityManager)) {
			return decide(Allow, RuleApprovalMentorDecides)
		}
		return decide(Deny, RuleApprovalMentor)
	case OwnDecision:
		if a.Employment == relais.Internal {
			return decide(Allow, RuleDecisionEmployees)
		}
		return decide(Deny, RuleDecisionEmployeesOnly)
	case ReadMetrics:
		if a.Employment == relais.Internal && a.Has(relais.RoleAdministrator) {
			return decide(Allow, RuleMetricsAdmin)
		}
		return decide(Deny, RuleMetricsAdmin)
	case ManageDirectory:
		if a.Employment == relais.Internal && a.Has(relais.RoleAdministrator) {
			return decide(Allow, RuleDirectoryAdmin)
		}
		return decide(Deny, RuleDirectoryAdminOnly)
	case ReadLibrary:
		if a.Employment == relais.Internal {
			return decide(Allow, RulePracticeLibrary)
		}
		return decide(Deny, RulePracticeLibraryOnly)
	case DecideAgreement:
		if t.Manager && a.Employment == relais.Internal {
			return decide(Allow, RuleAgreementManager)
		}
		return decide(Deny, RuleAgreementManagerOnly)
	case WithdrawAgreement:
		if t.Owner {
			return decide(Allow, RuleAgreementWithdraw)
		}
		return decide(Deny, RuleAgreementWithdrawOwner)
	case RequestCoaching:
		switch {
		case !t.Manager || a.Employment != relais.Internal:
			return decide(Deny, RuleCoachingManagers)
		case t.Subject == nil || t.Subject.Employment != relais.Internal || t.Subject.CoPilot ||
			!(t.Subject.Has(relais.RoleCommunityManager) || t.Subject.Has(relais.RoleSocialMediaManager)):
			return decide(Deny, RuleCoachingCoaches)
		}
		return decide(Allow, RuleCoachingRequest)
	case ViewProfile:
		switch {
		case t.Member:
			return decide(Allow, RuleProfileShared)
		case a.Employment != relais.Internal:
			return decide(Deny, RuleDirectoryExternal)
		case a.Has(relais.RoleAdministrator) || a.Has(relais.RoleCommunityManager):
			return decide(Allow, RuleProfileGovernance)
		case t.Restricted:
			return decide(Deny, RuleProfileRestricted)
		}
		return decide(Allow, RuleProfileEveryone)
	case ReadSignal, ReadEscalation:
		return decideRoutedRead(a, act, t)
	case ViewCoPilot:
		// Who is in co-pilot, and under whose mentoring, is the company's
		// own governance: employees see it; an external account only of
		// itself (an outsourced manager reads their own period).
		if a.Employment == relais.Internal || (t.Subject != nil && t.Subject.UserID == a.UserID) {
			return decide(Allow, RuleCoPilotVisible)
		}
		return decide(Deny, RuleCoPilotVisibleInternal)
	case TakePartCoaching:
		if t.Member {
			return decide(Allow, RuleCoachingPrivate)
		}
		return decide(Deny, RuleCoachingPrivate)
	case RenameRoles:
		if a.Employment == relais.Internal && (a.Has(relais.RoleCommunityManager) || a.Has(relais.RoleAdministrator)) {
			return decide(Allow, RuleRolesRename)
		}
		return decide(Deny, RuleRolesRenameGovernance)
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
	case t.Coach && !t.Member:
		// A coach sees the team's figures and has no other presence.
		if act == ReadReport {
			return decide(Allow, RuleCoachingFigures)
		}
		return decide(Deny, RuleCoachingInvisible)
	case act == JoinSpace || act == DecideJoin || act == AcceptCharter || act == Invite || act == RemoveMember || act == ConfigureJoin:
		return decide(Deny, RuleTeamJoinDirectory)
	case act == ProposeAgreement:
		return decide(Deny, RuleAgreementCommunities)
	case !t.Member:
		return decide(Deny, RuleTeamOutsider)
	case act.animates() || act == ModeratePost || act == ManageRoutines:
		if t.Manager {
			return decide(Allow, RuleTeamManagerAnimates)
		}
		return decide(Deny, RuleTeamManagerOnly)
	case act.routes():
		// The manager routes what the team raises; members suggest.
		if t.Manager {
			return decide(Allow, RuleSignalRaise)
		}
		return decide(Deny, RuleSignalStewards)
	case act == ReadReport:
		if t.Manager {
			return decide(Allow, RuleReportRead)
		}
		return decide(Deny, RuleReportReaders)
	case act == NarrateReport:
		if t.Manager {
			return decide(Allow, RuleReportNarrate)
		}
		return decide(Deny, RuleReportNarrators)
	case act == OptInLeaderboard:
		if t.Manager {
			return decide(Allow, RuleLeaderboardOptIn)
		}
		return decide(Deny, RuleLeaderboardStewards)
	case act == SuggestSignal:
		return decide(Allow, RuleSignalSuggest)
	case act == SolveProblem:
		if t.Manager || t.Author {
			return decide(Allow, RuleProblemSolve)
		}
		return decide(Deny, RuleProblemSolvers)
	case act == SharePractice:
		if t.Manager {
			return decide(Allow, RulePracticeShare)
		}
		return decide(Deny, RulePracticeShareOwners)
	case act == ReusePractice:
		return decide(Allow, RulePracticeReuse)
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
	case ConfigureJoin:
		if a.Employment == relais.Internal && (t.Steward || a.Has(relais.RoleCommunityManager)) {
			return decide(Allow, RuleJoinConfigure)
		}
		return decide(Deny, RuleJoinConfigureEditors)
	case ModeratePost, RemoveMember:
		// Stewards moderate; the community manager, who governs the
		// whole, may step in anywhere.
		if t.Steward || (a.Has(relais.RoleCommunityManager) && a.Employment == relais.Internal) {
			return decide(Allow, RuleModerate)
		}
		return decide(Deny, RuleModerateStewards)
	case PinPost, SchedulePost, SetWelcome, Invite:
		if t.Steward {
			return decide(Allow, RuleAnimate)
		}
		return decide(Deny, RuleAnimateStewards)
	case FlagPost:
		if member {
			return decide(Allow, RuleFlag)
		}
		return decide(Deny, RuleCommunityNonMember)
	case RaiseSignal, Escalate:
		if t.Steward {
			return decide(Allow, RuleSignalRaise)
		}
		return decide(Deny, RuleSignalStewards)
	case SuggestSignal:
		if member {
			return decide(Allow, RuleSignalSuggest)
		}
		return decide(Deny, RuleCommunityNonMember)
	case ReadReport:
		if t.Steward || t.Sponsor || (a.Has(relais.RoleCommunityManager) && a.Employment == relais.Internal) {
			return decide(Allow, RuleReportRead)
		}
		return decide(Deny, RuleReportReaders)
	case NarrateReport:
		// The narrative is the steward's account; the CM and the sponsor
		// read it. Members never see it, so a co-pilot writes it directly.
		if t.Steward {
			return decide(Allow, RuleReportNarrate)
		}
		return decide(Deny, RuleReportNarrators)
	case OptInLeaderboard:
		// Ranking people is the space's choice, made by those who answer
		// for it: its internal stewards.
		if t.Steward && a.Employment == relais.Internal {
			return decide(Allow, RuleLeaderboardOptIn)
		}
		return decide(Deny, RuleLeaderboardStewards)
	case ManageRoutines:
		return decide(Deny, RuleRoutineTeams)
	case ManageTasks:
		return decide(Deny, RuleTaskTeams)
	case SolveProblem:
		if (t.Author && t.Member) || (t.Steward && a.Employment == relais.Internal) {
			return decide(Allow, RuleProblemSolve)
		}
		return decide(Deny, RuleProblemSolvers)
	case SharePractice:
		if t.Steward && a.Employment == relais.Internal {
			return decide(Allow, RulePracticeShare)
		}
		return decide(Deny, RulePracticeShareOwners)
	case ReusePractice:
		// The library is the employees': what it holds never reaches a
		// community whose audience includes externals.
		switch {
		case a.Employment != relais.Internal:
			return decide(Deny, RulePracticeLibraryOnly)
		case open:
			return decide(Deny, RulePracticeReuseInternal)
		case !member:
			return decide(Deny, RuleCommunityNonMember)
		case t.Member && !t.Steward && t.Space.Charter != nil && t.AcceptedCharter < t.Space.Charter.Version:
			return decide(Deny, RuleCharterAccept)
		}
		return decide(Allow, RulePracticeReuse)
	case ProposeAgreement:
		switch {
		case a.Employment != relais.Internal:
			return decide(Deny, RuleAgreementEmployees)
		case !member:
			return decide(Deny, RuleCommunityNonMember)
		}
		return decide(Allow, RuleAgreementPropose)
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

// decideRoutedRead decides who reads a signal or an escalation. Whoever
// raised it and whoever it goes to always do; a signal is shown in its
// thread to whoever reads it. In a community the community manager follows
// them all; a team space's stay with the team (its manager, for an
// escalation) and reach the community manager only once overdue, when
// they chase whoever should answer.
func decideRoutedRead(a Actor, act Action, t Target) Decision {
	if t.Owner || t.Author {
		return decide(Allow, RuleRoutingParties)
	}
	if t.Space == nil {
		panic("policy: " + string(act) + " needs a space")
	}
	cm := a.Employment == relais.Internal && a.Has(relais.RoleCommunityManager)
	team := t.Space.Kind != relais.SpaceCommunity
	switch {
	case act == ReadSignal && t.Member && !(team && a.Employment != relais.Internal):
		return decide(Allow, RuleSignalThread)
	case !team && cm:
		return decide(Allow, RuleRoutingCommunityCM)
	case !team:
		return decide(Deny, RuleRoutingReaders)
	case act == ReadEscalation && t.Manager && a.Employment == relais.Internal:
		return decide(Allow, RuleRoutingTeamManager)
	case cm && t.Stale:
		return decide(Allow, RuleRoutingTeamOverdue)
	}
	return decide(Deny, RuleRoutingTeamClosed)
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

func decideSteward(a Actor, t Target) Decision {
	switch {
	case a.Employment != relais.Internal || !a.Has(relais.RoleCommunityManager):
		return decide(Deny, RuleStewardAssignCM)
	case t.Space == nil || t.Space.Kind != relais.SpaceCommunity:
		return decide(Deny, RuleStewardCommunityOnly)
	case t.Subject == nil || !t.Subject.Has(relais.RoleSocialMediaManager):
		return decide(Deny, RuleStewardSMMOnly)
	case t.Subject.Employment != relais.Internal && t.Space.Audience == relais.AudienceInternal:
		return decide(Deny, RuleCommunityAudience)
	}
	return decide(Allow, RuleStewardAssign)
}
