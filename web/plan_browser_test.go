package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"relais/server"
)

// TestBrowserPlan checks the plan's page in a real browser: the SVG tree
// and matrix are drawn with their nodes and cells, the community manager
// aligns a space by its toggle, and no page scrolls sideways at 360 px,
// every form open.
func TestBrowserPlan(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})

	signInWithBrowser(t, ctx, e.srv.URL, "claire")
	must(t, "claire opens the plan", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/plan"]`)),
		chromedp.WaitVisible(chromedp.ID("plan-h")),
	))
	for sel, want := range map[string]int{
		"svg.plan-tree g.node-company": 2, "svg.plan-tree g.node-objective": 3, "svg.plan-tree g.node-workstream": 5,
		"svg.plan-matrix rect.plan-cell": 6, "svg.plan-matrix rect.plan-cell.filled": 3,
		"table.plan-figures tbody tr": 10, "table.plan-alignment tbody tr": 2,
	} {
		if n := count(t, ctx, sel); n != want {
			t.Errorf("%s: %d, want %d", sel, n, want)
		}
	}
	// The tree is drawn: its boxes have a size on screen.
	w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("svg.plan-tree").getBoundingClientRect().width`))
	must(t, "tree width", err)
	if w < 500 {
		t.Errorf("the tree is %v px wide at 1280 px", w)
	}

	// claire aligns Innovation Produits with the first objective by its
	// toggle; the matrix fills one more cell.
	must(t, "align", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`table.plan-alignment button.plan-toggle[aria-pressed="false"]`)),
		chromedp.WaitVisible(chromedp.CSS("main .notice.ok")),
	))
	if n := count(t, ctx, "svg.plan-matrix rect.plan-cell.filled"); n != 4 {
		t.Errorf("%d filled cells after aligning, want 4", n)
	}

	openAll := func() {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("details").forEach(d => d.open = true), true`))
		must(t, "open details", err)
	}
	for _, login := range []string{"claire", "paul"} {
		if login != "claire" {
			signOutWithBrowser(t, ctx)
			signInWithBrowser(t, ctx, e.srv.URL, login)
		}
		must(t, login+" opens the plan", chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/plan"),
			chromedp.WaitVisible(chromedp.ID("plan-h")),
		))
		openAll()
		fitsPhone(t, ctx, "plan-"+login)
	}
}
