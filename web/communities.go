package web

import (
	"net/http"
	"strconv"
	"strings"

	"relais"
	"relais/app"
	"relais/policy"
)

// communitiesPage is the directory of the communities a person may see.
type communitiesPage struct {
	Page
	Items []communityItem
}

// communityItem is a community in the directory: who it is for, how one
// joins it, what it is for, and where the person stands.
type communityItem struct {
	Space    *app.SpaceView
	Joining  string   // the join policy, in words
	Criteria []string // the directory criteria, one sentence each, for a join on criteria
	Place    string   // the person's place in it: member, steward, request pending
	// Join is the link to the charter and the join form, when the policy
	// lets the person join (or ask to); Why is the rule when it does not.
	Join       string
	Invitation int64 // the person's pending invitation to it, if any
	Why        *ruleBox
}

func (s *Server) communities(w http.ResponseWriter, r *http.Request, v *visit) {
	cp := &communitiesPage{Page: v.page(r, text(v.Lang, "communities.title"))}
	vs, err := s.App.Spaces(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, cp.Page, err)
		return
	}
	is, err := s.App.MyInvitations(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, cp.Page, err)
		return
	}
	invited := map[int64]int64{}
	for _, i := range is {
		invited[i.SpaceID] = i.ID
	}
	for _, sv := range vs {
		if sv.Kind != relais.SpaceCommunity {
			continue
		}
		cp.Items = append(cp.Items, cp.Page.community(sv, invited[sv.ID]))
	}
	s.render(w, r, http.StatusOK, "communities", cp)
}

// community describes a community of the directory; invitation is the
// person's pending invitation to it (0: none).
func (p *Page) community(sv *app.SpaceView, invitation int64) communityItem {
	c := communityItem{Space: sv, Joining: p.T("join." + string(sv.JoinPolicy)), Invitation: invitation}
	if sv.JoinPolicy == relais.JoinByCriteria {
		c.Criteria = p.criteria(sv.Criteria)
	}
	rel := sv.Relation
	switch {
	case rel.Steward:
		c.Place = p.T("communities.steward")
	case rel.Member:
		c.Place = p.T("communities.member")
	case rel.PendingRequest:
		c.Place = p.T("communities.pending")
	case invitation != 0:
		c.Place = p.T("communities.invited")
	case sv.Can.Join.Effect == policy.Allow:
		c.Join = p.T("communities.join")
	case sv.Can.Join.Effect == policy.NeedsApproval:
		c.Join = p.T("communities.ask")
	default:
		b := p.Explain("communities.cannot_join", sv.Can.Join)
		c.Why = &b
	}
	return c
}

// criteria says the directory criteria of a community in words, one
// sentence per attribute; none set means anyone of its audience.
func (p *Page) criteria(c *relais.JoinCriteria) []string {
	var out []string
	if c != nil {
		if len(c.Sites) > 0 {
			out = append(out, p.Tf("communities.criteria.sites", strings.Join(c.Sites, ", ")))
		}
		if len(c.JobFamilies) > 0 {
			out = append(out, p.Tf("communities.criteria.jobs", strings.Join(c.JobFamilies, ", ")))
		}
		if len(c.Employments) > 0 {
			es := make([]string, len(c.Employments))
			for i, e := range c.Employments {
				es[i] = p.employment(e)
			}
			out = append(out, p.Tf("communities.criteria.employments", strings.Join(es, ", ")))
		}
		if len(c.UnitIDs) > 0 {
			ids := make([]string, len(c.UnitIDs))
			for i, id := range c.UnitIDs {
				ids[i] = strconv.FormatInt(id, 10)
			}
			out = append(out, p.Tf("communities.criteria.units", strings.Join(ids, ", ")))
		}
	}
	if len(out) == 0 {
		out = append(out, p.T("communities.criteria.none"))
	}
	return out
}

// employment names an employment in the page's language.
func (p *Page) employment(e relais.Employment) string {
	switch e {
	case relais.Internal:
		return p.T("communities.employment.internal")
	case relais.External:
		return p.T("communities.employment.external")
	}
	return string(e)
}
