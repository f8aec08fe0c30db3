package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDirectoryPage: the administrator imports a CSV file from the web UI
// and reads the report line by line; nobody else reaches the page.
func TestDirectoryPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		csv := "login,name,email,unit,team,manages,employment,site,job_family\n" +
			"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
			"zoe,Zoé Martin,zoe.martin@relais.example,Support,Support Lyon,,internal,Lyon,Support\n" +
			"fay,Fay,,Support,Équipe fantôme,,internal,Lyon,\n"

		paul := e.browser(t, "en")
		home := paul.signIn("paul")
		if strings.Contains(home.Body, `href="/admin/directory"`) {
			t.Error("paul sees the directory link")
		}
		if p := paul.get("/admin/directory"); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "directory.admin_only") {
			t.Errorf("paul on the directory page: %d", p.Status)
		}

		admin := e.browser(t, "en")
		home = admin.signIn("admin")
		if !strings.Contains(home.Body, `href="/admin/directory"`) {
			t.Error("no directory link for the administrator")
		}
		page := admin.get("/admin/directory")
		if page.Status != 200 || !strings.Contains(page.Body, `enctype="multipart/form-data"`) || !strings.Contains(page.Body, "/scim/v2") {
			t.Fatalf("directory page: %d\n%s", page.Status, page.Body)
		}
		csrf := admin.csrf(page)

		// A file, as a browser uploads it.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", csrf)
		fw, _ := mw.CreateFormFile("file", "annuaire.csv")
		fw.Write([]byte(csv))
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/directory", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", e.srv.URL)
		p := admin.do(req)
		if p.Status != 200 || !strings.Contains(p.Body, `id="directory-report"`) ||
			!strings.Contains(p.Body, "3 lines: 1 created, 0 changed, 1 unchanged, 1 refused.") ||
			!strings.Contains(p.Body, "The team «Équipe fantôme» has no manager") {
			t.Fatalf("report: %d\n%s", p.Status, p.Body)
		}

		// Pasted, in French, as a dry run: nothing changes.
		fr := e.browser(t, "fr")
		fr.signIn("admin")
		csrf = fr.csrf(fr.get("/admin/directory"))
		p = fr.post("/admin/directory", url.Values{"csrf": {csrf}, "csv": {csv}, "dry_run": {"1"}})
		if p.Status != 200 || !strings.Contains(p.Body, "Compte rendu de la simulation") || !strings.Contains(p.Body, "3 lignes : 0 créées, 0 modifiées, 2 inchangées, 1 refusées.") ||
			!strings.Contains(p.Body, "pas de manager") {
			t.Errorf("dry run: %d\n%s", p.Status, p.Body)
		}
		// Without the CSRF token, or empty, or with a bad header.
		if p := fr.post("/admin/directory", url.Values{"csv": {csv}}); p.Status != http.StatusForbidden {
			t.Errorf("without csrf: %d", p.Status)
		}
		if p := fr.post("/admin/directory", url.Values{"csrf": {csrf}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Choisissez un fichier") {
			t.Errorf("empty: %d", p.Status)
		}
		if p := fr.post("/admin/directory", url.Values{"csrf": {csrf}, "csv": {"login,nom\n"}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "colonne(s) manquante(s)") {
			t.Errorf("bad header: %d\n%s", p.Status, p.Body)
		}
		// paul's session cannot import either.
		if p := paul.post("/admin/directory", url.Values{"csrf": {paul.csrf(paul.get("/"))}, "csv": {csv}}); p.Status != http.StatusForbidden {
			t.Errorf("paul imports: %d", p.Status)
		}
	})
}
