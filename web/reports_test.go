package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// monthsEN are the month names of the English report.
var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func TestReportPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		postID := e.postID(innovation, paulsInnovationThread)
		g, _, err := svc.RaiseSignal(ctx, e.user("samir"), app.NewSignal{PostID: postID, OwnerLogin: "victor", Summary: "Export par site à arbitrer."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideSignal(ctx, e.user("victor"), g.ID, relais.SignalAccepted, "Export par site en mars."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DeclareBenefit(ctx, e.user("victor"), relais.NewBenefit{SignalID: g.ID, Kind: relais.BenefitTimeSaved, Amount: "2.5"}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		period := now.Format("2006-01")
		report := e.spacePath(innovation) + "/report"
		monthly := report + "?period=" + period
		heading := "Report of " + innovation + " — " + monthsEN[now.Month()-1] + " " + now.Format("2006")

		// samir, steward, reads the current month, whose figures are
		// withheld until it ends, and writes its narrative.
		samir := e.browser(t, "en")
		samir.signIn("samir")
		rp := samir.get(monthly)
		mustStatus(t, rp, http.StatusOK)
		checkHeadings(t, "report", rp)
		mustContain(t, rp, heading, `id="activity-h"`, "Active members (posted or replied)", `id="funnel-h"`, `id="decisions-h"`,
			"Export par site à arbitrer.", "Export par site en mars.", "Decision by Victor Lemaire", inHTML(paulsInnovationThread),
			"Time saved", `href="`+report+`.csv?period=`+period+`"`, `action="`+report+`/narrative"`,
			`<label for="narrative-text">`, `type="month"`, "Previous month", `id="report-incomplete"`, "withheld until the month ends")
		mustNotContain(t, rp, "Next month", "2.5 h", "1 declaration", `id="report-suppressed"`)
		res := samir.postForm(rp, report+"/narrative", url.Values{"period": {period}, "narrative": {"Un mois riche : l'export par site est décidé."}})
		mustStatus(t, res, http.StatusSeeOther)
		rp = samir.get(res.Location())
		mustContain(t, rp, "Narrative saved.", "Un mois riche : l&#39;export par site est décidé.", "Edit the month")
		// A month not begun yet takes no narrative.
		next := now.AddDate(0, 2, -now.Day()+1).Format("2006-01")
		res = samir.postForm(rp, report+"/narrative", url.Values{"period": {next}, "narrative": {"Trop tôt."}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `id="narrative-error"`, "current month or a past one")

		// The CSV export, for the same readers.
		csv := samir.get(report + ".csv?period=" + period)
		mustStatus(t, csv, http.StatusOK)
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV content type %q", ct)
		}
		for _, want := range []string{"figure,value,suppressed\n", "space," + innovation + ",false", "complete,false,false", "signals_decided,1,false",
			"benefits.time_saved.hours,,true", "active_members,,true", "narrative." + period + ","} {
			if !strings.Contains(csv.Body, want) {
				t.Errorf("CSV lacks %q:\n%s", want, csv.Body)
			}
		}

		// victor, the sponsor, and claire, the community manager, read it, without the form.
		for _, login := range []string{"victor", "claire"} {
			b := e.browser(t, "en")
			b.signIn(login)
			mustContain(t, b.get(e.spacePath(innovation)), `href="`+report+`"`)
			rp := b.get(monthly)
			mustStatus(t, rp, http.StatusOK)
			mustContain(t, rp, heading, "Un mois riche")
			mustNotContain(t, rp, `action="`+report+`/narrative"`)
			if login == "victor" {
				res := b.postForm(rp, report+"/narrative", url.Values{"period": {period}, "narrative": {"Mon avis."}})
				mustStatus(t, res, http.StatusForbidden)
				mustContain(t, res, inHTML(rule(policy.RuleReportNarrators).EN), "<code>"+policy.RuleReportNarrators+"</code>")
			}
		}
		// Without a month, the last full one, with the way forward.
		victor := e.browser(t, "en")
		victor.signIn("victor")
		last := relais.LastFullMonth(now)
		rp = victor.get(report)
		mustStatus(t, rp, http.StatusOK)
		mustContain(t, rp, monthsEN[last.From.Month()-1]+" "+last.From.Format("2006"), `href="`+monthly+`" rel="next"`, "No decision this month.")
		mustStatus(t, victor.get(report+"?period=2026-13"), http.StatusBadRequest)

		// paul, a member, may not read it: the page and the export say why.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		r := rule(policy.RuleReportReaders)
		for _, path := range []string{monthly, report + ".csv?period=" + period} {
			res := paul.get(path)
			mustStatus(t, res, http.StatusForbidden)
			mustContain(t, res, inHTML(r.EN), "<code>"+policy.RuleReportReaders+"</code>")
		}

		// marc writes the report of his team space, which has no join funnel.
		marc := e.browser(t, "en")
		marc.signIn("marc")
		rp = marc.get(e.spacePath(supportLyon) + "/report?period=" + period)
		mustStatus(t, rp, http.StatusOK)
		mustContain(t, rp, "Report of "+supportLyon, `action="`+e.spacePath(supportLyon)+`/report/narrative"`)
		mustNotContain(t, rp, `id="funnel-h"`, "New members")

		// In French.
		fr := e.browser(t, "fr")
		fr.signIn("samir")
		rp = fr.get(monthly)
		mustContain(t, rp, "Rapport de "+innovation, "Temps gagné", "retenu jusqu&#39;à la fin du mois", "Le mot de l&#39;animation", "Exporter en CSV")
		mustNotContain(t, rp, "2,5 h")
	})
}

// TestReportPageSuppression: a closed month shows what k people or more
// made, and "—" with the reason for the rest, on the page and in its CSV,
// in English and French; free ranges are not offered.
func TestReportPageSuppression(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		sp := e.spaces[innovation]
		marchCorpus(t, e)
		report := e.spacePath(innovation) + "/report"
		samir := e.browser(t, "en")
		samir.signIn("samir")
		for _, path := range []string{report + "?period=2025-03", report + "?month=2025-03"} {
			rp := samir.get(path)
			mustStatus(t, rp, http.StatusOK)
			hidden := ` <span class="meta why">hidden: fewer than 5 people</span></dt><dd><abbr class="suppressed-figure" title="hidden: fewer than 5 people">—</abbr></dd>`
			mustContain(t, rp, "Report of "+innovation+" — March 2025", `id="report-suppressed"`, "fewer than 5 people",
				`<div><dt>Threads opened</dt><dd>5</dd></div>`, `<div><dt>Active members (posted or replied)</dt><dd>6</dd></div>`,
				`<div class="suppressed"><dt>Replies`+hidden, `<dt>Answer rate`+hidden, `<dt>Median time to first answer`+hidden,
				`<dt>New members`+hidden, `<div class="sub suppressed"><dt>of whom freely <span class="meta why">`, `<dt>Time saved`+hidden,
				"A report always covers one whole calendar month.")
			mustNotContain(t, rp, "1 h", "1 declaration", `id="report-incomplete"`, `name="from"`, `name="to"`)
		}
		csv := samir.get(report + ".csv?period=2025-03")
		mustStatus(t, csv, http.StatusOK)
		if cd := csv.Header.Get("Content-Disposition"); !strings.Contains(cd, "relais-report-"+strconv.FormatInt(sp, 10)+"-2025-03.csv") {
			t.Errorf("Content-Disposition %q", cd)
		}
		for _, want := range []string{"figure,value,suppressed\n", "month,2025-03,false", "complete,true,false", "k,5,false",
			"posts,5,false", "active_members,6,false", "replies,,true", "answer_rate,,true", "benefits.time_saved.hours,,true",
			"benefits.time_saved.declarations,,true", "funnel.joined,,true"} {
			if !strings.Contains(csv.Body, want) {
				t.Errorf("CSV lacks %q:\n%s", want, csv.Body)
			}
		}
		fr := e.browser(t, "fr")
		fr.signIn("claire")
		rp := fr.get(report + "?period=2025-03")
		mustStatus(t, rp, http.StatusOK)
		mustContain(t, rp, "masqué : moins de 5 personnes", "moins de 5 personnes, et Relais ne montre jamais", `<dt>Fils ouverts</dt><dd>5</dd>`)
		// A month not begun, or badly written, is refused with the reason.
		next := relais.MonthPeriod(relais.MonthPeriod(time.Now()).End()).Month()
		for _, q := range []string{"?period=" + next, "?period=2025-3", "?month=2025-03&period=2025-03"} {
			res := fr.get(report + q)
			mustStatus(t, res, http.StatusBadRequest)
			mustContain(t, res, "mois")
		}
	})
}

// marchCorpus writes March 2025 in Innovation Produits: paul, marc,
// victor, samir and lea each open a thread, claire answers them all;
// victor declares an hour saved. Threads (5 people) and active members (6)
// show; replies and answers (1 person) and the benefit do not.
func marchCorpus(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	sp := e.spaces[innovation]
	var first int64
	for i, login := range []string{"paul", "marc", "victor", "samir", "lea"} {
		at := time.Date(2025, 3, 3+i, 9, 0, 0, 0, time.UTC)
		p := &relais.Post{SpaceID: sp, AuthorID: e.user(login).ID, Kind: relais.KindQuestion, Title: "Mars " + login, Body: "b",
			Status: relais.StatusPublished, CreatedAt: at}
		if err := e.st.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		if first == 0 {
			first = p.ID
		}
		if err := e.st.CreateReply(ctx, &relais.Reply{PostID: p.ID, AuthorID: e.user("claire").ID, Body: "r", Status: relais.StatusPublished,
			CreatedAt: at.Add(time.Hour)}, sp); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.CreateBenefit(ctx, &relais.Benefit{PostID: first, UserID: e.user("victor").ID, Kind: relais.BenefitTimeSaved, Amount: 100,
		Unit: relais.UnitHours, CreatedAt: time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
}
