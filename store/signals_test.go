package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// From conversation to decision in the store: signals and their history,
// suggestions, escalations, the stale check and the webhook outbox written
// in the transaction of each event.

// signalOrg is a small organization to route signals in.
type signalOrg struct {
	steward, owner, head, cm, member *relais.User
	unit                             *relais.Unit
	space                            *relais.Space
	post                             *relais.Post
}

func newSignalOrg(t *testing.T, s *store.Store) *signalOrg {
	t.Helper()
	o := &signalOrg{
		steward: newUser(t, s, "steward", relais.RoleSocialMediaManager),
		owner:   newUser(t, s, "owner"),
		head:    newUser(t, s, "head"),
		cm:      newUser(t, s, "cm", relais.RoleCommunityManager),
		member:  newUser(t, s, "member"),
	}
	var err error
	if o.unit, err = s.CreateUnit(t.Context(), "Produit"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUnitHead(t.Context(), o.unit.ID, o.head.ID); err != nil {
		t.Fatal(err)
	}
	o.space = newCommunity(t, s, "Idées", relais.JoinOpen)
	if err := s.AddSteward(t.Context(), o.space.ID, o.steward.ID); err != nil {
		t.Fatal(err)
	}
	joinSpace(t, s, o.space.ID, o.member.ID, relais.SourceOpen)
	o.post = newPost(t, s, o.space.ID, o.member.ID, relais.StatusPublished, "Un irritant", "Le corps du message")
	return o
}

// raise records a signal from o's post to a person or a unit.
func (o *signalOrg) raise(t *testing.T, s *store.Store, ownerID, unitID int64, summary string, created time.Time) *relais.Signal {
	t.Helper()
	g := &relais.Signal{SpaceID: o.space.ID, PostID: o.post.ID, RaisedBy: o.steward.ID, OwnerID: ownerID, UnitID: unitID,
		Summary: summary, CreatedAt: created}
	if err := s.CreateSignal(t.Context(), g, 0); err != nil {
		t.Fatalf("CreateSignal %q: %v", summary, err)
	}
	return g
}

func signalByID(t *testing.T, s *store.Store, id int64) *relais.Signal {
	t.Helper()
	g, err := s.SignalByID(t.Context(), id)
	if err != nil {
		t.Fatalf("SignalByID(%d): %v", id, err)
	}
	return g
}

func signalIDs(t *testing.T, s *store.Store, f store.SignalFilter) []int64 {
	t.Helper()
	gs, err := s.Signals(t.Context(), f)
	if err != nil {
		t.Fatalf("Signals(%+v): %v", f, err)
	}
	ids := []int64{}
	for _, g := range gs {
		ids = append(ids, g.ID)
	}
	return ids
}

func countKind(t *testing.T, s *store.Store, userID int64, kind string) int {
	t.Helper()
	n := 0
	for _, k := range notificationKinds(t, s, userID) {
		if k == kind {
			n++
		}
	}
	return n
}

func TestSignalTransitionsAndHistory(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		g := o.raise(t, s, o.owner.ID, 0, "À trancher", time.Time{})
		if g.ID == 0 || g.Status != relais.SignalNew || !g.DueAt.Equal(g.CreatedAt.Add(relais.DefaultSignalDeadline)) {
			t.Fatalf("created %+v", g)
		}
		got := signalByID(t, s, g.ID)
		if got.Status != relais.SignalNew || got.OwnerID != o.owner.ID || got.OwnerName != o.owner.Name || got.PostTitle != "Un irritant" ||
			got.RaiserName != o.steward.Name || got.SpaceName != "Idées" || got.Stale || got.DecidedAt != nil || !got.DueAt.Equal(g.DueAt) ||
			!got.CreatedAt.Equal(g.CreatedAt) {
			t.Fatalf("read back %+v, created %+v", got, g)
		}
		if n := lastNotification(t, s, o.owner.ID, relais.NotifySignalRaised); n.SubjectID != g.ID || n.ActorID != o.steward.ID || n.Detail != "À trancher" {
			t.Errorf("owner's notification %+v", n)
		}
		if auditEntry(t, s, relais.AuditSignalRaised, g.ID) == nil {
			t.Errorf("no audit entry of the signal")
		}

		// A signal's status only moves forward.
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalDone, "fini"), relais.ECONFLICT)
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalNew, ""), relais.ECONFLICT)
		if err := s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAcknowledged, "vu"); err != nil {
			t.Fatal(err)
		}
		if got := signalByID(t, s, g.ID); got.Status != relais.SignalAcknowledged || got.Decision != "" || got.DecidedAt != nil {
			t.Errorf("acknowledged %+v: an acknowledgement is no decision", got)
		}
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAcknowledged, ""), relais.ECONFLICT)
		if err := s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAccepted, "Oui"); err != nil {
			t.Fatal(err)
		}
		got = signalByID(t, s, g.ID)
		if got.Status != relais.SignalAccepted || got.Decision != "Oui" || got.DecidedBy != o.owner.ID || got.DeciderName != o.owner.Name || got.DecidedAt == nil {
			t.Errorf("accepted %+v", got)
		}
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAcknowledged, ""), relais.ECONFLICT)
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAccepted, "Encore"), relais.ECONFLICT)
		if err := s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalPlanned, "Au T3"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalDone, "Livré"); err != nil {
			t.Fatal(err)
		}
		for _, next := range []relais.SignalStatus{relais.SignalNew, relais.SignalAcknowledged, relais.SignalAccepted, relais.SignalRejected, relais.SignalPlanned, relais.SignalDone} {
			wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, next, "x"), relais.ECONFLICT)
		}
		got = signalByID(t, s, g.ID)
		if got.Status != relais.SignalDone || got.Decision != "Livré" {
			t.Errorf("done %+v", got)
		}
		var steps []string
		for _, h := range got.History {
			steps = append(steps, string(h.Status)+":"+h.Note+":"+h.ActorName)
		}
		want := []string{"new:À trancher:" + o.steward.Name, "acknowledged:vu:" + o.owner.Name, "accepted:Oui:" + o.owner.Name,
			"planned:Au T3:" + o.owner.Name, "done:Livré:" + o.owner.Name}
		if !slices.Equal(steps, want) {
			t.Errorf("history %q, want %q", steps, want)
		}
		for i := 1; i < len(got.History); i++ {
			if got.History[i].At.Before(got.History[i-1].At) {
				t.Errorf("history out of order: %+v", got.History)
			}
		}
		// The raiser was told of each of the four changes, with the status.
		if n := countKind(t, s, o.steward.ID, relais.NotifySignalDecided); n != 4 {
			t.Errorf("%d signal.decided notifications, want 4", n)
		}
		if n := lastNotification(t, s, o.steward.ID, relais.NotifySignalDecided); n.Rule != "done" || n.Detail != "Livré" || n.ActorID != o.owner.ID {
			t.Errorf("last notification %+v", n)
		}

		// A rejection is final.
		r := o.raise(t, s, o.owner.ID, 0, "Autre", time.Time{})
		if err := s.DecideSignal(ctx, r.ID, o.owner.ID, relais.SignalRejected, "Non"); err != nil {
			t.Fatal(err)
		}
		for _, next := range []relais.SignalStatus{relais.SignalAcknowledged, relais.SignalAccepted, relais.SignalPlanned, relais.SignalDone} {
			wantCode(t, s.DecideSignal(ctx, r.ID, o.owner.ID, next, "x"), relais.ECONFLICT)
		}
		if h := signalByID(t, s, r.ID).History; len(h) != 2 {
			t.Errorf("history of the rejected signal: %+v", h)
		}

		wantCode(t, s.DecideSignal(ctx, 999999, o.owner.ID, relais.SignalAcknowledged, ""), relais.ENOTFOUND)
		_, err := s.SignalByID(ctx, 999999)
		wantCode(t, err, relais.ENOTFOUND)
	})
}

func TestSignalDeadlineOfTheSpace(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		o := newSignalOrg(t, s)
		created := time.Now().UTC().Truncate(time.Millisecond)
		g := o.raise(t, s, 0, o.unit.ID, "Par unité", created)
		if !g.DueAt.Equal(created.Add(14 * 24 * time.Hour)) {
			t.Errorf("due %v, want 14 days after %v", g.DueAt, created)
		}
		// The unit's head is told, being its owner.
		if n := lastNotification(t, s, o.head.ID, relais.NotifySignalRaised); n.SubjectID != g.ID {
			t.Errorf("head's notification %+v", n)
		}
		// A signal needs an owner: a person or a unit, not both.
		both := &relais.Signal{SpaceID: o.space.ID, PostID: o.post.ID, RaisedBy: o.steward.ID, OwnerID: o.owner.ID, UnitID: o.unit.ID, Summary: "x"}
		if err := s.CreateSignal(t.Context(), both, 0); err == nil {
			t.Errorf("a signal to both a person and a unit was recorded")
		}
		neither := &relais.Signal{SpaceID: o.space.ID, PostID: o.post.ID, RaisedBy: o.steward.ID, Summary: "x"}
		if err := s.CreateSignal(t.Context(), neither, 0); err == nil {
			t.Errorf("a signal to nobody was recorded")
		}
		unknown := &relais.Signal{SpaceID: 999999, PostID: o.post.ID, RaisedBy: o.steward.ID, OwnerID: o.owner.ID, Summary: "x"}
		wantCode(t, s.CreateSignal(t.Context(), unknown, 0), relais.ENOTFOUND)
		if ids := signalIDs(t, s, store.SignalFilter{}); !slices.Equal(ids, []int64{g.ID}) {
			t.Errorf("signals %v, want only %d", ids, g.ID)
		}
	})
}

func TestSignalFilters(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		other := newCommunity(t, s, "Autre", relais.JoinOpen)
		steward2 := newUser(t, s, "steward2", relais.RoleSocialMediaManager)
		otherPost := newPost(t, s, other.ID, steward2.ID, relais.StatusPublished, "Ailleurs", "b")
		t0 := time.Now().Add(-30 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
		t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)

		g1 := o.raise(t, s, o.owner.ID, 0, "à une personne", t0)
		g2 := o.raise(t, s, 0, o.unit.ID, "à l'unité", t1)
		g3 := &relais.Signal{SpaceID: other.ID, PostID: otherPost.ID, RaisedBy: steward2.ID, OwnerID: o.head.ID, Summary: "ailleurs", CreatedAt: t2}
		if err := s.CreateSignal(ctx, g3, 0); err != nil {
			t.Fatal(err)
		}
		g4 := o.raise(t, s, o.owner.ID, 0, "récent", time.Time{}) // now: not yet due

		check := func(name string, f store.SignalFilter, want ...int64) {
			t.Helper()
			if want == nil {
				want = []int64{}
			}
			if got := signalIDs(t, s, f); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
		check("all, newest first", store.SignalFilter{}, g4.ID, g3.ID, g2.ID, g1.ID)
		check("owned by name", store.SignalFilter{OwnedBy: o.owner.ID}, g4.ID, g1.ID)
		check("owned as head of the unit, or by name", store.SignalFilter{OwnedBy: o.head.ID}, g3.ID, g2.ID)
		check("owned by nobody", store.SignalFilter{OwnedBy: o.member.ID})
		check("raised by", store.SignalFilter{RaisedBy: steward2.ID}, g3.ID)
		check("space", store.SignalFilter{SpaceID: o.space.ID}, g4.ID, g2.ID, g1.ID)
		check("post", store.SignalFilter{PostID: otherPost.ID}, g3.ID)
		check("from, inclusive", store.SignalFilter{From: t1}, g4.ID, g3.ID, g2.ID)
		check("to, exclusive", store.SignalFilter{To: t2}, g2.ID, g1.ID)
		check("from and to", store.SignalFilter{From: t1, To: t2}, g2.ID)
		check("limit", store.SignalFilter{Limit: 2}, g4.ID, g3.ID)
		check("combined", store.SignalFilter{OwnedBy: o.head.ID, SpaceID: o.space.ID}, g2.ID)

		// The unit changes head: its signals follow.
		if err := s.SetUnitHead(ctx, o.unit.ID, o.owner.ID); err != nil {
			t.Fatal(err)
		}
		check("owned after the change of head", store.SignalFilter{OwnedBy: o.owner.ID}, g4.ID, g2.ID, g1.ID)
		check("the former head", store.SignalFilter{OwnedBy: o.head.ID}, g3.ID)

		// Open: neither done nor rejected.
		if err := s.DecideSignal(ctx, g3.ID, o.head.ID, relais.SignalRejected, "non"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideSignal(ctx, g1.ID, o.owner.ID, relais.SignalAccepted, "oui"); err != nil {
			t.Fatal(err)
		}
		check("open", store.SignalFilter{Open: true}, g4.ID, g2.ID, g1.ID)
		if err := s.DecideSignal(ctx, g1.ID, o.owner.ID, relais.SignalDone, "fait"); err != nil {
			t.Fatal(err)
		}
		check("open once one is done", store.SignalFilter{Open: true}, g4.ID, g2.ID)

		// Stale: past due and unanswered (g2, new); g4 is not due yet.
		check("stale before the check", store.SignalFilter{Stale: true})
		if err := s.DecideSignal(ctx, g2.ID, o.owner.ID, relais.SignalAcknowledged, ""); err != nil {
			t.Fatal(err)
		}
		n, err := s.MarkStaleSignals(ctx, time.Now())
		if err != nil || n != 1 {
			t.Fatalf("MarkStaleSignals = %d, %v; want 1 (the acknowledged one)", n, err)
		}
		check("stale", store.SignalFilter{Stale: true}, g2.ID)
		check("stale and owned", store.SignalFilter{Stale: true, OwnedBy: o.owner.ID}, g2.ID)
		check("stale and owned by another", store.SignalFilter{Stale: true, OwnedBy: o.head.ID})
		if !signalByID(t, s, g2.ID).Stale || signalByID(t, s, g4.ID).Stale || signalByID(t, s, g1.ID).Stale {
			t.Errorf("stale flags wrong")
		}
		// A decision takes it off the stale list, though it stays flagged.
		if err := s.DecideSignal(ctx, g2.ID, o.owner.ID, relais.SignalPlanned, "plus tard"); err != nil {
			t.Fatal(err)
		}
		check("stale once decided", store.SignalFilter{Stale: true})
		if !signalByID(t, s, g2.ID).Stale {
			t.Errorf("the stale mark was lost")
		}
	})
}

func TestMarkStaleSignals(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		// Every internal community manager is told; an external account
		// holding the role is not.
		ext := &relais.User{Login: "ext-cm", Name: "External CM", Employment: relais.External, Roles: []relais.Role{relais.RoleCommunityManager}}
		if err := s.CreateUser(ctx, ext, ""); err != nil {
			t.Fatal(err)
		}
		cm2 := newUser(t, s, "cm2", relais.RoleCommunityManager)
		past := time.Now().Add(-20 * 24 * time.Hour)
		g := o.raise(t, s, o.owner.ID, 0, "oublié", past)
		fresh := o.raise(t, s, o.owner.ID, 0, "récent", time.Time{})

		if n, err := s.MarkStaleSignals(ctx, g.DueAt.Add(-time.Millisecond)); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d, %v", n, err)
		}
		if n, err := s.MarkStaleSignals(ctx, g.DueAt); err != nil || n != 1 {
			t.Fatalf("at the deadline: %d, %v; want 1", n, err)
		}
		if n, err := s.MarkStaleSignals(ctx, time.Now()); err != nil || n != 0 {
			t.Fatalf("a second time: %d, %v; want 0", n, err)
		}
		for _, cm := range []*relais.User{o.cm, cm2} {
			if c := countKind(t, s, cm.ID, relais.NotifySignalStale); c != 1 {
				t.Errorf("%s has %d signal.stale notifications, want 1", cm.Login, c)
			} else if n := lastNotification(t, s, cm.ID, relais.NotifySignalStale); n.SubjectID != g.ID || n.SpaceID != o.space.ID || n.Detail != "oublié" {
				t.Errorf("%s's notification %+v", cm.Login, n)
			}
		}
		for _, u := range []*relais.User{ext, o.owner, o.steward} {
			if c := countKind(t, s, u.ID, relais.NotifySignalStale); c != 0 {
				t.Errorf("%s has %d signal.stale notifications", u.Login, c)
			}
		}
		if signalByID(t, s, fresh.ID).Stale {
			t.Errorf("a signal not yet due is stale")
		}
		// Much later, the fresh one is due.
		if n, err := s.MarkStaleSignals(ctx, fresh.DueAt.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("later: %d, %v; want 1", n, err)
		}
	})
}

// TestMarkStaleSignalsOnceConcurrently runs the stale check from two
// nodes at once, as two app nodes' schedulers would: each signal becomes
// stale once and the community manager is told once.
func TestMarkStaleSignalsOnceConcurrently(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			url := testdb.URL(t, engine)
			var nodes []*store.Store
			for range 2 {
				n, err := store.Open(t.Context(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { n.Close() })
				nodes = append(nodes, n)
			}
			s := nodes[0]
			if _, err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			o := newSignalOrg(t, s)
			const signals = 40
			past := time.Now().Add(-30 * 24 * time.Hour)
			ids := map[int64]bool{}
			for i := range signals {
				ids[o.raise(t, s, o.owner.ID, 0, "oublié "+string(rune('A'+i%26)), past.Add(time.Duration(i)*time.Minute)).ID] = true
			}
			for round := range 3 {
				var wg sync.WaitGroup
				counts := make([]int, 4)
				now := time.Now()
				for w := range counts {
					wg.Go(func() {
						n, err := nodes[w%2].MarkStaleSignals(t.Context(), now)
						if err != nil {
							t.Errorf("worker %d: %v", w, err)
						}
						counts[w] = n
					})
				}
				wg.Wait()
				total := 0
				for _, n := range counts {
					total += n
				}
				if want := map[int]int{0: signals}[round]; total != want {
					t.Errorf("round %d: %d marked (%v), want %d", round, total, counts, want)
				}
			}
			stale := signalIDs(t, s, store.SignalFilter{Stale: true})
			if len(stale) != signals {
				t.Errorf("%d stale signals, want %d", len(stale), signals)
			}
			told := map[int64]int{}
			ns, err := s.Notifications(t.Context(), o.cm.ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == relais.NotifySignalStale {
					told[n.SubjectID]++
				}
			}
			if len(told) != signals {
				t.Errorf("the community manager was told of %d signals, want %d", len(told), signals)
			}
			for id, n := range told {
				if n != 1 || !ids[id] {
					t.Errorf("signal %d: told %d times", id, n)
				}
			}
		})
	}
}

func TestSignalSuggestions(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		other := newUser(t, s, "other")
		joinSpace(t, s, o.space.ID, other.ID, relais.SourceOpen)
		suggest := func(userID int64, note string) (*relais.SignalSuggestion, error) {
			g := &relais.SignalSuggestion{SpaceID: o.space.ID, PostID: o.post.ID, UserID: userID, Note: note}
			return g, s.SuggestSignal(ctx, g)
		}
		open := func() []int64 {
			t.Helper()
			gs, err := s.SignalSuggestions(ctx, o.space.ID)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, g := range gs {
				if g.Status != "open" || g.PostTitle != "Un irritant" {
					t.Errorf("suggestion %+v", g)
				}
				ids = append(ids, g.ID)
			}
			return ids
		}

		a, err := suggest(o.member.ID, "à remonter")
		if err != nil || a.ID == 0 || a.Status != "open" {
			t.Fatalf("SuggestSignal = %+v, %v", a, err)
		}
		if n := lastNotification(t, s, o.steward.ID, relais.NotifySignalSuggested); n.SubjectID != a.ID || n.PostID != o.post.ID ||
			n.ActorID != o.member.ID || n.Detail != "à remonter" {
			t.Errorf("steward's notification %+v", n)
		}
		_, err = suggest(o.member.ID, "encore")
		wantCode(t, err, relais.ECONFLICT)
		b, err := suggest(other.ID, "moi aussi")
		if err != nil {
			t.Fatal(err)
		}
		if got := open(); !slices.Equal(got, []int64{a.ID, b.ID}) {
			t.Errorf("open suggestions %v, want oldest first %v", got, []int64{a.ID, b.ID})
		}
		if c := countKind(t, s, o.steward.ID, relais.NotifySignalSuggested); c != 2 {
			t.Errorf("the steward was told %d times, want 2 (not of the refused one)", c)
		}

		// Dismissed: closed once, and the member may suggest again.
		if err := s.DismissSuggestion(ctx, a.ID, o.space.ID, o.steward.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.DismissSuggestion(ctx, a.ID, o.space.ID, o.steward.ID), relais.ECONFLICT)
		wantCode(t, s.DismissSuggestion(ctx, 999999, o.space.ID, o.steward.ID), relais.ENOTFOUND)
		otherSpace := newCommunity(t, s, "Autre", relais.JoinOpen)
		wantCode(t, s.DismissSuggestion(ctx, b.ID, otherSpace.ID, o.steward.ID), relais.ENOTFOUND)
		if got := open(); !slices.Equal(got, []int64{b.ID}) {
			t.Errorf("open suggestions %v, want [%d]", got, b.ID)
		}
		a2, err := suggest(o.member.ID, "je réessaie")
		if err != nil {
			t.Fatalf("suggesting again after a dismissal: %v", err)
		}

		// A signal answers a suggestion and closes it, in one transaction.
		g := &relais.Signal{SpaceID: o.space.ID, PostID: o.post.ID, RaisedBy: o.steward.ID, OwnerID: o.owner.ID, Summary: "remonté"}
		if err := s.CreateSignal(ctx, g, b.ID); err != nil {
			t.Fatal(err)
		}
		if got := open(); !slices.Equal(got, []int64{a2.ID}) {
			t.Errorf("open suggestions %v, want [%d]", got, a2.ID)
		}
		wantCode(t, s.DismissSuggestion(ctx, b.ID, o.space.ID, o.steward.ID), relais.ECONFLICT)
		// Answering a closed suggestion, or one about another post, is a
		// conflict that leaves nothing behind.
		otherPost := newPost(t, s, o.space.ID, o.member.ID, relais.StatusPublished, "Autre fil", "b")
		for _, c := range []struct {
			name         string
			postID, sugg int64
		}{{"closed", o.post.ID, b.ID}, {"another post", otherPost.ID, a2.ID}, {"unknown", o.post.ID, 999999}} {
			bad := &relais.Signal{SpaceID: o.space.ID, PostID: c.postID, RaisedBy: o.steward.ID, OwnerID: o.owner.ID, Summary: "bis"}
			if err := s.CreateSignal(ctx, bad, c.sugg); relais.ErrorCode(err) != relais.ECONFLICT {
				t.Errorf("%s suggestion: %v, want a conflict", c.name, err)
			}
		}
		if ids := signalIDs(t, s, store.SignalFilter{}); !slices.Equal(ids, []int64{g.ID}) {
			t.Errorf("signals %v, want only %d", ids, g.ID)
		}
		if c := countKind(t, s, o.owner.ID, relais.NotifySignalRaised); c != 1 {
			t.Errorf("the owner was told %d times, want 1", c)
		}
		if got := open(); !slices.Equal(got, []int64{a2.ID}) {
			t.Errorf("open suggestions %v after the refused signals, want [%d]", got, a2.ID)
		}

		// In a team space, the manager is told.
		manager, mate := newUser(t, s, "manager"), newUser(t, s, "mate")
		team := newTeam(t, s, "Équipe", manager.ID, manager.ID, mate.ID)
		ts := newTeamSpace(t, s, "Équipe", team.ID)
		tp := newPost(t, s, ts.ID, mate.ID, relais.StatusPublished, "Fil d'équipe", "b")
		tg := &relais.SignalSuggestion{SpaceID: ts.ID, PostID: tp.ID, UserID: mate.ID, Note: "chef ?"}
		if err := s.SuggestSignal(ctx, tg); err != nil {
			t.Fatal(err)
		}
		if n := lastNotification(t, s, manager.ID, relais.NotifySignalSuggested); n.SubjectID != tg.ID {
			t.Errorf("manager's notification %+v", n)
		}
		if c := countKind(t, s, o.steward.ID, relais.NotifySignalSuggested); c != 3 {
			t.Errorf("the community's steward was told of a team suggestion (%d)", c)
		}
	})
}

func TestEscalationsStore(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		other := newCommunity(t, s, "Autre", relais.JoinOpen)
		now := time.Now()
		escalate := func(spaceID, assignee int64, sev relais.Severity, deadline time.Duration) *relais.Escalation {
			t.Helper()
			e := &relais.Escalation{SpaceID: spaceID, PostID: o.post.ID, RaisedBy: o.steward.ID, AssigneeID: assignee, Severity: sev,
				Summary: string(sev) + " dans " + deadline.String(), DeadlineAt: now.Add(deadline)}
			if spaceID != o.space.ID {
				e.PostID = 0
			}
			if err := s.CreateEscalation(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		low := escalate(o.space.ID, o.cm.ID, relais.SeverityLow, 5*24*time.Hour)
		crit := escalate(o.space.ID, o.cm.ID, relais.SeverityCritical, 2*24*time.Hour)
		highSoon := escalate(o.space.ID, o.owner.ID, relais.SeverityHigh, 24*time.Hour)
		critSoon := escalate(other.ID, o.cm.ID, relais.SeverityCritical, 12*time.Hour)
		highLate := escalate(other.ID, o.owner.ID, relais.SeverityHigh, 3*24*time.Hour)
		overdue := escalate(o.space.ID, o.owner.ID, relais.SeverityLow, -time.Hour)

		list := func(f store.EscalationFilter) []int64 {
			t.Helper()
			es, err := s.Escalations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			return ids
		}
		want := []int64{critSoon.ID, crit.ID, highSoon.ID, highLate.ID, overdue.ID, low.ID}
		if got := list(store.EscalationFilter{}); !slices.Equal(got, want) {
			t.Errorf("order %v, want %v (critical, high, low; soonest deadline first)", got, want)
		}
		got, err := s.EscalationByID(ctx, crit.ID)
		if err != nil || got.SpaceName != "Idées" || got.RaiserName != o.steward.Name || got.AssigneeName != o.cm.Name || got.Status != "open" ||
			got.PostID != o.post.ID || !got.DeadlineAt.Equal(now.Add(2*24*time.Hour).UTC().Truncate(time.Millisecond)) || got.Overdue {
			t.Errorf("EscalationByID = %+v, %v", got, err)
		}
		if e, err := s.EscalationByID(ctx, overdue.ID); err != nil || !e.Overdue {
			t.Errorf("past its deadline: %+v, %v; want overdue", e, err)
		}
		_, err = s.EscalationByID(ctx, 999999)
		wantCode(t, err, relais.ENOTFOUND)
		if n := lastNotification(t, s, o.owner.ID, relais.NotifyEscalation); n.SubjectID != overdue.ID || n.Rule != "low" || n.ActorID != o.steward.ID {
			t.Errorf("assignee's notification %+v", n)
		}
		if auditEntry(t, s, relais.AuditEscalationRaised, crit.ID) == nil {
			t.Errorf("no audit entry of the escalation")
		}

		// Resolved ones come last.
		if err := s.ResolveEscalation(ctx, critSoon.ID, o.cm.ID, "Réglé"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.ResolveEscalation(ctx, critSoon.ID, o.cm.ID, "Encore"), relais.ECONFLICT)
		wantCode(t, s.ResolveEscalation(ctx, 999999, o.cm.ID, "x"), relais.ENOTFOUND)
		if err := s.ResolveEscalation(ctx, overdue.ID, o.owner.ID, "Tard"); err != nil {
			t.Fatal(err)
		}
		want = []int64{crit.ID, highSoon.ID, highLate.ID, low.ID, critSoon.ID, overdue.ID}
		if got := list(store.EscalationFilter{}); !slices.Equal(got, want) {
			t.Errorf("order %v, want %v", got, want)
		}
		if got := list(store.EscalationFilter{Open: true}); !slices.Equal(got, want[:4]) {
			t.Errorf("open %v, want %v", got, want[:4])
		}
		if got := list(store.EscalationFilter{Involving: o.owner.ID}); !slices.Equal(got, []int64{highSoon.ID, highLate.ID, overdue.ID}) {
			t.Errorf("involving the owner %v", got)
		}
		if got := list(store.EscalationFilter{Involving: o.steward.ID}); len(got) != 6 {
			t.Errorf("involving the raiser %v", got)
		}
		if got := list(store.EscalationFilter{Involving: o.member.ID}); len(got) != 0 {
			t.Errorf("involving a member %v", got)
		}
		if got := list(store.EscalationFilter{SpaceID: other.ID}); !slices.Equal(got, []int64{highLate.ID, critSoon.ID}) {
			t.Errorf("in the other space %v", got)
		}
		r, err := s.EscalationByID(ctx, overdue.ID)
		if err != nil || r.Status != "resolved" || r.Resolution != "Tard" || r.ResolvedBy != o.owner.ID || r.ResolvedAt == nil || r.Overdue {
			t.Errorf("resolved %+v, %v", r, err)
		}
		if c := countKind(t, s, o.steward.ID, relais.NotifyEscalationResolved); c != 2 {
			t.Errorf("the raiser was told of %d resolutions, want 2", c)
		}
		if n := lastNotification(t, s, o.steward.ID, relais.NotifyEscalationResolved); n.SubjectID != overdue.ID || n.Detail != "Tard" || n.ActorID != o.owner.ID {
			t.Errorf("raiser's notification %+v", n)
		}
	})
}

// TestSignalOutbox checks that each event writes its webhook deliveries in
// its own transaction: one per subscribed active webhook, none when the
// event is refused, and never the text of a post.
func TestSignalOutbox(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		o := newSignalOrg(t, s)
		admin := newUser(t, s, "admin", relais.RoleAdministrator)
		all := &store.Webhook{URL: "https://a.example.com/h", Secret: "x", Events: store.WebhookEvents, CreatedBy: admin.ID}
		onlyEsc := &store.Webhook{URL: "https://b.example.com/h", Secret: "y", Events: []string{"escalation.raised"}, CreatedBy: admin.ID}
		off := &store.Webhook{URL: "https://c.example.com/h", Secret: "z", Events: store.WebhookEvents, CreatedBy: admin.ID}
		for _, h := range []*store.Webhook{all, onlyEsc, off} {
			if err := s.CreateWebhook(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetWebhookActive(ctx, off.ID, admin.ID, false); err != nil {
			t.Fatal(err)
		}
		events := func(h *store.Webhook) []string {
			t.Helper()
			ds, err := s.Deliveries(ctx, h.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range slices.Backward(ds) {
				if d.Status != "pending" {
					t.Errorf("delivery %+v is not pending", d)
				}
				if strings.Contains(d.Payload, "Le corps du message") || strings.Contains(d.Payload, "corps d'équipe") {
					t.Errorf("the payload holds a post's text: %s", d.Payload)
				}
				var p struct {
					Event string          `json:"event"`
					Data  json.RawMessage `json:"data"`
				}
				if err := json.Unmarshal([]byte(d.Payload), &p); err != nil || p.Event != d.Event || len(p.Data) == 0 {
					t.Errorf("payload %q: %v", d.Payload, err)
				}
				out = append(out, d.Event)
			}
			return out
		}

		g := o.raise(t, s, o.owner.ID, 0, "signal", time.Time{})
		wantCode(t, s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalDone, "x"), relais.ECONFLICT)
		if err := s.DecideSignal(ctx, g.ID, o.owner.ID, relais.SignalAccepted, "oui"); err != nil {
			t.Fatal(err)
		}
		e := &relais.Escalation{SpaceID: o.space.ID, RaisedBy: o.steward.ID, AssigneeID: o.cm.ID, Severity: relais.SeverityHigh, Summary: "esc",
			DeadlineAt: time.Now().Add(time.Hour)}
		if err := s.CreateEscalation(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := s.ResolveEscalation(ctx, e.ID, o.cm.ID, "fait"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.ResolveEscalation(ctx, e.ID, o.cm.ID, "encore"), relais.ECONFLICT)

		// A team signal: no title in the payload.
		manager := newUser(t, s, "manager")
		team := newTeam(t, s, "Équipe", manager.ID, manager.ID)
		ts := newTeamSpace(t, s, "Équipe", team.ID)
		tp := newPost(t, s, ts.ID, manager.ID, relais.StatusPublished, "TITRE-EQUIPE", "corps d'équipe")
		tg := &relais.Signal{SpaceID: ts.ID, PostID: tp.ID, RaisedBy: manager.ID, OwnerID: o.owner.ID, Summary: "équipe"}
		if err := s.CreateSignal(ctx, tg, 0); err != nil {
			t.Fatal(err)
		}

		if got, want := events(all), []string{"signal.raised", "signal.decided", "escalation.raised", "escalation.resolved", "signal.raised"}; !slices.Equal(got, want) {
			t.Errorf("deliveries %v, want %v", got, want)
		}
		if got := events(onlyEsc); !slices.Equal(got, []string{"escalation.raised"}) {
			t.Errorf("deliveries of the escalation webhook %v", got)
		}
		if got := events(off); len(got) != 0 {
			t.Errorf("a webhook turned off received %v", got)
		}
		ds, err := s.Deliveries(ctx, all.ID, 1)
		if err != nil || len(ds) != 1 {
			t.Fatal(ds, err)
		}
		if strings.Contains(ds[0].Payload, "TITRE-EQUIPE") {
			t.Errorf("a team signal's payload holds its post's title: %s", ds[0].Payload)
		}
		ds, err = s.Deliveries(ctx, all.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if p := ds[4].Payload; !strings.Contains(p, `"post_title":"Un irritant"`) {
			t.Errorf("a community signal's payload lacks its post's title: %s", p)
		}
	})
}
