package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/app"
)

// homePage is the view of the home page: the person's spaces, then the
// communities they could join.
type homePage struct {
	Page
	Teams       []*app.SpaceView // team spaces the person belongs to
	Communities []*app.SpaceView // communities they belong to or animate
	Joinable    []*app.SpaceView // communities the policy lets them join
	Others      []*app.SpaceView // communities they see but may not join
	// Requests are the person's own requests to join, with the decision
	// and the reason of a refusal.
	Requests []*relais.MembershipRequest
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.page(r, text(v.Lang, "home.title"))
	vs, err := s.App.Spaces(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	h := &homePage{Page: p}
	for _, sv := range vs {
		mine := sv.Relation.Member || sv.Relation.Steward
		switch {
		case mine && sv.Kind == relais.SpaceTeam:
			h.Teams = append(h.Teams, sv)
		case mine:
			h.Communities = append(h.Communities, sv)
		case sv.Can.Join.Allowed():
			h.Joinable = append(h.Joinable, sv)
		default:
			h.Others = append(h.Others, sv)
		}
	}
	if h.Requests, err = s.App.MyMembershipRequests(r.Context(), v.User); err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", h)
}

// postsPerPage is the number of threads listed on a space's page.
const postsPerPage = 20

// spacePage is the view of a space: its charter, its threads and the forms
// the policy allows.
type spacePage struct {
	Page
	Space   *app.SpaceView
	Follow  followForm // the button to follow the space
	Posts   []*relais.Post
	Before  int64 // the ?before= of this page (0: the newest threads)
	Older   int64 // the ?before= of the next page (0: none)
	Kinds   []relais.PostKind
	Compose composeForm
	JoinErr string
	Notice  string // a message key: the outcome of joining, accepting or deciding
	// Changed compares the version of the charter the member accepted
	// with the current one, when the charter changed since.
	Changed   *charterChange
	AcceptErr string // why accepting the charter was refused
	// Requests are the pending requests to join, for those who decide on
	// them; RequestsErr is why a decision was refused, when not about a
	// reason.
	Requests     []joinItem
	RequestsErr  string
	RequestsRule string
	// Pinned are the threads stewards keep at the top, listed first on
	// the newest page (and left out of Posts there).
	Pinned []*relais.Post
	// Routines are the active routines of a team space (nil elsewhere;
	// see routines.go).
	Routines *spaceRoutines
	// Items are the open tasks and problems of a team space (see
	// items.go).
	Items spaceItems
}

// SameReason reports whether posting and reading are refused by the same
// rule, so that the page says it once.
func (sp *spacePage) SameReason() bool {
	can := sp.Space.Can
	return !can.Read.Allowed() && !can.Post.Allowed() && can.Read.Rule.ID == can.Post.Rule.ID
}

// composeForm is the input of the compose form, kept when it is refused.
type composeForm struct {
	Kind  relais.PostKind
	Title string
	Body  string
	Error string
	Field string // the field the error is about
}

// loadSpace builds the view of a space's page.
func (s *Server) loadSpace(r *http.Request, v *visit, id, before int64) (*spacePage, error) {
	sv, err := s.App.Space(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	sp := &spacePage{Page: v.page(r, sv.Name), Space: sv, Before: before, Kinds: relais.PostKinds,
		Compose: composeForm{Kind: relais.KindDiscussion}}
	sp.Path = "/spaces/" + strconv.FormatInt(id, 10)
	if before > 0 {
		sp.Path += "?before=" + strconv.FormatInt(before, 10)
	}
	if sv.Can.Read.Allowed() {
		ps, err := s.App.Posts(r.Context(), v.User, id, before, postsPerPage+1)
		if err != nil {
			return nil, err
		}
		if len(ps) > postsPerPage {
			ps = ps[:postsPerPage]
			sp.Older = ps[len(ps)-1].ID
		}
		sp.Posts = ps
		if before == 0 {
			if sp.Pinned, err = s.App.PinnedPosts(r.Context(), v.User, id); err != nil {
				return nil, err
			}
			sp.Posts = slices.DeleteFunc(sp.Posts, func(p *relais.Post) bool { return p.Pinned && p.Status == relais.StatusPublished })
		}
	}
	if err := s.loadSpaceRoutines(r, v, sp); err != nil {
		return nil, err
	}
	rel := sv.Relation
	if sv.Can.AcceptCharter.Allowed() && rel.Member && sv.Charter != nil && rel.CharterVersion < sv.Charter.Version {
		cs, err := s.App.Charters(r.Context(), v.User, id)
		if err != nil {
			return nil, err
		}
		sp.Changed = compareCharters(&sp.Page, cs, rel.CharterVersion, sv.Charter)
	}
	if sv.Can.DecideJoin.Allowed() {
		rs, err := s.App.MembershipRequests(r.Context(), v.User, id)
		if err != nil {
			return nil, err
		}
		for _, req := range rs {
			sp.Requests = append(sp.Requests, joinItem{MembershipRequest: req})
		}
	}
	if err := s.loadSpaceItems(r, sp); err != nil {
		return nil, err
	}
	return sp, nil
}

func (s *Server) space(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	sp, err := s.loadSpace(r, v, id, max(before, 0))
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("join") {
	case "joined":
		sp.Notice = "join.joined"
	case "pending":
		sp.Notice = "join.pending"
	}
	if r.URL.Query().Get("moderated") == "hidden" {
		sp.Notice = "thread.done.hidden"
	}
	if r.URL.Query().Get("charter") == "accepted" {
		sp.Notice = "charter.accepted_now"
	}
	switch r.URL.Query().Get("decided") {
	case "approved", "refused", "pending_approval":
		sp.Notice = "joinreq.done." + r.URL.Query().Get("decided")
	}
	sp.Follow = s.spaceFollow(r, sp)
	s.render(w, r, http.StatusOK, "space", sp)
}

// refuseOnSpace shows the space's page again with the error of a form in
// it; fill puts the error and the input back. When the page itself cannot
// be shown, the error page says why.
func (s *Server) refuseOnSpace(w http.ResponseWriter, r *http.Request, v *visit, id int64, err error, fill func(*spacePage, string, *relais.Error)) {
	status, e, msg := s.message(r, v.Lang, err)
	sp, lerr := s.loadSpace(r, v, id, 0)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	fill(sp, msg, e)
	s.render(w, r, status, "space", sp)
}

func (s *Server) join(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	fill := func(sp *spacePage, msg string, _ *relais.Error) { sp.JoinErr = msg }
	version, err := acceptedVersion(r)
	if err != nil {
		s.refuseOnSpace(w, r, v, id, err, fill)
		return
	}
	res, err := s.App.Join(r.Context(), v.User, id, version)
	if err != nil {
		s.refuseOnSpace(w, r, v, id, err, fill)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"?join="+res.Status, http.StatusSeeOther)
}

func (s *Server) createPost(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	in := relais.NewPost{Kind: relais.PostKind(strings.TrimSpace(r.PostForm.Get("kind"))),
		Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body")}
	p, err := s.App.CreatePost(r.Context(), v.User, id, in)
	if err != nil {
		s.refuseOnSpace(w, r, v, id, err, func(sp *spacePage, msg string, e *relais.Error) {
			sp.Compose = composeForm{Kind: in.Kind, Title: in.Title, Body: in.Body, Error: msg, Field: e.Field}
		})
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

// acceptedVersion reads a form that accepts a charter: the ticked box and
// the version the person read.
func acceptedVersion(r *http.Request) (int, error) {
	if r.PostForm.Get("accept") != "yes" {
		return 0, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "accept",
			Message: text("en", "join.must_accept"), MessageFR: text("fr", "join.must_accept")}
	}
	version, err := strconv.Atoi(r.PostForm.Get("charter_version"))
	if err != nil || version < 1 {
		return 0, &relais.Error{Code: relais.EINVALID, Field: "charter_version",
			Message: "The charter version is missing.", MessageFR: "La version de la charte manque."}
	}
	return version, nil
}
