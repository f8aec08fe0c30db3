package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais"
	"relais/policy"
	"relais/server"
)

// regexpAgreementID finds the agreement an approval form is about.
var regexpAgreementID = regexp.MustCompile(`action="/agreements/(\d+)/approve"`)

func TestCoachingPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		marc := e.browser(t, "en")
		marc.signIn("marc")
		list := marc.get("/coaching")
		mustStatus(t, list, http.StatusOK)
		mustContain(t, list, `href="/coaching" aria-current="page">Coaching</a>`, `action="/coaching"`,
			`<option value="samir">Samir Benali</option>`, `<option value="claire">Claire Dubois</option>`,
			"Animer les rituels d&#39;équipe dans l&#39;espace Support Lyon", "closed")
		mustNotContain(t, list, `<option value="olivia">`, `<option value="paul">`)

		bad := marc.postForm(list, "/coaching", url.Values{"coach": {""}, "topic": {"Rituels"}})
		mustStatus(t, bad, http.StatusBadRequest)
		mustContain(t, bad, "Name the coach by their login.", `value="Rituels"`, `aria-invalid="true"`)
		refused := marc.postForm(list, "/coaching", url.Values{"coach": {"olivia"}})
		mustStatus(t, refused, http.StatusUnprocessableEntity)
		mustContain(t, refused, "<code>"+policy.RuleCoachingCoaches+"</code>")

		res := marc.postForm(list, "/coaching", url.Values{"coach": {"samir"}, "topic": {"Rituels du lundi"}})
		mustStatus(t, res, http.StatusSeeOther)
		path, _, _ := strings.Cut(res.Location(), "?")
		if !strings.HasPrefix(path, "/coaching/") {
			t.Fatalf("request redirects to %q", res.Location())
		}
		th := marc.get(res.Location())
		mustStatus(t, th, http.StatusOK)
		mustContain(t, th, "<h1 id=\"coaching-h\">Rituels du lundi</h1>", "Your request is sent", "Aggregate figures of the team space",
			`action="`+path+`/messages"`, `action="`+path+`/close"`)
		empty := marc.postForm(th, path+"/messages", url.Values{"body": {"  "}})
		mustStatus(t, empty, http.StatusBadRequest)
		mustContain(t, empty, `id="write-error"`)
		sent := marc.postForm(th, path+"/messages", url.Values{"body": {"Bonjour Samir, on commence lundi ?"}})
		mustStatus(t, sent, http.StatusSeeOther)

		samir := e.browser(t, "fr")
		samir.signIn("samir")
		sth := samir.get(path)
		mustStatus(t, sth, http.StatusOK)
		mustContain(t, sth, "Bonjour Samir, on commence lundi ?", "Vous accompagnez ce manager", "Chiffres agrégés de l&#39;espace d&#39;équipe")
		// The coach sees the figures here, and nothing of the space.
		sp := samir.get(e.spacePath(supportLyon))
		mustBeUnseen(t, samir, sp, e.spacePath(supportLyon), "/spaces/999999")
		mustNotContain(t, samir.get("/"), ">Support Lyon<")
		an := samir.get(e.spacePath(supportLyon) + "/analytics")
		mustStatus(t, an, http.StatusOK)
		mustNotContain(t, an, "Priorités de la semaine 47", "Export des factures bloqué")

		paul := e.browser(t, "en")
		paul.signIn("paul")
		mustStatus(t, paul.get(path), http.StatusNotFound)
		lea := e.browser(t, "en")
		lea.signIn("lea")
		leas := lea.get("/coaching")
		mustStatus(t, leas, http.StatusOK)
		mustContain(t, leas, "<code>"+policy.RuleCoachingManagers+"</code>", "No coaching yet.")
		mustNotContain(t, leas, `action="/coaching"`)

		closed := samir.postForm(sth, path+"/close", url.Values{})
		mustStatus(t, closed, http.StatusSeeOther)
		after := marc.get(path)
		mustContain(t, after, "This coaching is closed.", "The coaching is closed: the coach no longer sees the team")
		mustNotContain(t, after, `action="`+path+`/messages"`)
		mustBeUnseen(t, samir, samir.get(e.spacePath(supportLyon)), e.spacePath(supportLyon), "/spaces/999999")
	})
}

func TestMentionsRendered(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		paul := e.browser(t, "en")
		paul.signIn("paul")
		path := e.spacePath(supportLyon)
		sp := paul.get(path)
		res := paul.postForm(sp, path+"/posts", url.Values{"kind": {"discussion"}, "title": {"Astreinte"},
			"body": {"Merci @marc ! Écrire à support@relais.example, et `@code` reste du code."}})
		mustStatus(t, res, http.StatusSeeOther)
		th := paul.get(res.Location())
		mustContain(t, th, `<span class="mention">@marc</span>`, "<code>@code</code>")
		mustNotContain(t, th, `<span class="mention">@relais`, `<span class="mention">@code`)
		if n := e.unread("marc"); n < 1 {
			t.Errorf("marc has %d unread notifications after a mention", n)
		}
	})
}

func TestAgreementPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inno := strconv.FormatInt(e.spaces[innovation], 10)
		lea := e.browser(t, "en")
		lea.signIn("lea")
		// Not a member: no link, and the page explains the rule.
		mustNotContain(t, lea.get(e.spacePath(innovation)), `href="/agreements?space=`+inno+`"`)
		mustContain(t, lea.get("/agreements?space="+inno), "<code>"+policy.RuleCommunityNonMember+"</code>")
		if _, err := e.services().Join(ctx, e.user("lea"), e.spaces[innovation], 1); err != nil {
			t.Fatal(err)
		}
		sp := lea.get(e.spacePath(innovation))
		mustContain(t, sp, `href="/agreements?space=`+inno+`">Propose my time</a>`)
		form := lea.get("/agreements?space=" + inno)
		mustStatus(t, form, http.StatusOK)
		mustContain(t, form, "Propose my time in “Innovation Produits”", `action="/agreements"`, `name="space_id" value="`+inno+`"`)

		bad := lea.postForm(form, "/agreements", url.Values{"space_id": {inno}, "hours": {"beaucoup"}, "role": {"experte"}})
		mustStatus(t, bad, http.StatusBadRequest)
		mustContain(t, bad, `value="beaucoup"`, `value="experte"`, `aria-invalid="true"`)
		tooMuch := lea.postForm(form, "/agreements", url.Values{"space_id": {inno}, "hours": {"45"}})
		mustStatus(t, tooMuch, http.StatusBadRequest)
		mustContain(t, tooMuch, "between 0.5 and 40")

		res := lea.postForm(form, "/agreements", url.Values{"space_id": {inno}, "hours": {"2.5"}, "role": {"experte"}, "note": {"Le vendredi."}})
		mustStatus(t, res, http.StatusSeeOther)
		mine := lea.get(res.Location())
		mustContain(t, mine, "Your proposal is sent to your manager.", "2.5 h per week · experte", "proposed", "Nadia Haddad", ">Withdraw</button>")

		nadia := e.browser(t, "en")
		nadia.signIn("nadia")
		waiting := nadia.get("/agreements")
		mustContain(t, waiting, "Waiting for your decision", "Léa Moreau · Innovation Produits", ">Approve</button>", ">Decline</button>")
		m := regexpAgreementID.FindStringSubmatch(waiting.Body)
		if m == nil {
			t.Fatalf("no agreement form on nadia's page")
		}
		noReason := nadia.postForm(waiting, "/agreements/"+m[1]+"/decline", url.Values{"reason": {" "}})
		mustStatus(t, noReason, http.StatusBadRequest)
		mustContain(t, noReason, `id="agreement-`+m[1]+`-error"`)
		marc := e.browser(t, "en")
		marc.signIn("marc")
		denied := marc.postForm(marc.get("/agreements"), "/agreements/"+m[1]+"/approve", url.Values{})
		mustStatus(t, denied, http.StatusForbidden)
		mustContain(t, denied, policy.RuleAgreementManagerOnly)
		ok := nadia.postForm(waiting, "/agreements/"+m[1]+"/approve", url.Values{})
		mustStatus(t, ok, http.StatusSeeOther)
		mustContain(t, lea.get("/agreements"), "approved", "Decided by Nadia Haddad")

		claire := e.browser(t, "en")
		claire.signIn("claire")
		capacity := claire.get("/capacity")
		mustStatus(t, capacity, http.StatusOK)
		mustContain(t, capacity, "Contribution agreements", "Léa Moreau", "Paul Lefèvre", "4.5 h per week agreed", "No activity is shown here.")
		fr := e.browser(t, "fr")
		fr.signIn("claire")
		mustContain(t, fr.get("/capacity"), "4,5 h par semaine convenues")
	})
}

// TestBrowserCoachingPhoneWidth walks the coaching and agreement pages in
// a real browser at 360 px: a manager writes to their coach, a manager
// approves an agreement, the community manager reads the capacity.
func TestBrowserCoachingPhoneWidth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	svc, bg := e.services(), context.Background()
	c, err := svc.RequestCoaching(bg, e.user("marc"), relais.NewCoaching{CoachLogin: "samir", Topic: "Rituels du lundi"})
	if err != nil {
		t.Fatal(err)
	}
	lea := e.user("lea")
	if _, err := svc.Join(bg, lea, e.spaces[innovation], 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ProposeAgreement(bg, lea, e.spaces[innovation], relais.NewAgreement{Hours: 1_50, Role: "experte"}); err != nil {
		t.Fatal(err)
	}

	signInWithBrowser(t, ctx, e.srv.URL, "marc")
	must(t, "marc's coachings", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/coaching"]`)),
		chromedp.WaitVisible(chromedp.ID("coaching-h")),
	))
	fitsPhone(t, ctx, "coaching")
	must(t, "open the thread", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#coaching-`+strconv.FormatInt(c.ID, 10)+` h3 a`)),
		chromedp.WaitVisible(chromedp.ID("coaching-body")),
		chromedp.SendKeys(chromedp.ID("coaching-body"), "Bonjour Samir, on commence lundi ?"),
		chromedp.Click(chromedp.CSS(`#write button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	))
	if got := text(t, ctx, ".coaching-message .quote"); got != "Bonjour Samir, on commence lundi ?" {
		t.Errorf("message shown %q", got)
	}
	fitsPhone(t, ctx, "coaching-thread")
	signOutWithBrowser(t, ctx)

	signInWithBrowser(t, ctx, e.srv.URL, "nadia")
	must(t, "nadia approves", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/agreements"),
		chromedp.WaitVisible(chromedp.ID("agreements-h")),
	))
	fitsPhone(t, ctx, "agreements")
	must(t, "approve", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.approve button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	))
	if n := count(t, ctx, "form.approve"); n != 0 {
		t.Errorf("%d agreements still wait after approval", n)
	}
	signOutWithBrowser(t, ctx)

	signInWithBrowser(t, ctx, e.srv.URL, "claire")
	must(t, "capacity", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/capacity"),
		chromedp.WaitVisible(chromedp.ID("agreements-h")),
	))
	if got := text(t, ctx, ".capacity-agreements"); !strings.Contains(got, "Léa Moreau") || !strings.Contains(got, "Paul Lefèvre") {
		t.Errorf("capacity agreements: %q", got)
	}
	fitsPhone(t, ctx, "capacity-agreements")
}
