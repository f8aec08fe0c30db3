package app

import (
	"context"
	"strconv"

	"relais"
	"relais/policy"
	"relais/store"
)

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// statusFor turns a decision into the status of new content.
func statusFor(d policy.Decision) relais.PostStatus {
	if d.Effect == policy.NeedsApproval {
		return relais.StatusPendingApproval
	}
	return relais.StatusPublished
}

// Posts returns a page of a space's threads, newest first.
func (s *Service) Posts(ctx context.Context, u *relais.User, spaceID, beforeID int64, limit int) ([]*relais.Post, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	return s.Store.Posts(ctx, store.PostFilter{SpaceID: spaceID, BeforeID: beforeID, Limit: limit, ViewerID: u.ID})
}

// CreatePost opens a thread. It is published at once, or waits for a
// mentor's approval when the policy says so.
func (s *Service) CreatePost(ctx context.Context, u *relais.User, spaceID int64, in relais.NewPost) (*relais.Post, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Post.Err(); err != nil {
		return nil, err
	}
	p := &relais.Post{SpaceID: spaceID, AuthorID: u.ID, AuthorName: u.Name, Kind: in.Kind, Title: in.Title, Body: in.Body,
		Status: statusFor(v.Can.Post)}
	if err := s.Store.CreatePost(ctx, p); err != nil {
		return nil, err
	}
	s.mentionsInPost(ctx, p)
	return p, nil
}

// Thread is a post with its replies and reactions, as one person sees it.
type Thread struct {
	Post      *relais.Post
	Space     *SpaceView
	Replies   []*relais.Reply
	Reactions map[int64][]relais.ReactionCount
	// Signals raised from the post, with their decisions.
	Signals []*relais.Signal
	// Problem is where a post of kind problem stands (nil for another
	// kind): open, or solved by one of its replies.
	Problem *relais.Problem
}

// visiblePost loads a post and its space; a post the actor may not see
// (seesPost) does not exist for them.
func (s *Service) visiblePost(ctx context.Context, u *relais.User, postID int64) (*relais.Post, *SpaceView, error) {
	p, err := s.Store.PostByID(ctx, postID)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.loadSpaceView(ctx, u, p.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	if ok, err := s.seesPost(ctx, u, p, v); err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, postNotFound()
	}
	return p, v, nil
}

// Thread returns a post with its replies and reactions.
func (s *Service) Thread(ctx context.Context, u *relais.User, postID int64) (*Thread, error) {
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.Replies(ctx, postID, u.ID)
	if err != nil {
		return nil, err
	}
	rx, err := s.Store.Reactions(ctx, postID, u.ID)
	if err != nil {
		return nil, err
	}
	sg, err := s.Store.Signals(ctx, store.SignalFilter{PostID: postID})
	if err != nil {
		return nil, err
	}
	th := &Thread{Post: p, Space: v, Replies: rs, Reactions: rx, Signals: sg}
	if p.Kind == relais.KindProblem {
		if th.Problem, err = s.Store.Problem(ctx, postID); err != nil {
			return nil, err
		}
	}
	return th, nil
}

// Reply answers a published post.
func (s *Service) Reply(ctx context.Context, u *relais.User, postID int64, body string) (*relais.Reply, error) {
	body, err := relais.ValidateReplyBody(body)
	if err != nil {
		return nil, err
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Reply.Err(); err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This post is not published yet: replies wait until it is.",
			MessageFR: "Ce message n'est pas encore publié : les réponses attendent sa publication."}
	}
	r := &relais.Reply{PostID: postID, AuthorID: u.ID, AuthorName: u.Name, Body: body, Status: statusFor(v.Can.Reply)}
	if err := s.Store.CreateReply(ctx, r, p.SpaceID); err != nil {
		return nil, err
	}
	s.mentionsInReply(ctx, r, p)
	return r, nil
}

// React toggles a reaction on a post (replyID 0) or one of its replies and
// reports whether it is now on.
func (s *Service) React(ctx context.Context, u *relais.User, postID, replyID int64, kind relais.ReactionKind) (bool, error) {
	if !kind.Valid() {
		return false, &relais.Error{Code: relais.EINVALID, Field: "kind", Message: "Unknown reaction; expected like, thanks, insightful or agree.",
			MessageFR: "Réaction inconnue ; attendu : like, thanks, insightful ou agree."}
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return false, err
	}
	d := v.Can.React
	if d.Effect == policy.NeedsApproval {
		// A reaction cannot wait in a queue: it is refused with the rule.
		return false, &relais.Error{Code: relais.EFORBIDDEN, Rule: d.Rule.ID, Message: d.Rule.EN, MessageFR: d.Rule.FR}
	}
	if err := d.Err(); err != nil {
		return false, err
	}
	if p.Status != relais.StatusPublished {
		return false, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This post is not published yet.", MessageFR: "Ce message n'est pas encore publié."}
	}
	if replyID != 0 {
		r, err := s.Store.ReplyByID(ctx, replyID)
		if err != nil {
			return false, err
		}
		if r.PostID != postID || r.Status != relais.StatusPublished {
			return false, &relais.Error{Code: relais.ENOTFOUND, Message: "Reply not found.", MessageFR: "Réponse introuvable."}
		}
	}
	on, err := s.Store.ToggleReaction(ctx, postID, replyID, u.ID, kind)
	if err != nil {
		return false, err
	}
	return on, nil
}

// MaxQuery is the longest search query accepted, in bytes.
const MaxQuery = 500

// Search finds threads and replies the actor may read (see SearchPosts),
// best first, without filters: the first page.
func (s *Service) Search(ctx context.Context, u *relais.User, q string, limit int) ([]relais.SearchResult, error) {
	res, err := s.SearchPosts(ctx, u, SearchInput{Q: q, Limit: limit})
	if err != nil {
		return nil, err
	}
	rs := make([]relais.SearchResult, len(res.Hits))
	for i, h := range res.Hits {
		rs[i] = h.SearchResult
	}
	return rs, nil
}
