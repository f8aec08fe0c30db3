package store_test

import (
	"testing"

	"relais"
	"relais/store"
)

func TestProblemsStore(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		o := newTeamOrg(t, s)
		p := &relais.Post{SpaceID: o.space.ID, AuthorID: o.member.ID, Kind: relais.KindProblem, Title: "Imprimante", Body: "En panne", Status: relais.StatusPublished}
		if err := s.CreatePost(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		answer := newReply(t, s, p, o.manager.ID, relais.StatusPublished, "Redémarre-la")
		elsewhere := newReply(t, s, o.post, o.manager.ID, relais.StatusPublished, "Ailleurs")
		pending := newReply(t, s, p, o.manager.ID, relais.StatusPendingApproval, "En attente")

		got, err := s.Problem(t.Context(), p.ID)
		if err != nil || got.Status != relais.ProblemOpen || got.SolutionReplyID != 0 {
			t.Fatalf("new problem %+v, %v", got, err)
		}
		wantCode(t, s.MarkSolution(t.Context(), p.ID, elsewhere.ID, o.member.ID), relais.ENOTFOUND)
		wantCode(t, s.MarkSolution(t.Context(), p.ID, pending.ID, o.member.ID), relais.ENOTFOUND)
		wantCode(t, s.MarkSolution(t.Context(), o.post.ID, elsewhere.ID, o.member.ID), relais.EUNPROCESSABLE)
		wantCode(t, s.Reopen(t.Context(), p.ID, 0), relais.ECONFLICT)

		if err := s.MarkSolution(t.Context(), p.ID, answer.ID, o.member.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.MarkSolution(t.Context(), p.ID, answer.ID, o.member.ID), relais.ECONFLICT)
		got, _ = s.Problem(t.Context(), p.ID)
		if got.Status != relais.ProblemSolved || got.SolutionReplyID != answer.ID || got.SolvedBy != o.member.ID ||
			got.SolutionAuthor != "Name of manager" || got.SolvedAt == nil {
			t.Fatalf("solved %+v", got)
		}
		ns := notificationsOf(t, s, o.manager.ID)
		if len(ns) != 1 || ns[0].Kind != relais.NotifyProblemSolved || ns[0].SubjectID != answer.ID || ns[0].PostID != p.ID {
			t.Fatalf("reply author's notifications %+v", ns)
		}
		for status, want := range map[relais.ProblemStatus]int{relais.ProblemOpen: 0, relais.ProblemSolved: 1} {
			ps, err := s.Problems(t.Context(), o.space.ID, status, 0)
			if err != nil || len(ps) != want {
				t.Errorf("%s problems %+v, %v", status, ps, err)
			}
		}
		if err := s.Reopen(t.Context(), p.ID, 0); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Problem(t.Context(), p.ID)
		if got.Status != relais.ProblemOpen || got.SolvedAt != nil {
			t.Fatalf("reopened %+v", got)
		}
		_, err = s.Problem(t.Context(), o.post.ID)
		wantCode(t, err, relais.ENOTFOUND)
	})
}
