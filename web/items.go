package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerItems registers the pages of the team's items: tasks and
// problems of a space, the forms of a thread that turn replies into tasks
// and solutions, and the best-practice library.
func (s *Server) registerItems(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /spaces/{id}/items", s.signedIn(s.spaceItems))
	mux.Handle("POST /posts/{id}/tasks", post(s.signedIn(s.createTask)))
	mux.Handle("POST /tasks/{id}", post(s.signedIn(s.updateTask)))
	mux.Handle("POST /posts/{id}/solution", post(s.signedIn(s.markSolution)))
	mux.Handle("POST /posts/{id}/solution/reopen", post(s.signedIn(s.reopenProblem)))
	mux.Handle("POST /posts/{id}/practice", post(s.signedIn(s.sharePractice)))
	mux.Handle("GET /library", s.signedIn(s.library))
	mux.Handle("POST /library/{id}/reuse", post(s.signedIn(s.reusePractice)))
	mux.Handle("POST /library/{id}/withdraw", post(s.signedIn(s.withdrawPractice)))
}

// ReadsLibrary reports whether the header links the best-practice
// library: the policy lets the person browse it (an employee).
func (p *Page) ReadsLibrary() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ReadLibrary, policy.Target{}).Allowed()
}

// DueText writes a due date (YYYY-MM-DD) for humans.
func (p *Page) DueText(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	months := strings.Split(p.T("date.months"), "|")
	month := d.Month().String()
	if len(months) == 12 {
		month = months[d.Month()-1]
	}
	return p.Tf("items.due_format", d.Day(), month, d.Year())
}

// SpaceKindName names the kind of a space.
func (p *Page) SpaceKindName(k relais.SpaceKind) string { return p.T("items.space_kind." + string(k)) }

// itemsError is the refusal of one of the items forms of a page: which
// form, the message and the rule.
type itemsError struct {
	Form    string // "task", "solution", "practice", "task-<id>", "reuse-<id>"
	ReplyID int64
	Message string
	Rule    string
	Field   string
}

// taskInput is what the task form holds, kept when it is refused.
type taskInput struct {
	Title, Owner, DueOn string
}

// practiceInput is what the library form holds, kept when it is refused.
type practiceInput struct {
	Title, Summary, Tags string
}

// threadItems are the items of a thread: where its problem stands, its
// tasks, its practice in the library and the forms the policy allows.
type threadItems struct {
	Problem  *relais.Problem
	Solve    policy.Decision
	Tasks    []*relais.Task
	Owners   []relais.Member
	Practice *relais.Practice
	Notice   string
	Error    itemsError
	Task     taskInput
	Share    practiceInput
	Today    string
}

// ShowsItems reports whether the thread has an items section: a team's
// thread, a problem or a practice.
func (t *threadPage) ShowsItems() bool {
	return t.Published() && (t.Space.Kind == relais.SpaceTeam || t.Items.Problem != nil || t.Items.Practice != nil ||
		t.Space.Can.SharePractice.Allowed())
}

// MayTask reports whether the thread offers "Make a task".
func (t *threadPage) MayTask() bool { return t.Published() && t.Space.Can.Tasks.Allowed() }

// MaySolve reports whether the thread offers "Mark as solution".
func (t *threadPage) MaySolve() bool {
	return t.Published() && t.Items.Problem != nil && t.Items.Solve.Allowed()
}

// IsSolution reports whether a reply is the solution of the problem.
func (t *threadPage) IsSolution(replyID int64) bool {
	return t.Items.Problem != nil && t.Items.Problem.SolutionReplyID == replyID
}

// TasksOf returns the tasks born from a reply (0: from the post).
func (t *threadPage) TasksOf(replyID int64) []*relais.Task {
	var out []*relais.Task
	for _, k := range t.Items.Tasks {
		if k.ReplyID == replyID {
			out = append(out, k)
		}
	}
	return out
}

// TaskFormOpen reports whether the task form of a reply is open: it was
// just refused.
func (t *threadPage) TaskFormOpen(replyID int64) bool {
	return t.Items.Error.Form == "task" && t.Items.Error.ReplyID == replyID
}

// loadThreadItems fills the items of a thread's page.
func (s *Server) loadThreadItems(r *http.Request, tp *threadPage, t *app.Thread) error {
	it := &tp.Items
	it.Problem = t.Problem
	it.Today = time.Now().Format(time.DateOnly)
	if t.Problem != nil {
		it.Solve = s.App.CanSolve(tp.User, t.Space, t.Post)
	}
	if t.Space.Can.Read.Allowed() {
		var err error
		if t.Space.Kind == relais.SpaceTeam {
			if it.Tasks, err = s.App.PostTasks(r.Context(), tp.User, t.Post.ID); err != nil {
				return err
			}
		}
		if t.Space.Can.Tasks.Allowed() {
			if it.Owners, err = s.App.TaskOwners(r.Context(), tp.User, t.Space.ID); err != nil {
				return err
			}
		}
		if it.Practice, err = s.App.PracticeOfPost(r.Context(), tp.User, t.Post.ID); err != nil {
			return err
		}
	}
	if key := r.URL.Query().Get("done"); strings.HasPrefix(key, "items_") {
		it.Notice = tp.T("items.done." + strings.TrimPrefix(key, "items_"))
	}
	return nil
}

// refuseOnThreadItems shows the thread again with the error of one of its
// items forms; fill puts the input back.
func (s *Server) refuseOnThreadItems(w http.ResponseWriter, r *http.Request, v *visit, id int64, form string, replyID int64, err error, fill func(*threadItems)) {
	status, e, msg := s.message(r, v.Lang, err)
	tp, lerr := s.loadThread(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	tp.Items.Error = itemsError{Form: form, ReplyID: replyID, Message: msg, Rule: e.Rule, Field: e.Field}
	if fill != nil {
		fill(&tp.Items)
	}
	s.render(w, r, status, "thread", tp)
}

// itemFormID reads an optional positive id of a form (0 when empty).
func itemFormID(form url.Values, name string) (int64, error) {
	raw := strings.TrimSpace(form.Get(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, &relais.Error{Code: relais.EINVALID, Field: name, Message: name + " must be a positive integer.", MessageFR: name + " doit être un entier positif."}
	}
	return n, nil
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	in := taskInput{Title: f.Get("title"), Owner: f.Get("owner_login"), DueOn: f.Get("due_on")}
	replyID, err := itemFormID(f, "reply_id")
	if err == nil {
		_, err = s.App.CreateTask(r.Context(), v.User, id, relais.NewTask{ReplyID: replyID, Title: in.Title, OwnerLogin: in.Owner, DueOn: in.DueOn})
	}
	if err != nil {
		s.refuseOnThreadItems(w, r, v, id, "task", replyID, err, func(it *threadItems) { it.Task = in })
		return
	}
	anchor := "#items"
	if replyID != 0 {
		anchor = "#reply-" + strconv.FormatInt(replyID, 10)
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done=items_task"+anchor, http.StatusSeeOther)
}

func (s *Server) markSolution(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	replyID, err := itemFormID(r.PostForm, "reply_id")
	if err == nil {
		_, err = s.App.MarkSolution(r.Context(), v.User, id, replyID)
	}
	if err != nil {
		s.refuseOnThreadItems(w, r, v, id, "solution", replyID, err, nil)
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done=items_solved#reply-"+strconv.FormatInt(replyID, 10), http.StatusSeeOther)
}

func (s *Server) reopenProblem(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.ReopenProblem(r.Context(), v.User, id); err != nil {
		s.refuseOnThreadItems(w, r, v, id, "solution", 0, err, nil)
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done=items_reopened#items", http.StatusSeeOther)
}

func (s *Server) sharePractice(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	in := practiceInput{Title: f.Get("title"), Summary: f.Get("summary"), Tags: f.Get("tags")}
	if _, err := s.App.SharePractice(r.Context(), v.User, id, relais.NewPractice{Title: in.Title, Summary: in.Summary, Tags: relais.SplitTags(in.Tags)}); err != nil {
		s.refuseOnThreadItems(w, r, v, id, "practice", 0, err, func(it *threadItems) { it.Share = in })
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done=items_shared#items", http.StatusSeeOther)
}

// itemsPage is the page of a space's items: its tasks and its problems.
type itemsPage struct {
	Page
	Space    *app.SpaceView
	Status   relais.TaskStatus
	Statuses []relais.TaskStatus
	Tasks    []*relais.Task
	Owners   []relais.Member
	Problems []*relais.Problem
	Solved   []*relais.Problem
	Notice   string
	Error    itemsError
}

// StatusName names a filter of the tasks.
func (p *itemsPage) StatusName(st relais.TaskStatus) string { return p.T("items.status." + string(st)) }

func (s *Server) loadItems(r *http.Request, v *visit, id int64, status relais.TaskStatus) (*itemsPage, error) {
	sv, err := s.App.Space(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	if err := sv.Can.Read.Err(); err != nil {
		return nil, err
	}
	ip := &itemsPage{Page: v.page(r, ""), Space: sv, Status: status, Statuses: []relais.TaskStatus{relais.TasksOpen, relais.TasksDone, relais.TasksAll}}
	ip.Title = ip.Tf("items.title", sv.Name)
	if sv.Kind == relais.SpaceTeam {
		if ip.Tasks, err = s.App.SpaceTasks(r.Context(), v.User, id, status); err != nil {
			return nil, err
		}
	}
	if sv.Can.Tasks.Allowed() {
		if ip.Owners, err = s.App.TaskOwners(r.Context(), v.User, id); err != nil {
			return nil, err
		}
	}
	if ip.Problems, err = s.App.Problems(r.Context(), v.User, id, relais.ProblemOpen); err != nil {
		return nil, err
	}
	if ip.Solved, err = s.App.Problems(r.Context(), v.User, id, relais.ProblemSolved); err != nil {
		return nil, err
	}
	return ip, nil
}

func (s *Server) spaceItems(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	status, err := relais.ParseTaskStatus(r.URL.Query().Get("status"))
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ip, err := s.loadItems(r, v, id, status)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if key := r.URL.Query().Get("done"); key == "task_done" || key == "task_open" || key == "task_owner" {
		ip.Notice = ip.T("items.done." + key)
	}
	s.render(w, r, http.StatusOK, "items", ip)
}

// updateTask marks a task done or not done, or gives it to another owner,
// then goes back to the page it came from: the space's items or the
// thread.
func (s *Server) updateTask(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	var c relais.TaskChange
	done := ""
	switch f.Get("action") {
	case "done", "open":
		d := f.Get("action") == "done"
		c.Done, done = &d, "task_"+f.Get("action")
	case "owner":
		o := f.Get("owner_login")
		c.OwnerLogin, done = &o, "task_owner"
	default:
		s.fail(w, r, v.page(r, ""), &relais.Error{Code: relais.EINVALID, Field: "action", Message: "Unknown action; expected done, open or owner.",
			MessageFR: "Action inconnue ; attendu : done, open ou owner."})
		return
	}
	k, err := s.App.UpdateTask(r.Context(), v.User, id, c)
	if err != nil {
		s.refuseTask(w, r, v, id, err)
		return
	}
	if f.Get("back") == "thread" {
		anchor := "#items"
		if k.ReplyID != 0 {
			anchor = "#reply-" + strconv.FormatInt(k.ReplyID, 10)
		}
		http.Redirect(w, r, "/posts/"+strconv.FormatInt(k.PostID, 10)+"?done=items_"+done+anchor, http.StatusSeeOther)
		return
	}
	status := f.Get("status")
	if _, err := relais.ParseTaskStatus(status); err != nil || status == "" {
		status = string(relais.TasksOpen)
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(k.SpaceID, 10)+"/items?status="+status+"&done="+done+"#task-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// refuseTask shows the items of the task's space again with the error of
// its form, or an error page when the task cannot be seen.
func (s *Server) refuseTask(w http.ResponseWriter, r *http.Request, v *visit, id int64, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	k, kerr := s.App.Task(r.Context(), v.User, id)
	if kerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ip, lerr := s.loadItems(r, v, k.SpaceID, relais.TasksAll)
	if lerr != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ip.Error = itemsError{Form: "task-" + strconv.FormatInt(id, 10), Message: msg, Rule: e.Rule, Field: e.Field}
	s.render(w, r, status, "items", ip)
}

// ErrorFor returns the error of the form of a task, or "".
func (p *itemsPage) ErrorFor(taskID int64) string {
	if p.Error.Form == "task-"+strconv.FormatInt(taskID, 10) {
		return p.Error.Message
	}
	return ""
}

// libraryPage is the best-practice library: a search, the tags and the
// practices, each with the spaces where the person may reuse it.
type libraryPage struct {
	Page
	Library *app.Library
	Entries []libraryEntry
	Notice  string
	Error   itemsError
}

// libraryEntry is a practice with the spaces where it may be reused.
type libraryEntry struct {
	*app.LibraryEntry
	Targets []*app.SpaceView
	// Here lists the spaces of the person that already reused it.
	Here []string
}

func (s *Server) loadLibrary(r *http.Request, v *visit, q, tag string) (*libraryPage, error) {
	lib, err := s.App.SearchLibrary(r.Context(), v.User, q, tag)
	if err != nil {
		return nil, err
	}
	targets, err := s.App.ReuseTargets(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	lp := &libraryPage{Page: v.page(r, ""), Library: lib}
	lp.Title = lp.T("library.title")
	for _, e := range lib.Practices {
		done, err := s.App.PracticeReusedIn(r.Context(), v.User, e.ID)
		if err != nil {
			return nil, err
		}
		le := libraryEntry{LibraryEntry: e}
		for _, sv := range targets {
			switch {
			case done[sv.ID]:
				le.Here = append(le.Here, sv.Name)
			case sv.ID != e.SpaceID:
				le.Targets = append(le.Targets, sv)
			}
		}
		lp.Entries = append(lp.Entries, le)
	}
	return lp, nil
}

func (s *Server) library(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	lp, err := s.loadLibrary(r, v, q.Get("q"), q.Get("tag"))
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if key := q.Get("done"); key == "withdrawn" {
		lp.Notice = lp.T("library.done.withdrawn")
	}
	s.render(w, r, http.StatusOK, "library", lp)
}

func (s *Server) reusePractice(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	spaceID, err := itemFormID(r.PostForm, "space_id")
	var p *relais.Post
	if err == nil {
		p, err = s.App.ReusePractice(r.Context(), v.User, id, spaceID)
	}
	if err != nil {
		s.refuseOnLibrary(w, r, v, "reuse-"+strconv.FormatInt(id, 10), err)
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

func (s *Server) withdrawPractice(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if err := s.App.WithdrawPractice(r.Context(), v.User, id); err != nil {
		s.refuseOnLibrary(w, r, v, "reuse-"+strconv.FormatInt(id, 10), err)
		return
	}
	http.Redirect(w, r, "/library?done=withdrawn", http.StatusSeeOther)
}

// refuseOnLibrary shows the library again with the error of the form of
// one practice.
func (s *Server) refuseOnLibrary(w http.ResponseWriter, r *http.Request, v *visit, form string, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	lp, lerr := s.loadLibrary(r, v, "", "")
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	lp.Error = itemsError{Form: form, Message: msg, Rule: e.Rule, Field: e.Field}
	s.render(w, r, status, "library", lp)
}

// ErrorFor returns the error of the forms of a practice, or "".
func (p *libraryPage) ErrorFor(practiceID int64) string {
	if p.Error.Form == "reuse-"+strconv.FormatInt(practiceID, 10) {
		return p.Error.Message
	}
	return ""
}

// spaceItems is the summary of a team space's open items on its page.
type spaceItems struct {
	Show     bool
	Tasks    []*relais.Task
	Problems []*relais.Problem
}

// maxSpaceItems bounds the items listed on a space's page.
const maxSpaceItems = 5

// loadSpaceItems fills the open tasks and problems of a space's page: a
// team space whose threads the person reads.
func (s *Server) loadSpaceItems(r *http.Request, sp *spacePage) error {
	sv := sp.Space
	if !sv.Can.Read.Allowed() || sv.Kind != relais.SpaceTeam {
		return nil
	}
	it := &sp.Items
	it.Show = true
	var err error
	if it.Tasks, err = s.App.SpaceTasks(r.Context(), sp.User, sv.ID, relais.TasksOpen); err != nil {
		return err
	}
	if it.Problems, err = s.App.Problems(r.Context(), sp.User, sv.ID, relais.ProblemOpen); err != nil {
		return err
	}
	if len(it.Tasks) > maxSpaceItems {
		it.Tasks = it.Tasks[:maxSpaceItems]
	}
	if len(it.Problems) > maxSpaceItems {
		it.Problems = it.Problems[:maxSpaceItems]
	}
	return nil
}
