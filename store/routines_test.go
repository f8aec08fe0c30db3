package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// newRoutine starts a weekly routine in a team space, due first at due.
func newRoutine(t *testing.T, s *store.Store, spaceID, managerID int64, title string, due time.Time) *relais.Routine {
	t.Helper()
	tpl, _ := relais.RoutineTemplateByCode("weekly_priorities")
	r := &relais.Routine{SpaceID: spaceID, Template: tpl.Code, Lang: "fr", Kind: tpl.Kind, Title: title, Prompt: tpl.PromptFR,
		Fields: tpl.Fields, Schedule: "weekly mon 09:00", TimeZone: "Europe/Paris", Replaces: "la réunion du lundi",
		Status: relais.RoutineActive, NextRunAt: &due, CreatedBy: managerID}
	if err := s.CreateRoutine(t.Context(), r); err != nil {
		t.Fatalf("CreateRoutine %q: %v", title, err)
	}
	return r
}

// monday is a Monday at 09:00 in Paris, a slot of "weekly mon 09:00".
var monday = time.Date(2025, 11, 24, 8, 0, 0, 0, time.UTC)

func TestRoutinePrompts(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		marc, paul, lea := newUser(t, s, "marc"), newUser(t, s, "paul"), newUser(t, s, "lea")
		team := newTeam(t, s, "Support", marc.ID, paul.ID, lea.ID)
		sp := newTeamSpace(t, s, "Support", team.ID)
		r := newRoutine(t, s, sp.ID, marc.ID, "Priorités de la semaine", monday)

		got, err := s.RoutineByID(ctx, r.ID)
		if err != nil || got.Title != r.Title || len(got.Fields) != 3 || got.NextRunAt == nil || !got.NextRunAt.Equal(monday) ||
			got.Replaces != "la réunion du lundi" || got.Runs != 0 {
			t.Fatalf("RoutineByID = %+v, %v", got, err)
		}
		// Not due yet.
		if ps, err := s.PostDueRoutines(ctx, monday.Add(-time.Minute), 0); err != nil || len(ps) != 0 {
			t.Fatalf("before its time: %v, %v", ps, err)
		}
		ps, err := s.PostDueRoutines(ctx, monday.Add(time.Minute), 0)
		if err != nil || len(ps) != 1 {
			t.Fatalf("PostDueRoutines = %v, %v; want one prompt", ps, err)
		}
		p := ps[0].Post
		if p.AuthorID != marc.ID || p.Kind != relais.KindCoordination || p.Title != "Priorités de la semaine — lundi 24 novembre 2025" ||
			!ps[0].DueAt.Equal(monday) || !slices.Equal(ps[0].Notified, []int64{paul.ID, lea.ID}) {
			t.Errorf("prompt = %+v %+v", ps[0], p)
		}
		if again, err := s.PostDueRoutines(ctx, monday.Add(2*time.Minute), 0); err != nil || len(again) != 0 {
			t.Errorf("a second pass = %v, %v; want nothing", again, err)
		}
		got, _ = s.RoutineByID(ctx, r.ID)
		if got.Runs != 1 || got.LastPostID != p.ID || !got.NextRunAt.Equal(monday.Add(7*24*time.Hour)) {
			t.Errorf("after the prompt: runs %d, last %d, next %v", got.Runs, got.LastPostID, got.NextRunAt)
		}
		if of, err := s.RoutineOfPost(ctx, p.ID); err != nil || of.ID != r.ID {
			t.Errorf("RoutineOfPost = %v, %v", of, err)
		}
		other := newPost(t, s, sp.ID, paul.ID, relais.StatusPublished, "Autre", "fil")
		_, err = s.RoutineOfPost(ctx, other.ID)
		wantCode(t, err, relais.ENOTFOUND)
		ns, err := s.Notifications(ctx, paul.ID, 0, 10)
		if err != nil || len(ns) != 1 || ns[0].Kind != relais.NotifyRoutinePrompt || ns[0].PostID != p.ID || ns[0].SubjectID != r.ID {
			t.Errorf("paul's notifications = %+v, %v", ns, err)
		}
		if ns, _ := s.Notifications(ctx, marc.ID, 0, 10); len(ns) != 0 {
			t.Errorf("the manager is notified of their own prompt: %+v", ns)
		}

		// An answer: a reply and its fields, in one transaction.
		rep := &relais.Reply{PostID: p.ID, AuthorID: paul.ID, Body: "**Mes priorités** : tickets", Status: relais.StatusPublished}
		if err := s.AnswerRoutine(ctx, rep, sp.ID, r.ID, map[string]string{"priorities": "tickets"}); err != nil {
			t.Fatal(err)
		}
		as, err := s.RoutineAnswers(ctx, p.ID, lea.ID)
		if err != nil || len(as) != 1 || as[0].ReplyID != rep.ID || as[0].Fields["priorities"] != "tickets" || as[0].AuthorName != paul.Name {
			t.Errorf("RoutineAnswers = %+v, %v", as, err)
		}
		if post, _ := s.PostByID(ctx, p.ID); post.ReplyCount != 1 {
			t.Errorf("reply count = %d, want 1", post.ReplyCount)
		}
		// Answered, the prompt's notification is gone; lea's stays.
		if ns, _ := s.Notifications(ctx, paul.ID, 0, 10); len(ns) != 0 {
			t.Errorf("paul's notifications after answering = %+v", ns)
		}
		if ns, _ := s.Notifications(ctx, lea.ID, 0, 10); len(ns) != 1 {
			t.Errorf("lea's notifications = %+v", ns)
		}

		// Weeks without a node: one prompt, for the latest slot, then the
		// next slot to come.
		late := monday.Add(5*7*24*time.Hour + 3*24*time.Hour)
		ps, err = s.PostDueRoutines(ctx, late, 0)
		if err != nil || len(ps) != 1 || !ps[0].DueAt.Equal(monday.Add(5*7*24*time.Hour)) {
			t.Fatalf("overdue: %+v, %v; want one prompt for the latest Monday", ps, err)
		}
		got, _ = s.RoutineByID(ctx, r.ID)
		if got.Runs != 2 || !got.NextRunAt.Equal(monday.Add(6*7*24*time.Hour)) {
			t.Errorf("after weeks down: runs %d, next %v", got.Runs, got.NextRunAt)
		}

		// An edit that read the routine before the last claim and puts its
		// older next run back: the slot is not posted twice, the routine
		// moves on.
		stale := *got
		stale.NextRunAt = &ps[0].DueAt
		if err := s.UpdateRoutine(ctx, &stale, marc.ID, true); err != nil {
			t.Fatal(err)
		}
		if again, err := s.PostDueRoutines(ctx, late, 0); err != nil || len(again) != 0 {
			t.Errorf("a slot put back = %v, %v; want nothing posted", again, err)
		}
		got, _ = s.RoutineByID(ctx, r.ID)
		if got.Runs != 2 || !got.NextRunAt.Equal(monday.Add(6*7*24*time.Hour)) {
			t.Errorf("after the slot put back: runs %d, next %v", got.Runs, got.NextRunAt)
		}
		// Without setNext, an edit keeps the next run the database holds.
		stale.Title = "Priorités"
		if err := s.UpdateRoutine(ctx, &stale, marc.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.RoutineByID(ctx, r.ID); got.Title != "Priorités" || !got.NextRunAt.Equal(monday.Add(6*7*24*time.Hour)) {
			t.Errorf("an edit of the title moved the next run: %+v", got)
		}

		// Paused: nothing posted; the edit is audited.
		got.Status, got.NextRunAt = relais.RoutinePaused, nil
		if err := s.UpdateRoutine(ctx, got, marc.ID, true); err != nil {
			t.Fatal(err)
		}
		if ps, err := s.PostDueRoutines(ctx, late.Add(30*24*time.Hour), 0); err != nil || len(ps) != 0 {
			t.Errorf("a paused routine posted: %v, %v", ps, err)
		}
		if auditEntry(t, s, relais.AuditRoutinePaused, r.ID) == nil {
			t.Error("pausing the routine left no audit entry")
		}

		// A team without manager: the routine pauses with the reason.
		next := monday.Add(10 * 7 * 24 * time.Hour)
		got.Status, got.NextRunAt = relais.RoutineActive, &next
		if err := s.UpdateRoutine(ctx, got, marc.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.DeactivateUser(ctx, 0, marc.ID, "left"); err != nil {
			t.Fatal(err)
		}
		if ps, err := s.PostDueRoutines(ctx, next.Add(time.Minute), 0); err != nil || len(ps) != 0 {
			t.Errorf("a team without manager got a prompt: %v, %v", ps, err)
		}
		got, _ = s.RoutineByID(ctx, r.ID)
		if got.Status != relais.RoutinePaused || got.PauseReason == "" || got.NextRunAt != nil || got.Runs != 2 {
			t.Errorf("without manager: %+v", got)
		}
		rs, err := s.Routines(ctx, sp.ID)
		if err != nil || len(rs) != 1 || rs[0].ID != r.ID {
			t.Errorf("Routines = %v, %v", rs, err)
		}
		runs, err := s.RoutineRuns(ctx, r.ID, 0)
		if err != nil || len(runs) != 2 || runs[0].DueAt.Before(runs[1].DueAt) {
			t.Errorf("RoutineRuns = %+v, %v", runs, err)
		}
	})
}

// Several nodes share one PostgreSQL database, each with its scheduler:
// every routine posts each prompt exactly once, whoever posts it. On
// SQLite the single node runs its scheduler from two goroutines.
func TestPostDueRoutinesExactlyOnceAcrossNodes(t *testing.T) {
	t.Parallel()
	engines := testdb.Engines(t) // fails in CI without PostgreSQL
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			if !slices.Contains(engines, engine) {
				t.Skipf("posting routines from several nodes needs PostgreSQL: set %s to a server URL, "+
					"e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run this test", testdb.EnvPostgres)
			}
			url := testdb.URL(t, engine)
			var nodes []*store.Store
			for range map[string]int{"sqlite": 1, "postgres": 2}[engine] {
				s, err := store.Open(t.Context(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				nodes = append(nodes, s)
			}
			if _, err := nodes[0].Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			routinesOnce(t, nodes, map[string]int{"sqlite": 2, "postgres": 4}[engine])
		})
	}
}

// routinesOnce starts routines in several teams, then for three weeks in a
// row runs the schedulers of every node at once, from workers goroutines
// each, and checks that each routine posted one prompt a week.
func routinesOnce(t *testing.T, nodes []*store.Store, workers int) {
	ctx := t.Context()
	s := nodes[0]
	const teams, perTeam = 10, 12
	all := map[int64]*relais.Routine{}
	for i := range teams {
		m := newUser(t, s, fmt.Sprintf("manager%d", i))
		member := newUser(t, s, fmt.Sprintf("member%d", i))
		team := newTeam(t, s, fmt.Sprintf("Team %d", i), m.ID, member.ID)
		sp := newTeamSpace(t, s, fmt.Sprintf("Team %d", i), team.ID)
		for j := range perTeam {
			r := newRoutine(t, s, sp.ID, m.ID, fmt.Sprintf("Routine %d.%d", i, j), monday)
			all[r.ID] = r
		}
	}
	posts := map[int64][]int64{} // routine -> post ids returned
	for week := range 3 {
		now := monday.Add(time.Duration(week)*7*24*time.Hour + time.Hour)
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for n, node := range nodes {
			for w := range workers {
				wg.Go(func() {
					<-start
					for {
						ps, err := node.PostDueRoutines(ctx, now, 7)
						if err != nil {
							t.Errorf("node %d worker %d: PostDueRoutines: %v", n, w, err)
							return
						}
						mu.Lock()
						for _, p := range ps {
							posts[p.RoutineID] = append(posts[p.RoutineID], p.Post.ID)
						}
						mu.Unlock()
						if len(ps) > 0 {
							continue
						}
						next, err := node.NextRoutineDue(ctx)
						if err != nil {
							t.Errorf("node %d worker %d: NextRoutineDue: %v", n, w, err)
							return
						}
						if next.IsZero() || next.After(now) {
							return
						}
					}
				})
			}
		}
		close(start)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		for id := range all {
			if got := len(posts[id]); got != week+1 {
				t.Fatalf("week %d: routine %d posted %d prompts, want %d", week, id, got, week+1)
			}
		}
	}
	// Each post is one run of one routine, and the spaces hold exactly
	// those posts.
	seen := map[int64]bool{}
	for id, ps := range posts {
		runs, err := s.RoutineRuns(ctx, id, 0)
		if err != nil || len(runs) != 3 {
			t.Fatalf("routine %d: runs %v, %v", id, runs, err)
		}
		for i, run := range runs {
			if want := monday.Add(time.Duration(2-i) * 7 * 24 * time.Hour); !run.DueAt.Equal(want) {
				t.Errorf("routine %d run %d due %s, want %s", id, i, run.DueAt, want)
			}
			if seen[run.PostID] || !slices.Contains(ps, run.PostID) {
				t.Errorf("routine %d: post %d twice or not returned (%v)", id, run.PostID, ps)
			}
			seen[run.PostID] = true
		}
	}
	total := 0
	for i := range teams {
		sp, err := s.SpaceByName(ctx, fmt.Sprintf("Team %d", i))
		if err != nil {
			t.Fatal(err)
		}
		for before := int64(0); ; {
			ps, err := s.Posts(ctx, store.PostFilter{SpaceID: sp.ID, BeforeID: before, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 {
				break
			}
			for _, p := range ps {
				total++
				if !seen[p.ID] {
					t.Errorf("post %d %q is no routine's run", p.ID, p.Title)
				}
			}
			before = ps[len(ps)-1].ID
		}
	}
	if total != teams*perTeam*3 {
		t.Errorf("the spaces hold %d posts, want %d", total, teams*perTeam*3)
	}
}

// A node that stops and starts again on its SQLite file posts nothing
// twice and loses nothing: what was posted stays posted, what fell due
// meanwhile is posted once.
func TestRoutinesAcrossRestart(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t, "sqlite")
	open := func() *store.Store {
		s, err := store.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	marc, paul := newUser(t, s, "marc"), newUser(t, s, "paul")
	team := newTeam(t, s, "Support", marc.ID, paul.ID)
	sp := newTeamSpace(t, s, "Support", team.ID)
	a := newRoutine(t, s, sp.ID, marc.ID, "A", monday)
	b := newRoutine(t, s, sp.ID, marc.ID, "B", monday.Add(7*24*time.Hour))
	if ps, err := s.PostDueRoutines(t.Context(), monday.Add(time.Minute), 0); err != nil || len(ps) != 1 || ps[0].RoutineID != a.ID {
		t.Fatalf("first run = %v, %v", ps, err)
	}
	s.Close()

	s = open()
	defer s.Close()
	if ps, err := s.PostDueRoutines(t.Context(), monday.Add(2*time.Minute), 0); err != nil || len(ps) != 0 {
		t.Errorf("after the restart, the same instant posted %v, %v", ps, err)
	}
	ps, err := s.PostDueRoutines(t.Context(), monday.Add(7*24*time.Hour+time.Minute), 0)
	if err != nil || len(ps) != 2 {
		t.Fatalf("a week later = %v, %v; want A and B", ps, err)
	}
	for _, r := range []*relais.Routine{a, b} {
		runs, err := s.RoutineRuns(t.Context(), r.ID, 0)
		want := map[int64]int{a.ID: 2, b.ID: 1}[r.ID]
		if err != nil || len(runs) != want {
			t.Errorf("routine %s: %d runs, want %d (%v)", r.Title, len(runs), want, err)
		}
	}
	posts, err := s.Posts(t.Context(), store.PostFilter{SpaceID: sp.ID, Limit: 100})
	if err != nil || len(posts) != 3 {
		t.Errorf("posts = %d, %v; want 3", len(posts), err)
	}
}
