package api_test

// Outbound webhooks through the API (api/webhooks.go): administrators only,
// URLs and events checked, the secret shown once, the delivery log.

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/events"
	"relais/policy"
)

type webhookJSON struct {
	ID        int64    `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	Active    bool     `json:"active"`
	CreatedBy int64    `json:"created_by"`
	Secret    *string  `json:"secret"`
}

type deliveryJSON struct {
	ID        int64  `json:"id"`
	WebhookID int64  `json:"webhook_id"`
	Event     string `json:"event"`
	Payload   string `json:"payload"`
	Status    string `json:"status"`
	Attempts  int    `json:"attempts"`
}

// wantSchema checks a response body against the schema the OpenAPI
// document gives for the operation's success.
func wantSchema(t *testing.T, e *env, r *response, path, method, status string) {
	t.Helper()
	var doc, v any
	e.anon().get(t, "/api/openapi.json").wantStatus(t, 200).decode(t, &doc)
	schemas, _ := dig(doc, "components", "schemas").(map[string]any)
	schema := dig(doc, "paths", path, method, "responses", status, "content", "application/json", "schema")
	if schema == nil {
		t.Fatalf("%s %s documents no %s JSON schema", method, path, status)
	}
	r.decode(t, &v)
	for _, problem := range conforms(schemas, schema, v, "$") {
		t.Errorf("%s: %s", r, problem)
	}
}

func TestWebhooksAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		valid := map[string]any{"url": "https://tickets.example.com/hooks/relais", "events": []string{"signal.raised", "escalation.raised"}}

		t.Run("administrators only", func(t *testing.T) {
			for _, login := range []string{"claire", "samir", "olivia", "victor", "paul", "xavier"} {
				c := e.as(t, login)
				c.get(t, "/api/v1/webhooks").wantError(t, 403, policy.RuleWebhookAdminOnly)
				c.post(t, "/api/v1/webhooks", valid).wantError(t, 403, policy.RuleWebhookAdminOnly)
				c.post(t, "/api/v1/webhooks/1/disable", nil).wantError(t, 403, policy.RuleWebhookAdminOnly)
				c.post(t, "/api/v1/webhooks/1/enable", nil).wantError(t, 403, policy.RuleWebhookAdminOnly)
				c.get(t, "/api/v1/webhooks/deliveries").wantError(t, 403, policy.RuleWebhookAdminOnly)
			}
			e.anon().get(t, "/api/v1/webhooks").wantError(t, 401, "")
			e.anon().post(t, "/api/v1/webhooks", valid).wantError(t, 401, "")
			// Nothing was created by the refused calls.
			var list struct{ Webhooks []webhookJSON }
			admin.get(t, "/api/v1/webhooks").wantStatus(t, 200).decode(t, &list)
			if len(list.Webhooks) != 0 {
				t.Fatalf("webhooks after refused calls: %+v", list.Webhooks)
			}
		})

		var created webhookJSON
		t.Run("the secret is shown once", func(t *testing.T) {
			r := admin.post(t, "/api/v1/webhooks", valid).wantStatus(t, 201)
			wantSchema(t, e, r, "/api/v1/webhooks", "post", "201")
			r.decode(t, &created)
			if created.ID == 0 || created.URL != valid["url"] || !created.Active || created.CreatedBy != e.users["admin"] ||
				strings.Join(created.Events, ",") != "signal.raised,escalation.raised" {
				t.Errorf("created %+v", created)
			}
			if created.Secret == nil || len(*created.Secret) != 64 {
				t.Fatalf("secret %v; want 64 hex digits", created.Secret)
			}
			if _, err := hex.DecodeString(*created.Secret); err != nil {
				t.Errorf("secret %q is not hex", *created.Secret)
			}
			r = admin.get(t, "/api/v1/webhooks").wantStatus(t, 200)
			wantSchema(t, e, r, "/api/v1/webhooks", "get", "200")
			if strings.Contains(string(r.Body), *created.Secret) || strings.Contains(string(r.Body), `"secret"`) {
				t.Errorf("the list shows the secret: %s", r.Body)
			}
			var list struct{ Webhooks []webhookJSON }
			r.decode(t, &list)
			if len(list.Webhooks) != 1 || list.Webhooks[0].ID != created.ID {
				t.Errorf("list %+v; want the webhook created", list.Webhooks)
			}
			// Every webhook gets a secret of its own.
			var other webhookJSON
			admin.post(t, "/api/v1/webhooks", map[string]any{"url": "http://203.0.114.9:9000/hook", "events": []string{"*"}}).
				wantStatus(t, 201).decode(t, &other)
			if other.Secret == nil || *other.Secret == *created.Secret || strings.Join(other.Events, ",") != "*" {
				t.Errorf("second webhook %+v", other)
			}
		})

		t.Run("bad input is refused", func(t *testing.T) {
			for _, tc := range []struct {
				body  any
				field string
			}{
				{map[string]any{"events": []string{"*"}}, "url"},
				{map[string]any{"url": "", "events": []string{"*"}}, "url"},
				{map[string]any{"url": "tickets.example.com/hook", "events": []string{"*"}}, "url"},
				{map[string]any{"url": "ftp://tickets.example.com/hook", "events": []string{"*"}}, "url"},
				{map[string]any{"url": "https://user:pw@tickets.example.com/hook", "events": []string{"*"}}, "url"},
				{map[string]any{"url": "https://tickets.example.com/" + strings.Repeat("x", 2001), "events": []string{"*"}}, "url"},
				{map[string]any{"url": "https://tickets.example.com/hook"}, "events"},
				{map[string]any{"url": "https://tickets.example.com/hook", "events": []string{}}, "events"},
				{map[string]any{"url": "https://tickets.example.com/hook", "events": []string{"post.created"}}, "events"},
				{map[string]any{"url": "https://tickets.example.com/hook", "events": []string{"*", "signal.raised"}}, "events"},
				{map[string]any{"url": "https://tickets.example.com/hook", "events": "*"}, "events"},
				{map[string]any{"url": 12, "events": []string{"*"}}, "url"},
				{map[string]any{"url": "https://tickets.example.com/hook", "events": []string{"*"}, "secret": "mine"}, "secret"},
				{"[]", ""},
				{"{", ""},
			} {
				r := admin.post(t, "/api/v1/webhooks", tc.body)
				if err := r.wantError(t, 400, ""); tc.field != "" && err.Error != nil && err.Error.Field != tc.field {
					t.Errorf("field %q; want %q: %s", err.Error.Field, tc.field, r)
				}
			}
			admin.post(t, "/api/v1/webhooks/abc/disable", nil).wantError(t, 400, "")
			admin.post(t, "/api/v1/webhooks/"+id(created.ID)+"/disable", map[string]any{"active": false}).wantError(t, 400, "")
			admin.get(t, "/api/v1/webhooks/deliveries?limit=0").wantError(t, 400, "")
			admin.get(t, "/api/v1/webhooks/deliveries?limit=101").wantError(t, 400, "")
			admin.get(t, "/api/v1/webhooks/deliveries?webhook=1").wantError(t, 400, "")
			admin.post(t, "/api/v1/webhooks/999999/disable", nil).wantError(t, 404, "")
		})

		t.Run("internal destinations are refused", func(t *testing.T) {
			for _, u := range []string{"http://127.0.0.1:9000/hook", "http://localhost/hook", "http://[::ffff:127.0.0.1]/",
				"http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://0/", "http://2130706433/", "http://jira/"} {
				r := admin.post(t, "/api/v1/webhooks", map[string]any{"url": u, "events": []string{"*"}})
				if err := r.wantError(t, 422, ""); err.Error != nil && (err.Error.Field != "url" || !strings.Contains(err.Error.Message, "--webhooks-allow-private")) {
					t.Errorf("%s: %s; want a 422 on url saying how to allow it", u, r)
				}
			}
			r := admin.in("fr").post(t, "/api/v1/webhooks", map[string]any{"url": "http://169.254.169.254/", "events": []string{"*"}})
			if err := r.wantError(t, 422, ""); err.Error != nil && !strings.Contains(err.Error.Message, "est une adresse lien-local") {
				t.Errorf("in French: %s", r)
			}
			var list struct{ Webhooks []webhookJSON }
			admin.get(t, "/api/v1/webhooks").wantStatus(t, 200).decode(t, &list)
			if len(list.Webhooks) != 2 {
				t.Errorf("%d webhooks after the refusals; want the 2 created before", len(list.Webhooks))
			}
		})

		t.Run("turn off and on", func(t *testing.T) {
			var h webhookJSON
			r := admin.post(t, "/api/v1/webhooks/"+id(created.ID)+"/disable", nil).wantStatus(t, 200)
			wantSchema(t, e, r, "/api/v1/webhooks/{id}/disable", "post", "200")
			r.decode(t, &h)
			if h.ID != created.ID || h.Active || h.Secret != nil {
				t.Errorf("disabled: %s", r.Body)
			}
			admin.post(t, "/api/v1/webhooks/"+id(created.ID)+"/enable", "{}").wantStatus(t, 200).decode(t, &h)
			if !h.Active {
				t.Errorf("enabled: %+v", h)
			}
		})

		t.Run("the delivery log", func(t *testing.T) {
			ctx := context.Background()
			space := e.spaces[innovation]
			g := &relais.Signal{SpaceID: space, PostID: e.posts[titleInnovationInvoice], RaisedBy: e.users["samir"],
				OwnerID: e.users["victor"], Summary: "Export des factures"}
			if err := e.st.CreateSignal(ctx, g, 0); err != nil {
				t.Fatal(err)
			}
			r := admin.get(t, "/api/v1/webhooks/deliveries").wantStatus(t, 200)
			wantSchema(t, e, r, "/api/v1/webhooks/deliveries", "get", "200")
			var log struct{ Deliveries []deliveryJSON }
			r.decode(t, &log)
			// Both webhooks take signal.raised ("*" and the list).
			if len(log.Deliveries) != 2 {
				t.Fatalf("deliveries %+v; want 2", log.Deliveries)
			}
			for _, d := range log.Deliveries {
				if d.Event != "signal.raised" || d.Status != "pending" || d.Attempts != 0 || !strings.Contains(d.Payload, `"summary":"Export des factures"`) {
					t.Errorf("delivery %+v", d)
				}
			}
			if strings.Contains(string(r.Body), `"secret"`) {
				t.Errorf("the log shows a secret: %s", r.Body)
			}
			admin.get(t, "/api/v1/webhooks/deliveries?limit=1").wantStatus(t, 200).decode(t, &log)
			if len(log.Deliveries) != 1 {
				t.Errorf("limit=1: %d deliveries", len(log.Deliveries))
			}
			// Turned off, its pending delivery is given up.
			admin.post(t, "/api/v1/webhooks/"+id(created.ID)+"/disable", nil).wantStatus(t, 200)
			ds, err := e.st.Deliveries(ctx, created.ID, 10)
			if err != nil || len(ds) != 1 || ds[0].Status != "failed" {
				t.Errorf("the delivery of a webhook turned off: %+v, %v; want failed", ds, err)
			}
		})
	})
}

// TestWebhookLogHidesAnswer: a receiver's answer, here a secret, is never
// kept nor shown by the delivery log: its status and a few words of Relais
// are.
func TestWebhookLogHidesAnswer(t *testing.T) {
	const secret = "SECRET-7f3a-database-password"
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"`+secret+`"}`)
		}))
		t.Cleanup(receiver.Close)
		// The receiver listens on loopback: a service that allows it
		// creates the webhook and delivers; the API reads the log.
		svc := app.New(e.st, events.NewLocal(), slog.New(slog.DiscardHandler))
		svc.WebhooksAllowPrivate = true
		admin, err := e.st.UserByLogin(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateWebhook(ctx, admin, receiver.URL+"/hook", []string{"signal.raised"}); err != nil {
			t.Fatal(err)
		}
		g := &relais.Signal{SpaceID: e.spaces[innovation], PostID: e.posts[titleInnovationInvoice], RaisedBy: e.users["samir"],
			OwnerID: e.users["victor"], Summary: "Export des factures"}
		if err := e.st.CreateSignal(ctx, g, 0); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.DeliverWebhooks(ctx, time.Now()); err != nil || n != 1 {
			t.Fatalf("DeliverWebhooks: %d, %v; want 1", n, err)
		}
		r := e.as(t, "admin").get(t, "/api/v1/webhooks/deliveries").wantStatus(t, 200)
		wantSchema(t, e, r, "/api/v1/webhooks/deliveries", "get", "200")
		if strings.Contains(string(r.Body), "SECRET") {
			t.Errorf("the delivery log shows the receiver's answer: %s", r.Body)
		}
		var log struct {
			Deliveries []struct {
				Status     string `json:"status"`
				LastStatus int    `json:"last_status"`
				LastError  string `json:"last_error"`
			}
		}
		r.decode(t, &log)
		if len(log.Deliveries) != 1 || log.Deliveries[0].LastStatus != 500 || log.Deliveries[0].LastError != "HTTP 500" ||
			log.Deliveries[0].Status != "pending" {
			t.Errorf("the log %+v; want one pending delivery, last status 500, last error \"HTTP 500\"", log.Deliveries)
		}
	})
}
