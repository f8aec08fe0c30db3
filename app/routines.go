package app

import (
	"context"
	"strings"
	"time"

	"relais"
	"relais/policy"
)

// NewRoutine is what a manager submits to start a routine from a template.
// Empty texts take the template's, in Lang; an empty schedule takes the
// template's default one, an empty time zone DefaultTimeZone.
type NewRoutine struct {
	Template string
	Schedule string
	TimeZone string
	Title    string
	Prompt   string
	Replaces string
	Lang     string // "fr" (default) or "en": the language of the texts posted
}

// RoutineEdit is what a manager changes of a routine; nil leaves a value
// as it is.
type RoutineEdit struct {
	Title    *string
	Prompt   *string
	Schedule *string
	TimeZone *string
	Replaces *string
	Status   *relais.RoutineStatus
}

func routineNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Routine not found.", MessageFR: "Routine introuvable."}
}

// Routines returns the routines of a space whose threads the actor may
// read, with the space as they see it.
func (s *Service) Routines(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.Routine, *SpaceView, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, nil, err
	}
	rs, err := s.Store.Routines(ctx, spaceID)
	return rs, v, err
}

// Routine returns one routine of a space the actor may read; to anyone
// else it does not exist.
func (s *Service) Routine(ctx context.Context, u *relais.User, id int64) (*relais.Routine, *SpaceView, error) {
	r, err := s.Store.RoutineByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.loadSpaceView(ctx, u, r.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	if v.Can.Read.Effect != policy.Allow {
		return nil, nil, routineNotFound()
	}
	return r, v, nil
}

// StartRoutine starts a routine in a team space: the team's manager alone
// may (policy routine.manage). Its first prompt is due at the schedule's
// next instant.
func (s *Service) StartRoutine(ctx context.Context, u *relais.User, spaceID int64, in NewRoutine) (*relais.Routine, error) {
	in.Template = strings.TrimSpace(in.Template)
	if in.Template == "" {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "template", Message: "The field template is required.",
			MessageFR: "Le champ template est requis."}
	}
	tpl, ok := relais.RoutineTemplateByCode(in.Template)
	if !ok {
		codes := make([]string, len(relais.RoutineTemplates))
		for i, t := range relais.RoutineTemplates {
			codes[i] = t.Code
		}
		list := strings.Join(codes, ", ")
		return nil, &relais.Error{Code: relais.EINVALID, Field: "template", Message: "Unknown template; expected one of " + list + ".",
			MessageFR: "Modèle inconnu ; attendu : " + list + "."}
	}
	if in.Lang != "en" {
		in.Lang = "fr"
	}
	if strings.TrimSpace(in.Schedule) == "" {
		in.Schedule = tpl.Schedule
	}
	if strings.TrimSpace(in.TimeZone) == "" {
		in.TimeZone = relais.DefaultTimeZone
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = tpl.Title(in.Lang)
	}
	if strings.TrimSpace(in.Prompt) == "" {
		in.Prompt = tpl.Prompt(in.Lang)
	}
	r := &relais.Routine{SpaceID: spaceID, Template: tpl.Code, Lang: in.Lang, Kind: tpl.Kind, Title: in.Title, Prompt: in.Prompt,
		Fields: tpl.Fields, Schedule: in.Schedule, TimeZone: strings.TrimSpace(in.TimeZone), Replaces: in.Replaces,
		Status: relais.RoutineActive, CreatedBy: u.ID}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	sched, _ := relais.ParseSchedule(r.Schedule, r.TimeZone)
	r.Schedule = sched.String()
	if _, _, err := s.may(ctx, u, spaceID, policy.ManageRoutines); err != nil {
		return nil, err
	}
	next := sched.Next(time.Now())
	r.NextRunAt = &next
	if err := s.Store.CreateRoutine(ctx, r); err != nil {
		return nil, err
	}
	s.wakeScheduler()
	return r, nil
}

// EditRoutine changes a routine: its texts, its schedule, the practice it
// replaces, or its status (pause, resume). Resuming, or changing the
// schedule of an active routine, sets its next prompt to the schedule's
// next instant from now: what fell due while paused is not posted.
func (s *Service) EditRoutine(ctx context.Context, u *relais.User, id int64, e RoutineEdit) (*relais.Routine, error) {
	r, _, err := s.Routine(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.may(ctx, u, r.SpaceID, policy.ManageRoutines); err != nil {
		return nil, err
	}
	wasActive, oldSchedule, oldZone := r.Status == relais.RoutineActive, r.Schedule, r.TimeZone
	setNext := false
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Title, e.Title)
	set(&r.Prompt, e.Prompt)
	set(&r.Schedule, e.Schedule)
	set(&r.TimeZone, e.TimeZone)
	set(&r.Replaces, e.Replaces)
	if e.Status != nil {
		r.Status = *e.Status
	}
	if r.TimeZone = strings.TrimSpace(r.TimeZone); r.TimeZone == "" {
		r.TimeZone = relais.DefaultTimeZone
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	sched, _ := relais.ParseSchedule(r.Schedule, r.TimeZone)
	r.Schedule = sched.String()
	switch {
	case r.Status == relais.RoutinePaused:
		r.NextRunAt, setNext = nil, wasActive
	case !wasActive || r.Schedule != oldSchedule || r.TimeZone != oldZone || r.NextRunAt == nil:
		next := sched.Next(time.Now())
		r.NextRunAt, setNext = &next, true
	}
	if r.Status == relais.RoutineActive {
		r.PauseReason = ""
	} else if e.Status != nil {
		r.PauseReason = "" // the manager paused it
	}
	if err := s.Store.UpdateRoutine(ctx, r, u.ID, setNext); err != nil {
		return nil, err
	}
	s.wakeScheduler()
	return s.Store.RoutineByID(ctx, r.ID)
}

// PostDueRoutines posts the prompts of the routines whose time has come,
// each exactly once whatever the number of nodes, and announces them. A
// read first tells whether anything is due, so that an idle tick writes
// nothing.
func (s *Service) PostDueRoutines(ctx context.Context, now time.Time) (int, error) {
	if next, err := s.Store.NextRoutineDue(ctx); err != nil || next.IsZero() || next.After(now) {
		return 0, err
	}
	total := 0
	for {
		ps, err := s.Store.PostDueRoutines(ctx, now, 50)
		total += len(ps)
		if err != nil || len(ps) < 50 {
			return total, err
		}
	}
}

// RoutinePromptView is a routine's prompt thread as one person sees it:
// the routine, the structured answers, and whether they may answer.
type RoutinePromptView struct {
	Routine *relais.Routine
	Answers []*relais.RoutineAnswer
	// Answer is the policy's answer on replying to the prompt.
	Answer policy.Decision
	// Members are the people a person field may name.
	Members []relais.Member
}

// RoutinePrompt returns the routine a post is the prompt of, with its
// answers, for a person who may read the post; a not found error when the
// post is no routine's prompt.
func (s *Service) RoutinePrompt(ctx context.Context, u *relais.User, postID int64) (*RoutinePromptView, error) {
	_, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.RoutineOfPost(ctx, postID)
	if err != nil {
		return nil, err
	}
	as, err := s.Store.RoutineAnswers(ctx, postID, u.ID)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.Members(ctx, r.SpaceID)
	if err != nil {
		return nil, err
	}
	return &RoutinePromptView{Routine: r, Answers: as, Answer: v.Can.Reply, Members: ms}, nil
}

// AnswerRoutine answers a routine's prompt with the template's structured
// fields: a reply whose body says the fields in the routine's language,
// and the fields themselves. Who may reply to the thread may answer.
func (s *Service) AnswerRoutine(ctx context.Context, u *relais.User, postID int64, fields map[string]string) (*relais.RoutineAnswer, error) {
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.RoutineOfPost(ctx, postID)
	if err != nil {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "post_id",
			Message:   "This thread is no routine's prompt: reply to it instead.",
			MessageFR: "Ce fil n'est pas l'invitation d'une routine : répondez-y plutôt."}
	}
	if err := v.Can.Reply.Err(); err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This post is not published.", MessageFR: "Ce message n'est pas publié."}
	}
	ms, err := s.Store.Members(ctx, r.SpaceID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	byKey := map[string]string{}
	for _, m := range ms {
		names[m.Login], byKey[relais.LoginKey(m.Login)] = m.Name, m.Login
	}
	values, err := relais.ValidateAnswer(r.Fields, fields, func(login string) (string, bool) {
		l, ok := byKey[relais.LoginKey(login)]
		return l, ok
	})
	if err != nil {
		return nil, err
	}
	rep := &relais.Reply{PostID: postID, AuthorID: u.ID, AuthorName: u.Name, Status: statusFor(v.Can.Reply),
		Body: relais.RenderAnswer(r.Fields, values, r.Lang, names)}
	if err := s.Store.AnswerRoutine(ctx, rep, p.SpaceID, r.ID, values); err != nil {
		return nil, err
	}
	return &relais.RoutineAnswer{ReplyID: rep.ID, RoutineID: r.ID, PostID: postID, AuthorID: u.ID, AuthorName: u.Name,
		Fields: values, Status: rep.Status, CreatedAt: rep.CreatedAt}, nil
}
