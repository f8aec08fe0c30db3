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
