package server

// What the operators of an installation read: readiness (GET /readyz) and
// the Prometheus metrics (GET /metrics), on the main address for the
// administrators, and on an address of their own for monitoring.

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"relais"
	"relais/api"
	"relais/app"
	"relais/lang"
	"relais/metrics"
	"relais/store"
	"relais/web"
)

// readyTimeout bounds the readiness check: a database that does not
// answer within it is not ready.
const readyTimeout = 2 * time.Second

// readyRetry is what Retry-After says to a probe when Relais is not ready,
// in seconds.
const readyRetry = "5"

// registerOperations adds GET /readyz and the administrators' GET /metrics
// to mux.
func registerOperations(mux *http.ServeMux, svc *app.Service, log *slog.Logger) {
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		err := svc.Ready(ctx)
		if err == nil {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
			return
		}
		reason := "database unreachable"
		var nr *store.NotReadyError
		if errors.As(err, &nr) {
			reason = nr.Reason
		}
		if r.Context().Err() == nil {
			log.Warn("not ready", "reason", reason, "err", err)
		}
		w.Header().Set("Retry-After", readyRetry)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not_ready", "reason": reason})
	})
	mux.Handle("GET /metrics", adminMetrics(svc, log))
}

// adminMetrics serves the metrics to whoever the policy lets read them
// (ReadMetrics: an internal administrator), signed in by an API token or a
// session of the web UI. Without a valid one, /metrics does not exist (404);
// a signed-in person the policy refuses reads the rule (403).
func adminMetrics(svc *app.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := caller(r, svc)
		if err == nil {
			if u == nil {
				err = &relais.Error{Code: relais.ENOTFOUND, Message: "No such page: " + r.URL.Path + ".",
					MessageFR: "Page inconnue : " + r.URL.Path + "."}
			} else {
				err = svc.MayReadMetrics(u)
			}
		}
		if err != nil {
			e := relais.AsError(err)
			status := api.StatusOf(e.Code)
			if status == http.StatusInternalServerError {
				log.Error("metrics", "err", err)
			}
			var body struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
					Rule    string `json:"rule,omitempty"`
				} `json:"error"`
			}
			body.Error.Code, body.Error.Message, body.Error.Rule = e.Code, e.Localized(lang.FromAcceptLanguage(r.Header.Get("Accept-Language"))), e.Rule
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, status, body)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		metrics.Handler().ServeHTTP(w, r)
	})
}

// caller returns the account of the request's API token, else of its
// session cookie; nil when it has neither, or one that is unknown, expired
// or of a deactivated account.
func caller(r *http.Request, svc *app.Service) (*relais.User, error) {
	var (
		u   *relais.User
		err error
	)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return nil, nil
		}
		u, err = svc.UserByToken(r.Context(), strings.TrimSpace(token))
	} else if c, cerr := r.Cookie(web.SessionCookie); cerr == nil && c.Value != "" && len(c.Value) <= 200 {
		u, _, err = svc.Session(r.Context(), c.Value)
	} else {
		return nil, nil
	}
	switch relais.ErrorCode(err) {
	case "":
		return u, nil
	case relais.ENOTFOUND, relais.EUNAUTHORIZED:
		return nil, nil
	}
	return nil, err
}

// MetricsHandler serves GET /metrics and nothing else, to anyone: for the
// separate metrics address (relais serve --metrics-addr), which must be
// reachable by the monitoring only, never from the internet.
func MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		metrics.Handler().ServeHTTP(w, r)
	}))
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
