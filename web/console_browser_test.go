package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais/server"
)

// TestBrowserFlagAndHide follows a post from paul's flag to samir's
// console, where he hides it citing a rule of the charter; paul no longer
// sees it, and victor, its author, reads why.
func TestBrowserFlagAndHide(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	postID := e.postID(innovation, victorsQuestion)
	thread := fmt.Sprintf("/posts/%d", postID)
	space := e.spacePath(innovation)
	console := e.consolePath(innovation)

	// paul flags the post from its thread.
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul flags", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+thread),
		chromedp.WaitVisible(chromedp.CSS("article.thread h1")),
		chromedp.Click(chromedp.CSS("details.flag-post summary")),
		chromedp.WaitVisible(chromedp.ID("flag-reason")),
		chromedp.SendKeys(chromedp.ID("flag-reason"), "Trois questions dans un seul fil."),
		chromedp.Click(chromedp.CSS(`form[action="`+thread+`/flag"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".moderation .notice.ok")),
	))
	if n := text(t, ctx, ".moderation .notice.ok"); !strings.Contains(n, "the stewards will look at your flag") {
		t.Errorf("notice after flagging %q", n)
	}
	signOutWithBrowser(t, ctx)

	// samir opens his console from the space and hides the post.
	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	must(t, "samir opens the console", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+space),
		chromedp.WaitVisible(chromedp.ID("charter-h")),
		chromedp.Click(chromedp.CSS(`.console-link a[href="`+console+`"]`)),
		chromedp.WaitVisible(chromedp.ID("moderation-h")),
	))
	if h := text(t, ctx, fmt.Sprintf("#flagged-%d-h", postID)); h != victorsQuestion {
		t.Errorf("flagged post %q, want %q", h, victorsQuestion)
	}
	if r := text(t, ctx, fmt.Sprintf("#flagged-%d .flags .quote", postID)); r != "Trois questions dans un seul fil." {
		t.Errorf("flag reason %q", r)
	}
	fitsPhone(t, ctx, "console")
	must(t, "samir hides", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("hide-rule-%d", postID)), "Une idée par fil"),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("hide-reason-%d", postID)), "Merci de reposter chaque question dans son propre fil."),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="%s/posts/%d/hide"] button[type=submit]`, console, postID))),
		chromedp.WaitVisible(chromedp.CSS(`section[aria-labelledby="moderation-h"] .notice.ok`)),
	))
	if n := text(t, ctx, `section[aria-labelledby="moderation-h"] .notice.ok p`); !strings.Contains(n, "Post hidden") {
		t.Errorf("notice after hiding %q", n)
	}
	if n := count(t, ctx, fmt.Sprintf("#flagged-%d", postID)); n != 0 {
		t.Errorf("the hidden post is still in the queue")
	}
	signOutWithBrowser(t, ctx)

	// paul no longer sees it in the space.
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul opens the space", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+space),
		chromedp.WaitVisible(chromedp.ID("threads-h")),
	))
	if n := count(t, ctx, `a[href="`+thread+`"]`); n != 0 {
		t.Errorf("paul still sees the hidden post (%d links)", n)
	}
	if n := count(t, ctx, ".posts li"); n == 0 {
		t.Errorf("paul sees no thread at all")
	}
	signOutWithBrowser(t, ctx)

	// victor, its author, reads the rule and the reason.
	signInWithBrowser(t, ctx, e.srv.URL, "victor")
	must(t, "victor opens his post", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+thread),
		chromedp.WaitVisible(chromedp.ID("hidden-notice")),
	))
	n := text(t, ctx, "#hidden-notice")
	for _, want := range []string{"Post hidden by moderation.", "Une idée par fil", "Merci de reposter chaque question dans son propre fil."} {
		if !strings.Contains(n, want) {
			t.Errorf("hidden notice %q lacks %q", n, want)
		}
	}
	fitsPhone(t, ctx, "thread-hidden")
}

// TestBrowserConsolePhoneWidth checks that the console, with every section
// filled, fits a phone.
func TestBrowserConsolePhoneWidth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	signInWithBrowser(t, ctx, e.srv.URL, "olivia")
	must(t, "olivia's console", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+e.consolePath(clientsPro)),
		chromedp.WaitVisible(chromedp.ID("members-h")),
	))
	// Every member's removal form open: the widest state of the page.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("details").forEach(d => d.open = true), true`))
	must(t, "open details", err)
	fitsPhone(t, ctx, "console-copilot")
}
