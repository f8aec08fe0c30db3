package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"relais"
	"relais/app"
)

// searchLimit is the number of results a search page shows.
const searchLimit = 20

// searchPage is the view of the search page.
type searchPage struct {
	Page
	Searched bool
	Results  []searchItem
	// Count and Capped: how many results were found ("100+" when capped).
	Count  int
	Capped bool
	// Next is the link to the next page of results ("" on the last).
	Next string
	// More tells a page after the first (the count is the first page's).
	More bool
	// Filters as given, and the choices of the form.
	F      searchFilters
	Spaces []searchSpace
	Kinds  []relais.PostKind
	// Filtered reports whether a filter narrows the search.
	Filtered bool
}

// searchFilters are the filters of the form, as typed.
type searchFilters struct {
	SpaceID, Kind, Author, Solved, After, Before string
}

type searchSpace struct {
	ID       int64
	Name     string
	Selected bool
}

// searchItem is one result with its link and its snippet.
type searchItem struct {
	relais.SearchHit
	Href    string
	Snippet template.HTML // built by search.Snippet: escaped text and <mark>
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, v *visit) {
	in := r.URL.Query()
	q := in.Get("q")
	p := v.page(r, text(v.Lang, "search.title"))
	p.Query = q
	sp := &searchPage{Page: p, Kinds: relais.PostKinds,
		F: searchFilters{SpaceID: in.Get("space_id"), Kind: in.Get("kind"), Author: in.Get("author"), Solved: in.Get("solved"),
			After: in.Get("after"), Before: in.Get("before")}}
	sp.Filtered = sp.F != searchFilters{}
	views, err := s.App.Spaces(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, sv := range views {
		if sv.Can.Read.Allowed() {
			sp.Spaces = append(sp.Spaces, searchSpace{ID: sv.ID, Name: sv.Name, Selected: strconv.FormatInt(sv.ID, 10) == sp.F.SpaceID})
		}
	}
	if strings.TrimSpace(q) == "" {
		s.render(w, r, http.StatusOK, "search", sp)
		return
	}
	cursor := in.Get("cursor")
	res, err := s.App.SearchPosts(r.Context(), v.User, app.SearchInput{Q: q, SpaceID: sp.F.SpaceID, Kind: sp.F.Kind,
		Author: sp.F.Author, Solved: sp.F.Solved, After: sp.F.After, Before: sp.F.Before, Cursor: cursor, Limit: searchLimit})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sp.Searched, sp.Count, sp.Capped, sp.More = true, res.Count, res.CountCapped, cursor != ""
	for _, h := range res.Hits {
		href := "/posts/" + strconv.FormatInt(h.PostID, 10)
		if h.ReplyID != 0 {
			href += "#reply-" + strconv.FormatInt(h.ReplyID, 10)
		}
		sp.Results = append(sp.Results, searchItem{SearchHit: h, Href: href, Snippet: template.HTML(h.Snippet)})
	}
	if res.NextCursor != "" {
		next := url.Values{}
		for k, vs := range in {
			if k != "cursor" && len(vs) > 0 && vs[0] != "" {
				next.Set(k, vs[0])
			}
		}
		next.Set("cursor", res.NextCursor)
		sp.Next = "/search?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "search", sp)
}

// CountText is the number of results as shown: "1 000+" when there are
// more than were counted.
func (p *searchPage) CountText() string {
	n := p.Count
	if p.Capped {
		return p.Tf("search.count.capped", groupDigits(n, p.Lang))
	}
	if p.Lang == "fr" {
		if n <= 1 {
			return p.Tf("search.count.one", n)
		}
	} else if n == 1 {
		return p.Tf("search.count.one", n)
	}
	return strings.Replace(p.Tf("search.count.other", n), strconv.Itoa(n), groupDigits(n, p.Lang), 1)
}

// groupDigits writes n with thousands separated: "1,000" in English,
// "1 000" in French.
func groupDigits(n int, lang string) string {
	s := strconv.Itoa(n)
	sep := ","
	if lang == "fr" {
		sep = "\u202f"
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}
