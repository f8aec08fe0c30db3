package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/server"
)

// TestBrowserLiveThread: paul's open thread page shows marc's new reply
// without a reload, and his space page offers marc's new thread in a bar
// rather than moving the list under his eyes.
func TestBrowserLiveThread(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	bg := context.Background()
	marc, err := e.st.UserByLogin(bg, "marc")
	if err != nil {
		t.Fatal(err)
	}
	post := e.postID(supportLyon, "Priorités de la semaine 47")
	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	path := "/posts/" + strconv.FormatInt(post, 10)
	must(t, "open the thread", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+path),
		chromedp.WaitVisible(chromedp.ID("replies")),
	))
	mark(t, ctx)
	reply := "Je prends les rappels de jeudi — marc"
	if _, err := e.svc.Reply(bg, marc, post, reply); err != nil {
		t.Fatal(err)
	}
	var got string
	must(t, "the reply appears", chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](`document.getElementById('replies').textContent.includes(`+strconv.Quote(reply)+`)`, chromedp.WithPollingTimeout(15*time.Second)),
	))
	got = marked(t, ctx)
	if got != "same page" {
		t.Fatalf("the page was %s; the reply must come in without a reload", got)
	}

	// On the space page, a new thread is offered, not pushed in.
	must(t, "open the space", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+e.spacePath(supportLyon)),
		chromedp.WaitVisible(chromedp.ID("threads")),
	))
	mark(t, ctx)
	title := "Nouvelle organisation des astreintes"
	if _, err := e.svc.CreatePost(bg, marc, e.spaces[supportLyon], relais.NewPost{Kind: relais.KindDiscussion, Title: title, Body: "Voir le planning."}); err != nil {
		t.Fatal(err)
	}
	must(t, "the bar offers the thread", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#threads .live-bar")),
	))
	if strings.Contains(text(t, ctx, "#threads .posts"), title) {
		t.Fatal("the new thread moved into the list before paul asked for it")
	}
	must(t, "show it", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#threads .live-bar")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#threads .posts li h3').textContent === `+strconv.Quote(title), chromedp.WithPollingTimeout(15*time.Second)),
	))
	got = marked(t, ctx)
	if got != "same page" {
		t.Fatalf("showing the new thread %s the page", got)
	}
	if n := count(t, ctx, "#threads .live-bar"); n != 0 {
		t.Errorf("%d bars left after showing", n)
	}
}

// mark leaves a marker in the page that a reload would wipe; marked reads it.
func mark(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere = true`))
	must(t, "mark the page", err)
}

func marked(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.stillHere === true ? "same page" : "reloaded"`))
	must(t, "read the mark", err)
	return v
}

// TestBrowserLiveApprovals: samir's approvals page offers olivia's new
// request in a bar and the header's count follows, without a reload.
func TestBrowserLiveApprovals(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	bg := context.Background()
	olivia, err := e.st.UserByLogin(bg, "olivia")
	if err != nil {
		t.Fatal(err)
	}
	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	must(t, "open the approvals", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/approvals"),
		chromedp.WaitVisible(chromedp.ID("approvals-live")),
	))
	mark(t, ctx)
	before := count(t, ctx, "#approvals-live li.approval")
	countText := func() string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.approvals-link') || {textContent: ''}).textContent`))
		must(t, "read the header", err)
		return v
	}
	was := countText()
	title := "Astuce : exporter par site"
	p, err := e.svc.CreatePost(bg, olivia, e.spaces[clientsPro], relais.NewPost{Kind: relais.KindDiscussion, Title: title, Body: "Menu Export."})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != relais.StatusPendingApproval {
		t.Fatalf("olivia's post is %s; want pending approval", p.Status)
	}
	must(t, "the bar offers it", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#approvals-live .live-bar")),
		chromedp.Poll[chromedp.Void](`(document.querySelector('.approvals-link') || {textContent: ''}).textContent !== `+strconv.Quote(was), chromedp.WithPollingTimeout(15*time.Second)),
	))
	if n := count(t, ctx, "#approvals-live li.approval"); n != before {
		t.Fatalf("the list moved from %d to %d items before samir asked", before, n)
	}
	must(t, "show it", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#approvals-live .live-bar")),
		chromedp.Poll[chromedp.Void](`document.getElementById('approvals-live').textContent.includes(`+strconv.Quote(title)+`)`, chromedp.WithPollingTimeout(15*time.Second)),
	))
	if got := marked(t, ctx); got != "same page" {
		t.Fatalf("the approvals page was %s", got)
	}
	if n := count(t, ctx, "#approvals-live li.approval"); n != before+1 {
		t.Errorf("%d requests listed; want %d", n, before+1)
	}
	t.Logf("header: %q → %q", was, countText())
}
