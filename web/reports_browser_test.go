package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais/server"
)

// TestBrowserReportMonth picks a month with the report's month picker and
// reads its suppressed figures: "—" with the reason, fitting a 360 px
// phone.
func TestBrowserReportMonth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	marchCorpus(t, e)
	report := e.spacePath(innovation) + "/report"
	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	must(t, "pick March 2025", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+report),
		chromedp.WaitVisible(chromedp.ID("report-h")),
		chromedp.SetValue(chromedp.ID("report-period"), "2025-03"),
		chromedp.Click(chromedp.CSS(`form.month-form button[type=submit]`)),
		// Only March's page leads to April.
		chromedp.WaitVisible(chromedp.CSS(`a[rel=next][href$="period=2025-04"]`)),
		chromedp.WaitVisible(chromedp.ID("report-suppressed")),
	))
	url, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if !strings.HasSuffix(url, report+"?period=2025-03") {
		t.Errorf("the month picker led to %s", url)
	}
	if n := count(t, ctx, "#activity-h ~ .figures .suppressed .why"); n != 5 {
		t.Errorf("%d activity figures explained as hidden, want 5 (new members, replies, answered, rate, median)", n)
	}
	why := text(t, ctx, "#activity-h ~ .figures .suppressed .why")
	if !strings.Contains(why, "5") {
		t.Errorf("the reason %q does not give k", why)
	}
	fitsPhone(t, ctx, "report-suppressed")
}
