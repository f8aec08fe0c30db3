package store_test

import (
	"testing"

	"relais"
	"relais/store"
)

// teamOrg is a team space with its manager, a member and a post.
type teamOrg struct {
	manager, member *relais.User
	space           *relais.Space
	post            *relais.Post
}

func newTeamOrg(t *testing.T, s *store.Store) *teamOrg {
	t.Helper()
	o := &teamOrg{manager: newUser(t, s, "manager"), member: newUser(t, s, "member")}
	team := newTeam(t, s, "Support", o.manager.ID, o.member.ID)
	o.space = newTeamSpace(t, s, "Support", team.ID)
	o.post = newPost(t, s, o.space.ID, o.member.ID, relais.StatusPublished, "Priorités", "Pour cette semaine")
	return o
}

func TestTasksStore(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		o := newTeamOrg(t, s)
		r := newReply(t, s, o.post, o.manager.ID, relais.StatusPublished, "Je m'en occupe")
		k := &relais.Task{SpaceID: o.space.ID, PostID: o.post.ID, ReplyID: r.ID, Title: "Appeler le client", OwnerID: o.member.ID,
			DueOn: "2020-01-02", CreatedBy: o.manager.ID}
		if err := s.CreateTask(t.Context(), k); err != nil {
			t.Fatal(err)
		}
		got, err := s.TaskByID(t.Context(), k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != k.Title || got.OwnerLogin != "member" || got.PostTitle != "Priorités" || got.SpaceName != "Support" ||
			got.ReplyID != r.ID || got.Done || !got.Overdue || !got.CreatedAt.Equal(k.CreatedAt) {
			t.Fatalf("task %+v", got)
		}
		ns := notificationsOf(t, s, o.member.ID)
		if len(ns) != 1 || ns[0].Kind != relais.NotifyTaskAssigned || ns[0].SubjectID != k.ID || ns[0].Detail != k.Title {
			t.Fatalf("owner's notifications %+v", ns)
		}
		// A task one gives oneself tells nobody.
		own := &relais.Task{SpaceID: o.space.ID, PostID: o.post.ID, Title: "Relire", OwnerID: o.manager.ID, CreatedBy: o.manager.ID}
		if err := s.CreateTask(t.Context(), own); err != nil {
			t.Fatal(err)
		}
		if ns := notificationsOf(t, s, o.manager.ID); len(ns) != 0 {
			t.Errorf("manager's notifications %+v", ns)
		}

		// Open tasks come by due date, undated last.
		open, err := s.Tasks(t.Context(), store.TaskFilter{SpaceID: o.space.ID, Status: relais.TasksOpen})
		if err != nil || len(open) != 2 || open[0].ID != k.ID || open[1].ID != own.ID {
			t.Fatalf("open tasks %+v, %v", open, err)
		}

		done, title := true, "Appeler le client Durand"
		if err := s.UpdateTask(t.Context(), k.ID, o.member.ID, store.TaskUpdate{Done: &done, Title: &title}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.TaskByID(t.Context(), k.ID)
		if !got.Done || got.DoneAt == nil || got.DoneByID != o.member.ID || got.Overdue || got.Title != title {
			t.Fatalf("after done %+v", got)
		}
		for status, want := range map[relais.TaskStatus]int{relais.TasksOpen: 1, relais.TasksDone: 1, relais.TasksAll: 2} {
			ts, err := s.Tasks(t.Context(), store.TaskFilter{SpaceID: o.space.ID, Status: status})
			if err != nil || len(ts) != want {
				t.Errorf("status %s: %d tasks, want %d (%v)", status, len(ts), want, err)
			}
		}
		// Reassigned, the new owner is told; undone, it is open again.
		notDone, due := false, ""
		if err := s.UpdateTask(t.Context(), k.ID, o.member.ID, store.TaskUpdate{Done: &notDone, OwnerID: o.manager.ID, DueOn: &due}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.TaskByID(t.Context(), k.ID)
		if got.Done || got.DoneAt != nil || got.OwnerID != o.manager.ID || got.DueOn != "" {
			t.Fatalf("after reassigning %+v", got)
		}
		if ns := notificationsOf(t, s, o.manager.ID); len(ns) != 1 || ns[0].Kind != relais.NotifyTaskAssigned {
			t.Errorf("new owner's notifications %+v", ns)
		}
		// The owner's tasks, limited to the spaces given.
		mine, err := s.Tasks(t.Context(), store.TaskFilter{OwnerID: o.manager.ID, SpaceIDs: []int64{}, Status: relais.TasksOpen})
		if err != nil || len(mine) != 0 {
			t.Errorf("tasks in no space %+v, %v", mine, err)
		}
		mine, err = s.Tasks(t.Context(), store.TaskFilter{OwnerID: o.manager.ID, SpaceIDs: []int64{o.space.ID}, Status: relais.TasksOpen})
		if err != nil || len(mine) != 2 {
			t.Errorf("manager's open tasks %+v, %v", mine, err)
		}
		_, err = s.TaskByID(t.Context(), 999999)
		wantCode(t, err, relais.ENOTFOUND)
		wantCode(t, s.UpdateTask(t.Context(), 999999, o.member.ID, store.TaskUpdate{Done: &done}), relais.ENOTFOUND)
	})
}
