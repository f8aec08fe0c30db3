package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais/app"
	"relais/server"
)

// TestBrowserRulebookAndHealth follows the community manager from the
// header to the governance health and the rulebook, in Chromium: each page
// fits a phone (the matrix scrolls inside its own region, not the page),
// and a decision of the matrix leads to the sentence of its rule.
func TestBrowserRulebookAndHealth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	// An over-allocated social media manager, and a team space without
	// objective (the demo aligns the communities only, if at all).
	if _, err := e.services().Allocate(context.Background(), e.user("claire"),
		app.Allocation{Login: "samir", SpaceID: e.spaces[innovation], Hours: 4000}); err != nil {
		t.Fatal(err)
	}

	signInWithBrowser(t, ctx, e.srv.URL, "claire")
	must(t, "claire opens the health from the header", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/health"]`)),
		chromedp.WaitVisible(chromedp.ID("health-h")),
	))
	if h := text(t, ctx, "main h1"); h != "Governance health" {
		t.Errorf("h1 %q", h)
	}
	if n := count(t, ctx, "#severity-high-h + ul .finding"); n < 1 {
		t.Errorf("%d urgent findings, want the over-allocation", n)
	}
	if s := text(t, ctx, "#severity-high-h + ul .finding .finding-text"); !strings.Contains(s, "Samir Benali is given 40 h a week") {
		t.Errorf("urgent finding %q", s)
	}
	fitsPhone(t, ctx, "health")

	must(t, "to the capacity", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#severity-high-h + ul .finding a`)),
		chromedp.WaitVisible(chromedp.ID("capacity-h")),
	))
	if n := count(t, ctx, ".smm.over .over-allocated"); n != 1 {
		t.Errorf("%d over-allocated tags", n)
	}
	fitsPhone(t, ctx, "capacity")

	must(t, "claire opens the rulebook", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/rulebook"]`)),
		chromedp.WaitVisible(chromedp.ID("matrix-h")),
	))
	fitsPhone(t, ctx, "rulebook")
	// The matrix is wider than a phone: it scrolls in its region.
	must(t, "phone", chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)))
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.querySelector(".table-scroll"); return r.scrollWidth > r.clientWidth })()`))
	must(t, "matrix width", err)
	if !wide {
		t.Errorf("at 360 px the matrix does not scroll in its region: some columns are cut off")
	}
	must(t, "desktop", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	must(t, "a decision leads to its rule", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#action-cockpit\.govern td.effect-allow a.rule-ref`)),
	))
	hash, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
	must(t, "hash", err)
	if hash != "#rule-cockpit.cm" {
		t.Errorf("the decision leads to %q, want #rule-cockpit.cm", hash)
	}
	if s := text(t, ctx, `li[id="rule-cockpit.cm"] p:last-child`); !strings.HasPrefix(s, "The community manager governs the whole") {
		t.Errorf("the rule reads %q", s)
	}

	for name, path := range map[string]string{"cockpit": "/cockpit", "role-labels": "/role-labels", "audit": "/audit"} {
		must(t, name, chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS("main h1")),
		))
		fitsPhone(t, ctx, name)
	}

	// A participant reads the rulebook too, on a phone.
	signOutWithBrowser(t, ctx)
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul opens the rulebook", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/rulebook"),
		chromedp.WaitVisible(chromedp.ID("rules-h")),
	))
	if n := count(t, ctx, `nav.menu a[href="/health"]`); n != 0 {
		t.Errorf("paul's header links the health page")
	}
	fitsPhone(t, ctx, "rulebook-participant")
}
