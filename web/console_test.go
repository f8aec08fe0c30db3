package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais/policy"
)

// Demo threads the console tests moderate.
const (
	victorsQuestion = "Quelles fonctionnalités pour l'application mobile en 2027 ?"
	xaviersQuestion = "Comment exporter mes factures par site ?"
)

// inHTML is a text as html/template writes it in a page.
func inHTML(s string) string { return html.EscapeString(s) }

// waitsForMentor is the confirmation of an action in co-pilot.
var waitsForMentor = inHTML("Your action waits for your mentor's approval")

// consolePath returns the path of the steward console of a demo space.
func (e *env) consolePath(space string) string { return e.spacePath(space) + "/console" }

// flagThread has a member flag a thread through its flag form.
func flagThread(t *testing.T, b *browser, postID int64, reason string) {
	t.Helper()
	thread := fmt.Sprintf("/posts/%d", postID)
	tp := b.get(thread)
	mustStatus(t, tp, http.StatusOK)
	mustContain(t, tp, `action="`+thread+`/flag"`)
	res := b.postForm(tp, thread+"/flag", url.Values{"reason": {reason}})
	mustStatus(t, res, http.StatusSeeOther)
	if want := thread + "?done=flagged#moderation"; res.Location() != want {
		t.Fatalf("flag redirects to %q, want %q", res.Location(), want)
	}
}

func TestConsoleWhoSeesIt(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		console := e.consolePath(innovation)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		mustContain(t, samir.get(e.spacePath(innovation)), `href="`+console+`"`, "Steward console")
		c := samir.get(console)
		mustStatus(t, c, http.StatusOK)
		mustContain(t, c, "Steward console: "+innovation, `id="requests-h"`, `id="moderation-h"`, `id="scheduled-h"`,
			`id="invitations-h"`, `id="welcome-h"`, `id="members-h"`, `id="funnel-h"`, "Arrivals last month", "a closed calendar month, as in the reports",
			"the month&#39;s report", `title="hidden: fewer than 5 people">—</abbr>`,
			`type="datetime-local"`, "Time in Europe/Paris.", `<label for="schedule-at">`, `<label for="invite-login">`,
			`<label for="welcome-text">`, "No flagged post.")
		// An internal steward configures the join policy; nothing is out of his field.
		mustContain(t, c, `id="join-policy-h"`, `name="join_policy" value="open"`, `name="employments" value="external"`)
		mustNotContain(t, c, `id="denied-h"`)

		// paul, a member, is refused with the rule, in words.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		mustNotContain(t, paul.get(e.spacePath(innovation)), `href="`+console+`"`)
		r, _ := policy.Lookup(policy.RuleModerateStewards)
		res := paul.get(console)
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(r.EN), "<code>"+policy.RuleModerateStewards+"</code>")
		// ... and cannot use its forms either.
		res = paul.postForm(res, console+"/welcome", url.Values{"welcome": {"Bienvenue !"}})
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, "<code>"+policy.RuleAnimateStewards+"</code>")
		// In his team space, only the manager animates.
		tr, _ := policy.Lookup(policy.RuleTeamManagerOnly)
		res = paul.get(e.consolePath(supportLyon))
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, inHTML(tr.EN))

		// marc animates his team space: what concerns joining is explained, not offered.
		marc := e.browser(t, "en")
		marc.signIn("marc")
		c = marc.get(e.consolePath(supportLyon))
		mustStatus(t, c, http.StatusOK)
		mustContain(t, c, `id="moderation-h"`, `id="scheduled-h"`, `id="welcome-h"`, `id="denied-h"`, "<code>"+policy.RuleTeamJoinDirectory+"</code>")
		mustNotContain(t, c, `id="invitations-h"`, `id="members-h"`, `id="join-policy-h"`, `id="funnel-h"`)

		// olivia, outsourced and in co-pilot, is told her actions wait, and
		// that the join policy is not hers.
		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		c = olivia.get(e.consolePath(clientsPro))
		mustStatus(t, c, http.StatusOK)
		mustContain(t, c, inHTML("Your visible moderation actions wait for your mentor"), "<code>"+policy.RuleCoPilotApproval+"</code>",
			`id="denied-h"`, "<code>"+policy.RuleJoinConfigureEditors+"</code>")
		mustNotContain(t, c, `id="join-policy-h"`)
	})
}

func TestConsoleHideFlaggedPost(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, victorsQuestion)
		thread := fmt.Sprintf("/posts/%d", postID)
		console := e.consolePath(innovation)

		paul := e.browser(t, "en")
		paul.signIn("paul")
		flagThread(t, paul, postID, "Hors sujet pour cette communauté.")
		mustContain(t, paul.get(thread+"?done=flagged"), "the stewards will look at your flag")
		// A second flag is refused in words, beside the form.
		tp := paul.get(thread)
		res := paul.postForm(tp, thread+"/flag", url.Values{"reason": {"Encore"}})
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, `id="flag-error"`, "You already flagged this post")
		// The author cannot flag his own post: victor has no flag form.
		victor := e.browser(t, "en")
		victor.signIn("victor")
		mustNotContain(t, victor.get(thread), `action="`+thread+`/flag"`)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		c := samir.get(console)
		mustContain(t, c, inHTML(victorsQuestion), "Hors sujet pour cette communauté.", "1 flag", `action="`+console+fmt.Sprintf("/posts/%d/hide", postID)+`"`)
		hide := fmt.Sprintf("%s/posts/%d/hide", console, postID)

		// Without a reason, the console says why beside the post, and keeps the rule typed.
		res = samir.postForm(c, hide, url.Values{"rule": {"Une idée par fil"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, fmt.Sprintf(`id="moderation-%d-error"`, postID), `value="Une idée par fil"`)

		res = samir.postForm(c, hide, url.Values{"rule": {"Une idée par fil"}, "reason": {"Ce fil mélange trois sujets."}})
		mustStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), console+"?") || !strings.HasSuffix(res.Location(), "#moderation-h") {
			t.Fatalf("hide redirects to %q", res.Location())
		}
		after := samir.get(res.Location())
		mustContain(t, after, "Post hidden: its author reads the rule you cited and your reason.", "No flagged post.",
			fmt.Sprintf(`action="%s/posts/%d/restore"`, console, postID))

		// paul no longer sees it, on the space page nor at its address.
		mustNotContain(t, paul.get(e.spacePath(innovation)), inHTML(victorsQuestion))
		mustStatus(t, paul.get(thread), http.StatusNotFound)

		// victor, its author, reads why.
		vt := victor.get(thread)
		mustStatus(t, vt, http.StatusOK)
		mustContain(t, vt, `id="hidden-notice"`, "Post hidden by moderation.", "<q>Une idée par fil</q>", "<q>Ce fil mélange trois sujets.</q>")
		mustContain(t, victor.get(e.spacePath(innovation)), inHTML(victorsQuestion), "Hidden")

		// The console's undo restores it; paul reads it again.
		res = samir.postForm(after, fmt.Sprintf("%s/posts/%d/restore", console, postID), url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Post restored: members see it again.")
		mustContain(t, paul.get(e.spacePath(innovation)), inHTML(victorsQuestion))

		// Kept: a new flag, dismissed, leaves the post published.
		marc := e.browser(t, "en")
		marc.signIn("marc")
		flagThread(t, marc, postID, "Doublon ?")
		c = samir.get(console)
		mustContain(t, c, "Doublon ?")
		res = samir.postForm(c, fmt.Sprintf("%s/posts/%d/dismiss", console, postID), url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Post kept: its flags are closed.", "No flagged post.")
		mustContain(t, paul.get(e.spacePath(innovation)), inHTML(victorsQuestion))
	})
}

func TestThreadModeration(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, victorsQuestion)
		thread := fmt.Sprintf("/posts/%d", postID)
		space := e.spacePath(innovation)

		samir := e.browser(t, "en")
		samir.signIn("samir")
		tp := samir.get(thread)
		mustContain(t, tp, `id="moderate-h"`, `action="`+thread+`/pin"`, `action="`+thread+`/hide"`, `<label for="hide-rule">`, `<label for="hide-reason">`)
		mustNotContain(t, tp, `action="`+thread+`/flag"`)

		// Pinned, the thread heads the space in its own list.
		res := samir.postForm(tp, thread+"/pin", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Thread pinned at the top of the space.", `action="`+thread+`/unpin"`)
		paul := e.browser(t, "en")
		paul.signIn("paul")
		sp := paul.get(space)
		pinned := strings.Index(sp.Body, `class="pinned-posts"`)
		if pinned < 0 || strings.Index(sp.Body, inHTML(victorsQuestion)) < pinned || strings.Index(sp.Body, `class="posts"`) < pinned {
			t.Errorf("the pinned thread does not come first in its own list:\n%s", sp.Body)
		}
		if n := strings.Count(sp.Body, inHTML(victorsQuestion)); n != 1 {
			t.Errorf("the pinned thread is listed %d times", n)
		}
		// paul, a member, may flag it but not pin or hide it.
		pt := paul.get(thread)
		mustContain(t, pt, `action="`+thread+`/flag"`, `<label for="flag-reason">`)
		mustNotContain(t, pt, `action="`+thread+`/pin"`, `action="`+thread+`/unpin"`, `action="`+thread+`/hide"`)
		res = paul.postForm(pt, thread+"/unpin", url.Values{})
		mustStatus(t, res, http.StatusForbidden)

		tp = samir.get(thread)
		res = samir.postForm(tp, thread+"/unpin", url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustNotContain(t, paul.get(space), `class="pinned-posts"`)

		// Hidden from the thread page, samir goes back to the space.
		tp = samir.get(thread)
		res = samir.postForm(tp, thread+"/hide", url.Values{"rule": {"Une idée par fil"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="hide-error"`, `<details class="hide-post" open>`, `value="Une idée par fil"`)
		res = samir.postForm(tp, thread+"/hide", url.Values{"rule": {"Une idée par fil"}, "reason": {"Trois questions en une."}})
		mustStatus(t, res, http.StatusSeeOther)
		if want := space + "?moderated=hidden"; res.Location() != want {
			t.Errorf("hide redirects to %q, want %q", res.Location(), want)
		}
		mustContain(t, samir.get(res.Location()), "Post hidden: its author reads the rule you cited and your reason.")
		mustNotContain(t, paul.get(space), inHTML(victorsQuestion))
	})
}

func TestConsoleCoPilotWaitsForMentor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(clientsPro, xaviersQuestion)
		thread := fmt.Sprintf("/posts/%d", postID)
		console := e.consolePath(clientsPro)

		nadia := e.browser(t, "en")
		nadia.signIn("nadia")
		flagThread(t, nadia, postID, "Numéro de contrat visible ?")

		olivia := e.browser(t, "en")
		olivia.signIn("olivia")
		c := olivia.get(console)
		mustContain(t, c, xaviersQuestion, "Numéro de contrat visible ?")
		res := olivia.postForm(c, fmt.Sprintf("%s/posts/%d/hide", console, postID),
			url.Values{"rule": {"Pas de données personnelles"}, "reason": {"Le message semble citer un contrat."}})
		mustStatus(t, res, http.StatusSeeOther)
		after := olivia.get(res.Location())
		mustContain(t, after, `class="notice pending"`, waitsForMentor)
		mustNotContain(t, after, "Post hidden")

		// From the thread page too; the post stays where it was.
		tp := olivia.get(thread)
		mustContain(t, tp, inHTML("Your visible moderation actions wait for your mentor"))
		res = olivia.postForm(tp, thread+"/hide", url.Values{"rule": {"Pas de données personnelles"}, "reason": {"Idem."}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, olivia.get(res.Location()), waitsForMentor, xaviersQuestion)

		xavier := e.browser(t, "en")
		xavier.signIn("xavier")
		mustContain(t, xavier.get(e.spacePath(clientsPro)), xaviersQuestion)
		xt := xavier.get(thread)
		mustStatus(t, xt, http.StatusOK)
		mustNotContain(t, xt, `id="hidden-notice"`)

		// Her scheduled post waits too.
		c = olivia.get(console)
		at := time.Now().In(paris(t)).Add(48 * time.Hour).Format("2006-01-02T15:04")
		res = olivia.postForm(c, console+"/scheduled", url.Values{"publish_at": {at}, "kind": {"discussion"},
			"title": {"Webinaire de décembre"}, "body": {"Inscriptions ouvertes."}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, olivia.get(res.Location()), waitsForMentor, "Webinaire de décembre", "Waiting for your mentor")
	})
}

// paris returns the time zone of the schedule form.
func paris(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var cancelAction = regexp.MustCompile(`action="(/spaces/\d+/console/scheduled/\d+/cancel)"`)

func TestConsoleSchedule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		console := e.consolePath(innovation)
		samir := e.browser(t, "en")
		samir.signIn("samir")
		c := samir.get(console)
		mustContain(t, c, "No scheduled post.")

		form := url.Values{"kind": {"question"}, "title": {"Votre irritant de la semaine ?"}, "body": {"Dites-le en **une phrase**."}}
		// A malformed time, and a past one, are refused with the input kept.
		form.Set("publish_at", "demain")
		res := samir.postForm(c, console+"/scheduled", form)
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="scheduled-error"`, "2026-12-01T09:00", `value="Votre irritant de la semaine ?"`, `value="demain"`)
		form.Set("publish_at", "2020-01-01T09:00")
		res = samir.postForm(c, console+"/scheduled", form)
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "The publication time is in the past", `<option value="question" selected>`)

		when := time.Now().In(paris(t)).Add(72 * time.Hour).Truncate(time.Minute)
		form.Set("publish_at", when.Format("2006-01-02T15:04"))
		res = samir.postForm(c, console+"/scheduled", form)
		mustStatus(t, res, http.StatusSeeOther)
		after := samir.get(res.Location())
		mustContain(t, after, "Post scheduled: it will appear on its own at the time set.", "Votre irritant de la semaine ?",
			">Scheduled</span>", when.Format("15:04")+" (Europe/Paris)")
		// Members see nothing before the time.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		mustNotContain(t, paul.get(e.spacePath(innovation)), "Votre irritant de la semaine ?")

		m := cancelAction.FindStringSubmatch(after.Body)
		if m == nil {
			t.Fatalf("no cancel form:\n%s", after.Body)
		}
		res = samir.postForm(after, m[1], url.Values{})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "Scheduled post cancelled.", ">Cancelled</span>")
	})
}

func TestConsoleForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		console := e.consolePath(innovation)
		samir := e.browser(t, "en")
		samir.signIn("samir")
		c := samir.get(console)

		// Welcome.
		res := samir.postForm(c, console+"/welcome", url.Values{"welcome": {"Bienvenue ! Présentez-vous dans le fil d'accueil."}})
		mustStatus(t, res, http.StatusSeeOther)
		c = samir.get(res.Location())
		mustContain(t, c, "Welcome message saved.", ">Bienvenue ! Présentez-vous dans le fil d&#39;accueil.</textarea>")

		// Invitations: an unknown login is refused beside the field.
		res = samir.postForm(c, console+"/invitations", url.Values{"login": {"personne"}, "message": {"Rejoins-nous"}})
		mustStatus(t, res, http.StatusNotFound)
		mustContain(t, res, `id="invitations-error"`, "No account with the login personne.", `value="personne"`, ">Rejoins-nous</textarea>")
		res = samir.postForm(c, console+"/invitations", url.Values{"login": {"lea"}, "message": {"Ton regard commercial nous aiderait."}})
		mustStatus(t, res, http.StatusSeeOther)
		c = samir.get(res.Location())
		mustContain(t, c, "Invitation sent.", "Léa Moreau", ">Sent</span>", "Ton regard commercial nous aiderait.")

		// Join policy: criteria need a criterion; then they are kept.
		res = samir.postForm(c, console+"/join-policy", url.Values{"join_policy": {"criteria"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="join-policy-error"`, "Criteria are required", `value="criteria" checked`)
		res = samir.postForm(c, console+"/join-policy", url.Values{"join_policy": {"criteria"}, "unit_ids": {"un, deux"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "Unit ids are numbers separated by commas.")
		res = samir.postForm(c, console+"/join-policy", url.Values{"join_policy": {"criteria"}, "sites": {"Lyon, Paris"},
			"employments": {"internal"}})
		mustStatus(t, res, http.StatusSeeOther)
		c = samir.get(res.Location())
		mustContain(t, c, "Join policy saved.", `value="criteria" checked`, `value="Lyon, Paris"`, `value="internal" checked`)
		mustNotContain(t, c, `value="external" checked`)

		// Members: removing needs a reason, which the person reads.
		marc, err := e.st.UserByLogin(context.Background(), "marc")
		if err != nil {
			t.Fatal(err)
		}
		remove := console + "/members/" + strconv.FormatInt(marc.ID, 10) + "/remove"
		mustContain(t, c, `action="`+remove+`"`)
		res = samir.postForm(c, remove, url.Values{"reason": {" "}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, fmt.Sprintf(`id="members-%d-error"`, marc.ID), `<details class="remove" open>`)
		res = samir.postForm(c, remove, url.Values{"reason": {"Départ de l'équipe support."}})
		mustStatus(t, res, http.StatusSeeOther)
		c = samir.get(res.Location())
		mustContain(t, c, "Member removed: the person reads your reason.")
		mustNotContain(t, c, `action="`+remove+`"`)
		// A steward is not offered to himself.
		samirUser, _ := e.st.UserByLogin(context.Background(), "samir")
		mustNotContain(t, c, console+"/members/"+strconv.FormatInt(samirUser.ID, 10)+"/remove")
		// The funnel shows a closed month, and no figure of fewer than k
		// people: this month's removal is not to be read there.
		mustNotContain(t, c, "Removed</dt><dd>1</dd>")

		// Without the CSRF token, nothing happens.
		res = samir.post(console+"/welcome", url.Values{"welcome": {"Forgé"}, "csrf": {"forged"}})
		mustStatus(t, res, http.StatusForbidden)
	})
}

// keyLike finds a catalog key printed instead of its text.
var keyLike = regexp.MustCompile(`\b(?:console|thread|space|join|kind|status|rule|charter|compose)\.[a-z_]+(?:\.[a-z_]+)*\b`)

func TestConsoleFrenchAndEnglish(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		postID := e.postID(innovation, victorsQuestion)
		paul := e.browser(t, "fr")
		paul.signIn("paul")
		flagThread(t, paul, postID, "Hors sujet.")
		for _, c := range []struct{ lang, heading, queue string }{
			{"fr", "Console d&#39;animation : " + innovation, "File de modération"},
			{"en", "Steward console: " + innovation, "Moderation queue"},
		} {
			samir := e.browser(t, c.lang)
			samir.signIn("samir")
			for _, path := range []string{e.consolePath(innovation), fmt.Sprintf("/posts/%d", postID), e.spacePath(innovation)} {
				p := samir.get(path)
				mustStatus(t, p, http.StatusOK)
				if path == e.consolePath(innovation) {
					mustContain(t, p, `<html lang="`+c.lang+`">`, c.heading, c.queue)
				}
				if m := keyLike.FindString(p.Body); m != "" {
					t.Errorf("%s %s: a key is printed instead of its text: %q", c.lang, path, m)
				}
			}
		}
		// The member's pages too, with the flag form and the hidden notice.
		for _, lang := range []string{"fr", "en"} {
			b := e.browser(t, lang)
			b.signIn("victor")
			for _, path := range []string{fmt.Sprintf("/posts/%d", postID), fmt.Sprintf("/posts/%d", e.postID(innovation, "Bienvenue dans Innovation Produits !"))} {
				p := b.get(path)
				mustStatus(t, p, http.StatusOK)
				if m := keyLike.FindString(p.Body); m != "" {
					t.Errorf("%s %s: a key is printed instead of its text: %q", lang, path, m)
				}
			}
		}
	})
}

// TestConsoleSignalDeadline checks that the community manager sets, from
// the console, how long owners have to answer the space's signals, and
// that a steward is not offered it.
func TestConsoleSignalDeadline(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		console := e.consolePath(innovation)
		samir := e.browser(t, "en")
		samir.signIn("samir")
		mustNotContain(t, samir.get(console), `id="deadline-h"`)

		claire := e.browser(t, "en")
		claire.signIn("claire")
		c := claire.get(console)
		mustStatus(t, c, http.StatusOK)
		mustContain(t, c, `id="deadline-h"`, `<label for="deadline-days">`, `name="days" type="number" min="1" max="90" required value="14"`)
		res := claire.postForm(c, console+"/signal-deadline", url.Values{"days": {"120"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "The deadline is a number of days from 1 to 90.", `value="120"`)
		res = claire.postForm(c, console+"/signal-deadline", url.Values{"days": {"5"}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, claire.get(res.Location()), "Deadline saved: it applies to the next signals.", `value="5"`)
		sp, err := e.st.SpaceByName(context.Background(), innovation)
		if err != nil {
			t.Fatal(err)
		}
		if days, err := e.st.SignalDeadline(context.Background(), sp.ID); err != nil || days != 5 {
			t.Errorf("deadline after the form: %d days, %v; want 5", days, err)
		}
		// A forged form from a steward is refused with the rule.
		res = samir.postForm(samir.get(console), console+"/signal-deadline", url.Values{"days": {"3"}})
		mustStatus(t, res, http.StatusForbidden)
	})
}
