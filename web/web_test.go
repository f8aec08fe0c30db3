package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"relais/policy"
	"relais/server"
)

// esc is how html/template writes a text into a page.
func esc(s string) string { return html.EscapeString(s) }

func rule(id string) policy.Rule {
	r, ok := policy.Lookup(id)
	if !ok {
		panic("no rule " + id)
	}
	return r
}

func TestSignIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		form := b.get("/signin")
		mustStatus(t, form, http.StatusOK)
		mustContain(t, form, `<html lang="en">`, `name="login"`, `name="password"`, `<label for="login">`, `<label for="password">`)

		// Wrong credentials: the form again, with the reason, and no session.
		bad := b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"paul"}, "password": {"nope"}})
		mustStatus(t, bad, http.StatusUnauthorized)
		mustContain(t, bad, "Wrong login or password.", `value="paul"`, `role="alert"`)
		if c := bad.Header.Get("Set-Cookie"); strings.Contains(c, "relais_session=") {
			t.Errorf("a failed sign-in set a session cookie: %s", c)
		}
		fr := e.browser(t, "fr-FR,fr;q=0.9")
		bad = fr.post("/signin", url.Values{"csrf": {fr.csrf(fr.get("/signin"))}, "login": {"paul"}, "password": {"nope"}})
		mustStatus(t, bad, http.StatusUnauthorized)
		mustContain(t, bad, `<html lang="fr">`, esc("Identifiant ou mot de passe incorrect."))

		// Right credentials: a session cookie fit for a browser, then home.
		res := b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"paul"}, "password": {"demo"}})
		mustStatus(t, res, http.StatusSeeOther)
		var session *http.Cookie
		for _, c := range (&http.Response{Header: res.Header}).Cookies() {
			if c.Name == "relais_session" {
				session = c
			}
		}
		if session == nil || session.Value == "" {
			t.Fatalf("no session cookie: %v", res.Header["Set-Cookie"])
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure {
			t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", session)
		}
		home := b.get("/")
		mustStatus(t, home, http.StatusOK)
		mustContain(t, home, "Paul Lefèvre", supportLyon, innovation, `action="/signout"`)

		// Signed in, the sign-in page sends home.
		if p := b.get("/signin"); p.Status != http.StatusSeeOther || p.Location() != "/" {
			t.Errorf("GET /signin signed in: %d %q", p.Status, p.Location())
		}

		// Sign out ends the session: the old cookie no longer opens a page.
		out := b.postForm(home, "/signout", url.Values{})
		mustStatus(t, out, http.StatusSeeOther)
		if !strings.HasPrefix(out.Location(), "/signin") {
			t.Errorf("sign out goes to %q", out.Location())
		}
		replay := e.browser(t, "en")
		u, _ := url.Parse(e.srv.URL)
		replay.hc.Jar.SetCookies(u, []*http.Cookie{session})
		if p := replay.get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/signin") {
			t.Errorf("old session after sign out: %d %q", p.Status, p.Location())
		}
	})
}

func TestSecureCookies(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{Secure: true})
	b := e.browser(t, "en")
	form := b.get("/signin")
	res := b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"paul"}, "password": {"demo"}})
	mustStatus(t, res, http.StatusSeeOther)
	found := false
	for _, c := range res.Header["Set-Cookie"] {
		if strings.HasPrefix(c, "relais_session=") {
			found = true
			if !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
				t.Errorf("session cookie %q: want Secure, HttpOnly, SameSite=Lax", c)
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie in %v", res.Header["Set-Cookie"])
	}
}

func TestSignInThrottled(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	b := e.browser(t, "fr")
	form := b.get("/signin")
	var last *page
	for i := 0; i < 10; i++ {
		last = b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"lea"}, "password": {"wrong"}})
		if last.Status == http.StatusTooManyRequests {
			break
		}
		mustStatus(t, last, http.StatusUnauthorized)
	}
	mustStatus(t, last, http.StatusTooManyRequests)
	mustContain(t, last, esc("Trop d'échecs de connexion : réessayez dans"), `name="login"`)
	if last.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttled sign-in")
	}
}

func TestCSRF(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		// The sign-in form: no token, a wrong token, no cookie.
		b := e.browser(t, "en")
		form := b.get("/signin")
		for name, v := range map[string]url.Values{
			"no token":    {"login": {"paul"}, "password": {"demo"}},
			"wrong token": {"csrf": {"x" + b.csrf(form)}, "login": {"paul"}, "password": {"demo"}},
		} {
			p := b.post("/signin", v)
			if p.Status != http.StatusForbidden {
				t.Errorf("sign in with %s: status %d", name, p.Status)
			}
			mustContain(t, p, "This form expired or was not sent from Relais")
		}
		stranger := e.browser(t, "en") // has no sign-in cookie
		if p := stranger.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"paul"}, "password": {"demo"}}); p.Status != http.StatusForbidden {
			t.Errorf("sign in with another browser's token: status %d", p.Status)
		}

		// A signed-in form without the session's token is refused, and
		// nothing is written.
		home := b.signIn("paul")
		path := e.spacePath(supportLyon)
		for _, token := range []string{"", "forged", b.csrf(form)} {
			p := b.post(path+"/posts", url.Values{"csrf": {token}, "kind": {"discussion"}, "title": {"Forged post"}, "body": {"forged"}})
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, "This form expired or was not sent from Relais")
		}
		mustNotContain(t, b.get(path), "Forged post")
		// A request from another site is refused before the token is read.
		req, _ := http.NewRequest("POST", e.srv.URL+path+"/posts", strings.NewReader(url.Values{"csrf": {b.csrf(home)}, "title": {"Cross"}, "body": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		mustStatus(t, b.do(req), http.StatusForbidden)
		// Sign out needs the token too.
		mustStatus(t, b.post("/signout", url.Values{}), http.StatusForbidden)
		mustStatus(t, b.get("/"), http.StatusOK)
	})
}

func TestPaulPostsInSupportLyon(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		b.signIn("paul")
		path := e.spacePath(supportLyon)
		sp := b.get(path)
		mustStatus(t, sp, http.StatusOK)
		mustContain(t, sp, `action="`+path+`/posts"`, `<select id="kind" name="kind">`, `<option value="best_practice">Best practice</option>`,
			"Coordonner le support de niveau 2", "Priorités de la semaine 47", "Team space")
		mustNotContain(t, sp, `action="`+path+`/join"`)

		// A refused post keeps the input and says why.
		bad := b.postForm(sp, path+"/posts", url.Values{"kind": {"question"}, "title": {""}, "body": {"Kept body"}})
		mustStatus(t, bad, http.StatusBadRequest)
		mustContain(t, bad, "A title is required.", "Kept body", `<option value="question" selected>`, `aria-invalid="true"`)

		res := b.postForm(sp, path+"/posts", url.Values{"kind": {"problem"}, "title": {"Imprimante du plateau en panne"}, "body": {"Elle affiche **E-42** depuis ce matin."}})
		mustStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), "/posts/") {
			t.Fatalf("post redirects to %q", res.Location())
		}
		th := b.get(res.Location())
		mustStatus(t, th, http.StatusOK)
		mustContain(t, th, "Imprimante du plateau en panne", "<strong>E-42</strong>", "Problem", "Paul Lefèvre", `action="`+res.Location()+`/replies"`)
		mustNotContain(t, th, "Waiting for your mentor")
		// The new thread heads the space's list.
		sp = b.get(path)
		if i, j := strings.Index(sp.Body, "Imprimante du plateau en panne"), strings.Index(sp.Body, "Priorités de la semaine 47"); i < 0 || j < i {
			t.Errorf("new thread not first in the list (%d, %d)", i, j)
		}

		// Reply and react.
		rep := b.postForm(th, res.Location()+"/replies", url.Values{"body": {"Ticket ouvert : #48300."}})
		mustStatus(t, rep, http.StatusSeeOther)
		if !strings.Contains(rep.Location(), "#reply-") {
			t.Errorf("reply redirects to %q", rep.Location())
		}
		th = b.get(res.Location())
		mustContain(t, th, "Ticket ouvert : #48300.")
		rx := b.postForm(th, res.Location()+"/reactions", url.Values{"kind": {"thanks"}, "reply_id": {"0"}})
		mustStatus(t, rx, http.StatusSeeOther)
		th = b.get(res.Location())
		mustContain(t, th, `aria-pressed="true">Thanks <span class="count">1</span>`)
		// An empty reply is refused on the thread's page.
		empty := b.postForm(th, res.Location()+"/replies", url.Values{"body": {"  "}})
		mustStatus(t, empty, http.StatusBadRequest)
		mustContain(t, empty, "A body is required.", `id="reply-body"`)
	})
}

func TestSamirCannotPostInSupportLyon(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		for _, lg := range []string{"en", "fr"} {
			b := e.browser(t, lg)
			home := b.signIn("samir")
			mustNotContain(t, home, supportLyon, ventesParis)
			// To him the team space does not exist: its page is that of an
			// unknown id.
			path := e.spacePath(supportLyon)
			sp := b.get(path)
			mustBeUnseen(t, b, sp, path, "/spaces/999999")
			mustNotContain(t, sp, `action="`+path+`/posts"`, "Priorités de la semaine 47", policy.RuleTeamOutsider)
			// Posting anyway finds nothing, and writes nothing.
			p := b.postForm(home, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"Intrusion"}, "body": {"x"}})
			mustStatus(t, p, http.StatusNotFound)
			mustNotContain(t, p, policy.RuleTeamOutsider)
		}
		// A space one may see but not post in shows the rule in the form's place.
		b := e.browser(t, "en")
		b.signIn("claire")
		path := e.spacePath(innovation)
		sp := b.get(path)
		mustStatus(t, sp, http.StatusOK)
		mustContain(t, sp, "You cannot post in this space", esc(rule(policy.RuleCommunityNonMember).EN), policy.RuleCommunityNonMember,
			"Bienvenue dans Innovation Produits !")
		mustNotContain(t, sp, `action="`+path+`/posts"`, `id="compose"`)
	})
}

func TestLeaJoinsInnovation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		home := b.signIn("lea")
		mustContain(t, home, "Communities you may join", innovation, clientsPro, ventesParis)
		if i, j := strings.Index(home.Body, "Communities you may join"), strings.Index(home.Body, ">"+innovation+"<"); j < i {
			t.Errorf("Innovation Produits is not listed among the communities lea may join")
		}
		path := e.spacePath(innovation)
		sp := b.get(path)
		mustStatus(t, sp, http.StatusOK)
		mustContain(t, sp, `action="`+path+`/join"`, `name="charter_version" value="1"`, `type="checkbox" id="accept" name="accept" value="yes" required`,
			"I have read and accept the charter (version 1)", "Join the space",
			"Relier le terrain (support, ventes)", "Limits of autonomy", "Expected actions",
			"You cannot post in this space", esc(rule(policy.RuleCommunityNonMember).EN))
		mustNotContain(t, sp, `action="`+path+`/posts"`)

		// Not ticking the box is refused, and she stays out.
		no := b.postForm(sp, path+"/join", url.Values{"charter_version": {"1"}})
		mustStatus(t, no, http.StatusUnprocessableEntity)
		mustContain(t, no, "Tick the box to say that you have read and accept the charter.")
		// An old charter version is refused by the service.
		old := b.postForm(sp, path+"/join", url.Values{"charter_version": {"7"}, "accept": {"yes"}})
		mustStatus(t, old, http.StatusUnprocessableEntity)
		mustContain(t, old, "read and accept the current version of the charter")

		res := b.postForm(sp, path+"/join", url.Values{"charter_version": {"1"}, "accept": {"yes"}})
		mustStatus(t, res, http.StatusSeeOther)
		sp = b.get(res.Location())
		mustContain(t, sp, "Welcome! You are now a member of this space.", `action="`+path+`/posts"`, "You accepted version 1 of the charter.")
		mustNotContain(t, sp, `action="`+path+`/join"`)

		// A community on request: the request waits for a steward.
		path = e.spacePath(clientsPro)
		sp = b.get(path)
		mustContain(t, sp, "Ask to join", esc(rule(policy.RuleJoinRequest).EN))
		res = b.postForm(sp, path+"/join", url.Values{"charter_version": {"1"}, "accept": {"yes"}})
		mustStatus(t, res, http.StatusSeeOther)
		sp = b.get(res.Location())
		mustContain(t, sp, "Your request is sent: a steward of the space must approve it.")
		mustNotContain(t, sp, `action="`+path+`/join"`)
		mustContain(t, b.get("/"), "Request pending")
	})
}

func TestCoPilotPostWaitsForMentor(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	b := e.browser(t, "en")
	b.signIn("olivia")
	path := e.spacePath(clientsPro)
	sp := b.get(path)
	mustContain(t, sp, `action="`+path+`/posts"`, "Your post will wait for your mentor", policy.RuleCoPilotApproval)
	res := b.postForm(sp, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"Webinaire de mars"}, "body": {"Inscriptions ouvertes."}})
	mustStatus(t, res, http.StatusSeeOther)
	th := b.get(res.Location())
	mustContain(t, th, "Waiting for your mentor&#39;s approval", "only you can see it until it is approved")
	mustNotContain(t, th, `/replies"`, `/reactions"`)
	// Others do not see it.
	x := e.browser(t, "en")
	x.signIn("xavier")
	mustStatus(t, x.get(res.Location()), http.StatusNotFound)
	mustNotContain(t, x.get(path), "Webinaire de mars")
}

func TestLanguages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		fr := e.browser(t, "fr-FR,fr;q=0.9,en;q=0.8")
		home := fr.signIn("paul")
		mustContain(t, home, `<html lang="fr">`, "Mes espaces d&#39;équipe", "Mes communautés", "Se déconnecter", "Aller au contenu", "Rechercher")
		en := e.browser(t, "en-GB,en;q=0.9")
		home = en.signIn("paul")
		mustContain(t, home, `<html lang="en">`, "My team spaces", "My communities", "Sign out", "Skip to content")
		mustNotContain(t, home, "Mes communautés")

		// The switch: a cookie that wins over Accept-Language, then back
		// to the page it was used on.
		path := e.spacePath(supportLyon)
		sp := en.get(path)
		mustContain(t, sp, `href="/lang?to=fr&amp;next=`+strings.ToLower(url.QueryEscape(path))+`"`)
		sw := en.get("/lang?to=fr&next=" + url.QueryEscape(path))
		mustStatus(t, sw, http.StatusSeeOther)
		if sw.Location() != path {
			t.Errorf("switch goes to %q, want %q", sw.Location(), path)
		}
		if c := sw.Header.Get("Set-Cookie"); !strings.Contains(c, "relais_lang=fr") {
			t.Errorf("switch cookie %q", c)
		}
		sp = en.get(path)
		mustContain(t, sp, `<html lang="fr">`, "Fils de discussion", "Espace d&#39;équipe", "Charte")
		mustStatus(t, en.get("/lang?to=en&next=/"), http.StatusSeeOther)
		mustContain(t, en.get("/"), `<html lang="en">`, "My spaces")
		// An unknown language changes nothing.
		en.get("/lang?to=de&next=/")
		mustContain(t, en.get("/"), `<html lang="en">`)
		// The sign-in page speaks both too.
		mustContain(t, e.browser(t, "fr").get("/signin"), "Connexion à Relais", "Mot de passe")
		mustContain(t, e.browser(t, "en").get("/signin"), "Sign in to Relais", "Password")
	})
}

func TestMarkdownIsSanitized(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		b.signIn("paul")
		path := e.spacePath(innovation)
		sp := b.get(path)
		body := "Hello <script>alert('x')</script> **bold**\n\n" +
			"<img src=x onerror=alert(1)>\n\n" +
			"[click](javascript:alert(1)) and [site](https://example.com/a) and <https://example.org>\n\n" +
			"<iframe src=\"https://evil.example\"></iframe>"
		res := b.postForm(sp, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"<script>alert('title')</script>"}, "body": {body}})
		mustStatus(t, res, http.StatusSeeOther)
		th := b.get(res.Location())
		mustStatus(t, th, http.StatusOK)
		mustNotContain(t, th, "<script>alert", "javascript:", "onerror", "<iframe", "<img src=x")
		mustContain(t, th, "<strong>bold</strong>", "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;",
			`href="https://example.com/a" rel="nofollow noopener" target="_blank"`)
		reply := b.postForm(th, res.Location()+"/replies", url.Values{"body": {"<script>document.cookie</script>\n\n_ok_"}})
		mustStatus(t, reply, http.StatusSeeOther)
		th = b.get(res.Location())
		mustNotContain(t, th, "<script>document")
		mustContain(t, th, "<em>ok</em>")
	})
}

func TestSearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		paul := e.browser(t, "en")
		paul.signIn("paul")
		p := paul.get("/search?q=" + url.QueryEscape("téléphonie"))
		mustStatus(t, p, http.StatusOK)
		id := e.postID(supportLyon, "Priorités de la semaine 47")
		mustContain(t, p, "Priorités de la semaine 47", `href="/posts/`+strconv.FormatInt(id, 10)+`"`, "in <a href=\""+e.spacePath(supportLyon)+"\">"+supportLyon+"</a>",
			`value="téléphonie"`)

		// The team's thread stays hidden from outsiders, whatever their role.
		for _, login := range []string{"samir", "lea", "claire", "admin", "xavier"} {
			b := e.browser(t, "en")
			b.signIn(login)
			p := b.get("/search?q=" + url.QueryEscape("téléphonie"))
			mustStatus(t, p, http.StatusOK)
			mustNotContain(t, p, "Priorités de la semaine 47", "/posts/"+strconv.FormatInt(id, 10))
			mustContain(t, p, "No thread you may read matches your search.")
		}
		// Samir finds what he may read, with the space's name.
		s := e.browser(t, "fr")
		s.signIn("samir")
		p = s.get("/search?q=factures")
		mustContain(t, p, "Les clients multi-sites ne peuvent pas exporter leurs factures", innovation)
		mustNotContain(t, p, "Export des factures bloqué pour les clients multi-sites")
		// An empty search is a form; a too long one is refused.
		mustContain(t, s.get("/search"), "Saisissez quelques mots")
		long := s.get("/search?q=" + strings.Repeat("a", 600))
		mustStatus(t, long, http.StatusBadRequest)
		mustContain(t, long, esc("La recherche dépasse 500 caractères."))
	})
}

func TestNextMustBeLocal(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "en")
		path := e.spacePath(innovation)
		// A page without a session sends to sign-in, and back after it.
		p := b.get(path + "?before=9")
		mustStatus(t, p, http.StatusSeeOther)
		if want := "/signin?next=" + url.QueryEscape(path+"?before=9"); p.Location() != want {
			t.Errorf("redirect to %q, want %q", p.Location(), want)
		}
		form := b.get(p.Location())
		mustContain(t, form, `name="next" value="`+path+`?before=9"`)
		res := b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {"paul"}, "password": {"demo"}, "next": {path}})
		if res.Location() != path {
			t.Errorf("after sign in: %q, want %q", res.Location(), path)
		}

		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "http:/evil.example",
			"javascript:alert(1)", "/%2F/evil.example", "evil.example", "/\t/evil.example", " //evil.example"} {
			c := e.browser(t, "en")
			f := c.get("/signin?next=" + url.QueryEscape(next))
			mustContain(t, f, `name="next" value="/"`)
			r := c.post("/signin", url.Values{"csrf": {c.csrf(f)}, "login": {"paul"}, "password": {"demo"}, "next": {next}})
			if r.Status != http.StatusSeeOther || r.Location() != "/" {
				t.Errorf("sign in with next=%q: %d %q, want / ", next, r.Status, r.Location())
			}
			if l := c.get("/lang?to=fr&next=" + url.QueryEscape(next)).Location(); l != "/" {
				t.Errorf("language switch with next=%q goes to %q", next, l)
			}
		}
	})
}

func TestErrorPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "fr")
		b.signIn("lea")
		for _, path := range []string{"/spaces/999999", "/spaces/abc", "/posts/999999", "/posts/-1", "/nowhere"} {
			p := b.get(path)
			mustStatus(t, p, http.StatusNotFound)
			mustContain(t, p, `<html lang="fr">`, "Retour à mes espaces")
		}
		// A team thread and its space do not exist for an outsider.
		id := e.postID(supportLyon, "Priorités de la semaine 47")
		path := "/posts/" + strconv.FormatInt(id, 10)
		p := b.get(path)
		mustBeUnseen(t, b, p, path, "/posts/999999")
		mustNotContain(t, p, "Résorber le stock")
		p = b.get(e.spacePath(supportLyon))
		mustBeUnseen(t, b, p, e.spacePath(supportLyon), "/spaces/999999")
		mustContain(t, p, "Page introuvable", "Espace introuvable.")
		// An external account never enters a team space.
		x := e.browser(t, "en")
		x.signIn("xavier")
		p = x.get(e.spacePath(ventesParis))
		mustBeUnseen(t, x, p, e.spacePath(ventesParis), "/spaces/999999")
		// A reaction on a team thread by an outsider is refused.
		home := x.get("/")
		r := x.postForm(home, "/posts/"+strconv.FormatInt(id, 10)+"/reactions", url.Values{"kind": {"like"}})
		if r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("outsider reacts on a team thread: %d", r.Status)
		}
		// Unknown reaction kind.
		paul := e.browser(t, "en")
		home = paul.signIn("paul")
		mustStatus(t, paul.postForm(home, "/posts/"+strconv.FormatInt(id, 10)+"/reactions", url.Values{"kind": {"love"}}), http.StatusBadRequest)
		// Without a session, a POST gets a 401 page.
		mustStatus(t, e.browser(t, "en").post(e.spacePath(innovation)+"/posts", url.Values{"title": {"x"}}), http.StatusUnauthorized)
	})
}

func TestHomeSections(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	b := e.browser(t, "en")
	home := b.signIn("paul")
	teams := strings.Index(home.Body, "My team spaces")
	comms := strings.Index(home.Body, "My communities")
	join := strings.Index(home.Body, "Communities you may join")
	if !(teams >= 0 && teams < comms && comms < join) {
		t.Fatalf("sections out of order: %d %d %d", teams, comms, join)
	}
	if i := strings.Index(home.Body, ">"+supportLyon+"<"); i < teams || i > comms {
		t.Errorf("Support Lyon is not under the team spaces")
	}
	if i := strings.Index(home.Body, ">"+innovation+"<"); i < comms || i > join {
		t.Errorf("Innovation Produits is not under the communities")
	}
	if i := strings.Index(home.Body, ">"+clientsPro+"<"); i < join {
		t.Errorf("Clients Pro is not under the communities paul may join")
	}
	mustContain(t, home, "Internal audience", "Mixed audience", "Open to join", "Join on request", "Members from the directory")
	// The search box is in the header of every page.
	for _, path := range []string{"/", e.spacePath(supportLyon), "/search?q=x", "/nowhere"} {
		mustContain(t, b.get(path), `role="search"`, `name="q"`)
	}
}

func TestStatic(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	b := e.browser(t, "en")
	form := b.get("/signin")
	for _, name := range []string{"relais.css", "relais.js", "icon.svg"} {
		i := strings.Index(form.Body, "/static/"+name+"?v=")
		if i < 0 {
			t.Fatalf("the page does not link %s", name)
		}
		link := form.Body[i:]
		link = link[:strings.IndexByte(link, '"')]
		p := b.get(html.UnescapeString(link))
		mustStatus(t, p, http.StatusOK)
		if cc := p.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if p.Header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", name)
		}
		stale := b.get("/static/" + name + "?v=old")
		if cc := stale.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("%s with a stale version: Cache-Control %q", name, cc)
		}
	}
	if ct := b.get("/static/relais.css").Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("relais.css Content-Type %q", ct)
	}
	for _, path := range []string{"/static/nope.css", "/static/../web.go", "/static/", "/static/%2e%2e/web.go", "/static/templates/layout.html"} {
		if p := b.get(path); p.Status == http.StatusOK {
			t.Errorf("GET %s: %d", path, p.Status)
		}
	}
}
