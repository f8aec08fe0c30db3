package web

import (
	"net/http"
	"strconv"
	"strings"

	"relais"
	"relais/app"
)

// auditListed is the number of entries a page of the audit trail shows.
const auditListed = 50

// auditPage is a page of the audit trail of governance actions, newest
// first.
type auditPage struct {
	Page
	labelled
	Trail *app.AuditTrail
	// Before is the id this page starts before (0: the newest).
	Before int64
}

// AuditAction names an audited action; one without a text (added since)
// is shown as recorded.
func (p *Page) AuditAction(action string) string {
	if _, ok := messages["en"]["cockpit.audit.action."+action]; ok {
		return p.T("cockpit.audit.action." + action)
	}
	return action
}

// AuditSubject names what an entry is about: a kind and its id, or the
// person's name.
func (p *Page) AuditSubject(l app.AuditLine) string {
	kind := l.SubjectKind
	if _, ok := messages["en"]["cockpit.audit.subject."+kind]; ok {
		kind = p.T("cockpit.audit.subject." + kind)
	}
	switch {
	case l.SubjectName != "":
		return kind + " · " + l.SubjectName
	case l.SubjectID != 0:
		return kind + " #" + strconv.FormatInt(l.SubjectID, 10)
	}
	return kind
}

// Detail returns the detail of an entry; the roles a change of roles names
// are shown with the organization's names beside their ids, and what was
// written in a team space the reader may not read is withheld.
func (ap *auditPage) Detail(l app.AuditLine) string {
	if l.Redacted {
		return relais.AuditWithheld(ap.Lang)
	}
	if l.Action != relais.AuditRolesSet {
		return l.Detail
	}
	var pairs []string
	for _, r := range relais.Roles {
		pairs = append(pairs, string(r), ap.RoleName(r)+" ("+string(r)+")")
	}
	return strings.NewReplacer(pairs...).Replace(l.Detail)
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, v *visit) {
	var before int64
	if raw := r.URL.Query().Get("before"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			s.fail(w, r, v.page(r, ""), &relais.Error{Code: relais.EINVALID, Field: "before",
				Message: "The page of the audit trail is a positive number.", MessageFR: "La page du journal d'audit est un nombre positif."})
			return
		}
		before = n
	}
	tr, err := s.App.AuditTrail(r.Context(), v.User, before, auditListed)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	l, err := s.labels(r, v.Lang)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, http.StatusOK, "audit", &auditPage{Page: v.page(r, text(v.Lang, "cockpit.audit.title")), labelled: l, Trail: tr, Before: before})
}
