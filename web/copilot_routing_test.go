package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// TestCoPilotRoutingInbox: olivia, in co-pilot, raises a signal, escalates
// and dismisses a suggestion through the pages; each waits for samir, whose
// inbox says in English and French what it is, and nothing shows on the
// thread until he approves.
func TestCoPilotRoutingInbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		const title = "Comment exporter mes factures par site ?"
		postID := e.postID(clientsPro, title)
		thread := fmt.Sprintf("/posts/%d", postID)
		olivia, samir, xavier, fr := e.browser(t, "en"), e.browser(t, "en"), e.browser(t, "en"), e.browser(t, "fr")
		olivia.signIn("olivia")
		samir.signIn("samir")
		xavier.signIn("xavier")
		fr.signIn("samir")

		// The signal.
		summary := "Les clients veulent l'export par site : à arbitrer côté Ventes."
		tp := olivia.get(thread)
		mustStatus(t, tp, http.StatusOK)
		res := olivia.postForm(tp, thread+"/signals", url.Values{"route": {"person"}, "owner_login": {"nadia"}, "summary": {summary}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := thread + "?done=signal_pending#signals"; res.Location() != want {
			t.Fatalf("raise redirects to %q, want %q", res.Location(), want)
		}
		after := olivia.get(thread + "?done=signal_pending")
		mustContain(t, after, "Your signal waits for your mentor&#39;s approval: nobody else sees it until they approve it.")
		mustNotContain(t, after, inHTML(summary))
		mustNotContain(t, xavier.get(thread), inHTML(summary))

		inbox := samir.get("/approvals")
		mustStatus(t, inbox, http.StatusOK)
		id := onlyApproval(t, inbox)
		mustContain(t, inbox, `<span class="tag kind-post">Signal</span>`, ">Route “"+inHTML(title)+"” to Nadia Haddad</h2>",
			"Nadia Haddad will receive the signal and answer it; it will be shown in the thread, and the ticketing tools told.",
			"Summary the owner will read:", inHTML(summary), `<a href="`+thread+`">`, "by <strong>Olivia Hart</strong>")
		mustContain(t, fr.get("/approvals"), ">Transmettre « "+inHTML(title)+" » à Nadia Haddad</h2>",
			"Résumé que le destinataire lira :", "Nadia Haddad recevra le signal et y répondra")
		res = samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Approved: Route “"+inHTML(title)+"” to Nadia Haddad — in "+clientsPro+".")
		mustContain(t, xavier.get(thread), inHTML(summary))

		// The escalation.
		esc := "Un client menace de partir : il faut un appel commercial."
		tp = olivia.get(thread)
		res = olivia.postForm(tp, thread+"/escalations", url.Values{"severity": {"critical"}, "assignee_login": {"nadia"}, "summary": {esc}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, olivia.get(thread+"?done=escalation_pending"), "Your escalation waits for your mentor&#39;s approval")
		nadia := e.browser(t, "en")
		nadia.signIn("nadia")
		mustNotContain(t, nadia.get("/escalations"), inHTML(esc))
		inbox = samir.get("/approvals")
		id = onlyApproval(t, inbox)
		mustContain(t, inbox, `<span class="tag kind-post">Escalation</span>`, ">Escalate “"+inHTML(title)+"” to Nadia Haddad</h2>",
			"Nadia Haddad will receive the escalation (severity: ", "Deadline by severity, from your approval.", inHTML(esc))
		mustContain(t, fr.get("/approvals"), "Escalade", ">Escalader « "+inHTML(title)+" » à Nadia Haddad</h2>",
			"Échéance selon la gravité, à compter de votre approbation.")
		mustStatus(t, samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{}), http.StatusSeeOther)
		mustContain(t, nadia.get("/escalations"), inHTML(esc))

		// The dismissal of xavier's suggestion.
		tp = xavier.get(thread)
		mustStatus(t, xavier.postForm(tp, thread+"/suggestions", url.Values{"note": {"Le Produit devrait le savoir."}}), http.StatusSeeOther)
		suggestions := e.spacePath(clientsPro) + "/suggestions"
		sp := olivia.get(suggestions)
		mustStatus(t, sp, http.StatusOK)
		m := regexp.MustCompile(`action="` + suggestions + `/(\d+)/dismiss"`).FindStringSubmatch(sp.Body)
		if m == nil {
			t.Fatalf("no dismiss form on the suggestions page:\n%s", sp.Body)
		}
		item := m[1]
		res = olivia.postForm(sp, suggestions+"/"+item+"/dismiss", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		sp = olivia.get(res.Location())
		mustContain(t, sp, "Your decision waits for your mentor&#39;s approval: the suggestion stays open until then.",
			`action="`+suggestions+`/`+item+`/dismiss"`)
		inbox = samir.get("/approvals")
		id = onlyApproval(t, inbox)
		mustContain(t, inbox, `<span class="tag kind-post">Suggestion dismissed</span>`,
			">Dismiss the suggestion of Xavier Roux on “"+inHTML(title)+"”</h2>",
			"The suggestion of Xavier Roux will be closed without any signal being routed.", "The suggestion&#39;s note:", "Le Produit devrait le savoir.")
		mustContain(t, fr.get("/approvals"), "Suggestion écartée", ">Écarter la suggestion de Xavier Roux sur « "+inHTML(title)+" »</h2>")
		mustStatus(t, samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{}), http.StatusSeeOther)
		mustNotContain(t, olivia.get(suggestions), `action="`+suggestions+`/`+item+`/dismiss"`)
	})
}
