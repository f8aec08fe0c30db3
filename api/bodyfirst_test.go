package api_test

// A refused request is not read: the rule is decided before the body, so
// that an account without the right cannot make the server take in (and
// hold) a large file.

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"relais/server"
)

// endlessCSV is a request body of n bytes, made as it is read, that counts
// how many were read.
type endlessCSV struct {
	n, read int
	line    string // repeated; the directory's header when empty
}

func (b *endlessCSV) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	line := b.line
	if line == "" {
		line = "login,name,email,unit,team,manages,employment,site,job_family\n"
	}
	k := 0
	for k < len(p) && b.read < b.n {
		p[k] = line[b.read%len(line)]
		k, b.read = k+1, b.read+1
	}
	return k, nil
}

func TestDirectoryImportRefusedUnread(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		h := server.Handler(e.svc, slog.New(slog.DiscardHandler), server.Options{})
		for _, login := range []string{"xavier", "paul", "claire"} {
			body := &endlessCSV{n: 31 << 20}
			req := httptest.NewRequest("POST", "/api/v1/directory/import", body)
			req.Header.Set("Authorization", "Bearer "+e.signIn(t, login))
			req.Header.Set("Content-Type", "text/csv")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"rule":"directory.admin_only"`) {
				t.Errorf("%s: %d %s", login, rec.Code, rec.Body)
			}
			if body.read > 0 {
				t.Errorf("%s: the server read %d bytes of a refused body", login, body.read)
			}
		}

		// The administrator's file is read as it comes, and one too large
		// is a 413 with the limit in words.
		body := io.MultiReader(strings.NewReader(directoryHeader), &endlessCSV{n: 33 << 20, line: `"` + strings.Repeat("x", 998) + "\"\n"})
		req := httptest.NewRequest("POST", "/api/v1/directory/import?dry_run=true", body)
		req.Header.Set("Authorization", "Bearer "+e.signIn(t, "admin"))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "32 MiB") {
			t.Errorf("too large: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestSCIMRefusedUnread(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		h := server.Handler(e.svc, slog.New(slog.DiscardHandler), server.Options{})
		for _, path := range []string{"/scim/v2/Users", "/scim/v2/Groups"} {
			body := &endlessCSV{n: 3 << 20}
			req := httptest.NewRequest("POST", path, body)
			req.Header.Set("Authorization", "Bearer "+e.signIn(t, "claire"))
			req.Header.Set("Content-Type", "application/scim+json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Errorf("claire on %s: %d %s", path, rec.Code, rec.Body)
			}
			if body.read > 0 {
				t.Errorf("claire on %s: the server read %d bytes of a refused body", path, body.read)
			}
		}
	})
}
