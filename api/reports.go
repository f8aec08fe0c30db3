package api

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"relais"
)

// reportRoutes are the routes of a space's report and of the value
// ledger: declared benefits.
func (s *Server) reportRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/spaces/{id}/report", Query: []string{"from", "to", "period", "format"}, Auth: true,
			Summary:  "A space's activity and value figures over a period (default: the last full calendar month; format=csv for the CSV export): its stewards, the community manager, its sponsor; a team's manager",
			Response: "Report", Status: 200, handle: s.report},
		{Method: "GET", Path: "/api/v1/spaces/{id}/report.csv", Query: []string{"from", "to", "period"}, Auth: true,
			Summary: "The report as text/csv: one figure,value row per figure, then the decisions and narratives", Status: 200, handle: s.reportCSV},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/report/narrative", Auth: true,
			Summary: "Write the steward's narrative of a month of the report (empty: remove it): the stewards of a community, a team's manager",
			Request: "NarrativeRequest", Response: "ReportNarrative", Status: 200, handle: s.setNarrative},
		{Method: "POST", Path: "/api/v1/benefits", Auth: true,
			Summary: "Declare a benefit on a post or a signal the caller can see: time_saved in hours, cost_avoided and revenue in EUR, quality and risk as a count",
			Request: "NewBenefit", Response: "Benefit", Status: 201, handle: s.declareBenefit},
		{Method: "GET", Path: "/api/v1/me/benefits", Query: []string{"before", "limit"}, Auth: true,
			Summary: "The benefits the caller declared, newest first, with their totals per kind and unit", Response: "BenefitList", Status: 200, handle: s.myBenefits},
	}
}

// reportPeriod reads the period of a report: period=YYYY-MM, or from and
// to (YYYY-MM-DD, to included), or nothing for the last full month.
func reportPeriod(r *http.Request) (from, to time.Time, err error) {
	q := r.URL.Query()
	month, fromRaw, toRaw := q.Get("period"), q.Get("from"), q.Get("to")
	switch {
	case month != "" && (fromRaw != "" || toRaw != ""):
		return from, to, &relais.Error{Code: relais.EINVALID, Field: "period", Message: "Give either period (YYYY-MM) or from and to (YYYY-MM-DD), not both.",
			MessageFR: "Indiquez soit period (AAAA-MM), soit from et to (AAAA-MM-JJ), pas les deux."}
	case month != "":
		p, err := relais.ParseMonth("period", month)
		return p.From, p.To, err
	case fromRaw == "" && toRaw == "":
		p := relais.LastFullMonth(time.Now())
		return p.From, p.To, nil
	case fromRaw == "" || toRaw == "":
		field := "from"
		if toRaw == "" {
			field = "to"
		}
		return from, to, &relais.Error{Code: relais.EINVALID, Field: field, Message: "Give both from and to (YYYY-MM-DD), or neither for the last full month.",
			MessageFR: "Indiquez from et to (AAAA-MM-JJ), ou aucun des deux pour le dernier mois complet."}
	}
	if from, err = queryDate(r, "from", time.Time{}); err != nil {
		return from, to, err
	}
	to, err = queryDate(r, "to", time.Time{})
	return from, to, err
}

func (s *Server) loadReport(r *http.Request, u *relais.User) (*relais.Report, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	from, to, err := reportPeriod(r)
	if err != nil {
		return nil, err
	}
	return s.App.Report(r.Context(), u, id, from, to)
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		return &relais.Error{Code: relais.EINVALID, Field: "format", Message: "The format is json or csv.", MessageFR: "Le format est json ou csv."}
	}
	rep, err := s.loadReport(r, u)
	if err != nil {
		return err
	}
	if format == "csv" {
		writeReportCSV(w, rep)
		return nil
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) reportCSV(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	rep, err := s.loadReport(r, u)
	if err != nil {
		return err
	}
	writeReportCSV(w, rep)
	return nil
}

// writeReportCSV writes a report as CSV: a figure,value header, then one
// row per figure.
func writeReportCSV(w http.ResponseWriter, rep *relais.Report) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-report-`+strconv.FormatInt(rep.SpaceID, 10)+"-"+rep.From+"-"+rep.To+`.csv"`)
	w.WriteHeader(http.StatusOK)
	WriteReportCSV(w, rep)
}

// WriteReportCSV writes a report as CSV: a figure,value header, then one
// row per figure, texts kept from reading as spreadsheet formulas. The web
// UI's export is the same.
func WriteReportCSV(w io.Writer, rep *relais.Report) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"figure", "value"})
	for _, f := range rep.Figures() {
		cw.Write([]string{f.Name, cellText(f.Value)})
	}
	cw.Flush()
}

// cellText keeps a spreadsheet from reading a text as a formula: a value
// that starts like one is prefixed with a quote.
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Server) setNarrative(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Period    *string `json:"period"`
		Narrative *string `json:"narrative"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Period == nil:
		return required("period")
	case in.Narrative == nil:
		return required("narrative")
	}
	n, err := s.App.SetNarrative(r.Context(), u, id, *in.Period, *in.Narrative)
	return writeResult(w, n, err)
}

func (s *Server) declareBenefit(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		PostID   *int64       `json:"post_id"`
		SignalID *int64       `json:"signal_id"`
		Kind     *string      `json:"kind"`
		Amount   *json.Number `json:"amount"`
		Unit     *string      `json:"unit"`
		Note     *string      `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Kind == nil:
		return required("kind")
	case in.Amount == nil:
		return required("amount")
	}
	nb := relais.NewBenefit{Kind: relais.BenefitKind(*in.Kind), Amount: in.Amount.String()}
	if in.PostID != nil {
		nb.PostID = *in.PostID
	}
	if in.SignalID != nil {
		nb.SignalID = *in.SignalID
	}
	if in.Unit != nil {
		nb.Unit = *in.Unit
	}
	if in.Note != nil {
		nb.Note = *in.Note
	}
	b, err := s.App.DeclareBenefit(r.Context(), u, nb)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) myBenefits(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	before, err := queryInt(r, "before", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	res, err := s.App.MyBenefits(r.Context(), u, before, int(limit))
	return writeResult(w, res, err)
}
