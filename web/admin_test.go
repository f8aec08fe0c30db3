package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"relais/app"
	"relais/policy"
	"relais/web"
)

var secretShown = regexp.MustCompile(`<code>([0-9a-f]{64})</code>`)

func TestWebhooksAdmin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin := e.browser(t, "en")
		mustContain(t, admin.signIn("admin"), `href="/admin/webhooks">Webhooks</a>`)
		wp := admin.get("/admin/webhooks")
		mustStatus(t, wp, http.StatusOK)
		checkHeadings(t, "webhooks", wp)
		mustContain(t, wp, "No webhook.", "No delivery yet.", `<label for="webhook-url">`, `name="events" value="*"`,
			`name="events" value="signal.raised"`, `name="events" value="escalation.resolved"`)

		// A bad URL is refused with the input kept.
		res := admin.postForm(wp, "/admin/webhooks", url.Values{"url": {"ftp://tickets.example.com"}, "events": {"signal.raised"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="webhook-error"`, `value="ftp://tickets.example.com"`, `aria-invalid="true"`, `value="signal.raised" checked`)
		res = admin.postForm(wp, "/admin/webhooks", url.Values{"url": {"https://tickets.example.com/hooks/relais"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "Choose at least one event")

		// Created: the secret is shown once, in the answer to the form.
		res = admin.postForm(wp, "/admin/webhooks", url.Values{"url": {"https://tickets.example.com/hooks/relais"},
			"events": {"signal.raised", "signal.decided"}})
		mustStatus(t, res, http.StatusCreated)
		m := secretShown.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no secret shown after creation:\n%s", res.Body)
		}
		mustContain(t, res, "it will never be shown again", "https://tickets.example.com/hooks/relais", "Signal raised, Signal decided", "Active")
		wp = admin.get("/admin/webhooks")
		mustNotContain(t, wp, m[1], `id="webhook-secret"`)

		// A signal raised is logged for delivery.
		if _, _, err := e.services().RaiseSignal(context.Background(), e.user("samir"),
			app.NewSignal{PostID: e.postID(innovation, paulsInnovationThread), OwnerLogin: "victor", Summary: "À livrer."}); err != nil {
			t.Fatal(err)
		}
		wp = admin.get("/admin/webhooks")
		mustContain(t, wp, `id="deliveries-h"`, `<span class="tag status-pending">Pending</span> <span class="tag">Signal raised</span>`, "Attempts")
		act := regexp.MustCompile(`action="(/admin/webhooks/\d+/active)"`).FindStringSubmatch(wp.Body)
		if act == nil {
			t.Fatalf("no enable/disable form:\n%s", wp.Body)
		}
		res = admin.postForm(wp, act[1], url.Values{"active": {"false"}})
		mustStatus(t, res, http.StatusSeeOther)
		wp = admin.get(res.Location())
		mustContain(t, wp, "Webhook disabled", `<span class="tag status-rejected">Disabled</span>`, `name="active" value="true"`, "Given up")
		res = admin.postForm(wp, act[1], url.Values{"active": {"true"}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, admin.get(res.Location()), "Webhook enabled.")

		// claire is no administrator: no link, and the page says why.
		claire := e.browser(t, "en")
		mustNotContain(t, claire.signIn("claire"), `href="/admin/webhooks"`)
		r := rule(policy.RuleWebhookAdminOnly)
		res = claire.get("/admin/webhooks")
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(r.EN))
		res = claire.postForm(res, "/admin/webhooks", url.Values{"url": {"https://evil.example/"}, "events": {"*"}})
		mustStatus(t, res, http.StatusForbidden)
	})
}

// TestWebhooksPageHidesAnswer: the delivery log of the page shows a failed
// attempt's status and a few words of Relais, in the reader's language,
// never what the receiver answered; a URL on an internal address is
// refused on the form, saying why.
func TestWebhooksPageHidesAnswer(t *testing.T) {
	const secret = "SECRET-5be1-internal-token"
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<h1>"+secret+"</h1>")
		}))
		t.Cleanup(receiver.Close)
		// The server of the pages refuses internal destinations.
		admin := e.browser(t, "en")
		admin.signIn("admin")
		wp := admin.get("/admin/webhooks")
		res := admin.postForm(wp, "/admin/webhooks", url.Values{"url": {receiver.URL + "/hook"}, "events": {"signal.raised"}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `id="webhook-error"`, "is a loopback address", "--webhooks-allow-private", `aria-invalid="true"`)

		// A service that allows them delivers to the receiver on loopback.
		svc := e.services()
		svc.WebhooksAllowPrivate = true
		if _, err := svc.CreateWebhook(ctx, e.user("admin"), receiver.URL+"/hook", []string{"signal.raised"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.RaiseSignal(ctx, e.user("samir"),
			app.NewSignal{PostID: e.postID(innovation, paulsInnovationThread), OwnerLogin: "victor", Summary: "À livrer."}); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.DeliverWebhooks(ctx, time.Now()); err != nil || n != 1 {
			t.Fatalf("DeliverWebhooks: %d, %v; want 1", n, err)
		}
		wp = admin.get("/admin/webhooks")
		mustContain(t, wp, "<dt>Last HTTP status</dt><dd>502</dd>", "<dt>Last error</dt><dd>HTTP 502</dd>")
		mustNotContain(t, wp, "SECRET")

		// Given up when turned off, said in French to a French reader.
		hs, err := svc.Webhooks(ctx, e.user("admin"))
		if err != nil || len(hs) != 1 {
			t.Fatalf("webhooks: %v, %v", hs, err)
		}
		if _, err := svc.SetWebhookActive(ctx, e.user("admin"), hs[0].ID, false); err != nil {
			t.Fatal(err)
		}
		fr := e.browser(t, "fr")
		fr.signIn("admin")
		wp = fr.get("/admin/webhooks")
		mustContain(t, wp, "<dt>Dernière erreur</dt><dd>webhook désactivé</dd>")
		mustNotContain(t, wp, "SECRET")
	})
}

// TestDeliveryReasonTranslated: each reason the service gives reads in
// French on a French page, the statuses as they are.
func TestDeliveryReasonTranslated(t *testing.T) {
	fr, en := &web.Page{Lang: "fr"}, &web.Page{Lang: "en"}
	for _, tc := range []struct{ reason, fr string }{
		{"HTTP 500", "HTTP 500"},
		{"HTTP 307: " + app.ReasonRedirect, "HTTP 307 : redirection non suivie"},
		{"no answer within 10s", "pas de réponse en 10s"},
		{app.ReasonConnectionRefused, "connexion refusée"},
		{app.ReasonInvalidAnswer, "réponse HTTP invalide"},
		{"destination refused: loopback address", "destination refusée : adresse de boucle locale"},
		{"destination refused: link-local address", "destination refusée : adresse lien-local"},
		{"destination refused: something else", "destination refused: something else"},
	} {
		if got := fr.DeliveryReason(tc.reason); got != tc.fr {
			t.Errorf("fr %q: %q; want %q", tc.reason, got, tc.fr)
		}
		if got := en.DeliveryReason(tc.reason); got != tc.reason {
			t.Errorf("en %q: %q; want it as it is", tc.reason, got)
		}
	}
}
