// Package api serves the JSON API of Relais under /api/v1, and its OpenAPI
// 3.1 document at /api/openapi.json. Handlers parse, call a service and
// render; the rules live in the policy package, behind the services.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/app"
	"relais/lang"
)

// MaxBody is the largest request body accepted, in bytes.
const MaxBody = 1 << 20

// Server is the JSON API over the services.
type Server struct {
	App *app.Service
	Log *slog.Logger
	// PublicURL is the address people reach Relais at, without a trailing
	// slash ("": not configured, addresses are made of the request).
	PublicURL string
}

// Route is one operation of the API: the mux pattern, its handler and what
// the OpenAPI document says of it.
type Route struct {
	Method  string
	Path    string // in ServeMux syntax, e.g. /api/v1/spaces/{id}
	Query   []string
	Auth    bool
	Summary string
	// Request and Response name schemas of the OpenAPI document ("" for none).
	Request  string
	Response string
	Status   int // success status
	// Pending is true when a steward in co-pilot gets 202 and an
	// ActionResult instead: the action waits for their mentor.
	Pending bool
	// Stream is true for an answer that never ends by itself (Server-Sent
	// Events).
	Stream bool
	handle func(w http.ResponseWriter, r *http.Request, u *relais.User) error
}

// Pattern returns the ServeMux pattern of the route.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Routes returns every route of the API.
func (s *Server) Routes() []Route {
	core := []Route{
		{Method: "POST", Path: "/api/v1/tokens", Summary: "Sign in and create an API token", Request: "TokenRequest", Response: "Token", Status: 201, handle: s.createToken},
		{Method: "DELETE", Path: "/api/v1/tokens/current", Auth: true, Summary: "Revoke the token of this request (sign out)", Status: 204, handle: s.deleteToken},
		{Method: "GET", Path: "/api/v1/me", Auth: true, Summary: "The signed-in user", Response: "User", Status: 200, handle: s.me},
		{Method: "GET", Path: "/api/v1/users", Query: []string{"login"}, Auth: true, Summary: "Find users by login", Response: "UserList", Status: 200, handle: s.users},
		{Method: "PUT", Path: "/api/v1/users/{id}/roles", Auth: true, Summary: "Replace a user's roles (administrator or community manager)", Request: "RolesRequest", Response: "User", Status: 200, handle: s.setRoles},
		{Method: "GET", Path: "/api/v1/spaces", Auth: true, Summary: "The spaces the caller may see", Response: "SpaceList", Status: 200, handle: s.spaces},
		{Method: "GET", Path: "/api/v1/spaces/{id}", Auth: true, Summary: "A space with its current charter and the caller's permissions", Response: "Space", Status: 200, handle: s.space},
		{Method: "GET", Path: "/api/v1/spaces/{id}/charters", Auth: true, Summary: "Every version of a space's charter, newest first", Response: "CharterList", Status: 200, handle: s.charters},
		{Method: "POST", Path: "/api/v1/spaces/{id}/charters", Auth: true, Summary: "Publish a new version of the charter (internal stewards, the community manager, a team's manager)", Request: "NewCharter", Response: "Charter", Status: 201, handle: s.publishCharter},
		{Method: "POST", Path: "/api/v1/spaces/{id}/charter/accept", Auth: true, Summary: "Accept the current version of the charter of a community one belongs to", Request: "JoinRequest", Response: "Space", Status: 200, handle: s.acceptCharter},
		{Method: "GET", Path: "/api/v1/spaces/{id}/members", Auth: true, Summary: "The visible members of a space", Response: "MemberList", Status: 200, handle: s.members},
		{Method: "POST", Path: "/api/v1/spaces/{id}/members", Auth: true, Summary: "Join a space by accepting its current charter version (201 joined, 202 request pending)", Request: "JoinRequest", Response: "JoinResult", Status: 201, handle: s.join},
		{Method: "GET", Path: "/api/v1/spaces/{id}/posts", Query: []string{"before", "limit"}, Auth: true, Summary: "A page of a space's threads, newest first", Response: "PostList", Status: 200, handle: s.posts},
		{Method: "POST", Path: "/api/v1/spaces/{id}/posts", Auth: true, Summary: "Open a thread (published, or pending approval in co-pilot)", Request: "NewPost", Response: "Post", Status: 201, handle: s.createPost},
		{Method: "GET", Path: "/api/v1/posts/{id}", Auth: true, Summary: "A thread with its replies and reactions", Response: "Thread", Status: 200, handle: s.thread},
		{Method: "POST", Path: "/api/v1/posts/{id}/replies", Auth: true, Summary: "Reply to a thread", Request: "NewReply", Response: "Reply", Status: 201, handle: s.reply},
		{Method: "POST", Path: "/api/v1/posts/{id}/reactions", Auth: true, Summary: "Toggle a reaction on a thread or one of its replies", Request: "NewReaction", Response: "ReactionResult", Status: 200, handle: s.react},
		{Method: "GET", Path: "/api/v1/search", Query: []string{"q", "space_id", "kind", "author", "solved", "after", "before", "cursor", "limit"}, Auth: true, Summary: "Search the threads the caller may read", Response: "SearchResults", Status: 200, handle: s.search},
		{Method: "GET", Path: "/api/v1/spaces/{id}/join-requests", Auth: true, Summary: "The pending requests to join a community (its stewards, the community manager)", Response: "MembershipRequestList", Status: 200, handle: s.joinRequests},
		{Method: "GET", Path: "/api/v1/me/join-requests", Auth: true, Summary: "The caller's own requests to join, with decision and reason", Response: "MembershipRequestList", Status: 200, handle: s.myJoinRequests},
		{Method: "POST", Path: "/api/v1/join-requests/{id}/approve", Auth: true, Summary: "Approve a request to join (a steward in co-pilot: waits for the mentor)", Response: "MembershipDecision", Status: 200, handle: s.approveJoin},
		{Method: "POST", Path: "/api/v1/join-requests/{id}/refuse", Auth: true, Summary: "Refuse a request to join with a reason the requester reads", Request: "RejectRequest", Response: "MembershipDecision", Status: 200, handle: s.refuseJoin},
		{Method: "GET", Path: "/api/v1/approvals", Auth: true, Summary: "The co-pilot requests the caller may approve (as mentor), newest first", Response: "ApprovalList", Status: 200, handle: s.approvals},
		{Method: "GET", Path: "/api/v1/me/approvals", Auth: true, Summary: "The caller's own co-pilot requests and their outcome", Response: "ApprovalList", Status: 200, handle: s.myApprovals},
		{Method: "GET", Path: "/api/v1/approvals/{id}", Auth: true, Summary: "One co-pilot request (its requester or its mentor)", Response: "Approval", Status: 200, handle: s.approval},
		{Method: "POST", Path: "/api/v1/approvals/{id}/approve", Auth: true, Summary: "Approve a request: the content becomes visible", Response: "Approval", Status: 200, handle: s.approve},
		{Method: "POST", Path: "/api/v1/approvals/{id}/reject", Auth: true, Summary: "Reject a request with a reason the author reads", Request: "RejectRequest", Response: "Approval", Status: 200, handle: s.reject},
		{Method: "GET", Path: "/api/v1/audit", Query: []string{"before", "limit"}, Auth: true, Summary: "The audit trail of governance actions, newest first (community manager, administrator)", Response: "AuditList", Status: 200, handle: s.audit},
		{Method: "GET", Path: "/api/v1/rulebook", Auth: true, Summary: "Every rule the policy enforces, in French and English", Response: "Rulebook", Status: 200, handle: s.rulebook},
	}
	// Each capability brings its group of routes.
	return slices.Concat(core, s.animationRoutes(), s.signalRoutes(), s.webhookRoutes(), s.reportRoutes(), s.planRoutes(), s.offeringRoutes(), s.cockpitRoutes(), s.directoryRoutes(), s.analyticsRoutes(),
		s.routineRoutes(), s.itemRoutes(), s.coachingRoutes(), s.eventRoutes(), s.followRoutes())
}

// Register adds the API and its OpenAPI document to mux.
func (s *Server) Register(mux *http.ServeMux) {
	routes := s.Routes()
	for _, rt := range routes {
		mux.Handle(rt.Pattern(), s.wrap(rt))
	}
	doc := OpenAPI(routes)
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &relais.Error{Code: relais.ENOTFOUND, Message: "No such endpoint: " + r.Method + " " + r.URL.Path + ". See /api/openapi.json.",
			MessageFR: "Point d'accès inconnu : " + r.Method + " " + r.URL.Path + ". Voir /api/openapi.json."})
	})
}

type ctxKey int

const tokenKey ctxKey = 1

// wrap checks the query parameters and the bearer token, then calls the
// handler; a panic becomes a logged 500.
func (s *Server) wrap(rt Route) http.Handler {
	allowed := map[string]bool{}
	for _, q := range rt.Query {
		allowed[q] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		for k, vs := range r.URL.Query() {
			for _, v := range vs {
				if !relais.ValidText(v) {
					s.fail(w, r, &relais.Error{Code: relais.EINVALID, Field: k, Message: "The parameter " + strconv.Quote(k) + " holds invalid characters (not UTF-8, or a NUL).",
						MessageFR: "Le paramètre " + strconv.Quote(k) + " contient des caractères invalides (hors UTF-8, ou NUL)."})
					return
				}
			}
			if !allowed[k] {
				s.fail(w, r, &relais.Error{Code: relais.EINVALID, Field: k, Message: "Unknown query parameter " + strconv.Quote(k) + ".",
					MessageFR: "Paramètre de requête inconnu " + strconv.Quote(k) + "."})
				return
			}
		}
		var u *relais.User
		if rt.Auth {
			scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				s.fail(w, r, &relais.Error{Code: relais.EUNAUTHORIZED, Message: "Sign in: send Authorization: Bearer <token> (POST /api/v1/tokens gives one).",
					MessageFR: "Connectez-vous : envoyez Authorization: Bearer <jeton> (POST /api/v1/tokens en fournit un)."})
				return
			}
			var err error
			if u, err = s.App.UserByToken(r.Context(), strings.TrimSpace(token)); err != nil {
				s.fail(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), tokenKey, strings.TrimSpace(token)))
		}
		if err := rt.handle(w, r, u); err != nil {
			s.fail(w, r, err)
		}
	})
}

// errorBody is the error format of the API.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Rule    string `json:"rule,omitempty"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// StatusOf maps error codes to HTTP statuses, for the API and the web UI.
func StatusOf(code string) int {
	switch code {
	case relais.EINVALID:
		return http.StatusBadRequest
	case relais.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case relais.EFORBIDDEN:
		return http.StatusForbidden
	case relais.ENOTFOUND:
		return http.StatusNotFound
	case relais.ECONFLICT:
		return http.StatusConflict
	case relais.EUNPROCESSABLE:
		return http.StatusUnprocessableEntity
	case relais.ETOOMANY:
		return http.StatusTooManyRequests
	case relais.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := relais.AsError(err)
	status := StatusOf(e.Code)
	if status == http.StatusInternalServerError {
		s.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body errorBody
	body.Error.Code, body.Error.Message, body.Error.Rule = e.Code, e.Localized(lang.FromAcceptLanguage(r.Header.Get("Accept-Language"))), e.Rule
	if e.Code == relais.ETOOMANY {
		w.Header().Set("Retry-After", e.Field)
	} else {
		body.Error.Field = e.Field
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decode reads a JSON object into v, refusing unknown fields, wrong types,
// trailing data and bodies over MaxBody. The Content-Type is not checked:
// scripts often send JSON as curl's default form type.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return &relais.Error{Code: relais.EINVALID, Message: "The body must hold one JSON object and nothing after it.",
				MessageFR: "Le corps doit contenir un seul objet JSON, sans rien après."}
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &relais.Error{Code: relais.ETOOLARGE, Message: "The body is larger than 1 MiB.", MessageFR: "Le corps dépasse 1 Mio."}
	case errors.Is(err, io.EOF):
		return &relais.Error{Code: relais.EINVALID, Message: "The body is empty: send a JSON object.", MessageFR: "Le corps est vide : envoyez un objet JSON."}
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return &relais.Error{Code: relais.EINVALID, Message: "The body is not valid JSON.", MessageFR: "Le corps n'est pas du JSON valide."}
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return &relais.Error{Code: relais.EINVALID, Message: "The body must be a JSON object.", MessageFR: "Le corps doit être un objet JSON."}
		}
		return &relais.Error{Code: relais.EINVALID, Field: field,
			Message:   "The field " + strconv.Quote(field) + " must be of type " + typeErr.Type.String() + ", not " + typeErr.Value + ".",
			MessageFR: "Le champ " + strconv.Quote(field) + " doit être de type " + typeErr.Type.String() + ", pas " + typeErr.Value + "."}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &relais.Error{Code: relais.EINVALID, Field: field, Message: "Unknown field " + strconv.Quote(field) + ".",
			MessageFR: "Champ inconnu " + strconv.Quote(field) + "."}
	}
	return &relais.Error{Code: relais.EINVALID, Message: "The body could not be read as JSON.", MessageFR: "Le corps n'a pas pu être lu comme du JSON."}
}

// noBody accepts a request that needs no body: none, or an empty JSON
// object.
func noBody(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength == 0 {
		return nil
	}
	var in struct{}
	return decode(w, r, &in)
}

// pathID parses the {id} of the path.
func pathID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &relais.Error{Code: relais.EINVALID, Field: "id", Message: "The id " + strconv.Quote(raw) + " is not a positive integer.",
			MessageFR: "L'identifiant " + strconv.Quote(raw) + " n'est pas un entier positif."}
	}
	return id, nil
}

// queryInt parses an optional integer query parameter within [min, max].
func queryInt(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, &relais.Error{Code: relais.EINVALID, Field: name,
			Message:   fmt.Sprintf("The parameter %q must be an integer from %d to %d.", name, lo, hi),
			MessageFR: fmt.Sprintf("Le paramètre %q doit être un entier de %d à %d.", name, lo, hi)}
	}
	return n, nil
}

// remoteAddr returns the client's address without its port.
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
