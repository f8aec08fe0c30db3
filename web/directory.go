package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"relais"
	"relais/app"
	"relais/lang"
	"relais/policy"
)

// maxDirectoryUpload bounds the form that uploads a directory file.
const maxDirectoryUpload = 33 << 20

// registerDirectory adds the directory's pages (the CSV import, for
// administrators) and the sign-in through the company's identity provider.
func (s *Server) registerDirectory(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /admin/directory", s.signedIn(s.directory))
	mux.Handle("POST /admin/directory", post(s.guard(http.HandlerFunc(s.importDirectory))))
	mux.Handle("GET /signin/oidc", s.guard(http.HandlerFunc(s.oidcStart)))
	mux.Handle("GET /signin/oidc/callback", s.guard(http.HandlerFunc(s.oidcCallback)))
}

// ManagesDirectory reports whether the header links the directory page:
// the policy lets the person import the directory (an internal
// administrator).
func (p *Page) ManagesDirectory() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ManageDirectory, policy.Target{}).Allowed()
}

// directoryPage is the directory's administration: the form that imports a
// CSV file, and the report of the last import, line by line.
type directoryPage struct {
	Page
	Columns           string
	Report            *relais.ImportReport
	DeactivateMissing bool
	DryRun            bool
	Error             string
	Rule              string
	SCIMBase          string
}

// Outcome names a line's outcome.
func (d *directoryPage) Outcome(o relais.LineOutcome) string {
	return d.T("directory.outcome." + string(o))
}

// OutcomeClass returns the class of a line's outcome tag.
func (d *directoryPage) OutcomeClass(o relais.LineOutcome) string {
	switch o {
	case relais.LineCreated:
		return "status-approved"
	case relais.LineChanged:
		return "status-pending"
	case relais.LineRefused:
		return "status-rejected"
	}
	return ""
}

// Detail is what the report says of a line: the fields changed, or why it
// was refused.
func (d *directoryPage) Detail(l relais.ImportLine) string {
	switch l.Outcome {
	case relais.LineRefused:
		return l.Localized(d.Lang)
	case relais.LineChanged:
		return strings.Join(l.Fields, ", ")
	}
	return ""
}

func (s *Server) directoryView(r *http.Request, v *visit) *directoryPage {
	d := &directoryPage{Page: v.page(r, text(v.Lang, "directory.title")), Columns: strings.Join(relais.DirectoryColumns, ",")}
	d.Path = "/admin/directory"
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	d.SCIMBase = scheme + "://" + r.Host + "/scim/v2"
	return d
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.App.CanManageDirectory(v.User); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, http.StatusOK, "directory", s.directoryView(r, v))
}

// importDirectory imports the uploaded file (a multipart form with the
// file, or the lines pasted in the text area) and shows the report.
func (s *Server) importDirectory(w http.ResponseWriter, r *http.Request) {
	lg := lang.FromRequest(r)
	v, err := s.session(r)
	if err != nil {
		s.fail(w, r, Page{Lang: lg, Path: "/"}, err)
		return
	}
	if v == nil {
		s.errorPage(w, r, Page{Lang: lg, Path: "/"}, http.StatusUnauthorized, text(lg, "error.signin"), "")
		return
	}
	v.Lang = lg
	// Who may import is decided before a byte of the body is read, and
	// the CSRF token (the form's first field) before the file is.
	if err := s.App.CanManageDirectory(v.User); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	up, err := readDirectoryForm(w, r, v.Session.CSRF)
	if errors.Is(err, errCSRF) {
		s.errorPage(w, r, v.page(r, ""), http.StatusForbidden, text(lg, "error.csrf"), "")
		return
	} else if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	defer up.Close()
	form := up.form
	d := s.directoryView(r, v)
	d.DeactivateMissing, d.DryRun = form.Get("deactivate_missing") != "", form.Get("dry_run") != ""
	if up.size == 0 {
		d.Error = text(lg, "directory.empty")
		s.render(w, r, http.StatusBadRequest, "directory", d)
		return
	}
	rep, err := s.App.ImportDirectory(r.Context(), v.User, up.file, app.ImportOptions{DeactivateMissing: d.DeactivateMissing, DryRun: d.DryRun})
	if err != nil {
		status, e, msg := s.message(r, lg, err)
		if status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		d.Error, d.Rule = msg, e.Rule
		s.render(w, r, status, "directory", d)
		return
	}
	d.Report = rep
	s.render(w, r, http.StatusOK, "directory", d)
}

// directoryForm is the fields of the import form.
type directoryForm map[string][]string

// Get returns the first value of a field.
func (f directoryForm) Get(k string) string {
	if vs := f[k]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// errCSRF is the answer of readDirectoryForm to a form whose token is
// wrong or missing, or does not come first.
var errCSRF = errors.New("web: the form's CSRF token is wrong or does not come first")

// directoryUpload is the import form once read: the file (spooled to a
// temporary file when uploaded, never held whole in memory) and the other
// fields.
type directoryUpload struct {
	form directoryForm
	file io.Reader
	size int64
	tmp  *os.File
}

// Close removes the temporary file, if any.
func (u *directoryUpload) Close() {
	if u.tmp != nil {
		u.tmp.Close()
		os.Remove(u.tmp.Name())
	}
}

// readDirectoryForm reads the import form: multipart (a file, or the text
// area) or urlencoded (the text area). The multipart form is read part by
// part: its first field must be the CSRF token, checked before anything
// else is read; the file goes to a temporary file.
func readDirectoryForm(w http.ResponseWriter, r *http.Request, csrf string) (*directoryUpload, error) {
	tooLarge := &relais.Error{Code: relais.ETOOLARGE, Message: "The file is larger than 32 MiB: split it.", MessageFR: "Le fichier dépasse 32 Mio : découpez-le."}
	unreadable := &relais.Error{Code: relais.EINVALID, Message: "The form could not be read.", MessageFR: "Le formulaire n'a pas pu être lu."}
	readErr := func(err error) error {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return tooLarge
		}
		return unreadable
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryUpload)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return nil, readErr(err)
		}
		if !sameToken(r.PostForm.Get("csrf"), csrf) {
			return nil, errCSRF
		}
		text := r.PostForm.Get("csv")
		return &directoryUpload{form: directoryForm(r.PostForm), file: strings.NewReader(text), size: int64(len(text))}, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, unreadable
	}
	up := &directoryUpload{form: directoryForm{}}
	fail := func(err error) (*directoryUpload, error) {
		up.Close()
		return nil, err
	}
	for first := true; ; first = false {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			return fail(readErr(err))
		}
		name := part.FormName()
		if first || name == "csrf" {
			token, err := io.ReadAll(io.LimitReader(part, 256))
			if err != nil {
				return fail(readErr(err))
			}
			if name != "csrf" || !sameToken(string(token), csrf) {
				return fail(errCSRF)
			}
			continue
		}
		if name == "file" && part.FileName() != "" {
			if up.tmp != nil {
				return fail(unreadable)
			}
			if up.tmp, err = os.CreateTemp("", "relais-directory-*.csv"); err != nil {
				return fail(err)
			}
			if up.size, err = io.Copy(up.tmp, part); err != nil {
				return fail(readErr(err))
			}
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, maxDirectoryUpload))
		if err != nil {
			return fail(readErr(err))
		}
		up.form[name] = append(up.form[name], string(value))
	}
	if up.tmp != nil && up.size > 0 {
		if _, err := up.tmp.Seek(0, io.SeekStart); err != nil {
			return fail(err)
		}
		up.file = up.tmp
		return up, nil
	}
	text := up.form.Get("csv")
	up.file, up.size = strings.NewReader(text), int64(len(text))
	return up, nil
}
