package server_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"relais/app"
	"relais/events"
	"relais/internal/testdb"
	"relais/server"
)

// TestSecurityHeaders: every answer forbids plugins, <base> and framing;
// HSTS is sent when Relais is served over TLS (directly, or behind a TLS
// proxy as --secure-cookies or an https public URL says), never over
// plain HTTP, where a browser would ignore it anyway.
func TestSecurityHeaders(t *testing.T) {
	st := testdb.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	svc := app.New(st, events.NewLocal(), log)
	for _, tc := range []struct {
		name string
		opt  server.Options
		url  string
		hsts bool
	}{
		{"plain HTTP", server.Options{}, "http://relais.example/signin", false},
		{"direct TLS", server.Options{}, "https://relais.example/signin", true},
		{"behind a TLS proxy", server.Options{Secure: true}, "http://relais.example/signin", true},
		{"an https public URL", server.Options{PublicURL: "https://relais.example"}, "http://relais.example/healthz", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			server.Handler(svc, log, tc.opt).ServeHTTP(rec, httptest.NewRequest("GET", tc.url, nil))
			csp := rec.Header().Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("CSP %q lacks %q", csp, d)
				}
			}
			hsts := rec.Header().Get("Strict-Transport-Security")
			if tc.hsts != (hsts != "") || (hsts != "" && !strings.Contains(hsts, "max-age=31536000")) {
				t.Errorf("HSTS %q, want it: %v", hsts, tc.hsts)
			}
		})
	}
}
