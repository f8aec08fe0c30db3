package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"relais/app"
	"relais/policy"
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
