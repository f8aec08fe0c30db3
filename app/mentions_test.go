package app_test

import (
	"context"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
)

// TestScheduledPostMentions: a scheduled post tells the people it names
// when it is published, not before, and only those who may read the
// space.
func TestScheduledPostMentions(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			user := func(login string) *relais.User {
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			samir, paul, lea := user("samir"), user("paul"), user("lea")
			inno, err := st.SpaceByName(ctx, "Innovation Produits")
			if err != nil {
				t.Fatal(err)
			}
			mentions := func(u *relais.User) int {
				t.Helper()
				ns, err := st.Notifications(ctx, u.ID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, x := range ns {
					if x.Kind == relais.NotifyMention {
						n++
					}
				}
				return n
			}
			at := time.Now().Add(time.Hour)
			if _, err := svc.SchedulePost(ctx, samir, inno.ID, relais.NewPost{Kind: relais.KindDiscussion, Title: "Atelier de jeudi",
				Body: "@paul, tu présentes la maquette ? (@lea n'est pas membre)"}, at); err != nil {
				t.Fatal(err)
			}
			if mentions(paul) != 0 {
				t.Fatal("paul is told of a post not yet published")
			}
			if n, err := svc.PublishDue(ctx, at.Add(time.Minute)); err != nil || n != 1 {
				t.Fatalf("PublishDue = %d, %v; want 1", n, err)
			}
			if got := mentions(paul); got != 1 {
				t.Errorf("paul has %d mention notifications, want 1", got)
			}
			if got := mentions(lea); got != 0 {
				t.Errorf("lea, who may not read the community, was told of %d mentions", got)
			}
		})
	}
}

// TestReplyTellsTheThreadsAuthor: a reply tells the thread's author, once
// (a reply that names them tells it as a mention), never its own author,
// and nobody who may no longer read the space.
func TestReplyTellsTheThreadsAuthor(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			user := func(login string) *relais.User {
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			samir, paul, victor := user("samir"), user("paul"), user("victor")
			inno, err := st.SpaceByName(ctx, "Innovation Produits")
			if err != nil {
				t.Fatal(err)
			}
			kinds := func(u *relais.User) map[string]int {
				t.Helper()
				ns, err := st.Notifications(ctx, u.ID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				m := map[string]int{}
				for _, x := range ns {
					m[x.Kind]++
				}
				return m
			}
			p, err := svc.CreatePost(ctx, paul, inno.ID, relais.NewPost{Kind: relais.KindQuestion, Title: "Qui a la maquette ?", Body: "Pour jeudi."})
			if err != nil {
				t.Fatal(err)
			}
			before := kinds(paul)
			if _, err := svc.Reply(ctx, victor, p.ID, "Je l'ai, je l'envoie."); err != nil {
				t.Fatal(err)
			}
			got := kinds(paul)
			if got[relais.NotifyReply] != before[relais.NotifyReply]+1 {
				t.Fatalf("paul's reply notifications: %d → %d; want one more", before[relais.NotifyReply], got[relais.NotifyReply])
			}
			ns, _ := st.Notifications(ctx, paul.ID, 0, 1)
			if n := ns[0]; n.Kind != relais.NotifyReply || n.PostID != p.ID || n.ActorID != victor.ID || n.Detail != p.Title {
				t.Errorf("paul's notification: %+v", n)
			}
			// His own reply tells him nothing; one that names him, a mention only.
			if _, err := svc.Reply(ctx, paul, p.ID, "Merci !"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Reply(ctx, samir, p.ID, "@paul je l'ai aussi."); err != nil {
				t.Fatal(err)
			}
			after := kinds(paul)
			if after[relais.NotifyReply] != got[relais.NotifyReply] || after[relais.NotifyMention] != got[relais.NotifyMention]+1 {
				t.Errorf("after his own reply and a mention: %v; before %v (want one more mention, no more reply)", after, got)
			}
			// Once paul has left the space, replies tell him nothing.
			if _, err := svc.RemoveMember(ctx, samir, inno.ID, paul.ID, "Fin du projet"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Reply(ctx, victor, p.ID, "Je la garde."); err != nil {
				t.Fatal(err)
			}
			if last := kinds(paul); last[relais.NotifyReply] != after[relais.NotifyReply] {
				t.Errorf("paul, gone from the space, was told of a reply")
			}
		})
	}
}
