package relais

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Offering is a value proposition of the catalog, co-built by the
// community manager (the center of expertise) with a business unit: the use
// case a community serves, the value expected from it, and the templates
// its charter and routines start from.
type Offering struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	UnitID        int64  `json:"unit_id,omitempty"`
	UnitName      string `json:"unit_name,omitempty"`
	UseCase       string `json:"use_case"`
	ExpectedValue string `json:"expected_value"`
	// Charter is the template of the charter of a community created from
	// the offering; a part left empty takes the default of
	// OfferingCharter.Complete.
	Charter OfferingCharter `json:"charter_template"`
	// RoutineTemplates describes, in free text, the routines (usage
	// scenarios) the offering suggests.
	RoutineTemplates string `json:"routine_templates"`
	// Authors are the co-authors, people of the business units who built
	// the offering with the community manager.
	Authors       []OfferingAuthor `json:"co_authors"`
	CreatedBy     int64            `json:"created_by"`
	CreatedByName string           `json:"created_by_name,omitempty"`
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
}

// OfferingAuthor is a co-author of an offering.
type OfferingAuthor struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// OfferingCharter is the charter template of an offering: the four parts
// of a charter, each of which may be left empty.
type OfferingCharter struct {
	Objective       string `json:"objective"`
	Rules           string `json:"rules"`
	Autonomy        string `json:"autonomy"`
	ExpectedActions string `json:"expected_actions"`
}

// Default parts of the first charter of a community approved without a
// template, or with an incomplete one. The charter is the organization's
// text, shown as is in both languages: the defaults say it in both.
const (
	DefaultCharterRules = "On respecte les personnes et la confidentialité ; une question ou une idée par fil ; on cite ses sources. " +
		"/ Respect people and confidentiality; one question or idea per thread; cite your sources."
	DefaultCharterAutonomy = "Les membres proposent et s'entraident ; les animateurs modèrent ; les décisions reviennent au sponsor. " +
		"/ Members propose and help each other; stewards moderate; decisions belong to the sponsor."
	DefaultCharterExpected = "Poser ses questions, partager ses retours d'expérience, signaler les réponses utiles. " +
		"/ Ask your questions, share what you learned, point out useful answers."
)

// Complete returns the charter of a new community from the template:
// each empty part takes its default, and an empty objective the purpose
// of the request.
func (c OfferingCharter) Complete(purpose string) Charter {
	pick := func(s, def string) string {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
		return def
	}
	return Charter{Objective: pick(c.Objective, strings.TrimSpace(purpose)), Rules: pick(c.Rules, DefaultCharterRules),
		Autonomy: pick(c.Autonomy, DefaultCharterAutonomy), ExpectedActions: pick(c.ExpectedActions, DefaultCharterExpected)}
}

// Limits of the catalog and of space requests, in characters or items.
const (
	MaxOfferingText  = 5000 // use case, expected value, routine templates, purpose
	MaxOfferingTitle = MaxTitle
	MaxCoAuthors     = 20
	MaxObjectiveIDs  = 50
)

// NewOffering is what the community manager submits to add a value
// proposition to the catalog, or to replace one.
type NewOffering struct {
	Title            string
	UnitID           int64 // 0: none
	CoAuthors        []string
	UseCase          string
	ExpectedValue    string
	Charter          OfferingCharter
	RoutineTemplates string
}

// Validate checks and trims an offering's texts and co-authors' logins.
func (o *NewOffering) Validate() error {
	var err error
	if o.Title, err = requiredText("title", "titre", o.Title, MaxOfferingTitle); err != nil {
		return err
	}
	if o.UseCase, err = requiredText("use_case", "cas d'usage", o.UseCase, MaxOfferingText); err != nil {
		return err
	}
	if o.ExpectedValue, err = requiredText("expected_value", "valeur attendue", o.ExpectedValue, MaxOfferingText); err != nil {
		return err
	}
	optional := []struct {
		field, fr string
		text      *string
		max       int
	}{
		{"charter_template.objective", "modèle de charte : objectif", &o.Charter.Objective, MaxCharterText},
		{"charter_template.rules", "modèle de charte : règles", &o.Charter.Rules, MaxCharterText},
		{"charter_template.autonomy", "modèle de charte : autonomie", &o.Charter.Autonomy, MaxCharterText},
		{"charter_template.expected_actions", "modèle de charte : actions attendues", &o.Charter.ExpectedActions, MaxCharterText},
		{"routine_templates", "modèles de routines", &o.RoutineTemplates, MaxOfferingText},
	}
	for _, f := range optional {
		if *f.text, err = optionalText(f.field, f.fr, *f.text, f.max); err != nil {
			return err
		}
	}
	if o.UnitID < 0 {
		return &Error{Code: EINVALID, Field: "unit_id", Message: "The unit id is a positive integer.", MessageFR: "L'identifiant d'unité est un entier positif."}
	}
	if len(o.CoAuthors) > MaxCoAuthors {
		return &Error{Code: EINVALID, Field: "co_authors", Message: "At most 20 co-authors.", MessageFR: "Au plus 20 coauteurs."}
	}
	seen := map[string]bool{}
	logins := o.CoAuthors[:0:0]
	for _, l := range o.CoAuthors {
		l = strings.TrimSpace(l)
		if l == "" || seen[l] {
			continue
		}
		if !ValidText(l) || utf8.RuneCountInString(l) > MaxName {
			return &Error{Code: EINVALID, Field: "co_authors", Message: "A co-author's login holds invalid characters or is too long.",
				MessageFR: "L'identifiant d'un coauteur contient des caractères invalides ou est trop long."}
		}
		seen[l] = true
		logins = append(logins, l)
	}
	o.CoAuthors = logins
	return nil
}

// requiredText is ValidateText under another name, for readability here.
func requiredText(field, fr, text string, max int) (string, error) {
	return ValidateText(field, fr, text, max)
}

// optionalText checks and trims a free text that may be empty.
func optionalText(field, fr, text string, max int) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	return ValidateText(field, fr, text, max)
}

// SpaceRequestStatus is where a request for a new community stands.
type SpaceRequestStatus string

// Space request statuses: pending → approved | refused, both final.
const (
	SpaceRequestPending  SpaceRequestStatus = "pending"
	SpaceRequestApproved SpaceRequestStatus = "approved"
	SpaceRequestRefused  SpaceRequestStatus = "refused"
)

// SpaceRequest is a business unit's request for a new community, from an
// offering of the catalog or from scratch, decided by the community
// manager. Closest holds the existing communities it may duplicate.
type SpaceRequest struct {
	ID            int64              `json:"id"`
	OfferingID    int64              `json:"offering_id,omitempty"`
	OfferingTitle string             `json:"offering_title,omitempty"`
	UnitID        int64              `json:"unit_id,omitempty"`
	UnitName      string             `json:"unit_name,omitempty"`
	RequestedBy   int64              `json:"requested_by"`
	RequesterName string             `json:"requester_name"`
	Name          string             `json:"name"`
	Purpose       string             `json:"purpose"`
	Audience      Audience           `json:"audience"`
	JoinPolicy    JoinPolicy         `json:"join_policy"`
	Status        SpaceRequestStatus `json:"status"`
	Reason        string             `json:"reason,omitempty"`
	// SpaceID is the community created on approval.
	SpaceID     int64      `json:"space_id,omitempty"`
	SpaceName   string     `json:"space_name,omitempty"`
	DecidedBy   int64      `json:"decided_by,omitempty"`
	DeciderName string     `json:"decider_name,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	// ObjectiveIDs are the plan objectives the community serves, linked on
	// approval.
	ObjectiveIDs []int64 `json:"plan_objective_ids,omitempty"`
	// Closest are the existing communities nearest to the request, best
	// first; filled by the service for whoever may read the request.
	Closest []SpaceMatch `json:"closest,omitempty"`
	// LikelyMembers is the number of people the member overlap is
	// measured on (the request's unit).
	LikelyMembers int `json:"likely_members,omitempty"`
}

// SpaceMatch is an existing community near a space request: how close its
// purpose and charter are (Text), how many of the request's likely members
// already belong to it (Members; nil when withheld) and both combined
// (Score). Scores lie in [0, 1].
type SpaceMatch struct {
	SpaceID int64    `json:"space_id"`
	Name    string   `json:"name"`
	Text    float64  `json:"text_score"`
	Members *float64 `json:"member_score"`
	Score   float64  `json:"score"`
	// Words are the words of the request that the community shares, the
	// weightiest first: why they are close.
	Words []string `json:"shared_words"`
}

// NewSpaceRequest is what an employee files to ask for a community.
type NewSpaceRequest struct {
	OfferingID int64 // 0: from scratch
	UnitID     int64 // 0: the requester's unit
	Name       string
	Purpose    string
	Audience   Audience
	JoinPolicy JoinPolicy
}

// Validate checks and trims a space request; the audience defaults to
// internal and the join policy to open.
func (r *NewSpaceRequest) Validate() error {
	var err error
	if r.Name, err = requiredText("name", "nom", r.Name, MaxName); err != nil {
		return err
	}
	if r.Purpose, err = requiredText("purpose", "raison d'être", r.Purpose, MaxOfferingText); err != nil {
		return err
	}
	if r.Audience == "" {
		r.Audience = AudienceInternal
	}
	if r.JoinPolicy == "" {
		r.JoinPolicy = JoinOpen
	}
	switch {
	case !r.Audience.Valid():
		return &Error{Code: EINVALID, Field: "audience", Message: "Unknown audience; expected internal, external or mixed.",
			MessageFR: "Public inconnu ; attendu : internal, external ou mixed."}
	case r.JoinPolicy != JoinOpen && r.JoinPolicy != JoinByCriteria && r.JoinPolicy != JoinRequest:
		return &Error{Code: EINVALID, Field: "join_policy", Message: "Unknown join policy; expected open, criteria or request.",
			MessageFR: "Mode d'adhésion inconnu ; attendu : open, criteria ou request."}
	case r.OfferingID < 0 || r.UnitID < 0:
		return &Error{Code: EINVALID, Message: "Ids are positive integers.", MessageFR: "Les identifiants sont des entiers positifs."}
	}
	return nil
}

// ObjectiveOption is a plan objective a community may be aligned with, as
// the approval form offers it.
type ObjectiveOption struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// Notification kinds of space requests: the requester learns the
// decision; the community managers learn of a new request.
const (
	NotifySpaceRequestApproved = "space_request.approved"
	NotifySpaceRequestRefused  = "space_request.refused"
	NotifySpaceRequested       = "space_request.filed"
)

// Audited actions of the catalog and of space requests.
const (
	AuditOfferingCreated      = "offering.created"
	AuditOfferingUpdated      = "offering.updated"
	AuditSpaceRequestApproved = "space_request.approved"
	AuditSpaceRequestRefused  = "space_request.refused"
)
