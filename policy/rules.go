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
	RuleTeamMember             = "team.member"
	RuleTeamOutsider           = "team.outsider"
	RuleTeamExternal           = "team.external"
	RuleTeamJoinDirectory      = "team.join.directory"
	RuleCommunityVisible       = "community.visible"
	RuleCommunityAudience      = "community.audience"
	RuleCommunityMember        = "community.member"
	RuleCommunityNonMember     = "community.non_member"
	RuleCommunityOversight     = "community.cm_oversight"
	RuleJoinOpen               = "community.join.open"
	RuleJoinRequest            = "community.join.request"
	RuleJoinCriteriaMet        = "community.join.criteria_met"
	RuleJoinCriteriaUnmet      = "community.join.criteria_unmet"
	RuleJoinAlreadyMember      = "community.join.already_member"
	RuleJoinDecide             = "community.join.decide"
	RuleJoinDecideStewards     = "community.join.stewards_only"
	RuleCoPilotApproval        = "copilot.approval"
	RuleRoleAuthority          = "role.authority"
	RuleRoleGrant              = "role.grant"
	RuleRoleCMInternalOnly     = "role.cm_internal_only"
	RuleRoleAdminGrant         = "role.admin_grant"
	RuleCharterAccept          = "charter.accept"
	RuleCharterEdit            = "charter.edit"
	RuleCharterEditors         = "charter.editors_only"
	RuleApprovalMentorDecides  = "copilot.mentor_decides"
	RuleApprovalMentor         = "copilot.mentor_only"
	RuleApprovalOwn            = "copilot.no_self_approval"
	RuleAuditGovernance        = "audit.governance"
	RuleDirectoryInternal      = "directory.internal"
	RuleDirectoryExternal      = "directory.external"
	RuleTeamManagerAnimates    = "team.manager.animates"
	RuleTeamManagerOnly        = "team.manager_only"
	RuleJoinConfigure          = "community.join.configure"
	RuleJoinConfigureEditors   = "community.join.configure_editors"
	RuleModerate               = "moderation.moderate"
	RuleModerateStewards       = "moderation.stewards_only"
	RuleAnimate                = "animation.steward"
	RuleAnimateStewards        = "animation.stewards_only"
	RuleFlag                   = "moderation.flag"
	RuleOnboardingConfirm      = "copilot.onboarding"
	RuleOnboardingMentor       = "copilot.onboarding.mentor_only"
	RuleCoPilotEnd             = "copilot.end"
	RuleCoPilotEndCM           = "copilot.end.cm_only"
	RuleCoPilotEndChecklist    = "copilot.end.checklist"
	RuleCoPilotVisible         = "copilot.visible"
	RuleCoPilotVisibleInternal = "copilot.visible.internal_only"
	RuleStewardAssign          = "steward.assign"
	RuleStewardAssignCM        = "steward.assign.cm_only"
	RuleStewardCommunityOnly   = "steward.community_only"
	RuleStewardSMMOnly         = "steward.smm_only"
	RuleSignalRaise            = "signal.raise"
	RuleSignalStewards         = "signal.stewards_only"
	RuleSignalSuggest          = "signal.suggest"
	RuleSignalOwner            = "signal.owner_decides"
	RuleSignalOwnerOnly        = "signal.owner_only"
	RuleEscalationResolve      = "escalation.resolve"
	RuleEscalationAssignee     = "escalation.assignee_only"
	RuleReportRead             = "report.read"
	RuleReportReaders          = "report.readers_only"
	RuleWebhookAdmin           = "webhook.admin"
	RuleWebhookAdminOnly       = "webhook.admin_only"
	RuleReportNarrate          = "report.narrate"
	RuleReportNarrators        = "report.narrators_only"
	RuleCockpitCM              = "cockpit.cm"
	RuleCockpitCMOnly          = "cockpit.cm_only"
	RulePlanInternal           = "plan.internal"
	RulePlanInternalOnly       = "plan.internal_only"
	RuleRolesRename            = "roles.rename"
	RuleRolesRenameGovernance  = "roles.rename.governance_only"
	RuleLeaderboardOptIn       = "leaderboard.opt_in"
	RuleLeaderboardStewards    = "leaderboard.stewards_only"
	RuleDirectoryAdmin         = "directory.admin"
	RuleDirectoryAdminOnly     = "directory.admin_only"
	RuleMetricsAdmin           = "metrics.admin"
	RuleDecisionEmployees      = "decision.employees"
	RuleDecisionEmployeesOnly  = "decision.employees_only"

	RuleRoutineTeams           = "routine.teams_only"
	RuleTaskTeams              = "task.teams_only"
	RuleProblemSolve           = "problem.solve"
	RuleProblemSolvers         = "problem.solvers_only"
	RulePracticeShare          = "practice.share"
	RulePracticeShareOwners    = "practice.share.owners_only"
	RulePracticeLibrary        = "practice.library"
	RulePracticeLibraryOnly    = "practice.library.internal_only"
	RuleAgreementPropose       = "agreement.propose"
	RuleAgreementEmployees     = "agreement.employees_only"
	RuleAgreementCommunities   = "agreement.communities_only"
	RuleAgreementManager       = "agreement.manager_decides"
	RuleAgreementManagerOnly   = "agreement.manager_only"
	RuleCoachingRequest        = "coaching.request"
	RuleCoachingManagers       = "coaching.managers_only"
	RuleCoachingCoaches        = "coaching.coaches"
	RuleCoachingPrivate        = "coaching.private"
	RuleCoachingFigures        = "coaching.figures"
	RuleCoachingInvisible      = "coaching.invisible"
	RuleProfileShared          = "profile.shared_space"
	RuleProfileGovernance      = "profile.governance"
	RuleProfileEveryone        = "profile.everyone"
	RuleProfileRestricted      = "profile.restricted"
	RuleAgreementWithdraw      = "agreement.withdraw"
	RuleAgreementWithdrawOwner = "agreement.withdraw.owner_only"
	RulePracticeReuse          = "practice.reuse"
	RulePracticeReuseInternal  = "practice.reuse.internal_only"

	RuleRoutingParties     = "routing.parties"
	RuleSignalThread       = "signal.thread"
	RuleRoutingCommunityCM = "routing.community_cm"
	RuleRoutingReaders     = "routing.readers_only"
	RuleRoutingTeamManager = "routing.team_manager"
	RuleRoutingTeamOverdue = "routing.team_overdue"
	RuleRoutingTeamClosed  = "routing.team_closed"
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
	{RuleTeamManagerAnimates,
		"Le manager anime l'espace de son équipe : il épingle, programme, accueille, modère et mène les routines.",
		"The manager animates their team's space: they pin, schedule, welcome, moderate and run routines."},
	{RuleTeamManagerOnly,
		"Dans un espace d'équipe, seul le manager de l'équipe épingle, programme, accueille, modère et mène les routines.",
		"In a team space, only the team's manager pins, schedules, welcomes, moderates and runs routines."},
	{RuleJoinConfigure,
		"Les animateurs internes d'une communauté et le community manager fixent sa règle d'adhésion (ouverte, sur critères d'annuaire, sur demande).",
		"The internal stewards of a community and the community manager set its join policy (open, on directory criteria, on request)."},
	{RuleJoinConfigureEditors,
		"Seuls les animateurs internes et le community manager changent la règle d'adhésion d'une communauté.",
		"Only the internal stewards and the community manager change a community's join policy."},
	{RuleModerate,
		"Les animateurs d'une communauté modèrent : ils masquent un message en citant la règle enfreinte, traitent les signalements et retirent un membre avec une raison ; le community manager peut intervenir partout.",
		"The stewards of a community moderate: they hide a post citing the rule it breaks, handle flags and remove a member with a reason; the community manager may step in anywhere."},
	{RuleModerateStewards,
		"Seuls les animateurs de la communauté et le community manager modèrent et retirent des membres.",
		"Only the stewards of the community and the community manager moderate and remove members."},
	{RuleAnimate,
		"Les animateurs d'une communauté l'animent : ils invitent, accueillent les nouveaux membres, épinglent et programment des messages.",
		"The stewards of a community animate it: they invite people, welcome new members, pin threads and schedule posts."},
	{RuleAnimateStewards,
		"Seuls les animateurs de la communauté invitent, accueillent, épinglent et programment.",
		"Only the stewards of the community invite, welcome, pin and schedule."},
	{RuleFlag,
		"Les membres signalent aux animateurs un message qui leur semble enfreindre la charte ; le signalement va dans la file de modération de l'espace.",
		"Members flag to the stewards a post that seems to break the charter; the flag goes to the space's moderation queue."},
	{RuleOnboardingConfirm,
		"Le mentor interne d'un social media manager en doubles commandes, ou le community manager, valide chaque étape de son intégration.",
		"The internal mentor of a social media manager in co-pilot, or the community manager, confirms each step of their onboarding."},
	{RuleOnboardingMentor,
		"Seuls le mentor interne et le community manager valident l'intégration d'un social media manager en doubles commandes.",
		"Only the internal mentor and the community manager confirm the onboarding of a social media manager in co-pilot."},
	{RuleCoPilotEnd,
		"Le community manager met fin à la période de doubles commandes une fois l'intégration complète : les actions du social media manager deviennent visibles sans attendre.",
		"The community manager ends the co-pilot period once onboarding is complete: the social media manager's actions become visible without waiting."},
	{RuleCoPilotEndCM,
		"Seul le community manager met fin à une période de doubles commandes.",
		"Only the community manager ends a co-pilot period."},
	{RuleCoPilotEndChecklist,
		"La période de doubles commandes ne se termine qu'une fois la liste d'intégration complète : codes et valeurs de l'entreprise, charte, voies d'escalade.",
		"The co-pilot period ends only once the onboarding checklist is complete: the company's codes and values, the charter, the escalation paths."},
	{RuleCoPilotVisible,
		"Les salariés voient qui est en période de doubles commandes et qui est son mentor ; le social media manager concerné le voit pour lui-même.",
		"Employees see who is in their co-pilot period and who their mentor is; the social media manager concerned sees it for themselves."},
	{RuleCoPilotVisibleInternal,
		"La période de doubles commandes relève de la gouvernance interne : un client ou un partenaire ne voit pas qui est en doubles commandes ni qui est son mentor.",
		"The co-pilot period is internal governance: a customer or partner does not see who is in co-pilot nor who their mentor is."},
	{RuleStewardAssign,
		"Le community manager confie l'animation d'une communauté à des social media managers.",
		"The community manager assigns social media managers as stewards of a community."},
	{RuleStewardAssignCM,
		"Seul le community manager désigne les animateurs des communautés.",
		"Only the community manager assigns the stewards of communities."},
	{RuleStewardCommunityOnly,
		"Un espace d'équipe n'a pas d'animateur : son manager le tient.",
		"A team space has no steward: its manager runs it."},
	{RuleStewardSMMOnly,
		"Seul un social media manager peut être désigné animateur d'une communauté.",
		"Only a social media manager can be assigned as a steward of a community."},
	{RuleSignalRaise,
		"Les animateurs d'une communauté, et le manager dans l'espace de son équipe, transmettent un signal à qui de droit (une personne ou une unité) et escaladent une situation difficile au community manager ou à un responsable nommé.",
		"The stewards of a community, and a manager in their team's space, route a signal to whoever should decide (a person or a unit) and escalate a difficult situation to the community manager or a named responsible person."},
	{RuleSignalStewards,
		"Seuls les animateurs (et le manager dans l'espace de son équipe) transmettent des signaux et escaladent ; les participants suggèrent un signal ou signalent un message.",
		"Only the stewards (and a manager in their team's space) route signals and escalate; participants suggest a signal or flag a post."},
	{RuleSignalSuggest,
		"Les participants suggèrent aux animateurs un signal à transmettre à qui de droit.",
		"Participants suggest to the stewards a signal to route to whoever should decide."},
	{RuleSignalOwner,
		"Le destinataire d'un signal (la personne nommée, ou le responsable de l'unité) le prend en compte et décide ; sa décision est publiée dans le fil d'origine.",
		"The owner of a signal (the named person, or the head of the unit) acknowledges it and decides; the decision is published in the originating thread."},
	{RuleSignalOwnerOnly,
		"Seul le destinataire d'un signal décide de sa suite.",
		"Only the owner of a signal decides what follows."},
	{RuleEscalationResolve,
		"La personne à qui une situation est escaladée la résout ; le community manager aussi, pour celles qu'il suit.",
		"The person a situation is escalated to resolves it; so does the community manager, for those they follow."},
	{RuleEscalationAssignee,
		"Seuls la personne désignée et le community manager résolvent une escalade.",
		"Only the assigned person and the community manager resolve an escalation."},
	{RuleRoutingParties,
		"Celui qui a transmis un signal ou une escalade, et son destinataire (la personne nommée, le responsable de l'unité, la personne désignée), le lisent.",
		"Whoever raised a signal or an escalation, and whoever it goes to (the named person, the head of the unit, the assigned person), read it."},
	{RuleSignalThread,
		"Un signal et sa décision sont montrés dans le fil d'où il vient, à tous ceux qui lisent ce fil.",
		"A signal and its decision are shown in the thread it comes from, to everyone who reads that thread."},
	{RuleRoutingCommunityCM,
		"Le community manager suit tous les signaux et toutes les escalades des communautés.",
		"The community manager follows every signal and every escalation of the communities."},
	{RuleRoutingReaders,
		"Seuls son auteur, son destinataire et le community manager lisent une escalade d'une communauté ; un signal, aussi ceux qui lisent le fil d'où il vient.",
		"Only its author, whoever it goes to and the community manager read an escalation of a community; a signal, also those who read the thread it comes from."},
	{RuleRoutingTeamManager,
		"Le manager d'une équipe lit les escalades de l'espace de son équipe.",
		"A team's manager reads the escalations of their team's space."},
	{RuleRoutingTeamOverdue,
		"Un signal ou une escalade d'un espace d'équipe laissé sans réponse après son échéance remonte au community manager, qui relance son destinataire.",
		"A signal or an escalation of a team space left unanswered past its deadline reaches the community manager, who chases whoever should answer."},
	{RuleRoutingTeamClosed,
		"Les signaux et les escalades d'un espace d'équipe restent entre l'équipe, son manager et leur destinataire ; le community manager ne les voit qu'une fois leur échéance dépassée sans réponse.",
		"The signals and escalations of a team space stay between the team, its manager and whoever they go to; the community manager sees them only once their deadline passed unanswered."},
	{RuleReportRead,
		"Les animateurs d'une communauté, le community manager et le sponsor lisent ses rapports ; le manager lit ceux de l'espace de son équipe.",
		"The stewards of a community, the community manager and the sponsor read its reports; a manager reads those of their team's space."},
	{RuleReportReaders,
		"Seuls les animateurs, le community manager et le sponsor lisent les rapports d'une communauté.",
		"Only the stewards, the community manager and the sponsor read a community's reports."},
	{RuleReportNarrate,
		"Les animateurs d'une communauté, et le manager pour l'espace de son équipe, rédigent le commentaire du rapport ; le community manager et le sponsor le lisent.",
		"The stewards of a community, and a team's manager for its space, write the report's narrative; the community manager and the sponsor read it."},
	{RuleReportNarrators,
		"Seuls les animateurs (et le manager dans l'espace de son équipe) rédigent le commentaire du rapport.",
		"Only the stewards (and a manager in their team's space) write the report's narrative."},
	{RuleCockpitCM,
		"Le community manager gouverne l'ensemble : il tient le plan stratégique et le catalogue des propositions de valeur, décide des demandes d'espaces, répartit les heures des social media managers et suit la santé de la gouvernance.",
		"The community manager governs the whole: they keep the strategic plan and the catalog of value propositions, decide space requests, allocate the social media managers' hours and follow the governance health."},
	{RuleCockpitCMOnly,
		"Seul le community manager modifie le plan, le catalogue, la capacité et décide des demandes d'espaces.",
		"Only the community manager edits the plan, the catalog and the capacity, and decides space requests."},
	{RulePlanInternal,
		"Les salariés lisent le plan stratégique et le catalogue des propositions de valeur, et une unité peut demander la création d'une communauté.",
		"Employees read the strategic plan and the catalog of value propositions, and a business unit may ask for a new community."},
	{RulePlanInternalOnly,
		"Le plan stratégique et les demandes d'espaces sont réservés aux salariés de l'entreprise.",
		"The strategic plan and space requests are for the company's employees only."},
	{RuleRolesRename,
		"Le community manager et les administrateurs donnent aux rôles les noms de l'organisation, en français et en anglais ; les règles gardent leur sens.",
		"The community manager and the administrators give the roles the organization's own names, in French and English; the rules keep their meaning."},
	{RuleRolesRenameGovernance,
		"Seuls le community manager et les administrateurs renomment les rôles.",
		"Only the community manager and the administrators rename roles."},
	{RuleLeaderboardOptIn,
		"Les animateurs internes d'une communauté (le manager pour son équipe) peuvent y ouvrir un classement ; n'y figurent que les personnes qui l'acceptent elles-mêmes.",
		"The internal stewards of a community (the manager for their team) may open a leaderboard there; only the people who accept it themselves appear in it."},
	{RuleLeaderboardStewards,
		"Seuls les animateurs internes (et le manager pour son équipe) ouvrent un classement ; sans cela, personne n'est classé.",
		"Only the internal stewards (and a manager for their team) open a leaderboard; without one, nobody is ranked."},
	{RuleDirectoryAdmin,
		"Les administrateurs importent l'annuaire (fichier CSV, SCIM) d'où viennent les comptes et les équipes.",
		"Administrators import the directory (CSV file, SCIM) that accounts and teams come from."},
	{RuleDirectoryAdminOnly,
		"Seuls les administrateurs importent l'annuaire.",
		"Only administrators import the directory."},
	{RuleDecisionEmployees,
		"Un signal ou une escalade s'adresse à un salarié de l'entreprise, qui décide pour elle.",
		"A signal or an escalation goes to an employee of the company, who decides for it."},
	{RuleDecisionEmployeesOnly,
		"Un compte externe ne reçoit ni signal ni escalade : adressez-vous à un salarié qui décide.",
		"An external account receives no signal or escalation: route it to an employee who decides."},
	{RuleRoutineTeams,
		"Les routines vivent dans les espaces d'équipe, menées par leur manager ; dans une communauté, les animateurs programment des messages.",
		"Routines run in team spaces, led by their manager; in a community, stewards schedule posts instead."},
	{RuleTaskTeams,
		"Les tâches de coordination (responsable, échéance, fait) vivent dans les espaces d'équipe.",
		"Coordination tasks (owner, due date, done) live in team spaces."},
	{RuleProblemSolve,
		"L'auteur d'un problème, le manager de l'équipe ou un animateur interne de la communauté marque la réponse qui le résout.",
		"The author of a problem, the team's manager or an internal steward of the community marks the reply that solves it."},
	{RuleProblemSolvers,
		"Seuls l'auteur du problème, le manager de l'équipe ou un animateur interne de la communauté marquent sa solution.",
		"Only the problem's author, the team's manager or an internal steward of the community marks its solution."},
	{RulePracticeShare,
		"Le manager d'une équipe, ou un animateur interne d'une communauté, verse une bonne pratique de l'espace à la bibliothèque : c'est le consentement de l'espace à sa réutilisation.",
		"A team's manager, or an internal steward of a community, adds a best practice of the space to the library: that is the space's consent to its reuse."},
	{RulePracticeShareOwners,
		"Seuls le manager de l'équipe ou un animateur interne de la communauté versent une pratique de l'espace à la bibliothèque.",
		"Only the team's manager or an internal steward of the community adds a practice of the space to the library."},
	{RulePracticeLibrary,
		"Les salariés consultent la bibliothèque des bonnes pratiques et les réutilisent dans leurs espaces.",
		"Employees browse the best-practice library and reuse its practices in their spaces."},
	{RulePracticeLibraryOnly,
		"La bibliothèque des bonnes pratiques est réservée aux salariés.",
		"The best-practice library is for employees only."},
	{RulePracticeReuse,
		"Un salarié réutilise une bonne pratique de la bibliothèque dans un espace réservé aux salariés où il publie : elle y ouvre un fil.",
		"An employee reuses a best practice of the library in an employees-only space where they post: it opens a thread there."},
	{RulePracticeReuseInternal,
		"Une bonne pratique de la bibliothèque ne se réutilise pas dans une communauté externe ou mixte : la bibliothèque est réservée aux salariés, et les externes de cette communauté la liraient.",
		"A best practice of the library is not reused in an external or mixed community: the library is for employees only, and the community's externals would read it."},
	{RuleAgreementPropose,
		"Un salarié membre d'une communauté propose le temps qu'il lui consacre (par exemple 2 heures par semaine comme expert) ; son manager approuve ou refuse.",
		"An employee who belongs to a community proposes the time they give it (say 2 hours a week as an expert); their manager approves or declines."},
	{RuleAgreementEmployees,
		"Seuls les salariés proposent un accord de contribution : il engage leur temps de travail.",
		"Only employees propose a contribution agreement: it commits their working time."},
	{RuleAgreementCommunities,
		"Un accord de contribution porte sur une communauté ; le travail dans l'espace d'équipe relève de l'équipe.",
		"A contribution agreement is about a community; work in the team space is the team's own."},
	{RuleAgreementManager,
		"Le manager de la personne approuve ou refuse son accord de contribution ; le community manager voit les accords approuvés, jamais l'activité.",
		"The person's manager approves or declines their contribution agreement; the community manager sees approved agreements, never activity."},
	{RuleAgreementManagerOnly,
		"Seul le manager de la personne décide de son accord de contribution.",
		"Only the person's manager decides on their contribution agreement."},
	{RuleCoachingRequest,
		"Le manager d'une équipe demande un accompagnement au community manager ou à un social media manager salarié : un fil privé entre eux deux.",
		"A team's manager asks the community manager or an internal social media manager for coaching: a private thread between the two of them."},
	{RuleCoachingManagers,
		"Seul le manager d'une équipe demande un accompagnement pour elle.",
		"Only a team's manager asks for coaching for it."},
	{RuleCoachingCoaches,
		"Le coach est le community manager ou un social media manager salarié, hors période de doubles commandes.",
		"The coach is the community manager or an internal social media manager, outside any co-pilot period."},
	{RuleCoachingPrivate,
		"Un fil d'accompagnement est privé : seuls le manager et son coach le lisent et y écrivent.",
		"A coaching thread is private: only the manager and their coach read and write in it."},
	{RuleCoachingFigures,
		"Le coach d'une équipe voit les chiffres agrégés et anonymes de son espace, rien de plus.",
		"A team's coach sees the aggregate, anonymous figures of its space, nothing more."},
	{RuleCoachingInvisible,
		"Un coach n'a aucune présence dans l'espace d'équipe : il n'y lit, n'écrit ni ne réagit, n'apparaît pas parmi les membres et ne peut y être mentionné.",
		"A coach has no presence in the team space: they do not read, post or react there, are not among its members and cannot be mentioned there."},
	{RuleAgreementWithdraw,
		"La personne qui a proposé un accord de contribution le retire quand elle veut ; son manager en est informé.",
		"The person who proposed a contribution agreement withdraws it whenever they wish; their manager is told."},
	{RuleAgreementWithdrawOwner,
		"Seule la personne qui a proposé un accord de contribution le retire.",
		"Only the person who proposed a contribution agreement withdraws it."},
	{RuleProfileShared,
		"Les personnes qui partagent un espace voient le profil l'une de l'autre.",
		"People who share a space see each other's profile."},
	{RuleProfileGovernance,
		"Les administrateurs et le community manager voient tous les comptes, pour les gouverner (rôles, annuaire).",
		"Administrators and the community manager see every account, to govern them (roles, directory)."},
	{RuleProfileEveryone,
		"Les salariés voient le profil d'un collègue qui le montre à tous.",
		"Employees see the profile of a colleague who shows it to everyone."},
	{RuleProfileRestricted,
		"Cette personne ne montre son profil qu'aux membres de ses espaces ; son identifiant suffit toujours pour lui adresser un signal ou une invitation.",
		"This person shows their profile to the members of their spaces only; their login still suffices to send them a signal or an invitation."},
	{RuleWebhookAdmin,
		"Les administrateurs configurent les webhooks sortants vers les outils de ticketing et lisent leur journal de livraison.",
		"Administrators configure outbound webhooks to ticketing tools and read their delivery log."},
	{RuleWebhookAdminOnly,
		"Seuls les administrateurs configurent les webhooks.",
		"Only administrators configure webhooks."},
	{RuleMetricsAdmin,
		"Les métriques de fonctionnement (routes utilisées, volumes, durées) ne sont lues que par les administrateurs internes, ou par la supervision sur l'adresse qui leur est réservée.",
		"Operational metrics (routes used, volumes, durations) are read by internal administrators only, or by monitoring on the address reserved for them."},
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
