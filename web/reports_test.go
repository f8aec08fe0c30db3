package web_test

import (
	"context"
	"net/http"
	"net/url"
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
		g, err := svc.RaiseSignal(ctx, e.user("samir"), app.NewSignal{PostID: postID, OwnerLogin: "victor", Summary: "Export par site à arbitrer."})
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

		// samir, steward, reads the month and writes its narrative.
		samir := e.browser(t, "en")
		samir.signIn("samir")
		rp := samir.get(monthly)
		mustStatus(t, rp, http.StatusOK)
		checkHeadings(t, "report", rp)
		mustContain(t, rp, heading, `id="activity-h"`, "Active members (posted or replied)", `id="funnel-h"`, `id="decisions-h"`,
			"Export par site à arbitrer.", "Export par site en mars.", "Decision by Victor Lemaire", inHTML(paulsInnovationThread),
			"Time saved", "2.5 h", "1 declaration", `href="`+report+`.csv?period=`+period+`"`, `action="`+report+`/narrative"`,
			`<label for="narrative-text">`, `type="month"`, "Previous month")
		mustNotContain(t, rp, "Next month")
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
		for _, want := range []string{"figure,value\n", "space," + innovation, "signals_decided,1", "benefits.time_saved.hours,2.5",
			"narrative." + period + ","} {
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
		mustContain(t, rp, "Rapport de "+innovation, "Temps gagné", "2,5 h", "Le mot de l&#39;animation", "Exporter en CSV")
	})
}
