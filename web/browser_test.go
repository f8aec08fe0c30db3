package web_test

// Browser tests: the real pages in headless Chromium, driven by chromedp,
// against an httptest server on 127.0.0.1. Without Chromium they skip
// locally and fail in CI (CI set).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"relais/server"
)

// chromiumPath is where Debian's chromium package installs the browser;
// RELAIS_CHROMIUM overrides it.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds each browser test, browser start included.
const browserTimeout = 45 * time.Second

// chrome starts a headless Chromium for one test and returns its context,
// which ends after browserTimeout at the latest.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if p := os.Getenv("RELAIS_CHROMIUM"); p != "" {
		path = p
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests need Chromium at %s (apt-get install -y chromium): %v", path, err)
		}
		t.Skipf("browser tests skipped: no Chromium at %s (apt-get install -y chromium, or set RELAIS_CHROMIUM)", path)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	base, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// must fails the test on a browser error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	must(t, "text of "+sel, err)
	return s
}

// count returns how many elements match a CSS selector, at once.
func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	must(t, "count "+sel, err)
	return n
}

// signInWithBrowser signs in through the form, by keyboard: typing the
// password and Enter submits it.
func signInWithBrowser(t *testing.T, ctx context.Context, base, login string) {
	t.Helper()
	must(t, "sign in as "+login, chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("teams-h")),
	))
}

func TestBrowserPaulPostsInSupportLyon(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	signInWithBrowser(t, ctx, e.srv.URL, "paul")

	// From the home page to the space, by its link.
	space := e.spacePath(supportLyon)
	must(t, "open Support Lyon", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="`+space+`"]`)),
		chromedp.WaitVisible(chromedp.ID("charter-h")),
	))
	if h := text(t, ctx, "main h1"); h != supportLyon {
		t.Fatalf("space heading %q", h)
	}
	// Open the compose form and post.
	title := "Nouvelle procédure de rappel client"
	must(t, "post", chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("compose-h")),
		chromedp.WaitVisible(chromedp.ID("title")),
		// The page's script moves the focus to the form's first field:
		// typing starts once it has.
		chromedp.Poll[chromedp.Void](`document.activeElement.id === "kind"`),
		chromedp.SetValue(chromedp.ID("kind"), "best_practice"),
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("body"), "Rappeler **sous 24 h** tout client en attente."),
		chromedp.Click(chromedp.CSS(`form[action="`+space+`/posts"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.thread h1")),
	))
	if h := text(t, ctx, "article.thread h1"); h != title {
		t.Errorf("thread heading %q, want %q", h, title)
	}
	if b := text(t, ctx, "article.thread .prose strong"); b != "sous 24 h" {
		t.Errorf("markdown body: strong %q", b)
	}
	if k := text(t, ctx, "article.thread .tag"); k != "Best practice" {
		t.Errorf("kind badge %q", k)
	}
	// Back in the space, the thread heads the list.
	must(t, "back to the space", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+space),
		chromedp.WaitVisible(chromedp.CSS(".posts")),
	))
	if first := text(t, ctx, ".posts li h3"); first != title {
		t.Errorf("first thread %q, want %q", first, title)
	}
}

func TestBrowserSamirCannotPostInSupportLyon(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	if n := count(t, ctx, `a[href="`+e.spacePath(supportLyon)+`"]`); n != 0 {
		t.Errorf("samir's home links Support Lyon %d times", n)
	}
	must(t, "open Support Lyon", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+e.spacePath(supportLyon)),
		chromedp.WaitVisible(chromedp.ID("error-h")),
	))
	if n := count(t, ctx, `form[action$="/posts"], textarea, #compose`); n != 0 {
		t.Errorf("samir finds %d ways to post in Support Lyon", n)
	}
	// To him the team space does not exist.
	if h := text(t, ctx, "#error-h"); h != "Page not found" {
		t.Errorf("heading %q", h)
	}
	if got := text(t, ctx, "main .lead"); got != "Space not found." {
		t.Errorf("explanation %q", got)
	}
	if n := count(t, ctx, "main .rule-id"); n != 0 {
		t.Errorf("the page names a rule %d times", n)
	}
}

func TestBrowserFrenchAndEnglish(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	must(t, "sign-in page", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-h")),
	))
	if h := text(t, ctx, "#signin-h"); h != "Sign in to Relais" {
		t.Errorf("English heading %q", h)
	}
	must(t, "switch to French", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[hreflang="fr"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] #signin-h`)),
	))
	if h := text(t, ctx, "#signin-h"); h != "Connexion à Relais" {
		t.Errorf("French heading %q", h)
	}
	signInWithBrowser(t, ctx, e.srv.URL, "lea")
	if h := text(t, ctx, "#teams-h"); h != "Mes espaces d'équipe" {
		t.Errorf("French home: %q", h)
	}
	// By keyboard, the skip link comes first and leads to the content.
	must(t, "tab", chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)))
	if cls, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`)); err != nil || cls != "skip" {
		t.Errorf("first Tab focuses %q (%v), want the skip link", cls, err)
	}
	if skip := text(t, ctx, ".skip"); skip != "Aller au contenu" {
		t.Errorf("skip link %q", skip)
	}
	must(t, "skip", chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	if id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || id != "main" {
		t.Errorf("the skip link focuses %q (%v), want main", id, err)
	}
	must(t, "switch to English", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #teams-h`)),
	))
	if h := text(t, ctx, "#teams-h"); h != "My team spaces" {
		t.Errorf("English home: %q", h)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if !strings.HasSuffix(loc, "/") {
		t.Errorf("the switch left the page: %s", loc)
	}
}

// TestBrowserPhoneWidth checks that no page scrolls sideways at 360 px,
// and takes screenshots at 360 and 1280 px when RELAIS_SCREENSHOTS names a
// directory.
func TestBrowserPhoneWidth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	thread := fmt.Sprintf("/posts/%d", e.postID(innovation, "Les clients multi-sites ne peuvent pas exporter leurs factures"))
	shots := os.Getenv("RELAIS_SCREENSHOTS")
	for _, width := range []int64{360, 1280} {
		for name, path := range map[string]string{"home": "/", "space": e.spacePath(supportLyon), "community": e.spacePath(clientsPro),
			"thread": thread, "search": "/search?q=factures"} {
			must(t, name, chromedp.Do(ctx,
				chromedp.EmulateViewport(width, 800),
				chromedp.Navigate(e.srv.URL+path),
				chromedp.WaitVisible(chromedp.ID("main")),
			))
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
}
