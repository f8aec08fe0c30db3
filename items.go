package relais

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Actionable items: what a conversation turns into. A reply of a team
// space becomes a coordination task (an owner, a due date, done or not); a
// problem is open until the reply that solves it is marked; a best
// practice is captured into the library other spaces reuse.

// Notification kinds of the actionable items.
const (
	// NotifyTaskAssigned tells a person a task is theirs (Detail: its
	// title, SubjectID: the task).
	NotifyTaskAssigned = "task.assigned"
	// NotifyProblemSolved tells the author of a reply that it solved a
	// problem (SubjectID: the reply).
	NotifyProblemSolved = "problem.solved"
)

// Task is a coordination task born from a post or a reply of a team space.
type Task struct {
	ID        int64  `json:"id"`
	SpaceID   int64  `json:"space_id"`
	SpaceName string `json:"space_name"`
	PostID    int64  `json:"post_id"`
	PostTitle string `json:"post_title"`
	// ReplyID is the reply the task comes from, 0 when it comes from the
	// post itself.
	ReplyID     int64      `json:"reply_id,omitempty"`
	Title       string     `json:"title"`
	OwnerID     int64      `json:"owner_id"`
	OwnerLogin  string     `json:"owner_login"`
	OwnerName   string     `json:"owner_name"`
	DueOn       string     `json:"due_on,omitempty"` // YYYY-MM-DD, "" for none
	Done        bool       `json:"done"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	CreatedBy   int64      `json:"created_by"`
	CreatorName string     `json:"created_by_name"`
	CreatedAt   time.Time  `json:"created_at"`
	Overdue     bool       `json:"overdue"`
	DoneByID    int64      `json:"done_by,omitempty"`
	DoneByName  string     `json:"done_by_name,omitempty"`
}

// MarkOverdue sets Overdue: an open task whose due date is before today
// (in UTC).
func (t *Task) MarkOverdue(now time.Time) {
	t.Overdue = !t.Done && t.DueOn != "" && t.DueOn < now.UTC().Format(time.DateOnly)
}

// TaskStatus filters tasks: open, done or all.
type TaskStatus string

// Task statuses of a filter.
const (
	TasksOpen TaskStatus = "open"
	TasksDone TaskStatus = "done"
	TasksAll  TaskStatus = "all"
)

// ParseTaskStatus reads the status filter of a task list; "" is open.
func ParseTaskStatus(s string) (TaskStatus, error) {
	switch TaskStatus(s) {
	case "", TasksOpen:
		return TasksOpen, nil
	case TasksDone, TasksAll:
		return TaskStatus(s), nil
	}
	return "", &Error{Code: EINVALID, Field: "status", Message: "Unknown status " + quote(s) + "; expected open, done or all.",
		MessageFR: "Statut inconnu " + quote(s) + " ; attendu : open, done ou all."}
}

// MaxTaskTitle bounds the title of a task, in characters.
const MaxTaskTitle = 200

// ValidateTaskTitle checks and trims the title of a task.
func ValidateTaskTitle(title string) (string, error) {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return "", &Error{Code: EINVALID, Field: "title", Message: "A task needs a title: what is to be done.", MessageFR: "Une tâche a besoin d'un titre : ce qu'il faut faire."}
	case !ValidText(title):
		return "", &Error{Code: EINVALID, Field: "title", Message: "The title holds invalid characters (not UTF-8, or a NUL).", MessageFR: "Le titre contient des caractères invalides (hors UTF-8, ou NUL)."}
	case utf8.RuneCountInString(title) > MaxTaskTitle:
		return "", &Error{Code: EINVALID, Field: "title", Message: "The title of a task is longer than 200 characters.", MessageFR: "Le titre de la tâche dépasse 200 caractères."}
	}
	return title, nil
}

// ValidateDueOn checks a due date, YYYY-MM-DD or "" for none, and returns
// it in its canonical form.
func ValidateDueOn(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2999 {
		return "", &Error{Code: EINVALID, Field: "due_on", Message: "The due date " + quote(s) + " is not a date written YYYY-MM-DD (between 2000 and 2999).",
			MessageFR: "L'échéance " + quote(s) + " n'est pas une date au format AAAA-MM-JJ (entre 2000 et 2999)."}
	}
	return d.Format(time.DateOnly), nil
}

// NewTask is what a person submits to turn a post or a reply into a task.
type NewTask struct {
	ReplyID    int64  `json:"reply_id"`
	Title      string `json:"title"`
	OwnerLogin string `json:"owner_login"`
	DueOn      string `json:"due_on"`
}

// Validate checks a new task and trims its texts.
func (n *NewTask) Validate() error {
	var err error
	if n.Title, err = ValidateTaskTitle(n.Title); err != nil {
		return err
	}
	n.OwnerLogin = strings.TrimSpace(n.OwnerLogin)
	if n.OwnerLogin == "" {
		return &Error{Code: EINVALID, Field: "owner_login", Message: "Name the owner of the task (owner_login).", MessageFR: "Indiquez le responsable de la tâche (owner_login)."}
	}
	if n.ReplyID < 0 {
		return &Error{Code: EINVALID, Field: "reply_id", Message: "reply_id must be a positive integer.", MessageFR: "reply_id doit être un entier positif."}
	}
	n.DueOn, err = ValidateDueOn(n.DueOn)
	return err
}

// TaskChange is a change to a task: only the fields given change.
type TaskChange struct {
	Title      *string `json:"title"`
	OwnerLogin *string `json:"owner_login"`
	DueOn      *string `json:"due_on"`
	Done       *bool   `json:"done"`
}

// Validate checks a change and trims its texts.
func (c *TaskChange) Validate() error {
	if c.Title == nil && c.OwnerLogin == nil && c.DueOn == nil && c.Done == nil {
		return &Error{Code: EINVALID, Message: "Nothing to change: give title, owner_login, due_on or done.",
			MessageFR: "Rien à changer : indiquez title, owner_login, due_on ou done."}
	}
	if c.Title != nil {
		t, err := ValidateTaskTitle(*c.Title)
		if err != nil {
			return err
		}
		c.Title = &t
	}
	if c.OwnerLogin != nil {
		l := strings.TrimSpace(*c.OwnerLogin)
		if l == "" {
			return &Error{Code: EINVALID, Field: "owner_login", Message: "Name the owner of the task (owner_login).", MessageFR: "Indiquez le responsable de la tâche (owner_login)."}
		}
		c.OwnerLogin = &l
	}
	if c.DueOn != nil {
		d, err := ValidateDueOn(*c.DueOn)
		if err != nil {
			return err
		}
		c.DueOn = &d
	}
	return nil
}

// ProblemStatus is where a problem stands: open until a reply solves it.
type ProblemStatus string

// Problem statuses.
const (
	ProblemOpen   ProblemStatus = "open"
	ProblemSolved ProblemStatus = "solved"
)

// ParseProblemStatus reads the status filter of a problem list; "" is
// open.
func ParseProblemStatus(s string) (ProblemStatus, error) {
	switch ProblemStatus(s) {
	case "", ProblemOpen:
		return ProblemOpen, nil
	case ProblemSolved:
		return ProblemSolved, nil
	}
	return "", &Error{Code: EINVALID, Field: "status", Message: "Unknown status " + quote(s) + "; expected open or solved.",
		MessageFR: "Statut inconnu " + quote(s) + " ; attendu : open ou solved."}
}

// Problem is a post of kind problem with where it stands: the reply that
// solved it, by whom and when.
type Problem struct {
	PostID          int64         `json:"post_id"`
	SpaceID         int64         `json:"space_id"`
	Title           string        `json:"title"`
	AuthorID        int64         `json:"author_id"`
	AuthorName      string        `json:"author_name"`
	Status          ProblemStatus `json:"status"`
	SolutionReplyID int64         `json:"solution_reply_id,omitempty"`
	SolutionAuthor  string        `json:"solution_author,omitempty"`
	SolvedBy        int64         `json:"solved_by,omitempty"`
	SolvedByName    string        `json:"solved_by_name,omitempty"`
	SolvedAt        *time.Time    `json:"solved_at,omitempty"`
	ReplyCount      int           `json:"reply_count"`
	CreatedAt       time.Time     `json:"created_at"`
}

// Limits of a best practice, in characters.
const (
	MaxPracticeSummary = 2000
	MaxPracticeTags    = 10
	MaxPracticeTag     = 40
)

// Practice is a best practice a space consented to share in the library:
// its title, summary and tags, the source space's name and kind, and how
// many spaces reused it. It never carries the original thread's text,
// replies or authors.
type Practice struct {
	ID          int64      `json:"id"`
	SpaceID     int64      `json:"space_id"`
	SpaceName   string     `json:"space_name"`
	SpaceKind   SpaceKind  `json:"space_kind"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Tags        []string   `json:"tags"`
	SharedAt    time.Time  `json:"shared_at"`
	Reuses      int        `json:"reuses"`
	WithdrawnAt *time.Time `json:"-"`
	// PostID and SharedBy are kept for the source space's own members and
	// the stewardship; the API shows them to nobody else.
	PostID   int64 `json:"-"`
	SharedBy int64 `json:"-"`
}

// NewPractice is what a manager or an internal steward submits to share a
// post of their space in the library.
type NewPractice struct {
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Tags    []string `json:"tags"`
}

// Validate checks a new practice, trims its texts and normalizes its tags
// (lowercase, without a leading #, each once).
func (n *NewPractice) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	n.Summary = strings.TrimSpace(n.Summary)
	switch {
	case n.Title == "":
		return &Error{Code: EINVALID, Field: "title", Message: "A practice needs a title.", MessageFR: "Une pratique a besoin d'un titre."}
	case utf8.RuneCountInString(n.Title) > MaxTitle:
		return &Error{Code: EINVALID, Field: "title", Message: "The title is longer than 200 characters.", MessageFR: "Le titre dépasse 200 caractères."}
	case n.Summary == "":
		return &Error{Code: EINVALID, Field: "summary", Message: "Write a summary: it is all other spaces will read of the practice.",
			MessageFR: "Rédigez un résumé : c'est tout ce que les autres espaces liront de la pratique."}
	case utf8.RuneCountInString(n.Summary) > MaxPracticeSummary:
		return &Error{Code: EINVALID, Field: "summary", Message: "The summary is longer than 2,000 characters.", MessageFR: "Le résumé dépasse 2 000 caractères."}
	case !ValidText(n.Title) || !ValidText(n.Summary):
		return &Error{Code: EINVALID, Message: "The text holds invalid characters (not UTF-8, or a NUL).", MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	case len(n.Tags) > MaxPracticeTags:
		return &Error{Code: EINVALID, Field: "tags", Message: "At most 10 tags.", MessageFR: "10 mots-clés au plus."}
	}
	tags := []string{}
	for _, t := range n.Tags {
		t = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")))
		switch {
		case t == "":
			continue
		case utf8.RuneCountInString(t) > MaxPracticeTag || !ValidText(t) || strings.ContainsAny(t, ",\n\r\t"):
			return &Error{Code: EINVALID, Field: "tags", Message: "A tag is a word or two of at most 40 characters, without a comma.",
				MessageFR: "Un mot-clé tient en un ou deux mots de 40 caractères au plus, sans virgule."}
		}
		if !containsString(tags, t) {
			tags = append(tags, t)
		}
	}
	n.Tags = tags
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SplitTags reads tags typed in one field, separated by commas.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// MaxLibraryQuery bounds a search of the library, in characters.
const MaxLibraryQuery = 200
