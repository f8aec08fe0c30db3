package store_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// The delivery log of webhooks keeps why an attempt failed in a few words,
// never the receiver's answer: a reason is cut to MaxDeliveryReason, and
// the migration that brought this clears the answers kept before it.

// webhookWithDeliveries adds a webhook and raises n signals: n deliveries,
// oldest first.
func webhookWithDeliveries(t *testing.T, s *store.Store, n int) []*store.Delivery {
	t.Helper()
	o := newSignalOrg(t, s)
	admin := newUser(t, s, "admin", relais.RoleAdministrator)
	h := &store.Webhook{URL: "https://tickets.example.com/h", Secret: "x", Events: []string{"*"}, CreatedBy: admin.ID}
	if err := s.CreateWebhook(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		o.raise(t, s, o.owner.ID, 0, "signal "+string(rune('A'+i)), time.Now())
	}
	ds, err := s.Deliveries(t.Context(), h.ID, 100)
	if err != nil || len(ds) != n {
		t.Fatalf("deliveries: %d, %v; want %d", len(ds), err, n)
	}
	for i, j := 0, len(ds)-1; i < j; i, j = i+1, j-1 {
		ds[i], ds[j] = ds[j], ds[i]
	}
	return ds
}

// TestDeliveryReasonBounded: however long the reason given, the log keeps
// at most MaxDeliveryReason bytes of it, cut on a character.
func TestDeliveryReasonBounded(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		d := webhookWithDeliveries(t, s, 1)[0]
		long := strings.Repeat("é", 5000)
		if err := s.RecordDelivery(t.Context(), d.ID, false, 500, long, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ds, err := s.Deliveries(t.Context(), d.WebhookID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := ds[0].LastError; len(got) > store.MaxDeliveryReason || len(got) < store.MaxDeliveryReason-1 || strings.Trim(got, "é") != "" {
			t.Errorf("a reason of %d bytes kept as %d bytes (%.20q…); want at most %d, whole characters", len(long), len(got), got, store.MaxDeliveryReason)
		}
	})
}

// TestMigrationClearsAnswerBodies: the deliveries logged before the
// migration kept the start of the receiver's answer, or of an error that
// could quote it; after it, each holds its status or a word of Relais.
func TestMigrationClearsAnswerBodies(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			url := testdb.URL(t, engine)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			// What the log held before, as the code of then wrote it.
			before := []struct {
				status       int
				text, wanted string
			}{
				{500, "HTTP 500: {\"error\":\"SECRET database password hunter2\"}", "HTTP 500"},
				{302, "HTTP 302: <a href=\"/SECRET\">Found</a>", "HTTP 302"},
				{0, "net/http: HTTP/1.1 transport connection broken: malformed HTTP status code \"SECRET\"", "connection failed"},
				{0, "dial tcp 127.0.0.1:9: connect: connection refused", "connection refused"},
				{0, "no answer within 10s", "no answer within 10s"},
				{0, "bad URL: parse \"http://x\": SECRET", "invalid URL"},
				{200, "", ""},
			}
			ds := webhookWithDeliveries(t, s, len(before)+1)
			for i, b := range before {
				// Given up (no next attempt), so that turning the webhook off
				// below leaves them as they are.
				if err := s.RecordDelivery(ctx, ds[i].ID, b.status == 200, b.status, b.text, time.Time{}); err != nil {
					t.Fatal(err)
				}
			}
			// A delivery given up when its webhook was turned off keeps
			// its reason, and its last status.
			o, d := ds[0].WebhookID, ds[len(before)]
			if err := s.RecordDelivery(ctx, d.ID, false, 503, "HTTP 503: SECRET", time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.SetWebhookActive(ctx, o, 1, false); err != nil {
				t.Fatal(err)
			}

			// Run the migration again over these rows.
			driver, dsn := "pgx", url
			if engine == "sqlite" {
				driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
			}
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			res, err := db.ExecContext(ctx, "DELETE FROM schema_migrations WHERE name LIKE '%webhook_reasons.sql'")
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("%d migrations named *webhook_reasons.sql; want 1", n)
			}
			if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 {
				t.Fatalf("migrate again: %v, %v; want the one migration", applied, err)
			}

			got, err := s.Deliveries(ctx, o, 100)
			if err != nil {
				t.Fatal(err)
			}
			by := map[int64]*store.Delivery{}
			for _, g := range got {
				by[g.ID] = g
				if strings.Contains(g.LastError, "SECRET") {
					t.Errorf("delivery %d still holds %q", g.ID, g.LastError)
				}
			}
			for i, b := range before {
				if g := by[ds[i].ID]; g.LastError != b.wanted || g.LastStatus != b.status {
					t.Errorf("%q (status %d) became %q (status %d); want %q", b.text, b.status, g.LastError, g.LastStatus, b.wanted)
				}
			}
			if g := by[d.ID]; g.LastError != store.ReasonTurnedOff || g.LastStatus != 503 {
				t.Errorf("a delivery of a webhook turned off: %q, %d; want %q, 503", g.LastError, g.LastStatus, store.ReasonTurnedOff)
			}
		})
	}
}
