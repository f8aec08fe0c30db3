package demo

import (
	"time"

	"relais"
)

// routines starts marc's "weekly priorities" in the team space of Support
// Lyon, replacing the Monday meeting, posts its latest prompt the way the
// scheduler does, and records paul's answer.
func (l *loader) routines(support int64) {
	if l.err != nil {
		return
	}
	tpl, _ := relais.RoutineTemplateByCode("weekly_priorities")
	sched, err := relais.ParseSchedule(tpl.Schedule, relais.DefaultTimeZone)
	if err != nil {
		l.err = err
		return
	}
	// The latest Monday 09:00 (Paris) at or before now: its prompt is due.
	due := sched.LatestDue(sched.Next(l.now.Add(-8*24*time.Hour)), l.now)
	r := &relais.Routine{SpaceID: support, Template: tpl.Code, Lang: "fr", Kind: tpl.Kind, Title: tpl.TitleFR, Prompt: tpl.PromptFR,
		Fields: tpl.Fields, Schedule: sched.String(), TimeZone: relais.DefaultTimeZone, Replaces: "la réunion du lundi",
		Status: relais.RoutineActive, NextRunAt: &due, CreatedBy: l.users["marc"].ID, CreatedAt: l.now.Add(-10 * 24 * time.Hour)}
	if l.err = l.st.CreateRoutine(l.ctx, r); l.err != nil {
		return
	}
	prompts, err := l.st.PostDueRoutines(l.ctx, l.now, 0)
	if l.err = err; err != nil {
		return
	}
	for _, p := range prompts {
		if p.RoutineID != r.ID {
			continue
		}
		values := map[string]string{
			"priorities": "1. Finir les tickets de facturation en attente.\n2. Relire la fiche réflexe de la bascule téléphonique.",
			"needs":      "Un point de 15 minutes avec Marc sur les remboursements partiels.",
		}
		body := relais.RenderAnswer(r.Fields, values, r.Lang, nil)
		l.err = l.st.AnswerRoutine(l.ctx, &relais.Reply{PostID: p.Post.ID, AuthorID: l.users["paul"].ID, Body: body,
			Status: relais.StatusPublished}, support, r.ID, values)
	}
}
