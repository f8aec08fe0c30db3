package app_test

import (
	"context"
	"testing"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
)

// TestNavCounts: the header's counts, read at once, are what each person
// follows: a mentor's waiting requests, their unread notifications, the
// co-pilots they follow (all of them for the community manager), and
// what waits in signals and escalations.
func TestNavCounts(t *testing.T) {
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
			samir, olivia, claire, paul := user("samir"), user("olivia"), user("claire"), user("paul")
			clients, err := st.SpaceByName(ctx, "Clients Pro")
			if err != nil {
				t.Fatal(err)
			}
			count := func(u *relais.User) (approvals, unread, copilots int) {
				t.Helper()
				c, err := svc.NavCounts(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				n, err := st.UnreadNotifications(ctx, u.ID)
				if err != nil || n != c.Unread {
					t.Errorf("%s: unread %d, the inbox says %d (%v)", u.Login, c.Unread, n, err)
				}
				return c.Approvals, c.Unread, c.CoPilots
			}
			a0, _, cp := count(samir)
			if cp != 1 {
				t.Errorf("samir follows %d co-pilots, want 1 (olivia)", cp)
			}
			if _, _, cp := count(claire); cp != 1 {
				t.Errorf("claire follows %d co-pilots, want every one: 1", cp)
			}
			if _, _, cp := count(paul); cp != 0 {
				t.Errorf("paul follows %d co-pilots", cp)
			}
			if _, err := svc.CreatePost(ctx, olivia, clients.ID, relais.NewPost{Kind: relais.KindDiscussion, Title: "Atelier", Body: "Jeudi."}); err != nil {
				t.Fatal(err)
			}
			as, err := svc.Approvals(ctx, samir)
			if err != nil {
				t.Fatal(err)
			}
			if a1, _, _ := count(samir); a1 != a0+1 || a1 != len(as) {
				t.Errorf("samir's approvals: %d then %d; the inbox lists %d", a0, a1, len(as))
			}
			if a, _, _ := count(olivia); a != 0 {
				t.Errorf("olivia has %d approvals to give: her own request is not hers to approve", a)
			}
			if a, _, _ := count(claire); a != 0 {
				t.Errorf("claire, not the mentor, has %d approvals", a)
			}
		})
	}
}
