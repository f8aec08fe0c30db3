package app

import (
	"context"

	"relais"
	"relais/policy"
	"relais/store"
)

// Actionable items of a thread: coordination tasks (team spaces) and the
// solution of a problem.

func taskNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Task not found.", MessageFR: "Tâche introuvable."}
}

// taskOwner finds the account named owner of a task in a space: a member
// of the team or its manager, else a precise 422.
func (s *Service) taskOwner(ctx context.Context, spaceID int64, login string) (*relais.User, error) {
	o, err := s.Store.UserByLogin(ctx, login)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "owner_login", Rule: policy.RuleTaskTeams,
			Message:   "No account has the login «" + login + "»: the owner of a task is a member of the team or its manager.",
			MessageFR: "Aucun compte n'a l'identifiant « " + login + " » : le responsable d'une tâche est un membre de l'équipe ou son manager."}
	} else if err != nil {
		return nil, err
	}
	_, rel, err := s.Store.SpaceAndRelation(ctx, spaceID, o.ID)
	if err != nil {
		return nil, err
	}
	if !rel.Member {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "owner_login", Rule: policy.RuleTaskTeams,
			Message:   o.Name + " is not a member of this team: the owner of a task is a member of the team or its manager.",
			MessageFR: o.Name + " n'est pas membre de cette équipe : le responsable d'une tâche est un membre de l'équipe ou son manager."}
	}
	return o, nil
}

// CreateTask turns a post, or one of its replies, into a coordination task
// with an owner and an optional due date. The owner is told in the app.
func (s *Service) CreateTask(ctx context.Context, u *relais.User, postID int64, in relais.NewTask) (*relais.Task, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Tasks.Err(); err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This post is not published: a task comes from a published thread.",
			MessageFR: "Ce message n'est pas publié : une tâche naît d'un fil publié."}
	}
	if in.ReplyID != 0 {
		r, err := s.Store.ReplyByID(ctx, in.ReplyID)
		if relais.ErrorCode(err) == relais.ENOTFOUND || (err == nil && (r.PostID != postID || r.Status != relais.StatusPublished)) {
			return nil, &relais.Error{Code: relais.ENOTFOUND, Field: "reply_id", Message: "This reply is not a reply of this post.",
				MessageFR: "Cette réponse n'est pas une réponse à ce message."}
		} else if err != nil {
			return nil, err
		}
	}
	owner, err := s.taskOwner(ctx, p.SpaceID, in.OwnerLogin)
	if err != nil {
		return nil, err
	}
	k := &relais.Task{SpaceID: p.SpaceID, PostID: postID, ReplyID: in.ReplyID, Title: in.Title, OwnerID: owner.ID, DueOn: in.DueOn, CreatedBy: u.ID}
	if err := s.Store.CreateTask(ctx, k); err != nil {
		return nil, err
	}
	return s.Store.TaskByID(ctx, k.ID)
}

// taskFor loads a task of a space the actor may read, with the decision on
// managing it; a task the actor may not read does not exist for them.
func (s *Service) taskFor(ctx context.Context, u *relais.User, id int64) (*relais.Task, *SpaceView, error) {
	k, err := s.Store.TaskByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.loadSpaceView(ctx, u, k.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	if !v.Can.Read.Allowed() {
		return nil, nil, taskNotFound()
	}
	return k, v, nil
}

// Task returns one task of a space the actor may read.
func (s *Service) Task(ctx context.Context, u *relais.User, id int64) (*relais.Task, error) {
	k, _, err := s.taskFor(ctx, u, id)
	return k, err
}

// UpdateTask renames, reassigns, reschedules a task or marks it done (or
// not done). A new owner is told in the app.
func (s *Service) UpdateTask(ctx context.Context, u *relais.User, id int64, c relais.TaskChange) (*relais.Task, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	k, v, err := s.taskFor(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Tasks.Err(); err != nil {
		return nil, err
	}
	up := store.TaskUpdate{Title: c.Title, DueOn: c.DueOn, Done: c.Done}
	if c.OwnerLogin != nil {
		o, err := s.taskOwner(ctx, k.SpaceID, *c.OwnerLogin)
		if err != nil {
			return nil, err
		}
		up.OwnerID = o.ID
	}
	if err := s.Store.UpdateTask(ctx, id, u.ID, up); err != nil {
		return nil, err
	}
	return s.Store.TaskByID(ctx, id)
}

// SpaceTasks returns the tasks of a space whose threads the actor may
// read.
func (s *Service) SpaceTasks(ctx context.Context, u *relais.User, spaceID int64, status relais.TaskStatus) ([]*relais.Task, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	return s.Store.Tasks(ctx, store.TaskFilter{SpaceID: spaceID, Status: status})
}

// PostTasks returns the tasks born from a thread the actor may read.
func (s *Service) PostTasks(ctx context.Context, u *relais.User, postID int64) ([]*relais.Task, error) {
	if _, _, err := s.visiblePost(ctx, u, postID); err != nil {
		return nil, err
	}
	return s.Store.Tasks(ctx, store.TaskFilter{PostID: postID, Status: relais.TasksAll})
}

// MyTasks returns the actor's open tasks in the spaces they may still
// read: who left a team no longer sees its tasks.
func (s *Service) MyTasks(ctx context.Context, u *relais.User) ([]*relais.Task, error) {
	ids, err := s.readableSpaceIDs(ctx, u)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []int64{}
	}
	return s.Store.Tasks(ctx, store.TaskFilter{OwnerID: u.ID, SpaceIDs: ids, Status: relais.TasksOpen})
}

// TaskOwners returns the people who may own a task in a space: its
// members (the team and its manager), for a select.
func (s *Service) TaskOwners(ctx context.Context, u *relais.User, spaceID int64) ([]relais.Member, error) {
	return s.Members(ctx, u, spaceID)
}

// solveDecision is the policy's answer on marking the solution of a post
// the actor may read.
func solveDecision(u *relais.User, v *SpaceView, p *relais.Post) policy.Decision {
	t := target(v.Space, v.Relation)
	t.Author = p.AuthorID == u.ID
	return policy.Decide(policy.ActorOf(u), policy.SolveProblem, t)
}

// CanSolve reports the policy's answer on marking the solution of a post
// for the actor, for a page that shows the button.
func (s *Service) CanSolve(u *relais.User, v *SpaceView, p *relais.Post) policy.Decision {
	return solveDecision(u, v, p)
}

// solvable loads a problem the actor may read and may solve.
func (s *Service) solvable(ctx context.Context, u *relais.User, postID int64) (*relais.Post, error) {
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if p.Kind != relais.KindProblem {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "Only a post of kind problem has a solution.",
			MessageFR: "Seul un message de type problème a une solution."}
	}
	if err := solveDecision(u, v, p).Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// MarkSolution marks the reply that solves a problem; its author is told
// their answer solved it.
func (s *Service) MarkSolution(ctx context.Context, u *relais.User, postID, replyID int64) (*relais.Problem, error) {
	if replyID <= 0 {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "reply_id", Message: "reply_id must be a positive integer.", MessageFR: "reply_id doit être un entier positif."}
	}
	if _, err := s.solvable(ctx, u, postID); err != nil {
		return nil, err
	}
	if err := s.Store.MarkSolution(ctx, postID, replyID, u.ID); err != nil {
		return nil, err
	}
	return s.Store.Problem(ctx, postID)
}

// ReopenProblem takes back the solution of a problem: it is open again.
func (s *Service) ReopenProblem(ctx context.Context, u *relais.User, postID int64) (*relais.Problem, error) {
	if _, err := s.solvable(ctx, u, postID); err != nil {
		return nil, err
	}
	if err := s.Store.Reopen(ctx, postID, u.ID); err != nil {
		return nil, err
	}
	return s.Store.Problem(ctx, postID)
}

// Problem returns where a problem the actor may read stands; nil for a
// post of another kind.
func (s *Service) Problem(ctx context.Context, u *relais.User, postID int64) (*relais.Problem, error) {
	p, _, err := s.visiblePost(ctx, u, postID)
	if err != nil || p.Kind != relais.KindProblem {
		return nil, err
	}
	return s.Store.Problem(ctx, postID)
}

// Problems returns the problems of a space the actor may read, open or
// solved.
func (s *Service) Problems(ctx context.Context, u *relais.User, spaceID int64, status relais.ProblemStatus) ([]*relais.Problem, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	return s.Store.Problems(ctx, spaceID, status, 0)
}
