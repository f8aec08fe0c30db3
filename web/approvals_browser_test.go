package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais/server"
)

// signOutWithBrowser signs out through the header's button.
func signOutWithBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	must(t, "sign out", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.signout button`)),
		chromedp.WaitVisible(chromedp.ID("signin-h")),
	))
}

// fitsPhone checks that the current page does not scroll sideways at
// 360 px, takes screenshots at 360 and 1280 px when RELAIS_SCREENSHOTS
// names a directory, and leaves the window at 1280 px.
func fitsPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shots := os.Getenv("RELAIS_SCREENSHOTS")
	for _, width := range []int64{360, 1280} {
		must(t, "viewport", chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)))
		if width == 360 {
			over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			must(t, "scroll width", err)
			if over > 0 {
				t.Errorf("%s scrolls sideways by %d px at 360 px", name, over)
			}
		}
		if shots != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(t, "screenshot", err)
			must(t, "write screenshot", os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644))
		}
	}
}

// TestBrowserCoPilotApproval follows one post from olivia (in co-pilot) to
// her mentor samir, who approves it, to xavier, who then reads it.
func TestBrowserCoPilotApproval(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	space := e.spacePath(clientsPro)
	title := "Webinaire : exporter ses factures par site"

	// olivia posts in Clients Pro; the post waits, and she is told so.
	signInWithBrowser(t, ctx, e.srv.URL, "olivia")
	if b := text(t, ctx, "#copilot-banner"); !strings.Contains(b, "each of your visible actions (posts, replies, moderation, join decisions, pins, welcome, invitations, signals, escalations) waits for your mentor's approval before members see it") {
		t.Errorf("co-pilot banner %q", b)
	}
	must(t, "olivia posts", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="`+space+`"]`)),
		chromedp.WaitVisible(chromedp.ID("charter-h")),
		chromedp.Click(chromedp.ID("compose-h")),
		chromedp.WaitVisible(chromedp.ID("title")),
		// The page's script moves the focus to the form's first field:
		// typing starts once it has.
		chromedp.Poll[chromedp.Void](`document.activeElement.id === "kind"`),
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("body"), "Jeudi à 11 h, **sur inscription**."),
		chromedp.Click(chromedp.CSS(`form[action="`+space+`/posts"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.thread h1")),
	))
	if n := text(t, ctx, "article.thread .notice.pending"); !strings.Contains(n, "waiting for your mentor's approval") {
		t.Errorf("pending notice %q", n)
	}
	must(t, "olivia's requests", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#copilot-banner a[href="/approvals/mine"]`)),
		chromedp.WaitVisible(chromedp.ID("requests-h")),
	))
	if h := text(t, ctx, ".approval h2"); h != title {
		t.Errorf("olivia's request %q, want %q", h, title)
	}
	if s := text(t, ctx, ".approval .tag.status-pending"); s != "Waiting for your mentor" {
		t.Errorf("status of olivia's request %q", s)
	}
	fitsPhone(t, ctx, "requests")
	signOutWithBrowser(t, ctx)

	// samir opens his approvals from the header and approves the post.
	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	if l := text(t, ctx, `nav.menu a[href="/approvals"]`); l != "Approvals (1)" {
		t.Errorf("samir's header link %q", l)
	}
	must(t, "samir's inbox", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/approvals"]`)),
		chromedp.WaitVisible(chromedp.ID("approvals-h")),
	))
	if h := text(t, ctx, ".approval h2"); h != title {
		t.Errorf("request in samir's inbox %q, want %q", h, title)
	}
	if b := text(t, ctx, ".approval .prose strong"); b != "sur inscription" {
		t.Errorf("content rendered: strong %q", b)
	}
	fitsPhone(t, ctx, "approvals")
	must(t, "approve", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.approval form.approve button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	))
	if n := text(t, ctx, ".notice.ok"); !strings.Contains(n, "is now published in "+clientsPro) {
		t.Errorf("notice after approving %q", n)
	}
	if n := count(t, ctx, `nav.menu a[href="/approvals"], .approval`); n != 0 {
		t.Errorf("after approving, %d approvals links or requests remain", n)
	}
	signOutWithBrowser(t, ctx)

	// xavier, a member of Clients Pro, now reads it.
	signInWithBrowser(t, ctx, e.srv.URL, "xavier")
	must(t, "xavier opens Clients Pro", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="`+space+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".posts")),
	))
	if first := text(t, ctx, ".posts li h3"); first != title {
		t.Errorf("xavier's first thread %q, want %q", first, title)
	}
	if n := count(t, ctx, "#copilot-banner"); n != 0 {
		t.Errorf("xavier sees the co-pilot banner")
	}
}
