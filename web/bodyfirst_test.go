package web_test

// The directory import form is not read before its rules: who may import
// is decided before the body, and the CSRF token (the form's first field)
// before the file.

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"relais/app"
	"relais/events"
	"relais/server"
)

// countingBody is a multipart body whose file part is n bytes long, made
// as it is read; it counts the bytes read.
type countingBody struct {
	r    io.Reader
	read int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

const testBoundary = "relais-test-boundary"

// largeForm returns a multipart form of the given fields, in order, then a
// file part of size bytes.
func largeForm(fields [][2]string, size int) *countingBody {
	var head strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&head, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", testBoundary, f[0], f[1])
	}
	fmt.Fprintf(&head, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"annuaire.csv\"\r\nContent-Type: text/csv\r\n\r\n", testBoundary)
	header := "login,name,email,unit,team,manages,employment,site,job_family\n"
	file := io.LimitReader(repeatReader(header), int64(size))
	tail := strings.NewReader("\r\n--" + testBoundary + "--\r\n")
	return &countingBody{r: io.MultiReader(strings.NewReader(head.String()), file, tail)}
}

type repeatReader string

func (s repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = s[i%len(s)]
	}
	return len(p), nil
}

func TestDirectoryFormRefusedUnread(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		log := slog.New(slog.DiscardHandler)
		h := server.Handler(app.New(e.st, events.NewLocal(), log), log, server.Options{})
		base, _ := url.Parse(e.srv.URL)
		send := func(b *browser, body *countingBody) *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/admin/directory", body)
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+testBoundary)
			req.Header.Set("Origin", "http://example.com")
			req.Host = "example.com"
			for _, c := range b.hc.Jar.Cookies(base) {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		const size = 31 << 20

		paul := e.browser(t, "en")
		csrf := paul.csrf(paul.signIn("paul"))
		body := largeForm([][2]string{{"csrf", csrf}}, size)
		if rec := send(paul, body); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "directory.admin_only") {
			t.Errorf("paul: %d", rec.Code)
		}
		if body.read > 0 {
			t.Errorf("paul: the server read %d bytes of a form it refuses", body.read)
		}

		admin := e.browser(t, "en")
		csrf = admin.csrf(admin.signIn("admin"))
		for name, fields := range map[string][][2]string{
			"wrong token":         {{"csrf", "forged"}},
			"no token":            {{"dry_run", "1"}},
			"token after a field": {{"dry_run", "1"}, {"csrf", csrf}},
		} {
			body := largeForm(fields, size)
			if rec := send(admin, body); rec.Code != http.StatusForbidden {
				t.Errorf("admin, %s: %d", name, rec.Code)
			}
			if body.read > 64<<10 {
				t.Errorf("admin, %s: the server read %d bytes before refusing the form", name, body.read)
			}
		}

		// With its token first, the administrator's large file is read,
		// and refused for its size.
		body = largeForm([][2]string{{"csrf", csrf}, {"dry_run", "1"}}, 34<<20)
		if rec := send(admin, body); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "larger than allowed") {
			t.Errorf("admin, too large: %d", rec.Code)
		}
	})
}
