package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/auth"
)

// webAnaCorpus is a community "Atelier Web" (steward samir) with seven
// more people, w1…w7, members: in month m2, w1…w6 each open a thread that
// the next one answers an hour later; in month m1 (last month), w1, w2 and
// w3 open 37 threads in all — three people, below k: 37 must appear
// nowhere.
type webAnaCorpus struct {
	space  int64
	m1, m2 relais.Month
}

func newWebAnaCorpus(t *testing.T, e *env) *webAnaCorpus {
	t.Helper()
	ctx := context.Background()
	st := e.st
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	c := &webAnaCorpus{m1: relais.MonthOf(time.Now()).Add(-1)}
	c.m2 = c.m1.Add(-1)
	hash, err := auth.HashPassword("demo")
	must(err)
	var people []int64
	for i := 1; i <= 7; i++ {
		u := &relais.User{Login: fmt.Sprintf("w%d", i), Name: fmt.Sprintf("Web %d", i), Employment: relais.Internal}
		must(st.CreateUser(ctx, u, hash))
		people = append(people, u.ID)
	}
	created := c.m2.Start().AddDate(0, -2, 0)
	sp := &relais.Space{Name: "Atelier Web", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal, JoinPolicy: relais.JoinOpen,
		Flow: relais.AboveTheFlow, CreatedAt: created}
	must(st.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0))
	samir := e.user("samir")
	must(st.AddSteward(ctx, sp.ID, samir.ID))
	for _, id := range people {
		must(st.Join(ctx, &relais.Membership{SpaceID: sp.ID, UserID: id, CharterVersion: 1, JoinedAt: created, Source: relais.SourceOpen}))
	}
	c.space = sp.ID
	post := func(author int64, at time.Time) int64 {
		p := &relais.Post{SpaceID: sp.ID, AuthorID: author, Kind: relais.KindQuestion, Title: "Q " + at.Format(time.RFC3339), Body: "b",
			Status: relais.StatusPublished, CreatedAt: at}
		must(st.CreatePost(ctx, p))
		return p.ID
	}
	d := c.m2.Start().AddDate(0, 0, 2).Add(9 * time.Hour)
	for i := 0; i < 6; i++ {
		id := post(people[i], d.Add(time.Duration(i)*time.Minute))
		must(st.CreateReply(ctx, &relais.Reply{PostID: id, AuthorID: people[i+1], Body: "r", Status: relais.StatusPublished,
			CreatedAt: d.Add(time.Duration(i)*time.Minute + time.Hour)}, sp.ID))
	}
	m1 := c.m1.Start().AddDate(0, 0, 1)
	for i := 0; i < 37; i++ {
		post(people[i%3], m1.Add(time.Duration(i)*time.Hour))
	}
	return c
}

func TestAnalyticsPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newWebAnaCorpus(t, e)
		base := "/spaces/" + strconv.FormatInt(c.space, 10) + "/analytics"
		window := "?period=" + c.m1.String() + "&since=" + c.m2.String()
		samir := e.browser(t, "en")
		samir.signIn("samir")
		p := samir.get(base + window)
		mustStatus(t, p, http.StatusOK)
		checkHeadings(t, "analytics", p)
		mustContain(t, p, "Analytics: Atelier Web", `id="protection-note"`, "fewer than 5 people", `<svg class="trend"`,
			`class="bar-suppressed"`, "Active members", "Threads opened", `href="`+base+".csv?period="+c.m1.String()+"&amp;since="+c.m2.String()+`"`,
			`<td>6</td>`, `<td>7</td>`, `id="leaderboard-h"`, "Open a leaderboard")
		// Suppressed: 37 threads by three people appear nowhere.
		mustNotContain(t, p, ">37<", "37 ", ": 37")

		// The CSV export of the page: the same suppression.
		csv := samir.get(base + ".csv" + window)
		mustStatus(t, csv, http.StatusOK)
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || strings.Contains(csv.Body, "37") ||
			!strings.Contains(csv.Body, c.m1.String()+",posts,,true") || !strings.Contains(csv.Body, c.m2.String()+",posts,6,false") {
			t.Errorf("CSV export:\n%s", csv.Body)
		}

		// French.
		fr := e.browser(t, "fr")
		fr.signIn("samir")
		mustContain(t, fr.get(base+window), "Statistiques : Atelier Web", "moins de 5 personnes", "Membres actifs")

		// Bad months: a clear 400, in the page.
		for _, q := range []string{"?period=2026-13", "?period=" + c.m2.String() + "&since=" + c.m1.String(), "?since=2020-01&period=" + c.m1.String()} {
			mustStatus(t, samir.get(base+q), http.StatusBadRequest)
		}

		// The leaderboard: samir opens it; a participant appears only once
		// they opt in.
		res := samir.postForm(p, "/spaces/"+strconv.FormatInt(c.space, 10)+"/leaderboard", url.Values{"enabled": {"on"}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, samir.get(res.Location()), "The leaderboard is open")
		lb := samir.get(base + "?period=" + c.m2.String())
		mustContain(t, lb, "Nobody has accepted")
		w3 := e.browser(t, "en")
		w3.signIn("w3")
		me := w3.get("/me")
		mustStatus(t, me, http.StatusOK)
		res = w3.postForm(me, "/me/privacy", url.Values{"leaderboard": {"on"}, "profile_visibility": {"spaces"}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, w3.get(res.Location()), "Your settings are saved.", `value="spaces" checked`, `name="leaderboard" type="checkbox" checked`)
		lb = samir.get(base + "?period=" + c.m2.String())
		mustContain(t, lb, `<span class="rank">1</span> Web 3`)

		// A participant reads no space's analytics.
		mustStatus(t, w3.get(base), http.StatusForbidden)
		idx := w3.get("/analytics")
		mustStatus(t, idx, http.StatusOK)
		mustContain(t, idx, inHTML("You read no space's analytics"))
		mustNotContain(t, idx, `name="k"`)

		// The team's manager sees the team's figures, every one hidden.
		marc := e.browser(t, "en")
		marc.signIn("marc")
		team := marc.get(e.spacePath(supportLyon) + "/analytics")
		mustStatus(t, team, http.StatusOK)
		mustContain(t, team, "fewer than 5 people")
		mustNotContain(t, team, `<rect class="bar"`, `<td>1</td>`, `<td>2</td>`)

		// The community manager sets k from the index.
		claire := e.browser(t, "en")
		claire.signIn("claire")
		idx = claire.get("/analytics")
		mustContain(t, idx, "Atelier Web", `name="k"`, `value="5"`)
		mustContain(t, idx, `min="5"`)
		// Never below 5: the page refuses it and says why, in both languages.
		for _, low := range []string{"2", "4"} {
			bad := claire.postForm(idx, "/analytics/settings", url.Values{"k": {low}})
			mustStatus(t, bad, http.StatusUnprocessableEntity)
			mustContain(t, bad, `id="k-error"`, "from 5 to 50", "never below 5")
		}
		bad := claire.postForm(idx, "/analytics/settings", url.Values{"k": {"cinq"}})
		mustStatus(t, bad, http.StatusBadRequest)
		mustContain(t, bad, `id="k-error"`, "never below 5")
		claireFR := e.browser(t, "fr")
		claireFR.signIn("claire")
		idxFR := claireFR.get("/analytics")
		badFR := claireFR.postForm(idxFR, "/analytics/settings", url.Values{"k": {"3"}})
		mustStatus(t, badFR, http.StatusUnprocessableEntity)
		mustContain(t, badFR, `id="k-error"`, "jamais inférieur à 5")
		mustContain(t, samir.get(base+window), "fewer than 5 people", `<td>6</td>`)
		// A higher k hides more: at 7, the 6 threads by 6 people of the
		// month before are hidden too, and the pages say which k is in force.
		mustStatus(t, claire.postForm(idx, "/analytics/settings", url.Values{"k": {"7"}}), http.StatusSeeOther)
		mustStatus(t, w3.postForm(me, "/analytics/settings", url.Values{"k": {"5"}}), http.StatusForbidden)
		mustContain(t, claire.get("/analytics"), `value="7"`, "fewer than 7 people")
		p = samir.get(base + window)
		mustContain(t, p, "fewer than 7 people", `<td>7</td>`)
		mustNotContain(t, p, `<td>6</td>`, ">37<")
	})
}

func TestMinePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		c := newWebAnaCorpus(t, e)
		w2 := e.browser(t, "en")
		w2.signIn("w2")
		p := w2.get("/me?period=" + c.m1.String() + "&since=" + c.m2.String())
		mustStatus(t, p, http.StatusOK)
		checkHeadings(t, "mine", p)
		// w2: 1 thread in m2 answered by w3, 12 threads in m1; one first
		// response given (to w1).
		mustContain(t, p, "What Relais brings me", "1 of your 13 threads got an answer", "1 replies from colleagues",
			"1 first responses given", `<svg class="trend"`, "Atelier Web", `id="privacy-h"`, "No time saved declared")
		fr := e.browser(t, "fr")
		fr.signIn("w2")
		mustContain(t, fr.get("/me"), "Ce que Relais m&#39;apporte", "Ma vie privée")
		// A bad window is a 400 page.
		mustStatus(t, w2.get("/me?period=2026-13"), http.StatusBadRequest)
	})
}
