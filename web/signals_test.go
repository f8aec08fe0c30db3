package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// supportExportThread is paul's thread in his team space, Support Lyon.
const supportExportThread = "Export des factures bloqué pour les clients multi-sites"

// signalLink is where a raised signal's page is, found in a page's links.
var signalLink = regexp.MustCompile(`href="/signals/(\d+)"`)

// raiseFromThread has a steward raise a signal from a thread through its
// form and returns the signal's id.
func raiseFromThread(t *testing.T, b *browser, postID int64, form url.Values) int64 {
	t.Helper()
	thread := fmt.Sprintf("/posts/%d", postID)
	tp := b.get(thread)
	mustStatus(t, tp, http.StatusOK)
	mustContain(t, tp, `action="`+thread+`/signals"`)
	res := b.postForm(tp, thread+"/signals", form)
	mustStatus(t, res, http.StatusSeeOther)
	if want := thread + "?done=signal_raised#signals"; res.Location() != want {
		t.Fatalf("raise redirects to %q, want %q", res.Location(), want)
	}
	after := b.get(thread + "?done=signal_raised")
	ms := signalLink.FindAllStringSubmatch(after.Body, -1)
	if len(ms) == 0 {
		t.Fatalf("no signal listed in the thread after raising it:\n%s", after.Body)
	}
	id, _ := strconv.ParseInt(ms[0][1], 10, 64)
	return id
}

// navSignals is the end of the header's link to the signals with n
// waiting.
func navSignals(n int) string {
	if n == 0 {
		return `">Signals</a>`
	}
	return `">Signals (` + strconv.Itoa(n) + `)</a>`
}

func TestSignalFromRaiseToDecision(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, paulsInnovationThread)
		thread := fmt.Sprintf("/posts/%d", postID)
		summary := "Les clients multi-sites veulent un export par site : faut-il l'ajouter à la feuille de route ?"
		decision := "Accepté : l'export par site entre dans la version de mars."

		// samir, steward, has the forms to raise and to escalate, not to suggest.
		samir := e.browser(t, "en")
		samir.signIn("samir")
		tp := samir.get(thread)
		mustContain(t, tp, `id="signals-h"`, `<label for="signal-owner">`, `<label for="signal-unit">`, `<label for="signal-summary">`,
			`<option value="`, ">Produit</option>", `action="`+thread+`/escalations"`, `<label for="escalation-deadline">`,
			`type="datetime-local"`, "Time in Europe/Paris.")
		mustNotContain(t, tp, `action="`+thread+`/suggestions"`)
		checkHeadings(t, "thread of a steward", tp)

		// Refused input stays, with the reason beside the form.
		res := samir.postForm(tp, thread+"/signals", url.Values{"route": {"person"}, "owner_login": {"victor"}, "summary": {""}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="signals-error"`, `<details class="signal-form raise-signal" open>`, `value="victor"`, `aria-invalid="true"`)
		res = samir.postForm(tp, thread+"/signals", url.Values{"route": {"person"}, "owner_login": {"xavier"}, "summary": {summary}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "external account", inHTML(summary))

		id := raiseFromThread(t, samir, postID, url.Values{"route": {"person"}, "owner_login": {"victor"}, "summary": {summary}})
		tp = samir.get(thread + "?done=signal_raised")
		mustContain(t, tp, "Signal raised: whoever decides is told.", inHTML(summary), "Raised by Samir Benali to Victor Lemaire",
			`<span class="tag status-pending">New</span>`)
		mustContain(t, samir.get("/signals"), `id="raised-h"`, inHTML(summary), navSignals(0))

		// victor owns it: the header counts it, the inbox offers the
		// acknowledgement and the decisions a new signal may take.
		victor := e.browser(t, "en")
		mustContain(t, victor.signIn("victor"), navSignals(1))
		inbox := victor.get("/signals")
		mustStatus(t, inbox, http.StatusOK)
		checkHeadings(t, "signals", inbox)
		sid := strconv.FormatInt(id, 10)
		mustContain(t, inbox, `id="waiting-h"`, `id="signal-`+sid+`"`, inHTML(summary), paulsInnovationThread,
			"answer expected by", `name="status" value="acknowledged"`, `id="decide-`+sid+`-accepted"`, `id="decide-`+sid+`-planned"`,
			`id="decide-`+sid+`-rejected"`, `<label for="decision-`+sid+`">`)
		mustNotContain(t, inbox, `id="decide-`+sid+`-done"`, `id="stale-h"`)

		res = victor.postForm(inbox, "/signals/"+sid+"/decide", url.Values{"status": {"acknowledged"}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := "/signals?done=acknowledged#signal-" + sid; res.Location() != want {
			t.Fatalf("acknowledging redirects to %q, want %q", res.Location(), want)
		}
		inbox = victor.get("/signals?done=acknowledged")
		mustContain(t, inbox, "Acknowledged: whoever raised it is told.", `<span class="tag status-pending">Acknowledged</span>`)
		mustNotContain(t, inbox, `name="status" value="acknowledged"`)

		// A decision without its text is refused beside the signal, the choice kept.
		res = victor.postForm(inbox, "/signals/"+sid+"/decide", url.Values{"status": {"accepted"}, "decision": {" "}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="signal-`+sid+`-error"`, `value="accepted" required checked`, `aria-invalid="true"`)

		res = victor.postForm(inbox, "/signals/"+sid+"/decide", url.Values{"status": {"accepted"}, "decision": {decision}})
		mustStatus(t, res, http.StatusSeeOther)
		inbox = victor.get("/signals?done=decided")
		mustContain(t, inbox, "Decision recorded", `id="answered-h"`, inHTML(decision), "Decision by Victor Lemaire", navSignals(0),
			`id="decide-`+sid+`-done"`, `id="decide-`+sid+`-planned"`)
		mustNotContain(t, inbox, `id="decide-`+sid+`-accepted"`)

		// paul, who wrote the thread, reads the decision in it, and the
		// signal's page with its history, without any form.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		tp = paul.get(thread)
		mustContain(t, tp, `id="signals-h"`, inHTML(summary), `<span class="tag status-approved">Accepted</span>`, inHTML(decision),
			"Decision by Victor Lemaire")
		sp := paul.get("/signals/" + sid)
		mustStatus(t, sp, http.StatusOK)
		checkHeadings(t, "signal", sp)
		mustContain(t, sp, "<h1 id=\"signal-"+sid+"-h\">"+inHTML(paulsInnovationThread)+"</h1>", `id="history-h"`, inHTML(decision),
			`href="`+thread+`"`)
		mustNotContain(t, sp, `action="/signals/`+sid+`/decide"`)
		// ... and a forged decision is refused with the rule.
		r := rule(policy.RuleSignalOwnerOnly)
		res = paul.postForm(sp, "/signals/"+sid+"/decide", url.Values{"status": {"done"}, "decision": {"Fait."}, "back": {"signal"}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(r.EN), "<code>"+policy.RuleSignalOwnerOnly+"</code>")

		// The owner closes it from its page.
		sp = victor.get("/signals/" + sid)
		res = victor.postForm(sp, "/signals/"+sid+"/decide", url.Values{"status": {"done"}, "decision": {"Livré en mars."}, "back": {"signal"}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := "/signals/" + sid + "?done=decided"; res.Location() != want {
			t.Fatalf("deciding from the signal's page redirects to %q, want %q", res.Location(), want)
		}
		sp = victor.get(res.Location())
		mustContain(t, sp, "Decision recorded", `<span class="tag status-approved">Done</span>`, "Livré en mars.")
		mustNotContain(t, sp, `action="/signals/`+sid+`/decide"`)
	})
}

func TestSignalFormsFollowThePolicy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, paulsInnovationThread)
		thread := fmt.Sprintf("/posts/%d", postID)

		// paul, a member, may only suggest.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		tp := paul.get(thread)
		mustContain(t, tp, `action="`+thread+`/suggestions"`, `<label for="suggest-note">`)
		mustNotContain(t, tp, `action="`+thread+`/signals"`, `action="`+thread+`/escalations"`, `href="`+e.spacePath(innovation)+`/suggestions"`)
		mustNotContain(t, paul.get(e.spacePath(innovation)), `/suggestions"`, `/report"`)

		// A forged raise and a forged escalation are refused with the rule, in words.
		r := rule(policy.RuleSignalStewards)
		res := paul.postForm(tp, thread+"/signals", url.Values{"route": {"person"}, "owner_login": {"victor"}, "summary": {"Décidez !"}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, `id="signals-error"`, inHTML(r.EN), "<code>"+policy.RuleSignalStewards+"</code>")
		res = paul.postForm(tp, thread+"/escalations", url.Values{"severity": {"high"}, "assignee_login": {"claire"}, "summary": {"Urgent"}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(r.EN))
		// So is the stewards' list of suggestions.
		res = paul.get(e.spacePath(innovation) + "/suggestions")
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(r.EN))

		// paul suggests; samir finds it from the space and raises it to the unit.
		res = paul.postForm(tp, thread+"/suggestions", url.Values{"note": {"Le Produit doit trancher : trois clients bloqués."}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, paul.get(res.Location()), "the stewards will look at your suggestion")
		res = paul.postForm(tp, thread+"/suggestions", url.Values{"note": {"Encore"}})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, "You already suggested", `<details class="signal-form suggest-signal" open>`)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		list := e.spacePath(innovation) + "/suggestions"
		mustContain(t, samir.get(e.spacePath(innovation)), `href="`+list+`"`, `href="`+e.spacePath(innovation)+`/report"`)
		sg := samir.get(list)
		mustStatus(t, sg, http.StatusOK)
		checkHeadings(t, "suggestions", sg)
		mustContain(t, sg, "Suggested signals: "+innovation, "Suggested by Paul Lefèvre", inHTML(paulsInnovationThread),
			">Le Produit doit trancher : trois clients bloqués.</textarea>")
		m := regexp.MustCompile(`action="(` + list + `/(\d+))/raise"`).FindStringSubmatch(sg.Body)
		if m == nil {
			t.Fatalf("no raise form on the suggestions:\n%s", sg.Body)
		}
		// A unit must be chosen when routing to one.
		res = samir.postForm(sg, m[1]+"/raise", url.Values{"route": {"unit"}, "summary": {"Trois clients bloqués."}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="suggestion-`+m[2]+`-error"`, "Choose the unit")
		produit := unitID(t, e, "Produit")
		res = samir.postForm(sg, m[1]+"/raise", url.Values{"route": {"unit"}, "unit_id": {strconv.FormatInt(produit, 10)},
			"summary": {"Trois clients bloqués par l'export."}})
		mustStatus(t, res, http.StatusSeeOther)
		sg = samir.get(res.Location())
		mustContain(t, sg, "Signal raised: the suggestion is closed.", "No suggestion waits.")

		// victor heads the unit: the signal is his to answer.
		victor := e.browser(t, "en")
		mustContain(t, victor.signIn("victor"), navSignals(1))
		mustContain(t, victor.get("/signals"), "Trois clients bloqués par l&#39;export.", "the Produit unit", `value="acknowledged"`)
		mustContain(t, paul.get(thread), "Raised by Samir Benali to the Produit unit")

		// A dismissed suggestion leaves the list.
		if _, err := e.services().SuggestSignal(context.Background(), e.user("marc"), postID, "Et le support ?"); err != nil {
			t.Fatal(err)
		}
		sg = samir.get(list)
		m = regexp.MustCompile(`action="(` + list + `/\d+)/dismiss"`).FindStringSubmatch(sg.Body)
		if m == nil {
			t.Fatalf("no dismiss form:\n%s", sg.Body)
		}
		res = samir.postForm(sg, m[1]+"/dismiss", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Suggestion dismissed.", "No suggestion waits.")
		res = samir.postForm(sg, m[1]+"/dismiss", url.Values{})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, "no longer open")
	})
}

// unitID returns the id of a demo unit.
func unitID(t *testing.T, e *env, name string) int64 {
	t.Helper()
	us, err := e.st.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Name == name {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", name)
	return 0
}

func TestSignalFromTeamSpaceKeepsItsTitle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(supportLyon, supportExportThread)
		thread := fmt.Sprintf("/posts/%d", postID)
		summary := "Le support voit chaque semaine des clients multi-sites bloqués à l'export."

		// marc, the manager, routes what his team raises, to nadia outside the team.
		marc := e.browser(t, "en")
		marc.signIn("marc")
		mustContain(t, marc.get(e.spacePath(supportLyon)), `href="`+e.spacePath(supportLyon)+`/suggestions"`, `/report"`)
		id := raiseFromThread(t, marc, postID, url.Values{"route": {"person"}, "owner_login": {"nadia"}, "summary": {summary}})
		sid := strconv.FormatInt(id, 10)

		// paul, a member, suggests rather than raises, and reads the signal.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		tp := paul.get(thread)
		mustContain(t, tp, inHTML(summary), `action="`+thread+`/suggestions"`)
		mustNotContain(t, tp, `action="`+thread+`/signals"`)

		// nadia reads the summary, never the title of the team's thread.
		nadia := e.browser(t, "en")
		mustContain(t, nadia.signIn("nadia"), navSignals(1))
		for _, p := range []*page{nadia.get("/signals"), nadia.get("/signals/" + sid)} {
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, inHTML(summary), "Signal in "+supportLyon, `action="/signals/`+sid+`/decide"`)
			mustNotContain(t, p, inHTML(supportExportThread), "Export des factures")
		}
		mustContain(t, nadia.get("/signals/"+sid), `href="`+thread+`">Open the thread</a>`)
		// The thread itself stays out of her sight.
		mustBeUnseen(t, nadia, nadia.get(thread), thread, "/posts/999999")

		// Someone else outside the team does not even see the signal.
		samir := e.browser(t, "en")
		samir.signIn("samir")
		res := samir.get("/signals/" + sid)
		mustStatus(t, res, http.StatusNotFound)
		mustNotContain(t, res, inHTML(summary))
	})
}

func TestEscalations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, paulsInnovationThread)
		thread := fmt.Sprintf("/posts/%d", postID)
		summary := "Un client menace de porter l'affaire en justice dans ce fil."

		samir := e.browser(t, "en")
		samir.signIn("samir")
		tp := samir.get(thread)
		// A malformed deadline is refused with the input kept.
		form := url.Values{"severity": {"critical"}, "assignee_login": {"claire"}, "summary": {summary}, "deadline": {"demain"}}
		res := samir.postForm(tp, thread+"/escalations", form)
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `<details class="signal-form escalate" open>`, `value="demain"`, "2026-12-01T09:00", `value="critical" selected`)
		deadline := time.Now().In(paris(t)).Add(48 * time.Hour).Truncate(time.Minute)
		form.Set("deadline", deadline.Format("2006-01-02T15:04"))
		res = samir.postForm(tp, thread+"/escalations", form)
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Escalation sent")

		es, err := e.services().Escalations(context.Background(), e.user("claire"))
		if err != nil || len(es) != 1 {
			t.Fatalf("escalations of claire: %v, %v", es, err)
		}
		if !es[0].DeadlineAt.Equal(deadline) {
			t.Errorf("deadline %v, want %v (Europe/Paris)", es[0].DeadlineAt, deadline)
		}
		eid := strconv.FormatInt(es[0].ID, 10)

		// claire, the community manager, sees it and may resolve it.
		claire := e.browser(t, "en")
		mustContain(t, claire.signIn("claire"), `href="/escalations">Escalations (1)</a>`)
		ep := claire.get("/escalations")
		mustStatus(t, ep, http.StatusOK)
		checkHeadings(t, "escalations", ep)
		mustContain(t, ep, "The escalations of the communities, those of team spaces once past their deadline", `id="escalation-`+eid+`"`, inHTML(summary), "Critical",
			"Samir Benali", "Claire Dubois", `action="/escalations/`+eid+`/resolve"`, `<label for="resolution-`+eid+`">`, `href="`+thread+`"`)
		mustNotContain(t, ep, "Overdue")

		// samir, who raised it, follows it without resolving it.
		ep = samir.get("/escalations")
		mustContain(t, ep, inHTML(summary), `">Escalations</a>`)
		mustNotContain(t, ep, `action="/escalations/`+eid+`/resolve"`)

		// lea is not involved: no link, an empty page, and a forged form finds nothing.
		lea := e.browser(t, "en")
		mustNotContain(t, lea.signIn("lea"), `href="/escalations"`, `href="/signals"`)
		ep = lea.get("/escalations")
		mustStatus(t, ep, http.StatusOK)
		mustContain(t, ep, "No open escalation.")
		mustNotContain(t, ep, inHTML(summary))
		res = lea.postForm(ep, "/escalations/"+eid+"/resolve", url.Values{"resolution": {"Classé."}})
		mustStatus(t, res, http.StatusNotFound)

		// An overdue escalation is marked.
		late := &relais.Escalation{SpaceID: e.spaces[innovation], RaisedBy: e.user("samir").ID, AssigneeID: e.user("claire").ID,
			Severity: relais.SeverityLow, Summary: "Relance en retard.", DeadlineAt: time.Now().Add(-time.Hour)}
		if err := e.st.CreateEscalation(context.Background(), late); err != nil {
			t.Fatal(err)
		}
		ep = claire.get("/escalations")
		mustContain(t, ep, `<span class="tag status-rejected">Overdue</span>`, fmt.Sprintf(`<li class="item escalation overdue" id="escalation-%d">`, late.ID),
			`">Escalations (2)</a>`)
		mustNotContain(t, ep, `<li class="item escalation overdue" id="escalation-`+eid+`">`)

		// claire resolves it; samir reads the resolution.
		res = claire.postForm(ep, "/escalations/"+eid+"/resolve", url.Values{"resolution": {""}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="resolution-`+eid+`-error"`)
		res = claire.postForm(ep, "/escalations/"+eid+"/resolve", url.Values{"resolution": {"Le service juridique a répondu au client."}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, claire.get(res.Location()), "Escalation resolved", `id="resolved-h"`, `">Escalations (1)</a>`)
		mustContain(t, samir.get("/escalations"), "Le service juridique a répondu au client.", "Resolved")
	})
}

// untranslated matches a message key of these pages left untranslated.
var untranslated = regexp.MustCompile(`\b(?:signals|suggestions|escalations|reports|webhooks|nav)\.[a-z_]+[a-z_.]*`)

// TestRoutingPagesInBothLanguages opens every page of signals,
// suggestions, escalations, reports and webhooks in French and in English:
// each is in its language, without a missing text, with one h1 and
// headings in order.
func TestRoutingPagesInBothLanguages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		postID := e.postID(innovation, paulsInnovationThread)
		g, _, err := svc.RaiseSignal(ctx, e.user("samir"), app.NewSignal{PostID: postID, OwnerLogin: "victor", Summary: "À décider."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideSignal(ctx, e.user("victor"), g.ID, relais.SignalPlanned, "Prévu au trimestre prochain."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SuggestSignal(ctx, e.user("paul"), postID, "À remonter."); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Escalate(ctx, e.user("samir"), app.NewEscalation{SpaceID: e.spaces[innovation], PostID: postID,
			AssigneeLogin: "claire", Severity: relais.SeverityLow, Summary: "À surveiller."}); err != nil {
			t.Fatal(err)
		}
		thread := fmt.Sprintf("/posts/%d", postID)
		period := time.Now().UTC().Format("2006-01")
		pagesOf := map[string][]string{
			"samir":  {"/signals", thread, e.spacePath(innovation) + "/suggestions", "/escalations", e.spacePath(innovation) + "/report?period=" + period},
			"victor": {"/signals", fmt.Sprintf("/signals/%d", g.ID), e.spacePath(innovation) + "/report"},
			"claire": {"/signals", "/escalations"},
			"admin":  {"/admin/webhooks"},
		}
		for _, lang := range []string{"fr", "en"} {
			for login, paths := range pagesOf {
				b := e.browser(t, lang)
				b.signIn(login)
				for _, path := range paths {
					p := b.get(path)
					mustStatus(t, p, http.StatusOK)
					mustContain(t, p, `<html lang="`+lang+`">`)
					if k := untranslated.FindString(p.Body); k != "" {
						t.Errorf("%s %s (%s): untranslated key %q", login, path, lang, k)
					}
					checkHeadings(t, lang+" "+path, p)
				}
			}
		}
		fr := e.browser(t, "fr")
		fr.signIn("victor")
		mustContain(t, fr.get("/signals"), "Mes signaux", "Planifié", "Prévu au trimestre prochain.", "Décision de Victor Lemaire")
		fr = e.browser(t, "fr")
		fr.signIn("samir")
		mustContain(t, fr.get(thread), "Transmettre un signal", "Escalader une situation difficile", "Heure de Europe/Paris.")
	})
}
