package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"relais"
	"relais/auth"
)

// asksToJoin has login ask, in the browser, to join Clients Pro, and
// returns their browser.
func asksToJoin(t *testing.T, e *env, login, lang string) *browser {
	t.Helper()
	b := e.browser(t, lang)
	b.signIn(login)
	path := e.spacePath(clientsPro)
	sp := b.get(path)
	m := regexp.MustCompile(`name="charter_version" value="(\d+)"`).FindStringSubmatch(sp.Body)
	if m == nil {
		t.Fatalf("%s sees no join form:\n%s", login, sp.Body)
	}
	res := b.postForm(sp, path+"/join", url.Values{"accept": {"yes"}, "charter_version": {m[1]}})
	mustStatus(t, res, http.StatusSeeOther)
	if !strings.HasSuffix(res.Location(), "?join=pending") {
		t.Fatalf("%s's request redirects to %q", login, res.Location())
	}
	return b
}

// TestJoinRequestWaitingWithheldFromExternals: when olivia, in co-pilot,
// approves a request to join, an external requester's home page shows the
// request pending, with no word of a mentor, in either language; an
// employee's says the decision waits for a mentor.
func TestJoinRequestWaitingWithheldFromExternals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		hash, err := auth.HashPassword("demo")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.st.CreateUser(context.Background(), &relais.User{Login: "yann", Name: "Yann Le Goff", Employment: relais.External}, hash); err != nil {
			t.Fatal(err)
		}
		yann := asksToJoin(t, e, "yann", "en")
		lea := asksToJoin(t, e, "lea", "en")

		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		path := e.spacePath(clientsPro)
		ids := joinRequestAction.FindAllStringSubmatch(olivia.get(path).Body, -1)
		if len(ids) != 2 {
			t.Fatalf("olivia sees %d requests to join, want yann's and lea's", len(ids))
		}
		for _, m := range ids {
			res := olivia.postForm(olivia.get(path), "/join-requests/"+m[1]+"/approve", url.Values{})
			mustStatus(t, res, http.StatusSeeOther)
			if !strings.HasPrefix(res.Location(), path+"?decided=pending_approval") {
				t.Fatalf("olivia's decision redirects to %q", res.Location())
			}
		}

		home := yann.get("/")
		mustStatus(t, home, http.StatusOK)
		mustContain(t, home, "My requests to join", `<a href="`+path+`">`+clientsPro+`</a>`, "Pending")
		mustNotContain(t, home, "mentor", "co-pilot")
		yannFR := e.browser(t, "fr")
		yannFR.signIn("yann")
		homeFR := yannFR.get("/")
		mustContain(t, homeFR, "En attente")
		mustNotContain(t, homeFR, "mentor", "doubles commandes")

		mustContain(t, lea.get("/"), "Pending (decision waiting for a mentor)")
		// The stewards' list still says which decisions wait.
		mustContain(t, olivia.get(path), "Decision waiting for a mentor")
	})
}
