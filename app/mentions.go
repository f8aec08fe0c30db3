package app

import (
	"context"
	"strings"

	"relais"
	"relais/policy"
	"relais/store"
)

// Mentions: "@login" in a published post or reply tells that person, if
// they may read the space (space.read) and did not write it. Anyone else
// named — a team's coach, an outsider, an unknown login — gets nothing, and
// the author is not told who was left out.

// Mentionable is a person one may mention in a space.
type Mentionable struct {
	Login string `json:"login"`
	Name  string `json:"name"`
}

// mayRead reports whether the policy lets u read the threads of a space.
func (s *Service) mayRead(ctx context.Context, u *relais.User, spaceID int64) (bool, error) {
	v, err := s.loadSpaceView(ctx, u, spaceID)
	if err != nil {
		return false, err
	}
	return v.Can.Read.Effect == policy.Allow, nil
}

// notifyMentions tells the readers of a space that a published post
// (replyID 0) or reply names them. The content is already published:
// a failure here is logged, not returned.
//
// threadAuthor, for a reply, is the thread's author: told of the reply
// (relais.NotifyReply) unless they wrote it or it names them, if they may
// still read the space.
func (s *Service) notifyMentions(ctx context.Context, spaceID, postID, replyID, authorID int64, title, text string, threadAuthor int64) {
	logins := relais.Mentions(text)
	users := map[string]*relais.User{}
	if len(logins) > 0 {
		var err error
		if users, err = s.Store.UsersByLogins(ctx, logins); err != nil {
			s.Log.Error("mentions", "post", postID, "err", err)
			return
		}
	}
	var ms []store.Mention
	named := map[int64]bool{}
	for _, login := range logins {
		m := users[login]
		if m == nil || m.ID == authorID {
			continue
		}
		ok, err := s.mayRead(ctx, m, spaceID)
		if err != nil {
			s.Log.Error("mentions", "post", postID, "err", err)
			return
		}
		if ok {
			ms = append(ms, store.Mention{UserID: m.ID, SpaceID: spaceID, PostID: postID, ReplyID: replyID, ActorID: authorID, Detail: title})
			named[m.ID] = true
		}
	}
	// Then the thread's author, and who follows the thread (a reply) or the
	// space (a new thread): each once, if they may read the space now.
	tell := func(userID int64, kind string) bool {
		if userID == 0 || userID == authorID || named[userID] {
			return true
		}
		a, err := s.Store.UserByID(ctx, userID)
		if err != nil || !a.Active {
			return true
		}
		ok, err := s.mayRead(ctx, a, spaceID)
		if err != nil {
			s.Log.Error("followers", "post", postID, "err", err)
			return false
		}
		if ok {
			ms = append(ms, store.Mention{UserID: a.ID, SpaceID: spaceID, PostID: postID, ReplyID: replyID, ActorID: authorID, Detail: title, Kind: kind})
			named[a.ID] = true
		}
		return true
	}
	if !tell(threadAuthor, relais.NotifyReply) {
		return
	}
	var followers []int64
	var err error
	if replyID != 0 {
		followers, err = s.Store.ThreadFollowers(ctx, postID)
	} else {
		followers, err = s.Store.SpaceFollowers(ctx, spaceID)
	}
	if err != nil {
		s.Log.Error("followers", "post", postID, "err", err)
		return
	}
	kind := relais.NotifyFollowedThread
	if replyID != 0 {
		kind = relais.NotifyFollowedReply
	}
	for _, f := range followers {
		if !tell(f, kind) {
			return
		}
	}
	if err := s.Store.NotifyMentions(ctx, ms); err != nil {
		s.Log.Error("mentions", "post", postID, "err", err)
	}
}

// mentionsInPost tells the people a post names, once it is published.
func (s *Service) mentionsInPost(ctx context.Context, p *relais.Post) {
	if p.Status == relais.StatusPublished {
		s.notifyMentions(ctx, p.SpaceID, p.ID, 0, p.AuthorID, p.Title, p.Title+"\n"+p.Body, 0)
	}
}

// mentionsInReply tells the people a reply names, once it is published.
func (s *Service) mentionsInReply(ctx context.Context, r *relais.Reply, p *relais.Post) {
	if r.Status == relais.StatusPublished {
		s.notifyMentions(ctx, p.SpaceID, p.ID, r.ID, r.AuthorID, p.Title, r.Body, p.AuthorID)
	}
}

// mentionsApproved tells the people named in a post or reply that a
// mentor just approved.
func (s *Service) mentionsApproved(ctx context.Context, postID, replyID int64) {
	var r *relais.Reply
	if replyID != 0 {
		var err error
		if r, err = s.Store.ReplyByID(ctx, replyID); err != nil {
			s.Log.Error("mentions", "reply", replyID, "err", err)
			return
		}
		postID = r.PostID
	}
	p, err := s.Store.PostByID(ctx, postID)
	if err != nil {
		s.Log.Error("mentions", "post", postID, "err", err)
		return
	}
	if r == nil {
		s.mentionsInPost(ctx, p)
	} else {
		s.mentionsInReply(ctx, r, p)
	}
}

// MaxMentionQuery bounds the text typed after "@".
const MaxMentionQuery = 100

// Mentionable returns the people the actor may mention in a space whose
// threads they read: members, stewards, the team and its manager, whose
// login or name starts with q, who may read the space themselves. A
// team's coach is never among them.
func (s *Service) Mentionable(ctx context.Context, u *relais.User, spaceID int64, q string) ([]Mentionable, error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "@")
	if len(q) > MaxMentionQuery {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "q", Message: "The query is longer than 100 characters.",
			MessageFR: "La recherche dépasse 100 caractères."}
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	cands, err := s.Store.MentionCandidates(ctx, spaceID, q, 20)
	if err != nil {
		return nil, err
	}
	out := []Mentionable{}
	for _, c := range cands {
		if c.UserID == u.ID {
			continue
		}
		m, err := s.Store.UserByID(ctx, c.UserID)
		if err != nil {
			return nil, err
		}
		if ok, err := s.mayRead(ctx, m, spaceID); err != nil {
			return nil, err
		} else if ok {
			out = append(out, Mentionable{Login: c.Login, Name: c.Name})
		}
	}
	return out, nil
}
