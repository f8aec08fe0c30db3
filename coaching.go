package relais

import (
	"regexp"
	"strings"
	"time"
)

// Coaching: a team's manager asks the community manager or an internal
// social media manager for coaching or training. The two of them write in
// a private thread; the coach sees the aggregate (k-anonymous) figures of
// the team space and has no other presence there.

// CoachingStatus is where a coaching stands.
type CoachingStatus string

// Coaching statuses.
const (
	CoachingOpen   CoachingStatus = "open"
	CoachingClosed CoachingStatus = "closed"
)

// Bounds of the texts of a coaching.
const (
	// MaxCoachingTopic bounds the topic of a coaching, in characters.
	MaxCoachingTopic = 200
	// MaxCoachingMessage bounds a message of a coaching thread.
	MaxCoachingMessage = 5000
)

// Coaching is a private thread between a team's manager and their coach.
type Coaching struct {
	ID          int64          `json:"id"`
	TeamID      int64          `json:"team_id"`
	TeamName    string         `json:"team_name"`
	ManagerID   int64          `json:"manager_id"`
	ManagerName string         `json:"manager_name"`
	CoachID     int64          `json:"coach_id"`
	CoachLogin  string         `json:"coach_login"`
	CoachName   string         `json:"coach_name"`
	Topic       string         `json:"topic"`
	Status      CoachingStatus `json:"status"`
	// Messages counts the messages of the thread.
	Messages  int        `json:"messages"`
	CreatedAt time.Time  `json:"created_at"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
}

// Open reports whether the coaching still runs.
func (c *Coaching) Open() bool { return c.Status == CoachingOpen }

// CoachingMessage is one message of a coaching thread.
type CoachingMessage struct {
	ID         int64     `json:"id"`
	CoachingID int64     `json:"coaching_id"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewCoaching is a manager's request for coaching.
type NewCoaching struct {
	// CoachLogin names the coach: the community manager or an internal
	// social media manager.
	CoachLogin string
	// Topic says what the coaching is about; empty gives a default.
	Topic string
	// TeamID names the team, needed only when the manager leads several.
	TeamID int64
}

// Validate checks and trims the request.
func (n *NewCoaching) Validate() error {
	n.CoachLogin = strings.TrimSpace(n.CoachLogin)
	if n.CoachLogin == "" {
		return &Error{Code: EINVALID, Field: "coach_login", Message: "Name the coach by their login.",
			MessageFR: "Désignez le coach par son identifiant."}
	}
	if !ValidText(n.CoachLogin) || len(n.CoachLogin) > 200 {
		return &Error{Code: EINVALID, Field: "coach_login", Message: "The coach's login is not valid.",
			MessageFR: "L'identifiant du coach n'est pas valide."}
	}
	if n.TeamID < 0 {
		return &Error{Code: EINVALID, Field: "team_id", Message: "The team_id is a positive integer.",
			MessageFR: "Le champ team_id est un entier positif."}
	}
	if strings.TrimSpace(n.Topic) == "" {
		n.Topic = ""
		return nil
	}
	topic, err := ValidateText("topic", "sujet", n.Topic, MaxCoachingTopic)
	n.Topic = topic
	return err
}

// ValidateCoachingMessage checks and trims a message of a coaching thread.
func ValidateCoachingMessage(body string) (string, error) {
	return ValidateText("body", "message", body, MaxCoachingMessage)
}

// Notification kinds of coaching and mentions. They reach the two parties
// of a coaching, and the people mentioned who may read the space; never a
// team's members about their coach.
const (
	NotifyCoachingRequested = "coaching.requested"
	NotifyCoachingMessage   = "coaching.message"
	NotifyCoachingClosed    = "coaching.closed"
	// NotifyMention tells a person that a post or reply names them.
	NotifyMention = "mention"
	// NotifyReply tells a thread's author that someone answered it (unless
	// the reply names them: the mention tells it already).
	NotifyReply = "reply"
	// NotifyFollowedReply tells who follows a thread of a new reply, and
	// NotifyFollowedThread who follows a space of a new thread.
	NotifyFollowedReply  = "followed.reply"
	NotifyFollowedThread = "followed.thread"
)

// Audit actions of coaching.
const (
	AuditCoachingRequested = "coaching.requested"
	AuditCoachingClosed    = "coaching.closed"
)

// mentionPattern finds @login: an at sign that does not follow a word
// character (so that e-mail addresses are not mentions), then a login.
var mentionPattern = regexp.MustCompile(`(^|[^\pL\pN_.@])@([\pL\pN][\pL\pN._-]{0,62}[\pL\pN]|[\pL\pN])`)

// MaxMentions bounds the people one text notifies.
const MaxMentions = 20

// Mentions returns the logins a text mentions as @login, as their keys
// (LoginKey: @Paul and @ｐａｕｌ are @paul), each once, in order, at most
// MaxMentions.
func Mentions(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		login := LoginKey(m[2])
		if !seen[login] {
			seen[login] = true
			out = append(out, login)
			if len(out) == MaxMentions {
				break
			}
		}
	}
	return out
}

// MentionSpans splits a text around its @login mentions: the pieces of
// plain text and the logins, in order, for rendering. Each element is
// either Text or Login.
func MentionSpans(text string) []MentionSpan {
	var out []MentionSpan
	last := 0
	for _, idx := range mentionPattern.FindAllStringSubmatchIndex(text, -1) {
		at := idx[4] - 1 // the @ before the login
		if at > last {
			out = append(out, MentionSpan{Text: text[last:at]})
		}
		out = append(out, MentionSpan{Login: text[idx[4]:idx[5]]})
		last = idx[5]
	}
	if last < len(text) {
		out = append(out, MentionSpan{Text: text[last:]})
	}
	return out
}

// MentionSpan is a piece of text or a mentioned login.
type MentionSpan struct {
	Text  string
	Login string
}
