package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"relais/policy"
)

var approveAction = regexp.MustCompile(`action="/approvals/(\d+)/approve"`)

// approvalIDs returns the ids of the requests of an inbox page, in order.
func approvalIDs(t *testing.T, p *page) []string {
	t.Helper()
	var ids []string
	for _, m := range approveAction.FindAllStringSubmatch(p.Body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// onlyApproval returns the id of the one request of an inbox page.
func onlyApproval(t *testing.T, p *page) string {
	t.Helper()
	ids := approvalIDs(t, p)
	if len(ids) != 1 {
		t.Fatalf("want one request in the inbox, have %v:\n%s", ids, p.Body)
	}
	return ids[0]
}

// oliviaPosts signs olivia in, has her open a thread in Clients Pro
// through the form, and returns her browser and the thread's path.
func oliviaPosts(t *testing.T, e *env, title, body string) (*browser, string) {
	t.Helper()
	b := e.browser(t, "en")
	b.signIn("olivia")
	path := e.spacePath(clientsPro)
	res := b.postForm(b.get(path), path+"/posts", url.Values{"kind": {"question"}, "title": {title}, "body": {body}})
	mustStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location(), "/posts/") {
		t.Fatalf("olivia's post redirects to %q", res.Location())
	}
	return b, res.Location()
}

func TestApprovalsInbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		title := "Atelier export multi-sites"
		_, thread := oliviaPosts(t, e, title, "Venez **nombreux** <script>alert('x')</script>\n\n[site](javascript:alert(1))")

		// The header links the inbox, with its count, for the mentor only.
		samir := e.browser(t, "en")
		home := samir.signIn("samir")
		mustContain(t, home, `href="/approvals"`, "Approvals (1)")
		xavier := e.browser(t, "en")
		mustNotContain(t, xavier.signIn("xavier"), `href="/approvals"`, "Approvals (")
		mustNotContain(t, e.browser(t, "en").signIn("paul"), `href="/approvals"`)
		fr := e.browser(t, "fr")
		mustContain(t, fr.signIn("samir"), "Approbations (1)")

		inbox := samir.get("/approvals")
		mustStatus(t, inbox, http.StatusOK)
		id := onlyApproval(t, inbox)
		mustContain(t, inbox, "Requests to approve", "1 request waiting", `<span class="tag kind-post">New thread</span>`, ">"+title+"</h2>",
			`in <a href="`+e.spacePath(clientsPro)+`">`+clientsPro+`</a>`, "by <strong>Olivia Hart</strong>", `<time datetime="`,
			"<strong>nombreux</strong>", `action="/approvals/`+id+`/reject"`, `name="reason"`, "required", "Reason for rejecting",
			`<a class="approvals-link" href="/approvals" aria-current="page">Approvals (1)</a>`)
		mustNotContain(t, inbox, "<script>alert", "javascript:")
		mustContain(t, fr.get("/approvals"), "Demandes à approuver", "Nouveau fil", "Approuver", "Refuser", "Raison du refus")

		// Anybody else's inbox is empty: they decide nothing.
		for _, c := range []*browser{xavier, e.browser(t, "en")} {
			if c != xavier {
				c.signIn("claire")
			}
			p := c.get("/approvals")
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, "No request waits for your decision.")
			mustNotContain(t, p, title)
		}
		mustStatus(t, xavier.get(thread), http.StatusNotFound)
		mustNotContain(t, xavier.get(e.spacePath(clientsPro)), title)

		// Approving publishes the post, and the inbox says so.
		res := samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		if want := "/approvals?done=approved&id=" + id; res.Location() != want {
			t.Errorf("approve redirects to %q, want %q", res.Location(), want)
		}
		after := samir.get(res.Location())
		mustStatus(t, after, http.StatusOK)
		mustContain(t, after, `role="status">Approved: “`+title+`” is now published in `+clientsPro+`.`, `<a href="`+thread+`">See it</a>`,
			"No request waits for your decision.")
		mustNotContain(t, after, "Approvals (")
		mustContain(t, xavier.get(e.spacePath(clientsPro)), title)
		th := xavier.get(thread)
		mustStatus(t, th, http.StatusOK)
		mustContain(t, th, title, "<strong>nombreux</strong>")
		mustContain(t, xavier.get("/search?q="+url.QueryEscape("multi-sites atelier")), title)
		// In French too.
		mustContain(t, fr.get(res.Location()), "Approuvé : « "+title+" » est maintenant publié dans "+clientsPro+".")
	})
}

func TestApprovalsReject(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		mustContain(t, olivia.get("/approvals/mine"), "My approval requests", "You have no approval requests.")
		thread := "/posts/" + strconv.FormatInt(e.postID(clientsPro, "Comment exporter mes factures par site ?"), 10)
		body := "Le correctif arrive *vendredi*."
		res := olivia.postForm(olivia.get(thread), thread+"/replies", url.Values{"body": {body}})
		mustStatus(t, res, http.StatusSeeOther)
		mine := olivia.get("/approvals/mine")
		mustContain(t, mine, "Reply to “Comment exporter mes factures par site ?”", "Waiting for your mentor", "<em>vendredi</em>", clientsPro,
			`href="`+res.Location()+`"`)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		inbox := samir.get("/approvals")
		id := onlyApproval(t, inbox)
		mustContain(t, inbox, `<span class="tag kind-post">Reply</span>`, "Reply to “Comment exporter mes factures par site ?”",
			`<a href="`+thread+`">Open the thread</a>`, "<em>vendredi</em>")

		// A rejection needs a reason: the inbox again, the error beside the form.
		for _, reason := range []string{"", "   \n "} {
			p := samir.postForm(inbox, "/approvals/"+id+"/reject", url.Values{"reason": {reason}})
			mustStatus(t, p, http.StatusBadRequest)
			mustContain(t, p, `id="reason-`+id+`-error">Give a reason: the author reads it.</p>`, `aria-invalid="true"`, "Requests to approve", "<em>vendredi</em>")
		}
		fr := e.browser(t, "fr")
		fr.signIn("samir")
		frInbox := fr.get("/approvals")
		p := fr.postForm(frInbox, "/approvals/"+id+"/reject", url.Values{"reason": {""}})
		mustStatus(t, p, http.StatusBadRequest)
		mustContain(t, p, esc("Donnez une raison : l'auteur la lira."))
		// Too long a reason is refused, and kept in the form.
		long := strings.Repeat("é", 2001)
		p = samir.postForm(inbox, "/approvals/"+id+"/reject", url.Values{"reason": {long}})
		mustStatus(t, p, http.StatusBadRequest)
		mustContain(t, p, "The reason is longer than 2,000 characters.", ">"+long+"</textarea>")

		reason := "Merci de citer la procédure officielle <b>d'abord</b>."
		res = samir.postForm(inbox, "/approvals/"+id+"/reject", url.Values{"reason": {reason}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := "/approvals?done=rejected&id=" + id; res.Location() != want {
			t.Errorf("reject redirects to %q, want %q", res.Location(), want)
		}
		mustContain(t, samir.get(res.Location()), "Rejected: Olivia Hart will read your reason on their requests page.", "No request waits for your decision.")

		// The reply stays invisible; olivia reads the reason.
		x := e.browser(t, "en")
		x.signIn("xavier")
		mustNotContain(t, x.get(thread), "vendredi")
		mine = olivia.get("/approvals/mine")
		mustContain(t, mine, `<span class="tag status-rejected">Rejected</span>`, "Reason given by your mentor:", esc(reason), "decided on")
		mustNotContain(t, mine, "<b>d'abord</b>", "Waiting for your mentor")
		mustContain(t, olivia.get(thread), "Comment exporter mes factures par site ?")
		frOlivia := e.browser(t, "fr")
		frOlivia.signIn("olivia")
		mustContain(t, frOlivia.get("/approvals/mine"), "Mes demandes d&#39;approbation", "Refusé", "Raison donnée par votre mentor :")
	})
}

func TestApprovalsRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia, thread := oliviaPosts(t, e, "Sondage satisfaction", "Trois questions, deux minutes.")
		samir := e.browser(t, "en")
		samir.signIn("samir")
		inbox := samir.get("/approvals")
		id := onlyApproval(t, inbox)

		// Nobody approves their own request: 403 with the rule, in words.
		home := olivia.get("/")
		for _, action := range []string{"approve", "reject"} {
			p := olivia.postForm(home, "/approvals/"+id+"/"+action, url.Values{"reason": {"Je retire."}})
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, `role="alert"`, esc(rule(policy.RuleApprovalOwn).EN), "<code>"+policy.RuleApprovalOwn+"</code>", "Requests to approve")
		}
		fr := e.browser(t, "fr")
		p := fr.postForm(fr.signIn("olivia"), "/approvals/"+id+"/approve", url.Values{})
		mustStatus(t, p, http.StatusForbidden)
		mustContain(t, p, esc(rule(policy.RuleApprovalOwn).FR), policy.RuleApprovalOwn)
		// Who is not the mentor learns nothing of it.
		for _, login := range []string{"xavier", "paul", "claire"} {
			b := e.browser(t, "en")
			p := b.postForm(b.signIn(login), "/approvals/"+id+"/approve", url.Values{})
			mustStatus(t, p, http.StatusNotFound)
			mustContain(t, p, "Approval not found.")
			mustNotContain(t, p, "Sondage satisfaction")
		}
		mustStatus(t, olivia.get(thread), http.StatusOK)

		mustStatus(t, samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{}), http.StatusSeeOther)
		// Decided already: 409, whatever the second decision.
		for _, action := range []string{"approve", "reject"} {
			p := samir.postForm(inbox, "/approvals/"+id+"/"+action, url.Values{"reason": {"Trop tard."}})
			mustStatus(t, p, http.StatusConflict)
			mustContain(t, p, "This request was already approved.", `role="alert"`, "No request waits for your decision.")
		}
		// Unknown and malformed ids.
		mustStatus(t, samir.postForm(inbox, "/approvals/999999/approve", url.Values{}), http.StatusNotFound)
		mustStatus(t, samir.postForm(inbox, "/approvals/abc/approve", url.Values{}), http.StatusNotFound)
		mustStatus(t, samir.postForm(inbox, "/approvals/-1/reject", url.Values{"reason": {"x"}}), http.StatusNotFound)
		// A GET on a decision is no decision.
		if p := samir.get("/approvals/" + id + "/approve"); p.Status == http.StatusOK || p.Status == http.StatusSeeOther {
			t.Errorf("GET approve: %d", p.Status)
		}
	})
}

func TestApprovalsCSRF(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		_, thread := oliviaPosts(t, e, "Brouillon à valider", "Texte en attente.")
		samir := e.browser(t, "en")
		samir.signIn("samir")
		inbox := samir.get("/approvals")
		id := onlyApproval(t, inbox)
		other := e.browser(t, "en")
		otherHome := other.signIn("paul")
		for _, token := range []string{"", "forged", other.csrf(otherHome)} {
			for _, action := range []string{"approve", "reject"} {
				p := samir.post("/approvals/"+id+"/"+action, url.Values{"csrf": {token}, "reason": {"x"}})
				mustStatus(t, p, http.StatusForbidden)
				mustContain(t, p, "This form expired or was not sent from Relais")
			}
		}
		// From another site, refused before the token is read.
		req, _ := http.NewRequest("POST", e.srv.URL+"/approvals/"+id+"/approve", strings.NewReader(url.Values{"csrf": {samir.csrf(inbox)}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		mustStatus(t, samir.do(req), http.StatusForbidden)
		// Without a session: 401.
		mustStatus(t, e.browser(t, "en").post("/approvals/"+id+"/approve", url.Values{"csrf": {samir.csrf(inbox)}}), http.StatusUnauthorized)
		// Nothing was decided.
		if ids := approvalIDs(t, samir.get("/approvals")); len(ids) != 1 || ids[0] != id {
			t.Errorf("after refused forms, the inbox holds %v, want [%s]", ids, id)
		}
		x := e.browser(t, "en")
		x.signIn("xavier")
		mustStatus(t, x.get(thread), http.StatusNotFound)
	})
}

func TestCoPilotBanner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		banner := []string{`id="copilot-banner"`, "<strong>Co-pilot period:</strong> each of your visible actions (posts, replies, moderation, join decisions, pins, welcome, invitations, signals, escalations) waits for your mentor&#39;s approval before members see it.",
			`<a href="/approvals/mine">See my requests</a>`}
		for _, path := range []string{"/", e.spacePath(clientsPro), "/search?q=factures", "/approvals", "/approvals/mine", "/nowhere"} {
			mustContain(t, olivia.get(path), banner...)
		}
		fr := e.browser(t, "fr")
		fr.signIn("olivia")
		mustContain(t, fr.get("/"), "Période de doubles commandes :", "Voir mes demandes")
		for _, login := range []string{"samir", "xavier", "paul"} {
			b := e.browser(t, "en")
			mustNotContain(t, b.signIn(login), "copilot-banner", "Co-pilot period")
		}

		// Her requests page follows each request to its outcome.
		_, thread := oliviaPosts(t, e, "Programme du club utilisateurs", "Rendez-vous **jeudi**.")
		mine := olivia.get("/approvals/mine")
		mustStatus(t, mine, http.StatusOK)
		mustContain(t, mine, "My approval requests", `<span class="tag status-pending">Waiting for your mentor</span>`,
			`<a href="`+thread+`">Programme du club utilisateurs</a>`, "<strong>jeudi</strong>", "requested on")
		samir := e.browser(t, "en")
		samir.signIn("samir")
		inbox := samir.get("/approvals")
		mustStatus(t, samir.postForm(inbox, "/approvals/"+onlyApproval(t, inbox)+"/approve", url.Values{}), http.StatusSeeOther)
		mine = olivia.get("/approvals/mine")
		mustContain(t, mine, `<span class="tag status-approved">Approved</span>`, "decided on")
		mustNotContain(t, mine, "Reason given by your mentor")
		// Someone never in co-pilot has no requests.
		mustContain(t, samir.get("/approvals/mine"), "You have no approval requests.")
	})
}

// apiCall calls the JSON API of the env as login and decodes the answer
// into out (when not nil), failing unless the status is want.
func apiCall(t *testing.T, e *env, login, method, path, body string, want int, out any) {
	t.Helper()
	do := func(method, path, body, token string) *http.Response {
		req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return res
	}
	res := do("POST", "/api/v1/tokens", `{"login":"`+login+`","password":"demo"}`, "")
	var tok struct{ Token string }
	err := json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || tok.Token == "" {
		t.Fatalf("token of %s: %v", login, err)
	}
	res = do(method, path, body, tok.Token)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, login, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// TestApprovalsJoinDecision: olivia, steward of Clients Pro in co-pilot,
// accepts a request to join; samir's inbox shows the decision, and
// approving it makes lea a member.
func TestApprovalsJoinDecision(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		space := strconv.FormatInt(e.spaces[clientsPro], 10)
		apiCall(t, e, "lea", "POST", "/api/v1/spaces/"+space+"/members", `{"charter_version":1}`, http.StatusAccepted, nil)
		var reqs struct {
			Requests []struct {
				ID int64 `json:"id"`
			} `json:"requests"`
		}
		apiCall(t, e, "olivia", "GET", "/api/v1/spaces/"+space+"/join-requests", "", http.StatusOK, &reqs)
		if len(reqs.Requests) != 1 {
			t.Fatalf("join requests of Clients Pro: %+v", reqs)
		}
		apiCall(t, e, "olivia", "POST", "/api/v1/join-requests/"+strconv.FormatInt(reqs.Requests[0].ID, 10)+"/approve", "", http.StatusOK, nil)

		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		mustContain(t, olivia.get("/approvals/mine"), "Decision on a request to join", "Request of Léa Moreau to join", "Proposed decision: accept Léa Moreau as a member.",
			"Waiting for your mentor")
		samir := e.browser(t, "en")
		mustContain(t, samir.signIn("samir"), "Approvals (1)")
		inbox := samir.get("/approvals")
		id := onlyApproval(t, inbox)
		mustContain(t, inbox, `<span class="tag kind-post">Decision on a request to join</span>`, "Request of Léa Moreau to join",
			"Proposed decision: accept Léa Moreau as a member.", "by <strong>Olivia Hart</strong>")
		lea := e.browser(t, "en")
		lea.signIn("lea")
		mustNotContain(t, lea.get(e.spacePath(clientsPro)), `action="`+e.spacePath(clientsPro)+`/posts"`)

		res := samir.postForm(inbox, "/approvals/"+id+"/approve", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Approved: the decision on the request of Léa Moreau to join "+clientsPro+" now takes effect.")
		mustContain(t, lea.get(e.spacePath(clientsPro)), `action="`+e.spacePath(clientsPro)+`/posts"`)
		mustContain(t, olivia.get("/approvals/mine"), `<span class="tag status-approved">Approved</span>`)
	})
}
