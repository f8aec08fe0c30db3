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
)

// registerReports adds a space's monthly report: the printable page, its
// CSV export and the steward's narrative.
func (s *Server) registerReports(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /spaces/{id}/report", s.signedIn(s.report))
	mux.Handle("GET /spaces/{id}/report.csv", s.signedIn(s.reportCSV))
	mux.Handle("POST /spaces/{id}/report/narrative", post(s.signedIn(s.setNarrative)))
}

// reportPage is the printable report of a space for one calendar month:
// activity, arrivals, signals and their decisions, declared benefits and
// the steward's narrative.
type reportPage struct {
	Page
	Space  *app.SpaceView
	Report *relais.Report
	Period string // the month, YYYY-MM
	Month  string // the month in words
	Prev   string // the month before (YYYY-MM)
	Next   string // the month after, when it has begun ("" otherwise)
	Latest string // the current month, the latest one may ask for
	// Writes offers the narrative form; Narrative is its text: the
	// month's narrative, or what was typed when it was refused.
	Writes    bool
	Narrative string
	Error     string
	Rule      string
	Notice    string
}

// reportMonth reads the month of a report: ?period= (or ?month=), YYYY-MM;
// without it, the last closed calendar month.
func reportMonth(r *http.Request) (relais.ReportPeriod, error) {
	q := r.URL.Query()
	return relais.ParseReportMonth(q.Get("month"), q.Get("period"), "", "", time.Now())
}

// monthName writes a month in words, in the page's language.
func (p *Page) monthName(t time.Time) string {
	months := strings.Split(p.T("reports.month_names"), "|")
	month := t.Month().String()
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return month + " " + strconv.Itoa(t.Year())
}

func (s *Server) loadReport(r *http.Request, v *visit, id int64, month relais.ReportPeriod) (*reportPage, error) {
	sv, err := s.App.Space(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	rep, err := s.App.Report(r.Context(), v.User, id, month.From, month.To)
	if err != nil {
		return nil, err
	}
	rp := &reportPage{Page: v.page(r, ""), Space: sv, Report: rep, Period: month.Month()}
	rp.Month = rp.monthName(month.From)
	rp.Title = rp.Tf("reports.title", sv.Name, rp.Month)
	rp.Path = app.ReportPath(id, rp.Period)
	rp.Prev = relais.MonthPeriod(month.From.AddDate(0, 0, -1)).Month()
	current := relais.MonthPeriod(time.Now())
	rp.Latest = current.Month()
	if next := month.End(); !next.After(current.From) {
		rp.Next = next.Format("2006-01")
	}
	rp.Writes = sv.Can.Narrate.Allowed() && !month.From.After(current.From)
	for _, n := range rep.Narratives {
		if n.Period == rp.Period {
			rp.Narrative = n.Narrative
		}
	}
	return rp, nil
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	month, err := reportMonth(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	rp, err := s.loadReport(r, v, id, month)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if r.URL.Query().Get("done") == "narrative" {
		rp.Notice = rp.T("reports.done.narrative")
	}
	s.render(w, r, http.StatusOK, "report", rp)
}

func (s *Server) setNarrative(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	period, typed := strings.TrimSpace(r.PostForm.Get("period")), r.PostForm.Get("narrative")
	if _, err := s.App.SetNarrative(r.Context(), v.User, id, period, typed); err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		// The form comes back on its month's report, or on the current
		// month's when the month asked for has not begun.
		month, perr := relais.ParseMonth("period", period)
		if current := relais.MonthPeriod(time.Now()); perr == nil && month.From.After(current.From) {
			month = current
		}
		var rp *reportPage
		if perr == nil {
			rp, perr = s.loadReport(r, v, id, month)
		}
		if perr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		rp.Narrative, rp.Error, rp.Rule = typed, msg, e.Rule
		s.render(w, r, status, "report", rp)
		return
	}
	http.Redirect(w, r, app.ReportPath(id, period)+"&done=narrative#narrative-h", http.StatusSeeOther)
}

// reportCSV exports the report of a month as CSV: a figure,value header,
// then one row per figure, as the API's export.
func (s *Server) reportCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	month, err := reportMonth(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	rep, err := s.App.Report(r.Context(), v.User, id, month.From, month.To)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+api.ReportCSVName(rep)+`"`)
	w.WriteHeader(http.StatusOK)
	api.WriteReportCSV(w, rep)
}

// CSV returns the address of the report's CSV export.
func (rp *reportPage) CSV() string {
	return "/spaces/" + strconv.FormatInt(rp.Space.ID, 10) + "/report.csv?period=" + url.QueryEscape(rp.Period)
}

// MonthPath returns the address of the report of another month.
func (rp *reportPage) MonthPath(period string) string { return app.ReportPath(rp.Space.ID, period) }

// reportFigure is one figure of the page: its text, or why it is hidden.
type reportFigure struct {
	Value string
	// Why is set when the figure is hidden: fewer than k people, or a
	// month not over yet.
	Why string
}

// reportRow is one row of the page's figures: its label, and the figure
// or why it is hidden (said beside the label, so that a phone's narrow
// column keeps the figure itself short).
type reportRow struct {
	Label string
	Sub   bool // a part of the row above
	reportFigure
}

// Row lays a figure out under its label.
func (rp *reportPage) Row(label string, f reportFigure, sub bool) reportRow {
	return reportRow{Label: label, Sub: sub, reportFigure: f}
}

// hidden explains why a suppressed figure shows "—".
func (rp *reportPage) hidden() reportFigure {
	if !rp.Report.Complete {
		return reportFigure{Why: rp.T("reports.withheld")}
	}
	return reportFigure{Why: rp.Tf("reports.hidden", rp.Report.K)}
}

// Fig returns a count of the report by name (as in its suppressed
// figures), or why it is hidden.
func (rp *reportPage) Fig(name string, v *int) reportFigure {
	if rp.Report.Hidden(name) || v == nil {
		return rp.hidden()
	}
	return reportFigure{Value: strconv.Itoa(*v)}
}

// AnswerRate writes the share of the month's threads that were answered.
func (rp *reportPage) AnswerRate() reportFigure {
	if rp.Report.Hidden(relais.FigureAnswerRate) {
		return rp.hidden()
	}
	if rp.Report.AnswerRate == nil {
		return reportFigure{Value: rp.T("reports.none")}
	}
	s := strconv.FormatFloat(*rp.Report.AnswerRate*100, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if rp.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return reportFigure{Value: rp.Tf("reports.percent", s)}
}

// MedianFirstResponse writes the median time to a first answer.
func (rp *reportPage) MedianFirstResponse() reportFigure {
	if rp.Report.Hidden(relais.FigureMedian) {
		return rp.hidden()
	}
	if rp.Report.MedianFirstResponse == nil {
		return reportFigure{Value: rp.T("reports.none")}
	}
	secs := *rp.Report.MedianFirstResponse
	switch {
	case secs < 60:
		return reportFigure{Value: rp.Tf("reports.duration.seconds", secs)}
	case secs < 3600:
		return reportFigure{Value: rp.Tf("reports.duration.minutes", secs/60)}
	case secs < 86400:
		return reportFigure{Value: rp.Tf("reports.duration.hours", secs/3600, secs/60%60)}
	}
	return reportFigure{Value: rp.Tf("reports.duration.days", secs/86400, secs/3600%24)}
}

// Source returns how many members came in one way during the month.
func (rp *reportPage) Source(src string) reportFigure {
	if rp.Report.Funnel == nil {
		return rp.hidden()
	}
	return rp.Fig("funnel.joined."+src, rp.Report.Funnel.JoinedBySource[src])
}

// Funnel returns a figure of the join funnel by name.
func (rp *reportPage) Funnel(name string) reportFigure {
	if rp.Report.Funnel == nil {
		return rp.hidden()
	}
	return rp.Fig("funnel."+name, rp.Report.Funnel.Figure(name))
}

// BenefitKind names a kind of benefit.
func (rp *reportPage) BenefitKind(k relais.BenefitKind) string {
	if !k.Valid() {
		return string(k)
	}
	return rp.T("reports.benefit." + string(k))
}

// Amount writes the declared value of a kind in its unit, or why it is
// hidden.
func (rp *reportPage) Amount(b relais.ReportBenefit) reportFigure {
	if b.Suppressed || b.Amount == nil {
		return rp.hidden()
	}
	n := b.Amount.String()
	if rp.Lang == "fr" {
		n = b.Amount.French()
	}
	switch b.Unit {
	case relais.UnitHours:
		return reportFigure{Value: rp.Tf("reports.unit.hours", n)}
	case relais.UnitEUR:
		return reportFigure{Value: rp.Tf("reports.unit.eur", n)}
	}
	return reportFigure{Value: n}
}

// DecisionOwner names whoever a decided signal was routed to.
func (rp *reportPage) DecisionOwner(d relais.ReportDecision) string {
	if d.UnitName != "" {
		return rp.Tf("signals.unit_owner", d.UnitName)
	}
	return d.OwnerName
}
