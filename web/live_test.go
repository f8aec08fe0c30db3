package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
)

// TestLivePages: the pages' stream answers the session's person alone,
// carries what the pages show, and ends with the session; the pages carry
// the hooks relais.js refreshes.
func TestLivePages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		anon := e.browser(t, "fr")
		if p := anon.get("/live"); p.Status != http.StatusUnauthorized {
			t.Fatalf("/live without a session: %d; want 401", p.Status)
		}
		paul := e.browser(t, "fr")
		paul.signIn("paul")

		// The pages give their stream the newest event's id.
		newest, err := e.svc.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		space := paul.get(e.spacePath(supportLyon))
		mustContain(t, space, `data-live-stream="/live?after=`+strconv.FormatInt(newest, 10)+`"`, `id="threads"`,
			`data-live="post.created`, `data-live-space="`+strconv.FormatInt(e.spaces[supportLyon], 10)+`"`)
		post := e.postID(supportLyon, "Priorités de la semaine 47")
		thread := paul.get("/posts/" + strconv.FormatInt(post, 10))
		mustContain(t, thread, `id="replies"`, `data-live="reply.created"`, `data-live-auto`, `id="site-menu"`)
		if p := anon.get("/signin"); strings.Contains(p.Body, "data-live-stream") {
			t.Error("the sign-in page opens a stream")
		}

		// The stream of paul's session.
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(sctx, "GET", e.srv.URL+"/live", nil)
		res, err := paul.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("/live: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		lines := make(chan string, 64)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		wait := func(what string) {
			t.Helper()
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						t.Fatalf("the stream ended before %s", what)
					}
					if strings.HasPrefix(l, "data: ") && strings.Contains(l, what) {
						return
					}
				case <-sctx.Done():
					t.Fatalf("no %s on the page's stream", what)
				}
			}
		}
		marc, _ := e.st.UserByLogin(ctx, "marc")
		p, err := e.svc.CreatePost(ctx, marc, e.spaces[supportLyon], relais.NewPost{Kind: relais.KindDiscussion, Title: "Astreinte", Body: "Qui ?"})
		if err != nil {
			t.Fatal(err)
		}
		wait(`"kind":"post.created","space_id":` + strconv.FormatInt(e.spaces[supportLyon], 10) + `,"post_id":` + strconv.FormatInt(p.ID, 10))

		// Signing out ends it.
		home := paul.get("/")
		if out := paul.postForm(home, "/signout", url.Values{}); out.Status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", out.Status)
		}
		wait(`"kind":"stream.ended"`)
	})
}
