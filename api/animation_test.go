package api_test

// The animation of communities by their stewards (shared/API.md, animation
// endpoints of api/animation.go): flags and the moderation queue, hiding a
// post with the charter rule it breaks, pins, scheduled posts, the welcome
// message, invitations and the join funnel, removal with a reason, the join
// policy, steward assignment, the co-pilot checklist and notifications, in
// communities and in team spaces. Each test starts from a fresh demo
// organization on every engine; its subtests run in order and later ones
// see what earlier ones did.

import (
	"strings"
	"testing"
	"time"

	"relais"
	"relais/policy"
)

// animPostJSON is a post with the fields of animation: pin and moderation.
type animPostJSON struct {
	ID               int64  `json:"id"`
	SpaceID          int64  `json:"space_id"`
	AuthorID         int64  `json:"author_id"`
	AuthorName       string `json:"author_name"`
	Kind             string `json:"kind"`
	Title            string `json:"title"`
	Body             string `json:"body"`
	Status           string `json:"status"`
	Pinned           bool   `json:"pinned"`
	ModerationRule   string `json:"moderation_rule"`
	ModerationReason string `json:"moderation_reason"`
}

type actionResultJSON struct {
	Status     string `json:"status"`
	ApprovalID int64  `json:"approval_id"`
	Rule       string `json:"rule"`
}

type flagJSON struct {
	ID       int64  `json:"id"`
	PostID   int64  `json:"post_id"`
	SpaceID  int64  `json:"space_id"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name"`
	Reason   string `json:"reason"`
	Status   string `json:"status"`
}

type queueEntryJSON struct {
	Post  animPostJSON `json:"post"`
	Flags []flagJSON   `json:"flags"`
}

type notificationJSON struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	SpaceID   int64      `json:"space_id"`
	SpaceName string     `json:"space_name"`
	PostID    int64      `json:"post_id"`
	ActorID   int64      `json:"actor_id"`
	ActorName string     `json:"actor_name"`
	SubjectID int64      `json:"subject_id"`
	Rule      string     `json:"rule"`
	Detail    string     `json:"detail"`
	ReadAt    *time.Time `json:"read_at"`
}

type scheduledJSON struct {
	ID        int64     `json:"id"`
	SpaceID   int64     `json:"space_id"`
	AuthorID  int64     `json:"author_id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	PublishAt time.Time `json:"publish_at"`
	Status    string    `json:"status"`
	PostID    int64     `json:"post_id"`
}

type invitationJSON struct {
	ID        int64      `json:"id"`
	SpaceID   int64      `json:"space_id"`
	SpaceName string     `json:"space_name"`
	UserID    int64      `json:"user_id"`
	UserName  string     `json:"user_name"`
	InvitedBy int64      `json:"invited_by"`
	Message   string     `json:"message"`
	Status    string     `json:"status"`
	DecidedAt *time.Time `json:"decided_at"`
}

// funnelJSON is a community's join funnel over a month, protected as its
// report is (the store's tests check the raw counts).
type funnelJSON struct {
	Month    string `json:"month"`
	From     string `json:"from"`
	To       string `json:"to"`
	Complete bool   `json:"complete"`
	K        int    `json:"k"`
	Funnel   struct {
		InvitationsSent *int            `json:"invitations_sent"`
		Joined          *int            `json:"joined"`
		JoinedBySource  map[string]*int `json:"joined_by_source"`
		Removed         *int            `json:"removed"`
	} `json:"funnel"`
	Suppressed        bool     `json:"suppressed"`
	SuppressedFigures []string `json:"suppressed_figures"`
}

// withheld checks that a funnel shows no figure: the current month, or a
// month whose figures concern fewer than k people each.
func (f funnelJSON) withheld(t *testing.T) {
	t.Helper()
	if !f.Suppressed || f.Funnel.InvitationsSent != nil || f.Funnel.Joined != nil || f.Funnel.Removed != nil ||
		len(f.SuppressedFigures) != 8+len(f.Funnel.JoinedBySource) {
		t.Errorf("funnel shows figures of fewer than k people: %+v", f)
	}
	for src, n := range f.Funnel.JoinedBySource {
		if n != nil {
			t.Errorf("funnel shows the arrivals by %s: %d", src, *n)
		}
	}
}

type onboardingJSON struct {
	UserID   int64 `json:"user_id"`
	CoPilot  bool  `json:"co_pilot"`
	MentorID int64 `json:"mentor_id"`
	Steps    []struct {
		Item   string `json:"item"`
		Done   bool   `json:"done"`
		DoneBy int64  `json:"done_by"`
	} `json:"steps"`
	Complete bool `json:"complete"`
}

// actionApprovalJSON is a co-pilot request for a steward's action.
type actionApprovalJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	PostID      int64  `json:"post_id"`
	TargetID    int64  `json:"target_id"`
	SpaceID     int64  `json:"space_id"`
	RequesterID int64  `json:"requester_id"`
	MentorID    int64  `json:"mentor_id"`
	Status      string `json:"status"`
	Reason      string `json:"reason"`
	Body        string `json:"body"`
	Action      *struct {
		Op      string `json:"op"`
		Rule    string `json:"rule"`
		Reason  string `json:"reason"`
		Pin     bool   `json:"pin"`
		Welcome string `json:"welcome"`
		UserID  int64  `json:"user_id"`
		Title   string `json:"title"`
	} `json:"action"`
}

type memberJSON struct {
	ID      int64  `json:"id"`
	Login   string `json:"login"`
	Steward bool   `json:"steward"`
}

// page returns the threads of a space and its pinned threads as c reads
// them.
func (c *client) page(t *testing.T, spaceID int64) (posts, pinned []animPostJSON) {
	t.Helper()
	var out struct {
		Posts  []animPostJSON `json:"posts"`
		Pinned []animPostJSON `json:"pinned"`
	}
	r := c.get(t, "/api/v1/spaces/"+id(spaceID)+"/posts?limit=100").wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"pinned":[`) {
		t.Errorf("pinned must be a JSON array: %s", r)
	}
	r.decode(t, &out)
	return out.Posts, out.Pinned
}

// postByID returns the post as GET /posts/{id} shows it to c, or nil on a
// 404.
func (c *client) postByID(t *testing.T, postID int64) *animPostJSON {
	t.Helper()
	r := c.get(t, "/api/v1/posts/"+id(postID))
	if r.Status == 404 {
		r.wantError(t, 404, "")
		return nil
	}
	var p animPostJSON
	r.wantStatus(t, 200).decode(t, &p)
	return &p
}

func findPost(ps []animPostJSON, postID int64) *animPostJSON {
	for i := range ps {
		if ps[i].ID == postID {
			return &ps[i]
		}
	}
	return nil
}

// found reports whether a search by c for q finds the post.
func (c *client) found(t *testing.T, q string, postID int64) bool {
	t.Helper()
	for _, res := range c.search(t, q) {
		if res.PostID == postID {
			return true
		}
	}
	return false
}

// notifs returns c's notifications and how many are unread.
func (c *client) notifs(t *testing.T) ([]notificationJSON, int) {
	t.Helper()
	var out struct {
		Notifications []notificationJSON `json:"notifications"`
		Unread        *int               `json:"unread"`
	}
	r := c.get(t, "/api/v1/notifications?limit=100").wantStatus(t, 200)
	r.decode(t, &out)
	if out.Notifications == nil || out.Unread == nil {
		t.Fatalf("notifications must be an array with an unread count: %s", r)
	}
	return out.Notifications, *out.Unread
}

// notif returns c's newest notification of kind that matches (nil: any),
// or nil.
func (c *client) notif(t *testing.T, kind string, match func(n notificationJSON) bool) *notificationJSON {
	t.Helper()
	ns, _ := c.notifs(t)
	for i, n := range ns {
		if n.Kind == kind && (match == nil || match(n)) {
			return &ns[i]
		}
	}
	return nil
}

// countNotifs counts c's notifications of kind.
func (c *client) countNotifs(t *testing.T, kind string) int {
	t.Helper()
	ns, _ := c.notifs(t)
	n := 0
	for _, x := range ns {
		if x.Kind == kind {
			n++
		}
	}
	return n
}

// action decodes the answer of a steward's action.
func action(t *testing.T, r *response) actionResultJSON {
	t.Helper()
	var a actionResultJSON
	r.wantStatus(t, 200).decode(t, &a)
	return a
}

// wantDone checks that a steward's action took effect at once.
func wantDone(t *testing.T, r *response) {
	t.Helper()
	if a := action(t, r); a.Status != "done" || a.ApprovalID != 0 || a.Rule == "" {
		t.Errorf("want done: %s", r)
	}
}

// wantPending checks that a steward's action waits for the mentor and
// returns the id of the request.
func wantPending(t *testing.T, r *response) int64 {
	t.Helper()
	a := action(t, r)
	if a.Status != "pending_approval" || a.ApprovalID <= 0 || a.Rule != policy.RuleCoPilotApproval {
		t.Fatalf("want pending_approval with an approval id and the rule %s: %s", policy.RuleCoPilotApproval, r)
	}
	return a.ApprovalID
}

// actionApprovals returns the pending requests c may decide.
func (c *client) actionApprovals(t *testing.T) []actionApprovalJSON {
	t.Helper()
	var out struct {
		Approvals []actionApprovalJSON `json:"approvals"`
	}
	c.get(t, "/api/v1/approvals").wantStatus(t, 200).decode(t, &out)
	return out.Approvals
}

func findActionApproval(as []actionApprovalJSON, approvalID int64) *actionApprovalJSON {
	for i := range as {
		if as[i].ID == approvalID {
			return &as[i]
		}
	}
	return nil
}

func (c *client) hide(t *testing.T, postID int64, rule, reason string) *response {
	t.Helper()
	return c.post(t, "/api/v1/posts/"+id(postID)+"/hide", map[string]string{"rule": rule, "reason": reason})
}

func (c *client) flag(t *testing.T, postID int64, reason string) *response {
	t.Helper()
	return c.post(t, "/api/v1/posts/"+id(postID)+"/flags", map[string]string{"reason": reason})
}

// queue returns the moderation queue of a space as c reads it.
func (c *client) queue(t *testing.T, spaceID int64) []queueEntryJSON {
	t.Helper()
	var out struct {
		Queue []queueEntryJSON `json:"queue"`
	}
	r := c.get(t, "/api/v1/spaces/"+id(spaceID)+"/moderation").wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"queue":[`) {
		t.Errorf("queue must be a JSON array: %s", r)
	}
	r.decode(t, &out)
	return out.Queue
}

// welcomeText reads the welcome message of a space.
func (c *client) welcomeText(t *testing.T, spaceID int64) string {
	t.Helper()
	var out struct {
		Welcome *string `json:"welcome"`
	}
	c.get(t, "/api/v1/spaces/"+id(spaceID)+"/welcome").wantStatus(t, 200).decode(t, &out)
	if out.Welcome == nil {
		t.Fatalf("no welcome field")
	}
	return *out.Welcome
}

// isMember reads whether c is a member of the space.
func (c *client) isMember(t *testing.T, spaceID int64) bool {
	t.Helper()
	return c.space(t, spaceID).Membership.Member
}

func (c *client) invite(t *testing.T, spaceID int64, login string) *response {
	t.Helper()
	return c.post(t, "/api/v1/spaces/"+id(spaceID)+"/invitations", map[string]string{"login": login, "message": "Ta place est parmi nous."})
}

func (c *client) myInvitations(t *testing.T) []invitationJSON {
	t.Helper()
	var out struct {
		Invitations []invitationJSON `json:"invitations"`
	}
	r := c.get(t, "/api/v1/me/invitations").wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"invitations":[`) {
		t.Errorf("invitations must be a JSON array: %s", r)
	}
	r.decode(t, &out)
	return out.Invitations
}

func (c *client) funnel(t *testing.T, spaceID int64, query string) funnelJSON {
	t.Helper()
	var f funnelJSON
	c.get(t, "/api/v1/spaces/"+id(spaceID)+"/funnel"+query).wantStatus(t, 200).decode(t, &f)
	return f
}

func (c *client) scheduled(t *testing.T, spaceID int64) []scheduledJSON {
	t.Helper()
	var out struct {
		Posts []scheduledJSON `json:"scheduled_posts"`
	}
	r := c.get(t, "/api/v1/spaces/"+id(spaceID)+"/scheduled-posts").wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"scheduled_posts":[`) {
		t.Errorf("scheduled_posts must be a JSON array: %s", r)
	}
	r.decode(t, &out)
	return out.Posts
}

func findScheduled(ps []scheduledJSON, sid int64) *scheduledJSON {
	for i := range ps {
		if ps[i].ID == sid {
			return &ps[i]
		}
	}
	return nil
}

func (c *client) members(t *testing.T, spaceID int64) []memberJSON {
	t.Helper()
	var out struct {
		Members []memberJSON `json:"members"`
	}
	c.get(t, "/api/v1/spaces/"+id(spaceID)+"/members").wantStatus(t, 200).decode(t, &out)
	return out.Members
}

func findMember(ms []memberJSON, login string) *memberJSON {
	for i := range ms {
		if ms[i].Login == login {
			return &ms[i]
		}
	}
	return nil
}

func (c *client) onboarding(t *testing.T, userID int64) onboardingJSON {
	t.Helper()
	var o onboardingJSON
	c.get(t, "/api/v1/users/"+id(userID)+"/onboarding").wantStatus(t, 200).decode(t, &o)
	return o
}

// rfc3339 formats an instant as publish_at expects it.
func rfc3339(at time.Time) string { return at.UTC().Format(time.RFC3339) }

// publishDue runs the scheduler's work once, as if the clock read now, and
// returns how many posts appeared.
func (e *env) publishDue(t *testing.T, now time.Time) int {
	t.Helper()
	n, err := e.svc.PublishDue(t.Context(), now)
	if err != nil {
		t.Fatalf("PublishDue: %v", err)
	}
	return n
}

func TestAnimationFlags(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno, post := S[innovation], P[titleInnovationInvoice] // paul's thread
		samir, paul, victor, marc := e.as(t, "samir"), e.as(t, "paul"), e.as(t, "victor"), e.as(t, "marc")

		t.Run("a member flags a post to the stewards", func(t *testing.T) {
			var f flagJSON
			victor.flag(t, post, "  Des noms de clients apparaissent dans le fil.  ").wantStatus(t, 201).decode(t, &f)
			if f.ID == 0 || f.PostID != post || f.SpaceID != inno || f.UserID != U["victor"] || f.Status != "open" ||
				f.Reason != "Des noms de clients apparaissent dans le fil." {
				t.Errorf("flag: %+v", f)
			}
			marc.flag(t, post, "Hors sujet.").wantStatus(t, 201)
		})

		t.Run("flagging the same post twice is a conflict", func(t *testing.T) {
			victor.flag(t, post, "Encore.").wantError(t, 409, "")
		})

		t.Run("nobody flags their own post", func(t *testing.T) {
			paul.flag(t, post, "Je me signale.").wantError(t, 422, "")
		})

		t.Run("who is not in the community cannot flag", func(t *testing.T) {
			// Who may not read the community does not see its posts.
			e.as(t, "lea").flag(t, post, "Je passe.").wantUnseen(t)
			// An external account does not even see an internal community.
			e.as(t, "xavier").flag(t, post, "Je passe.").wantUnseen(t)
		})

		t.Run("a flag needs a reason", func(t *testing.T) {
			for _, body := range []any{map[string]any{}, map[string]string{"reason": ""}, map[string]string{"reason": " \n "},
				map[string]string{"reason": strings.Repeat("x", 2001)}} {
				victor.post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/flags", body).wantError(t, 400, "")
			}
		})

		t.Run("the queue is for the stewards and the community manager", func(t *testing.T) {
			q := samir.queue(t, inno)
			if len(q) != 1 || q[0].Post.ID != post || len(q[0].Flags) != 2 {
				t.Fatalf("samir's queue: %+v", q)
			}
			for _, f := range q[0].Flags {
				if f.Status != "open" || f.Reason == "" || f.UserName == "" {
					t.Errorf("flag in the queue: %+v", f)
				}
			}
			if q := e.as(t, "claire").queue(t, inno); len(q) != 1 {
				t.Errorf("claire's queue: %+v", q)
			}
			for _, login := range []string{"paul", "victor", "lea"} {
				e.as(t, login).get(t, "/api/v1/spaces/"+id(inno)+"/moderation").wantError(t, 403, policy.RuleModerateStewards)
			}
		})

		t.Run("the most flagged post comes first", func(t *testing.T) {
			victor.flag(t, P[titleInnovationWelcome], "Lien cassé.").wantStatus(t, 201)
			q := samir.queue(t, inno)
			if len(q) != 2 || q[0].Post.ID != post || q[1].Post.ID != P[titleInnovationWelcome] {
				t.Errorf("queue order: %+v", q)
			}
		})

		t.Run("keeping a post closes its flags", func(t *testing.T) {
			paul.post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/flags/dismiss", nil).wantError(t, 403, policy.RuleModerateStewards)
			samir.post(t, "/api/v1/posts/"+id(post)+"/flags/dismiss", nil).wantStatus(t, 204)
			q := samir.queue(t, inno)
			if len(q) != 1 || q[0].Post.ID != P[titleInnovationWelcome] {
				t.Errorf("queue after dismissal: %+v", q)
			}
			samir.post(t, "/api/v1/posts/"+id(post)+"/flags/dismiss", nil).wantError(t, 409, "")
			// The post stays published for everyone.
			if p := victor.postByID(t, post); p == nil || p.Status != "published" {
				t.Errorf("a kept post: %+v", p)
			}
			// A closed flag does not stop a new one.
			victor.flag(t, post, "Toujours des noms de clients.").wantStatus(t, 201)
		})
	})
}

func TestAnimationHiding(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno, post := S[innovation], P[titleInnovationInvoice] // paul's thread
		samir, paul, victor := e.as(t, "samir"), e.as(t, "paul"), e.as(t, "victor")
		const rule, reason = "Respect de la confidentialité client", "Le fil cite des clients nommément."

		t.Run("a member cannot hide", func(t *testing.T) {
			victor.hide(t, post, rule, reason).wantError(t, 403, policy.RuleModerateStewards)
			paul.hide(t, P[titleInnovationWelcome], rule, reason).wantError(t, 403, policy.RuleModerateStewards)
			// Who may not read the space learns nothing of the post.
			e.as(t, "lea").hide(t, post, rule, reason).wantError(t, 404, "")
		})

		t.Run("hiding needs the rule and a reason", func(t *testing.T) {
			path := "/api/v1/posts/" + id(post) + "/hide"
			for _, body := range []any{
				map[string]string{"reason": reason},
				map[string]string{"rule": rule},
				map[string]string{"rule": " ", "reason": reason},
				map[string]string{"rule": rule, "reason": ""},
				map[string]string{"rule": strings.Repeat("r", 301), "reason": reason},
				map[string]string{"rule": rule, "reason": strings.Repeat("r", 2001)},
			} {
				samir.post(t, path, body).wantError(t, 400, "")
			}
			if p := victor.postByID(t, post); p == nil || p.Status != "published" {
				t.Fatalf("a refused hiding changed the post: %+v", p)
			}
		})

		flag := func() { victor.flag(t, post, "Noms de clients.").wantStatus(t, 201) }
		t.Run("samir hides the post with the rule and a reason", func(t *testing.T) {
			flag()
			wantDone(t, samir.hide(t, post, rule, reason))
		})

		t.Run("the members no longer see it", func(t *testing.T) {
			for _, login := range []string{"victor", "marc", "samir", "claire"} {
				c := e.as(t, login)
				ps, _ := c.page(t, inno)
				if findPost(ps, post) != nil {
					t.Errorf("%s lists the hidden post", login)
				}
				// Who moderates the space (samir, claire) still opens it
				// to review or restore it; members do not.
				moderates := login == "samir" || login == "claire"
				if p := c.postByID(t, post); (p != nil) != moderates {
					t.Errorf("%s reads the hidden post: %+v; want %v", login, p, moderates)
				}
				if c.found(t, "multi-sites exporter factures", post) {
					t.Errorf("%s finds the hidden post", login)
				}
			}
			// Hiding upholds the open flags: the queue is empty.
			if q := samir.queue(t, inno); len(q) != 0 {
				t.Errorf("queue after hiding: %+v", q)
			}
		})

		t.Run("its author still sees it, hidden, with the rule and the reason", func(t *testing.T) {
			ps, _ := paul.page(t, inno)
			if p := findPost(ps, post); p == nil || p.Status != "hidden" || p.ModerationRule != rule || p.ModerationReason != reason {
				t.Errorf("paul's list: %+v", p)
			}
			if p := paul.postByID(t, post); p == nil || p.Status != "hidden" || p.ModerationRule != rule || p.ModerationReason != reason {
				t.Errorf("paul's thread: %+v", p)
			}
			if paul.found(t, "multi-sites exporter factures", post) {
				t.Errorf("search finds a hidden post")
			}
		})

		t.Run("its author is told the rule and the reason", func(t *testing.T) {
			n := paul.notif(t, "post.hidden", func(n notificationJSON) bool { return n.PostID == post })
			if n == nil || n.Rule != rule || n.Detail != reason || n.SpaceID != inno || n.ActorID != U["samir"] || n.ReadAt != nil {
				t.Errorf("paul's notification: %+v", n)
			}
			if n := victor.notif(t, "post.hidden", nil); n != nil {
				t.Errorf("victor is told of paul's post: %+v", n)
			}
		})

		t.Run("hiding twice is a conflict", func(t *testing.T) {
			samir.hide(t, post, rule, reason).wantError(t, 409, "")
		})

		t.Run("a hidden post cannot be flagged", func(t *testing.T) {
			victor.flag(t, post, "x").wantError(t, 404, "")
			paul.flag(t, post, "x").wantError(t, 422, "")
		})

		t.Run("restoring brings it back", func(t *testing.T) {
			// A member who does not moderate does not see the hidden post.
			victor.post(t, "/api/v1/posts/"+id(post)+"/restore", nil).wantUnseen(t)
			wantDone(t, samir.post(t, "/api/v1/posts/"+id(post)+"/restore", nil))
			ps, _ := victor.page(t, inno)
			if p := findPost(ps, post); p == nil || p.Status != "published" || p.ModerationRule != "" || p.ModerationReason != "" {
				t.Errorf("victor's list after restoring: %+v", p)
			}
			if !victor.found(t, "multi-sites exporter factures", post) {
				t.Errorf("search does not find the restored post")
			}
			if n := paul.notif(t, "post.restored", func(n notificationJSON) bool { return n.PostID == post }); n == nil || n.ActorID != U["samir"] {
				t.Errorf("paul's notification: %+v", n)
			}
			samir.post(t, "/api/v1/posts/"+id(post)+"/restore", nil).wantError(t, 409, "")
		})

		t.Run("the community manager may step in", func(t *testing.T) {
			wantDone(t, e.as(t, "claire").hide(t, P[titleInnovationWelcome], rule, reason))
			if victor.postByID(t, P[titleInnovationWelcome]) != nil {
				t.Errorf("victor reads the post claire hid")
			}
		})
	})
}

// TestAnimationCoPilot follows olivia, an outsourced steward of Clients Pro
// in co-pilot: each of her visible actions waits for samir, her mentor, and
// takes effect only once he approves it.
func TestAnimationCoPilot(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		cp := S[clientsPro]
		olivia, samir, nadia, xavier := e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "nadia"), e.as(t, "xavier")
		hidden, pinned := P[titleClientsInvoices], e.posts["Bienvenue dans la communauté Clients Pro"]
		const rule, reason = "Pas de numéros de contrat", "Le message cite un numéro de contrat."
		const welcome = "Bienvenue chez Clients Pro ! Présentez-vous en une ligne."
		if pinned == 0 {
			t.Fatal("demo thread of Clients Pro missing")
		}
		demoWelcome := nadia.welcomeText(t, cp)

		// Each action of olivia and the request it filed.
		requests := map[string]int64{}
		t.Run("olivia's actions wait for samir", func(t *testing.T) {
			requests["hide"] = wantPending(t, olivia.hide(t, hidden, rule, reason))
			requests["pin"] = wantPending(t, olivia.put(t, "/api/v1/posts/"+id(pinned)+"/pin", nil))
			requests["welcome"] = wantPending(t, olivia.put(t, "/api/v1/spaces/"+id(cp)+"/welcome", map[string]string{"welcome": welcome}))
			requests["remove"] = wantPending(t, olivia.post(t, "/api/v1/spaces/"+id(cp)+"/members/"+id(U["nadia"])+"/remove",
				map[string]string{"reason": "Démarchage répété."}))
		})

		t.Run("nothing changes for the members before the approval", func(t *testing.T) {
			ps, pins := nadia.page(t, cp)
			if p := findPost(ps, hidden); p == nil || p.Status != "published" {
				t.Errorf("nadia no longer sees the post olivia wants hidden: %+v", p)
			}
			if len(pins) != 0 {
				t.Errorf("a pin waiting for samir shows: %+v", pins)
			}
			if p := findPost(ps, pinned); p == nil || p.Pinned {
				t.Errorf("the thread olivia wants pinned: %+v", p)
			}
			if w := nadia.welcomeText(t, cp); w != demoWelcome {
				t.Errorf("welcome before the approval: %q", w)
			}
			if !nadia.isMember(t, cp) {
				t.Errorf("nadia was removed before the approval")
			}
			if n := xavier.notif(t, "post.hidden", nil); n != nil {
				t.Errorf("xavier is told before the approval: %+v", n)
			}
			if n := nadia.notif(t, "member.removed", nil); n != nil {
				t.Errorf("nadia is told before the approval: %+v", n)
			}
		})

		t.Run("samir's list holds each request with what it will do", func(t *testing.T) {
			as := samir.actionApprovals(t)
			want := map[string]string{"hide": "post.moderate", "pin": "post.pin", "welcome": "space.welcome", "remove": "member.remove"}
			for op, kind := range want {
				a := findActionApproval(as, requests[op])
				if a == nil || a.Kind != kind || a.Status != "pending" || a.SpaceID != cp || a.RequesterID != U["olivia"] ||
					a.MentorID != U["samir"] || a.Action == nil {
					t.Errorf("%s: request %+v", op, a)
					continue
				}
				switch op {
				case "hide":
					if a.PostID != hidden || a.Action.Op != "hide" || a.Action.Rule != rule || a.Action.Reason != reason {
						t.Errorf("hide request: %+v %+v", a, a.Action)
					}
				case "pin":
					if a.PostID != pinned || !a.Action.Pin {
						t.Errorf("pin request: %+v %+v", a, a.Action)
					}
				case "welcome":
					if a.Action.Welcome != welcome || a.Body != welcome {
						t.Errorf("welcome request: %+v %+v", a, a.Action)
					}
				case "remove":
					if a.TargetID != U["nadia"] || a.Action.UserID != U["nadia"] || a.Action.Reason != "Démarchage répété." {
						t.Errorf("remove request: %+v %+v", a, a.Action)
					}
				}
			}
		})

		t.Run("olivia cannot approve her own request, nor can the members", func(t *testing.T) {
			for _, rid := range requests {
				olivia.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 403, policy.RuleApprovalOwn)
				nadia.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 404, "")
				e.as(t, "claire").post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 404, "")
			}
		})

		t.Run("samir approves: each action takes effect", func(t *testing.T) {
			for _, op := range []string{"hide", "pin", "welcome", "remove"} {
				samir.post(t, "/api/v1/approvals/"+id(requests[op])+"/approve", nil).wantStatus(t, 200)
			}
			// Hidden from the members, shown hidden to its author, who is
			// told the rule and the reason.
			if samir.postByID(t, hidden) != nil || xavier.postByID(t, hidden) == nil {
				t.Errorf("after approval the hidden post must be for its author alone")
			} else if p := xavier.postByID(t, hidden); p.Status != "hidden" || p.ModerationRule != rule || p.ModerationReason != reason {
				t.Errorf("xavier's hidden post: %+v", p)
			}
			if n := xavier.notif(t, "post.hidden", nil); n == nil || n.Rule != rule || n.Detail != reason || n.PostID != hidden {
				t.Errorf("xavier's notification: %+v", n)
			}
			// Pinned.
			_, pins := xavier.page(t, cp)
			if len(pins) != 1 || pins[0].ID != pinned || !pins[0].Pinned {
				t.Errorf("pinned after approval: %+v", pins)
			}
			// The welcome message.
			if w := xavier.welcomeText(t, cp); w != welcome {
				t.Errorf("welcome after approval: %q", w)
			}
			// nadia removed, and told why.
			if nadia.isMember(t, cp) {
				t.Errorf("nadia is still a member")
			}
			nadia.get(t, "/api/v1/spaces/"+id(cp)+"/posts").wantError(t, 403, policy.RuleCommunityNonMember)
			if n := nadia.notif(t, "member.removed", nil); n == nil || n.Detail != "Démarchage répété." || n.SpaceID != cp {
				t.Errorf("nadia's notification: %+v", n)
			}
			// olivia is told of each approval.
			if n := olivia.countNotifs(t, "approval.approved"); n != 4 {
				t.Errorf("olivia has %d approval.approved notifications, want 4", n)
			}
			// Decided: a second decision is a conflict.
			samir.post(t, "/api/v1/approvals/"+id(requests["hide"])+"/approve", nil).wantError(t, 409, "")
		})

		t.Run("samir rejects: nothing changes and olivia reads why", func(t *testing.T) {
			for _, c := range []struct {
				name      string
				act       func() *response
				unchanged func(t *testing.T)
			}{
				{"restoring the hidden post",
					func() *response { return olivia.post(t, "/api/v1/posts/"+id(hidden)+"/restore", nil) },
					func(t *testing.T) {
						if samir.postByID(t, hidden) != nil {
							t.Errorf("the post was restored")
						}
					}},
				{"unpinning",
					func() *response { return olivia.del(t, "/api/v1/posts/"+id(pinned)+"/pin") },
					func(t *testing.T) {
						if _, pins := xavier.page(t, cp); len(pins) != 1 {
							t.Errorf("the thread was unpinned: %+v", pins)
						}
					}},
				{"another welcome",
					func() *response {
						return olivia.put(t, "/api/v1/spaces/"+id(cp)+"/welcome", map[string]string{"welcome": "Salut."})
					},
					func(t *testing.T) {
						if w := xavier.welcomeText(t, cp); w != welcome {
							t.Errorf("welcome after rejection: %q", w)
						}
					}},
				{"removing xavier",
					func() *response {
						return olivia.post(t, "/api/v1/spaces/"+id(cp)+"/members/"+id(U["xavier"])+"/remove", map[string]string{"reason": "Inactif."})
					},
					func(t *testing.T) {
						if !xavier.isMember(t, cp) || xavier.notif(t, "member.removed", nil) != nil {
							t.Errorf("xavier was removed")
						}
					}},
				{"hiding samir's thread",
					func() *response { return olivia.hide(t, pinned, rule, "Trop long.") },
					func(t *testing.T) {
						if p := xavier.postByID(t, pinned); p == nil || p.Status != "published" {
							t.Errorf("samir's thread: %+v", p)
						}
					}},
			} {
				t.Run(c.name, func(t *testing.T) {
					rid := wantPending(t, c.act())
					why := "Pas maintenant : " + c.name + "."
					samir.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": ""}).wantError(t, 400, "")
					var a actionApprovalJSON
					samir.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": why}).wantStatus(t, 200).decode(t, &a)
					if a.Status != "rejected" || a.Reason != why {
						t.Errorf("rejected: %+v", a)
					}
					c.unchanged(t)
					if n := olivia.notif(t, "approval.rejected", func(n notificationJSON) bool { return n.SubjectID == rid }); n == nil ||
						n.Detail != why || n.ActorID != U["samir"] {
						t.Errorf("olivia's notification of the rejection: %+v", n)
					}
					samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 409, "")
					c.unchanged(t)
				})
			}
		})

		t.Run("a scheduled post of olivia waits for samir before its time", func(t *testing.T) {
			at := time.Now().Add(3 * time.Hour)
			var sp scheduledJSON
			olivia.post(t, "/api/v1/spaces/"+id(cp)+"/scheduled-posts", map[string]string{"kind": "discussion",
				"title": "Webinaire de décembre", "body": "Inscriptions ouvertes.", "publish_at": rfc3339(at)}).wantStatus(t, 201).decode(t, &sp)
			if sp.Status != "pending_approval" {
				t.Fatalf("olivia's scheduled post: %+v", sp)
			}
			// Its time comes, but samir has not approved: nothing appears.
			if n := e.publishDue(t, at.Add(time.Minute)); n != 0 {
				t.Errorf("PublishDue published %d posts waiting for the mentor", n)
			}
			var rid int64
			for _, a := range samir.actionApprovals(t) {
				if a.Kind == "post.schedule" && a.TargetID == sp.ID {
					rid = a.ID
				}
			}
			if rid == 0 {
				t.Fatalf("no request for the scheduled post %d", sp.ID)
			}
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200)
			if s := findScheduled(olivia.scheduled(t, cp), sp.ID); s == nil || s.Status != "scheduled" {
				t.Errorf("after approval: %+v", s)
			}
			if n := e.publishDue(t, at.Add(time.Minute)); n != 1 {
				t.Errorf("PublishDue published %d posts, want 1", n)
			}
			s := findScheduled(olivia.scheduled(t, cp), sp.ID)
			if s == nil || s.Status != "published" || s.PostID == 0 {
				t.Fatalf("after publication: %+v", s)
			}
			if p := xavier.postByID(t, s.PostID); p == nil || p.Status != "published" || p.AuthorID != U["olivia"] || p.Title != "Webinaire de décembre" {
				t.Errorf("xavier reads: %+v", p)
			}
		})

		t.Run("cancelling a scheduled post withdraws its request", func(t *testing.T) {
			var sp scheduledJSON
			olivia.post(t, "/api/v1/spaces/"+id(cp)+"/scheduled-posts", map[string]string{"title": "Brouillon annulé",
				"body": "Finalement non.", "publish_at": rfc3339(time.Now().Add(time.Hour))}).wantStatus(t, 201).decode(t, &sp)
			var rid int64
			for _, a := range samir.actionApprovals(t) {
				if a.Kind == "post.schedule" && a.TargetID == sp.ID {
					rid = a.ID
				}
			}
			if rid == 0 {
				t.Fatalf("no request for the scheduled post %d", sp.ID)
			}
			olivia.del(t, "/api/v1/scheduled-posts/"+id(sp.ID)).wantStatus(t, 204)
			if findActionApproval(samir.actionApprovals(t), rid) != nil {
				t.Errorf("samir still has to decide on a cancelled post")
			}
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 409, "")
			if s := findScheduled(olivia.scheduled(t, cp), sp.ID); s == nil || s.Status != "cancelled" {
				t.Errorf("cancelled: %+v", s)
			}
		})

		t.Run("an outsourced steward invites only whom she may see", func(t *testing.T) {
			// The directory rule: an external account sees, of people, only
			// the members of its own spaces. lea does not exist for olivia.
			olivia.invite(t, cp, "lea").wantError(t, 404, "")
			if lea := e.as(t, "lea"); len(lea.myInvitations(t)) != 0 || lea.notif(t, "invitation", nil) != nil {
				t.Errorf("lea was invited")
			}
			olivia.invite(t, cp, "xavier").wantError(t, 409, "")
		})
	})
}

// TestAnimationCoPilotInvitation places samir in co-pilot with claire as
// his mentor: his invitations are sent once claire approves them.
func TestAnimationCoPilotInvitation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		inno := S[innovation]
		samir, claire, lea, nadia := e.as(t, "samir"), e.as(t, "claire"), e.as(t, "lea"), e.as(t, "nadia")

		t.Run("claire starts a co-pilot period for samir", func(t *testing.T) {
			e.as(t, "paul").post(t, "/api/v1/users/"+id(U["samir"])+"/copilot", map[string]string{"mentor_login": "claire"}).
				wantError(t, 403, policy.RuleCoPilotEndCM)
			claire.post(t, "/api/v1/users/"+id(U["samir"])+"/copilot", map[string]string{"mentor_login": "samir"}).
				wantError(t, 422, policy.RuleApprovalOwn)
			claire.post(t, "/api/v1/users/"+id(U["samir"])+"/copilot", map[string]string{"mentor_login": "paul"}).
				wantError(t, 422, policy.RuleApprovalMentor)
			claire.post(t, "/api/v1/users/"+id(U["paul"])+"/copilot", map[string]string{"mentor_login": "claire"}).
				wantError(t, 422, policy.RuleCoPilotApproval)
			var o onboardingJSON
			claire.post(t, "/api/v1/users/"+id(U["samir"])+"/copilot", map[string]string{"mentor_login": "claire"}).wantStatus(t, 200).decode(t, &o)
			if !o.CoPilot || o.MentorID != U["claire"] || o.Complete {
				t.Errorf("samir's onboarding: %+v", o)
			}
		})

		var inv invitationJSON
		t.Run("samir's invitation waits for claire", func(t *testing.T) {
			samir.invite(t, inno, "lea").wantStatus(t, 201).decode(t, &inv)
			if inv.Status != "pending_approval" || inv.UserID != U["lea"] || inv.SpaceID != inno {
				t.Fatalf("invitation: %+v", inv)
			}
			if len(lea.myInvitations(t)) != 0 || lea.notif(t, "invitation", nil) != nil {
				t.Errorf("lea is told of an invitation waiting for the mentor")
			}
			lea.post(t, "/api/v1/invitations/"+id(inv.ID)+"/accept", map[string]int{"charter_version": 1}).wantError(t, 404, "")
			samir.funnel(t, inno, "?month="+time.Now().UTC().Format("2006-01")).withheld(t)
		})

		t.Run("claire approves: lea is invited", func(t *testing.T) {
			var rid int64
			for _, a := range claire.actionApprovals(t) {
				if a.Kind == "member.invite" && a.TargetID == inv.ID {
					rid = a.ID
				}
			}
			if rid == 0 {
				t.Fatalf("claire has no request for the invitation %d", inv.ID)
			}
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantError(t, 403, policy.RuleApprovalOwn)
			claire.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200)
			mine := lea.myInvitations(t)
			if len(mine) != 1 || mine[0].ID != inv.ID || mine[0].Status != "pending" || mine[0].InvitedBy != U["samir"] {
				t.Fatalf("lea's invitations: %+v", mine)
			}
			if n := lea.notif(t, "invitation", nil); n == nil || n.SubjectID != inv.ID || n.SpaceID != inno {
				t.Errorf("lea's notification: %+v", n)
			}
			lea.post(t, "/api/v1/invitations/"+id(inv.ID)+"/accept", map[string]int{"charter_version": 1}).wantStatus(t, 200)
			if !lea.isMember(t, inno) {
				t.Errorf("lea is not a member after accepting")
			}
		})

		t.Run("claire rejects: nadia is not invited and samir reads why", func(t *testing.T) {
			var second invitationJSON
			samir.invite(t, inno, "nadia").wantStatus(t, 201).decode(t, &second)
			var rid int64
			for _, a := range claire.actionApprovals(t) {
				if a.Kind == "member.invite" && a.TargetID == second.ID {
					rid = a.ID
				}
			}
			if rid == 0 {
				t.Fatalf("claire has no request for the invitation %d", second.ID)
			}
			claire.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": "Attendons la fin du trimestre."}).wantStatus(t, 200)
			if len(nadia.myInvitations(t)) != 0 || nadia.notif(t, "invitation", nil) != nil {
				t.Errorf("nadia was invited despite the rejection")
			}
			nadia.post(t, "/api/v1/invitations/"+id(second.ID)+"/accept", map[string]int{"charter_version": 1}).wantError(t, 404, "")
			if n := samir.notif(t, "approval.rejected", nil); n == nil || n.Detail != "Attendons la fin du trimestre." {
				t.Errorf("samir's notification: %+v", n)
			}
			// A rejected invitation is closed: samir may try again later.
			samir.invite(t, inno, "nadia").wantStatus(t, 201)
			samir.funnel(t, inno, "?month="+time.Now().UTC().Format("2006-01")).withheld(t)
		})
	})
}

func TestAnimationPins(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P := e.spaces, e.posts
		inno, post := S[innovation], P[titleInnovationInvoice]
		samir, paul := e.as(t, "samir"), e.as(t, "paul")
		pin := "/api/v1/posts/" + id(post) + "/pin"

		t.Run("only the stewards pin", func(t *testing.T) {
			r := paul.put(t, pin, nil)
			en := r.wantError(t, 403, policy.RuleAnimateStewards)
			rule, _ := policy.Lookup(policy.RuleAnimateStewards)
			if en.Error != nil && en.Error.Message != rule.EN {
				t.Errorf("message %q, want the rulebook's %q", en.Error.Message, rule.EN)
			}
			if fr := paul.in("fr").put(t, pin, nil).wantError(t, 403, policy.RuleAnimateStewards); fr.Error != nil && fr.Error.Message != rule.FR {
				t.Errorf("French message %q, want the rulebook's %q", fr.Error.Message, rule.FR)
			}
			// The community manager governs; animating is the stewards' job.
			e.as(t, "claire").put(t, pin, nil).wantError(t, 403, policy.RuleAnimateStewards)
			e.as(t, "lea").put(t, pin, nil).wantError(t, 404, "")
			if _, pins := paul.page(t, inno); len(pins) != 0 {
				t.Errorf("refused pins pinned: %+v", pins)
			}
		})

		t.Run("samir pins a thread at the top", func(t *testing.T) {
			wantDone(t, samir.put(t, pin, nil))
			ps, pins := paul.page(t, inno)
			if len(pins) != 1 || pins[0].ID != post || !pins[0].Pinned {
				t.Errorf("pinned: %+v", pins)
			}
			if p := findPost(ps, post); p == nil || !p.Pinned {
				t.Errorf("the thread in the list: %+v", p)
			}
			if p := paul.postByID(t, post); p == nil || !p.Pinned {
				t.Errorf("the thread: %+v", p)
			}
			if p := paul.postByID(t, P[titleInnovationWelcome]); p == nil || p.Pinned {
				t.Errorf("another thread: %+v", p)
			}
		})

		t.Run("pinning twice is a conflict", func(t *testing.T) {
			samir.put(t, pin, nil).wantError(t, 409, "")
		})

		t.Run("unpinning", func(t *testing.T) {
			paul.del(t, pin).wantError(t, 403, policy.RuleAnimateStewards)
			wantDone(t, samir.del(t, pin))
			if _, pins := paul.page(t, inno); len(pins) != 0 {
				t.Errorf("pinned after unpinning: %+v", pins)
			}
			if p := paul.postByID(t, post); p == nil || p.Pinned {
				t.Errorf("the thread: %+v", p)
			}
			samir.del(t, pin).wantError(t, 409, "")
		})

		t.Run("a hidden thread is not pinned", func(t *testing.T) {
			wantDone(t, samir.hide(t, post, "Confidentialité", "Noms de clients."))
			samir.put(t, pin, nil).wantError(t, 409, "")
		})
	})
}

func TestAnimationScheduledPosts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		inno := S[innovation]
		samir, paul := e.as(t, "samir"), e.as(t, "paul")
		path := "/api/v1/spaces/" + id(inno) + "/scheduled-posts"
		at := time.Now().Add(2 * time.Hour)
		body := func(title, when string) map[string]string {
			return map[string]string{"kind": "discussion", "title": title, "body": "Rendez-vous **jeudi** pour la revue des idées.", "publish_at": when}
		}
		// countTitle counts the threads titled title that c reads.
		countTitle := func(c *client, title string) int {
			ps, _ := c.page(t, inno)
			n := 0
			for _, p := range ps {
				if p.Title == title {
					n++
				}
			}
			return n
		}

		t.Run("the date must be valid, in the future and within a year", func(t *testing.T) {
			for _, c := range []struct {
				name, when string
				status     int
			}{
				{"in the past", rfc3339(time.Now().Add(-time.Hour)), 422},
				{"more than a year ahead", rfc3339(time.Now().Add(400 * 24 * time.Hour)), 422},
				{"not a date", "jeudi prochain", 400},
				{"a date without time", "2030-01-01", 400},
				{"the zero time", "0001-01-01T00:00:00Z", 400},
				{"empty", "", 400},
			} {
				t.Run(c.name, func(t *testing.T) {
					samir.post(t, path, body("Revue", c.when)).wantError(t, c.status, "")
				})
			}
			if ps := samir.scheduled(t, inno); len(ps) != 0 {
				t.Errorf("refused posts were scheduled: %+v", ps)
			}
		})

		t.Run("only the stewards schedule", func(t *testing.T) {
			paul.post(t, path, body("Revue", rfc3339(at))).wantError(t, 403, policy.RuleAnimateStewards)
			paul.get(t, path).wantError(t, 403, policy.RuleAnimateStewards)
			e.as(t, "claire").post(t, path, body("Revue", rfc3339(at))).wantError(t, 403, policy.RuleAnimateStewards)
		})

		var sp scheduledJSON
		t.Run("samir schedules a post", func(t *testing.T) {
			samir.post(t, path, body("Revue des idées quinoa", rfc3339(at))).wantStatus(t, 201).decode(t, &sp)
			if sp.ID == 0 || sp.Status != "scheduled" || sp.SpaceID != inno || sp.AuthorID != U["samir"] || !sp.PublishAt.Equal(at.Truncate(time.Second)) {
				t.Errorf("scheduled: %+v", sp)
			}
			if s := findScheduled(samir.scheduled(t, inno), sp.ID); s == nil || s.Status != "scheduled" {
				t.Errorf("samir's list: %+v", s)
			}
		})

		t.Run("the members do not see it before its time", func(t *testing.T) {
			if n := countTitle(paul, "Revue des idées quinoa"); n != 0 {
				t.Errorf("paul lists it %d times", n)
			}
			if len(paul.search(t, "quinoa")) != 0 {
				t.Errorf("paul finds it")
			}
			if n := e.publishDue(t, at.Add(-time.Minute)); n != 0 {
				t.Errorf("PublishDue before its time published %d", n)
			}
		})

		t.Run("it appears once at its time", func(t *testing.T) {
			if n := e.publishDue(t, at.Add(time.Minute)); n != 1 {
				t.Errorf("PublishDue published %d, want 1", n)
			}
			if n := countTitle(paul, "Revue des idées quinoa"); n != 1 {
				t.Errorf("paul lists it %d times, want 1", n)
			}
			s := findScheduled(samir.scheduled(t, inno), sp.ID)
			if s == nil || s.Status != "published" || s.PostID == 0 {
				t.Fatalf("after publication: %+v", s)
			}
			if p := paul.postByID(t, s.PostID); p == nil || p.Status != "published" || p.AuthorID != U["samir"] || p.Kind != "discussion" {
				t.Errorf("the post: %+v", p)
			}
			if len(paul.search(t, "quinoa")) != 1 {
				t.Errorf("search does not find the published post once")
			}
			// Its time is past, but it never appears twice.
			if n := e.publishDue(t, at.Add(time.Hour)); n != 0 {
				t.Errorf("PublishDue again published %d", n)
			}
			if n := countTitle(paul, "Revue des idées quinoa"); n != 1 {
				t.Errorf("paul lists it %d times, want 1", n)
			}
			samir.del(t, "/api/v1/scheduled-posts/"+id(sp.ID)).wantError(t, 409, "")
		})

		t.Run("a cancelled post never appears", func(t *testing.T) {
			var other scheduledJSON
			samir.post(t, path, body("Annulé sarrasin", rfc3339(at))).wantStatus(t, 201).decode(t, &other)
			// Who may not schedule there learns nothing of it.
			paul.del(t, "/api/v1/scheduled-posts/"+id(other.ID)).wantError(t, 404, "")
			e.as(t, "lea").del(t, "/api/v1/scheduled-posts/"+id(other.ID)).wantError(t, 404, "")
			samir.del(t, "/api/v1/scheduled-posts/"+id(other.ID)).wantStatus(t, 204)
			samir.del(t, "/api/v1/scheduled-posts/"+id(other.ID)).wantError(t, 409, "")
			if s := findScheduled(samir.scheduled(t, inno), other.ID); s == nil || s.Status != "cancelled" {
				t.Errorf("cancelled: %+v", s)
			}
			if n := e.publishDue(t, at.Add(2*time.Hour)); n != 0 {
				t.Errorf("PublishDue published %d cancelled posts", n)
			}
			if n := countTitle(paul, "Annulé sarrasin"); n != 0 {
				t.Errorf("a cancelled post appeared")
			}
			samir.del(t, "/api/v1/scheduled-posts/999999").wantError(t, 404, "")
		})

		t.Run("several schedulers publish each due post exactly once", func(t *testing.T) {
			// Several nodes may run the scheduler on one database.
			titles := []string{"Concurrent épeautre", "Concurrent millet", "Concurrent orge"}
			for _, title := range titles {
				samir.post(t, path, map[string]string{"title": title, "body": "Une fois.", "publish_at": rfc3339(at)}).wantStatus(t, 201)
			}
			const n = 6
			counts := make(chan int, n)
			errs := make(chan error, n)
			start := make(chan struct{})
			for range n {
				go func() {
					<-start
					c, err := e.svc.PublishDue(t.Context(), at.Add(time.Minute))
					counts <- c
					errs <- err
				}()
			}
			close(start)
			total := 0
			for range n {
				total += <-counts
				if err := <-errs; err != nil {
					t.Errorf("PublishDue: %v", err)
				}
			}
			if total != len(titles) {
				t.Errorf("%d schedulers published %d posts, want %d", n, total, len(titles))
			}
			for _, title := range titles {
				if c := countTitle(paul, title); c != 1 {
					t.Errorf("%q appears %d times", title, c)
				}
			}
			// Scheduled without a kind, each is a discussion.
			ps, _ := paul.page(t, inno)
			for _, p := range ps {
				if strings.HasPrefix(p.Title, "Concurrent ") && p.Kind != "discussion" {
					t.Errorf("kind %q: %+v", p.Kind, p)
				}
			}
		})
	})
}

func TestAnimationWelcome(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S := e.spaces
		inno := S[innovation]
		samir, paul := e.as(t, "samir"), e.as(t, "paul")
		path := "/api/v1/spaces/" + id(inno) + "/welcome"
		const text = "Bienvenue ! Lisez le fil épinglé puis présentez-vous."
		demoWelcome := paul.welcomeText(t, inno)

		t.Run("only the stewards set it", func(t *testing.T) {
			paul.put(t, path, map[string]string{"welcome": "Salut"}).wantError(t, 403, policy.RuleAnimateStewards)
			e.as(t, "claire").put(t, path, map[string]string{"welcome": "Salut"}).wantError(t, 403, policy.RuleAnimateStewards)
			if w := paul.welcomeText(t, inno); w != demoWelcome {
				t.Errorf("welcome %q", w)
			}
		})

		t.Run("a welcome of more than 5,000 characters is refused", func(t *testing.T) {
			samir.put(t, path, map[string]string{"welcome": strings.Repeat("é", 5001)}).wantError(t, 400, "")
			samir.put(t, path, map[string]string{"welcome": "a\x00b"}).wantError(t, 400, "")
			if w := paul.welcomeText(t, inno); w != demoWelcome {
				t.Errorf("welcome %q", w)
			}
		})

		t.Run("samir sets it", func(t *testing.T) {
			wantDone(t, samir.put(t, path, map[string]string{"welcome": "  " + text + "  "}))
			if w := paul.welcomeText(t, inno); w != text {
				t.Errorf("welcome %q", w)
			}
			// Only who may read the space reads it.
			e.as(t, "xavier").get(t, path).wantUnseen(t) // an internal community, to an external
			e.as(t, "lea").get(t, path).wantError(t, 403, policy.RuleCommunityNonMember)
		})

		t.Run("lea joins and is welcomed", func(t *testing.T) {
			lea := e.as(t, "lea")
			lea.post(t, "/api/v1/spaces/"+id(inno)+"/members", map[string]int{"charter_version": 1}).wantStatus(t, 201)
			n := lea.notif(t, "welcome", nil)
			if n == nil || n.Detail != text || n.SpaceID != inno || n.SpaceName != innovation {
				t.Errorf("lea's welcome: %+v", n)
			}
			if n := paul.notif(t, "welcome", nil); n != nil {
				t.Errorf("paul, a member already, is welcomed: %+v", n)
			}
		})

		t.Run("an empty welcome sends none", func(t *testing.T) {
			wantDone(t, samir.put(t, path, map[string]string{"welcome": ""}))
			nadia := e.as(t, "nadia")
			nadia.post(t, "/api/v1/spaces/"+id(inno)+"/members", map[string]int{"charter_version": 1}).wantStatus(t, 201)
			if n := nadia.notif(t, "welcome", nil); n != nil {
				t.Errorf("nadia is welcomed with %+v", n)
			}
		})
	})
}

func TestAnimationInvitations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		inno := S[innovation]
		samir, paul, lea, nadia := e.as(t, "samir"), e.as(t, "paul"), e.as(t, "lea"), e.as(t, "nadia")

		var inv invitationJSON
		t.Run("samir invites lea", func(t *testing.T) {
			samir.invite(t, inno, "lea").wantStatus(t, 201).decode(t, &inv)
			if inv.ID == 0 || inv.Status != "pending" || inv.UserID != U["lea"] || inv.SpaceID != inno || inv.InvitedBy != U["samir"] ||
				inv.Message != "Ta place est parmi nous." {
				t.Errorf("invitation: %+v", inv)
			}
		})

		t.Run("lea is told and sees it", func(t *testing.T) {
			n := lea.notif(t, "invitation", nil)
			if n == nil || n.SubjectID != inv.ID || n.SpaceID != inno || n.ActorID != U["samir"] {
				t.Errorf("lea's notification: %+v", n)
			}
			mine := lea.myInvitations(t)
			if len(mine) != 1 || mine[0].ID != inv.ID || mine[0].SpaceName != innovation || mine[0].Status != "pending" {
				t.Errorf("lea's invitations: %+v", mine)
			}
			if mine := nadia.myInvitations(t); len(mine) != 0 {
				t.Errorf("nadia sees lea's invitation: %+v", mine)
			}
		})

		t.Run("whom samir may not invite", func(t *testing.T) {
			samir.invite(t, inno, "lea").wantError(t, 409, "")
			samir.invite(t, inno, "paul").wantError(t, 409, "")
			samir.invite(t, inno, "samir").wantError(t, 409, "")
			samir.invite(t, inno, "personne").wantError(t, 404, "")
			samir.post(t, "/api/v1/spaces/"+id(inno)+"/invitations", map[string]string{"login": " "}).wantError(t, 400, "")
			samir.post(t, "/api/v1/spaces/"+id(inno)+"/invitations", map[string]string{"login": "nadia", "message": strings.Repeat("m", 2001)}).wantError(t, 400, "")
			// An external customer never enters an internal community.
			samir.invite(t, inno, "xavier").wantError(t, 422, policy.RuleCommunityAudience)
			if n := e.as(t, "xavier").notif(t, "invitation", nil); n != nil {
				t.Errorf("xavier was invited: %+v", n)
			}
		})

		t.Run("only the stewards invite and read the invitations", func(t *testing.T) {
			paul.invite(t, inno, "nadia").wantError(t, 403, policy.RuleAnimateStewards)
			e.as(t, "claire").invite(t, inno, "nadia").wantError(t, 403, policy.RuleAnimateStewards)
			paul.get(t, "/api/v1/spaces/"+id(inno)+"/invitations").wantError(t, 403, policy.RuleAnimateStewards)
			var out struct {
				Invitations []invitationJSON `json:"invitations"`
			}
			samir.get(t, "/api/v1/spaces/"+id(inno)+"/invitations").wantStatus(t, 200).decode(t, &out)
			if len(out.Invitations) != 1 || out.Invitations[0].ID != inv.ID {
				t.Errorf("samir's list: %+v", out.Invitations)
			}
		})

		accept := "/api/v1/invitations/" + id(inv.ID) + "/accept"
		t.Run("nobody else answers lea's invitation", func(t *testing.T) {
			nadia.post(t, accept, map[string]int{"charter_version": 1}).wantError(t, 404, "")
			samir.post(t, accept, map[string]int{"charter_version": 1}).wantError(t, 404, "")
			nadia.post(t, "/api/v1/invitations/"+id(inv.ID)+"/decline", nil).wantError(t, 404, "")
			lea.post(t, "/api/v1/invitations/999999/accept", map[string]int{"charter_version": 1}).wantError(t, 404, "")
		})

		t.Run("accepting means accepting the current charter", func(t *testing.T) {
			lea.post(t, accept, map[string]int{"charter_version": 2}).wantError(t, 422, policy.RuleCharterAccept)
			lea.post(t, accept, map[string]int{"charter_version": 0}).wantError(t, 422, policy.RuleCharterAccept)
			lea.post(t, accept, map[string]any{}).wantError(t, 400, "")
			if lea.isMember(t, inno) {
				t.Fatalf("lea joined without accepting the charter")
			}
			var got invitationJSON
			lea.post(t, accept, map[string]int{"charter_version": 1}).wantStatus(t, 200).decode(t, &got)
			if got.Status != "accepted" || got.DecidedAt == nil {
				t.Errorf("accepted: %+v", got)
			}
			if !lea.isMember(t, inno) {
				t.Errorf("lea is not a member")
			}
			if mine := lea.myInvitations(t); len(mine) != 0 {
				t.Errorf("an answered invitation is still listed: %+v", mine)
			}
			lea.post(t, accept, map[string]int{"charter_version": 1}).wantError(t, 409, "")
			lea.post(t, "/api/v1/invitations/"+id(inv.ID)+"/decline", nil).wantError(t, 409, "")
		})

		t.Run("nadia declines", func(t *testing.T) {
			var ni invitationJSON
			samir.invite(t, inno, "nadia").wantStatus(t, 201).decode(t, &ni)
			var got invitationJSON
			nadia.post(t, "/api/v1/invitations/"+id(ni.ID)+"/decline", nil).wantStatus(t, 200).decode(t, &got)
			if got.Status != "declined" {
				t.Errorf("declined: %+v", got)
			}
			if nadia.isMember(t, inno) {
				t.Errorf("nadia joined by declining")
			}
			nadia.post(t, "/api/v1/invitations/"+id(ni.ID)+"/accept", map[string]int{"charter_version": 1}).wantError(t, 409, "")
			nadia.post(t, "/api/v1/invitations/"+id(ni.ID)+"/decline", nil).wantError(t, 409, "")
		})

		t.Run("the funnel protects them", func(t *testing.T) {
			// The month is not over: every figure is withheld, for the
			// stewards as for the community manager.
			now := time.Now().UTC()
			month := now.Format("2006-01")
			for _, c := range []*client{samir, e.as(t, "claire")} {
				f := c.funnel(t, inno, "?month="+month)
				if f.Complete || f.Month != month {
					t.Errorf("funnel of the current month: %+v", f)
				}
				f.withheld(t)
			}
			// By default, the last closed month; its first and last day ask
			// for the same month; a month with fewer than k people in each
			// figure shows none.
			last := relais.LastFullMonth(now)
			f := samir.funnel(t, inno, "")
			if !f.Complete || f.Month != last.Month() || f.K != 5 {
				t.Errorf("default funnel: %+v", f)
			}
			f.withheld(t)
			if g := samir.funnel(t, inno, "?from=2020-01-01&to=2020-01-31"); g.Month != "2020-01" || !g.Complete {
				t.Errorf("funnel of January 2020: %+v", g)
			}
		})

		t.Run("the funnel refuses a bad period and the members", func(t *testing.T) {
			base := "/api/v1/spaces/" + id(inno) + "/funnel"
			// Free ranges are refused: a sliding window would single out
			// what one person did.
			for _, q := range []string{"?from=2026-02-01&to=2026-01-01", "?from=2026-01-02&to=2026-01-01", "?from=2026-13-01",
				"?to=yesterday", "?from=01/02/2026", "?month=month", "?from=2026-01-01&to=2026-01-30",
				"?from=2026-01-01&to=2026-02-28", "?month=2999-01"} {
				samir.get(t, base+q).wantError(t, 400, "")
			}
			paul.get(t, base).wantError(t, 403, policy.RuleJoinDecideStewards)
			lea.get(t, base).wantError(t, 403, policy.RuleJoinDecideStewards)
		})
	})
}

func TestAnimationRemoval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno := S[innovation]
		samir, paul, victor := e.as(t, "samir"), e.as(t, "paul"), e.as(t, "victor")
		remove := func(c *client, login string, body any) *response {
			return c.post(t, "/api/v1/spaces/"+id(inno)+"/members/"+id(U[login])+"/remove", body)
		}
		const why = "Messages agressifs envers l'équipe Produit, malgré deux rappels."

		t.Run("a member cannot remove another", func(t *testing.T) {
			remove(paul, "victor", map[string]string{"reason": "Je n'aime pas ses idées."}).wantError(t, 403, policy.RuleModerateStewards)
			remove(e.as(t, "lea"), "victor", map[string]string{"reason": "x"}).wantError(t, 403, policy.RuleModerateStewards)
		})

		t.Run("a removal needs a reason", func(t *testing.T) {
			for _, body := range []any{map[string]any{}, map[string]string{"reason": ""}, map[string]string{"reason": "  "},
				map[string]string{"reason": strings.Repeat("r", 2001)}} {
				remove(samir, "paul", body).wantError(t, 400, "")
			}
			if !paul.isMember(t, inno) {
				t.Fatalf("a refused removal removed paul")
			}
		})

		t.Run("whom samir cannot remove", func(t *testing.T) {
			remove(samir, "lea", map[string]string{"reason": why}).wantError(t, 404, "")
			remove(samir, "samir", map[string]string{"reason": why}).wantError(t, 404, "") // a steward, not a member
			samir.post(t, "/api/v1/spaces/"+id(inno)+"/members/999999/remove", map[string]string{"reason": why}).wantError(t, 404, "")
		})

		t.Run("samir removes paul with a reason", func(t *testing.T) {
			wantDone(t, remove(samir, "paul", map[string]string{"reason": why}))
			if paul.isMember(t, inno) {
				t.Errorf("paul is still a member")
			}
			if m := findMember(victor.members(t, inno), "paul"); m != nil {
				t.Errorf("paul is still listed: %+v", m)
			}
		})

		t.Run("paul is told why", func(t *testing.T) {
			n := paul.notif(t, "member.removed", nil)
			if n == nil || n.Detail != why || n.SpaceID != inno || n.ActorID != U["samir"] {
				t.Errorf("paul's notification: %+v", n)
			}
		})

		t.Run("paul can no longer post there", func(t *testing.T) {
			paul.post(t, "/api/v1/spaces/"+id(inno)+"/posts", map[string]string{"kind": "discussion", "title": "Retour", "body": "Me revoilà."}).
				wantError(t, 403, policy.RuleCommunityNonMember)
			paul.post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/replies", map[string]string{"body": "Me revoilà."}).
				wantUnseen(t) // its posts are out of his sight
			paul.get(t, "/api/v1/spaces/"+id(inno)+"/posts").wantError(t, 403, policy.RuleCommunityNonMember)
		})

		t.Run("his posts stay", func(t *testing.T) {
			ps, _ := victor.page(t, inno)
			if p := findPost(ps, P[titleInnovationInvoice]); p == nil || p.Status != "published" || p.AuthorID != U["paul"] {
				t.Errorf("paul's thread: %+v", p)
			}
			if victor.postByID(t, P[titleInnovationInvoice]) == nil {
				t.Errorf("victor no longer reads paul's thread")
			}
		})

		t.Run("removing him again finds nobody", func(t *testing.T) {
			remove(samir, "paul", map[string]string{"reason": why}).wantError(t, 404, "")
		})

		t.Run("the funnel counts the removal", func(t *testing.T) {
			samir.funnel(t, inno, "?month="+time.Now().UTC().Format("2006-01")).withheld(t)
		})

		t.Run("the community manager may step in", func(t *testing.T) {
			wantDone(t, remove(e.as(t, "claire"), "victor", map[string]string{"reason": why}))
			if victor.isMember(t, inno) {
				t.Errorf("victor is still a member")
			}
		})
	})
}

func TestAnimationJoinPolicy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S := e.spaces
		inno := S[innovation]
		samir, lea := e.as(t, "samir"), e.as(t, "lea")
		path := "/api/v1/spaces/" + id(inno) + "/join-policy"
		join := "/api/v1/spaces/" + id(inno) + "/members"

		t.Run("a criteria policy needs criteria", func(t *testing.T) {
			for _, body := range []string{
				`{"join_policy":"criteria"}`,
				`{"join_policy":"criteria","join_criteria":{}}`,
				`{"join_policy":"criteria","join_criteria":{"sites":["", "  "]}}`,
				`{"join_policy":"criteria","join_criteria":{"employments":["freelance"]}}`,
				`{"join_policy":"criteria","join_criteria":{"unit_ids":[0]}}`,
				`{"join_policy":"criteria","join_criteria":{"sites":["Lyon"],"teams":["x"]}}`,
				`{"join_policy":"everyone"}`,
				`{"join_policy":""}`,
			} {
				samir.put(t, path, body).wantError(t, 400, "")
			}
			if s := lea.space(t, inno); s.JoinPolicy != "open" {
				t.Fatalf("a refused policy changed it: %s", s.JoinPolicy)
			}
		})

		t.Run("samir sets criteria lea does not meet", func(t *testing.T) {
			var s struct {
				JoinPolicy   string `json:"join_policy"`
				JoinCriteria *struct {
					Sites []string `json:"sites"`
				} `json:"join_criteria"`
			}
			samir.put(t, path, map[string]any{"join_policy": "criteria", "join_criteria": map[string]any{"sites": []string{"Lyon", " Lyon "}}}).
				wantStatus(t, 200).decode(t, &s)
			if s.JoinPolicy != "criteria" || s.JoinCriteria == nil || len(s.JoinCriteria.Sites) != 1 || s.JoinCriteria.Sites[0] != "Lyon" {
				t.Errorf("space after the change: %+v", s)
			}
			// lea works in Paris.
			lea.post(t, join, map[string]int{"charter_version": 1}).wantError(t, 403, policy.RuleJoinCriteriaUnmet)
			if lea.isMember(t, inno) {
				t.Errorf("lea joined")
			}
		})

		t.Run("who meets them joins", func(t *testing.T) {
			// admin works in Lyon.
			e.as(t, "admin").post(t, join, map[string]int{"charter_version": 1}).wantStatus(t, 201)
			if !e.as(t, "admin").isMember(t, inno) {
				t.Errorf("admin, who meets the criteria, is not a member")
			}
		})

		t.Run("who may not change it", func(t *testing.T) {
			open := map[string]string{"join_policy": "open"}
			e.as(t, "paul").put(t, path, open).wantError(t, 403, policy.RuleJoinConfigureEditors)
			// An outsourced steward does not set who comes in.
			e.as(t, "olivia").put(t, "/api/v1/spaces/"+id(S[clientsPro])+"/join-policy", open).wantError(t, 403, policy.RuleJoinConfigureEditors)
			// A team space mirrors the directory.
			e.as(t, "marc").put(t, "/api/v1/spaces/"+id(S[supportLyon])+"/join-policy", open).wantError(t, 403, policy.RuleTeamJoinDirectory)
			if s := lea.space(t, S[clientsPro]); s.JoinPolicy != "request" {
				t.Errorf("Clients Pro: %s", s.JoinPolicy)
			}
		})

		t.Run("the community manager opens it again", func(t *testing.T) {
			e.as(t, "claire").put(t, path, map[string]string{"join_policy": "open"}).wantStatus(t, 200)
			if s := lea.space(t, inno); s.JoinPolicy != "open" {
				t.Errorf("join policy %s", s.JoinPolicy)
			}
			lea.post(t, join, map[string]int{"charter_version": 1}).wantStatus(t, 201)
		})

		t.Run("on request, a join waits for a steward", func(t *testing.T) {
			samir.put(t, path, map[string]string{"join_policy": "request"}).wantStatus(t, 200)
			nadia := e.as(t, "nadia")
			nadia.post(t, join, map[string]int{"charter_version": 1}).wantStatus(t, 202)
			if nadia.isMember(t, inno) || nadia.notif(t, "welcome", nil) != nil {
				t.Fatalf("nadia joined before a steward decided")
			}
			reqs := jrPending(t, samir, inno)
			if len(reqs) != 1 || reqs[0].UserID != e.users["nadia"] {
				t.Fatalf("samir's pending requests: %+v", reqs)
			}
			jrApprove(t, samir, reqs[0].ID).wantStatus(t, 200)
			if !nadia.isMember(t, inno) {
				t.Errorf("nadia is not a member after the approval")
			}
			// A newcomer by request is welcomed too.
			if n := nadia.notif(t, "welcome", nil); n == nil || n.SpaceID != inno || n.Detail == "" {
				t.Errorf("nadia's welcome: %+v", n)
			}
		})
	})
}

func TestAnimationStewards(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		cp := S[clientsPro]
		claire, samir := e.as(t, "claire"), e.as(t, "samir")
		path := "/api/v1/spaces/" + id(cp) + "/stewards"
		pin := "/api/v1/posts/" + id(P[titleClientsInvoices]) + "/pin"

		t.Run("only the community manager assigns", func(t *testing.T) {
			for _, login := range []string{"paul", "samir", "olivia", "admin"} {
				e.as(t, login).post(t, path, map[string]string{"login": "samir"}).wantError(t, 403, policy.RuleStewardAssignCM)
				e.as(t, login).del(t, path+"/"+id(U["olivia"])).wantError(t, 403, policy.RuleStewardAssignCM)
			}
		})

		t.Run("claire assigns samir to Clients Pro", func(t *testing.T) {
			samir.put(t, pin, nil).wantError(t, 403, policy.RuleAnimateStewards)
			var out struct {
				Members []memberJSON `json:"members"`
			}
			claire.post(t, path, map[string]string{"login": "samir"}).wantStatus(t, 200).decode(t, &out)
			if m := findMember(out.Members, "samir"); m == nil || !m.Steward {
				t.Errorf("members after assignment: %+v", out.Members)
			}
			if s := samir.space(t, cp); !s.Membership.Steward {
				t.Errorf("samir's membership: %+v", s.Membership)
			}
			// As a steward, samir animates Clients Pro himself.
			wantDone(t, samir.put(t, pin, nil))
		})

		t.Run("assigning twice is a conflict", func(t *testing.T) {
			claire.post(t, path, map[string]string{"login": "samir"}).wantError(t, 409, "")
		})

		t.Run("only a social media manager is a steward", func(t *testing.T) {
			claire.post(t, path, map[string]string{"login": "paul"}).wantError(t, 422, policy.RuleStewardSMMOnly)
			claire.post(t, path, map[string]string{"login": "claire"}).wantError(t, 422, policy.RuleStewardSMMOnly)
			// An outsourced one never animates an internal community.
			claire.post(t, "/api/v1/spaces/"+id(S[innovation])+"/stewards", map[string]string{"login": "olivia"}).
				wantError(t, 422, policy.RuleCommunityAudience)
			claire.post(t, path, map[string]string{"login": "personne"}).wantError(t, 404, "")
			claire.post(t, path, map[string]string{"login": ""}).wantError(t, 400, "")
			// A team space has no steward, and claire does not see inside it.
			claire.post(t, "/api/v1/spaces/"+id(S[supportLyon])+"/stewards", map[string]string{"login": "samir"}).
				wantUnseen(t)
		})

		t.Run("claire withdraws samir", func(t *testing.T) {
			var out struct {
				Members []memberJSON `json:"members"`
			}
			claire.del(t, path+"/"+id(U["samir"])).wantStatus(t, 200).decode(t, &out)
			// samir stays a member of Clients Pro, no longer its steward.
			if m := findMember(out.Members, "samir"); m == nil || m.Steward {
				t.Errorf("members after withdrawal: %+v", out.Members)
			}
			samir.del(t, pin).wantError(t, 403, policy.RuleAnimateStewards)
			claire.del(t, path+"/"+id(U["samir"])).wantError(t, 409, "")
			claire.del(t, path+"/999999").wantError(t, 404, "")
		})
	})
}

func TestAnimationOnboarding(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		claire, samir, olivia, paul := e.as(t, "claire"), e.as(t, "samir"), e.as(t, "olivia"), e.as(t, "paul")
		path := "/api/v1/users/" + id(U["olivia"]) + "/onboarding"
		end := "/api/v1/users/" + id(U["olivia"]) + "/copilot/end"
		confirm := func(c *client, item string) *response { return c.post(t, path, map[string]string{"item": item}) }
		var waiting postJSON // a post of olivia waiting for her mentor

		t.Run("olivia, samir and claire read her checklist", func(t *testing.T) {
			for _, c := range []*client{olivia, samir, claire} {
				o := c.onboarding(t, U["olivia"])
				if !o.CoPilot || o.MentorID != U["samir"] || o.Complete || len(o.Steps) != 3 {
					t.Errorf("onboarding: %+v", o)
				}
				for _, s := range o.Steps {
					if s.Done {
						t.Errorf("step done at start: %+v", s)
					}
				}
			}
			paul.get(t, path).wantError(t, 404, "")
			var out struct {
				CoPilots []onboardingJSON `json:"copilots"`
			}
			samir.get(t, "/api/v1/copilots").wantStatus(t, 200).decode(t, &out)
			if len(out.CoPilots) != 1 || out.CoPilots[0].UserID != U["olivia"] {
				t.Errorf("samir's co-pilots: %+v", out.CoPilots)
			}
			paul.get(t, "/api/v1/copilots").wantStatus(t, 200).decode(t, &out)
			if len(out.CoPilots) != 0 {
				t.Errorf("paul's co-pilots: %+v", out.CoPilots)
			}
		})

		t.Run("samir confirms a step", func(t *testing.T) {
			var o onboardingJSON
			confirm(samir, "codes_values").wantStatus(t, 200).decode(t, &o)
			if o.Steps[0].Item != "codes_values" || !o.Steps[0].Done || o.Steps[0].DoneBy != U["samir"] || o.Complete {
				t.Errorf("after confirming: %+v", o)
			}
		})

		t.Run("confirming twice is a conflict", func(t *testing.T) {
			confirm(samir, "codes_values").wantError(t, 409, "")
		})

		t.Run("an unknown step is refused", func(t *testing.T) {
			for _, item := range []string{"values", "", "CHARTER"} {
				confirm(samir, item).wantError(t, 400, "")
			}
		})

		t.Run("only the mentor and the community manager confirm", func(t *testing.T) {
			confirm(paul, "charter").wantError(t, 403, policy.RuleOnboardingMentor)
			confirm(olivia, "charter").wantError(t, 403, policy.RuleOnboardingMentor)
			confirm(e.as(t, "admin"), "charter").wantError(t, 403, policy.RuleOnboardingMentor)
		})

		t.Run("the period ends only once the checklist is complete", func(t *testing.T) {
			claire.post(t, end, nil).wantError(t, 422, policy.RuleCoPilotEndChecklist)
			samir.post(t, end, nil).wantError(t, 403, policy.RuleCoPilotEndCM)
			olivia.post(t, end, nil).wantError(t, 403, policy.RuleCoPilotEndCM)
			if waiting = olivia.createPost(t, S[clientsPro], "Toujours en doubles commandes", "Ce message attend samir."); waiting.Status != "pending_approval" {
				t.Errorf("olivia's post: %+v", waiting)
			}
		})

		t.Run("a new mentor takes over what waits, the checklist goes on", func(t *testing.T) {
			copilot := "/api/v1/users/" + id(U["olivia"]) + "/copilot"
			var o onboardingJSON
			claire.post(t, copilot, map[string]string{"mentor_login": "claire"}).wantStatus(t, 200).decode(t, &o)
			if !o.CoPilot || o.MentorID != U["claire"] || !o.Steps[0].Done {
				t.Errorf("after the change of mentor: %+v", o)
			}
			if findApproval(claire.approvalList(t, "/api/v1/approvals"), waiting.ID, 0) == nil ||
				findApproval(samir.approvalList(t, "/api/v1/approvals"), waiting.ID, 0) != nil {
				t.Errorf("olivia's waiting post did not move to her new mentor")
			}
			// samir mentors her no more.
			confirm(samir, "charter").wantError(t, 403, policy.RuleOnboardingMentor)
			paul.get(t, path).wantError(t, 404, "")
			claire.post(t, copilot, map[string]string{"mentor_login": "samir"}).wantStatus(t, 200).decode(t, &o)
			if o.MentorID != U["samir"] || !o.Steps[0].Done {
				t.Errorf("back to samir: %+v", o)
			}
		})

		t.Run("claire and samir complete it", func(t *testing.T) {
			confirm(claire, "charter").wantStatus(t, 200)
			var o onboardingJSON
			confirm(samir, "escalation_paths").wantStatus(t, 200).decode(t, &o)
			if !o.Complete {
				t.Errorf("checklist: %+v", o)
			}
			// Complete, but still not samir's to end.
			samir.post(t, end, nil).wantError(t, 403, policy.RuleCoPilotEndCM)
		})

		t.Run("claire ends the period", func(t *testing.T) {
			var o onboardingJSON
			claire.post(t, end, nil).wantStatus(t, 200).decode(t, &o)
			if o.CoPilot || !o.Complete {
				t.Errorf("after the end: %+v", o)
			}
			if n := olivia.notif(t, "copilot.ended", nil); n == nil || n.ActorID != U["claire"] {
				t.Errorf("olivia's notification: %+v", n)
			}
			var me struct {
				CoPilot *bool `json:"co_pilot"`
			}
			olivia.get(t, "/api/v1/me").wantStatus(t, 200).decode(t, &me)
			if me.CoPilot == nil || *me.CoPilot {
				t.Errorf("olivia is still in co-pilot: %+v", me)
			}
		})

		t.Run("olivia's next post is published directly", func(t *testing.T) {
			p := olivia.createPost(t, S[clientsPro], "Première publication directe", "Merci samir !")
			if p.Status != "published" {
				t.Errorf("olivia's post: %+v", p)
			}
			if th := e.as(t, "xavier").thread(t, p.ID); th.Status != "published" {
				t.Errorf("xavier reads: %+v", th)
			}
			// Her actions too take effect at once.
			wantDone(t, olivia.put(t, "/api/v1/posts/"+id(p.ID)+"/pin", nil))
		})

		t.Run("ending again is a conflict", func(t *testing.T) {
			claire.post(t, end, nil).wantError(t, 409, "")
			confirm(samir, "charter").wantError(t, 409, "")
			var out struct {
				CoPilots []onboardingJSON `json:"copilots"`
			}
			samir.get(t, "/api/v1/copilots").wantStatus(t, 200).decode(t, &out)
			if len(out.CoPilots) != 0 {
				t.Errorf("samir's co-pilots after the end: %+v", out.CoPilots)
			}
		})

		t.Run("a new period starts its checklist afresh", func(t *testing.T) {
			var o onboardingJSON
			claire.post(t, "/api/v1/users/"+id(U["olivia"])+"/copilot", map[string]string{"mentor_login": "samir"}).wantStatus(t, 200).decode(t, &o)
			if !o.CoPilot || o.Complete {
				t.Errorf("a new period: %+v", o)
			}
			for _, st := range o.Steps {
				if st.Done {
					t.Errorf("step done in a new period: %+v", st)
				}
			}
			claire.post(t, end, nil).wantError(t, 422, policy.RuleCoPilotEndChecklist)
			if p := olivia.createPost(t, S[clientsPro], "De nouveau en doubles commandes", "Retour au mentor."); p.Status != "pending_approval" {
				t.Errorf("olivia's post: %+v", p)
			}
		})

		t.Run("who never was in co-pilot has no period to end", func(t *testing.T) {
			claire.post(t, "/api/v1/users/"+id(U["paul"])+"/copilot/end", nil).wantError(t, 409, "")
			claire.post(t, "/api/v1/users/999999/copilot/end", nil).wantError(t, 404, "")
			claire.post(t, "/api/v1/users/"+id(U["paul"])+"/onboarding", map[string]string{"item": "charter"}).wantError(t, 409, "")
		})
	})
}

func TestAnimationNotifications(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		P := e.posts
		samir, paul, lea := e.as(t, "samir"), e.as(t, "paul"), e.as(t, "lea")

		t.Run("nothing at first", func(t *testing.T) {
			if ns, unread := paul.notifs(t); len(ns) != 0 || unread != 0 {
				t.Errorf("paul: %d notifications, %d unread", len(ns), unread)
			}
		})

		// Two of paul's threads hidden, one after the other.
		wantDone(t, samir.hide(t, P[titleInnovationInvoice], "Confidentialité", "Noms de clients."))
		wantDone(t, samir.hide(t, P[titleInnovationWelcome], "Hors sujet", "Doublon.")) // samir's own: told to samir
		wantDone(t, e.as(t, "marc").hide(t, P[titleSupportInvoices], "Données clients", "Numéros de contrat."))

		var first, second notificationJSON
		t.Run("paul has two unread notifications, newest first", func(t *testing.T) {
			ns, unread := paul.notifs(t)
			if len(ns) != 2 || unread != 2 {
				t.Fatalf("paul: %+v, %d unread", ns, unread)
			}
			second, first = ns[0], ns[1]
			if first.ID >= second.ID || first.PostID != P[titleInnovationInvoice] || second.PostID != P[titleSupportInvoices] ||
				first.ReadAt != nil || second.ReadAt != nil || first.SpaceName != innovation || second.SpaceName != supportLyon {
				t.Errorf("paul's notifications: %+v", ns)
			}
			var page struct {
				Notifications []notificationJSON `json:"notifications"`
			}
			paul.get(t, "/api/v1/notifications?limit=1").wantStatus(t, 200).decode(t, &page)
			if len(page.Notifications) != 1 || page.Notifications[0].ID != second.ID {
				t.Errorf("first page: %+v", page.Notifications)
			}
			paul.get(t, "/api/v1/notifications?before="+id(second.ID)).wantStatus(t, 200).decode(t, &page)
			if len(page.Notifications) != 1 || page.Notifications[0].ID != first.ID {
				t.Errorf("page before %d: %+v", second.ID, page.Notifications)
			}
		})

		t.Run("nobody sees anybody else's notifications", func(t *testing.T) {
			for _, c := range []*client{lea, samir, e.as(t, "claire")} {
				ns, _ := c.notifs(t)
				for _, n := range ns {
					if n.ID == first.ID || n.ID == second.ID {
						t.Errorf("another user sees paul's notification %+v", n)
					}
				}
			}
			if ns, unread := lea.notifs(t); len(ns) != 0 || unread != 0 {
				t.Errorf("lea: %+v", ns)
			}
			if ns, unread := samir.notifs(t); len(ns) != 1 || unread != 1 || ns[0].PostID != P[titleInnovationWelcome] {
				t.Errorf("samir: %+v, %d unread", ns, unread)
			}
			// lea marking hers read leaves paul's unread.
			var res struct {
				Marked *int `json:"marked"`
			}
			lea.post(t, "/api/v1/notifications/read", nil).wantStatus(t, 200).decode(t, &res)
			if res.Marked == nil || *res.Marked != 0 {
				t.Errorf("lea marked %v", res.Marked)
			}
			if _, unread := paul.notifs(t); unread != 2 {
				t.Errorf("paul's unread count %d after lea's read", unread)
			}
		})

		t.Run("marking up to an id", func(t *testing.T) {
			var res struct {
				Marked int `json:"marked"`
			}
			paul.post(t, "/api/v1/notifications/read", map[string]int64{"up_to": first.ID}).wantStatus(t, 200).decode(t, &res)
			if res.Marked != 1 {
				t.Errorf("marked %d, want 1", res.Marked)
			}
			ns, unread := paul.notifs(t)
			if unread != 1 || ns[0].ReadAt != nil || ns[1].ReadAt == nil {
				t.Errorf("after marking up to %d: %+v, %d unread", first.ID, ns, unread)
			}
		})

		t.Run("marking all", func(t *testing.T) {
			var res struct {
				Marked int `json:"marked"`
			}
			paul.post(t, "/api/v1/notifications/read", map[string]any{}).wantStatus(t, 200).decode(t, &res)
			if res.Marked != 1 {
				t.Errorf("marked %d, want 1", res.Marked)
			}
			if _, unread := paul.notifs(t); unread != 0 {
				t.Errorf("%d unread", unread)
			}
			paul.post(t, "/api/v1/notifications/read", nil).wantStatus(t, 200).decode(t, &res)
			if res.Marked != 0 {
				t.Errorf("marked %d again", res.Marked)
			}
			// samir's stays unread.
			if _, unread := samir.notifs(t); unread != 1 {
				t.Errorf("samir: %d unread", unread)
			}
		})

		t.Run("another's id marks nothing of theirs", func(t *testing.T) {
			wantDone(t, samir.post(t, "/api/v1/posts/"+id(P[titleInnovationInvoice])+"/restore", nil))
			ns, _ := paul.notifs(t)
			lea.post(t, "/api/v1/notifications/read", map[string]int64{"up_to": ns[0].ID}).wantStatus(t, 200)
			if _, unread := paul.notifs(t); unread != 1 {
				t.Errorf("paul: %d unread after lea marked up to his id", unread)
			}
		})

		t.Run("bad requests", func(t *testing.T) {
			for _, q := range []string{"?limit=0", "?limit=101", "?limit=x", "?before=0", "?before=-1", "?unread=1"} {
				paul.get(t, "/api/v1/notifications"+q).wantError(t, 400, "")
			}
			for _, body := range []string{`{"up_to":-1}`, `{"up_to":"1"}`, `{"all":true}`, `[]`, `nope`, `{"up_to":1.5}`} {
				paul.post(t, "/api/v1/notifications/read", body).wantError(t, 400, "")
			}
			e.anon().get(t, "/api/v1/notifications").wantError(t, 401, "")
			e.anon().post(t, "/api/v1/notifications/read", nil).wantError(t, 401, "")
		})
	})
}

// TestAnimationTeamSpace: a team space has no steward. Its manager
// animates it, its members flag, and nobody else acts in it, not even the
// community manager or a social media manager. Its membership mirrors the
// directory: nobody invites, removes or changes how one joins.
func TestAnimationTeamSpace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		sl := S[supportLyon]
		marc, paul := e.as(t, "marc"), e.as(t, "paul")
		marcs, pauls := P[titleSupportPriorities], P[titleSupportInvoices]
		sp := "/api/v1/spaces/" + id(sl)
		future := rfc3339(time.Now().Add(24 * time.Hour))
		var marcsScheduled scheduledJSON

		type call struct {
			name, method, path string
			body               any
		}
		animation := []call{
			{"flag", "POST", "/api/v1/posts/" + id(marcs) + "/flags", map[string]string{"reason": "Hors sujet."}},
			{"dismiss flags", "POST", "/api/v1/posts/" + id(marcs) + "/flags/dismiss", nil},
			{"read the queue", "GET", sp + "/moderation", nil},
			{"hide", "POST", "/api/v1/posts/" + id(pauls) + "/hide", map[string]string{"rule": "Données clients", "reason": "Numéros."}},
			{"restore", "POST", "/api/v1/posts/" + id(pauls) + "/restore", nil},
			{"pin", "PUT", "/api/v1/posts/" + id(pauls) + "/pin", nil},
			{"unpin", "DELETE", "/api/v1/posts/" + id(pauls) + "/pin", nil},
			{"list scheduled posts", "GET", sp + "/scheduled-posts", nil},
			{"schedule", "POST", sp + "/scheduled-posts", map[string]string{"title": "Point", "body": "Lundi.", "publish_at": future}},
			{"read the welcome", "GET", sp + "/welcome", nil},
			{"set the welcome", "PUT", sp + "/welcome", map[string]string{"welcome": "Bienvenue."}},
		}
		membership := []call{
			{"list invitations", "GET", sp + "/invitations", nil},
			{"invite", "POST", sp + "/invitations", map[string]string{"login": "lea"}},
			{"remove a member", "POST", sp + "/members/" + id(U["paul"]) + "/remove", map[string]string{"reason": "Départ."}},
			{"read the funnel", "GET", sp + "/funnel", nil},
			{"set the join policy", "PUT", sp + "/join-policy", map[string]string{"join_policy": "open"}},
		}

		t.Run("marc schedules a post", func(t *testing.T) {
			marc.post(t, sp+"/scheduled-posts", map[string]string{"title": "Point du lundi", "body": "Ordre du jour.", "publish_at": future}).
				wantStatus(t, 201).decode(t, &marcsScheduled)
		})

		// To the outsiders, the team space and its posts do not exist.
		outsiders := []struct{ login string }{{"claire"}, {"samir"}, {"lea"}, {"nadia"}, {"olivia"}, {"xavier"}}
		for _, o := range outsiders {
			for _, c := range append(append([]call{}, animation...), membership...) {
				t.Run(o.login+" cannot "+c.name, func(t *testing.T) {
					e.as(t, o.login).do(t, c.method, c.path, c.body).wantUnseen(t)
				})
			}
			t.Run(o.login+" does not learn of marc's scheduled post", func(t *testing.T) {
				e.as(t, o.login).del(t, "/api/v1/scheduled-posts/"+id(marcsScheduled.ID)).wantError(t, 404, "")
			})
		}

		t.Run("the outsiders changed nothing", func(t *testing.T) {
			ps, pins := paul.page(t, sl)
			if len(pins) != 0 || findPost(ps, pauls) == nil || findPost(ps, pauls).Status != "published" {
				t.Errorf("Support Lyon after the refusals: pinned %+v", pins)
			}
			if q := marc.queue(t, sl); len(q) != 0 {
				t.Errorf("queue: %+v", q)
			}
			if w := paul.welcomeText(t, sl); w != "" {
				t.Errorf("welcome %q", w)
			}
			if s := findScheduled(marc.scheduled(t, sl), marcsScheduled.ID); s == nil || s.Status != "scheduled" {
				t.Errorf("marc's scheduled post: %+v", s)
			}
		})

		for _, login := range []string{"marc", "paul"} {
			for _, c := range membership {
				t.Run(login+" cannot "+c.name+": the team mirrors the directory", func(t *testing.T) {
					e.as(t, login).do(t, c.method, c.path, c.body).wantError(t, 403, policy.RuleTeamJoinDirectory)
				})
			}
		}

		t.Run("paul flags marc's post", func(t *testing.T) {
			paul.flag(t, marcs, "La priorité 3 me concerne mais je suis absent jeudi.").wantStatus(t, 201)
		})

		t.Run("paul does not animate", func(t *testing.T) {
			for _, c := range animation {
				if c.name == "flag" || c.name == "read the welcome" {
					continue
				}
				t.Run(c.name, func(t *testing.T) {
					paul.do(t, c.method, c.path, c.body).wantError(t, 403, policy.RuleTeamManagerOnly)
				})
			}
			paul.del(t, "/api/v1/scheduled-posts/"+id(marcsScheduled.ID)).wantError(t, 404, "")
		})

		t.Run("marc animates his team's space", func(t *testing.T) {
			q := marc.queue(t, sl)
			if len(q) != 1 || q[0].Post.ID != marcs || len(q[0].Flags) != 1 || q[0].Flags[0].UserID != U["paul"] {
				t.Errorf("marc's queue: %+v", q)
			}
			marc.post(t, "/api/v1/posts/"+id(marcs)+"/flags/dismiss", nil).wantStatus(t, 204)
			wantDone(t, marc.put(t, "/api/v1/posts/"+id(pauls)+"/pin", nil))
			if _, pins := paul.page(t, sl); len(pins) != 1 || pins[0].ID != pauls {
				t.Errorf("pinned: %+v", pins)
			}
			other := P["Fiche réflexe : remboursement partiel en moins de 5 minutes"]
			wantDone(t, marc.hide(t, other, "Données clients", "Un numéro de client complet."))
			if p := paul.postByID(t, other); p == nil || p.Status != "hidden" || p.ModerationReason != "Un numéro de client complet." {
				t.Errorf("paul's hidden post: %+v", p)
			}
			if n := paul.notif(t, "post.hidden", nil); n == nil || n.PostID != other || n.SpaceID != sl {
				t.Errorf("paul's notification: %+v", n)
			}
			wantDone(t, marc.put(t, sp+"/welcome", map[string]string{"welcome": "Bienvenue dans l'équipe !"}))
			marc.del(t, "/api/v1/scheduled-posts/"+id(marcsScheduled.ID)).wantStatus(t, 204)
		})

		t.Run("search never reaches the team's posts for outsiders", func(t *testing.T) {
			if len(marc.search(t, "priorités")) == 0 {
				t.Fatalf("marc does not find his own thread")
			}
			for _, o := range outsiders {
				for _, res := range e.as(t, o.login).search(t, "priorités") {
					if res.SpaceID == sl {
						t.Errorf("%s finds %q", o.login, res.Title)
					}
				}
			}
		})
	})
}

// badIDs returns, for an endpoint whose path holds an id, the cases of an
// id that is not a positive integer (400) and of an unknown one (404).
// path builds the path from the id.
func badIDs(path func(string) string, body any) []badCase {
	var cs []badCase
	for _, raw := range []string{"abc", "0", "-1", "1.5", "1e3", "0x1", "99999999999999999999"} {
		cs = append(cs, badCase{name: "id " + raw, path: path(raw), body: body, want: 400})
	}
	return append(cs, badCase{name: "unknown id", path: path("999999"), body: body, want: 404},
		badCase{name: "largest id", path: path("9223372036854775807"), body: body, want: 404})
}

// noBodyCases are the bodies refused by an endpoint that reads none (or an
// empty object).
func noBodyCases() []badCase {
	return []badCase{
		{name: "unknown field", body: `{"force":true}`, want: 400},
		{name: "not JSON", body: `force=1`, want: 400},
		{name: "array", body: `[]`, want: 400},
		{name: "two objects", body: `{}{}`, want: 400},
	}
}

// TestAnimationBadInput sends malformed requests to every animation
// endpoint: each is refused with a 4xx in the error format, never a 5xx,
// and changes nothing.
func TestAnimationBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno, post := id(S[innovation]), id(P[titleInnovationInvoice])
		var inv invitationJSON
		e.as(t, "samir").invite(t, S[innovation], "lea").wantStatus(t, 201).decode(t, &inv)
		var sched scheduledJSON
		future := rfc3339(time.Now().Add(48 * time.Hour))
		e.as(t, "samir").post(t, "/api/v1/spaces/"+inno+"/scheduled-posts", map[string]string{"title": "T", "body": "B", "publish_at": future}).
			wantStatus(t, 201).decode(t, &sched)

		demoWelcome := e.as(t, "samir").welcomeText(t, S[innovation])

		var cases []badCase
		add := func(group, as, method, path string, cs ...badCase) {
			for _, c := range fill(cs, as, method, path) {
				c.name = group + "/" + c.name
				cases = append(cases, c)
			}
		}
		postPath := func(suffix string) func(string) string {
			return func(raw string) string { return "/api/v1/posts/" + raw + suffix }
		}
		spacePath := func(suffix string) func(string) string {
			return func(raw string) string { return "/api/v1/spaces/" + raw + suffix }
		}
		userPath := func(suffix string) func(string) string {
			return func(raw string) string { return "/api/v1/users/" + raw + suffix }
		}

		// Flags and moderation.
		flags := "/api/v1/posts/" + post + "/flags"
		add("flag", "victor", "POST", flags, bodyCases(flags, `{"reason":"x"}`)...)
		add("flag", "victor", "POST", flags, badIDs(postPath("/flags"), `{"reason":"x"}`)...)
		add("flag", "victor", "POST", flags,
			badCase{name: "reason of wrong type", body: `{"reason":5}`, want: 400},
			badCase{name: "null reason", body: `{"reason":null}`, want: 400},
			badCase{name: "reason with NUL", body: `{"reason":"a\u0000b"}`, want: 400})
		add("dismiss", "samir", "POST", flags+"/dismiss", noBodyCases()...)
		add("dismiss", "samir", "POST", flags+"/dismiss", badIDs(postPath("/flags/dismiss"), nil)...)
		add("queue", "samir", "GET", "/api/v1/spaces/"+inno+"/moderation",
			badCase{name: "unknown query parameter", path: "/api/v1/spaces/" + inno + "/moderation?all=1", want: 400})
		add("queue", "samir", "GET", "", badIDs(spacePath("/moderation"), nil)...)
		hide := "/api/v1/posts/" + post + "/hide"
		add("hide", "samir", "POST", hide, bodyCases(hide, `{"rule":"Règle 1","reason":"x"}`)...)
		add("hide", "samir", "POST", hide, badIDs(postPath("/hide"), `{"rule":"Règle 1","reason":"x"}`)...)
		add("hide", "samir", "POST", hide,
			badCase{name: "rule of wrong type", body: `{"rule":["Règle 1"],"reason":"x"}`, want: 400},
			badCase{name: "rule with NUL", body: `{"rule":"R\u0000","reason":"x"}`, want: 400})
		add("restore", "samir", "POST", "/api/v1/posts/"+post+"/restore", noBodyCases()...)
		add("restore", "samir", "POST", "", badIDs(postPath("/restore"), nil)...)
		add("restore", "samir", "POST", "/api/v1/posts/"+post+"/restore", badCase{name: "not hidden", want: 409})

		// Pins.
		for _, method := range []string{"PUT", "DELETE"} {
			add("pin "+method, "samir", method, "/api/v1/posts/"+post+"/pin", noBodyCases()...)
			add("pin "+method, "samir", method, "", badIDs(postPath("/pin"), nil)...)
		}

		// Scheduled posts.
		scheduled := "/api/v1/spaces/" + inno + "/scheduled-posts"
		valid := `{"title":"T","body":"B","publish_at":"` + future + `"}`
		add("schedule", "samir", "POST", scheduled, bodyCases(scheduled, valid)...)
		add("schedule", "samir", "POST", scheduled, badIDs(spacePath("/scheduled-posts"), valid)...)
		add("schedule", "samir", "POST", scheduled,
			badCase{name: "missing publish_at", body: `{"title":"T","body":"B"}`, want: 400},
			badCase{name: "missing title", body: `{"body":"B","publish_at":"` + future + `"}`, want: 400},
			badCase{name: "publish_at as number", body: `{"title":"T","body":"B","publish_at":1767225600}`, want: 400},
			badCase{name: "unknown kind", body: `{"kind":"rant","title":"T","body":"B","publish_at":"` + future + `"}`, want: 400},
			badCase{name: "empty kind", body: `{"kind":"","title":"T","body":"B","publish_at":"` + future + `"}`, want: 400},
			badCase{name: "blank title", body: `{"title":" ","body":"B","publish_at":"` + future + `"}`, want: 400},
			badCase{name: "status forced", body: `{"title":"T","body":"B","publish_at":"` + future + `","status":"published"}`, want: 400})
		add("scheduled list", "samir", "GET", scheduled,
			badCase{name: "unknown query parameter", path: scheduled + "?status=all", want: 400})
		add("scheduled list", "samir", "GET", "", badIDs(spacePath("/scheduled-posts"), nil)...)
		add("cancel", "samir", "DELETE", "", badIDs(func(raw string) string { return "/api/v1/scheduled-posts/" + raw }, nil)...)

		// Welcome.
		welcome := "/api/v1/spaces/" + inno + "/welcome"
		add("set welcome", "samir", "PUT", welcome, bodyCases(welcome, `{"welcome":"Bonjour"}`)...)
		add("set welcome", "samir", "PUT", welcome, badIDs(spacePath("/welcome"), `{"welcome":"Bonjour"}`)...)
		add("set welcome", "samir", "PUT", welcome,
			badCase{name: "null welcome", body: `{"welcome":null}`, want: 400},
			badCase{name: "welcome of wrong type", body: `{"welcome":false}`, want: 400})
		add("welcome", "paul", "GET", "", badIDs(spacePath("/welcome"), nil)...)

		// Invitations.
		invitations := "/api/v1/spaces/" + inno + "/invitations"
		add("invite", "samir", "POST", invitations, bodyCases(invitations, `{"login":"nadia"}`)...)
		add("invite", "samir", "POST", invitations, badIDs(spacePath("/invitations"), `{"login":"nadia"}`)...)
		add("invite", "samir", "POST", invitations,
			badCase{name: "login of wrong type", body: `{"login":7}`, want: 400},
			badCase{name: "message of wrong type", body: `{"login":"nadia","message":7}`, want: 400},
			badCase{name: "message with NUL", body: `{"login":"nadia","message":"a\u0000b"}`, want: 400},
			badCase{name: "login with NUL", body: `{"login":"na\u0000dia"}`, want: 400},
			badCase{name: "login not UTF-8", body: "{\"login\":\"na\xffdia\"}", want: 404, alt: 400},
			badCase{name: "login of 5000 characters", body: `{"login":"` + strings.Repeat("l", 5000) + `"}`, want: 404, alt: 400})
		add("invitations", "samir", "GET", "", badIDs(spacePath("/invitations"), nil)...)
		add("my invitations", "lea", "GET", "/api/v1/me/invitations?status=all", badCase{name: "unknown query parameter", want: 400})
		accept := "/api/v1/invitations/" + id(inv.ID) + "/accept"
		add("accept", "lea", "POST", accept, bodyCases(accept, `{"charter_version":1}`)...)
		add("accept", "lea", "POST", accept, badIDs(func(raw string) string { return "/api/v1/invitations/" + raw + "/accept" }, `{"charter_version":1}`)...)
		add("accept", "lea", "POST", accept,
			badCase{name: "charter_version as string", body: `{"charter_version":"1"}`, want: 400},
			badCase{name: "charter_version as float", body: `{"charter_version":1.5}`, want: 400},
			badCase{name: "huge charter_version", body: `{"charter_version":9223372036854775807}`, want: 422, alt: 400})
		decline := "/api/v1/invitations/" + id(inv.ID) + "/decline"
		add("decline", "lea", "POST", decline, noBodyCases()...)
		add("decline", "lea", "POST", decline, badIDs(func(raw string) string { return "/api/v1/invitations/" + raw + "/decline" }, nil)...)

		// Removal.
		remove := "/api/v1/spaces/" + inno + "/members/" + id(U["paul"]) + "/remove"
		add("remove", "samir", "POST", remove, bodyCases(remove, `{"reason":"x"}`)...)
		add("remove", "samir", "POST", remove, badIDs(spacePath("/members/"+id(U["paul"])+"/remove"), `{"reason":"x"}`)...)
		add("remove", "samir", "POST", remove, badIDs(func(raw string) string { return "/api/v1/spaces/" + inno + "/members/" + raw + "/remove" }, `{"reason":"x"}`)...)

		// Funnel.
		funnel := "/api/v1/spaces/" + inno + "/funnel"
		add("funnel", "samir", "GET", funnel,
			badCase{name: "unknown query parameter", path: funnel + "?source=open", want: 400},
			badCase{name: "from with NUL", path: funnel + "?from=2026%00", want: 400},
			badCase{name: "from not UTF-8", path: funnel + "?from=%ff", want: 400},
			badCase{name: "from with time", path: funnel + "?from=2026-01-01T00:00:00Z", want: 400},
			badCase{name: "year 0", path: funnel + "?from=0000-01-01&to=0000-01-02", want: 200, alt: 400},
			badCase{name: "year 9999", path: funnel + "?from=9999-12-30&to=9999-12-31", want: 200, alt: 400})
		add("funnel", "samir", "GET", "", badIDs(spacePath("/funnel"), nil)...)

		// Join policy and stewards.
		joinPolicy := "/api/v1/spaces/" + inno + "/join-policy"
		add("join policy", "samir", "PUT", joinPolicy, bodyCases(joinPolicy, `{"join_policy":"open"}`)...)
		add("join policy", "samir", "PUT", joinPolicy, badIDs(spacePath("/join-policy"), `{"join_policy":"open"}`)...)
		add("join policy", "samir", "PUT", joinPolicy,
			badCase{name: "criteria of wrong type", body: `{"join_policy":"criteria","join_criteria":["Lyon"]}`, want: 400},
			badCase{name: "sites of wrong type", body: `{"join_policy":"criteria","join_criteria":{"sites":"Lyon"}}`, want: 400},
			badCase{name: "unit id as string", body: `{"join_policy":"criteria","join_criteria":{"unit_ids":["1"]}}`, want: 400},
			badCase{name: "negative unit id", body: `{"join_policy":"criteria","join_criteria":{"unit_ids":[-1]}}`, want: 400},
			badCase{name: "too many sites", body: `{"join_policy":"criteria","join_criteria":{"sites":["` + strings.Join(manySites(51), `","`) + `"]}}`, want: 400},
			badCase{name: "a site of 121 characters", body: `{"join_policy":"criteria","join_criteria":{"sites":["` + strings.Repeat("s", 121) + `"]}}`, want: 400})
		stewards := "/api/v1/spaces/" + id(S[clientsPro]) + "/stewards"
		add("assign steward", "claire", "POST", stewards, bodyCases(stewards, `{"login":"samir"}`)...)
		add("assign steward", "claire", "POST", stewards, badIDs(spacePath("/stewards"), `{"login":"samir"}`)...)
		add("assign steward", "claire", "POST", stewards,
			badCase{name: "login with NUL", body: `{"login":"sa\u0000mir"}`, want: 400},
			badCase{name: "login of wrong type", body: `{"login":["samir"]}`, want: 400})
		add("withdraw steward", "claire", "DELETE", "", badIDs(spacePath("/stewards/"+id(U["olivia"])), nil)...)
		add("withdraw steward", "claire", "DELETE", "", badIDs(func(raw string) string { return stewards + "/" + raw }, nil)...)

		// Co-pilot.
		onboarding := "/api/v1/users/" + id(U["olivia"]) + "/onboarding"
		add("confirm step", "samir", "POST", onboarding, bodyCases(onboarding, `{"item":"charter"}`)...)
		add("confirm step", "samir", "POST", onboarding, badIDs(userPath("/onboarding"), `{"item":"charter"}`)...)
		add("confirm step", "samir", "POST", onboarding, badCase{name: "item of wrong type", body: `{"item":1}`, want: 400})
		add("onboarding", "samir", "GET", "", badIDs(userPath("/onboarding"), nil)...)
		add("copilots", "samir", "GET", "/api/v1/copilots?all=1", badCase{name: "unknown query parameter", want: 400})
		copilot := "/api/v1/users/" + id(U["olivia"]) + "/copilot"
		add("start co-pilot", "claire", "POST", copilot, bodyCases(copilot, `{"mentor_login":"samir"}`)...)
		add("start co-pilot", "claire", "POST", copilot, badIDs(userPath("/copilot"), `{"mentor_login":"samir"}`)...)
		add("start co-pilot", "claire", "POST", copilot,
			badCase{name: "unknown mentor", body: `{"mentor_login":"personne"}`, want: 404},
			badCase{name: "mentor with NUL", body: `{"mentor_login":"sa\u0000mir"}`, want: 400},
			badCase{name: "blank mentor", body: `{"mentor_login":"  "}`, want: 400})
		add("end co-pilot", "claire", "POST", copilot+"/end", noBodyCases()...)
		add("end co-pilot", "claire", "POST", "", badIDs(userPath("/copilot/end"), nil)...)

		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cl := e.anon()
				if c.as != "" {
					cl = e.as(t, c.as)
				}
				r := cl.do(t, c.method, c.path, c.body)
				if c.alt != 0 && r.Status == c.alt {
					if c.alt >= 400 {
						r.checkError(t)
					}
					return
				}
				if c.want < 400 {
					r.wantStatus(t, c.want)
					return
				}
				r.wantError(t, c.want, c.rule)
			})
		}

		t.Run("the bad requests changed nothing", func(t *testing.T) {
			samir, lea := e.as(t, "samir"), e.as(t, "lea")
			if p := e.as(t, "victor").postByID(t, P[titleInnovationInvoice]); p == nil || p.Status != "published" || p.Pinned {
				t.Errorf("paul's thread: %+v", p)
			}
			if q := samir.queue(t, S[innovation]); len(q) != 0 {
				t.Errorf("queue: %+v", q)
			}
			if w := samir.welcomeText(t, S[innovation]); w != demoWelcome {
				t.Errorf("welcome %q", w)
			}
			if ps := samir.scheduled(t, S[innovation]); len(ps) != 1 || ps[0].ID != sched.ID || ps[0].Status != "scheduled" {
				t.Errorf("scheduled posts: %+v", ps)
			}
			if mine := lea.myInvitations(t); len(mine) != 1 || mine[0].Status != "pending" {
				t.Errorf("lea's invitation: %+v", mine)
			}
			if !e.as(t, "paul").isMember(t, S[innovation]) || lea.isMember(t, S[innovation]) {
				t.Errorf("membership changed")
			}
			if s := lea.space(t, S[innovation]); s.JoinPolicy != "open" {
				t.Errorf("join policy %s", s.JoinPolicy)
			}
			if o := samir.onboarding(t, U["olivia"]); !o.CoPilot || o.MentorID != U["samir"] {
				t.Errorf("olivia's onboarding: %+v", o)
			}
			if m := findMember(samir.members(t, S[clientsPro]), "samir"); m == nil || m.Steward {
				t.Errorf("samir in Clients Pro: %+v", m)
			}
		})
	})
}

// manySites returns n distinct site names.
func manySites(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "Site " + itoa(i)
	}
	return out
}

// TestAnimationConcurrent sends the same animation request several times
// at once, as a double click or a retrying script does: exactly one takes
// effect, the others are conflicts, never a 5xx.
func TestAnimationConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		inno := S[innovation]
		samir, olivia := e.as(t, "samir"), e.as(t, "olivia")
		const n = 8
		once := func(t *testing.T, ok int, rs []*response) {
			t.Helper()
			if got := statuses(rs); got[ok] != 1 || got[409] != n-1 {
				t.Errorf("%d identical requests at once: %v, want one %d and %d 409", n, got, ok, n-1)
			}
		}

		t.Run("flags", func(t *testing.T) {
			once(t, 201, burst(t, e, same(n, e.as(t, "victor"), "POST", "/api/v1/posts/"+id(P[titleInnovationInvoice])+"/flags",
				map[string]string{"reason": "Doublon."})))
			if q := samir.queue(t, inno); len(q) != 1 || len(q[0].Flags) != 1 {
				t.Errorf("queue: %+v", q)
			}
		})

		t.Run("hiding", func(t *testing.T) {
			once(t, 200, burst(t, e, same(n, samir, "POST", "/api/v1/posts/"+id(P[titleInnovationInvoice])+"/hide",
				map[string]string{"rule": "Règle 2", "reason": "Noms de clients."})))
			if c := e.as(t, "paul").countNotifs(t, "post.hidden"); c != 1 {
				t.Errorf("paul told %d times", c)
			}
		})

		t.Run("pins", func(t *testing.T) {
			once(t, 200, burst(t, e, same(n, samir, "PUT", "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/pin", nil)))
		})

		t.Run("invitations", func(t *testing.T) {
			once(t, 201, burst(t, e, same(n, samir, "POST", "/api/v1/spaces/"+id(inno)+"/invitations", map[string]string{"login": "lea"})))
			lea := e.as(t, "lea")
			mine := lea.myInvitations(t)
			if len(mine) != 1 || lea.countNotifs(t, "invitation") != 1 {
				t.Fatalf("lea's invitations: %+v", mine)
			}
			once(t, 200, burst(t, e, same(n, lea, "POST", "/api/v1/invitations/"+id(mine[0].ID)+"/accept", map[string]int{"charter_version": 1})))
			if !lea.isMember(t, inno) || len(lea.myInvitations(t)) != 0 {
				t.Errorf("lea after accepting at once many times: member %v, invitations %+v", lea.isMember(t, inno), lea.myInvitations(t))
			}
		})

		t.Run("stewards", func(t *testing.T) {
			once(t, 200, burst(t, e, same(n, e.as(t, "claire"), "POST", "/api/v1/spaces/"+id(S[clientsPro])+"/stewards", map[string]string{"login": "samir"})))
		})

		t.Run("onboarding", func(t *testing.T) {
			once(t, 200, burst(t, e, same(n, samir, "POST", "/api/v1/users/"+id(U["olivia"])+"/onboarding", map[string]string{"item": "charter"})))
		})

		t.Run("the mentor's approval of an action", func(t *testing.T) {
			rid := wantPending(t, olivia.put(t, "/api/v1/posts/"+id(P[titleClientsInvoices])+"/pin", nil))
			once(t, 200, burst(t, e, same(n, samir, "POST", "/api/v1/approvals/"+id(rid)+"/approve", nil)))
			if _, pins := e.as(t, "xavier").page(t, S[clientsPro]); len(pins) != 1 {
				t.Errorf("pinned: %+v", pins)
			}
		})

		t.Run("removal", func(t *testing.T) {
			rs := burst(t, e, same(n, samir, "POST", "/api/v1/spaces/"+id(inno)+"/members/"+id(U["victor"])+"/remove",
				map[string]string{"reason": "Doublon."}))
			// The losers find nobody to remove.
			if got := statuses(rs); got[200] != 1 || got[404] != n-1 {
				t.Errorf("%d removals at once: %v", n, got)
			}
			if c := e.as(t, "victor").countNotifs(t, "member.removed"); c != 1 {
				t.Errorf("victor told %d times", c)
			}
		})
	})
}
