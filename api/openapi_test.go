package api_test

// The OpenAPI document must not drift from the server: every route is
// documented, every documented operation is answered, every $ref resolves,
// and real responses hold what their schema requires.

import (
	"encoding/json"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"relais/api"
)

func TestOpenAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		r := e.anon().get(t, "/api/openapi.json").wantStatus(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		var doc map[string]any
		r.decode(t, &doc)
		if doc["openapi"] != "3.1.0" {
			t.Errorf(`"openapi" = %v, want "3.1.0"`, doc["openapi"])
		}
		paths, _ := doc["paths"].(map[string]any)
		if len(paths) == 0 {
			t.Fatal("no paths")
		}
		schemas, _ := dig(doc, "components", "schemas").(map[string]any)

		t.Run("every route is documented", func(t *testing.T) {
			for _, rt := range (&api.Server{}).Routes() {
				if op := dig(paths, rt.Path, strings.ToLower(rt.Method)); op == nil {
					t.Errorf("%s %s is not in the document", rt.Method, rt.Path)
				}
			}
		})

		t.Run("every documented operation is answered", func(t *testing.T) {
			token := e.as(t, "paul").token
			for _, p := range sortedKeys(paths) {
				for _, method := range sortedKeys(paths[p].(map[string]any)) {
					if !slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options"}, method) {
						continue
					}
					path := placeholderPath(p)
					c := e.withToken(token)
					if method == "delete" {
						c = e.withToken(e.signIn(t, "paul")) // DELETE /tokens/current revokes it
					}
					if dig(paths, p, method, "responses", "200", "content", "text/event-stream") != nil {
						// A stream never ends: it is answered once its headers come.
						if s := openStream(t, e.srv.URL, token, ""); s.resp.StatusCode != 200 {
							t.Errorf("documented %s %s: %d", strings.ToUpper(method), p, s.resp.StatusCode)
						} else {
							s.close()
						}
						continue
					}
					var body any
					if dig(paths, p, method, "requestBody") != nil {
						body = "{}"
					}
					resp := c.do(t, strings.ToUpper(method), path, body)
					if resp.Status == 405 || isCatchAll(resp) {
						t.Errorf("documented %s %s is not served: %s", strings.ToUpper(method), p, resp)
					}
				}
			}
		})

		t.Run("every $ref resolves", func(t *testing.T) {
			n := 0
			walk(doc, func(m map[string]any) {
				ref, ok := m["$ref"].(string)
				if !ok {
					return
				}
				n++
				name, ok := strings.CutPrefix(ref, "#/components/schemas/")
				if _, found := schemas[name]; !ok || !found {
					t.Errorf("$ref %q does not resolve", ref)
				}
			})
			if n == 0 {
				t.Error("no $ref at all")
			}
		})

		t.Run("every operation documents its errors", func(t *testing.T) {
			for _, p := range sortedKeys(paths) {
				for method, op := range paths[p].(map[string]any) {
					if dig(op, "responses", "400") == nil || dig(op, "responses", "401") == nil {
						t.Errorf("%s %s documents no 400 or 401", method, p)
					}
				}
			}
		})

		t.Run("responses hold what their schema requires", func(t *testing.T) {
			paul := e.as(t, "paul")
			for _, tc := range []struct{ docPath, path string }{
				{"/api/v1/me", "/api/v1/me"},
				{"/api/v1/spaces", "/api/v1/spaces"},
				{"/api/v1/spaces/{id}", "/api/v1/spaces/" + id(e.spaces[innovation])},
				{"/api/v1/spaces/{id}", "/api/v1/spaces/" + id(e.spaces[supportLyon])},
				{"/api/v1/spaces/{id}/posts", "/api/v1/spaces/" + id(e.spaces[innovation]) + "/posts"},
				{"/api/v1/spaces/{id}/members", "/api/v1/spaces/" + id(e.spaces[innovation]) + "/members"},
				{"/api/v1/spaces/{id}/charters", "/api/v1/spaces/" + id(e.spaces[innovation]) + "/charters"},
				{"/api/v1/posts/{id}", "/api/v1/posts/" + id(e.posts[titleInnovationInvoice])},
				{"/api/v1/search", "/api/v1/search?q=" + url.QueryEscape("facture")},
				{"/api/v1/users", "/api/v1/users"},
				{"/api/v1/rulebook", "/api/v1/rulebook"},
			} {
				schema := dig(paths, tc.docPath, "get", "responses", "200", "content", "application/json", "schema")
				if schema == nil {
					t.Errorf("GET %s documents no 200 JSON schema", tc.docPath)
					continue
				}
				var v any
				paul.get(t, tc.path).wantStatus(t, 200).decode(t, &v)
				for _, problem := range conforms(schemas, schema, v, "$") {
					t.Errorf("GET %s: %s", tc.path, problem)
				}
			}
			// An error too.
			schema := dig(paths, "/api/v1/me", "get", "responses", "401", "content", "application/json", "schema")
			var v any
			r := e.anon().get(t, "/api/v1/me")
			r.wantError(t, 401, "")
			r.decode(t, &v)
			for _, problem := range conforms(schemas, schema, v, "$") {
				t.Errorf("401: %s", problem)
			}
		})
	})
}

// isCatchAll reports whether r is the API's answer to an unknown endpoint.
func isCatchAll(r *response) bool {
	if r.Status != 404 {
		return false
	}
	var e apiError
	return json.Unmarshal(r.Body, &e) == nil && e.Error != nil && strings.HasPrefix(e.Error.Message, "No such endpoint")
}

// placeholderPath puts 1 in place of every {parameter}.
func placeholderPath(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		j := strings.IndexByte(p, '}')
		if i < 0 || j < i {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i] + "1")
		p = p[j+1:]
	}
}

// dig follows keys through nested JSON objects, nil when one is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// walk calls f on every JSON object under v.
func walk(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, y := range x {
			walk(y, f)
		}
	case []any:
		for _, y := range x {
			walk(y, f)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// conforms checks v against a (small subset of) JSON Schema: $ref, type,
// enum, required, properties, items and additionalProperties. It returns
// the problems found, each with its JSON path.
func conforms(schemas map[string]any, schema, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return []string{at + ": no schema"}
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, found := schemas[name]
		if !found {
			return []string{at + ": unresolved " + ref}
		}
		return conforms(schemas, target, v, at)
	}
	var problems []string
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		problems = append(problems, at+": "+jsonText(v)+" is not one of "+jsonText(enum))
	}
	typ, _ := s["type"].(string)
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return append(problems, at+": want an object, got "+jsonText(v))
		}
		req, _ := s["required"].([]any)
		for _, k := range req {
			if _, ok := m[k.(string)]; !ok {
				problems = append(problems, at+": lacks required property "+jsonText(k))
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, val := range m {
			if sub, ok := props[k]; ok {
				problems = append(problems, conforms(schemas, sub, val, at+"."+k)...)
			} else if add, ok := s["additionalProperties"]; ok {
				if add != false {
					problems = append(problems, conforms(schemas, add, val, at+"."+k)...)
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return append(problems, at+": want an array, got "+jsonText(v))
		}
		if items, ok := s["items"]; ok {
			for i, x := range a {
				problems = append(problems, conforms(schemas, items, x, at+"["+itoa(i)+"]")...)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			problems = append(problems, at+": want a string, got "+jsonText(v))
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != math.Trunc(f) {
			problems = append(problems, at+": want an integer, got "+jsonText(v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			problems = append(problems, at+": want a number, got "+jsonText(v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			problems = append(problems, at+": want a boolean, got "+jsonText(v))
		}
	}
	return problems
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return truncate(string(b), 80)
}
