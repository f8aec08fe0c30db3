package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/server"
)

var filedRequest = regexp.MustCompile(`/space-requests/(\d+)\?done=filed$`)

// TestBrowserSpaceRequestApproved follows a request for a community from
// the employee who files it in the web UI, sees the closest communities
// with their scores, to claire who approves it: the new community appears
// in the directory.
func TestBrowserSpaceRequestApproved(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	o, err := e.services().CreateOffering(context.Background(), e.user("claire"), relais.NewOffering{Title: "Clubs clients",
		UseCase: "Réunir nos clients professionnels et nos experts.", ExpectedValue: "Des clients fidèles.",
		Charter: relais.OfferingCharter{Objective: "Aider nos clients professionnels avec nos experts.",
			Rules: "Pas de données personnelles ; courtoisie de rigueur."}})
	if err != nil {
		t.Fatal(err)
	}
	objective := e.planObjective("Fidéliser les clients professionnels")
	name := "Experts clients"

	// lea files the request from the header's link.
	signInWithBrowser(t, ctx, e.srv.URL, "lea")
	must(t, "lea opens the space requests", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/space-requests"]`)),
		chromedp.WaitVisible(chromedp.ID("request-h")),
		chromedp.SetValue(chromedp.ID("request-offering"), fmt.Sprint(o.ID)),
		chromedp.SendKeys(chromedp.ID("request-name"), name),
		chromedp.SendKeys(chromedp.ID("request-purpose"), "Aider nos clients professionnels à tirer le meilleur de nos produits, avec nos experts."),
		chromedp.SetValue(chromedp.ID("request-audience"), "mixed"),
		chromedp.SetValue(chromedp.ID("request-join"), "request"),
		chromedp.Click(chromedp.CSS(`form.file-request button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("closest-h")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	m := filedRequest.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after filing, at %s", loc)
	}
	id := m[1]
	if n := text(t, ctx, "main .notice.ok"); !strings.Contains(n, "Request sent") {
		t.Errorf("notice %q", n)
	}
	// The closest communities, with their scores as bars: Clients Pro
	// first; no team space.
	if n := count(t, ctx, "ol.matches li.match"); n == 0 || n > 5 {
		t.Fatalf("%d closest communities", n)
	}
	if first := text(t, ctx, "ol.matches li.match .match-name"); first != "Clients Pro" {
		t.Errorf("closest %q, want Clients Pro", first)
	}
	if n := count(t, ctx, "ol.matches li.match meter"); n < 2 {
		t.Errorf("%d score bars", n)
	}
	score, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("li.match .combined meter").value`))
	must(t, "score", err)
	if score <= 0 || score > 1 {
		t.Errorf("combined score %v", score)
	}
	if s := text(t, ctx, "li.match .combined .pct"); !strings.HasSuffix(s, "%") {
		t.Errorf("score text %q", s)
	}
	for _, team := range []string{supportLyon, ventesParis} {
		if n := count(t, ctx, fmt.Sprintf(`ol.matches a[href="%s"]`, e.spacePath(team))); n != 0 {
			t.Errorf("the team space %s is among the closest", team)
		}
	}
	fitsPhone(t, ctx, "space-request")
	signOutWithBrowser(t, ctx)

	// claire approves it from her queue: samir as steward, one plan
	// objective.
	signInWithBrowser(t, ctx, e.srv.URL, "claire")
	item := "#request-" + id
	must(t, "claire approves", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/space-requests"]`)),
		chromedp.WaitVisible(chromedp.ID("queue-h")),
		chromedp.WaitVisible(chromedp.CSS(item+" ol.matches")),
	))
	fitsPhone(t, ctx, "space-requests-queue")
	must(t, "claire approves", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("steward-"+id), "samir"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("objective-%s-%d", id, objective.ID))),
		chromedp.Click(chromedp.CSS(item+` form.approve-request button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("main .notice.ok")),
	))
	if n := text(t, ctx, "main .notice.ok"); !strings.Contains(n, "Request approved") {
		t.Errorf("notice %q", n)
	}
	sp, err := e.st.SpaceByName(context.Background(), name)
	if err != nil {
		t.Fatalf("the community was not created: %v", err)
	}
	if sp.Charter.Objective != "Aider nos clients professionnels avec nos experts." {
		t.Errorf("charter objective %q", sp.Charter.Objective)
	}
	signOutWithBrowser(t, ctx)

	// lea finds the new community in the directory.
	signInWithBrowser(t, ctx, e.srv.URL, "lea")
	must(t, "lea opens the directory", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/communities"]`)),
		chromedp.WaitVisible(chromedp.ID("communities-h")),
	))
	if h := text(t, ctx, fmt.Sprintf("#community-%d h2", sp.ID)); h != name {
		t.Errorf("directory entry %q, want %q", h, name)
	}
	must(t, "lea opens her request", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/space-requests/"+id),
		chromedp.WaitVisible(chromedp.CSS("a.new-space")),
	))
	if s := text(t, ctx, ".request-head .tag"); !strings.Contains(s, "Approved") {
		t.Errorf("status %q", s)
	}
}
