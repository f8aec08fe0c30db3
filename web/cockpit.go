package web

import (
	"net/http"
	"slices"
	"strconv"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerCockpit adds the community manager's cockpit pages beside the
// plan and the catalog (the hub, the capacity of the social media
// managers, the governance health, the names of the roles), and the pages
// of governance everyone or the governors read: the rulebook and the
// audit trail.
func (s *Server) registerCockpit(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /cockpit", s.signedIn(s.cockpit))
	mux.Handle("GET /capacity", s.signedIn(s.capacity))
	mux.Handle("POST /capacity", post(s.signedIn(s.allocate)))
	mux.Handle("POST /capacity/{id}/weekly-hours", post(s.signedIn(s.setWeeklyHours)))
	mux.Handle("GET /health", s.signedIn(s.health))
	mux.Handle("GET /role-labels", s.signedIn(s.roleLabels))
	mux.Handle("POST /role-labels", post(s.signedIn(s.setRoleLabels)))
	mux.Handle("GET /rulebook", s.signedIn(s.rulebook))
	mux.Handle("GET /audit", s.signedIn(s.audit))
}

// ShowsCockpit reports whether the header links the cockpit, its health
// and capacity pages: the policy lets the person govern.
func (p *Page) ShowsCockpit() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.Govern, policy.Target{}).Allowed()
}

// ShowsAudit reports whether the header links the audit trail.
func (p *Page) ShowsAudit() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ViewAudit, policy.Target{}).Allowed()
}

// MayRenameRoles reports whether the person may give the roles the
// organization's names.
func (p *Page) MayRenameRoles() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.RenameRoles, policy.Target{}).Allowed()
}

// labelled gives a page the organization's names of the roles.
type labelled struct {
	Labels relais.RoleLabels
	lang   string
}

// RoleName names a role as the organization calls it, in the page's
// language.
func (l labelled) RoleName(r relais.Role) string { return l.Labels.Of(r, l.lang) }

// CMName names the community manager's role as the organization does.
func (l labelled) CMName() string { return l.RoleName(relais.RoleCommunityManager) }

// SMMName names the social media manager's role as the organization does.
func (l labelled) SMMName() string { return l.RoleName(relais.RoleSocialMediaManager) }

func (s *Server) labels(r *http.Request, lang string) (labelled, error) {
	ls, err := s.App.RoleLabels(r.Context())
	return labelled{Labels: ls, lang: lang}, err
}

// cockpitPage is the hub of the cockpit: what the health check finds and
// how the social media managers' hours add up, with the cockpit's pages.
type cockpitPage struct {
	Page
	labelled
	Health   *relais.Health
	Capacity *relais.Capacity
}

// Severities are the severities of which the health check found
// something, most urgent first.
func (cp *cockpitPage) Severities() []relais.FindingSeverity {
	var out []relais.FindingSeverity
	for _, sv := range relais.FindingSeverities {
		if cp.Health.Count(sv) > 0 {
			out = append(out, sv)
		}
	}
	return out
}

// cockpitLink is a page of the cockpit written elsewhere.
type cockpitLink struct {
	Path string
	Key  string // the message key of its name
}

// Links are the cockpit's pages written beside it: the plan, the catalog
// and the requests for communities.
func (cp *cockpitPage) Links() []cockpitLink {
	return []cockpitLink{{"/plan", "cockpit.link.plan"}, {"/offerings", "cockpit.link.offerings"}, {"/space-requests", "cockpit.link.requests"}}
}

// OverAllocated counts the social media managers given more hours than
// they have.
func (cp *cockpitPage) OverAllocated() int {
	n := 0
	for _, m := range cp.Capacity.SMMs {
		if m.OverAllocated {
			n++
		}
	}
	return n
}

func (s *Server) cockpit(w http.ResponseWriter, r *http.Request, v *visit) {
	h, err := s.App.GovernanceHealth(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	c, err := s.App.Capacity(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	l, err := s.labels(r, v.Lang)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, http.StatusOK, "cockpit", &cockpitPage{Page: v.page(r, text(v.Lang, "cockpit.title")), labelled: l, Health: h, Capacity: c})
}

// capacityPage is the social media managers' weeks, with the forms that
// set their hours.
type capacityPage struct {
	Page
	labelled
	Capacity    *relais.Capacity
	Communities []*app.SpaceView
	Form        allocationForm
	Notice      string
	Error       string
	Rule        string
	// Item is the social media manager whose weekly hours the error is
	// about (0: the allocation form).
	Item int64
}

// allocationForm is the input of the allocation form, kept when refused.
type allocationForm struct {
	Login   string
	SpaceID int64
	Hours   string
	Weekly  string // the weekly hours typed for Item
	Field   string
}

// WeekHours writes hours for the page's readers (a decimal comma in
// French), in figures and in inputs.
func (p *Page) WeekHours(h relais.Hours) string { return h.Format(p.Lang) }

func (s *Server) loadCapacity(r *http.Request, v *visit) (*capacityPage, error) {
	c, err := s.App.Capacity(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	all, err := s.App.Spaces(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	l, err := s.labels(r, v.Lang)
	if err != nil {
		return nil, err
	}
	cp := &capacityPage{Page: v.page(r, text(v.Lang, "cockpit.capacity.title")), labelled: l, Capacity: c}
	cp.Path = "/capacity"
	for _, sv := range all {
		if sv.Kind == relais.SpaceCommunity {
			cp.Communities = append(cp.Communities, sv)
		}
	}
	return cp, nil
}

func (s *Server) capacity(w http.ResponseWriter, r *http.Request, v *visit) {
	cp, err := s.loadCapacity(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "allocated":
		cp.Notice = cp.T("cockpit.capacity.done.allocated")
	case "weekly":
		cp.Notice = cp.T("cockpit.capacity.done.weekly")
	}
	s.render(w, r, http.StatusOK, "capacity", cp)
}

// refuseOnCapacity shows the capacity page again with the error of a form.
func (s *Server) refuseOnCapacity(w http.ResponseWriter, r *http.Request, v *visit, item int64, err error, form allocationForm) {
	status, e, msg := s.message(r, v.Lang, err)
	cp, lerr := s.loadCapacity(r, v)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp.Error, cp.Rule, cp.Item = msg, e.Rule, item
	form.Field = e.Field
	cp.Form = form
	s.render(w, r, status, "capacity", cp)
}

func (s *Server) allocate(w http.ResponseWriter, r *http.Request, v *visit) {
	form := allocationForm{Login: r.PostForm.Get("login"), Hours: r.PostForm.Get("hours")}
	form.SpaceID, _ = strconv.ParseInt(r.PostForm.Get("space_id"), 10, 64)
	hours, err := relais.ParseHours(form.Hours)
	if err == nil && form.SpaceID <= 0 {
		err = &relais.Error{Code: relais.EINVALID, Field: "space_id", Message: "Choose a community.", MessageFR: "Choisissez une communauté."}
	}
	var m *relais.SMMCapacity
	if err == nil {
		m, err = s.App.Allocate(r.Context(), v.User, app.Allocation{Login: form.Login, SpaceID: form.SpaceID, Hours: hours})
	}
	if err != nil {
		s.refuseOnCapacity(w, r, v, 0, err, form)
		return
	}
	http.Redirect(w, r, "/capacity?done=allocated#smm-"+strconv.FormatInt(m.UserID, 10), http.StatusSeeOther)
}

func (s *Server) setWeeklyHours(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	form := allocationForm{Weekly: r.PostForm.Get("hours")}
	hours, err := relais.ParseHours(form.Weekly)
	if err == nil {
		_, err = s.App.SetWeeklyHours(r.Context(), v.User, id, hours)
	}
	if err != nil {
		s.refuseOnCapacity(w, r, v, id, err, form)
		return
	}
	http.Redirect(w, r, "/capacity?done=weekly#smm-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// healthPage is what the governance health check finds, by severity.
type healthPage struct {
	Page
	labelled
	Health *relais.Health
	Groups []findingGroup
}

// findingGroup is the findings of one severity.
type findingGroup struct {
	Severity relais.FindingSeverity
	Findings []findingItem
}

// findingItem is a finding on the health page.
type findingItem struct {
	relais.Finding
	Anchor string
}

// FindingKindName names a kind of finding.
func (p *Page) FindingKindName(k relais.FindingKind) string {
	if slices.Contains(relais.FindingKinds, k) {
		return p.T("cockpit.health.kind." + string(k))
	}
	return string(k)
}

// FindingSeverityName names a severity of the health check.
func (p *Page) FindingSeverityName(sv relais.FindingSeverity) string {
	if slices.Contains(relais.FindingSeverities, sv) {
		return p.T("cockpit.health.severity." + string(sv))
	}
	return string(sv)
}

// FindingSeverityClass returns the class of a severity's tag.
func (p *Page) FindingSeverityClass(sv relais.FindingSeverity) string {
	switch sv {
	case relais.HealthHigh:
		return "status-rejected"
	case relais.HealthMedium:
		return "status-pending"
	}
	return ""
}

// Overlaps reports whether the check looked for overlapping communities.
func (hp *healthPage) Overlaps() bool {
	return !slices.Contains(hp.Health.Skipped, relais.FindingOverlap)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request, v *visit) {
	h, err := s.App.GovernanceHealth(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	l, err := s.labels(r, v.Lang)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	hp := &healthPage{Page: v.page(r, text(v.Lang, "cockpit.health.title")), labelled: l, Health: h}
	for _, sv := range relais.FindingSeverities {
		g := findingGroup{Severity: sv}
		for _, f := range h.Findings {
			if f.Severity == sv {
				g.Findings = append(g.Findings, findingItem{Finding: f, Anchor: app.FindingAnchor(f)})
			}
		}
		hp.Groups = append(hp.Groups, g)
	}
	s.render(w, r, http.StatusOK, "health", hp)
}

// labelsPage is the form that gives the roles the organization's names.
type labelsPage struct {
	Page
	labelled
	Notice string
	Error  string
	Rule   string
	// Role, FR and EN are the input refused, kept.
	Role   relais.Role
	FR, EN string
	Field  string
}

// Value returns what a field of a role's form holds: the input refused,
// else the organization's label when it differs from the default.
func (lp *labelsPage) Value(l relais.RoleLabel, lang string) string {
	if lp.Error != "" && l.Role == lp.Role {
		if lang == "fr" {
			return lp.FR
		}
		return lp.EN
	}
	if lang == "fr" && l.FR != l.DefaultFR {
		return l.FR
	}
	if lang == "en" && l.EN != l.DefaultEN {
		return l.EN
	}
	return ""
}

func (s *Server) loadLabels(r *http.Request, v *visit) (*labelsPage, error) {
	if err := policy.Decide(policy.ActorOf(v.User), policy.RenameRoles, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	l, err := s.labels(r, v.Lang)
	if err != nil {
		return nil, err
	}
	lp := &labelsPage{Page: v.page(r, text(v.Lang, "cockpit.labels.title")), labelled: l}
	lp.Path = "/role-labels"
	return lp, nil
}

func (s *Server) roleLabels(w http.ResponseWriter, r *http.Request, v *visit) {
	lp, err := s.loadLabels(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if r.URL.Query().Get("done") == "saved" {
		lp.Notice = lp.T("cockpit.labels.done")
	}
	s.render(w, r, http.StatusOK, "labels", lp)
}

func (s *Server) setRoleLabels(w http.ResponseWriter, r *http.Request, v *visit) {
	role := relais.Role(r.PostForm.Get("role"))
	labels := map[string]string{"fr": r.PostForm.Get("fr"), "en": r.PostForm.Get("en")}
	var err error
	field := ""
	// Both labels are checked before either is saved: a refused form
	// changes nothing.
	for _, lang := range []string{"fr", "en"} {
		if _, err = relais.ValidateRoleLabel(labels[lang]); err != nil {
			field = lang
			break
		}
	}
	for _, lang := range []string{"fr", "en"} {
		if err != nil {
			break
		}
		_, err = s.App.SetRoleLabel(r.Context(), v.User, role, lang, labels[lang])
	}
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		lp, lerr := s.loadLabels(r, v)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		if field == "" {
			field = e.Field
		}
		lp.Error, lp.Rule, lp.Field, lp.Role, lp.FR, lp.EN = msg, e.Rule, field, role, labels["fr"], labels["en"]
		s.render(w, r, status, "labels", lp)
		return
	}
	http.Redirect(w, r, "/role-labels?done=saved#role-"+string(role), http.StatusSeeOther)
}
