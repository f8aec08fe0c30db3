package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/server"
)

// TestBrowserRoutine follows a routine from start to answer: marc starts a
// daily check-in from the routines page of Support Lyon; its prompt falls
// due and the scheduler posts it; paul opens the prompt from the space's
// page, answers with the structured fields, and his answer shows in the
// thread.
func TestBrowserRoutine(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	space := e.spacePath(supportLyon)
	signInWithBrowser(t, ctx, e.srv.URL, "marc")

	must(t, "marc opens the routines of his team", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+space),
		chromedp.WaitVisible(chromedp.ID("space-routines-h")),
		chromedp.Click(chromedp.CSS(`a[href="`+space+`/routines"]`)),
		chromedp.WaitVisible(chromedp.ID("start-h")),
	))
	fitsPhone(t, ctx, "routines")
	must(t, "marc starts a daily check-in", chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("template-daily_checkin")),
		chromedp.SendKeys(chromedp.ID("start-schedule"), "weekdays 08:45"),
		chromedp.SendKeys(chromedp.ID("start-replaces"), "the stand-up at the coffee machine"),
		chromedp.Click(chromedp.CSS(`form[action="`+space+`/routines"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("main .notice.ok")),
	))
	if n := text(t, ctx, "main .notice.ok"); !strings.Contains(n, "Routine started") {
		t.Errorf("notice %q", n)
	}
	rs, err := e.st.Routines(context.Background(), e.spaces[supportLyon])
	if err != nil {
		t.Fatal(err)
	}
	var r *relais.Routine
	for _, x := range rs {
		if x.Template == "daily_checkin" {
			r = x
		}
	}
	if r == nil || r.NextRunAt == nil || r.Schedule != "weekdays 08:45" || r.Replaces != "the stand-up at the coffee machine" {
		t.Fatalf("the routine started = %+v", r)
	}
	item := fmt.Sprintf("#routine-%d", r.ID)
	if s := text(t, ctx, item+" h3"); s != "Daily check-in" {
		t.Errorf("routine heading %q", s)
	}
	if s := text(t, ctx, item+" .routine-facts"); !strings.Contains(s, "every weekday (Monday to Friday) at 08:45") ||
		!strings.Contains(s, "the stand-up at the coffee machine") {
		t.Errorf("routine facts %q", s)
	}
	signOutWithBrowser(t, ctx)

	// What else falls due before it (the demo's weekly routine, on a
	// Monday morning) is posted first, so that the count below is this
	// routine's alone.
	if _, err := e.services().PostDueRoutines(context.Background(), r.NextRunAt.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	// The prompt falls due: the scheduler posts it, once.
	n, err := e.services().PostDueRoutines(context.Background(), r.NextRunAt.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("PostDueRoutines = %d, %v; want the check-in's prompt", n, err)
	}
	r, err = e.st.RoutineByID(context.Background(), r.ID)
	if err != nil || r.LastPostID == 0 {
		t.Fatalf("after the scheduler: %+v, %v", r, err)
	}
	thread := fmt.Sprintf("/posts/%d", r.LastPostID)

	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul opens the prompt from the space", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+space),
		chromedp.WaitVisible(chromedp.ID("space-routines-h")),
		chromedp.Click(chromedp.CSS(`.space-routines a[href="`+thread+`"]`)),
		chromedp.WaitVisible(chromedp.ID("routine-answer-h")),
	))
	fitsPhone(t, ctx, "routine-prompt")
	must(t, "paul answers", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("answer-today"), "Tickets de facturation, puis la fiche réflexe"),
		chromedp.SendKeys(chromedp.ID("answer-blockers"), "Accès au portail opérateur"),
		chromedp.SetValue(chromedp.ID("answer-where"), "remote"),
		chromedp.Click(chromedp.CSS(`form[action="`+thread+`/answers"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".reply-list .reply")),
	))
	body := text(t, ctx, ".reply-list .reply:last-child .prose")
	for _, want := range []string{"Today: Tickets de facturation, puis la fiche réflexe", "Blockers: Accès au portail opérateur", "Where I work: Remote"} {
		if !strings.Contains(body, want) {
			t.Errorf("answer %q lacks %q", body, want)
		}
	}
	if s := text(t, ctx, "#routine-answer .meta"); !strings.Contains(s, "1 answer") {
		t.Errorf("answer count %q", s)
	}
	if n := count(t, ctx, ".reply-list .reply"); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}
}
