package web

import (
	"net/http"
	"strconv"
	"strings"

	"relais/store"
)

// searchLimit is the number of results a search page shows.
const searchLimit = 50

// searchPage is the view of the search page.
type searchPage struct {
	Page
	Searched bool
	Results  []searchItem
}

// searchItem is one result with the name of its space and its link.
type searchItem struct {
	store.SearchResult
	SpaceName string
	Href      string
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query().Get("q")
	p := v.page(r, text(v.Lang, "search.title"))
	p.Query = q
	sp := &searchPage{Page: p}
	if strings.TrimSpace(q) == "" {
		s.render(w, r, http.StatusOK, "search", sp)
		return
	}
	rs, err := s.App.Search(r.Context(), v.User, q, searchLimit)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	names := map[int64]string{}
	if len(rs) > 0 {
		vs, err := s.App.Spaces(r.Context(), v.User)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		for _, sv := range vs {
			names[sv.ID] = sv.Name
		}
	}
	sp.Searched = true
	for _, res := range rs {
		href := "/posts/" + strconv.FormatInt(res.PostID, 10)
		if res.ReplyID != 0 {
			href += "#reply-" + strconv.FormatInt(res.ReplyID, 10)
		}
		sp.Results = append(sp.Results, searchItem{SearchResult: res, SpaceName: names[res.SpaceID], Href: href})
	}
	s.render(w, r, http.StatusOK, "search", sp)
}
