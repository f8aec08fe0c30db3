package app

import (
	"context"
	"unicode/utf8"

	"relais"
	"relais/policy"
	"relais/store"
)

// The best-practice library: a team's manager or an internal steward
// shares a practice of their space (the space's consent); employees browse
// it and reuse it in the spaces where they may post.

func practiceNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Practice not found.", MessageFR: "Pratique introuvable."}
}

// LibraryEntry is a practice as one person sees it in the library: never
// the original thread's text, replies or authors; the link to the source
// thread only for who may read it.
type LibraryEntry struct {
	*relais.Practice
	// SourcePostID is the thread the practice comes from, given only to
	// who may read it.
	SourcePostID int64 `json:"source_post_id,omitempty"`
	// CanWithdraw tells whether the person may take it out of the library.
	CanWithdraw bool `json:"can_withdraw"`
}

// Library is the result of a search of the library.
type Library struct {
	Practices []*LibraryEntry  `json:"practices"`
	Tags      []store.TagCount `json:"tags"`
	Query     string           `json:"query"`
	Tag       string           `json:"tag"`
}

func (s *Service) mayReadLibrary(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.ReadLibrary, policy.Target{}).Err()
}

// entries wraps practices with what the person may do with them.
func (s *Service) entries(ctx context.Context, u *relais.User, ps []*relais.Practice) ([]*LibraryEntry, error) {
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*SpaceView{}
	for _, v := range views {
		byID[v.ID] = v
	}
	out := make([]*LibraryEntry, 0, len(ps))
	for _, p := range ps {
		e := &LibraryEntry{Practice: p}
		if v := byID[p.SpaceID]; v != nil {
			if v.Can.Read.Allowed() {
				e.SourcePostID = p.PostID
			}
			e.CanWithdraw = v.Can.SharePractice.Allowed()
		}
		out = append(out, e)
	}
	return out, nil
}

// SearchLibrary returns the practices in the library matching a query (in
// their title, summary and tags, whatever the case and accents) and a tag.
func (s *Service) SearchLibrary(ctx context.Context, u *relais.User, q, tag string) (*Library, error) {
	if err := s.mayReadLibrary(u); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(q) > relais.MaxLibraryQuery || utf8.RuneCountInString(tag) > relais.MaxLibraryQuery || !relais.ValidText(q) || !relais.ValidText(tag) {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "q", Message: "The search is longer than 200 characters or holds invalid characters.",
			MessageFR: "La recherche dépasse 200 caractères ou contient des caractères invalides."}
	}
	ps, err := s.Store.Practices(ctx, store.PracticeFilter{Query: q, Tag: tag})
	if err != nil {
		return nil, err
	}
	lib := &Library{Query: q, Tag: tag}
	if lib.Practices, err = s.entries(ctx, u, ps); err != nil {
		return nil, err
	}
	if lib.Tags, err = s.Store.PracticeTags(ctx); err != nil {
		return nil, err
	}
	return lib, nil
}

// Practice returns a practice of the library; a withdrawn one no longer
// exists.
func (s *Service) Practice(ctx context.Context, u *relais.User, id int64) (*LibraryEntry, error) {
	if err := s.mayReadLibrary(u); err != nil {
		return nil, err
	}
	p, err := s.Store.PracticeByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.WithdrawnAt != nil {
		return nil, practiceNotFound()
	}
	es, err := s.entries(ctx, u, []*relais.Practice{p})
	if err != nil {
		return nil, err
	}
	return es[0], nil
}

// PracticeOfPost returns the practice a thread the actor may read became
// in the library, or nil.
func (s *Service) PracticeOfPost(ctx context.Context, u *relais.User, postID int64) (*relais.Practice, error) {
	if _, _, err := s.visiblePost(ctx, u, postID); err != nil {
		return nil, err
	}
	return s.Store.PracticeOfPost(ctx, postID)
}

// SharePractice adds a post of a space to the library with a title, a
// summary (what the space consents to share) and tags.
func (s *Service) SharePractice(ctx context.Context, u *relais.User, postID int64, in relais.NewPractice) (*LibraryEntry, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.SharePractice.Err(); err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This post is not published: only a published thread goes to the library.",
			MessageFR: "Ce message n'est pas publié : seul un fil publié entre dans la bibliothèque."}
	}
	pr := &relais.Practice{SpaceID: p.SpaceID, PostID: postID, Title: in.Title, Summary: in.Summary, Tags: in.Tags, SharedBy: u.ID}
	if err := s.Store.SharePractice(ctx, pr); err != nil {
		return nil, err
	}
	return s.practiceEntry(ctx, u, pr.ID)
}

func (s *Service) practiceEntry(ctx context.Context, u *relais.User, id int64) (*LibraryEntry, error) {
	p, err := s.Store.PracticeByID(ctx, id)
	if err != nil {
		return nil, err
	}
	es, err := s.entries(ctx, u, []*relais.Practice{p})
	if err != nil {
		return nil, err
	}
	return es[0], nil
}

// WithdrawPractice takes a practice out of the library: the space takes
// back its consent. Who may share it may withdraw it.
func (s *Service) WithdrawPractice(ctx context.Context, u *relais.User, id int64) error {
	if err := s.mayReadLibrary(u); err != nil {
		return err
	}
	p, err := s.Store.PracticeByID(ctx, id)
	if err != nil {
		return err
	}
	if p.WithdrawnAt != nil {
		return practiceNotFound()
	}
	v, err := s.loadSpaceView(ctx, u, p.SpaceID)
	if err != nil {
		return err
	}
	if err := v.Can.SharePractice.Err(); err != nil {
		return err
	}
	if err := s.Store.WithdrawPractice(ctx, id, u.ID); err != nil {
		return err
	}
	return nil
}

// ReuseTargets returns the spaces where the policy lets the actor reuse a
// practice: employees-only spaces where they post.
func (s *Service) ReuseTargets(ctx context.Context, u *relais.User) ([]*SpaceView, error) {
	all, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []*SpaceView
	for _, v := range all {
		if v.Can.View.Allowed() && v.Can.ReusePractice.Allowed() {
			out = append(out, v)
		}
	}
	return out, nil
}

// PracticeReusedIn returns the ids of the spaces that reused a practice.
func (s *Service) PracticeReusedIn(ctx context.Context, u *relais.User, id int64) (map[int64]bool, error) {
	if err := s.mayReadLibrary(u); err != nil {
		return nil, err
	}
	return s.Store.ReusedIn(ctx, id)
}

// ReusePractice opens, in a space where the policy lets the actor reuse
// it (an employees-only space where they post: never a community with
// externals), a thread of kind best_practice from a practice of the
// library, as a new post (a social media manager in co-pilot waits for
// their mentor), and records the reuse. A space reuses a practice once.
func (s *Service) ReusePractice(ctx context.Context, u *relais.User, id, spaceID int64) (*relais.Post, error) {
	if spaceID <= 0 {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "space_id", Message: "space_id must be a positive integer.", MessageFR: "space_id doit être un entier positif."}
	}
	pr, err := s.Practice(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if pr.SpaceID == spaceID {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "space_id", Message: "This practice comes from this space: reuse it in another one.",
			MessageFR: "Cette pratique vient de cet espace : réutilisez-la dans un autre."}
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.ReusePractice.Err(); err != nil {
		return nil, err
	}
	body := pr.Summary + "\n\n*Bibliothèque des bonnes pratiques — « " + pr.SpaceName + " » · Best-practice library — “" + pr.SpaceName + "”*"
	in := relais.NewPost{Kind: relais.KindBestPractice, Title: pr.Title, Body: body}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := &relais.Post{SpaceID: spaceID, AuthorID: u.ID, AuthorName: u.Name, Kind: in.Kind, Title: in.Title, Body: in.Body,
		Status: statusFor(v.Can.ReusePractice)}
	if err := s.Store.ReusePractice(ctx, id, p); err != nil {
		return nil, err
	}
	return p, nil
}
