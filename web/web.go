// Package web serves the server-rendered web UI of Relais, in French and
// English. Handlers parse, call a service and render a typed view; the
// buttons shown come from the policy's decisions.
package web

import (
	"log/slog"
	"net/http"

	"relais/app"
)

// Server is the web UI over the services.
type Server struct {
	App *app.Service
	Log *slog.Logger
	// Secure marks cookies Secure: set when Relais is served behind TLS.
	Secure bool
}

// Register adds the pages of the web UI to mux.
func (s *Server) Register(mux *http.ServeMux) {
}
