package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/api"
	"relais/policy"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageFiles are the pages: every template but the layout and the partials,
// each parsed over them.
var pageFiles = func() []string {
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, e := range entries {
		name := strings.TrimSuffix(path.Base(e), ".html")
		if name != "layout" && name != "partials" {
			names = append(names, name)
		}
	}
	return names
}()

// pages holds one template set per page, parsed once from the embedded files.
var pages = mustParsePages()

func mustParsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"static":        staticURL,
		"needsApproval": func(d policy.Decision) bool { return d.Effect == policy.NeedsApproval },
		"allows":        func(d policy.Decision) bool { return d.Effect == policy.Allow },
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	out := make(map[string]*template.Template, len(pageFiles))
	for _, name := range pageFiles {
		t := template.Must(base.Clone())
		out[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}

// Page is what every page shows: the language, the person signed in, the
// CSRF token of their forms and the header. Each page's view embeds it.
type Page struct {
	Lang  string
	User  *relais.User
	CSRF  string
	Path  string // the local path of this page, for the language switch
	Query string // the text of the search box
	Title string
	// Approvals is the number of co-pilot requests waiting for the
	// decision of the person signed in; render fills it.
	Approvals int
	// Inbox is what reaches the person signed in (unread notifications,
	// co-pilots they follow, pending invitations); render fills it.
	Inbox inbox
	// SignalNav is what the header says of the signals and escalations of
	// the person signed in; render fills it (see signals.go).
	SignalNav signalNav
	// LiveAfter is the id of the newest event when the page was drawn: its
	// live stream starts there, so that nothing between is missed.
	LiveAfter int64
	// NoLive leaves the live stream out: an error page shows nothing that
	// changes, and reads the same for a thing one may not see as for an
	// unknown id.
	NoLive bool
}

// base returns the common part of a page's view; every view embeds Page.
func (p *Page) base() *Page { return p }

// At reports whether the page is the one at path, whatever its query.
func (p *Page) At(path string) bool {
	at, _, _ := strings.Cut(p.Path, "?")
	return at == path
}

// T returns the text of key in the page's language.
func (p *Page) T(key string) string { return text(p.Lang, key) }

// Tf formats the text of key with args.
func (p *Page) Tf(key string, args ...any) string { return fmt.Sprintf(text(p.Lang, key), args...) }

// Plural formats key.one or key.other for n, by the plural rule of the
// page's language (in French, 0 and 1 are singular).
func (p *Page) Plural(key string, n int) string {
	one := n == 1
	if p.Lang == "fr" {
		one = n == 0 || n == 1
	}
	if one {
		return p.Tf(key+".one", n)
	}
	return p.Tf(key+".other", n)
}

// Reason returns the sentence of the rule behind a decision, in the page's
// language.
func (p *Page) Reason(d policy.Decision) string {
	if p.Lang == "fr" {
		return d.Rule.FR
	}
	return d.Rule.EN
}

// Date formats a time for humans, in the server's time zone (the page's
// script rewrites it in the reader's).
func (p *Page) Date(t time.Time) string {
	t = t.Local()
	months := strings.Split(p.T("date.months"), "|")
	month := t.Month().String()
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return fmt.Sprintf(p.T("date.format"), t.Day(), month, t.Year(), t.Format("15:04"))
}

// ISO formats a time for the datetime attribute of <time>.
func (p *Page) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func text(lang, key string) string {
	if m, ok := messages[lang]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}

// render executes a page into a buffer and writes it with status, so that
// a template failure becomes a clean error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	if v, ok := view.(interface{ base() *Page }); ok {
		s.fillNav(r, v.base())
		s.fillInbox(r, name, v.base())
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", view); err != nil {
		s.log().Error("web: render", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Internal error / Erreur interne", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fillNav fills the header's counts (approvals waiting, unread
// notifications, co-pilots followed, signals and escalations) from one
// read. A failure leaves them out: the page itself still shows.
func (s *Server) fillNav(r *http.Request, p *Page) {
	if p.User == nil {
		return
	}
	if !p.NoLive {
		if id, err := s.App.LastEventID(r.Context()); err == nil {
			p.LiveAfter = id
		}
	}
	c, err := s.App.NavCounts(r.Context(), p.User)
	if err != nil {
		s.log().Warn("web: navigation counts", "path", r.URL.Path, "err", err)
		return
	}
	p.Approvals, p.Inbox.Unread, p.Inbox.CoPilots = c.Approvals, c.Unread, c.CoPilots
	oversees := overseesEscalations(p.User)
	p.SignalNav.Waiting, p.SignalNav.OpenEscalations = c.Routing.Waiting, c.Routing.OpenEscalations
	p.SignalNav.Signals = oversees || c.Routing.Signals > 0
	p.SignalNav.Escalations = oversees || c.Routing.Escalations > 0
}

// errorPage is the view of a failed request.
type errorPage struct {
	Page
	Status  int
	Heading string
	Message string
	Rule    string
}

// message returns the user-safe text of an error in lang, and logs the
// internal ones (their text never reaches the page).
func (s *Server) message(r *http.Request, lg string, err error) (int, *relais.Error, string) {
	e := relais.AsError(err)
	status := api.StatusOf(e.Code)
	if status == http.StatusInternalServerError {
		s.log().Error("web", "method", r.Method, "path", r.URL.Path, "err", err)
		return status, e, text(lg, "error.generic")
	}
	if status == http.StatusRequestEntityTooLarge {
		return status, e, text(lg, "error.too_large")
	}
	return status, e, e.Localized(lg)
}

// fail renders the error page of err for page p.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p Page, err error) {
	status, e, msg := s.message(r, p.Lang, err)
	if status == http.StatusTooManyRequests && e.Field != "" {
		w.Header().Set("Retry-After", e.Field)
	}
	s.errorPage(w, r, p, status, msg, e.Rule)
}

// errorPage renders the error page with a status and a message.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p Page, status int, msg, rule string) {
	v := &errorPage{Page: p, Status: status, Message: msg, Rule: rule}
	v.NoLive = true
	v.Heading = text(p.Lang, "error."+strconv.Itoa(status))
	if v.Heading == "error."+strconv.Itoa(status) {
		v.Heading = text(p.Lang, "error.title")
	}
	v.Title = v.Heading
	s.render(w, r, status, "error", v)
}
