package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"relais"
	"relais/app"
	"relais/events"
)

// publishCharter has samir publish a new version of the charter of
// Innovation Produits through the service, as the API would.
func publishCharter(t *testing.T, e *env) *relais.Charter {
	t.Helper()
	ctx := context.Background()
	samir, err := e.st.UserByLogin(ctx, "samir")
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(e.st, events.NewLocal(), slog.New(slog.DiscardHandler))
	c, err := svc.PublishCharter(ctx, samir, e.spaces[innovation], relais.Charter{
		Objective:       "Relier le terrain et l'équipe Produit pour améliorer nos offres.",
		Rules:           "Une idée par fil ; pas de nom de client, jamais.",
		Autonomy:        "Les membres proposent et votent ; l'unité Produit décide de ce qui entre dans la feuille de route.",
		ExpectedActions: "Décrire les irritants clients, réagir aux idées des autres, répondre aux questions du Produit."})
	if err != nil {
		t.Fatalf("publish charter: %v", err)
	}
	return c
}

func TestCharterChangedAccept(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := publishCharter(t, e)
		if c.Version != 2 {
			t.Fatalf("new charter version %d, want 2", c.Version)
		}
		path := e.spacePath(innovation)
		paul := e.browser(t, "en")
		paul.signIn("paul")
		sp := paul.get(path)
		mustStatus(t, sp, http.StatusOK)
		mustContain(t, sp, "The charter changed (version 2)", "Read what changed and accept it to contribute again",
			"Version 1 (accepted)", "Version 2 (current)", "pas de nom de client, jamais", "on décrit le problème avant la solution",
			`<span class="tag pending">changed</span>`, `action="`+path+`/charter/accept"`, `name="charter_version" value="2"`,
			`id="accept-charter" name="accept" value="yes" required`)
		mustNotContain(t, sp, `action="`+path+`/posts"`)

		// Posting is refused until he accepts.
		res := paul.postForm(sp, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"Idée"}, "body": {"Texte"}})
		if res.Status != http.StatusForbidden {
			t.Errorf("post before accepting: status %d, want 403", res.Status)
		}

		// Without the box ticked, the page says why.
		res = paul.postForm(sp, path+"/charter/accept", url.Values{"charter_version": {"2"}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `id="accept-error"`, "Tick the box")
		// An older version is refused.
		res = paul.postForm(sp, path+"/charter/accept", url.Values{"accept": {"yes"}, "charter_version": {"1"}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "version 2")
		// Without the CSRF token, nothing happens.
		res = paul.post(path+"/charter/accept", url.Values{"accept": {"yes"}, "charter_version": {"2"}, "csrf": {"forged"}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, paul.get(path), "The charter changed (version 2)")

		res = paul.postForm(sp, path+"/charter/accept", url.Values{"accept": {"yes"}, "charter_version": {"2"}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := path + "?charter=accepted"; res.Location() != want {
			t.Errorf("accept redirects to %q, want %q", res.Location(), want)
		}
		after := paul.get(res.Location())
		mustContain(t, after, "you accepted the new charter and can contribute again", "You accepted version 2 of the charter.", `action="`+path+`/posts"`)
		mustNotContain(t, after, "The charter changed")
		res = paul.postForm(after, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"Une idée après la charte"}, "body": {"Texte"}})
		mustStatus(t, res, http.StatusSeeOther)

		// In French, victor reads the notice too.
		victor := e.browser(t, "fr")
		victor.signIn("victor")
		mustContain(t, victor.get(path), "La charte a changé (version 2)", "Version 1 (acceptée)", "Accepter la nouvelle charte")
	})
}

var joinRequestAction = regexp.MustCompile(`action="/join-requests/(\d+)/approve"`)

// leaAsks has lea ask to join Clients Pro through the form.
func leaAsks(t *testing.T, e *env) *browser {
	t.Helper()
	lea := e.browser(t, "en")
	lea.signIn("lea")
	path := e.spacePath(clientsPro)
	sp := lea.get(path)
	m := regexp.MustCompile(`name="charter_version" value="(\d+)"`).FindStringSubmatch(sp.Body)
	if m == nil {
		t.Fatalf("lea sees no join form:\n%s", sp.Body)
	}
	res := lea.postForm(sp, path+"/join", url.Values{"accept": {"yes"}, "charter_version": {m[1]}})
	mustStatus(t, res, http.StatusSeeOther)
	if !strings.HasSuffix(res.Location(), "?join=pending") {
		t.Fatalf("lea's request redirects to %q", res.Location())
	}
	return lea
}

// onlyJoinRequest returns the id of the one request to join on a page.
func onlyJoinRequest(t *testing.T, p *page) string {
	t.Helper()
	ms := joinRequestAction.FindAllStringSubmatch(p.Body, -1)
	if len(ms) != 1 {
		t.Fatalf("want one request to join, have %d:\n%s", len(ms), p.Body)
	}
	return ms[0][1]
}

func TestJoinRequestCoPilot(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		lea := leaAsks(t, e)
		path := e.spacePath(clientsPro)
		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		sp := olivia.get(path)
		mustContain(t, sp, "Requests to join", "Léa Moreau", "Reason for refusing")
		id := onlyJoinRequest(t, sp)

		// A forged token decides nothing.
		res := olivia.post("/join-requests/"+id+"/approve", url.Values{"csrf": {"forged"}})
		mustStatus(t, res, http.StatusForbidden)

		res = olivia.postForm(sp, "/join-requests/"+id+"/approve", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), path+"?decided=pending_approval") {
			t.Errorf("olivia's decision redirects to %q", res.Location())
		}
		mustContain(t, olivia.get(res.Location()), "Your decision waits for your mentor&#39;s approval.")
		fr := e.browser(t, "fr")
		fr.signIn("olivia")
		mustContain(t, fr.get(res.Location()), "Votre décision attend l&#39;approbation de votre mentor.")

		// Lea is not a member yet: her home page says her request waits.
		home := lea.get("/")
		mustContain(t, home, "My requests to join", `<a href="`+path+`">`+clientsPro+`</a>`, "Pending")
		mustNotContain(t, home, "Approved</span>")

		// Xavier, a member, decides nothing and sees no requests.
		xavier := e.browser(t, "en")
		xavier.signIn("xavier")
		xp := xavier.get(path)
		mustStatus(t, xp, http.StatusOK)
		mustNotContain(t, xp, "Requests to join", "/join-requests/")
		res = xavier.postForm(xp, "/join-requests/"+id+"/refuse", url.Values{"reason": {"Non."}})
		if res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
			t.Errorf("xavier's decision: status %d, want 403 or 404", res.Status)
		}
	})
}

func TestJoinRequestRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		lea := leaAsks(t, e)
		path := e.spacePath(clientsPro)
		claire := e.browser(t, "en")
		claire.signIn("claire")
		sp := claire.get(path)
		mustContain(t, sp, "Requests to join", "Léa Moreau")
		id := onlyJoinRequest(t, sp)

		// A refusal needs a reason: the form says so, beside the request.
		res := claire.postForm(sp, "/join-requests/"+id+"/refuse", url.Values{"reason": {"   "}})
		if res.Status < 400 {
			t.Fatalf("refusal without a reason: status %d", res.Status)
		}
		mustContain(t, res, `id="join-reason-`+id+`-error"`, `aria-invalid="true"`)

		// Without the CSRF token, the request stays pending.
		res = claire.post("/join-requests/"+id+"/refuse", url.Values{"reason": {"Réservé aux clients."}, "csrf": {""}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, lea.get("/"), "Pending")

		reason := "Cette communauté est réservée aux clients & à leurs experts."
		res = claire.postForm(sp, "/join-requests/"+id+"/refuse", url.Values{"reason": {reason}})
		mustStatus(t, res, http.StatusSeeOther)
		after := claire.get(res.Location())
		mustContain(t, after, "Request refused: the person will read your reason.", "No request to join is waiting.")

		home := lea.get("/")
		mustContain(t, home, "My requests to join", "Refused", "Reason for the refusal:", "réservée aux clients &amp; à leurs experts")
		fr := e.browser(t, "fr")
		fr.signIn("lea")
		mustContain(t, fr.get("/"), "Mes demandes d&#39;adhésion", "Refusée", "Raison du refus :")
	})
}

func TestCharterPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		path := e.spacePath(innovation)
		paul := e.browser(t, "en")
		paul.signIn("paul")
		p := paul.get(path + "/charter")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Versions of the charter", "Version 1", "on décrit le problème avant la solution")
		mustNotContain(t, p, `action="`+path+`/charters"`)
		res := paul.postForm(p, path+"/charters", url.Values{"objective": {"a"}, "rules": {"b"}, "autonomy": {"c"}, "expected_actions": {"d"}})
		mustStatus(t, res, http.StatusForbidden)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		p = samir.get(path + "/charter")
		mustContain(t, p, "Publish a new version", `action="`+path+`/charters"`, `name="expected_actions"`, "la confidentialité client.</textarea>")
		// Nothing changed: refused, with the form kept.
		form := url.Values{"objective": {"Relier le terrain (support, ventes) et l'équipe Produit pour améliorer nos offres."},
			"rules":            {"Une idée par fil ; on décrit le problème avant la solution ; on respecte les personnes et la confidentialité client."},
			"autonomy":         {"Les membres proposent et votent ; l'unité Produit décide de ce qui entre dans la feuille de route."},
			"expected_actions": {"Décrire les irritants clients, réagir aux idées des autres, répondre aux questions du Produit."}}
		res = samir.postForm(p, path+"/charters", form)
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "nothing changed")
		form.Set("rules", "Une idée par fil ; sans nom de client.")
		res = samir.post(path+"/charters", url.Values{"csrf": {"forged"}, "rules": form["rules"]})
		mustStatus(t, res, http.StatusForbidden)
		res = samir.postForm(p, path+"/charters", form)
		mustStatus(t, res, http.StatusSeeOther)
		after := samir.get(res.Location())
		mustContain(t, after, "New version published", "Version 2", "Version 1", "sans nom de client.")
		mustContain(t, paul.get(path), "The charter changed (version 2)")
	})
}
