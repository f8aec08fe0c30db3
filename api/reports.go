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
		{Method: "GET", Path: "/api/v1/spaces/{id}/report", Query: []string{"month", "period", "from", "to", "format"}, Auth: true,
			Summary: "A space's activity and value figures over one calendar month: month=YYYY-MM, or from and to the first and last days of one month " +
				"(default: the last closed month; free date ranges are refused). A figure computed from fewer than k people is null and listed in " +
				"suppressed_figures; the current month is not complete and withholds them all. format=csv for the CSV export. " +
				"Its stewards, the community manager, its sponsor; a team's manager",
			Response: "SpaceReport", Status: 200, handle: s.report},
		{Method: "GET", Path: "/api/v1/spaces/{id}/report.csv", Query: []string{"month", "period", "from", "to"}, Auth: true,
			Summary: "The report as text/csv: one figure,value,suppressed row per figure (a suppressed figure is empty), then the decisions and narratives", Status: 200, handle: s.reportCSV},
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

func (s *Server) loadReport(r *http.Request, u *relais.User) (*relais.Report, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	p, err := relais.ParseReportMonth(q.Get("month"), q.Get("period"), q.Get("from"), q.Get("to"), time.Now())
	if err != nil {
		return nil, err
	}
	return s.App.Report(r.Context(), u, id, p.From, p.To)
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

// ReportCSVName is the file name of a report's CSV export.
func ReportCSVName(rep *relais.Report) string {
	return "relais-report-" + strconv.FormatInt(rep.SpaceID, 10) + "-" + rep.Month + ".csv"
}

// writeReportCSV writes a report as a CSV attachment.
func writeReportCSV(w http.ResponseWriter, rep *relais.Report) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ReportCSVName(rep)+`"`)
	w.WriteHeader(http.StatusOK)
	WriteReportCSV(w, rep)
}

// WriteReportCSV writes a report as CSV: a figure,value,suppressed header,
// then one row per figure, always the same rows whatever the month holds;
// a suppressed figure's value is empty. Texts are kept from reading as
// spreadsheet formulas. The web UI's export is the same.
func WriteReportCSV(w io.Writer, rep *relais.Report) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"figure", "value", "suppressed"})
	for _, f := range rep.Figures() {
		cw.Write([]string{f.Name, cellText(f.Value), strconv.FormatBool(f.Suppressed)})
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

// The schemas of a space's report join the document's.
func init() {
	if _, ok := queryParamSchema["month"]; !ok {
		queryParamSchema["month"] = map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$",
			"description": "a calendar month, YYYY-MM"}
	}
	addSchemas(reportSchemas)
}

var (
	repNullInt = map[string]any{"type": []string{"integer", "null"}, "minimum": 0,
		"description": "null when computed from fewer than k distinct people (listed in suppressed_figures)"}
	repDay = map[string]any{"type": "string", "format": "date"}
)

var reportSchemas = map[string]any{
	"ReportFunnel": obj([]string{"invitations_sent", "invitations_accepted", "invitations_declined", "requests_filed", "requests_approved",
		"requests_refused", "joined", "joined_by_source", "removed"}, map[string]any{
		"invitations_sent": repNullInt, "invitations_accepted": repNullInt, "invitations_declined": repNullInt,
		"requests_filed": repNullInt, "requests_approved": repNullInt, "requests_refused": repNullInt,
		"joined": repNullInt, "removed": repNullInt,
		"joined_by_source": obj([]string{"open", "criteria", "request", "invitation", "other"}, map[string]any{
			"open": repNullInt, "criteria": repNullInt, "request": repNullInt, "invitation": repNullInt, "other": repNullInt})}),
	"ReportBenefit": obj([]string{"kind", "unit", "amount", "count", "suppressed"}, map[string]any{
		"kind": benefitKinds, "unit": benefitUnits,
		"amount":     map[string]any{"type": []string{"number", "null"}, "description": "in the unit; null when fewer than k people declared this kind"},
		"count":      map[string]any{"type": []string{"integer", "null"}, "description": "how many declarations; null as amount"},
		"suppressed": boolean}),
	"SpaceReport": obj([]string{"space_id", "space_name", "space_kind", "month", "from", "to", "complete", "k", "new_members", "active_members",
		"posts", "replies", "answered_threads", "answer_rate", "median_first_response_seconds", "funnel", "signals_raised", "signals_decided",
		"decisions", "benefits", "narratives", "suppressed", "suppressed_figures", "generated_at"},
		map[string]any{
			"space_id": integer, "space_name": str, "space_kind": enum("community", "team"),
			"month":    map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "the calendar month the report covers"},
			"from":     repDay,
			"to":       map[string]any{"type": "string", "format": "date", "description": "the last day of the month, included"},
			"complete": map[string]any{"type": "boolean", "description": "false for the current month: its figures that count people are withheld until it ends"},
			"k":        map[string]any{"type": "integer", "description": "the suppression threshold: a figure computed from fewer than k distinct people is null"},
			"new_members": map[string]any{"type": []string{"integer", "null"}, "minimum": 0,
				"description": "arrivals in the community during the month; null when suppressed, and for a team space (not listed as suppressed then)"},
			"active_members": repNullInt, "posts": repNullInt, "replies": repNullInt, "answered_threads": repNullInt,
			"answer_rate": map[string]any{"type": []string{"number", "null"}, "minimum": 0, "maximum": 1,
				"description": "answered_threads / posts, to 4 decimals; null without threads, or when suppressed"},
			"median_first_response_seconds": map[string]any{"type": []string{"integer", "null"},
				"description": "median delay from a thread to its first reply by someone else, over answered threads; null without any, or when suppressed"},
			"funnel":          map[string]any{"anyOf": []any{ref("ReportFunnel"), map[string]any{"type": "null"}}, "description": "null for a team space"},
			"signals_raised":  integer,
			"signals_decided": integer,
			"decisions":       array(ref("ReportDecision")),
			"benefits": map[string]any{"type": "array", "items": ref("ReportBenefit"),
				"description": "every benefit kind, in order: what was declared during the month on the space's posts and signals"},
			"narratives": array(ref("ReportNarrative")),
			"suppressed": boolean,
			"suppressed_figures": map[string]any{"type": "array", "items": str,
				"description": "the figures shown as null: active_members, posts, replies, answered_threads, answer_rate, median_first_response_seconds, new_members, funnel.<figure>, funnel.joined.<source>, benefits.<kind>"},
			"generated_at": instant}),
}
