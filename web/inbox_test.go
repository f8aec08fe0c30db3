package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/events"
	"relais/policy"
)

// Demo threads the inbox tests act on.
const (
	paulsInnovationThread = "Les clients multi-sites ne peuvent pas exporter leurs factures"
	samirsClientsThread   = "Bienvenue dans la communauté Clients Pro"
	xaviersClientsThread  = "Comment exporter mes factures par site ?"
)

// services returns the use cases over the env's database, to prepare what
// the pages then show.
func (e *env) services() *app.Service { return app.New(e.st, events.NewLocal(), nil) }

// user returns a demo account as it is now in the database.
func (e *env) user(login string) *relais.User {
	e.t.Helper()
	u, err := e.st.UserByLogin(context.Background(), login)
	if err != nil {
		e.t.Fatalf("user %s: %v", login, err)
	}
	return u
}

// unread returns the number of unread notifications of a demo account.
func (e *env) unread(login string) int {
	e.t.Helper()
	n, err := e.st.UnreadNotifications(context.Background(), e.user(login).ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// navNotifications is the text of the header's link to the notifications
// with n unread.
func navNotifications(n int) string {
	if n == 0 {
		return `">Notifications</a>`
	}
	return `">Notifications (` + strconv.Itoa(n) + `)</a>`
}

func TestNotificationsHiddenPost(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		post := e.postID(innovation, paulsInnovationThread)
		rule, reason := "Une idée par fil, on respecte les personnes", "Le fil cite un client par son nom : reformulez sans le nommer."
		before := e.unread("paul")
		res, err := e.services().HidePost(ctx, e.user("samir"), post, rule, reason)
		if err != nil || res.Status != "done" {
			t.Fatalf("samir hides paul's thread: %+v, %v", res, err)
		}
		if n := e.unread("paul"); n != before+1 {
			t.Fatalf("paul has %d unread notifications, want %d", n, before+1)
		}

		// The header counts it; the page tells it, with the rule and the reason.
		paul := e.browser(t, "en")
		mustContain(t, paul.signIn("paul"), navNotifications(before+1), `href="/communities"`)
		list := paul.get("/notifications")
		mustStatus(t, list, http.StatusOK)
		mustContain(t, list, "My notifications", `<a class="notifications-link unread" href="/notifications" aria-current="page">Notifications (`,
			esc(strconv.Itoa(before+1)+" unread notification"), `class="notification unread"`, `data-kind="post.hidden"`,
			"Samir Benali hid your post in "+innovation+": the members no longer see it.",
			"Charter rule cited:", esc(rule), "Reason:", esc(reason),
			`href="/posts/`+strconv.FormatInt(post, 10)+`">See the post`, `<time datetime="`,
			`action="/notifications/read"`, "Mark all as read")

		// Nobody else is told.
		for _, login := range []string{"samir", "xavier", "lea", "victor"} {
			b := e.browser(t, "en")
			b.signIn(login)
			p := b.get("/notifications")
			mustStatus(t, p, http.StatusOK)
			mustNotContain(t, p, esc(rule), esc(reason), "hid your post")
		}

		// In French too.
		fr := e.browser(t, "fr")
		fr.signIn("paul")
		mustContain(t, fr.get("/notifications"), "Mes notifications", "Samir Benali a masqué votre message dans "+innovation,
			"Règle de la charte citée :", esc(rule), "Tout marquer comme lu", "Non lue")

		// Marking read needs the form's token, then the count goes to 0.
		mustStatus(t, paul.post("/notifications/read", url.Values{}), http.StatusForbidden)
		done := paul.postForm(list, "/notifications/read", url.Values{"up_to": {notificationID(t, list)}})
		mustStatus(t, done, http.StatusSeeOther)
		if done.Location() != "/notifications?read=done" {
			t.Errorf("marking read redirects to %q", done.Location())
		}
		read := paul.get(done.Location())
		mustContain(t, read, "Your notifications are marked as read.", "Everything is read.", navNotifications(0),
			"Samir Benali hid your post in "+innovation)
		mustNotContain(t, read, `class="notification unread"`, `action="/notifications/read"`)
		if n := e.unread("paul"); n != 0 {
			t.Errorf("paul has %d unread notifications after marking them read", n)
		}
		mustContain(t, paul.get("/"), navNotifications(0))

		// A later notification stays unread: marking stopped at the page's newest.
		if _, err := e.services().RestorePost(ctx, e.user("samir"), post); err != nil {
			t.Fatal(err)
		}
		mustContain(t, paul.get("/"), navNotifications(1))
		mustContain(t, paul.get("/notifications"), "Samir Benali restored your post in "+innovation+": the members see it again.")
	})
}

var notificationItem = regexp.MustCompile(`id="notification-(\d+)"`)

// notificationID returns the id of the newest notification of a page.
func notificationID(t *testing.T, p *page) string {
	t.Helper()
	m := notificationItem.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no notification on the page:\n%s", p.Body)
	}
	return m[1]
}

// invite has a steward invite a demo account to a demo community through
// the service, and returns the invitation.
func (e *env) invite(steward, login, space, message string) *relais.Invitation {
	e.t.Helper()
	inv, err := e.services().Invite(context.Background(), e.user(steward), e.spaces[space], login, message)
	if err != nil {
		e.t.Fatalf("%s invites %s to %s: %v", steward, login, space, err)
	}
	return inv
}

func TestInvitationAccepted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		inv := e.invite("samir", "lea", innovation, "Léa, tes retours du terrain commercial nous manquent !")
		if inv.Status != relais.InvitationPending {
			t.Fatalf("samir's invitation is %s", inv.Status)
		}
		path := "/invitations/" + strconv.FormatInt(inv.ID, 10)

		// Her home page lists it, and her notifications tell it.
		lea := e.browser(t, "en")
		home := lea.signIn("lea")
		mustContain(t, home, `id="invitations-h">Invitations</h2>`, ">"+innovation+"</h3>", "Samir Benali invites you",
			esc("Léa, tes retours du terrain commercial nous manquent !"), `href="`+path+`"`, "Read the charter and answer",
			navNotifications(1))
		notes := lea.get("/notifications")
		mustContain(t, notes, "Samir Benali invites you to join "+innovation+".", `href="`+path+`">Read the charter and answer`)

		// The invitation shows the charter and the forms to answer.
		p := lea.get(path)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "<h1 id=\"invitation-h\">Invitation to join "+innovation+"</h1>", "Samir Benali invites you",
			"Charter", "Version 1", "Objective", "Relier le terrain (support, ventes)", "Rules", "Limits of autonomy", "Expected actions",
			`action="`+path+`/accept"`, `name="charter_version" value="1"`, `type="checkbox" id="accept" name="accept" value="yes" required`,
			`<label for="accept">I have read and accept the charter (version 1)</label>`, "Accept and join",
			`action="`+path+`/decline"`, "Decline the invitation")

		// Nobody else reads it.
		xavier := e.browser(t, "en")
		xavier.signIn("xavier")
		mustStatus(t, xavier.get(path), http.StatusNotFound)
		mustStatus(t, xavier.postForm(xavier.get("/"), path+"/accept", url.Values{"accept": {"yes"}, "charter_version": {"1"}}), http.StatusNotFound)

		// Without the box ticked, the page says so.
		refused := lea.postForm(p, path+"/accept", url.Values{"charter_version": {"1"}})
		mustStatus(t, refused, http.StatusUnprocessableEntity)
		mustContain(t, refused, "Tick the box to say that you have read and accept the charter.", `aria-invalid="true"`)
		// An outdated version is refused with the rule.
		stale := lea.postForm(p, path+"/accept", url.Values{"accept": {"yes"}, "charter_version": {"7"}})
		mustStatus(t, stale, http.StatusUnprocessableEntity)
		mustContain(t, stale, "read and accept the current version of the charter (version 1)", policy.RuleCharterAccept)

		// Accepting lands in the space, as a member.
		res := lea.postForm(p, path+"/accept", url.Values{"accept": {"yes"}, "charter_version": {"1"}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := e.spacePath(innovation) + "?join=joined"; res.Location() != want {
			t.Fatalf("accepting redirects to %q, want %q", res.Location(), want)
		}
		sp := lea.get(res.Location())
		mustStatus(t, sp, http.StatusOK)
		mustContain(t, sp, "Welcome! You are now a member of this space.", "You accepted version 1 of the charter.")
		mustNotContain(t, sp, `action="`+e.spacePath(innovation)+`/join"`)
		home = lea.get("/")
		mustNotContain(t, home, `id="invitations-h"`)
		if comms, i := strings.Index(home.Body, "My communities"), strings.Index(home.Body, ">"+innovation+"<"); i < comms {
			t.Errorf("Innovation Produits is not among lea's communities")
		}
		mustStatus(t, lea.get(path), http.StatusNotFound)
		notes = lea.get("/notifications")
		mustContain(t, notes, "You have answered this invitation already.", "Welcome to "+innovation+"!",
			"The stewards&#39; welcome message:", esc("Bienvenue dans « Innovation Produits » !"))
		mustNotContain(t, notes, `href="`+path+`"`)
	})
}

func TestInvitationDeclined(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		inv := e.invite("samir", "nadia", innovation, "")
		path := "/invitations/" + strconv.FormatInt(inv.ID, 10)
		nadia := e.browser(t, "fr")
		home := nadia.signIn("nadia")
		mustContain(t, home, "Invitations", "Samir Benali vous invite", "Lire la charte et répondre")
		p := nadia.get(path)
		mustContain(t, p, "Invitation à rejoindre "+innovation, "Accepter et rejoindre", "Décliner l&#39;invitation", "Objectif")
		res := nadia.postForm(p, path+"/decline", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/?invitation=declined" {
			t.Fatalf("declining redirects to %q", res.Location())
		}
		home = nadia.get(res.Location())
		mustContain(t, home, "Vous avez décliné l&#39;invitation.")
		mustNotContain(t, home, `id="invitations-h"`)
		mustStatus(t, nadia.get(path), http.StatusNotFound)
		// Answering twice is a conflict, said in words.
		again := nadia.postForm(home, path+"/accept", url.Values{"accept": {"yes"}, "charter_version": {"1"}})
		mustStatus(t, again, http.StatusConflict)
		mustContain(t, again, "Cette invitation a déjà reçu une réponse.")
		mustStatus(t, nadia.get("/invitations/abc"), http.StatusNotFound)
	})
}

// community returns the part of the directory about one community.
func community(t *testing.T, p *page, e *env, name string) string {
	t.Helper()
	start := strings.Index(p.Body, `id="community-`+strconv.FormatInt(e.spaces[name], 10)+`"`)
	if start < 0 {
		t.Fatalf("%s is not in the directory:\n%s", name, p.Body)
	}
	end := strings.Index(p.Body[start:], "</li>\n")
	if end < 0 {
		return p.Body[start:]
	}
	return p.Body[start : start+end]
}

func TestCommunitiesDirectory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		within := func(t *testing.T, part string, texts ...string) {
			t.Helper()
			for _, s := range texts {
				if !strings.Contains(part, s) {
					t.Errorf("lacks %q in:\n%s", s, part)
				}
			}
		}

		// Paul is a member of one, may ask to join the other.
		paul := e.browser(t, "en")
		mustContain(t, paul.signIn("paul"), `<a href="/communities">Communities</a>`)
		dir := paul.get("/communities")
		mustStatus(t, dir, http.StatusOK)
		mustContain(t, dir, "Directory of communities", "2 communities")
		mustNotContain(t, dir, supportLyon, ventesParis)
		within(t, community(t, dir, e, innovation), "Internal audience", "Open to join", "Relier le terrain (support, ventes)",
			"You are a member.", `href="`+e.spacePath(innovation)+`"`)
		within(t, community(t, dir, e, clientsPro), "Mixed audience", "Join on request",
			"Aider nos clients professionnels", `href="`+e.spacePath(clientsPro)+`#join-h"`, "Read the charter and ask to join")

		// Lea may join the open one; olivia stewards the other.
		lea := e.browser(t, "en")
		lea.signIn("lea")
		within(t, community(t, lea.get("/communities"), e, innovation), "Read the charter and join", `href="`+e.spacePath(innovation)+`#join-h"`)
		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		within(t, community(t, olivia.get("/communities"), e, clientsPro), "You steward it.")

		// Xavier, an external customer, sees no internal community.
		xavier := e.browser(t, "en")
		xavier.signIn("xavier")
		xd := xavier.get("/communities")
		mustContain(t, xd, clientsPro, "1 community")
		mustNotContain(t, xd, innovation, "Internal audience")
		within(t, community(t, xd, e, clientsPro), "You are a member.")

		// A join on criteria says them in words, and who does not meet them reads why.
		ctx := context.Background()
		_, err := e.services().ConfigureJoin(ctx, e.user("samir"), e.spaces[innovation], relais.JoinByCriteria,
			&relais.JoinCriteria{Sites: []string{"Lyon"}, JobFamilies: []string{"Support", "Produit"}, Employments: []relais.Employment{relais.Internal}})
		if err != nil {
			t.Fatal(err)
		}
		inno := community(t, lea.get("/communities"), e, innovation)
		within(t, inno, "Join by criteria", "Sites: Lyon", "Job families: Support, Produit", "Employment: employees",
			"You cannot join this community", esc(rule(policy.RuleJoinCriteriaUnmet).EN), policy.RuleJoinCriteriaUnmet)
		if strings.Contains(inno, "#join-h") {
			t.Errorf("lea is offered to join a community whose criteria she does not meet")
		}
		fr := e.browser(t, "fr")
		fr.signIn("lea")
		frd := fr.get("/communities")
		mustContain(t, frd, "Annuaire des communautés", "Adhésion sur critères", "Sites : Lyon", "Métiers : Support, Produit", "Statut : salariés",
			esc(rule(policy.RuleJoinCriteriaUnmet).FR))
	})
}

// coPilotStep is the form that confirms an item of olivia's checklist.
func coPilotStep(id int64) string {
	return `action="/copilots/` + strconv.FormatInt(id, 10) + `/steps"`
}

func TestCoPilotOnboarding(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia := e.user("olivia")
		id := strconv.FormatInt(olivia.ID, 10)
		self := "/copilots/" + id

		// Her mentor and the CM follow her; nobody else does.
		samir := e.browser(t, "en")
		mustContain(t, samir.signIn("samir"), `<a href="/copilots">Co-pilots (1)</a>`)
		list := samir.get("/copilots")
		mustStatus(t, list, http.StatusOK)
		mustContain(t, list, "Social media managers in co-pilot", `<a href="`+self+`">Olivia Hart</a>`, "Mentor:", "<strong>Samir Benali</strong>",
			"in co-pilot since", "Items confirmed: 0 of 3", "Codes and values of the organization", "Charters of the communities",
			"Escalation paths", "To confirm", coPilotStep(olivia.ID), `name="item" value="codes_values"`, `name="item" value="charter"`,
			`name="item" value="escalation_paths"`, `name="back" value="list"`,
			// Only the CM ends the period.
			"End of the co-pilot period", esc(rule(policy.RuleCoPilotEndCM).EN), policy.RuleCoPilotEndCM)
		mustNotContain(t, list, `/end"`)
		for _, login := range []string{"paul", "xavier", "olivia"} {
			b := e.browser(t, "en")
			mustNotContain(t, b.signIn(login), `href="/copilots"`)
			p := b.get("/copilots")
			mustContain(t, p, "No social media manager you follow is in a co-pilot period.")
			mustNotContain(t, p, "Olivia Hart</a>")
		}
		for _, login := range []string{"paul", "xavier"} {
			b := e.browser(t, "en")
			b.signIn(login)
			mustStatus(t, b.get(self), http.StatusNotFound)
			mustStatus(t, b.postForm(b.get("/"), self+"/steps", url.Values{"item": {"charter"}}), http.StatusForbidden)
		}

		// Someone never in co-pilot has no checklist.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		never := paul.get("/copilots/" + strconv.FormatInt(e.user("paul").ID, 10))
		mustStatus(t, never, http.StatusOK)
		mustContain(t, never, "No co-pilot period: the actions of this account are visible without waiting for a mentor.")
		mustNotContain(t, never, "Onboarding checklist")

		// Olivia reads her own checklist from the banner, without the forms.
		ob := e.browser(t, "en")
		mustContain(t, ob.signIn("olivia"), `<a href="`+self+`">See my onboarding checklist</a>`)
		mine := ob.get(self)
		mustStatus(t, mine, http.StatusOK)
		mustContain(t, mine, "<h1 id=\"copilots-h\">My onboarding checklist</h1>", "Items confirmed: 0 of 3", "Escalation paths",
			esc(rule(policy.RuleOnboardingMentor).EN), esc(rule(policy.RuleCoPilotEndCM).EN))
		mustNotContain(t, mine, coPilotStep(olivia.ID))

		// The CM cannot end the period before the checklist is complete.
		claire := e.browser(t, "en")
		claire.signIn("claire")
		cl := claire.get("/copilots")
		mustContain(t, cl, "Olivia Hart", coPilotStep(olivia.ID), esc(rule(policy.RuleCoPilotEndChecklist).EN), policy.RuleCoPilotEndChecklist)
		mustNotContain(t, cl, `action="`+self+`/end"`)
		early := claire.postForm(cl, self+"/end", url.Values{})
		mustStatus(t, early, http.StatusUnprocessableEntity)
		mustContain(t, early, esc(rule(policy.RuleCoPilotEndChecklist).EN), `<code>`+policy.RuleCoPilotEndChecklist+`</code>`)

		// Samir confirms the three items through the forms.
		for i, item := range relais.OnboardingItems {
			res := samir.postForm(list, self+"/steps", url.Values{"item": {item}, "back": {"list"}})
			mustStatus(t, res, http.StatusSeeOther)
			if !strings.HasPrefix(res.Location(), "/copilots?confirmed="+item) {
				t.Fatalf("confirming redirects to %q", res.Location())
			}
			list = samir.get(res.Location())
			mustContain(t, list, "Item confirmed.", "Items confirmed: "+strconv.Itoa(i+1)+" of 3", "confirmed by Samir Benali")
		}
		mustNotContain(t, list, coPilotStep(olivia.ID), "To confirm")
		mustContain(t, ob.get(self), "Items confirmed: 3 of 3")
		// An unknown item is refused on her page.
		bad := samir.postForm(list, self+"/steps", url.Values{"item": {"karaoke"}})
		if bad.Status < 400 {
			t.Errorf("an unknown item: status %d", bad.Status)
		}

		// Claire ends it; the banner goes.
		cl = claire.get("/copilots")
		mustContain(t, cl, `action="`+self+`/end"`, "End the co-pilot period")
		res := claire.postForm(cl, self+"/end", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		done := claire.get(res.Location())
		mustContain(t, done, "The co-pilot period of Olivia Hart has ended", "No social media manager you follow is in a co-pilot period.")
		mustNotContain(t, done, `href="/copilots"`)
		home := ob.get("/")
		mustNotContain(t, home, "copilot-banner", "Co-pilot period")
		mustContain(t, ob.get(self), "The co-pilot period is over.")
		mustContain(t, ob.get("/notifications"), "Claire Dubois ended your co-pilot period", `href="`+self+`">See my onboarding checklist`)
		mustNotContain(t, samir.get("/"), `href="/copilots"`)
	})
}

func TestApprovalsOfStewardActions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc, olivia := e.services(), e.user("olivia")
		clients := e.spaces[clientsPro]
		waits := func(what string, res *app.ActionResult, err error) {
			t.Helper()
			if err != nil || res.Status != "pending_approval" {
				t.Fatalf("olivia %s: %+v, %v", what, res, err)
			}
		}
		hideRule, hideReason := "Pas de démarchage", "Le message propose un service payant."
		res, err := svc.HidePost(ctx, olivia, e.postID(clientsPro, xaviersClientsThread), hideRule, hideReason)
		waits("hides", res, err)
		res, err = svc.PinPost(ctx, olivia, e.postID(clientsPro, samirsClientsThread), true)
		waits("pins", res, err)
		at := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
		sp, err := svc.SchedulePost(ctx, olivia, clients, relais.NewPost{Title: "Club utilisateurs de mars", Body: "Inscriptions **ouvertes**."}, at)
		if err != nil || sp.Status != relais.SchedulePendingApproval {
			t.Fatalf("olivia schedules: %+v, %v", sp, err)
		}
		welcome := "Bienvenue ! Présentez votre entreprise en une ligne."
		res, err = svc.SetWelcome(ctx, olivia, clients, welcome)
		waits("sets the welcome", res, err)
		removeReason := "Démarchage répété malgré deux rappels."
		res, err = svc.RemoveMember(ctx, olivia, clients, e.user("xavier").ID, removeReason)
		waits("removes", res, err)

		kinds := []string{"Moderation", "Pin", "Scheduled post", "Welcome message", "Removal of a member"}
		headings := []string{
			esc("Hide “" + xaviersClientsThread + "”"), esc("Pin “" + samirsClientsThread + "”"),
			esc("Schedule “Club utilisateurs de mars” for "), "New welcome message", "Remove Xavier Roux",
		}
		details := []string{"Charter rule cited:", esc(hideRule), "Reason the author will read:", esc(hideReason),
			"The thread will stay at the top of the space.", "<strong>ouvertes</strong>",
			"Each new member will receive this message:", esc(welcome),
			"Xavier Roux will be removed from " + clientsPro, "Reason Xavier Roux will read:", esc(removeReason)}

		samir := e.browser(t, "en")
		samir.signIn("samir")
		inbox := samir.get("/approvals")
		mustStatus(t, inbox, http.StatusOK)
		mustContain(t, inbox, "5 requests waiting")
		mustContain(t, inbox, kinds...)
		mustContain(t, inbox, headings...)
		mustContain(t, inbox, details...)
		mustContain(t, inbox, "The visible actions of the social media managers you mentor wait here for your decision")
		if ids := approvalIDs(t, inbox); len(ids) != 5 {
			t.Fatalf("samir's inbox has %d requests", len(ids))
		}
		mine := e.browser(t, "en")
		mine.signIn("olivia")
		requests := mine.get("/approvals/mine")
		mustContain(t, requests, kinds...)
		mustContain(t, requests, headings...)
		mustContain(t, requests, details...)
		mustContain(t, requests, `<span class="tag status-pending">Waiting for your mentor</span>`)
		fr := e.browser(t, "fr")
		fr.signIn("samir")
		mustContain(t, fr.get("/approvals"), "Modération", "Épingle", "Message programmé", "Message d&#39;accueil", "Retrait d&#39;un membre",
			"Masquer « "+esc(xaviersClientsThread)+" »", "Épingler « "+esc(samirsClientsThread)+" »",
			"Programmer « Club utilisateurs de mars » pour le ", "Nouveau message d&#39;accueil", "Retirer Xavier Roux",
			"Règle de la charte citée :")

		// Approving the hiding says what took effect, and tells olivia.
		hideID := requestID(t, inbox, esc("Hide “"+xaviersClientsThread+"”"))
		res2 := samir.postForm(inbox, "/approvals/"+hideID+"/approve", url.Values{})
		mustStatus(t, res2, http.StatusSeeOther)
		mustContain(t, samir.get(res2.Location()), esc("Approved: Hide “"+xaviersClientsThread+"” — in "+clientsPro+"."))
		mustContain(t, mine.get("/notifications"), esc("Samir Benali approved your request in "+clientsPro+": Hide “"+xaviersClientsThread+"”."))
		// Xavier, whose post was hidden, is told with the rule.
		xavier := e.browser(t, "en")
		xavier.signIn("xavier")
		mustContain(t, xavier.get("/notifications"), "Olivia Hart hid your post in "+clientsPro, esc(hideRule), esc(hideReason))

		// An invitation waits too. An external steward invites only the
		// people she already sees: samir, put in co-pilot with claire as
		// his mentor, invites lea to Innovation Produits.
		if _, err := svc.StartCoPilot(ctx, e.user("claire"), e.user("samir").ID, "claire"); err != nil {
			t.Fatal(err)
		}
		inv, err := svc.Invite(ctx, e.user("samir"), e.spaces[innovation], "lea", "Vos retours de terrain nous aideront.")
		if err != nil || inv.Status != relais.InvitationPendingApproval {
			t.Fatalf("samir in co-pilot invites: %+v, %v", inv, err)
		}
		claire := e.browser(t, "en")
		claire.signIn("claire")
		cin := claire.get("/approvals")
		invite := []string{"Invitation", "Invite Léa Moreau", "Léa Moreau will receive an invitation to join " + innovation,
			"Personal message:", esc("Vos retours de terrain nous aideront.")}
		mustContain(t, cin, invite...)
		mustContain(t, samir.get("/approvals/mine"), invite...)
		mustContain(t, fr.get("/approvals/mine"), "Inviter Léa Moreau", "Message personnel :")
		inviteID := requestID(t, cin, "Invite Léa Moreau")
		mustStatus(t, claire.postForm(cin, "/approvals/"+inviteID+"/reject", url.Values{"reason": {"Léa a déjà trop de communautés."}}), http.StatusSeeOther)
		mustContain(t, samir.get("/notifications"), "Claire Dubois rejected your request in "+innovation+": Invite Léa Moreau.",
			esc("Léa a déjà trop de communautés."), `href="/approvals/mine#request-`+inviteID+`"`)
		mustNotContain(t, e.browser(t, "en").signIn("lea"), `id="invitations-h"`)
	})
}

// requestID returns the id of the request of an inbox page whose heading
// holds a text.
func requestID(t *testing.T, p *page, heading string) string {
	t.Helper()
	i := strings.Index(p.Body, heading)
	if i < 0 {
		t.Fatalf("no request %q in the inbox", heading)
	}
	ids := approveAction.FindAllStringSubmatchIndex(p.Body, -1)
	for _, m := range ids {
		if m[0] > i {
			return p.Body[m[2]:m[3]]
		}
	}
	t.Fatalf("no approve form after %q", heading)
	return ""
}

// rawKey finds a catalog key left untranslated in a page: a text the
// catalog lacks is shown as its key.
var rawKey = regexp.MustCompile(`\b(?:nav|notifications|invitation|communities|copilots?|approvals|requests|join|audience|label|charter|rule)\.[a-z_]+(?:\.[a-z_]+)*\b`)

// codeOrAttr are the parts of a page where dotted ids are expected: rule
// ids in <code>, attribute values.
var codeOrAttr = regexp.MustCompile(`<code>[^<]*</code>|="[^"]*"`)

func TestInboxFrenchAndEnglish(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		olivia := e.user("olivia")
		inv := e.invite("samir", "lea", innovation, "Bienvenue")
		if _, err := svc.HidePost(ctx, olivia, e.postID(clientsPro, xaviersClientsThread), "Règle", "Raison"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetWelcome(ctx, olivia, e.spaces[clientsPro], "Bonjour"); err != nil {
			t.Fatal(err)
		}
		pages := map[string][]string{
			"lea":    {"/", "/notifications", "/communities", "/invitations/" + strconv.FormatInt(inv.ID, 10)},
			"samir":  {"/", "/copilots", "/copilots/" + strconv.FormatInt(olivia.ID, 10), "/approvals", "/communities", "/notifications"},
			"olivia": {"/", "/approvals/mine", "/copilots/" + strconv.FormatInt(olivia.ID, 10), "/communities"},
			"claire": {"/copilots", "/communities"},
			"xavier": {"/communities", "/notifications", "/copilots"},
		}
		for _, lang := range []string{"fr", "en"} {
			for login, paths := range pages {
				b := e.browser(t, lang)
				b.signIn(login)
				for _, path := range paths {
					p := b.get(path)
					mustStatus(t, p, http.StatusOK)
					if !strings.Contains(p.Body, `<html lang="`+lang+`">`) {
						t.Errorf("%s %s as %s: not in %s", lang, path, login, lang)
					}
					if k := rawKey.FindString(codeOrAttr.ReplaceAllString(p.Body, "")); k != "" {
						t.Errorf("%s %s as %s: untranslated key %q", lang, path, login, k)
					}
					checkHeadings(t, lang+" "+path, p)
				}
			}
		}
	})
}

var heading = regexp.MustCompile(`<h([1-6])[\s>]`)

// checkHeadings fails when a page has not exactly one h1 first, or skips a
// heading level going down.
func checkHeadings(t *testing.T, name string, p *page) {
	t.Helper()
	levels := heading.FindAllStringSubmatch(p.Body, -1)
	if len(levels) == 0 || levels[0][1] != "1" {
		t.Errorf("%s: the first heading is not an h1", name)
		return
	}
	prev := 1
	for _, m := range levels[1:] {
		l, _ := strconv.Atoi(m[1])
		if l == 1 {
			t.Errorf("%s: a second h1", name)
		}
		if l > prev+1 {
			t.Errorf("%s: heading h%d after h%d", name, l, prev)
		}
		prev = l
	}
}
