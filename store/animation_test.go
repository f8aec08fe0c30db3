package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/search"
	"relais/store"
)

// The animation of communities: moderation, flags, pins, scheduled posts,
// welcome messages, invitations and the join funnel, the co-pilot
// onboarding, notifications, and the approvals of a co-pilot's actions.

// notificationsOf returns every notification of a user, newest first.
func notificationsOf(t *testing.T, s *store.Store, userID int64) []*relais.Notification {
	t.Helper()
	ns, err := s.Notifications(t.Context(), userID, 0, 100)
	if err != nil {
		t.Fatalf("Notifications(%d): %v", userID, err)
	}
	return ns
}

// notificationKinds returns the kinds of a user's notifications, oldest
// first.
func notificationKinds(t *testing.T, s *store.Store, userID int64) []string {
	t.Helper()
	var kinds []string
	for _, n := range slices.Backward(notificationsOf(t, s, userID)) {
		kinds = append(kinds, n.Kind)
	}
	return kinds
}

// lastNotification returns the newest notification of a user of a kind,
// failing the test when there is none.
func lastNotification(t *testing.T, s *store.Store, userID int64, kind string) *relais.Notification {
	t.Helper()
	for _, n := range notificationsOf(t, s, userID) {
		if n.Kind == kind {
			return n
		}
	}
	t.Fatalf("user %d has no %s notification (has %v)", userID, kind, notificationKinds(t, s, userID))
	return nil
}

// auditEntry returns the newest audit entry of an action on a subject, or
// nil.
func auditEntry(t *testing.T, s *store.Store, action string, subjectID int64) *relais.AuditEntry {
	t.Helper()
	entries, err := s.Audit(t.Context(), store.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		if entries[i].Action == action && entries[i].SubjectID == subjectID {
			return &entries[i]
		}
	}
	return nil
}

// newCoPilot creates an outsourced social media manager in co-pilot with
// a mentor.
func newCoPilot(t *testing.T, s *store.Store, login string, mentorID int64) *relais.User {
	t.Helper()
	u := &relais.User{Login: login, Name: "Name of " + login, Employment: relais.External,
		Roles: []relais.Role{relais.RoleSocialMediaManager}}
	if err := s.CreateUser(t.Context(), u, ""); err != nil {
		t.Fatalf("CreateUser %s: %v", login, err)
	}
	if err := s.StartCoPilot(t.Context(), u.ID, mentorID, mentorID); err != nil {
		t.Fatalf("StartCoPilot %s: %v", login, err)
	}
	return u
}

func joinSpace(t *testing.T, s *store.Store, spaceID, userID int64, source string) {
	t.Helper()
	if err := s.Join(t.Context(), &relais.Membership{SpaceID: spaceID, UserID: userID, CharterVersion: 1, Source: source}); err != nil {
		t.Fatalf("Join(space %d, user %d): %v", spaceID, userID, err)
	}
}

func isMember(t *testing.T, s *store.Store, spaceID, userID int64) bool {
	t.Helper()
	rel, err := s.RelationTo(t.Context(), userID, spaceID)
	if err != nil {
		t.Fatal(err)
	}
	return rel.Member
}

func postStatus(t *testing.T, s *store.Store, id int64) *relais.Post {
	t.Helper()
	p, err := s.PostByID(t.Context(), id)
	if err != nil {
		t.Fatalf("PostByID(%d): %v", id, err)
	}
	return p
}

// searchIDs returns the posts a search of query in one space finds.
func searchIDs(t *testing.T, s *store.Store, query string, spaceID int64) []int64 {
	t.Helper()
	results, err := s.Search(t.Context(), search.Query(query), []int64{spaceID}, 100)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	var ids []int64
	for _, r := range results {
		ids = append(ids, r.PostID)
	}
	return ids
}

func flagPost(t *testing.T, s *store.Store, p *relais.Post, userID int64, reason string) *relais.Flag {
	t.Helper()
	f := &relais.Flag{PostID: p.ID, SpaceID: p.SpaceID, UserID: userID, Reason: reason}
	if err := s.FlagPost(t.Context(), f); err != nil {
		t.Fatalf("FlagPost(post %d, user %d): %v", p.ID, userID, err)
	}
	return f
}

func TestHideAndRestorePost(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		author := newUser(t, s, "author")
		reader, other := newUser(t, s, "reader"), newUser(t, s, "other")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		p := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Licorne", "Une licorne insultante")
		kept := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Dromadaire", "Un dromadaire aimable")
		flagPost(t, s, p, reader.ID, "insulting")
		flagPost(t, s, p, other.ID, "rude")
		flagPost(t, s, kept, reader.ID, "not sure")
		if got := searchIDs(t, s, "licorne", sp.ID); !slices.Equal(got, []int64{p.ID}) {
			t.Fatalf("before hiding, search licorne = %v, want [%d]", got, p.ID)
		}

		if err := s.HidePost(ctx, p.ID, steward.ID, "Respect", "Insulting words"); err != nil {
			t.Fatalf("HidePost: %v", err)
		}
		got := postStatus(t, s, p.ID)
		if got.Status != relais.StatusHidden || got.ModerationRule != "Respect" || got.ModerationReason != "Insulting words" {
			t.Errorf("hidden post: status %s, rule %q, reason %q", got.Status, got.ModerationRule, got.ModerationReason)
		}
		// Its flags are upheld: they leave the queue, and none is open any more.
		queue, err := s.ModerationQueue(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 1 || queue[0].Post.ID != kept.ID {
			t.Errorf("queue after hiding = %v, want the other post only", queue)
		}
		wantCode(t, s.DismissFlags(ctx, p.ID, steward.ID), relais.ECONFLICT)
		// The author is told, with the rule and the reason.
		n := lastNotification(t, s, author.ID, relais.NotifyPostHidden)
		if n.PostID != p.ID || n.SpaceID != sp.ID || n.SpaceName != "Forum" || n.ActorID != steward.ID ||
			n.ActorName != steward.Name || n.Rule != "Respect" || n.Detail != "Insulting words" || n.ReadAt != nil {
			t.Errorf("hidden notification = %+v", n)
		}
		if e := auditEntry(t, s, relais.AuditPostHidden, p.ID); e == nil || e.ActorID != steward.ID || e.SpaceID != sp.ID ||
			!strings.Contains(e.Detail, "Respect") || !strings.Contains(e.Detail, "Insulting words") {
			t.Errorf("audit of the hiding = %+v", e)
		}
		// Hidden from search and from the members; its author still sees it.
		if got := searchIDs(t, s, "licorne", sp.ID); len(got) != 0 {
			t.Errorf("search finds a hidden post: %v", got)
		}
		if got := searchIDs(t, s, "dromadaire", sp.ID); !slices.Equal(got, []int64{kept.ID}) {
			t.Errorf("search dromadaire = %v, want [%d]", got, kept.ID)
		}
		for _, tt := range []struct {
			viewer int64
			want   []int64
		}{{reader.ID, []int64{kept.ID}}, {author.ID, []int64{kept.ID, p.ID}}} {
			posts, err := s.Posts(ctx, store.PostFilter{SpaceID: sp.ID, ViewerID: tt.viewer})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, q := range posts {
				ids = append(ids, q.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Posts seen by %d = %v, want %v", tt.viewer, ids, tt.want)
			}
		}

		wantCode(t, s.HidePost(ctx, p.ID, steward.ID, "Respect", "again"), relais.ECONFLICT)
		wantCode(t, s.HidePost(ctx, 987654, steward.ID, "Respect", "none"), relais.ENOTFOUND)
		pending := newPost(t, s, sp.ID, author.ID, relais.StatusPendingApproval, "Attente", "waits")
		wantCode(t, s.HidePost(ctx, pending.ID, steward.ID, "Respect", "pending"), relais.ECONFLICT)
		wantCode(t, s.RestorePost(ctx, kept.ID, steward.ID), relais.ECONFLICT)
		wantCode(t, s.RestorePost(ctx, 987654, steward.ID), relais.ENOTFOUND)

		if err := s.RestorePost(ctx, p.ID, steward.ID); err != nil {
			t.Fatalf("RestorePost: %v", err)
		}
		got = postStatus(t, s, p.ID)
		if got.Status != relais.StatusPublished || got.ModerationRule != "" || got.ModerationReason != "" {
			t.Errorf("restored post: status %s, rule %q, reason %q", got.Status, got.ModerationRule, got.ModerationReason)
		}
		if n := lastNotification(t, s, author.ID, relais.NotifyPostRestored); n.PostID != p.ID || n.ActorID != steward.ID {
			t.Errorf("restored notification = %+v", n)
		}
		if e := auditEntry(t, s, relais.AuditPostRestored, p.ID); e == nil || e.ActorID != steward.ID {
			t.Errorf("audit of the restoration = %+v", e)
		}
		if got := searchIDs(t, s, "licorne", sp.ID); !slices.Equal(got, []int64{p.ID}) {
			t.Errorf("after restoring, search licorne = %v, want [%d]", got, p.ID)
		}
		wantCode(t, s.RestorePost(ctx, p.ID, steward.ID), relais.ECONFLICT)
		if kinds := notificationKinds(t, s, author.ID); !slices.Equal(kinds, []string{relais.NotifyPostHidden, relais.NotifyPostRestored}) {
			t.Errorf("author's notifications = %v", kinds)
		}
	})
}

func TestFlags(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		author := newUser(t, s, "author")
		a, b, c := newUser(t, s, "a"), newUser(t, s, "b"), newUser(t, s, "c")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		elsewhere := newCommunity(t, s, "Elsewhere", relais.JoinOpen)
		once := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Once", "flagged once")
		thrice := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Thrice", "flagged three times")
		twice := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Twice", "flagged twice")
		alsoOnce := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Also once", "flagged once too")
		outside := newPost(t, s, elsewhere.ID, author.ID, relais.StatusPublished, "Outside", "another space")

		f := flagPost(t, s, once, a.ID, "spam")
		if f.ID == 0 || f.Status != relais.FlagOpen || f.CreatedAt.IsZero() {
			t.Errorf("FlagPost = %+v", f)
		}
		wantCode(t, s.FlagPost(ctx, &relais.Flag{PostID: once.ID, SpaceID: sp.ID, UserID: a.ID, Reason: "again"}), relais.ECONFLICT)
		for _, u := range []*relais.User{a, b, c} {
			flagPost(t, s, thrice, u.ID, "by "+u.Login)
		}
		flagPost(t, s, twice, b.ID, "b")
		flagPost(t, s, twice, c.ID, "c")
		flagPost(t, s, alsoOnce, c.ID, "c")
		flagPost(t, s, outside, a.ID, "a")

		type entry struct {
			post  int64
			flags []string // the flaggers' names, in order
		}
		queue := func() []entry {
			t.Helper()
			q, err := s.ModerationQueue(ctx, sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []entry
			for _, fp := range q {
				e := entry{post: fp.Post.ID}
				for _, f := range fp.Flags {
					if f.PostID != fp.Post.ID || f.SpaceID != sp.ID || f.Status != relais.FlagOpen {
						t.Errorf("flag %+v in the queue entry of post %d", f, fp.Post.ID)
					}
					e.flags = append(e.flags, f.UserName)
				}
				out = append(out, e)
			}
			return out
		}
		want := []entry{
			{thrice.ID, []string{a.Name, b.Name, c.Name}},
			{twice.ID, []string{b.Name, c.Name}},
			{once.ID, []string{a.Name}},
			{alsoOnce.ID, []string{c.Name}},
		}
		if got := queue(); !reflect.DeepEqual(got, want) {
			t.Errorf("queue = %v, want %v", got, want)
		}
		q, err := s.ModerationQueue(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q[0].Post.Title != "Thrice" || q[0].Flags[0].Reason != "by a" || q[0].Flags[0].UserID != a.ID {
			t.Errorf("first queue entry = %+v, flags[0] %+v", q[0].Post, q[0].Flags[0])
		}

		if err := s.DismissFlags(ctx, thrice.ID, steward.ID); err != nil {
			t.Fatalf("DismissFlags: %v", err)
		}
		if got := queue(); !reflect.DeepEqual(got, want[1:]) {
			t.Errorf("queue after dismissing = %v, want %v", got, want[1:])
		}
		if p := postStatus(t, s, thrice.ID); p.Status != relais.StatusPublished {
			t.Errorf("dismissed post status %s", p.Status)
		}
		if e := auditEntry(t, s, relais.AuditFlagsDismissed, thrice.ID); e == nil || e.ActorID != steward.ID {
			t.Errorf("audit of the dismissal = %+v", e)
		}
		wantCode(t, s.DismissFlags(ctx, thrice.ID, steward.ID), relais.ECONFLICT)
		wantCode(t, s.DismissFlags(ctx, 987654, steward.ID), relais.ENOTFOUND)
		// A dismissed flag is no longer open: its author may flag anew.
		flagPost(t, s, thrice, a.ID, "it goes on")
		if got := queue(); len(got) != 4 || got[2].post != thrice.ID || got[0].post != twice.ID {
			t.Errorf("queue after a new flag = %v", got)
		}
		// Another space's queue holds its own flags only.
		q, err = s.ModerationQueue(ctx, elsewhere.ID)
		if err != nil || len(q) != 1 || q[0].Post.ID != outside.ID {
			t.Errorf("queue of elsewhere = %v, %v", q, err)
		}
		if q, err := s.ModerationQueue(ctx, newCommunity(t, s, "Calm", relais.JoinOpen).ID); err != nil || q == nil || len(q) != 0 {
			t.Errorf("queue of a calm space = %#v, %v; want empty", q, err)
		}
	})
}

func TestPins(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		author := newUser(t, s, "author")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		elsewhere := newCommunity(t, s, "Elsewhere", relais.JoinOpen)
		p1 := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "One", "one")
		p2 := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Two", "two")
		p3 := newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Three", "three")
		out := newPost(t, s, elsewhere.ID, author.ID, relais.StatusPublished, "Out", "out")
		pending := newPost(t, s, sp.ID, author.ID, relais.StatusPendingApproval, "Pending", "pending")

		pinned := func(spaceID int64) []int64 {
			t.Helper()
			ps, err := s.PinnedPosts(ctx, spaceID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range ps {
				if !p.Pinned {
					t.Errorf("PinnedPosts returned post %d with Pinned false", p.ID)
				}
				ids = append(ids, p.ID)
			}
			slices.Sort(ids) // pins within one millisecond have no order
			return ids
		}
		if got := pinned(sp.ID); len(got) != 0 {
			t.Fatalf("pinned before any pin = %v", got)
		}
		for _, p := range []*relais.Post{p1, p2, p3, out} {
			if err := s.PinPost(ctx, p.ID, steward.ID, true); err != nil {
				t.Fatalf("PinPost(%d): %v", p.ID, err)
			}
		}
		if got := pinned(sp.ID); !slices.Equal(got, []int64{p1.ID, p2.ID, p3.ID}) {
			t.Errorf("pinned = %v, want %v", got, []int64{p1.ID, p2.ID, p3.ID})
		}
		if !postStatus(t, s, p1.ID).Pinned {
			t.Error("PostByID of a pinned post: Pinned false")
		}
		if e := auditEntry(t, s, relais.AuditPostPinned, p1.ID); e == nil || e.ActorID != steward.ID || e.SpaceID != sp.ID {
			t.Errorf("audit of the pin = %+v", e)
		}
		wantCode(t, s.PinPost(ctx, p1.ID, steward.ID, true), relais.ECONFLICT)
		wantCode(t, s.PinPost(ctx, pending.ID, steward.ID, true), relais.ECONFLICT)
		wantCode(t, s.PinPost(ctx, pending.ID, steward.ID, false), relais.ECONFLICT)
		wantCode(t, s.PinPost(ctx, 987654, steward.ID, true), relais.ENOTFOUND)

		if err := s.PinPost(ctx, p2.ID, steward.ID, false); err != nil {
			t.Fatalf("unpin: %v", err)
		}
		wantCode(t, s.PinPost(ctx, p2.ID, steward.ID, false), relais.ECONFLICT)
		if postStatus(t, s, p2.ID).Pinned {
			t.Error("unpinned post still Pinned")
		}
		if e := auditEntry(t, s, relais.AuditPostUnpinned, p2.ID); e == nil {
			t.Error("no audit of the unpin")
		}
		// A hidden thread leaves the pins.
		if err := s.HidePost(ctx, p3.ID, steward.ID, "r", "hidden"); err != nil {
			t.Fatal(err)
		}
		if got := pinned(sp.ID); !slices.Equal(got, []int64{p1.ID}) {
			t.Errorf("pinned after an unpin and a hiding = %v, want [%d]", got, p1.ID)
		}
		if got := pinned(elsewhere.ID); !slices.Equal(got, []int64{out.ID}) {
			t.Errorf("pinned elsewhere = %v, want [%d]", got, out.ID)
		}
	})
}

func TestRemoveMember(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		member, stays, stranger := newUser(t, s, "member"), newUser(t, s, "stays"), newUser(t, s, "stranger")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		other := newCommunity(t, s, "Other", relais.JoinOpen)
		joinSpace(t, s, sp.ID, member.ID, relais.SourceOpen)
		joinSpace(t, s, sp.ID, stays.ID, relais.SourceOpen)
		joinSpace(t, s, other.ID, member.ID, relais.SourceOpen)
		p := newPost(t, s, sp.ID, member.ID, relais.StatusPublished, "Mine", "my post")
		from := time.Now().Add(-time.Minute)

		if err := s.RemoveMember(ctx, sp.ID, member.ID, steward.ID, "Repeated insults"); err != nil {
			t.Fatalf("RemoveMember: %v", err)
		}
		if isMember(t, s, sp.ID, member.ID) {
			t.Error("removed member is still a member")
		}
		if !isMember(t, s, other.ID, member.ID) || !isMember(t, s, sp.ID, stays.ID) {
			t.Error("the removal touched another membership")
		}
		members, err := s.Members(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if m.UserID == member.ID {
				t.Errorf("Members still lists the removed member")
			}
		}
		n := lastNotification(t, s, member.ID, relais.NotifyRemoved)
		if n.SpaceID != sp.ID || n.ActorID != steward.ID || n.Detail != "Repeated insults" {
			t.Errorf("removal notification = %+v", n)
		}
		if e := auditEntry(t, s, relais.AuditMemberRemoved, member.ID); e == nil || e.ActorID != steward.ID ||
			e.SpaceID != sp.ID || e.Detail != "Repeated insults" {
			t.Errorf("audit of the removal = %+v", e)
		}
		// The removal row, counted by the funnel.
		f, err := s.Funnel(ctx, sp.ID, from, time.Now().Add(time.Minute))
		if err != nil || f.Removed != 1 {
			t.Errorf("Funnel after a removal: removed %d, %v; want 1", f.Removed, err)
		}
		// Their posts stay.
		if got := postStatus(t, s, p.ID); got.Status != relais.StatusPublished {
			t.Errorf("removed member's post status %s", got.Status)
		}
		wantCode(t, s.RemoveMember(ctx, sp.ID, member.ID, steward.ID, "again"), relais.ENOTFOUND)
		wantCode(t, s.RemoveMember(ctx, sp.ID, stranger.ID, steward.ID, "never joined"), relais.ENOTFOUND)
		if kinds := notificationKinds(t, s, stranger.ID); len(kinds) != 0 {
			t.Errorf("a failed removal told the stranger %v", kinds)
		}
		if f, _ := s.Funnel(ctx, sp.ID, from, time.Now().Add(time.Minute)); f.Removed != 1 {
			t.Errorf("failed removals were counted: removed %d", f.Removed)
		}
	})
}

func TestWelcome(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		open := newCommunity(t, s, "Open", relais.JoinOpen)
		onRequest := newCommunity(t, s, "On request", relais.JoinRequest)
		invited := newCommunity(t, s, "Invited", relais.JoinRequest)
		silent := newCommunity(t, s, "Silent", relais.JoinOpen)
		for _, sp := range []*relais.Space{open, onRequest, invited} {
			if err := s.SetWelcome(ctx, sp.ID, steward.ID, "Welcome to "+sp.Name); err != nil {
				t.Fatalf("SetWelcome: %v", err)
			}
		}
		if text, err := s.Welcome(ctx, open.ID); err != nil || text != "Welcome to Open" {
			t.Errorf("Welcome = %q, %v", text, err)
		}
		if text, err := s.Welcome(ctx, silent.ID); err != nil || text != "" {
			t.Errorf("Welcome of a space without one = %q, %v", text, err)
		}
		if e := auditEntry(t, s, relais.AuditWelcomeSet, open.ID); e == nil || e.ActorID != steward.ID {
			t.Errorf("audit of the welcome = %+v", e)
		}
		wantCode(t, s.SetWelcome(ctx, 987654, steward.ID, "x"), relais.ENOTFOUND)
		_, err := s.Welcome(ctx, 987654)
		wantCode(t, err, relais.ENOTFOUND)

		wantWelcome := func(userID int64, sp *relais.Space) {
			t.Helper()
			n := lastNotification(t, s, userID, relais.NotifyWelcome)
			if n.SpaceID != sp.ID || n.SpaceName != sp.Name || n.Detail != "Welcome to "+sp.Name {
				t.Errorf("welcome notification = %+v", n)
			}
		}
		// On Join.
		joiner := newUser(t, s, "joiner")
		joinSpace(t, s, open.ID, joiner.ID, relais.SourceOpen)
		wantWelcome(joiner.ID, open)
		// On an approved request to join; a refused one is not welcomed.
		applicant, refused := newUser(t, s, "applicant"), newUser(t, s, "refused")
		id, err := s.RequestToJoin(ctx, onRequest.ID, applicant.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMembershipRequest(ctx, id, steward.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		wantWelcome(applicant.ID, onRequest)
		id, err = s.RequestToJoin(ctx, onRequest.ID, refused.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMembershipRequest(ctx, id, steward.ID, false, "no"); err != nil {
			t.Fatal(err)
		}
		if kinds := notificationKinds(t, s, refused.ID); !slices.Equal(kinds, []string{relais.NotifyJoinRefused}) {
			t.Errorf("refused applicant's notifications = %v", kinds)
		}
		// On an accepted invitation; a declined one is not welcomed.
		guest, decliner := newUser(t, s, "guest"), newUser(t, s, "decliner")
		for _, u := range []*relais.User{guest, decliner} {
			v := &relais.Invitation{SpaceID: invited.ID, UserID: u.ID, InvitedBy: steward.ID, Status: relais.InvitationPending}
			if err := s.Invite(ctx, v); err != nil {
				t.Fatal(err)
			}
			if err := s.RespondInvitation(ctx, v.ID, u.ID, u == guest, 1); err != nil {
				t.Fatal(err)
			}
		}
		wantWelcome(guest.ID, invited)
		if kinds := notificationKinds(t, s, decliner.ID); !slices.Equal(kinds, []string{relais.NotifyInvitation}) {
			t.Errorf("decliner's notifications = %v", kinds)
		}
		// Not when the welcome is empty, or emptied.
		quiet := newUser(t, s, "quiet")
		joinSpace(t, s, silent.ID, quiet.ID, relais.SourceOpen)
		if err := s.SetWelcome(ctx, open.ID, steward.ID, ""); err != nil {
			t.Fatal(err)
		}
		joinSpace(t, s, open.ID, quiet.ID, relais.SourceOpen)
		if kinds := notificationKinds(t, s, quiet.ID); len(kinds) != 0 {
			t.Errorf("joining spaces without a welcome sent %v", kinds)
		}
		// Joining twice is a conflict, and sends nothing.
		before := len(notificationsOf(t, s, joiner.ID))
		wantCode(t, s.Join(ctx, &relais.Membership{SpaceID: open.ID, UserID: joiner.ID, CharterVersion: 1}), relais.ECONFLICT)
		if after := len(notificationsOf(t, s, joiner.ID)); after != before {
			t.Errorf("a second join sent %d notifications", after-before)
		}
	})
}

func TestInvitations(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		guest, other := newUser(t, s, "guest"), newUser(t, s, "other")
		sp := newCommunity(t, s, "Forum", relais.JoinRequest)
		elsewhere := newCommunity(t, s, "Elsewhere", relais.JoinRequest)

		v := &relais.Invitation{SpaceID: sp.ID, UserID: guest.ID, InvitedBy: steward.ID, Message: "Come!", Status: relais.InvitationPending}
		if err := s.Invite(ctx, v); err != nil {
			t.Fatalf("Invite: %v", err)
		}
		got, err := s.InvitationByID(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := &relais.Invitation{ID: v.ID, SpaceID: sp.ID, SpaceName: "Forum", UserID: guest.ID, UserName: guest.Name,
			InvitedBy: steward.ID, InviterName: steward.Name, Message: "Come!", Status: relais.InvitationPending, CreatedAt: v.CreatedAt}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("InvitationByID =\n%+v\nwant\n%+v", got, want)
		}
		if n := lastNotification(t, s, guest.ID, relais.NotifyInvitation); n.SubjectID != v.ID || n.SpaceID != sp.ID || n.ActorID != steward.ID {
			t.Errorf("invitation notification = %+v", n)
		}
		if e := auditEntry(t, s, relais.AuditInvitationSent, v.ID); e == nil || e.ActorID != steward.ID || e.SpaceID != sp.ID {
			t.Errorf("audit of the invitation = %+v", e)
		}
		// One open invitation per person and space.
		wantCode(t, s.Invite(ctx, &relais.Invitation{SpaceID: sp.ID, UserID: guest.ID, InvitedBy: steward.ID, Status: relais.InvitationPending}), relais.ECONFLICT)
		if kinds := notificationKinds(t, s, guest.ID); len(kinds) != 1 {
			t.Errorf("a refused second invitation notified: %v", kinds)
		}
		w := &relais.Invitation{SpaceID: elsewhere.ID, UserID: guest.ID, InvitedBy: steward.ID, Status: relais.InvitationPending}
		if err := s.Invite(ctx, w); err != nil {
			t.Fatalf("invitation to another space: %v", err)
		}
		_, err = s.InvitationByID(ctx, 987654)
		wantCode(t, err, relais.ENOTFOUND)

		// Someone else's invitation cannot be answered.
		wantCode(t, s.RespondInvitation(ctx, v.ID, other.ID, true, 1), relais.ENOTFOUND)
		wantCode(t, s.RespondInvitation(ctx, 987654, guest.ID, true, 1), relais.ENOTFOUND)
		if isMember(t, s, sp.ID, other.ID) {
			t.Fatal("someone else joined through the guest's invitation")
		}
		if err := s.RespondInvitation(ctx, v.ID, guest.ID, true, 1); err != nil {
			t.Fatalf("accept: %v", err)
		}
		got, err = s.InvitationByID(ctx, v.ID)
		if err != nil || got.Status != relais.InvitationAccepted || got.DecidedAt == nil {
			t.Errorf("accepted invitation = %+v, %v", got, err)
		}
		rel, err := s.RelationTo(ctx, guest.ID, sp.ID)
		if err != nil || !rel.Member || rel.CharterVersion != 1 {
			t.Errorf("after accepting: relation %+v, %v", rel, err)
		}
		wantCode(t, s.RespondInvitation(ctx, v.ID, guest.ID, true, 1), relais.ECONFLICT)
		wantCode(t, s.RespondInvitation(ctx, v.ID, guest.ID, false, 1), relais.ECONFLICT)

		if err := s.RespondInvitation(ctx, w.ID, guest.ID, false, 0); err != nil {
			t.Fatalf("decline: %v", err)
		}
		if got, _ := s.InvitationByID(ctx, w.ID); got.Status != relais.InvitationDeclined || got.DecidedAt == nil {
			t.Errorf("declined invitation = %+v", got)
		}
		if isMember(t, s, elsewhere.ID, guest.ID) {
			t.Error("a declined invitation made a member")
		}
		wantCode(t, s.RespondInvitation(ctx, w.ID, guest.ID, true, 1), relais.ECONFLICT)
		// Once answered, the invitation is no longer open: another may follow.
		again := &relais.Invitation{SpaceID: elsewhere.ID, UserID: guest.ID, InvitedBy: steward.ID, Status: relais.InvitationPending}
		if err := s.Invite(ctx, again); err != nil {
			t.Fatalf("invitation after a declined one: %v", err)
		}

		list, err := s.Invitations(ctx, store.InvitationFilter{UserID: guest.ID})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if !slices.Equal(ids, []int64{again.ID, w.ID, v.ID}) {
			t.Errorf("Invitations of the guest = %v, want newest first %v", ids, []int64{again.ID, w.ID, v.ID})
		}
		list, err = s.Invitations(ctx, store.InvitationFilter{SpaceID: elsewhere.ID, Status: relais.InvitationPending})
		if err != nil || len(list) != 1 || list[0].ID != again.ID {
			t.Errorf("pending invitations to elsewhere = %v, %v", list, err)
		}
	})
}

func TestFunnel(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mentor := newUser(t, s, "mentor", relais.RoleCommunityManager)
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		copilot := newCoPilot(t, s, "copilot", mentor.ID)
		sp := newCommunity(t, s, "Forum", relais.JoinRequest)
		other := newCommunity(t, s, "Other", relais.JoinRequest)
		users := map[string]*relais.User{}
		for _, login := range []string{"accepts", "declines", "waits", "vetted", "refused", "pending", "opener", "removed", "old", "oldjoin", "copilot1", "copilot2"} {
			users[login] = newUser(t, s, login)
		}
		past := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Millisecond)
		from := time.Now().Add(-time.Second)

		invite := func(spaceID int64, u *relais.User, by int64, status relais.InvitationStatus, created time.Time) *relais.Invitation {
			t.Helper()
			v := &relais.Invitation{SpaceID: spaceID, UserID: u.ID, InvitedBy: by, Status: status, CreatedAt: created}
			if err := s.Invite(ctx, v); err != nil {
				t.Fatalf("Invite %s: %v", u.Login, err)
			}
			return v
		}
		accept := invite(sp.ID, users["accepts"], steward.ID, relais.InvitationPending, time.Time{})
		decline := invite(sp.ID, users["declines"], steward.ID, relais.InvitationPending, time.Time{})
		invite(sp.ID, users["waits"], steward.ID, relais.InvitationPending, time.Time{})
		invite(other.ID, users["waits"], steward.ID, relais.InvitationPending, time.Time{})
		invite(sp.ID, users["old"], steward.ID, relais.InvitationPending, past) // sent before the period
		// A co-pilot's invitations: one waits for the mentor, one the mentor refused; neither was sent.
		invite(sp.ID, users["copilot1"], copilot.ID, relais.InvitationPendingApproval, time.Time{})
		rejected := invite(sp.ID, users["copilot2"], copilot.ID, relais.InvitationPendingApproval, time.Time{})
		for _, a := range pendingApprovals(t, s, mentor.ID) {
			if a.TargetID == rejected.ID {
				if err := s.DecideApproval(ctx, a.ID, mentor.ID, false, "no"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.RespondInvitation(ctx, accept.ID, users["accepts"].ID, true, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.RespondInvitation(ctx, decline.ID, users["declines"].ID, false, 0); err != nil {
			t.Fatal(err)
		}
		for login, approve := range map[string]bool{"vetted": true, "refused": false} {
			id, err := s.RequestToJoin(ctx, sp.ID, users[login].ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DecideMembershipRequest(ctx, id, steward.ID, approve, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.RequestToJoin(ctx, sp.ID, users["pending"].ID, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestToJoin(ctx, other.ID, users["pending"].ID, 1); err != nil {
			t.Fatal(err)
		}
		joinSpace(t, s, sp.ID, users["opener"].ID, relais.SourceOpen)
		joinSpace(t, s, sp.ID, users["removed"].ID, relais.SourceOpen)
		joinSpace(t, s, other.ID, users["opener"].ID, relais.SourceOpen)
		if err := s.Join(ctx, &relais.Membership{SpaceID: sp.ID, UserID: users["oldjoin"].ID, CharterVersion: 1,
			JoinedAt: past, Source: relais.SourceCriteria}); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveMember(ctx, sp.ID, users["removed"].ID, steward.ID, "gone"); err != nil {
			t.Fatal(err)
		}
		to := time.Now().Add(time.Second)

		got, err := s.Funnel(ctx, sp.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// The removed member's arrival still counts: they joined in the
		// period, then left it.
		want := &relais.Funnel{From: from, To: to, InvitationsSent: 3, InvitationsAccepted: 1, InvitationsDeclined: 1,
			RequestsFiled: 3, RequestsApproved: 1, RequestsRefused: 1, Joined: 4,
			JoinedBySource: map[string]int{relais.SourceInvitation: 1, relais.SourceRequest: 1, relais.SourceOpen: 2}, Removed: 1}
		if !reflect.DeepEqual(&got.Funnel, want) {
			t.Errorf("Funnel over the period =\n%+v\nwant\n%+v", got.Funnel, want)
		}
		// Around the past instant: the old invitation and the old arrival only.
		got, err = s.Funnel(ctx, sp.ID, past.Add(-time.Hour), past.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want = &relais.Funnel{From: past.Add(-time.Hour), To: past.Add(time.Hour), InvitationsSent: 1, Joined: 1,
			JoinedBySource: map[string]int{relais.SourceCriteria: 1}}
		if !reflect.DeepEqual(&got.Funnel, want) {
			t.Errorf("Funnel in the past =\n%+v\nwant\n%+v", got.Funnel, want)
		}
		// The period is half-open: what happened at its end is not in it.
		got, err = s.Funnel(ctx, sp.ID, past.Add(-time.Hour), past)
		if err != nil || got.InvitationsSent != 0 || got.Joined != 0 {
			t.Errorf("Funnel up to the past instant excluded = %+v, %v; want nothing", got, err)
		}
		// Nothing in a period before, between or after.
		for _, period := range [][2]time.Time{
			{past.Add(-72 * time.Hour), past.Add(-24 * time.Hour)},
			{past.Add(time.Hour), from},
			{to, to.Add(24 * time.Hour)},
		} {
			got, err := s.Funnel(ctx, sp.ID, period[0], period[1])
			want := &relais.Funnel{From: period[0], To: period[1], JoinedBySource: map[string]int{}}
			if err != nil || !reflect.DeepEqual(&got.Funnel, want) {
				t.Errorf("Funnel over %v = %+v, %v; want nothing", period, got, err)
			}
		}
	})
}

// pendingApprovals returns the requests waiting for a mentor, newest first.
func pendingApprovals(t *testing.T, s *store.Store, mentorID int64) []*relais.Approval {
	t.Helper()
	as, err := s.Approvals(t.Context(), store.ApprovalFilter{MentorID: mentorID, Status: relais.ApprovalPending})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestOnboarding(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		cm := newUser(t, s, "cm", relais.RoleCommunityManager)
		mentor, successor := newUser(t, s, "mentor"), newUser(t, s, "successor")
		smm := &relais.User{Login: "smm", Name: "Outsourced", Employment: relais.External, Roles: []relais.Role{relais.RoleSocialMediaManager}}
		if err := s.CreateUser(ctx, smm, ""); err != nil {
			t.Fatal(err)
		}
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)

		o, err := s.Onboarding(ctx, smm.ID)
		if err != nil || o.CoPilot || o.Complete || len(o.Steps) != len(relais.OnboardingItems) {
			t.Fatalf("Onboarding before co-pilot = %+v, %v", o, err)
		}
		_, err = s.Onboarding(ctx, 987654)
		wantCode(t, err, relais.ENOTFOUND)

		if err := s.StartCoPilot(ctx, smm.ID, mentor.ID, cm.ID); err != nil {
			t.Fatalf("StartCoPilot: %v", err)
		}
		o, err = s.Onboarding(ctx, smm.ID)
		if err != nil || !o.CoPilot || o.MentorID != mentor.ID || o.MentorName != mentor.Name || o.CoPilotSince == nil ||
			o.UserName != smm.Name || o.Complete {
			t.Fatalf("Onboarding in co-pilot = %+v, %v", o, err)
		}
		for i, st := range o.Steps {
			if st.Item != relais.OnboardingItems[i] || st.Done || st.DoneBy != 0 || st.DoneAt != nil {
				t.Errorf("step %d = %+v, want %s not done", i, st, relais.OnboardingItems[i])
			}
		}
		since := *o.CoPilotSince
		if e := auditEntry(t, s, relais.AuditCoPilotStarted, smm.ID); e == nil || e.ActorID != cm.ID {
			t.Errorf("audit of the start = %+v", e)
		}

		if err := s.ConfirmOnboardingStep(ctx, smm.ID, relais.OnboardingCodes, mentor.ID); err != nil {
			t.Fatalf("ConfirmOnboardingStep: %v", err)
		}
		wantCode(t, s.ConfirmOnboardingStep(ctx, smm.ID, relais.OnboardingCodes, cm.ID), relais.ECONFLICT)
		wantCode(t, s.ConfirmOnboardingStep(ctx, smm.ID, "juggling", mentor.ID), relais.EINVALID)
		o, err = s.Onboarding(ctx, smm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st := o.Steps[0]; !st.Done || st.DoneBy != mentor.ID || st.DoneByName != mentor.Name || st.DoneAt == nil {
			t.Errorf("confirmed step = %+v", st)
		}
		if o.Steps[1].Done || o.Steps[2].Done || o.Complete {
			t.Errorf("after one step: %+v", o)
		}
		if e := auditEntry(t, s, relais.AuditOnboardingStep, smm.ID); e == nil || e.Detail != relais.OnboardingCodes || e.ActorID != mentor.ID {
			t.Errorf("audit of the step = %+v", e)
		}
		wantCode(t, s.EndCoPilot(ctx, smm.ID, cm.ID), relais.EUNPROCESSABLE)
		if u, err := s.UserByID(ctx, smm.ID); err != nil || !u.CoPilot {
			t.Errorf("an incomplete checklist ended the co-pilot: %+v, %v", u, err)
		}

		// What waits for the mentor, then a new mentor: the steps stay, the
		// requests move.
		post := newPost(t, s, sp.ID, smm.ID, relais.StatusPendingApproval, "First", "my first post")
		welcomeID, err := s.RequestActionApproval(ctx, relais.ApproveWelcome, sp.ID, smm.ID, 0, relais.ActionPayload{Welcome: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		if got := pendingApprovals(t, s, mentor.ID); len(got) != 2 {
			t.Fatalf("mentor's queue = %d requests, want 2", len(got))
		}
		if err := s.StartCoPilot(ctx, smm.ID, successor.ID, cm.ID); err != nil {
			t.Fatalf("StartCoPilot with a new mentor: %v", err)
		}
		o, err = s.Onboarding(ctx, smm.ID)
		if err != nil || !o.CoPilot || o.MentorID != successor.ID || !o.Steps[0].Done || o.CoPilotSince == nil || !o.CoPilotSince.Equal(since) {
			t.Errorf("after a new mentor: %+v, %v; want the first step kept and the period since %v", o, err, since)
		}
		if got := pendingApprovals(t, s, mentor.ID); len(got) != 0 {
			t.Errorf("former mentor's queue = %d requests, want 0", len(got))
		}
		got := pendingApprovals(t, s, successor.ID)
		if len(got) != 2 || got[0].ID != welcomeID || got[1].PostID != post.ID {
			t.Errorf("new mentor's queue = %v", got)
		}

		for _, item := range relais.OnboardingItems[1:] {
			if err := s.ConfirmOnboardingStep(ctx, smm.ID, item, successor.ID); err != nil {
				t.Fatal(err)
			}
		}
		if o, err := s.Onboarding(ctx, smm.ID); err != nil || !o.Complete {
			t.Fatalf("complete checklist: %+v, %v", o, err)
		}
		if err := s.EndCoPilot(ctx, smm.ID, cm.ID); err != nil {
			t.Fatalf("EndCoPilot: %v", err)
		}
		if u, err := s.UserByID(ctx, smm.ID); err != nil || u.CoPilot {
			t.Errorf("after EndCoPilot: %+v, %v; want co_pilot false", u, err)
		}
		if o, err := s.Onboarding(ctx, smm.ID); err != nil || o.CoPilot || !o.Complete {
			t.Errorf("Onboarding after the end = %+v, %v", o, err)
		}
		if n := lastNotification(t, s, smm.ID, relais.NotifyCoPilotEnded); n.ActorID != cm.ID {
			t.Errorf("end notification = %+v", n)
		}
		if e := auditEntry(t, s, relais.AuditCoPilotEnded, smm.ID); e == nil || e.ActorID != cm.ID {
			t.Errorf("audit of the end = %+v", e)
		}
		wantCode(t, s.EndCoPilot(ctx, smm.ID, cm.ID), relais.ECONFLICT)

		// A new period starts its checklist afresh.
		if err := s.StartCoPilot(ctx, smm.ID, mentor.ID, cm.ID); err != nil {
			t.Fatal(err)
		}
		o, err = s.Onboarding(ctx, smm.ID)
		if err != nil || !o.CoPilot || o.Complete || slices.ContainsFunc(o.Steps, func(st relais.OnboardingStep) bool { return st.Done }) {
			t.Errorf("a new period: %+v, %v; want no step done", o, err)
		}
	})
}

func TestNotifications(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		u, neighbour := newUser(t, s, "u"), newUser(t, s, "neighbour")
		if ns, err := s.Notifications(ctx, u.ID, 0, 10); err != nil || ns == nil || len(ns) != 0 {
			t.Fatalf("Notifications of a newcomer = %#v, %v; want empty", ns, err)
		}
		const total = 7
		for i := range total {
			sp := newCommunity(t, s, fmt.Sprintf("Space %d", i), relais.JoinOpen)
			if err := s.SetWelcome(ctx, sp.ID, steward.ID, fmt.Sprintf("Welcome %d", i)); err != nil {
				t.Fatal(err)
			}
			joinSpace(t, s, sp.ID, u.ID, relais.SourceOpen)
			if i == 0 {
				joinSpace(t, s, sp.ID, neighbour.ID, relais.SourceOpen)
			}
		}

		// Pages of 3, newest first, each after the last of the previous one.
		var all []*relais.Notification
		before := int64(0)
		for page := 0; ; page++ {
			ns, err := s.Notifications(ctx, u.ID, before, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) == 0 {
				break
			}
			if len(ns) > 3 || page > total {
				t.Fatalf("page %d holds %d notifications", page, len(ns))
			}
			all = append(all, ns...)
			before = ns[len(ns)-1].ID
		}
		if len(all) != total {
			t.Fatalf("paged through %d notifications, want %d", len(all), total)
		}
		for i, n := range all {
			if i > 0 && n.ID >= all[i-1].ID {
				t.Errorf("notification %d (id %d) is not older than the one before (id %d)", i, n.ID, all[i-1].ID)
			}
			k := total - 1 - i
			if n.Kind != relais.NotifyWelcome || n.Detail != fmt.Sprintf("Welcome %d", k) || n.SpaceName != fmt.Sprintf("Space %d", k) ||
				n.ReadAt != nil || n.CreatedAt.IsZero() {
				t.Errorf("notification %d = %+v", i, n)
			}
		}
		if n, err := s.UnreadNotifications(ctx, u.ID); err != nil || n != total {
			t.Errorf("UnreadNotifications = %d, %v; want %d", n, err, total)
		}

		// Read up to the third oldest.
		upTo := all[total-3].ID
		if n, err := s.MarkNotificationsRead(ctx, u.ID, upTo); err != nil || n != 3 {
			t.Errorf("MarkNotificationsRead(up to %d) = %d, %v; want 3", upTo, n, err)
		}
		if n, err := s.UnreadNotifications(ctx, u.ID); err != nil || n != total-3 {
			t.Errorf("UnreadNotifications after reading 3 = %d, %v; want %d", n, err, total-3)
		}
		for _, n := range notificationsOf(t, s, u.ID) {
			if read := n.ReadAt != nil; read != (n.ID <= upTo) {
				t.Errorf("notification %d: read %v, want %v", n.ID, read, n.ID <= upTo)
			}
		}
		// Someone else's notifications are untouched.
		if n, err := s.UnreadNotifications(ctx, neighbour.ID); err != nil || n != 1 {
			t.Errorf("neighbour's unread = %d, %v; want 1", n, err)
		}
		if n, err := s.MarkNotificationsRead(ctx, u.ID, 0); err != nil || n != total-3 {
			t.Errorf("MarkNotificationsRead(all) = %d, %v; want %d", n, err, total-3)
		}
		if n, err := s.MarkNotificationsRead(ctx, u.ID, 0); err != nil || n != 0 {
			t.Errorf("MarkNotificationsRead twice = %d, %v; want 0", n, err)
		}
		if n, err := s.UnreadNotifications(ctx, u.ID); err != nil || n != 0 {
			t.Errorf("UnreadNotifications after reading all = %d, %v", n, err)
		}
		if n, err := s.UnreadNotifications(ctx, neighbour.ID); err != nil || n != 1 {
			t.Errorf("neighbour's unread after u read all = %d, %v; want 1", n, err)
		}
	})
}

// Each visible action of a steward in co-pilot takes effect when the
// mentor approves it, and never when the mentor rejects it.
func TestActionApprovals(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mentor := newUser(t, s, "mentor", relais.RoleCommunityManager)
		smm := newCoPilot(t, s, "smm", mentor.ID)
		due := at.Add(time.Hour)
		n := 0

		// Each case prepares its action in a fresh space and returns the
		// approval request, then checks its effect.
		type env struct {
			sp     *relais.Space
			author *relais.User // author of the posts acted on
			person *relais.User // the person invited or removed
			post   *relais.Post
			target int64
		}
		tests := []struct {
			kind    relais.ApprovalKind
			name    string
			prepare func(t *testing.T, e *env) int64
			check   func(t *testing.T, e *env, approved bool)
			// waits: until the decision the state differs from a rejection's
			// (prepare checks it).
			waits bool
		}{
			{
				kind: relais.ApproveModerate, name: "hide",
				prepare: func(t *testing.T, e *env) int64 {
					id, err := s.RequestActionApproval(ctx, relais.ApproveModerate, e.sp.ID, smm.ID, e.post.ID,
						relais.ActionPayload{Op: "hide", Rule: "Respect", Reason: "Insult"})
					if err != nil {
						t.Fatal(err)
					}
					return id
				},
				check: func(t *testing.T, e *env, approved bool) {
					p := postStatus(t, s, e.post.ID)
					if approved {
						if p.Status != relais.StatusHidden || p.ModerationRule != "Respect" || p.ModerationReason != "Insult" {
							t.Errorf("post after an approved hiding: %+v", p)
						}
						if n := lastNotification(t, s, e.author.ID, relais.NotifyPostHidden); n.ActorID != smm.ID || n.Rule != "Respect" {
							t.Errorf("author's notification = %+v", n)
						}
						return
					}
					if p.Status != relais.StatusPublished {
						t.Errorf("post after a rejected hiding: status %s", p.Status)
					}
					if kinds := notificationKinds(t, s, e.author.ID); len(kinds) != 0 {
						t.Errorf("author told %v of a rejected hiding", kinds)
					}
				},
			},
			{
				kind: relais.ApproveModerate, name: "restore",
				prepare: func(t *testing.T, e *env) int64 {
					if err := s.HidePost(ctx, e.post.ID, mentor.ID, "Respect", "Insult"); err != nil {
						t.Fatal(err)
					}
					id, err := s.RequestActionApproval(ctx, relais.ApproveModerate, e.sp.ID, smm.ID, e.post.ID, relais.ActionPayload{Op: "restore"})
					if err != nil {
						t.Fatal(err)
					}
					return id
				},
				check: func(t *testing.T, e *env, approved bool) {
					want, told := relais.StatusHidden, []string{relais.NotifyPostHidden}
					if approved {
						want, told = relais.StatusPublished, []string{relais.NotifyPostHidden, relais.NotifyPostRestored}
					}
					if p := postStatus(t, s, e.post.ID); p.Status != want {
						t.Errorf("post status %s, want %s", p.Status, want)
					}
					if kinds := notificationKinds(t, s, e.author.ID); !slices.Equal(kinds, told) {
						t.Errorf("author's notifications = %v, want %v", kinds, told)
					}
				},
			},
			{
				kind: relais.ApprovePin, name: "pin",
				prepare: func(t *testing.T, e *env) int64 {
					id, err := s.RequestActionApproval(ctx, relais.ApprovePin, e.sp.ID, smm.ID, e.post.ID, relais.ActionPayload{Pin: true})
					if err != nil {
						t.Fatal(err)
					}
					return id
				},
				check: func(t *testing.T, e *env, approved bool) {
					if p := postStatus(t, s, e.post.ID); p.Pinned != approved {
						t.Errorf("pinned %v, want %v", p.Pinned, approved)
					}
					ps, err := s.PinnedPosts(ctx, e.sp.ID)
					if err != nil || len(ps) != map[bool]int{true: 1, false: 0}[approved] {
						t.Errorf("PinnedPosts = %v, %v", ps, err)
					}
				},
			},
			{
				kind: relais.ApproveSchedule, name: "schedule", waits: true,
				prepare: func(t *testing.T, e *env) int64 {
					sp := &relais.ScheduledPost{SpaceID: e.sp.ID, AuthorID: smm.ID, Kind: relais.KindDiscussion,
						Title: "Scheduled in " + e.sp.Name, Body: "later", PublishAt: due, Status: relais.SchedulePendingApproval}
					if err := s.SchedulePost(ctx, sp); err != nil {
						t.Fatal(err)
					}
					e.target = sp.ID
					// Not due before the mentor decides.
					if ps, err := s.PublishDue(ctx, due.Add(time.Minute), 0); err != nil || len(ps) != 0 {
						t.Fatalf("PublishDue of a post waiting for approval = %v, %v", ps, err)
					}
					return approvalOf(t, s, mentor.ID, relais.ApproveSchedule, sp.ID)
				},
				check: func(t *testing.T, e *env, approved bool) {
					want := relais.ScheduleRejected
					if approved {
						want = relais.ScheduleWaiting
					}
					sp, err := s.ScheduledPostByID(ctx, e.target)
					if err != nil || sp.Status != want {
						t.Fatalf("scheduled post = %+v, %v; want status %s", sp, err, want)
					}
					ps, err := s.PublishDue(ctx, due.Add(time.Minute), 0)
					if err != nil {
						t.Fatal(err)
					}
					if approved != (len(ps) == 1 && ps[0].Title == sp.Title && ps[0].SpaceID == e.sp.ID) || len(ps) > 1 {
						t.Errorf("PublishDue after the decision = %v, want the post published: %v", ps, approved)
					}
					if ps, err := s.PublishDue(ctx, due.Add(time.Hour), 0); err != nil || len(ps) != 0 {
						t.Errorf("PublishDue again = %v, %v; want nothing", ps, err)
					}
					posts, err := s.Posts(ctx, store.PostFilter{SpaceID: e.sp.ID})
					if err != nil || len(posts) != map[bool]int{true: 2, false: 1}[approved] {
						t.Errorf("posts of the space = %d, %v", len(posts), err)
					}
				},
			},
			{
				kind: relais.ApproveWelcome, name: "welcome",
				prepare: func(t *testing.T, e *env) int64 {
					id, err := s.RequestActionApproval(ctx, relais.ApproveWelcome, e.sp.ID, smm.ID, 0, relais.ActionPayload{Welcome: "Bienvenue"})
					if err != nil {
						t.Fatal(err)
					}
					if a, err := s.ApprovalByID(ctx, id); err != nil || a.Body != "Bienvenue" {
						t.Errorf("welcome approval body = %+v, %v", a, err)
					}
					return id
				},
				check: func(t *testing.T, e *env, approved bool) {
					want := ""
					if approved {
						want = "Bienvenue"
					}
					if text, err := s.Welcome(ctx, e.sp.ID); err != nil || text != want {
						t.Errorf("Welcome = %q, %v; want %q", text, err, want)
					}
				},
			},
			{
				kind: relais.ApproveInvite, name: "invite", waits: true,
				prepare: func(t *testing.T, e *env) int64 {
					v := &relais.Invitation{SpaceID: e.sp.ID, UserID: e.person.ID, UserName: e.person.Name, InvitedBy: smm.ID,
						Message: "Join us", Status: relais.InvitationPendingApproval}
					if err := s.Invite(ctx, v); err != nil {
						t.Fatal(err)
					}
					e.target = v.ID
					if kinds := notificationKinds(t, s, e.person.ID); len(kinds) != 0 {
						t.Errorf("invitee told %v before the mentor decided", kinds)
					}
					// Not answerable before the mentor decides.
					wantCode(t, s.RespondInvitation(ctx, v.ID, e.person.ID, true, 1), relais.ECONFLICT)
					return approvalOf(t, s, mentor.ID, relais.ApproveInvite, v.ID)
				},
				check: func(t *testing.T, e *env, approved bool) {
					v, err := s.InvitationByID(ctx, e.target)
					if err != nil {
						t.Fatal(err)
					}
					if !approved {
						if v.Status != relais.InvitationRejected || v.DecidedAt == nil {
							t.Errorf("rejected invitation = %+v", v)
						}
						if kinds := notificationKinds(t, s, e.person.ID); len(kinds) != 0 {
							t.Errorf("invitee told %v of a rejected invitation", kinds)
						}
						wantCode(t, s.RespondInvitation(ctx, v.ID, e.person.ID, true, 1), relais.ECONFLICT)
						if isMember(t, s, e.sp.ID, e.person.ID) {
							t.Error("a rejected invitation made a member")
						}
						return
					}
					if v.Status != relais.InvitationPending {
						t.Errorf("approved invitation = %+v", v)
					}
					if n := lastNotification(t, s, e.person.ID, relais.NotifyInvitation); n.SubjectID != v.ID || n.ActorID != smm.ID {
						t.Errorf("invitation notification = %+v", n)
					}
					if err := s.RespondInvitation(ctx, v.ID, e.person.ID, true, 1); err != nil {
						t.Errorf("accepting an approved invitation: %v", err)
					}
					if !isMember(t, s, e.sp.ID, e.person.ID) {
						t.Error("accepting an approved invitation made no member")
					}
				},
			},
			{
				kind: relais.ApproveRemove, name: "remove",
				prepare: func(t *testing.T, e *env) int64 {
					joinSpace(t, s, e.sp.ID, e.person.ID, relais.SourceOpen)
					id, err := s.RequestActionApproval(ctx, relais.ApproveRemove, e.sp.ID, smm.ID, 0,
						relais.ActionPayload{UserID: e.person.ID, UserName: e.person.Name, Reason: "Spam"})
					if err != nil {
						t.Fatal(err)
					}
					return id
				},
				check: func(t *testing.T, e *env, approved bool) {
					if isMember(t, s, e.sp.ID, e.person.ID) == approved {
						t.Errorf("member after the decision: %v, want %v", !approved, !approved)
					}
					if !approved {
						if kinds := notificationKinds(t, s, e.person.ID); len(kinds) != 0 {
							t.Errorf("member told %v of a rejected removal", kinds)
						}
						return
					}
					if n := lastNotification(t, s, e.person.ID, relais.NotifyRemoved); n.Detail != "Spam" || n.ActorID != smm.ID || n.SpaceID != e.sp.ID {
						t.Errorf("removal notification = %+v", n)
					}
				},
			},
		}
		for _, tt := range tests {
			for _, approve := range []bool{true, false} {
				n++
				decision := map[bool]string{true: "approved", false: "rejected"}[approve]
				t.Run(tt.name+"/"+decision, func(t *testing.T) {
					e := &env{sp: newCommunity(t, s, fmt.Sprintf("Space %d", n), relais.JoinOpen),
						author: newUser(t, s, fmt.Sprintf("author%d", n)), person: newUser(t, s, fmt.Sprintf("person%d", n))}
					e.post = newPost(t, s, e.sp.ID, e.author.ID, relais.StatusPublished, "Thread", "a thread")
					id := tt.prepare(t, e)
					a, err := s.ApprovalByID(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if a.Kind != tt.kind || a.Status != relais.ApprovalPending || a.MentorID != mentor.ID || a.RequesterID != smm.ID ||
						a.SpaceID != e.sp.ID || a.Action == nil {
						t.Fatalf("approval request = %+v", a)
					}
					if !slices.ContainsFunc(pendingApprovals(t, s, mentor.ID), func(x *relais.Approval) bool { return x.ID == id }) {
						t.Error("the request is not in the mentor's queue")
					}
					// Nothing happens before the decision.
					if !tt.waits {
						tt.check(t, e, false)
						if t.Failed() {
							t.FailNow()
						}
					}
					if err := s.DecideApproval(ctx, id, mentor.ID, approve, "because"); err != nil {
						t.Fatalf("DecideApproval(%v): %v", approve, err)
					}
					tt.check(t, e, approve)
					a, err = s.ApprovalByID(ctx, id)
					want := relais.ApprovalRejected
					if approve {
						want = relais.ApprovalApproved
					}
					if err != nil || a.Status != want || a.DecidedBy != mentor.ID || a.DecidedAt == nil || a.Reason != "because" {
						t.Errorf("decided approval = %+v, %v", a, err)
					}
					if slices.ContainsFunc(pendingApprovals(t, s, mentor.ID), func(x *relais.Approval) bool { return x.ID == id }) {
						t.Error("a decided request is still in the mentor's queue")
					}
					told := relais.NotifyApprovalRejected
					if approve {
						told = relais.NotifyApprovalApproved
					}
					found := false
					for _, n := range notificationsOf(t, s, smm.ID) {
						found = found || (n.Kind == told && n.SubjectID == id && n.ActorID == mentor.ID)
					}
					if !found {
						t.Errorf("the requester was not told %s of approval %d", told, id)
					}
					// Deciding twice, either way, is a conflict that changes nothing.
					wantCode(t, s.DecideApproval(ctx, id, mentor.ID, !approve, ""), relais.ECONFLICT)
					wantCode(t, s.DecideApproval(ctx, id, mentor.ID, approve, ""), relais.ECONFLICT)
					if a, err := s.ApprovalByID(ctx, id); err != nil || a.Status != want {
						t.Errorf("after deciding twice: %+v, %v", a, err)
					}
				})
			}
		}
		wantCode(t, s.DecideApproval(ctx, 987654, mentor.ID, true, ""), relais.ENOTFOUND)
	})
}

// approvalOf returns the pending approval request of a kind about a target.
func approvalOf(t *testing.T, s *store.Store, mentorID int64, kind relais.ApprovalKind, targetID int64) int64 {
	t.Helper()
	for _, a := range pendingApprovals(t, s, mentorID) {
		if a.Kind == kind && a.TargetID == targetID {
			return a.ID
		}
	}
	t.Fatalf("no pending %s approval for %d in the queue of mentor %d", kind, targetID, mentorID)
	return 0
}

func schedule(t *testing.T, s *store.Store, spaceID, authorID int64, title string, publishAt time.Time, status relais.ScheduledStatus) *relais.ScheduledPost {
	t.Helper()
	p := &relais.ScheduledPost{SpaceID: spaceID, AuthorID: authorID, Kind: relais.KindDiscussion, Title: title,
		Body: "Body of " + title, PublishAt: publishAt, Status: status}
	if err := s.SchedulePost(t.Context(), p); err != nil {
		t.Fatalf("SchedulePost %q: %v", title, err)
	}
	return p
}

func titles(ps []*relais.Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

func TestPublishDue(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mentor := newUser(t, s, "mentor", relais.RoleCommunityManager)
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		copilot := newCoPilot(t, s, "copilot", mentor.ID)
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		third := schedule(t, s, sp.ID, steward.ID, "Troisième zèbre", at.Add(3*time.Minute), relais.ScheduleWaiting)
		first := schedule(t, s, sp.ID, steward.ID, "Premier zèbre", at.Add(time.Minute), relais.ScheduleWaiting)
		second := schedule(t, s, sp.ID, steward.ID, "Deuxième zèbre", at.Add(2*time.Minute), relais.ScheduleWaiting)
		later := schedule(t, s, sp.ID, steward.ID, "Plus tard", at.Add(10*time.Minute), relais.ScheduleWaiting)
		cancelled := schedule(t, s, sp.ID, steward.ID, "Annulé", at, relais.ScheduleWaiting)
		waiting := schedule(t, s, sp.ID, copilot.ID, "En attente", at, relais.SchedulePendingApproval)
		withdrawn := schedule(t, s, sp.ID, copilot.ID, "Retiré", at, relais.SchedulePendingApproval)
		withdrawnApproval := approvalOf(t, s, mentor.ID, relais.ApproveSchedule, withdrawn.ID)

		got, err := s.ScheduledPostByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := &relais.ScheduledPost{ID: first.ID, SpaceID: sp.ID, AuthorID: steward.ID, AuthorName: steward.Name,
			Kind: relais.KindDiscussion, Title: first.Title, Body: first.Body, PublishAt: at.Add(time.Minute),
			Status: relais.ScheduleWaiting, CreatedAt: first.CreatedAt}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ScheduledPostByID =\n%+v\nwant\n%+v", got, want)
		}
		if e := auditEntry(t, s, relais.AuditPostScheduled, first.ID); e == nil || e.ActorID != steward.ID {
			t.Errorf("audit of the scheduling = %+v", e)
		}
		_, err = s.ScheduledPostByID(ctx, 987654)
		wantCode(t, err, relais.ENOTFOUND)

		if err := s.CancelScheduledPost(ctx, cancelled.ID, steward.ID); err != nil {
			t.Fatalf("CancelScheduledPost: %v", err)
		}
		wantCode(t, s.CancelScheduledPost(ctx, cancelled.ID, steward.ID), relais.ECONFLICT)
		wantCode(t, s.CancelScheduledPost(ctx, 987654, steward.ID), relais.ENOTFOUND)
		// Cancelling a post that waits for the mentor closes the request.
		if err := s.CancelScheduledPost(ctx, withdrawn.ID, copilot.ID); err != nil {
			t.Fatal(err)
		}
		if a, err := s.ApprovalByID(ctx, withdrawnApproval); err != nil || a.Status != relais.ApprovalRejected {
			t.Errorf("approval of a cancelled post = %+v, %v; want rejected", a, err)
		}

		list, err := s.ScheduledPosts(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, p := range list {
			order = append(order, p.Title+" "+string(p.Status))
		}
		wantOrder := []string{"En attente pending_approval", "Premier zèbre scheduled", "Deuxième zèbre scheduled",
			"Troisième zèbre scheduled", "Plus tard scheduled", "Retiré cancelled", "Annulé cancelled"}
		// Two cancelled posts due at the same instant come newest first.
		if !slices.Equal(order, wantOrder) {
			t.Errorf("ScheduledPosts =\n%v\nwant\n%v", order, wantOrder)
		}
		if next, err := s.NextDue(ctx); err != nil || !next.Equal(at.Add(time.Minute)) {
			t.Errorf("NextDue = %v, %v; want %v", next, err, at.Add(time.Minute))
		}

		// Nothing is due yet.
		if ps, err := s.PublishDue(ctx, at.Add(time.Minute-time.Millisecond), 0); err != nil || len(ps) != 0 {
			t.Fatalf("PublishDue before the first is due = %v, %v", titles(ps), err)
		}
		// Due posts in publish_at order, up to the limit.
		ps, err := s.PublishDue(ctx, at.Add(5*time.Minute), 2)
		if err != nil || !slices.Equal(titles(ps), []string{first.Title, second.Title}) {
			t.Fatalf("PublishDue(limit 2) = %v, %v; want %v", titles(ps), err, []string{first.Title, second.Title})
		}
		rest, err := s.PublishDue(ctx, at.Add(5*time.Minute), 0)
		if err != nil || !slices.Equal(titles(rest), []string{third.Title}) {
			t.Fatalf("PublishDue after = %v, %v; want %v", titles(rest), err, []string{third.Title})
		}
		ps = append(ps, rest...)
		if again, err := s.PublishDue(ctx, at.Add(5*time.Minute), 0); err != nil || len(again) != 0 {
			t.Errorf("PublishDue twice = %v, %v; want nothing more", titles(again), err)
		}
		for i, sched := range []*relais.ScheduledPost{first, second, third} {
			got, err := s.ScheduledPostByID(ctx, sched.ID)
			if err != nil || got.Status != relais.SchedulePublished || got.PostID != ps[i].ID || ps[i].ID == 0 {
				t.Errorf("scheduled %q after publishing = %+v, %v; want published as post %d", sched.Title, got, err, ps[i].ID)
			}
			p := postStatus(t, s, ps[i].ID)
			if p.Status != relais.StatusPublished || p.Title != sched.Title || p.Body != sched.Body || p.AuthorID != steward.ID ||
				p.SpaceID != sp.ID || p.Kind != relais.KindDiscussion || !p.CreatedAt.Equal(ps[i].CreatedAt) {
				t.Errorf("published post = %+v, want %+v", p, ps[i])
			}
		}
		// Published posts are searchable; the others are not posts at all.
		found := searchIDs(t, s, "zèbre", sp.ID)
		slices.Sort(found)
		if !slices.Equal(found, []int64{ps[0].ID, ps[1].ID, ps[2].ID}) {
			t.Errorf("search zèbre = %v, want the three published posts %d %d %d", found, ps[0].ID, ps[1].ID, ps[2].ID)
		}
		for _, sched := range []*relais.ScheduledPost{later, cancelled, waiting, withdrawn} {
			got, err := s.ScheduledPostByID(ctx, sched.ID)
			if err != nil || got.PostID != 0 || got.Status == relais.SchedulePublished {
				t.Errorf("scheduled %q = %+v, %v; want not published", sched.Title, got, err)
			}
		}
		wantCode(t, s.CancelScheduledPost(ctx, first.ID, steward.ID), relais.ECONFLICT)
		if next, err := s.NextDue(ctx); err != nil || !next.Equal(later.PublishAt) {
			t.Errorf("NextDue = %v, %v; want %v", next, err, later.PublishAt)
		}
		// Much later, only "later" remains due: cancelled and waiting posts never appear.
		ps, err = s.PublishDue(ctx, at.Add(24*time.Hour), 0)
		if err != nil || !slices.Equal(titles(ps), []string{later.Title}) {
			t.Errorf("PublishDue much later = %v, %v; want %v", titles(ps), err, []string{later.Title})
		}
		if next, err := s.NextDue(ctx); err != nil || !next.IsZero() {
			t.Errorf("NextDue with nothing scheduled = %v, %v; want zero", next, err)
		}
		posts, err := s.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 100})
		if err != nil || len(posts) != 4 {
			t.Errorf("posts of the space = %v, %v; want 4", len(posts), err)
		}
	})
}

// Several nodes share one PostgreSQL database, each with its scheduler:
// every due post is published exactly once whoever publishes it. On SQLite
// the single node runs its scheduler from two goroutines.
func TestPublishDueExactlyOnceAcrossNodes(t *testing.T) {
	t.Parallel()
	engines := testdb.Engines(t) // fails in CI without PostgreSQL
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			if !slices.Contains(engines, engine) {
				t.Skipf("publishing from several nodes needs PostgreSQL: set %s to a server URL, "+
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
			s := nodes[0]
			if _, err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			publishDueOnce(t, nodes, map[string]int{"sqlite": 2, "postgres": 4}[engine])
		})
	}
}

// publishDueOnce schedules due posts, publishes them from workers
// goroutines on each node at once, and checks each became one post.
func publishDueOnce(t *testing.T, nodes []*store.Store, workers int) {
	ctx := t.Context()
	s := nodes[0]
	steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
	sp := newCommunity(t, s, "Forum", relais.JoinOpen)
	const total = 200
	scheduled := map[string]*relais.ScheduledPost{}
	for i := range total {
		// Out of order, several at each instant.
		p := schedule(t, s, sp.ID, steward.ID, fmt.Sprintf("Post %03d", i), at.Add(time.Duration((i*37)%50)*time.Second), relais.ScheduleWaiting)
		scheduled[p.Title] = p
	}
	notYet := schedule(t, s, sp.ID, steward.ID, "Not yet", at.Add(time.Hour), relais.ScheduleWaiting)
	now := at.Add(time.Minute)

	var mu sync.Mutex
	published := map[string][]int64{} // title -> post ids returned by PublishDue
	var wg sync.WaitGroup
	start := make(chan struct{})
	for n, node := range nodes {
		for w := range workers {
			wg.Go(func() {
				<-start
				for {
					ps, err := node.PublishDue(ctx, now, 7)
					if err != nil {
						t.Errorf("node %d worker %d: PublishDue: %v", n, w, err)
						return
					}
					mu.Lock()
					for _, p := range ps {
						published[p.Title] = append(published[p.Title], p.ID)
					}
					mu.Unlock()
					if len(ps) > 0 {
						continue
					}
					// Nothing for this worker: done when nothing is due any more
					// (what another worker holds is still due until it commits).
					next, err := node.NextDue(ctx)
					if err != nil {
						t.Errorf("node %d worker %d: NextDue: %v", n, w, err)
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

	// PublishDue returned each post once.
	if len(published) != total {
		t.Errorf("PublishDue returned %d distinct titles, want %d", len(published), total)
	}
	for title, ids := range published {
		if len(ids) != 1 {
			t.Errorf("%q published %d times: posts %v", title, len(ids), ids)
		}
		if scheduled[title] == nil {
			t.Errorf("PublishDue published %q, which was not due", title)
		}
	}
	// Each scheduled post points at its own post…
	postIDs := map[int64]string{}
	for title, sched := range scheduled {
		got, err := s.ScheduledPostByID(ctx, sched.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != relais.SchedulePublished || got.PostID == 0 {
			t.Errorf("%q: status %s, post %d; want published", title, got.Status, got.PostID)
			continue
		}
		if other, dup := postIDs[got.PostID]; dup {
			t.Errorf("%q and %q both point at post %d", title, other, got.PostID)
		}
		postIDs[got.PostID] = title
		if ids := published[title]; len(ids) == 0 || ids[0] != got.PostID {
			t.Errorf("%q points at post %d, PublishDue returned %v", title, got.PostID, ids)
		}
	}
	if got, err := s.ScheduledPostByID(ctx, notYet.ID); err != nil || got.Status != relais.ScheduleWaiting || got.PostID != 0 {
		t.Errorf("post not yet due = %+v, %v", got, err)
	}
	// …and the space holds exactly one post per scheduled post.
	perTitle := map[string]int{}
	for before := int64(0); ; {
		ps, err := s.Posts(ctx, store.PostFilter{SpaceID: sp.ID, BeforeID: before, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			perTitle[p.Title]++
			if postIDs[p.ID] != p.Title {
				t.Errorf("post %d %q is no scheduled post's", p.ID, p.Title)
			}
		}
		before = ps[len(ps)-1].ID
	}
	if len(perTitle) != total {
		t.Errorf("the space holds %d distinct titles, want %d", len(perTitle), total)
	}
	for title, n := range perTitle {
		if n != 1 {
			t.Errorf("the space holds %d posts %q", n, title)
		}
	}
}

// What waits survives a restart: a scheduled post is published once after
// the store is reopened, and a co-pilot's requests still wait for the
// mentor, whose approval then takes effect.
func TestAnimationSurvivesRestart(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			url := testdb.URL(t, engine)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			first, closed := s, false
			t.Cleanup(func() {
				if !closed {
					first.Close()
				}
			})
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			mentor := newUser(t, s, "mentor", relais.RoleCommunityManager)
			steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
			smm := newCoPilot(t, s, "smm", mentor.ID)
			member := newUser(t, s, "member")
			sp := newCommunity(t, s, "Forum", relais.JoinOpen)
			sched := schedule(t, s, sp.ID, steward.ID, "Annonce différée", at.Add(time.Hour), relais.ScheduleWaiting)
			post := newPost(t, s, sp.ID, smm.ID, relais.StatusPendingApproval, "Premier message", "waits for the mentor")
			welcomeID, err := s.RequestActionApproval(ctx, relais.ApproveWelcome, sp.ID, smm.ID, 0, relais.ActionPayload{Welcome: "Bienvenue !"})
			if err != nil {
				t.Fatal(err)
			}
			closed = true
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}

			s, err = store.Open(ctx, url)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			if applied, err := s.Migrate(ctx); err != nil || len(applied) != 0 {
				t.Fatalf("Migrate after a restart = %v, %v; want nothing applied", applied, err)
			}
			if next, err := s.NextDue(ctx); err != nil || !next.Equal(sched.PublishAt) {
				t.Errorf("NextDue after a restart = %v, %v; want %v", next, err, sched.PublishAt)
			}
			if ps, err := s.PublishDue(ctx, at, 0); err != nil || len(ps) != 0 {
				t.Errorf("PublishDue before the time = %v, %v", titles(ps), err)
			}
			ps, err := s.PublishDue(ctx, at.Add(2*time.Hour), 0)
			if err != nil || len(ps) != 1 || ps[0].Title != sched.Title {
				t.Fatalf("PublishDue after the time = %v, %v; want %q", titles(ps), err, sched.Title)
			}
			if again, err := s.PublishDue(ctx, at.Add(3*time.Hour), 0); err != nil || len(again) != 0 {
				t.Errorf("PublishDue again = %v, %v; want nothing", titles(again), err)
			}
			if got, err := s.ScheduledPostByID(ctx, sched.ID); err != nil || got.Status != relais.SchedulePublished || got.PostID != ps[0].ID {
				t.Errorf("scheduled post after publishing = %+v, %v", got, err)
			}

			queue := pendingApprovals(t, s, mentor.ID)
			if len(queue) != 2 || queue[0].ID != welcomeID || queue[0].Kind != relais.ApproveWelcome || queue[0].Body != "Bienvenue !" ||
				queue[1].Kind != relais.ApprovePost || queue[1].PostID != post.ID {
				t.Fatalf("mentor's queue after a restart = %+v", queue)
			}
			if o, err := s.Onboarding(ctx, smm.ID); err != nil || !o.CoPilot || o.MentorID != mentor.ID {
				t.Errorf("co-pilot after a restart = %+v, %v", o, err)
			}
			for _, id := range []int64{welcomeID, queue[1].ID} {
				if err := s.DecideApproval(ctx, id, mentor.ID, true, ""); err != nil {
					t.Fatalf("DecideApproval(%d): %v", id, err)
				}
			}
			if text, err := s.Welcome(ctx, sp.ID); err != nil || text != "Bienvenue !" {
				t.Errorf("Welcome after approval = %q, %v", text, err)
			}
			joinSpace(t, s, sp.ID, member.ID, relais.SourceOpen)
			if n := lastNotification(t, s, member.ID, relais.NotifyWelcome); n.Detail != "Bienvenue !" {
				t.Errorf("welcome notification = %+v", n)
			}
			if p := postStatus(t, s, post.ID); p.Status != relais.StatusPublished {
				t.Errorf("approved post status %s", p.Status)
			}
			if q := pendingApprovals(t, s, mentor.ID); len(q) != 0 {
				t.Errorf("mentor's queue after deciding = %v", q)
			}
		})
	}
}

// Migration 0004 rebuilds the approvals table on SQLite: the requests
// filed before it stay, pending, and can still be decided.
func TestMigration0004KeepsApprovals(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			url := testdb.URL(t, engine)
			// Bring the database to version 3 with the migration files.
			driver, dsn := "pgx", url
			if engine == "sqlite" {
				driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
			}
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `CREATE TABLE schema_migrations (
				version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			files, err := filepath.Glob(filepath.Join("migrations", engine, "000[123]_*.sql"))
			if err != nil || len(files) != 3 {
				t.Fatalf("migration files 1 to 3 = %v, %v", files, err)
			}
			for i, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, string(b)); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				if _, err := db.ExecContext(ctx, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, '%s', 0)", i+1, filepath.Base(f))); err != nil {
					t.Fatal(err)
				}
			}
			// Requests of a co-pilot filed at version 3, written as version 3
			// wrote them (the code of today writes to later tables): a
			// pending post and a decision on a request to join.
			const mentorID, smmID, applicantID, spaceID, postID, jr = 1001, 1002, 1003, 1011, 1021, 1031
			rebind := func(q string) string {
				if engine != "postgres" {
					return q
				}
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
				}
				return q
			}
			for _, st := range []struct {
				q    string
				args []any
			}{
				{"INSERT INTO users (id, login, name, employment, created_at) VALUES (?, 'mentor', 'Mentor', 'internal', 0)", []any{mentorID}},
				{"INSERT INTO user_roles (user_id, role) VALUES (?, 'community_manager')", []any{mentorID}},
				{"INSERT INTO users (id, login, name, employment, co_pilot, mentor_id, created_at) VALUES (?, 'smm', 'Outsourced', 'external', TRUE, ?, 0)", []any{smmID, mentorID}},
				{"INSERT INTO user_roles (user_id, role) VALUES (?, 'social_media_manager')", []any{smmID}},
				{"INSERT INTO users (id, login, name, employment, created_at) VALUES (?, 'applicant', 'Applicant', 'internal', 0)", []any{applicantID}},
				{"INSERT INTO spaces (id, name, kind, audience, join_policy, flow, created_at) VALUES (?, 'Forum', 'community', 'mixed', 'request', 'above', 0)", []any{spaceID}},
				{"INSERT INTO charters (space_id, version, objective, rules, autonomy, expected_actions, created_at) VALUES (?, 1, 'o', 'r', 'a', 'e', 0)", []any{spaceID}},
				{"INSERT INTO space_stewards (space_id, user_id) VALUES (?, ?)", []any{spaceID, smmID}},
				{"INSERT INTO posts (id, space_id, author_id, kind, title, body, status, created_at) VALUES (?, ?, ?, 'discussion', 'Before', 'filed before 0004', 'pending_approval', 0)", []any{postID, spaceID, smmID}},
				{"INSERT INTO approvals (kind, post_id, space_id, requester_id, mentor_id, status, created_at) VALUES ('post', ?, ?, ?, ?, 'pending', 1)", []any{postID, spaceID, smmID, mentorID}},
				{"INSERT INTO join_requests (id, space_id, user_id, charter_version, status, created_at) VALUES (?, ?, ?, 1, 'pending', 0)", []any{jr, spaceID, applicantID}},
				{"INSERT INTO approvals (kind, join_request_id, join_approve, join_reason, space_id, requester_id, mentor_id, status, created_at) VALUES ('join', ?, TRUE, 'welcome', ?, ?, ?, 'pending', 2)", []any{jr, spaceID, smmID, mentorID}},
			} {
				if _, err := db.ExecContext(ctx, rebind(st.q), st.args...); err != nil {
					t.Fatalf("%s: %v", st.q, err)
				}
			}
			db.Close()

			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if v, err := s.SchemaVersion(ctx); err != nil || v != 3 {
				t.Fatalf("SchemaVersion = %d, %v; want 3", v, err)
			}
			mentor, smm := &relais.User{ID: mentorID}, &relais.User{ID: smmID}
			applicant, sp, post := &relais.User{ID: applicantID}, &relais.Space{ID: spaceID}, &relais.Post{ID: postID}

			if applied, err := s.Migrate(ctx); err != nil || len(applied) == 0 || applied[0] != "0004_animation.sql" {
				t.Fatalf("Migrate = %v, %v; want 0004 and what follows", applied, err)
			}
			queue := pendingApprovals(t, s, mentor.ID)
			if len(queue) != 2 || queue[0].Kind != relais.ApproveJoin || queue[0].JoinRequestID != jr || !queue[0].JoinApprove ||
				queue[0].JoinReason != "welcome" || queue[1].Kind != relais.ApprovePost || queue[1].PostID != post.ID ||
				queue[1].RequesterID != smm.ID || queue[1].Action != nil || queue[1].TargetID != 0 {
				t.Fatalf("mentor's queue after 0004 = %+v", queue)
			}
			// The pending join decision is still unique.
			_, err = s.RequestJoinDecisionApproval(ctx, jr, smm.ID, false, "")
			wantCode(t, err, relais.ECONFLICT)
			for _, a := range queue {
				if err := s.DecideApproval(ctx, a.ID, mentor.ID, true, ""); err != nil {
					t.Fatalf("DecideApproval(%s): %v", a.Kind, err)
				}
			}
			if p := postStatus(t, s, post.ID); p.Status != relais.StatusPublished {
				t.Errorf("post approved after 0004: status %s", p.Status)
			}
			if !isMember(t, s, sp.ID, applicant.ID) {
				t.Error("join decision approved after 0004 made no member")
			}
		})
	}
}

// Stewards who pin (or unpin) one thread at once, on as many connections:
// one of them does it, the others are told it is done already.
func TestPinConcurrently(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		const stewards = 8
		for round := range 10 {
			p := newPost(t, s, sp.ID, steward.ID, relais.StatusPublished, fmt.Sprintf("Round %d", round), "pin me")
			for _, pin := range []bool{true, false} {
				errs := make([]error, stewards)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range stewards {
					wg.Go(func() {
						<-start
						errs[i] = s.PinPost(ctx, p.ID, steward.ID, pin)
					})
				}
				close(start)
				wg.Wait()
				done := 0
				for _, err := range errs {
					switch relais.ErrorCode(err) {
					case "":
						done++
					case relais.ECONFLICT:
					default:
						t.Errorf("round %d: PinPost(%v): %v", round, pin, err)
					}
				}
				if done != 1 {
					t.Errorf("round %d: %d of %d concurrent PinPost(%v) succeeded, want 1", round, done, stewards, pin)
				}
				if got := postStatus(t, s, p.ID).Pinned; got != pin {
					t.Errorf("round %d: pinned %v, want %v", round, got, pin)
				}
			}
			entries, err := s.Audit(ctx, store.AuditFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			pins := map[string]int{}
			for _, e := range entries {
				if e.SubjectKind == "post" && e.SubjectID == p.ID {
					pins[e.Action]++
				}
			}
			if want := map[string]int{relais.AuditPostPinned: 1, relais.AuditPostUnpinned: 1}; !reflect.DeepEqual(pins, want) {
				t.Errorf("round %d: audit of the post = %v, want %v", round, pins, want)
			}
		}
	})
}

// An author cancels a scheduled post while the mentor decides on it: one
// of them wins, the other is told, and the post never appears.
func TestCancelScheduledWhileDeciding(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mentor := newUser(t, s, "mentor", relais.RoleCommunityManager)
		smm := newCoPilot(t, s, "smm", mentor.ID)
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		for round := range 40 {
			approve := round%2 == 0
			p := schedule(t, s, sp.ID, smm.ID, fmt.Sprintf("Round %d", round), at, relais.SchedulePendingApproval)
			id := approvalOf(t, s, mentor.ID, relais.ApproveSchedule, p.ID)
			var cancelErr, decideErr error
			var wg sync.WaitGroup
			start := make(chan struct{})
			wg.Go(func() { <-start; cancelErr = s.CancelScheduledPost(ctx, p.ID, smm.ID) })
			wg.Go(func() { <-start; decideErr = s.DecideApproval(ctx, id, mentor.ID, approve, "") })
			close(start)
			wg.Wait()
			for _, err := range []error{cancelErr, decideErr} {
				if code := relais.ErrorCode(err); err != nil && code != relais.ECONFLICT {
					t.Errorf("round %d: %v (code %q), want success or a conflict", round, err, code)
				}
			}
			got, err := s.ScheduledPostByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.ApprovalByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Status == relais.ApprovalPending || got.Status == relais.SchedulePendingApproval || got.Status == relais.ScheduleWaiting {
				t.Errorf("round %d: approval %s, post %s; want both settled and the post not to appear", round, a.Status, got.Status)
			}
			if (cancelErr == nil) != (got.Status == relais.ScheduleCancelled) {
				t.Errorf("round %d: cancel returned %v, post %s", round, cancelErr, got.Status)
			}
		}
		if ps, err := s.PublishDue(ctx, at.Add(time.Hour), 0); err != nil || len(ps) != 0 {
			t.Errorf("PublishDue = %v, %v; want nothing", titles(ps), err)
		}
	})
}
