package relais

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Employment tells whether an account belongs to an employee or to an
// outsider (customer, partner, outsourced agency).
type Employment string

// Employments.
const (
	Internal Employment = "internal"
	External Employment = "external"
)

// Valid reports whether e is a known employment.
func (e Employment) Valid() bool { return e == Internal || e == External }

// Role is an organization-wide role. Managers, sponsors, stewards and members
// are relations to teams, units and spaces, not roles.
type Role string

// Roles.
const (
	RoleAdministrator      Role = "administrator"
	RoleCommunityManager   Role = "community_manager"
	RoleSocialMediaManager Role = "social_media_manager"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdministrator, RoleCommunityManager, RoleSocialMediaManager}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if k == r {
			return true
		}
	}
	return false
}

// SpaceKind separates open communities from closed team spaces.
type SpaceKind string

// Space kinds.
const (
	SpaceCommunity SpaceKind = "community" // above the flow
	SpaceTeam      SpaceKind = "team"      // in the flow
)

// Audience says who a community is for.
type Audience string

// Audiences.
const (
	AudienceInternal Audience = "internal"
	AudienceExternal Audience = "external"
	AudienceMixed    Audience = "mixed"
)

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool {
	return a == AudienceInternal || a == AudienceExternal || a == AudienceMixed
}

// JoinPolicy says how one becomes a member of a space.
type JoinPolicy string

// Join policies. A team space's membership follows the directory.
const (
	JoinOpen       JoinPolicy = "open"
	JoinByCriteria JoinPolicy = "criteria"
	JoinRequest    JoinPolicy = "request"
	JoinDirectory  JoinPolicy = "directory"
)

// Valid reports whether p is a known join policy.
func (p JoinPolicy) Valid() bool {
	return p == JoinOpen || p == JoinByCriteria || p == JoinRequest || p == JoinDirectory
}

// Flow places a space relative to daily work.
type Flow string

// Flows.
const (
	InTheFlow    Flow = "in"
	AboveTheFlow Flow = "above"
)

// Unit is a business unit of the organization.
type Unit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// HeadID is the head of the unit: the owner of the signals routed to
	// it and the sponsor of its spaces.
	HeadID int64 `json:"head_id,omitempty"`
}

// User is an account: an employee, a customer or a partner.
type User struct {
	ID         int64      `json:"id"`
	Login      string     `json:"login"`
	Name       string     `json:"name"`
	Email      string     `json:"email,omitempty"`
	Employment Employment `json:"employment"`
	UnitID     int64      `json:"unit_id,omitempty"`
	Site       string     `json:"site,omitempty"`
	JobFamily  string     `json:"job_family,omitempty"`
	Roles      []Role     `json:"roles"`
	Active     bool       `json:"active"`
	// CoPilot is true while an outsourced social media manager's visible
	// actions wait for their mentor's approval.
	CoPilot   bool      `json:"co_pilot"`
	MentorID  int64     `json:"mentor_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// CoPilotWithheld is true when the reader may not learn whether this
	// person is in co-pilot (policy copilot.view): CoPilot and MentorID
	// are then cleared and the faces leave them out.
	CoPilotWithheld bool `json:"-"`
}

// HasRole reports whether u holds role r.
func (u *User) HasRole(r Role) bool {
	for _, k := range u.Roles {
		if k == r {
			return true
		}
	}
	return false
}

// Team is a formal team of the directory, led by its manager.
type Team struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	UnitID    int64  `json:"unit_id,omitempty"`
	ManagerID int64  `json:"manager_id,omitempty"`
}

// JoinCriteria are the directory attributes a person must match to join a
// community whose join policy is "criteria". An empty list matches anyone.
type JoinCriteria struct {
	UnitIDs     []int64      `json:"unit_ids,omitempty"`
	Sites       []string     `json:"sites,omitempty"`
	JobFamilies []string     `json:"job_families,omitempty"`
	Employments []Employment `json:"employments,omitempty"`
}

// Space is a community or a team space.
type Space struct {
	ID            int64         `json:"id"`
	Name          string        `json:"name"`
	Description   string        `json:"description"`
	Kind          SpaceKind     `json:"kind"`
	Audience      Audience      `json:"audience"`
	JoinPolicy    JoinPolicy    `json:"join_policy"`
	Criteria      *JoinCriteria `json:"join_criteria,omitempty"`
	Flow          Flow          `json:"flow"`
	TeamID        int64         `json:"team_id,omitempty"`
	SponsorUnitID int64         `json:"sponsor_unit_id,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	Charter       *Charter      `json:"charter,omitempty"`
}

// Charter is one version of a space's charter. Joining a space means
// accepting its current version.
type Charter struct {
	SpaceID         int64     `json:"-"`
	Version         int       `json:"version"`
	Objective       string    `json:"objective"`
	Rules           string    `json:"rules"`
	Autonomy        string    `json:"autonomy"`
	ExpectedActions string    `json:"expected_actions"`
	CreatedAt       time.Time `json:"created_at"`
}

// Membership records that a person joined a space, and which version of the
// charter they accepted.
type Membership struct {
	SpaceID        int64     `json:"space_id"`
	UserID         int64     `json:"user_id"`
	CharterVersion int       `json:"charter_version"`
	JoinedAt       time.Time `json:"joined_at"`
	// Source says how they came in: open, criteria, request, invitation.
	Source string `json:"source,omitempty"`
}

// PostKind classifies a thread so it can become an actionable item.
type PostKind string

// Post kinds.
const (
	KindDiscussion   PostKind = "discussion"
	KindQuestion     PostKind = "question"
	KindProblem      PostKind = "problem"
	KindBestPractice PostKind = "best_practice"
	KindCoordination PostKind = "coordination"
	KindDecision     PostKind = "decision"
)

// PostKinds lists every post kind in display order.
var PostKinds = []PostKind{KindDiscussion, KindQuestion, KindProblem, KindBestPractice, KindCoordination, KindDecision}

// Valid reports whether k is a known post kind.
func (k PostKind) Valid() bool {
	for _, x := range PostKinds {
		if x == k {
			return true
		}
	}
	return false
}

// PostStatus tells whether members can see a post.
type PostStatus string

// Post statuses. Only published posts are shown to members.
const (
	StatusPublished       PostStatus = "published"
	StatusPendingApproval PostStatus = "pending_approval"
	StatusHidden          PostStatus = "hidden"
	StatusRejected        PostStatus = "rejected"
)

// ApprovalKind names what an approval request holds: content, a decision
// on a request to join, or a steward's visible action, named after the
// policy action it performs.
type ApprovalKind string

// Approval kinds.
const (
	ApprovePost     ApprovalKind = "post"
	ApproveReply    ApprovalKind = "reply"
	ApproveJoin     ApprovalKind = "join"
	ApproveModerate ApprovalKind = "post.moderate"
	ApprovePin      ApprovalKind = "post.pin"
	ApproveSchedule ApprovalKind = "post.schedule"
	ApproveWelcome  ApprovalKind = "space.welcome"
	ApproveInvite   ApprovalKind = "member.invite"
	ApproveRemove   ApprovalKind = "member.remove"
	// ApproveSignal and ApproveEscalation route a situation out of the
	// space; ApproveDismiss closes a participant's suggestion of a signal
	// without raising it.
	ApproveSignal     ApprovalKind = "signal.raise"
	ApproveEscalation ApprovalKind = "escalation.raise"
	ApproveDismiss    ApprovalKind = "signal.dismiss"
)

// ActionPayload is what a steward's action waiting for approval will do.
type ActionPayload struct {
	// post.moderate: "hide" or "restore"; for hide, the charter rule and
	// the reason the author reads.
	Op     string `json:"op,omitempty"`
	Rule   string `json:"rule,omitempty"`
	Reason string `json:"reason,omitempty"`
	// post.pin: pin or unpin.
	Pin bool `json:"pin,omitempty"`
	// space.welcome: the new welcome message.
	Welcome string `json:"welcome,omitempty"`
	// member.invite and member.remove: the person concerned; signal.raise:
	// the person who owns the signal; escalation.raise: its assignee;
	// signal.dismiss: the participant who suggested the signal.
	UserID   int64  `json:"user_id,omitempty"`
	UserName string `json:"user_name,omitempty"`
	Message  string `json:"message,omitempty"`
	// post.schedule: the post prepared and when it appears.
	Title     string     `json:"title,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	// signal.raise: the unit whose head owns the signal (instead of a
	// person), and the participant's suggestion it answers, if any.
	UnitID       int64  `json:"unit_id,omitempty"`
	UnitName     string `json:"unit_name,omitempty"`
	SuggestionID int64  `json:"suggestion_id,omitempty"`
	// signal.raise and escalation.raise: the summary the owner reads.
	Summary string `json:"summary,omitempty"`
	// escalation.raise: its severity, and the deadline the steward set
	// (none: by severity, from the approval).
	Severity Severity   `json:"severity,omitempty"`
	Deadline *time.Time `json:"deadline,omitempty"`
	// signal.dismiss: the suggestion's note.
	Note string `json:"note,omitempty"`
}

// Post opens a thread in a space.
type Post struct {
	ID         int64      `json:"id"`
	SpaceID    int64      `json:"space_id"`
	AuthorID   int64      `json:"author_id"`
	AuthorName string     `json:"author_name"`
	Kind       PostKind   `json:"kind"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	Status     PostStatus `json:"status"`
	ReplyCount int        `json:"reply_count"`
	CreatedAt  time.Time  `json:"created_at"`
	// Pinned is true while a steward keeps the thread at the top.
	Pinned bool `json:"pinned"`
	// For a hidden post, shown to its author alone: the charter rule it
	// broke and the moderator's reason.
	ModerationRule   string `json:"moderation_rule,omitempty"`
	ModerationReason string `json:"moderation_reason,omitempty"`
}

// Reply answers a post.
type Reply struct {
	ID         int64      `json:"id"`
	PostID     int64      `json:"post_id"`
	AuthorID   int64      `json:"author_id"`
	AuthorName string     `json:"author_name"`
	Body       string     `json:"body"`
	Status     PostStatus `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
}

// ReactionKind is one of a small, fixed set of reactions.
type ReactionKind string

// Reaction kinds.
const (
	ReactLike       ReactionKind = "like"
	ReactThanks     ReactionKind = "thanks"
	ReactInsightful ReactionKind = "insightful"
	ReactAgree      ReactionKind = "agree"
)

// ReactionKinds lists every reaction kind.
var ReactionKinds = []ReactionKind{ReactLike, ReactThanks, ReactInsightful, ReactAgree}

// Valid reports whether k is a known reaction kind.
func (k ReactionKind) Valid() bool {
	for _, x := range ReactionKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ReactionCount is the number of reactions of one kind on a post or reply.
type ReactionCount struct {
	Kind  ReactionKind `json:"kind"`
	Count int          `json:"count"`
	Mine  bool         `json:"mine"`
}

// Limits on texts, in characters.
const (
	MaxTitle = 200
	MaxBody  = 20000
	MaxName  = 120
)

// NewPost is what a person submits to open a thread.
type NewPost struct {
	Kind  PostKind `json:"kind"`
	Title string   `json:"title"`
	Body  string   `json:"body"`
}

// Validate checks a new post and trims its texts.
func (p *NewPost) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	p.Body = strings.TrimSpace(p.Body)
	if p.Kind == "" {
		p.Kind = KindDiscussion
	}
	switch {
	case !p.Kind.Valid():
		return &Error{Code: EINVALID, Field: "kind", Message: "Unknown post kind " + quote(string(p.Kind)) + "; expected one of discussion, question, problem, best_practice, coordination, decision.", MessageFR: "Type de message inconnu " + quote(string(p.Kind)) + " ; attendu : discussion, question, problem, best_practice, coordination, decision."}
	case p.Title == "":
		return &Error{Code: EINVALID, Field: "title", Message: "A title is required.", MessageFR: "Un titre est requis."}
	case utf8.RuneCountInString(p.Title) > MaxTitle:
		return &Error{Code: EINVALID, Field: "title", Message: "The title is longer than 200 characters.", MessageFR: "Le titre dépasse 200 caractères."}
	case p.Body == "":
		return &Error{Code: EINVALID, Field: "body", Message: "A body is required.", MessageFR: "Un texte est requis."}
	case utf8.RuneCountInString(p.Body) > MaxBody:
		return &Error{Code: EINVALID, Field: "body", Message: "The body is longer than 20,000 characters.", MessageFR: "Le texte dépasse 20 000 caractères."}
	case !ValidText(p.Title) || !ValidText(p.Body):
		return &Error{Code: EINVALID, Message: "The text holds invalid characters (not UTF-8, or a NUL).", MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return nil
}

// ValidText reports whether s is valid UTF-8 without NUL characters, which
// no database stores alike.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// ValidateReplyBody checks and trims the body of a reply.
func ValidateReplyBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return "", &Error{Code: EINVALID, Field: "body", Message: "A body is required.", MessageFR: "Un texte est requis."}
	case utf8.RuneCountInString(body) > MaxBody:
		return "", &Error{Code: EINVALID, Field: "body", Message: "The body is longer than 20,000 characters.", MessageFR: "Le texte dépasse 20 000 caractères."}
	case !ValidText(body):
		return "", &Error{Code: EINVALID, Field: "body", Message: "The text holds invalid characters (not UTF-8, or a NUL).", MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return body, nil
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return "«" + s + "»"
}

// ApprovalStatus is where a co-pilot approval request stands.
type ApprovalStatus string

// Approval statuses.
const (
	ApprovalPending  ApprovalStatus = "pending"
	ApprovalApproved ApprovalStatus = "approved"
	ApprovalRejected ApprovalStatus = "rejected"
)

// Approval is a visible action of a social media manager in co-pilot that
// waits for their mentor: a post, a reply to a post, or a decision on a
// request to join.
type Approval struct {
	ID     int64        `json:"id"`
	Kind   ApprovalKind `json:"kind"`
	PostID int64        `json:"post_id,omitempty"`
	// TargetID is the scheduled post, invitation, person or suggestion a
	// steward's action applies to, and for a signal or an escalation, the
	// one created once approved; Action says what it will do.
	TargetID int64          `json:"target_id,omitempty"`
	Action   *ActionPayload `json:"action,omitempty"`
	ReplyID  int64          `json:"reply_id,omitempty"`
	// For a decision on a request to join: the request, who asked to join,
	// and the decision the steward wants to make.
	JoinRequestID int64          `json:"join_request_id,omitempty"`
	JoinUserName  string         `json:"join_user_name,omitempty"`
	JoinApprove   bool           `json:"join_approve,omitempty"`
	JoinReason    string         `json:"join_reason,omitempty"`
	SpaceID       int64          `json:"space_id"`
	SpaceName     string         `json:"space_name"`
	PostTitle     string         `json:"post_title"`
	Body          string         `json:"body"`
	RequesterID   int64          `json:"requester_id"`
	RequesterName string         `json:"requester_name"`
	MentorID      int64          `json:"mentor_id,omitempty"`
	Status        ApprovalStatus `json:"status"`
	Reason        string         `json:"reason,omitempty"`
	DecidedBy     int64          `json:"decided_by,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	DecidedAt     *time.Time     `json:"decided_at,omitempty"`
}

// MaxReason bounds the reason of a rejection, in characters.
const MaxReason = 2000

// ValidateReason checks and trims the reason given for a rejection.
func ValidateReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", &Error{Code: EINVALID, Field: "reason", Message: "Give a reason: the author reads it.", MessageFR: "Donnez une raison : l'auteur la lira."}
	case utf8.RuneCountInString(reason) > MaxReason:
		return "", &Error{Code: EINVALID, Field: "reason", Message: "The reason is longer than 2,000 characters.", MessageFR: "La raison dépasse 2 000 caractères."}
	case !ValidText(reason):
		return "", &Error{Code: EINVALID, Field: "reason", Message: "The reason holds invalid characters (not UTF-8, or a NUL).", MessageFR: "La raison contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	return reason, nil
}

// AuditEntry records one governance action: a role change, an approval
// decision, a charter version, a new space.
type AuditEntry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"actor_id,omitempty"`
	ActorName   string    `json:"actor_name,omitempty"`
	Action      string    `json:"action"`
	SubjectKind string    `json:"subject_kind"`
	SubjectID   int64     `json:"subject_id"`
	SpaceID     int64     `json:"space_id,omitempty"`
	Detail      string    `json:"detail,omitempty"`
	// Redacted is true when the entry belongs to a team space its reader
	// may not read: Detail, what was written there, is withheld.
	Redacted bool `json:"redacted,omitempty"`
}

// Withhold removes what was written in the entry's space from it.
func (e *AuditEntry) Withhold() { e.Detail, e.Redacted = "", true }

// Written reports whether the detail of the entry may hold text written by
// someone: a title, a reason, a summary, a note. Only the details made of
// figures, or of names that are shown beside the entry anyway, do not.
func (e AuditEntry) Written() bool {
	switch e.Action {
	case AuditCharterVersion, AuditSignalDeadline, AuditSpaceCreated, AuditTeamUpdated, AuditTeamDeleted:
		return false
	}
	return e.Detail != ""
}

// AuditWithheld is what a redacted entry shows in place of its detail, in
// lang ("fr" or "en").
func AuditWithheld(lang string) string {
	if lang == "fr" {
		return "texte d'un espace d'équipe non communiqué"
	}
	return "text of a team space withheld"
}

// Audited governance actions.
const (
	AuditRolesSet           = "roles.set"
	AuditApprovalApproved   = "approval.approved"
	AuditApprovalRejected   = "approval.rejected"
	AuditCharterVersion     = "charter.version"
	AuditSpaceCreated       = "space.created"
	AuditJoinApproved       = "join.approved"
	AuditJoinRefused        = "join.refused"
	AuditPostHidden         = "post.hidden"
	AuditPostRestored       = "post.restored"
	AuditFlagsDismissed     = "flags.dismissed"
	AuditPostPinned         = "post.pinned"
	AuditPostUnpinned       = "post.unpinned"
	AuditPostScheduled      = "post.scheduled"
	AuditScheduleCancel     = "post.schedule_cancelled"
	AuditWelcomeSet         = "space.welcome"
	AuditInvitationSent     = "invitation.sent"
	AuditMemberRemoved      = "member.removed"
	AuditJoinConfigured     = "space.join_policy"
	AuditStewardAssigned    = "steward.assigned"
	AuditStewardWithdrawn   = "steward.withdrawn"
	AuditOnboardingStep     = "copilot.onboarding"
	AuditCoPilotStarted     = "copilot.started"
	AuditCoPilotEnded       = "copilot.ended"
	AuditSignalRaised       = "signal.raised"
	AuditSignalDecided      = "signal.decided"
	AuditEscalationRaised   = "escalation.raised"
	AuditEscalationResolved = "escalation.resolved"
	AuditWebhookChanged     = "webhook.changed"
	AuditSignalDeadline     = "signal.deadline"
)

// JoinRequestStatus is where a request to join a community stands.
type JoinRequestStatus string

// Join request statuses.
const (
	JoinPending  JoinRequestStatus = "pending"
	JoinApproved JoinRequestStatus = "approved"
	JoinRefused  JoinRequestStatus = "refused"
)

// MembershipRequest is a person's request to join a community whose join
// policy is "request"; a steward approves or refuses it.
type MembershipRequest struct {
	ID             int64             `json:"id"`
	SpaceID        int64             `json:"space_id"`
	SpaceName      string            `json:"space_name"`
	UserID         int64             `json:"user_id"`
	UserName       string            `json:"user_name"`
	CharterVersion int               `json:"charter_version"`
	Status         JoinRequestStatus `json:"status"`
	Reason         string            `json:"reason,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	DecidedAt      *time.Time        `json:"decided_at,omitempty"`
	// Waiting is true while a steward in co-pilot's decision waits for
	// their mentor; WaitingBy is that steward. Both are cleared for a
	// reader who may not learn who is in co-pilot (policy copilot.view).
	Waiting   bool  `json:"waiting_for_mentor,omitempty"`
	WaitingBy int64 `json:"-"`
}

// MaxCharterText bounds each text of a charter, in characters.
const MaxCharterText = 5000

// Validate checks a charter's four texts and trims them.
func (c *Charter) Validate() error {
	fields := []struct {
		name, fr string
		text     *string
	}{
		{"objective", "objectif", &c.Objective},
		{"rules", "règles", &c.Rules},
		{"autonomy", "autonomie", &c.Autonomy},
		{"expected_actions", "actions attendues", &c.ExpectedActions},
	}
	for _, f := range fields {
		*f.text = strings.TrimSpace(*f.text)
		switch {
		case *f.text == "":
			return &Error{Code: EINVALID, Field: f.name, Message: "The charter needs its " + strings.ReplaceAll(f.name, "_", " ") + ".",
				MessageFR: "La charte doit préciser : " + f.fr + "."}
		case utf8.RuneCountInString(*f.text) > MaxCharterText:
			return &Error{Code: EINVALID, Field: f.name, Message: "The " + strings.ReplaceAll(f.name, "_", " ") + " is longer than 5,000 characters.",
				MessageFR: "Le champ « " + f.fr + " » dépasse 5 000 caractères."}
		case !ValidText(*f.text):
			return &Error{Code: EINVALID, Field: f.name, Message: "The text holds invalid characters (not UTF-8, or a NUL).",
				MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
		}
	}
	return nil
}

// Member is a person listed in a space.
type Member struct {
	UserID  int64  `json:"id"`
	Login   string `json:"login"`
	Name    string `json:"name"`
	Steward bool   `json:"steward"`
	Manager bool   `json:"manager"`
	// Joined is true for a member of a community (who may be removed),
	// false for a steward who did not join it and for a team.
	Joined bool `json:"joined"`
}
