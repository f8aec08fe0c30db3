package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"relais"
	"relais/app"
	"relais/scim"
)

// MaxSCIMBody is the largest SCIM request body, in bytes.
const MaxSCIMBody = 4 << 20

// RegisterSCIM adds the SCIM 2.0 service (RFC 7644) under /scim/v2: Users
// and Groups (create, get, list with filter and paging, replace, patch,
// delete), ServiceProviderConfig and ResourceTypes. Every call sends an
// administrator's token: Authorization: Bearer <token>. Errors follow
// RFC 7644 §3.12.
func (s *Server) RegisterSCIM(mux *http.ServeMux) {
	type h = func(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error
	for pattern, handle := range map[string]h{
		"GET /scim/v2/Users":          s.scimUsers,
		"POST /scim/v2/Users":         s.scimCreateUser,
		"GET /scim/v2/Users/{id}":     s.scimUser,
		"PUT /scim/v2/Users/{id}":     s.scimReplaceUser,
		"PATCH /scim/v2/Users/{id}":   s.scimPatchUser,
		"DELETE /scim/v2/Users/{id}":  s.scimDeleteUser,
		"GET /scim/v2/Groups":         s.scimGroups,
		"POST /scim/v2/Groups":        s.scimCreateGroup,
		"GET /scim/v2/Groups/{id}":    s.scimGroup,
		"PUT /scim/v2/Groups/{id}":    s.scimReplaceGroup,
		"PATCH /scim/v2/Groups/{id}":  s.scimPatchGroup,
		"DELETE /scim/v2/Groups/{id}": s.scimDeleteGroup,
		"GET /scim/v2/ServiceProviderConfig": func(w http.ResponseWriter, r *http.Request, _ *relais.User, base string) error {
			writeSCIM(w, http.StatusOK, serviceProviderConfig(base))
			return nil
		},
		"GET /scim/v2/ResourceTypes": func(w http.ResponseWriter, r *http.Request, _ *relais.User, base string) error {
			writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{scim.SchemaList}, "totalResults": 2, "startIndex": 1,
				"itemsPerPage": 2, "Resources": resourceTypes(base)})
			return nil
		},
	} {
		mux.Handle(pattern, s.scim(handle))
	}
	mux.HandleFunc("/scim/v2/", func(w http.ResponseWriter, r *http.Request) {
		writeSCIMError(w, scim.Errorf(http.StatusNotFound, "", "No such SCIM endpoint: %s %s. Relais serves /scim/v2/Users and /scim/v2/Groups.", r.Method, r.URL.Path))
	})
}

// scim checks the bearer token, then calls the handler; errors and panics
// become SCIM errors.
func (s *Server) scim(handle func(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.scimFail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="relais-scim"`)
			writeSCIMError(w, scim.Errorf(http.StatusUnauthorized, "", "Send an administrator's token: Authorization: Bearer <token> (POST /api/v1/tokens gives one)."))
			return
		}
		u, err := s.App.UserByToken(r.Context(), token)
		if err != nil {
			s.scimFail(w, r, err)
			return
		}
		// Every SCIM call provisions the directory: the rule is decided
		// before the body is read.
		if err := s.App.CanManageDirectory(u); err != nil {
			s.scimFail(w, r, err)
			return
		}
		if err := handle(w, r, u, s.scimBase(r)); err != nil {
			s.scimFail(w, r, err)
		}
	})
}

// scimBase is the URL of /scim/v2: made of the public URL when one is
// configured, else as the client reached it.
func (s *Server) scimBase(r *http.Request) string {
	if s.PublicURL != "" {
		return s.PublicURL + "/scim/v2"
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/scim/v2"
}

func (s *Server) scimFail(w http.ResponseWriter, r *http.Request, err error) {
	var se *scim.Error
	if !errors.As(err, &se) {
		e := relais.AsError(err)
		msg := e.Message
		if e.Rule != "" {
			msg += " (rule " + e.Rule + ")"
		}
		switch e.Code {
		case relais.EUNAUTHORIZED:
			se = scim.Errorf(http.StatusUnauthorized, "", "%s", msg)
		case relais.EFORBIDDEN:
			se = scim.Errorf(http.StatusForbidden, "", "%s", msg)
		case relais.ENOTFOUND:
			se = scim.Errorf(http.StatusNotFound, "", "%s", msg)
		case relais.ECONFLICT:
			se = scim.Errorf(http.StatusConflict, scim.Uniqueness, "%s", msg)
		case relais.EINVALID, relais.EUNPROCESSABLE:
			se = scim.Bad(scim.InvalidValue, "%s", msg)
		case relais.ETOOLARGE:
			se = scim.Errorf(http.StatusRequestEntityTooLarge, "", "%s", msg)
		case relais.ETOOMANY:
			se = scim.Errorf(http.StatusTooManyRequests, "", "%s", msg)
		default:
			se = scim.Errorf(http.StatusInternalServerError, "", "Internal error.")
		}
	}
	if se.Code() == http.StatusInternalServerError {
		s.Log.Error("scim", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeSCIMError(w, se)
}

func writeSCIMError(w http.ResponseWriter, e *scim.Error) {
	if e.Schemas == nil {
		e.Schemas = []string{scim.SchemaError}
	}
	writeSCIM(w, e.Code(), e)
}

func writeSCIM(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", scim.MediaType+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// scimBody reads a request body of at most MaxSCIMBody bytes.
func scimBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSCIMBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, scim.Errorf(http.StatusRequestEntityTooLarge, "", "The body is larger than 4 MiB.")
	} else if err != nil {
		return nil, scim.Bad(scim.InvalidSyntax, "The body could not be read.")
	}
	return b, nil
}

// scimPage reads startIndex and count.
func scimPage(r *http.Request) (app.SCIMPage, error) {
	p := app.SCIMPage{StartIndex: 1, Count: app.DefaultSCIMCount}
	q := r.URL.Query()
	for name, dst := range map[string]*int{"startIndex": &p.StartIndex, "count": &p.Count} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return p, scim.Bad(scim.InvalidValue, "The parameter %s must be an integer, not %q.", name, raw)
		}
		*dst = n
	}
	return p, nil
}

func (s *Server) scimUsers(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	page, err := scimPage(r)
	if err != nil {
		return err
	}
	list, err := s.App.SCIMUsers(r.Context(), u, r.URL.Query().Get("filter"), page, base)
	if err != nil {
		return err
	}
	writeSCIM(w, http.StatusOK, list)
	return nil
}

func (s *Server) scimUser(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	out, err := s.App.SCIMUser(r.Context(), u, r.PathValue("id"), base)
	if err != nil {
		return err
	}
	writeSCIM(w, http.StatusOK, out)
	return nil
}

// scimWrite reads the body and calls a write of the service.
func scimWrite[T any](w http.ResponseWriter, r *http.Request, status int, location func(T) string, write func(ctx context.Context, body []byte) (T, error)) error {
	body, err := scimBody(w, r)
	if err != nil {
		return err
	}
	out, err := write(r.Context(), body)
	if err != nil {
		return err
	}
	if location != nil {
		w.Header().Set("Location", location(out))
	}
	writeSCIM(w, status, out)
	return nil
}

func (s *Server) scimCreateUser(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusCreated, func(x *scim.User) string { return x.Meta.Location },
		func(ctx context.Context, body []byte) (*scim.User, error) {
			return s.App.SCIMCreateUser(ctx, u, body, base)
		})
}

func (s *Server) scimReplaceUser(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusOK, nil, func(ctx context.Context, body []byte) (*scim.User, error) {
		return s.App.SCIMReplaceUser(ctx, u, r.PathValue("id"), body, base)
	})
}

func (s *Server) scimPatchUser(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusOK, nil, func(ctx context.Context, body []byte) (*scim.User, error) {
		return s.App.SCIMPatchUser(ctx, u, r.PathValue("id"), body, base)
	})
}

func (s *Server) scimDeleteUser(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	if err := s.App.SCIMDeleteUser(r.Context(), u, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) scimGroups(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	page, err := scimPage(r)
	if err != nil {
		return err
	}
	list, err := s.App.SCIMGroups(r.Context(), u, r.URL.Query().Get("filter"), page, base)
	if err != nil {
		return err
	}
	writeSCIM(w, http.StatusOK, list)
	return nil
}

func (s *Server) scimGroup(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	out, err := s.App.SCIMGroup(r.Context(), u, r.PathValue("id"), base)
	if err != nil {
		return err
	}
	writeSCIM(w, http.StatusOK, out)
	return nil
}

func (s *Server) scimCreateGroup(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusCreated, func(x *scim.Group) string { return x.Meta.Location },
		func(ctx context.Context, body []byte) (*scim.Group, error) {
			return s.App.SCIMCreateGroup(ctx, u, body, base)
		})
}

func (s *Server) scimReplaceGroup(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusOK, nil, func(ctx context.Context, body []byte) (*scim.Group, error) {
		return s.App.SCIMReplaceGroup(ctx, u, r.PathValue("id"), body, base)
	})
}

func (s *Server) scimPatchGroup(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	return scimWrite(w, r, http.StatusOK, nil, func(ctx context.Context, body []byte) (*scim.Group, error) {
		return s.App.SCIMPatchGroup(ctx, u, r.PathValue("id"), body, base)
	})
}

func (s *Server) scimDeleteGroup(w http.ResponseWriter, r *http.Request, u *relais.User, base string) error {
	if err := s.App.SCIMDeleteGroup(r.Context(), u, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func serviceProviderConfig(base string) map[string]any {
	no := map[string]any{"supported": false}
	return map[string]any{
		"schemas":          []string{scim.SchemaSPConfig},
		"documentationUri": "https://relais.example/docs/scim",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": app.MaxSCIMCount},
		"changePassword":   no,
		"sort":             no,
		"etag":             no,
		"authenticationSchemes": []any{map[string]any{"type": "oauthbearertoken", "name": "Bearer token",
			"description": "An administrator's Relais API token: POST /api/v1/tokens.", "primary": true}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

func resourceTypes(base string) []any {
	return []any{
		map[string]any{"schemas": []string{scim.SchemaResource}, "id": "User", "name": "User", "endpoint": "/Users",
			"schema": scim.SchemaUser, "schemaExtensions": []any{
				map[string]any{"schema": scim.SchemaEnterprise, "required": false},
				map[string]any{"schema": scim.SchemaRelaisUser, "required": false}},
			"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/User"}},
		map[string]any{"schemas": []string{scim.SchemaResource}, "id": "Group", "name": "Group", "endpoint": "/Groups",
			"schema": scim.SchemaGroup, "schemaExtensions": []any{map[string]any{"schema": scim.SchemaRelaisGroup, "required": false}},
			"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/Group"}},
	}
}
