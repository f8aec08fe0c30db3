package web

import (
	"html/template"
	"net/http"
	"strconv"

	"relais"
	"relais/app"
)

// threadPage is the view of a thread: the post, its replies and reactions,
// and the forms the policy allows.
type threadPage struct {
	Page
	Post      *relais.Post
	Space     *app.SpaceView
	Body      template.HTML
	Reactions []reaction
	Replies   []replyItem
	Reply     replyForm
	// Moderation is the input and error of the flag, hide, restore and pin
	// forms; Notice confirms what one of them did.
	Moderation  moderationForm
	Notice      string
	NoticeWaits bool // the action confirmed waits for a mentor
	// Follow is the button to follow the thread.
	Follow followForm
	// Signals are the signals raised from the post, with their decisions,
	// and the forms that route it (see signals.go).
	Signals threadSignals
	// Routine is the routine whose prompt the post is, with the answer
	// form (nil for another post; see routines.go).
	Routine *routinePrompt
	// Items are its tasks, the solution of its problem and its practice
	// in the library, with their forms (see items.go).
	Items threadItems
}

// reaction is one reaction button (or count) on a post or a reply.
type reaction struct {
	Kind    relais.ReactionKind
	Count   int
	Mine    bool
	ReplyID int64
}

// replyItem is a reply with its rendered body and reactions.
type replyItem struct {
	*relais.Reply
	HTML      template.HTML
	Reactions []reaction
}

// replyForm is the input of the reply form, kept when it is refused.
type replyForm struct {
	Body  string
	Error string
}

// Published reports whether the thread's post is visible to its space.
func (t *threadPage) Published() bool { return t.Post.Status == relais.StatusPublished }

// reactions lists every reaction kind with its count, in display order.
func reactions(counts []relais.ReactionCount, replyID int64) []reaction {
	out := make([]reaction, 0, len(relais.ReactionKinds))
	for _, k := range relais.ReactionKinds {
		x := reaction{Kind: k, ReplyID: replyID}
		for _, c := range counts {
			if c.Kind == k {
				x.Count, x.Mine = c.Count, c.Mine
			}
		}
		out = append(out, x)
	}
	return out
}

// loadThread builds the view of a thread's page.
func (s *Server) loadThread(r *http.Request, v *visit, id int64) (*threadPage, error) {
	t, err := s.App.Thread(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	tp := &threadPage{Page: v.page(r, t.Post.Title), Post: t.Post, Space: t.Space, Body: markdown(t.Post.Body),
		Reactions: reactions(t.Reactions[0], 0)}
	tp.Path = "/posts/" + strconv.FormatInt(id, 10)
	for _, rep := range t.Replies {
		tp.Replies = append(tp.Replies, replyItem{Reply: rep, HTML: markdown(rep.Body), Reactions: reactions(t.Reactions[rep.ID], rep.ID)})
	}
	if err := s.loadThreadSignals(r, tp, t); err != nil {
		return nil, err
	}
	if err := s.loadThreadRoutine(r, tp); err != nil {
		return nil, err
	}
	if err := s.loadThreadItems(r, tp, t); err != nil {
		return nil, err
	}
	return tp, nil
}

func (s *Server) thread(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	tp, err := s.loadThread(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	tp.Notice = moderationNotice(&tp.Page, r.URL.Query().Get("done"))
	tp.Follow = s.threadFollow(r, tp)
	tp.NoticeWaits = r.URL.Query().Get("done") == "pending"
	s.render(w, r, http.StatusOK, "thread", tp)
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	body := r.PostForm.Get("body")
	rep, err := s.App.Reply(r.Context(), v.User, id, body)
	if err != nil {
		status, _, msg := s.message(r, v.Lang, err)
		tp, lerr := s.loadThread(r, v, id)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		tp.Reply = replyForm{Body: body, Error: msg}
		s.render(w, r, status, "thread", tp)
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"#reply-"+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
}

func (s *Server) react(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	var replyID int64
	if raw := r.PostForm.Get("reply_id"); raw != "" && raw != "0" {
		if replyID, err = strconv.ParseInt(raw, 10, 64); err != nil || replyID < 0 {
			s.fail(w, r, v.page(r, ""), &relais.Error{Code: relais.EINVALID, Field: "reply_id",
				Message: "reply_id must be a positive integer.", MessageFR: "reply_id doit être un entier positif."})
			return
		}
	}
	if _, err := s.App.React(r.Context(), v.User, id, replyID, relais.ReactionKind(r.PostForm.Get("kind"))); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	anchor := "#post"
	if replyID != 0 {
		anchor = "#reply-" + strconv.FormatInt(replyID, 10)
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+anchor, http.StatusSeeOther)
}
