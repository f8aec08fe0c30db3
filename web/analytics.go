package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/api"
	"relais/app"
	"relais/policy"
)

// registerAnalytics adds the analytics pages (a space's, a unit's, a plan
// objective's, with their CSV exports), the threshold the community
// manager sets, a space's leaderboard, and the person's own page.
func (s *Server) registerAnalytics(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /analytics", s.signedIn(s.analyticsIndex))
	mux.Handle("POST /analytics/settings", post(s.signedIn(s.setAnalyticsK)))
	mux.Handle("GET /spaces/{id}/analytics", s.signedIn(s.analyticsPage(relais.ScopeSpace)))
	mux.Handle("GET /spaces/{id}/analytics.csv", s.signedIn(s.analyticsCSV(relais.ScopeSpace)))
	mux.Handle("GET /units/{id}/analytics", s.signedIn(s.analyticsPage(relais.ScopeUnit)))
	mux.Handle("GET /units/{id}/analytics.csv", s.signedIn(s.analyticsCSV(relais.ScopeUnit)))
	mux.Handle("GET /plan/objectives/{id}/analytics", s.signedIn(s.analyticsPage(relais.ScopeObjective)))
	mux.Handle("GET /plan/objectives/{id}/analytics.csv", s.signedIn(s.analyticsCSV(relais.ScopeObjective)))
	mux.Handle("POST /spaces/{id}/leaderboard", post(s.signedIn(s.toggleLeaderboard)))
	mux.Handle("GET /me", s.signedIn(s.mine))
	mux.Handle("POST /me/privacy", post(s.signedIn(s.setPrivacy)))
}

// analyticsPath is the page of a scope's analytics ("" for the index).
func analyticsPath(scope relais.ScopeKind, id int64) string {
	n := strconv.FormatInt(id, 10)
	switch scope {
	case relais.ScopeSpace:
		return "/spaces/" + n + "/analytics"
	case relais.ScopeUnit:
		return "/units/" + n + "/analytics"
	case relais.ScopeObjective:
		return "/plan/objectives/" + n + "/analytics"
	}
	return "/analytics"
}

// analyticsPage is an analytics page: the index of what the person may
// read, or one scope's report.
type analyticsPage struct {
	Page
	// The index.
	Index    bool
	Scopes   *app.AnalyticsScopes
	Settings *app.AnalyticsSettings
	Governs  bool // the community manager sets k
	// A report.
	Report  *app.AnalyticsReport
	Window  relais.AnalyticsWindow
	Latest  string // the current month
	CSV     string
	Charts  []trendChart
	Columns []string // the months of the table, in words
	Rows    []figureRow
	Value   []figureRow
	Totals  []valueTotal
	Board   *app.Leaderboard
	Notice  string
	Error   string
}

// figureRow is one figure over the months of a window.
type figureRow struct {
	Name  string
	Cells []figureCell
}

// figureCell is a figure of one month, as text, or suppressed.
type figureCell struct {
	Text       string
	Suppressed bool
}

// valueTotal is the declared value of a kind over the window.
type valueTotal struct {
	Kind       relais.BenefitKind
	Label      string
	Text       string
	Suppressed bool
}

// monthShort writes a month in short words ("janv. 26").
func (p *Page) monthShort(m relais.Month) string {
	names := strings.Split(p.T("analytics.short_months"), "|")
	name := m.Start().Month().String()[:3]
	if len(names) == 12 {
		name = names[m.Start().Month()-1]
	}
	return name + " " + strconv.Itoa(m.Start().Year()%100)
}

// FigureName names a figure in the page's language.
func (p *Page) FigureName(name string) string { return p.T("analytics.figure." + name) }

// KindName names a benefit kind in the page's language.
func (p *Page) KindName(k relais.BenefitKind) string { return p.T("analytics.kind." + string(k)) }

// SharePercent writes a share as a percentage.
func (p *Page) SharePercent(x float64) string {
	s := strconv.FormatFloat(x*100, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if p.Lang == "fr" {
		return strings.Replace(s, ".", ",", 1) + " %"
	}
	return s + "%"
}

// DurationText writes seconds for humans: "45 s", "12 min", "2 h 05", "3 j 4 h".
func (p *Page) DurationText(secs int64) string {
	day := p.T("analytics.day_abbr")
	switch {
	case secs < 60:
		return strconv.FormatInt(secs, 10) + " s"
	case secs < 3600:
		return strconv.FormatInt(secs/60, 10) + " min"
	case secs < 86400:
		m := secs / 60 % 60
		return strconv.FormatInt(secs/3600, 10) + " h " + strconv.FormatInt(m/10, 10) + strconv.FormatInt(m%10, 10)
	}
	return strconv.FormatInt(secs/86400, 10) + " " + day + " " + strconv.FormatInt(secs/3600%24, 10) + " h"
}

// AmountText writes an amount with its unit.
func (p *Page) AmountText(a relais.Amount, unit string) string {
	s := a.String()
	if p.Lang == "fr" {
		s = a.French()
	}
	switch unit {
	case relais.UnitHours:
		return s + " h"
	case relais.UnitEUR:
		return s + " €"
	}
	return s
}

// figureText writes a figure of an activity ("" when suppressed).
func (p *Page) figureText(a relais.Activity, name string) (string, float64, bool) {
	switch name {
	case relais.FigureMembers, relais.FigureActiveMembers, relais.FigurePosts, relais.FigureReplies:
		v := a.Value(name)
		if v == "" {
			return "", 0, false
		}
		n, _ := strconv.ParseFloat(v, 64)
		return v, n, true
	case relais.FigureMedian:
		if a.MedianFirstResponse == nil {
			return "", 0, false
		}
		return p.DurationText(*a.MedianFirstResponse), float64(*a.MedianFirstResponse) / 3600, true
	case relais.FigureAnswerRate:
		if a.AnswerRate == nil {
			return "", 0, false
		}
		return p.SharePercent(*a.AnswerRate), *a.AnswerRate * 100, true
	case relais.FigureRetention:
		if a.Retention == nil {
			return "", 0, false
		}
		return p.SharePercent(*a.Retention), *a.Retention * 100, true
	}
	return "", 0, false
}

// FirstMonth and LastMonth name the first and last months of the window.
func (v *analyticsPage) FirstMonth() string { return v.Columns[0] }

// LastMonth names the last month of the window.
func (v *analyticsPage) LastMonth() string { return v.Columns[len(v.Columns)-1] }

// FormAction is the page's path, without its query.
func (v *analyticsPage) FormAction() string { return analyticsPath(v.Report.Scope, v.Report.ID) }

// FigureNames lists the activity figures in display order.
func (v *analyticsPage) FigureNames() []string { return relais.ActivityFigures }

// CurrentFigure writes a figure of the last month, or "" when suppressed.
func (v *analyticsPage) CurrentFigure(name string) string {
	t, _, _ := v.figureText(v.Report.Current, name)
	return t
}

// Suppressed reports whether a figure of the last month is suppressed.
func (v *analyticsPage) Suppressed(name string) bool { return v.Report.Current.Hidden(name) }

// Progress writes a KPI's progress as a percentage.
func (v *analyticsPage) Progress(k relais.KPIProgress) string {
	if k.Progress == nil {
		return ""
	}
	return v.SharePercent(*k.Progress)
}

// SourcePath links a source of value: its thread.
func (v *analyticsPage) SourcePath(postID, signalID int64) string {
	if postID != 0 {
		return "/posts/" + strconv.FormatInt(postID, 10)
	}
	return "/signals/" + strconv.FormatInt(signalID, 10)
}

// Scopes: the activity figures charted, in order.
var chartedFigures = []string{relais.FigureActiveMembers, relais.FigurePosts, relais.FigureReplies, relais.FigureAnswerRate, relais.FigureMedian}

func (s *Server) analyticsIndex(w http.ResponseWriter, r *http.Request, v *visit) {
	vp := &analyticsPage{Page: v.page(r, ""), Index: true}
	vp.Title = vp.T("analytics.title")
	var err error
	if vp.Scopes, err = s.App.AnalyticsScopes(r.Context(), v.User); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if vp.Settings, err = s.App.AnalyticsSettings(r.Context()); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	vp.Governs = policy.Decide(policy.ActorOf(v.User), policy.Govern, policy.Target{}).Allowed()
	if r.URL.Query().Get("done") == "k" {
		vp.Notice = vp.T("analytics.done.k")
	}
	s.render(w, r, http.StatusOK, "analytics", vp)
}

func (s *Server) setAnalyticsK(w http.ResponseWriter, r *http.Request, v *visit) {
	k, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("k")))
	if err != nil {
		err = relais.KRangeError(relais.EINVALID)
	} else {
		_, err = s.App.SetAnalyticsK(r.Context(), v.User, k)
	}
	if err != nil {
		status, _, msg := s.message(r, v.Lang, err)
		if status == http.StatusInternalServerError || status == http.StatusForbidden {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		vp := &analyticsPage{Page: v.page(r, ""), Index: true, Error: msg, Governs: true}
		vp.Title = vp.T("analytics.title")
		vp.Scopes, _ = s.App.AnalyticsScopes(r.Context(), v.User)
		vp.Settings, _ = s.App.AnalyticsSettings(r.Context())
		if vp.Scopes == nil || vp.Settings == nil {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		s.render(w, r, status, "analytics", vp)
		return
	}
	http.Redirect(w, r, "/analytics?done=k", http.StatusSeeOther)
}

// loadAnalytics reads the report of a scope for the window of the request.
func (s *Server) loadAnalytics(r *http.Request, v *visit, scope relais.ScopeKind) (*app.AnalyticsReport, relais.AnalyticsWindow, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, relais.AnalyticsWindow{}, err
	}
	q := r.URL.Query()
	win, err := relais.ParseAnalyticsWindow(q.Get("period"), q.Get("since"), time.Now())
	if err != nil {
		return nil, win, err
	}
	var rep *app.AnalyticsReport
	switch scope {
	case relais.ScopeSpace:
		rep, err = s.App.SpaceAnalytics(r.Context(), v.User, id, win)
	case relais.ScopeUnit:
		rep, err = s.App.UnitAnalytics(r.Context(), v.User, id, win)
	default:
		rep, err = s.App.ObjectiveAnalytics(r.Context(), v.User, id, win)
	}
	return rep, win, err
}

func (s *Server) analyticsPage(scope relais.ScopeKind) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		rep, win, err := s.loadAnalytics(r, v, scope)
		if err != nil {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		vp := &analyticsPage{Page: v.page(r, ""), Report: rep, Window: win, Latest: relais.MonthOf(time.Now()).String()}
		vp.Title = vp.Tf("analytics.report_title", rep.Name)
		q := url.Values{"period": {rep.Period}, "since": {rep.Since}}
		vp.CSV = analyticsPath(scope, rep.ID) + ".csv?" + q.Encode()
		vp.fill()
		if scope == relais.ScopeSpace {
			board, err := s.App.SpaceLeaderboard(r.Context(), v.User, rep.ID, win.Last)
			switch relais.ErrorCode(err) {
			case "":
				vp.Board = board
			case relais.EFORBIDDEN, relais.ENOTFOUND:
				// A sponsor who does not read the space sees no leaderboard.
			default:
				s.fail(w, r, v.page(r, ""), err)
				return
			}
		}
		switch r.URL.Query().Get("done") {
		case "leaderboard_on":
			vp.Notice = vp.T("analytics.done.leaderboard_on")
		case "leaderboard_off":
			vp.Notice = vp.T("analytics.done.leaderboard_off")
		}
		s.render(w, r, http.StatusOK, "analytics", vp)
	}
}

// fill lays out the charts and tables of a report.
func (v *analyticsPage) fill() {
	rep := v.Report
	suppressed := v.Tf("analytics.below_k", rep.K)
	for _, a := range rep.Trend {
		m, _ := relais.ParseMonth("period", a.Period)
		v.Columns = append(v.Columns, v.monthShort(relais.MonthOf(m.From)))
	}
	for _, name := range relais.ActivityFigures {
		row := figureRow{Name: v.FigureName(name)}
		for _, a := range rep.Trend {
			t, _, ok := v.figureText(a, name)
			row.Cells = append(row.Cells, figureCell{Text: t, Suppressed: !ok && a.Hidden(name)})
		}
		v.Rows = append(v.Rows, row)
	}
	for _, name := range chartedFigures {
		var points []trendPoint
		for i, a := range rep.Trend {
			t, x, ok := v.figureText(a, name)
			points = append(points, trendPoint{Label: v.Columns[i], Value: x, Text: t, Known: ok, Suppressed: a.Hidden(name)})
		}
		title := v.FigureName(name)
		if name == relais.FigureMedian {
			title = v.T("analytics.chart.median_hours")
		}
		v.Charts = append(v.Charts, layoutTrend("chart-"+strings.ReplaceAll(name, "_", "-"), title,
			v.Tf("analytics.chart.desc", title, v.Columns[0], v.Columns[len(v.Columns)-1], rep.K), points, suppressed))
	}
	for _, kind := range relais.BenefitKinds {
		row := figureRow{Name: v.KindName(kind)}
		var points []trendPoint
		for i, m := range rep.Value.Months {
			for _, f := range m.Figures {
				if f.Kind != kind {
					continue
				}
				c := figureCell{Suppressed: f.Suppressed}
				p := trendPoint{Label: v.Columns[i], Suppressed: f.Suppressed}
				if f.Amount != nil {
					c.Text = v.AmountText(*f.Amount, f.Unit)
					p.Known, p.Value, p.Text = true, float64(*f.Amount)/100, c.Text
				}
				row.Cells = append(row.Cells, c)
				points = append(points, p)
			}
		}
		v.Value = append(v.Value, row)
		if kind == relais.BenefitTimeSaved {
			title := v.T("analytics.chart.time_saved")
			v.Charts = append(v.Charts, layoutTrend("chart-time-saved", title,
				v.Tf("analytics.chart.desc", title, v.Columns[0], v.Columns[len(v.Columns)-1], rep.K), points, suppressed))
		}
	}
	for _, f := range rep.Value.Total {
		t := valueTotal{Kind: f.Kind, Label: v.KindName(f.Kind), Suppressed: f.Suppressed}
		if f.Amount != nil {
			t.Text = v.AmountText(*f.Amount, f.Unit)
		}
		v.Totals = append(v.Totals, t)
	}
}

// KPIActual writes what Relais measured for a KPI target.
func (v *analyticsPage) KPIActual(k relais.KPIProgress) string {
	if k.Actual == nil {
		return ""
	}
	return k.Actual.String() + " " + k.Unit
}

func (s *Server) analyticsCSV(scope relais.ScopeKind) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		rep, _, err := s.loadAnalytics(r, v, scope)
		if err != nil {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", `attachment; filename="`+api.AnalyticsFilename(rep)+`"`)
		w.WriteHeader(http.StatusOK)
		api.WriteAnalyticsCSV(w, rep)
	}
}

func (s *Server) toggleLeaderboard(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	on := r.PostForm.Get("enabled") == "on"
	if _, err := s.App.SetSpaceLeaderboard(r.Context(), v.User, id, on); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	done := "leaderboard_off"
	if on {
		done = "leaderboard_on"
	}
	http.Redirect(w, r, analyticsPath(relais.ScopeSpace, id)+"?done="+done+"#leaderboard-h", http.StatusSeeOther)
}
