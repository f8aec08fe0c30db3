package relais

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // routines' time zones, whatever the host has
	"unicode/utf8"
)

// A routine is a usage scenario a team's manager runs in the team space:
// on its schedule, its prompt is posted as a thread, and the members answer
// it with the structured fields of its template. A routine may record the
// practice it replaces (the weekly status e-mail, the Monday meeting), so
// that the team first does what it already did, in a new channel.

// FieldKind is the kind of value a routine's field holds.
type FieldKind string

// Field kinds.
const (
	FieldText     FieldKind = "text"     // one line
	FieldLongText FieldKind = "longtext" // several lines
	FieldDate     FieldKind = "date"     // YYYY-MM-DD
	FieldPerson   FieldKind = "person"   // the login of a member of the space
	FieldChoice   FieldKind = "choice"   // one of the field's choices
)

// Limits of an answer's values, in characters.
const (
	MaxFieldText     = 500
	MaxFieldLongText = 5000
)

// FieldOption is one value a choice field accepts, with its labels.
type FieldOption struct {
	Value   string `json:"value"`
	LabelFR string `json:"label_fr"`
	LabelEN string `json:"label_en"`
}

// Label returns the choice's label in lang ("fr" or "en").
func (c FieldOption) Label(lang string) string { return pick(lang, c.LabelFR, c.LabelEN) }

// RoutineField is one structured field members fill in to answer a prompt.
type RoutineField struct {
	Key      string        `json:"key"`
	LabelFR  string        `json:"label_fr"`
	LabelEN  string        `json:"label_en"`
	Kind     FieldKind     `json:"kind"`
	Required bool          `json:"required"`
	Choices  []FieldOption `json:"choices,omitempty"`
}

// Label returns the field's label in lang ("fr" or "en").
func (f RoutineField) Label(lang string) string { return pick(lang, f.LabelFR, f.LabelEN) }

// ChoiceLabel returns the label of one of the field's choices in lang, or
// the value itself when it is not one of them.
func (f RoutineField) ChoiceLabel(value, lang string) string {
	for _, c := range f.Choices {
		if c.Value == value {
			return c.Label(lang)
		}
	}
	return value
}

func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// RoutineTemplate is a usage scenario a manager starts a routine from.
type RoutineTemplate struct {
	Code     string         `json:"code"`
	TitleFR  string         `json:"title_fr"`
	TitleEN  string         `json:"title_en"`
	PromptFR string         `json:"prompt_fr"`
	PromptEN string         `json:"prompt_en"`
	Fields   []RoutineField `json:"fields"`
	// Schedule is the schedule proposed by default.
	Schedule string `json:"schedule"`
	// Kind is the kind of the threads its prompts open.
	Kind PostKind `json:"kind"`
	// ReplacesFR and ReplacesEN are examples of the practices it replaces.
	ReplacesFR []string `json:"replaces_fr"`
	ReplacesEN []string `json:"replaces_en"`
}

// Title returns the template's title in lang.
func (t RoutineTemplate) Title(lang string) string { return pick(lang, t.TitleFR, t.TitleEN) }

// Prompt returns the template's prompt in lang.
func (t RoutineTemplate) Prompt(lang string) string { return pick(lang, t.PromptFR, t.PromptEN) }

// Replaces returns the examples of practices it replaces in lang.
func (t RoutineTemplate) Replaces(lang string) []string {
	if lang == "en" {
		return t.ReplacesEN
	}
	return t.ReplacesFR
}

func field(key, fr, en string, kind FieldKind, required bool, choices ...FieldOption) RoutineField {
	return RoutineField{Key: key, LabelFR: fr, LabelEN: en, Kind: kind, Required: required, Choices: choices}
}

// RoutineTemplates are the usage scenarios offered, in display order.
var RoutineTemplates = []RoutineTemplate{
	{Code: "weekly_priorities", TitleFR: "Priorités de la semaine", TitleEN: "Weekly priorities",
		PromptFR: "Quelles sont vos trois priorités cette semaine, et de quoi avez-vous besoin ?",
		PromptEN: "What are your three priorities this week, and what do you need?",
		Fields: []RoutineField{
			field("priorities", "Mes priorités", "My priorities", FieldLongText, true),
			field("needs", "Ce dont j'ai besoin", "What I need", FieldText, false),
			field("absences", "Absences prévues", "Planned absences", FieldText, false),
		},
		Schedule: "weekly mon 09:00", Kind: KindCoordination,
		ReplacesFR: []string{"la réunion du lundi", "le mail de statut hebdomadaire"},
		ReplacesEN: []string{"the Monday meeting", "the weekly status e-mail"}},
	{Code: "daily_checkin", TitleFR: "Point du jour", TitleEN: "Daily check-in",
		PromptFR: "Sur quoi travaillez-vous aujourd'hui ? Quelque chose vous bloque-t-il ?",
		PromptEN: "What are you working on today? Is anything blocking you?",
		Fields: []RoutineField{
			field("today", "Aujourd'hui", "Today", FieldText, true),
			field("blockers", "Blocages", "Blockers", FieldText, false),
			field("where", "Où je travaille", "Where I work", FieldChoice, false,
				FieldOption{"site", "Sur site", "On site"}, FieldOption{"remote", "À distance", "Remote"},
				FieldOption{"away", "Absent", "Away"}),
		},
		Schedule: "weekdays 09:00", Kind: KindCoordination,
		ReplacesFR: []string{"le point debout quotidien", "les messages « tu es dispo ? »"},
		ReplacesEN: []string{"the daily stand-up", "the “are you free?” messages"}},
	{Code: "problem_solution", TitleFR: "Problème → solution", TitleEN: "Problem → solution",
		PromptFR: "Quel problème avez-vous rencontré cette semaine ? Décrivez-le : l'équipe cherche la solution ici.",
		PromptEN: "What problem did you meet this week? Describe it: the team looks for the solution here.",
		Fields: []RoutineField{
			field("problem", "Le problème", "The problem", FieldLongText, true),
			field("impact", "Impact", "Impact", FieldChoice, true,
				FieldOption{"low", "Faible", "Low"}, FieldOption{"medium", "Moyen", "Medium"}, FieldOption{"high", "Fort", "High"}),
			field("tried", "Ce que j'ai essayé", "What I tried", FieldText, false),
		},
		Schedule: "weekly thu 14:00", Kind: KindProblem,
		ReplacesFR: []string{"les problèmes remontés un par un par e-mail", "le tour de table des difficultés"},
		ReplacesEN: []string{"problems reported one by one by e-mail", "the round-table of difficulties"}},
	{Code: "best_practice_of_the_week", TitleFR: "Bonne pratique de la semaine", TitleEN: "Best practice of the week",
		PromptFR: "Quelle bonne pratique avez-vous appliquée ou découverte cette semaine ?",
		PromptEN: "Which best practice did you apply or discover this week?",
		Fields: []RoutineField{
			field("practice", "La pratique", "The practice", FieldLongText, true),
			field("context", "Dans quel cas l'utiliser", "When to use it", FieldText, false),
			field("learned_from", "Apprise de", "Learned from", FieldPerson, false),
		},
		Schedule: "weekly fri 11:00", Kind: KindBestPractice,
		ReplacesFR: []string{"les astuces échangées à la machine à café", "le wiki que personne ne relit"},
		ReplacesEN: []string{"tips traded at the coffee machine", "the wiki nobody reads again"}},
	{Code: "decision_log", TitleFR: "Journal des décisions", TitleEN: "Decision log",
		PromptFR: "Quelles décisions ont été prises cette semaine ? Notez-les pour que toute l'équipe les retrouve.",
		PromptEN: "Which decisions were made this week? Write them down so that the whole team finds them.",
		Fields: []RoutineField{
			field("decision", "Décision", "Decision", FieldText, true),
			field("reason", "Pourquoi", "Why", FieldLongText, false),
			field("owner", "Responsable", "Owner", FieldPerson, true),
			field("effective", "À partir du", "Effective from", FieldDate, false),
		},
		Schedule: "weekly fri 16:00", Kind: KindDecision,
		ReplacesFR: []string{"le compte rendu de réunion", "les décisions perdues dans les e-mails"},
		ReplacesEN: []string{"the meeting minutes", "decisions lost in e-mail threads"}},
	{Code: "retrospective", TitleFR: "Rétrospective", TitleEN: "Retrospective",
		PromptFR: "Qu'est-ce qui a bien marché, que faut-il améliorer, et quelle action retenir ?",
		PromptEN: "What went well, what should improve, and which action do we keep?",
		Fields: []RoutineField{
			field("went_well", "Ce qui a bien marché", "What went well", FieldLongText, true),
			field("to_improve", "À améliorer", "To improve", FieldLongText, true),
			field("action", "Action proposée", "Proposed action", FieldText, false),
		},
		Schedule: "monthly 1 10:00", Kind: KindDiscussion,
		ReplacesFR: []string{"le bilan de fin de projet", "la réunion mensuelle d'équipe"},
		ReplacesEN: []string{"the end-of-project review", "the monthly team meeting"}},
}

// RoutineTemplateByCode returns the template with that code.
func RoutineTemplateByCode(code string) (RoutineTemplate, bool) {
	for _, t := range RoutineTemplates {
		if t.Code == code {
			return t, true
		}
	}
	return RoutineTemplate{}, false
}

// RoutineStatus tells whether a routine posts its prompts.
type RoutineStatus string

// Routine statuses.
const (
	RoutineActive RoutineStatus = "active"
	RoutinePaused RoutineStatus = "paused"
)

// Routine is a usage scenario running in a team space.
type Routine struct {
	ID       int64          `json:"id"`
	SpaceID  int64          `json:"space_id"`
	Template string         `json:"template"`
	Lang     string         `json:"lang"` // the language of its title, prompt and answers' bodies
	Kind     PostKind       `json:"kind"`
	Title    string         `json:"title"`
	Prompt   string         `json:"prompt"`
	Fields   []RoutineField `json:"fields"`
	Schedule string         `json:"schedule"`
	TimeZone string         `json:"time_zone"`
	// Replaces is the existing practice the routine replaces.
	Replaces string        `json:"replaces"`
	Status   RoutineStatus `json:"status"`
	// PauseReason says why the routine paused by itself (its team has no
	// manager any more); empty when a manager paused it.
	PauseReason string `json:"pause_reason,omitempty"`
	// NextRunAt is when the next prompt is due; nil while paused.
	NextRunAt *time.Time `json:"next_run_at"`
	// LastPostID is the thread of the latest prompt posted (0: none yet).
	LastPostID int64     `json:"last_post_id,omitempty"`
	Runs       int       `json:"runs"`
	CreatedBy  int64     `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Limits of a routine's texts, in characters.
const (
	MaxRoutineTitle    = 200
	MaxRoutinePrompt   = 2000
	MaxRoutineReplaces = 200
)

// Validate checks and trims the texts a manager may edit.
func (r *Routine) Validate() error {
	r.Title, r.Prompt, r.Replaces = strings.TrimSpace(r.Title), strings.TrimSpace(r.Prompt), strings.TrimSpace(r.Replaces)
	check := func(field, s string, limit int, en, fr string, required bool) error {
		switch {
		case required && s == "":
			return &Error{Code: EINVALID, Field: field, Message: "The " + en + " is required.", MessageFR: fr + " est requis."}
		case utf8.RuneCountInString(s) > limit:
			return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("The %s is longer than %d characters.", en, limit),
				MessageFR: fmt.Sprintf("%s dépasse %d caractères.", fr, limit)}
		case !ValidText(s):
			return &Error{Code: EINVALID, Field: field, Message: "The text holds invalid characters (not UTF-8, or a NUL).",
				MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
		}
		return nil
	}
	if err := check("title", r.Title, MaxRoutineTitle, "title", "Le titre", true); err != nil {
		return err
	}
	if err := check("prompt", r.Prompt, MaxRoutinePrompt, "prompt", "Le message d'invitation", true); err != nil {
		return err
	}
	if err := check("replaces", r.Replaces, MaxRoutineReplaces, "practice replaced", "La pratique remplacée", false); err != nil {
		return err
	}
	if r.Status != RoutineActive && r.Status != RoutinePaused {
		return &Error{Code: EINVALID, Field: "status", Message: "Unknown status; expected active or paused.",
			MessageFR: "Statut inconnu ; attendu : active ou paused."}
	}
	_, err := ParseSchedule(r.Schedule, r.TimeZone)
	return err
}

// NotifyRoutinePrompt tells a member of a team that a routine posted its
// prompt.
const NotifyRoutinePrompt = "routine.prompt"

// Audit actions of routines.
const (
	AuditRoutineStarted = "routine.started"
	AuditRoutineChanged = "routine.changed"
	AuditRoutinePaused  = "routine.paused"
)

// DefaultTimeZone is the time zone of a routine that names none.
const DefaultTimeZone = "Europe/Paris"

// Frequency is how often a schedule comes round.
type Frequency string

// Frequencies.
const (
	Daily    Frequency = "daily"
	Weekdays Frequency = "weekdays" // Monday to Friday
	Weekly   Frequency = "weekly"
	Monthly  Frequency = "monthly"
)

// Schedule is when a routine posts its prompt: a rule read in a time zone.
type Schedule struct {
	Every   Frequency
	Weekday time.Weekday // weekly
	Weeks   int          // weekly: every Weeks weeks (1 to 4)
	Day     int          // monthly: day of the month, 1 to 28
	Hour    int
	Minute  int
	Loc     *time.Location
}

var weekdayNames = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday, "sun": time.Sunday,
	"lun": time.Monday, "mar": time.Tuesday, "mer": time.Wednesday, "jeu": time.Thursday, "ven": time.Friday,
	"sam": time.Saturday, "dim": time.Sunday,
}

var weekdayCodes = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func scheduleError(en, fr string) error {
	const formsEN = ` Write "daily 09:00", "weekdays 09:00", "weekly mon 09:00", "every 2 weeks mon 09:00" or "monthly 1 09:00".`
	const formsFR = ` Écrivez « daily 09:00 », « weekdays 09:00 », « weekly mon 09:00 », « every 2 weeks mon 09:00 » ou « monthly 1 09:00 ».`
	return &Error{Code: EINVALID, Field: "schedule", Message: en + formsEN, MessageFR: fr + formsFR}
}

// ParseSchedule reads a schedule ("daily 09:00", "weekdays 09:00",
// "weekly mon 09:00", "every 2 weeks mon 09:00", "monthly 1 09:00") in the
// IANA time zone tz (DefaultTimeZone when empty).
func ParseSchedule(text, tz string) (Schedule, error) {
	var s Schedule
	if tz = strings.TrimSpace(tz); tz == "" {
		tz = DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" || len(tz) > 64 || !ValidText(tz) {
		return s, &Error{Code: EINVALID, Field: "time_zone",
			Message:   "Unknown time zone; expected an IANA name such as Europe/Paris or America/Montreal.",
			MessageFR: "Fuseau horaire inconnu ; attendu un nom IANA comme Europe/Paris ou America/Montreal."}
	}
	s.Loc = loc
	if len(text) > 64 {
		return s, scheduleError("The schedule is too long.", "Le rythme est trop long.")
	}
	words := strings.Fields(strings.ToLower(text))
	if len(words) < 2 {
		return s, scheduleError("The schedule needs a frequency and a time.", "Le rythme doit donner une fréquence et une heure.")
	}
	clock := words[len(words)-1]
	words = words[:len(words)-1]
	if s.Hour, s.Minute, err = parseClock(clock); err != nil {
		return s, err
	}
	day := func(w string) error {
		d, ok := weekdayNames[strings.TrimSuffix(w, ".")]
		if !ok {
			return scheduleError(fmt.Sprintf("%q is not a day of the week (mon, tue, wed, thu, fri, sat, sun).", w),
				fmt.Sprintf("« %s » n'est pas un jour de la semaine (mon, tue, wed, thu, fri, sat, sun).", w))
		}
		s.Weekday = d
		return nil
	}
	switch {
	case len(words) == 1 && words[0] == "daily":
		s.Every = Daily
	case len(words) == 1 && words[0] == "weekdays":
		s.Every = Weekdays
	case len(words) == 2 && words[0] == "weekly":
		s.Every, s.Weeks = Weekly, 1
		return s, day(words[1])
	case len(words) == 4 && words[0] == "every" && (words[2] == "weeks" || words[2] == "week"):
		n, err := strconv.Atoi(words[1])
		if err != nil || n < 1 || n > 4 {
			return s, scheduleError("Every how many weeks: 1 to 4.", "Toutes les combien de semaines : de 1 à 4.")
		}
		s.Every, s.Weeks = Weekly, n
		return s, day(words[3])
	case len(words) == 2 && words[0] == "monthly":
		n, err := strconv.Atoi(words[1])
		if err != nil || n < 1 || n > 28 {
			return s, scheduleError("The day of the month is a number from 1 to 28, so that every month has it.",
				"Le jour du mois est un nombre de 1 à 28, pour que chaque mois l'ait.")
		}
		s.Every, s.Day = Monthly, n
	default:
		return s, scheduleError(fmt.Sprintf("Unknown schedule %q.", text), fmt.Sprintf("Rythme inconnu « %s ».", text))
	}
	return s, nil
}

func parseClock(w string) (h, m int, err error) {
	hs, ms, ok := strings.Cut(strings.Replace(w, "h", ":", 1), ":")
	if ms == "" {
		ms = "00"
	}
	var e1, e2 error
	h, e1 = strconv.Atoi(hs)
	m, e2 = strconv.Atoi(ms)
	if !ok || e1 != nil || e2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) != 2 {
		return 0, 0, scheduleError(fmt.Sprintf("%q is not a time of day (HH:MM, 00:00 to 23:59).", w),
			fmt.Sprintf("« %s » n'est pas une heure (HH:MM, de 00:00 à 23:59).", w))
	}
	return h, m, nil
}

// String returns the schedule's rule in its canonical form.
func (s Schedule) String() string {
	clock := fmt.Sprintf("%02d:%02d", s.Hour, s.Minute)
	switch s.Every {
	case Daily, Weekdays:
		return string(s.Every) + " " + clock
	case Weekly:
		if s.Weeks > 1 {
			return fmt.Sprintf("every %d weeks %s %s", s.Weeks, weekdayCodes[s.Weekday], clock)
		}
		return "weekly " + weekdayCodes[s.Weekday] + " " + clock
	case Monthly:
		return fmt.Sprintf("monthly %d %s", s.Day, clock)
	}
	return ""
}

var (
	weekdaysFR = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	monthsFR   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
		"octobre", "novembre", "décembre"}
)

// Describe says the schedule in words, in lang ("fr" or "en").
func (s Schedule) Describe(lang string) string {
	clock := fmt.Sprintf("%02d:%02d", s.Hour, s.Minute)
	if lang == "en" {
		switch s.Every {
		case Daily:
			return "every day at " + clock
		case Weekdays:
			return "every weekday (Monday to Friday) at " + clock
		case Weekly:
			if s.Weeks > 1 {
				return fmt.Sprintf("every %d weeks on %s at %s", s.Weeks, s.Weekday, clock)
			}
			return "every " + s.Weekday.String() + " at " + clock
		case Monthly:
			return fmt.Sprintf("on day %d of every month at %s", s.Day, clock)
		}
		return ""
	}
	clock = strings.Replace(clock, ":", " h ", 1)
	switch s.Every {
	case Daily:
		return "chaque jour à " + clock
	case Weekdays:
		return "chaque jour ouvré (du lundi au vendredi) à " + clock
	case Weekly:
		if s.Weeks > 1 {
			return fmt.Sprintf("un %s sur %d à %s", weekdaysFR[s.Weekday], s.Weeks, clock)
		}
		return "chaque " + weekdaysFR[s.Weekday] + " à " + clock
	case Monthly:
		return fmt.Sprintf("le %d de chaque mois à %s", s.Day, clock)
	}
	return ""
}

// civilDays counts the days from 1970-01-05 (a Monday) to a calendar date.
func civilDays(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func (s Schedule) matches(y int, m time.Month, d int) bool {
	wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()
	switch s.Every {
	case Daily:
		return true
	case Weekdays:
		return wd != time.Saturday && wd != time.Sunday
	case Weekly:
		if wd != s.Weekday {
			return false
		}
		// Every n weeks counts the weeks from a fixed Monday, so that
		// restarts and nodes agree on which weeks are on.
		return s.Weeks <= 1 || floorDiv(civilDays(y, m, d), 7)%s.Weeks == 0
	case Monthly:
		return d == s.Day
	}
	return false
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Next returns the first instant of the schedule strictly after after. The
// time of day is read on the wall clock of the schedule's time zone, so a
// prompt at 09:00 stays at 09:00 across daylight saving changes; a time
// that does not exist that day (skipped by the spring change) comes at the
// same distance after the change. It returns the zero time for a schedule
// that never comes (an invalid one).
func (s Schedule) Next(after time.Time) time.Time {
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	local := after.In(loc)
	y, m, d := local.Date()
	for i := 0; i < 400; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		dy, dm, dd := day.Date()
		if !s.matches(dy, dm, dd) {
			continue
		}
		if at := time.Date(dy, dm, dd, s.Hour, s.Minute, 0, 0, loc); at.After(after) {
			return at.UTC()
		}
	}
	return time.Time{}
}

// NextRun parses a routine's schedule and returns its next instant after
// after.
func NextRun(schedule, tz string, after time.Time) (time.Time, error) {
	s, err := ParseSchedule(schedule, tz)
	if err != nil {
		return time.Time{}, err
	}
	return s.Next(after), nil
}

// LatestDue returns the latest instant of the schedule that is not after
// now, starting from due (a due instant not after now): a routine whose
// server was down for weeks posts one prompt, the latest, not one per
// missed slot.
func (s Schedule) LatestDue(due, now time.Time) time.Time {
	// Every schedule comes round at least every 31 days: beyond 40 days,
	// start the walk 40 days back.
	if now.Sub(due) > 40*24*time.Hour {
		if n := s.Next(now.Add(-40 * 24 * time.Hour)); !n.IsZero() && !n.After(now) {
			due = n
		}
	}
	for n := s.Next(due); !n.IsZero() && !n.After(now); n = s.Next(n) {
		due = n
	}
	return due
}

// PromptTitle is the title of the thread a prompt opens: the routine's
// title and the day it is due, in the routine's language and time zone.
func (r *Routine) PromptTitle(due time.Time) string {
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	d := due.In(loc)
	var day string
	if r.Lang == "en" {
		day = d.Format("Monday 2 January 2006")
	} else {
		day = fmt.Sprintf("%s %d %s %d", weekdaysFR[d.Weekday()], d.Day(), monthsFR[d.Month()-1], d.Year())
	}
	title := r.Title + " — " + day
	if utf8.RuneCountInString(title) > MaxTitle {
		title = string([]rune(title)[:MaxTitle])
	}
	return title
}

// RoutineAnswer is a member's structured answer to a routine's prompt: a
// reply whose body is rendered from the fields.
type RoutineAnswer struct {
	ReplyID    int64             `json:"reply_id"`
	RoutineID  int64             `json:"routine_id"`
	PostID     int64             `json:"post_id"`
	AuthorID   int64             `json:"author_id"`
	AuthorName string            `json:"author_name"`
	Fields     map[string]string `json:"fields"`
	Status     PostStatus        `json:"status"`
	CreatedAt  time.Time         `json:"created_at"`
}

// ValidateAnswer checks an answer against a routine's fields and returns
// its trimmed values, empty ones left out. member returns the login, as
// the directory spells it, of the member of the space a login names (in
// any case: LoginKey), and whether there is one (for person fields).
func ValidateAnswer(fields []RoutineField, in map[string]string, member func(login string) (string, bool)) (map[string]string, error) {
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Key] = true
	}
	for k := range in {
		if !known[k] {
			return nil, &Error{Code: EINVALID, Field: "fields", Message: fmt.Sprintf("Unknown field %q for this routine.", truncate(k, 40)),
				MessageFR: fmt.Sprintf("Champ « %s » inconnu pour cette routine.", truncate(k, 40))}
		}
	}
	out := map[string]string{}
	for _, f := range fields {
		v := strings.TrimSpace(in[f.Key])
		bad := func(en, fr string) error {
			return &Error{Code: EINVALID, Field: "fields." + f.Key,
				Message: f.LabelEN + ": " + en, MessageFR: f.LabelFR + " : " + fr}
		}
		if v == "" {
			if f.Required {
				return nil, bad("this field is required.", "ce champ est requis.")
			}
			continue
		}
		if !ValidText(v) {
			return nil, bad("the text holds invalid characters (not UTF-8, or a NUL).", "le texte contient des caractères invalides (hors UTF-8, ou NUL).")
		}
		limit := MaxFieldText
		if f.Kind == FieldLongText {
			limit = MaxFieldLongText
		}
		if utf8.RuneCountInString(v) > limit {
			return nil, bad(fmt.Sprintf("longer than %d characters.", limit), fmt.Sprintf("dépasse %d caractères.", limit))
		}
		switch f.Kind {
		case FieldText:
			if strings.ContainsAny(v, "\r\n") {
				return nil, bad("one line only.", "une seule ligne.")
			}
		case FieldDate:
			if _, err := time.Parse("2006-01-02", v); err != nil {
				return nil, bad("expected a date as YYYY-MM-DD.", "date attendue au format AAAA-MM-JJ.")
			}
		case FieldPerson:
			v = strings.TrimPrefix(v, "@")
			login, ok := "", false
			if member != nil {
				login, ok = member(v)
			}
			if !ok {
				return nil, bad(fmt.Sprintf("%q is not a member of this space.", truncate(v, 40)),
					fmt.Sprintf("« %s » n'est pas membre de cet espace.", truncate(v, 40)))
			}
			v = login
		case FieldChoice:
			ok := false
			for _, c := range f.Choices {
				ok = ok || c.Value == v
			}
			if !ok {
				vals := make([]string, len(f.Choices))
				for i, c := range f.Choices {
					vals[i] = c.Value
				}
				return nil, bad("expected one of "+strings.Join(vals, ", ")+".", "attendu : "+strings.Join(vals, ", ")+".")
			}
		}
		out[f.Key] = v
	}
	if len(out) == 0 {
		return nil, &Error{Code: EINVALID, Field: "fields", Message: "The answer is empty.", MessageFR: "La réponse est vide."}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// RenderAnswer writes an answer as the markdown body of its reply, one
// "**Label**: value" paragraph per field, in the routine's language; names
// gives the display name of a person field's login.
func RenderAnswer(fields []RoutineField, values map[string]string, lang string, names map[string]string) string {
	var b strings.Builder
	for _, f := range fields {
		v, ok := values[f.Key]
		if !ok {
			continue
		}
		switch f.Kind {
		case FieldChoice:
			v = f.ChoiceLabel(v, lang)
		case FieldPerson:
			if n := names[v]; n != "" {
				v = n + " (" + v + ")"
			}
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		sep := " : "
		if lang == "en" {
			sep = ": "
		}
		b.WriteString("**" + f.Label(lang) + "**" + sep)
		if f.Kind == FieldLongText && strings.Contains(v, "\n") {
			b.WriteString("\n\n" + v)
		} else {
			b.WriteString(v)
		}
	}
	return b.String()
}

// EncodeFields and DecodeFields turn a routine's fields into the JSON the
// store keeps, and back.
func EncodeFields(fs []RoutineField) string {
	b, _ := json.Marshal(fs)
	return string(b)
}

// DecodeFields reads the JSON of a routine's fields.
func DecodeFields(s string) ([]RoutineField, error) {
	var fs []RoutineField
	err := json.Unmarshal([]byte(s), &fs)
	return fs, err
}
