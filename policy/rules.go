package policy

// Rule is one entry of the rulebook: an id and the sentence that explains it
// in French and in English. The same text is shown by the in-app rulebook,
// by a denied button in the web UI and by a 403 of the API.
type Rule struct {
	ID string `json:"id"`
	FR string `json:"fr"`
	EN string `json:"en"`
}

// Rule ids. Every decision names one of them.
const (
	RuleTeamMember            = "team.member"
	RuleTeamOutsider          = "team.outsider"
	RuleTeamExternal          = "team.external"
	RuleTeamJoinDirectory     = "team.join.directory"
	RuleCommunityVisible      = "community.visible"
	RuleCommunityAudience     = "community.audience"
	RuleCommunityMember       = "community.member"
	RuleCommunityNonMember    = "community.non_member"
	RuleCommunityOversight    = "community.cm_oversight"
	RuleJoinOpen              = "community.join.open"
	RuleJoinRequest           = "community.join.request"
	RuleJoinCriteriaMet       = "community.join.criteria_met"
	RuleJoinCriteriaUnmet     = "community.join.criteria_unmet"
	RuleJoinAlreadyMember     = "community.join.already_member"
	RuleJoinDecide            = "community.join.decide"
	RuleJoinDecideStewards    = "community.join.stewards_only"
	RuleCoPilotApproval       = "copilot.approval"
	RuleRoleAuthority         = "role.authority"
	RuleRoleGrant             = "role.grant"
	RuleRoleCMInternalOnly    = "role.cm_internal_only"
	RuleRoleAdminGrant        = "role.admin_grant"
	RuleCharterAccept         = "charter.accept"
	RuleCharterEdit           = "charter.edit"
	RuleCharterEditors        = "charter.editors_only"
	RuleApprovalMentorDecides = "copilot.mentor_decides"
	RuleApprovalMentor        = "copilot.mentor_only"
	RuleApprovalOwn           = "copilot.no_self_approval"
	RuleAuditGovernance       = "audit.governance"
	RuleDirectoryInternal     = "directory.internal"
	RuleDirectoryExternal     = "directory.external"
)

// Rules is the rulebook: every rule the policy enforces, in a stable order.
var Rules = []Rule{
	{RuleTeamMember,
		"Les membres d'une équipe et son manager lisent et contribuent dans l'espace de leur équipe.",
		"The members of a team and its manager read and contribute in their team space."},
	{RuleTeamOutsider,
		"Un espace d'équipe est fermé : seuls les membres de l'équipe et son manager y entrent — ni le community manager, ni les social media managers, ni les administrateurs, ni les autres équipes.",
		"A team space is closed: only the members of the team and its manager enter it — not the community manager, the social media managers, the administrators or other teams."},
	{RuleTeamExternal,
		"Un compte externe (client, partenaire, prestataire) n'entre jamais dans un espace d'équipe.",
		"An external account (customer, partner, agency) never enters a team space."},
	{RuleTeamJoinDirectory,
		"Les membres d'un espace d'équipe suivent l'annuaire de l'entreprise : on n'y entre pas et on n'en sort pas à la main.",
		"The members of a team space follow the company directory: nobody joins or leaves it by hand."},
	{RuleCommunityVisible,
		"Une communauté est visible de tous ceux à qui son public est ouvert, avec sa charte, pour qu'ils puissent la rejoindre.",
		"A community is visible, with its charter, to everyone its audience is open to, so that they can join it."},
	{RuleCommunityAudience,
		"Une communauté interne est réservée aux salariés : les comptes externes (clients, partenaires) ne voient que les communautés externes ou mixtes.",
		"An internal community is for employees only: external accounts (customers, partners) see only external and mixed communities."},
	{RuleCommunityMember,
		"Les membres d'une communauté et ses animateurs y lisent, publient, répondent et réagissent.",
		"The members of a community and its stewards read, post, reply and react in it."},
	{RuleCommunityNonMember,
		"Seuls les membres d'une communauté y lisent et y contribuent : rejoignez-la d'abord en acceptant sa charte.",
		"Only the members of a community read and contribute in it: join it first by accepting its charter."},
	{RuleCommunityOversight,
		"Le community manager lit toutes les communautés pour gouverner l'ensemble ; il n'y contribue que s'il en est membre.",
		"The community manager reads every community to govern the whole; they contribute only where they are a member."},
	{RuleJoinOpen,
		"Une communauté ouverte accueille toute personne de son public qui accepte sa charte.",
		"An open community welcomes anyone of its audience who accepts its charter."},
	{RuleJoinRequest,
		"Pour rejoindre cette communauté, un animateur doit approuver votre demande.",
		"To join this community, a steward must approve your request."},
	{RuleJoinCriteriaMet,
		"Vous remplissez les critères de l'annuaire (unité, site, métier, statut) fixés pour rejoindre cette communauté.",
		"You meet the directory criteria (unit, site, job family, employment) set for joining this community."},
	{RuleJoinCriteriaUnmet,
		"Cette communauté est réservée aux personnes qui remplissent ses critères d'annuaire (unité, site, métier, statut).",
		"This community is reserved for people who meet its directory criteria (unit, site, job family, employment)."},
	{RuleJoinAlreadyMember,
		"Vous êtes déjà membre de cet espace.",
		"You are already a member of this space."},
	{RuleJoinDecide,
		"Les animateurs d'une communauté, et le community manager, approuvent ou refusent les demandes d'adhésion ; un refus donne sa raison au demandeur.",
		"The stewards of a community, and the community manager, approve or refuse requests to join it; a refusal gives the requester its reason."},
	{RuleJoinDecideStewards,
		"Seuls les animateurs de la communauté et le community manager décident des demandes d'adhésion.",
		"Only the stewards of the community and the community manager decide on requests to join it."},
	{RuleCoPilotApproval,
		"Pendant la période de doubles commandes, chaque action visible d'un social media manager externe attend l'approbation de son mentor interne.",
		"During the co-pilot period, every visible action of an outsourced social media manager waits for the approval of their internal mentor."},
	{RuleRoleAuthority,
		"Seuls un administrateur et le community manager attribuent les rôles.",
		"Only an administrator or the community manager assigns roles."},
	{RuleRoleGrant,
		"Un administrateur ou le community manager peut attribuer ce rôle.",
		"An administrator or the community manager may assign this role."},
	{RuleRoleCMInternalOnly,
		"Le rôle de community manager n'est jamais confié à un compte externe : il gouverne l'ensemble et doit être salarié de l'entreprise.",
		"The community manager role is never held by an external account: it governs the whole and must be an employee of the company."},
	{RuleRoleAdminGrant,
		"Seul un administrateur attribue le rôle d'administrateur, et seulement à un salarié de l'entreprise.",
		"Only an administrator grants the administrator role, and only to an employee of the company."},
	{RuleCharterAccept,
		"Pour contribuer, un membre accepte la version actuelle de la charte de l'espace ; quand elle change, il la relit et l'accepte à nouveau.",
		"To contribute, a member accepts the current version of the space's charter; when it changes, they read it and accept it again."},
	{RuleCharterEdit,
		"Les animateurs internes d'une communauté, le community manager et le manager d'une équipe (pour son espace) publient une nouvelle version de la charte ; les membres la relisent et l'acceptent avant de contribuer à nouveau.",
		"The internal stewards of a community, the community manager and a team's manager (for its space) publish a new version of the charter; members read and accept it before they contribute again."},
	{RuleCharterEditors,
		"Seuls les animateurs internes, le community manager et, pour un espace d'équipe, son manager publient la charte.",
		"Only the internal stewards, the community manager and, for a team space, its manager publish the charter."},
	{RuleApprovalMentorDecides,
		"Le mentor interne d'un social media manager en doubles commandes approuve ou refuse, avec une raison, chacune de ses actions visibles.",
		"The internal mentor of a social media manager in co-pilot approves, or rejects with a reason, each of their visible actions."},
	{RuleApprovalMentor,
		"Seul le mentor interne désigné approuve les actions d'un social media manager en doubles commandes.",
		"Only the appointed internal mentor approves the actions of a social media manager in co-pilot."},
	{RuleApprovalOwn,
		"Personne n'approuve sa propre demande.",
		"Nobody approves their own request."},
	{RuleAuditGovernance,
		"Le journal d'audit des actions de gouvernance (rôles, approbations, chartes, espaces) est lu par le community manager et les administrateurs.",
		"The audit trail of governance actions (roles, approvals, charters, spaces) is read by the community manager and the administrators."},
	{RuleDirectoryInternal,
		"Les salariés voient l'annuaire des personnes de l'organisation.",
		"Employees see the directory of the organization's people."},
	{RuleDirectoryExternal,
		"Un compte externe ne voit, parmi les personnes, que les membres de ses espaces.",
		"An external account sees, of people, only the members of its own spaces."},
}

var byID = func() map[string]Rule {
	m := make(map[string]Rule, len(Rules))
	for _, r := range Rules {
		if _, dup := m[r.ID]; dup {
			panic("policy: duplicate rule " + r.ID)
		}
		m[r.ID] = r
	}
	return m
}()

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	r, ok := byID[id]
	return r, ok
}
