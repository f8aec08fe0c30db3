package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/app"
	"relais/server"
)

// TestBrowserOwnersInbox follows a signal to its owner: samir raised it
// from paul's thread; victor finds it from the header, decides it in his
// inbox, and the thread shows his decision to its readers.
func TestBrowserOwnersInbox(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	postID := e.postID(innovation, paulsInnovationThread)
	thread := fmt.Sprintf("/posts/%d", postID)
	summary := "Trois clients multi-sites bloqués : l'export par site entre-t-il dans la feuille de route ?"
	decision := "Oui : l'export par site sort en mars."
	g, _, err := e.services().RaiseSignal(context.Background(), e.user("samir"), app.NewSignal{PostID: postID, OwnerLogin: "victor", Summary: summary})
	if err != nil {
		t.Fatal(err)
	}
	item := fmt.Sprintf("#signal-%d", g.ID)

	signInWithBrowser(t, ctx, e.srv.URL, "victor")
	if n := text(t, ctx, "a.signals-link"); n != "Signals (1)" {
		t.Errorf("header link %q, want Signals (1)", n)
	}
	must(t, "victor opens his signals", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.signals-link")),
		chromedp.WaitVisible(chromedp.ID("waiting-h")),
	))
	if s := text(t, ctx, item+" .quote"); s != summary {
		t.Errorf("summary %q, want %q", s, summary)
	}
	if h := text(t, ctx, item+" h3"); h != paulsInnovationThread {
		t.Errorf("heading %q, want the thread's title", h)
	}
	fitsPhone(t, ctx, "signals-inbox")

	must(t, "victor decides", chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(fmt.Sprintf("decide-%d-accepted", g.ID))),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("decision-%d", g.ID)), decision),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`form.decide-signal[action="/signals/%d/decide"] button[type=submit]`, g.ID))),
		chromedp.WaitVisible(chromedp.CSS("main .notice.ok")),
	))
	if n := text(t, ctx, "main .notice.ok"); !strings.Contains(n, "Decision recorded") {
		t.Errorf("notice %q", n)
	}
	if n := text(t, ctx, "a.signals-link"); n != "Signals" {
		t.Errorf("header link after deciding %q", n)
	}
	if s := text(t, ctx, item+" .tag"); s != "Accepted" {
		t.Errorf("status %q, want Accepted", s)
	}

	// From the signal's page to the thread, which shows the decision.
	must(t, "victor opens the thread", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(item+" h3 a")),
		chromedp.WaitVisible(chromedp.ID("history-h")),
	))
	fitsPhone(t, ctx, "signal")
	must(t, "to the thread", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="`+thread+`"]`)),
		chromedp.WaitVisible(chromedp.ID("signals-h")),
	))
	if d := text(t, ctx, item+" .signal-decision .quote"); d != decision {
		t.Errorf("decision in the thread %q, want %q", d, decision)
	}
	if s := text(t, ctx, item+" .tag"); s != "Accepted" {
		t.Errorf("status in the thread %q", s)
	}
	signOutWithBrowser(t, ctx)

	// paul, who wrote it, reads it too.
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul opens his thread", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+thread),
		chromedp.WaitVisible(chromedp.ID("signals-h")),
	))
	if d := text(t, ctx, item+" .signal-decision .quote"); d != decision {
		t.Errorf("paul reads %q, want %q", d, decision)
	}
}

// TestBrowserRoutingPhoneWidth checks that the pages of signals,
// suggestions, escalations, reports and webhooks fit a phone, every form
// open.
func TestBrowserRoutingPhoneWidth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	bg := context.Background()
	svc := e.services()
	postID := e.postID(innovation, paulsInnovationThread)
	long := strings.Repeat("Unmotsanscoupurepossible", 8)
	g, _, err := svc.RaiseSignal(bg, e.user("samir"), app.NewSignal{PostID: postID, OwnerLogin: "victor", Summary: "À décider " + long})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SuggestSignal(bg, e.user("paul"), postID, "À remonter "+long); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Escalate(bg, e.user("samir"), app.NewEscalation{SpaceID: e.spaces[innovation], PostID: postID,
		AssigneeLogin: "claire", Severity: relais.SeverityCritical, Summary: "Urgent " + long, Deadline: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateWebhook(bg, e.user("admin"), "https://tickets.example.com/hooks/"+long, []string{"*"}); err != nil {
		t.Fatal(err)
	}
	openAll := func(name string) {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("details").forEach(d => d.open = true), true`))
		must(t, "open details", err)
		fitsPhone(t, ctx, name)
	}
	for _, c := range []struct {
		login string
		pages map[string]string
	}{
		{"samir", map[string]string{
			"thread-steward": fmt.Sprintf("/posts/%d", postID),
			"suggestions":    e.spacePath(innovation) + "/suggestions",
			"report":         e.spacePath(innovation) + "/report?period=" + time.Now().UTC().Format("2006-01"),
		}},
		{"victor", map[string]string{"signals-owner": "/signals", "signal-owner": fmt.Sprintf("/signals/%d", g.ID)}},
		{"claire", map[string]string{"escalations": "/escalations"}},
		{"admin", map[string]string{"webhooks": "/admin/webhooks"}},
	} {
		signInWithBrowser(t, ctx, e.srv.URL, c.login)
		for name, path := range c.pages {
			must(t, name, chromedp.Do(ctx,
				chromedp.Navigate(e.srv.URL+path),
				chromedp.WaitVisible(chromedp.CSS("main h1")),
			))
			openAll(name)
		}
		signOutWithBrowser(t, ctx)
	}
}
