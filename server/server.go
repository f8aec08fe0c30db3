// Package server wires the services, the JSON API and the web UI into one
// HTTP handler.
package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"relais/api"
	"relais/app"
	"relais/auth"
	"relais/metrics"
	"relais/web"
)

// Options tune the handler.
type Options struct {
	// Secure marks session cookies Secure (Relais behind TLS).
	Secure bool
	// OIDC signs people in through the company's identity provider (nil:
	// sign-in by password only).
	OIDC *app.OIDC
	// PublicURL is the address people reach Relais at,
	// https://relais.example.com, without a trailing slash: the callback
	// of the company sign-in and the links Relais gives are made of it,
	// never of a request's Host header.
	PublicURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For gives
	// the client's address (none: the address of the connection).
	TrustedProxies auth.Proxies
}

// Handler returns the whole of Relais over HTTP: /healthz, /readyz,
// /metrics, the API under /api/ and the web UI everywhere else.
func Handler(svc *app.Service, log *slog.Logger, opt Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	apiServer := &api.Server{App: svc, Log: log, PublicURL: opt.PublicURL}
	apiServer.Register(mux)
	apiServer.RegisterSCIM(mux)
	(&web.Server{App: svc, Log: log, Secure: opt.Secure, OIDC: opt.OIDC, PublicURL: opt.PublicURL}).Register(mux)
	// Operations: GET /readyz and the administrators' GET /metrics
	// (operations.go); every request is counted by the pattern that
	// matched it, so metrics.Instrument wraps the mux itself.
	registerOperations(mux, svc, log)
	return clientAddress(opt.TrustedProxies, securityHeaders(metrics.Instrument(mux), opt.Secure || strings.HasPrefix(opt.PublicURL, "https://")))
}

// clientAddress sets each request's RemoteAddr to the client's address, as
// the trusted proxies tell it in X-Forwarded-For (see auth.Proxies.Client),
// so that every use of the client's address (the sign-in throttle among
// them) sees the client rather than the proxy, and never an address a
// client wrote itself.
func clientAddress(ps auth.Proxies, h http.Handler) http.Handler {
	if len(ps) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.WithContext(r.Context()) // a shallow copy: a handler does not change its request
		r2.RemoteAddr = ps.Client(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
		h.ServeHTTP(w, r2)
	})
}

// contentSecurityPolicy allows the page's own scripts, styles and images
// only; no plugin, no <base> that would redirect relative links, no frame.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every answer carries; tls tells that
// Relais is served over TLS (by a proxy in front of it), so that browsers
// are told to come back over TLS only (HSTS), as they are on a direct TLS
// connection.
func securityHeaders(h http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		if tls || r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.ServeHTTP(w, r)
	})
}

// NewHTTPServer returns an http.Server with timeouts fit for the internet.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
}
