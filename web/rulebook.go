package web

import (
	"net/http"

	"relais"
	"relais/app"
	"relais/policy"
)

// rulebookPage is who does what: every rule of the policy in the page's
// language with its id, and the matrix of typical profiles and actions
// computed from the policy itself, each decision linked to its rule.
type rulebookPage struct {
	Page
	labelled
	Rules  []policy.Rule
	Matrix app.RulebookMatrix
	Rows   []ruleMatrixRow
}

// ruleMatrixRow is one action of the matrix with each profile's decision.
type ruleMatrixRow struct {
	Action policy.Action
	Cells  []app.MatrixCell
}

// RuleText returns a rule's sentence in the page's language.
func (p *Page) RuleText(r policy.Rule) string {
	if p.Lang == "fr" {
		return r.FR
	}
	return r.EN
}

// ActionName names an action of the policy; one without a text is shown
// by its id.
func (p *Page) ActionName(a policy.Action) string {
	if _, ok := messages["en"]["cockpit.action."+string(a)]; ok {
		return p.T("cockpit.action." + string(a))
	}
	return string(a)
}

// EffectName names the effect of a decision.
func (p *Page) EffectName(effect string) string {
	switch effect {
	case "allow", "needs_approval", "deny":
		return p.T("cockpit.rulebook.effect." + effect)
	}
	return effect
}

// ProfileName names a profile of the matrix: its own words, and the
// organization's label of its role.
func (rp *rulebookPage) ProfileName(mp app.MatrixProfile) string {
	return rp.T("cockpit.profile." + string(mp.ID))
}

// ProfileRole names the role of a profile as the organization does ("" for
// a profile without a role).
func (rp *rulebookPage) ProfileRole(mp app.MatrixProfile) string {
	if mp.Role == "" {
		return ""
	}
	return rp.RoleName(mp.Role)
}

// Roles are the organization-wide roles, for the list of their names.
func (rp *rulebookPage) Roles() []relais.Role { return relais.Roles }

func (s *Server) rulebook(w http.ResponseWriter, r *http.Request, v *visit) {
	l, err := s.labels(r, v.Lang)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	m := app.Matrix()
	rp := &rulebookPage{Page: v.page(r, text(v.Lang, "cockpit.rulebook.title")), labelled: l, Rules: policy.Rules, Matrix: m}
	for i, a := range m.Actions {
		row := ruleMatrixRow{Action: a}
		for _, mp := range m.Profiles {
			row.Cells = append(row.Cells, mp.Decisions[i])
		}
		rp.Rows = append(rp.Rows, row)
	}
	s.render(w, r, http.StatusOK, "rulebook", rp)
}
