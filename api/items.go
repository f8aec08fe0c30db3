package api

import (
	"net/http"

	"relais"
	"relais/app"
)

// itemRoutes are the routes of the actionable items: coordination tasks,
// solved problems and the best-practice library.
func (s *Server) itemRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/posts/{id}/tasks", Auth: true, Summary: "Turn a post of a team space, or one of its replies (reply_id), into a coordination task with an owner (a member of the team or its manager) and a due date", Request: "NewTask", Response: "Task", Status: 201, handle: s.createTask},
		{Method: "GET", Path: "/api/v1/posts/{id}/tasks", Auth: true, Summary: "The tasks born from a thread", Response: "TaskList", Status: 200, handle: s.postTasks},
		{Method: "GET", Path: "/api/v1/spaces/{id}/tasks", Query: []string{"status"}, Auth: true, Summary: "The tasks of a space: open (default, by due date), done or all", Response: "TaskList", Status: 200, handle: s.spaceTasks},
		{Method: "GET", Path: "/api/v1/me/tasks", Auth: true, Summary: "The caller's open tasks, in the spaces they may still read", Response: "TaskList", Status: 200, handle: s.myTasks},
		{Method: "GET", Path: "/api/v1/tasks/{id}", Auth: true, Summary: "One task", Response: "Task", Status: 200, handle: s.task},
		{Method: "PATCH", Path: "/api/v1/tasks/{id}", Auth: true, Summary: "Rename, reassign (owner_login), reschedule (due_on, \"\" for none) or mark done a task (members of the team)", Request: "TaskChange", Response: "Task", Status: 200, handle: s.updateTask},
		{Method: "POST", Path: "/api/v1/posts/{id}/solution", Auth: true, Summary: "Mark the reply that solves a problem (its author, the team's manager, an internal steward); the reply's author is told", Request: "Solution", Response: "Problem", Status: 200, handle: s.markSolution},
		{Method: "DELETE", Path: "/api/v1/posts/{id}/solution", Auth: true, Summary: "Reopen a solved problem", Response: "Problem", Status: 200, handle: s.reopenProblem},
		{Method: "GET", Path: "/api/v1/spaces/{id}/problems", Query: []string{"status"}, Auth: true, Summary: "The problems of a space: open (default) or solved", Response: "ProblemList", Status: 200, handle: s.problems},
		{Method: "POST", Path: "/api/v1/posts/{id}/practice", Auth: true, Summary: "Add a post to the best-practice library with a title, a summary and tags: the space's consent to its reuse (a team's manager, an internal steward)", Request: "NewPractice", Response: "Practice", Status: 201, handle: s.sharePractice},
		{Method: "GET", Path: "/api/v1/practices", Query: []string{"q", "tag"}, Auth: true, Summary: "Search the best-practice library (employees): title, summary and tags, whatever the case and accents", Response: "Library", Status: 200, handle: s.library},
		{Method: "GET", Path: "/api/v1/practices/{id}", Auth: true, Summary: "One practice of the library", Response: "Practice", Status: 200, handle: s.practice},
		{Method: "DELETE", Path: "/api/v1/practices/{id}", Auth: true, Summary: "Withdraw a practice from the library (who may share it)", Status: 204, handle: s.withdrawPractice},
		{Method: "POST", Path: "/api/v1/practices/{id}/reuse", Auth: true, Summary: "Reuse a practice in a space where the caller may post: a best_practice thread opens there (pending approval in co-pilot)", Request: "Reuse", Response: "Post", Status: 201, handle: s.reusePractice},
	}
}

func taskList(ts []*relais.Task) map[string]any {
	if ts == nil {
		ts = []*relais.Task{}
	}
	return map[string]any{"tasks": ts}
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		ReplyID    int64   `json:"reply_id"`
		Title      *string `json:"title"`
		OwnerLogin *string `json:"owner_login"`
		DueOn      string  `json:"due_on"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Title == nil:
		return required("title")
	case in.OwnerLogin == nil:
		return required("owner_login")
	}
	k, err := s.App.CreateTask(r.Context(), u, id, relais.NewTask{ReplyID: in.ReplyID, Title: *in.Title, OwnerLogin: *in.OwnerLogin, DueOn: in.DueOn})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, k)
	return nil
}

func (s *Server) postTasks(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ts, err := s.App.PostTasks(r.Context(), u, id)
	return writeResult(w, taskList(ts), err)
}

func (s *Server) spaceTasks(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	status, err := relais.ParseTaskStatus(r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	ts, err := s.App.SpaceTasks(r.Context(), u, id, status)
	return writeResult(w, taskList(ts), err)
}

func (s *Server) myTasks(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	ts, err := s.App.MyTasks(r.Context(), u)
	return writeResult(w, taskList(ts), err)
}

func (s *Server) task(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	k, err := s.App.Task(r.Context(), u, id)
	return writeResult(w, k, err)
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in relais.TaskChange
	if err := decode(w, r, &in); err != nil {
		return err
	}
	k, err := s.App.UpdateTask(r.Context(), u, id, in)
	return writeResult(w, k, err)
}

func (s *Server) markSolution(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		ReplyID *int64 `json:"reply_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.ReplyID == nil {
		return required("reply_id")
	}
	p, err := s.App.MarkSolution(r.Context(), u, id, *in.ReplyID)
	return writeResult(w, p, err)
}

func (s *Server) reopenProblem(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	p, err := s.App.ReopenProblem(r.Context(), u, id)
	return writeResult(w, p, err)
}

func (s *Server) problems(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	status, err := relais.ParseProblemStatus(r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	ps, err := s.App.Problems(r.Context(), u, id, status)
	if ps == nil {
		ps = []*relais.Problem{}
	}
	return writeResult(w, map[string]any{"problems": ps}, err)
}

func (s *Server) sharePractice(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Title   *string  `json:"title"`
		Summary *string  `json:"summary"`
		Tags    []string `json:"tags"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Title == nil:
		return required("title")
	case in.Summary == nil:
		return required("summary")
	}
	p, err := s.App.SharePractice(r.Context(), u, id, relais.NewPractice{Title: *in.Title, Summary: *in.Summary, Tags: in.Tags})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) library(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	q := r.URL.Query()
	lib, err := s.App.SearchLibrary(r.Context(), u, q.Get("q"), q.Get("tag"))
	if err == nil && lib.Practices == nil {
		lib.Practices = []*app.LibraryEntry{}
	}
	return writeResult(w, lib, err)
}

func (s *Server) practice(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.App.Practice(r.Context(), u, id)
	return writeResult(w, p, err)
}

func (s *Server) withdrawPractice(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.WithdrawPractice(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) reusePractice(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		SpaceID *int64 `json:"space_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.SpaceID == nil {
		return required("space_id")
	}
	p, err := s.App.ReusePractice(r.Context(), u, id, *in.SpaceID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newPostView(p))
	return nil
}

func init() {
	addSchemas(itemSchemas)
	for name, schema := range map[string]any{
		"status": map[string]any{"type": "string", "description": "tasks: open (default), done or all; problems: open (default) or solved"},
		"tag":    map[string]any{"type": "string", "maxLength": 200, "description": "keep the practices with this tag"},
	} {
		if _, ok := queryParamSchema[name]; !ok {
			queryParamSchema[name] = schema
		}
	}
	// A thread of kind problem says where it stands.
	if th, ok := schemas["Thread"].(map[string]any); ok {
		if props, ok := th["properties"].(map[string]any); ok {
			props["problem"] = ref("Problem")
		}
	}
}

var (
	itDate  = map[string]any{"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", "description": "YYYY-MM-DD, empty for none"}
	itTitle = map[string]any{"type": "string", "minLength": 1, "maxLength": 200}
)

var itemSchemas = map[string]any{
	"NewTask":    obj([]string{"title", "owner_login"}, map[string]any{"reply_id": integer, "title": itTitle, "owner_login": str, "due_on": itDate}),
	"TaskChange": obj(nil, map[string]any{"title": itTitle, "owner_login": str, "due_on": itDate, "done": boolean}),
	"Task": obj([]string{"id", "space_id", "post_id", "title", "owner_id", "owner_login", "done", "overdue"}, map[string]any{
		"id": integer, "space_id": integer, "space_name": str, "post_id": integer, "post_title": str, "reply_id": integer,
		"title": str, "owner_id": integer, "owner_login": str, "owner_name": str, "due_on": itDate, "done": boolean,
		"done_at": instant, "done_by": integer, "done_by_name": str, "created_by": integer, "created_by_name": str,
		"created_at": instant, "overdue": boolean}),
	"TaskList": obj([]string{"tasks"}, map[string]any{"tasks": array(ref("Task"))}),
	"Solution": obj([]string{"reply_id"}, map[string]any{"reply_id": integer}),
	"Problem": obj([]string{"post_id", "space_id", "status"}, map[string]any{
		"post_id": integer, "space_id": integer, "title": str, "author_id": integer, "author_name": str,
		"status": enum("open", "solved"), "solution_reply_id": integer, "solution_author": str, "solved_by": integer,
		"solved_by_name": str, "solved_at": instant, "reply_count": integer, "created_at": instant}),
	"ProblemList": obj([]string{"problems"}, map[string]any{"problems": array(ref("Problem"))}),
	"NewPractice": obj([]string{"title", "summary"}, map[string]any{"title": itTitle,
		"summary": map[string]any{"type": "string", "minLength": 1, "maxLength": 2000, "description": "what the space consents to share; the thread itself is never shown"},
		"tags":    map[string]any{"type": "array", "maxItems": 10, "items": map[string]any{"type": "string", "maxLength": 40}}}),
	"Practice": obj([]string{"id", "space_name", "space_kind", "title", "summary", "tags", "reuses"}, map[string]any{
		"id": integer, "space_id": integer, "space_name": str, "space_kind": enum("community", "team"), "title": str, "summary": str,
		"tags": array(str), "shared_at": instant, "reuses": integer,
		"source_post_id": map[string]any{"type": "integer", "description": "the thread it comes from, only for who may read it"},
		"can_withdraw":   boolean}),
	"Library": obj([]string{"practices", "tags"}, map[string]any{"practices": array(ref("Practice")), "query": str, "tag": str,
		"tags": array(obj([]string{"tag", "count"}, map[string]any{"tag": str, "count": integer}))}),
	"Reuse": obj([]string{"space_id"}, map[string]any{"space_id": integer}),
}
