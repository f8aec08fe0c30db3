package web

import (
	"net/http"
	"strconv"
	"time"

	"relais"
	"relais/app"
)

// minePage is "what Relais brings me": the person's own figures, in terms
// of the work they already do, and their privacy settings. Nobody else
// sees this page's figures.
type minePage struct {
	Page
	Value   *app.MyValue
	Privacy relais.Privacy
	Latest  string
	Charts  []trendChart
	Notice  string
	Error   string
}

// Days writes the time saved in working days.
func (v *minePage) Days() string {
	s := strconv.FormatFloat(v.Value.TimeSavedDays, 'f', -1, 64)
	if v.Lang == "fr" {
		return frComma(s)
	}
	return s
}

func frComma(s string) string {
	for i := range s {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}

// AnswerShare writes the share of the person's threads that got an
// answer ("" without threads).
func (v *minePage) AnswerShare() string {
	t := v.Value.Totals
	if t.Questions == 0 {
		return ""
	}
	return v.SharePercent(float64(t.QuestionsAnswered) / float64(t.Questions))
}

func (s *Server) mine(w http.ResponseWriter, r *http.Request, v *visit) {
	s.renderMine(w, r, v, http.StatusOK, "")
}

func (s *Server) renderMine(w http.ResponseWriter, r *http.Request, v *visit, status int, errMsg string) {
	q := r.URL.Query()
	win, err := relais.ParseAnalyticsWindow(q.Get("period"), q.Get("since"), time.Now())
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	mp := &minePage{Page: v.page(r, ""), Latest: relais.MonthOf(time.Now()).String(), Error: errMsg}
	mp.Title = mp.T("mine.title")
	if mp.Value, err = s.App.MyValue(r.Context(), v.User, win); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if mp.Privacy, err = s.App.Privacy(r.Context(), v.User); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if q.Get("done") == "privacy" {
		mp.Notice = mp.T("mine.done.privacy")
	}
	var received, answered []trendPoint
	for _, m := range mp.Value.Months {
		month, _ := relais.ParseMonth("period", m.Period)
		label := mp.monthShort(relais.MonthOf(month.From))
		received = append(received, trendPoint{Label: label, Value: float64(m.AnswersReceived), Text: strconv.FormatInt(m.AnswersReceived, 10), Known: true})
		answered = append(answered, trendPoint{Label: label, Value: float64(m.AnswersGiven), Text: strconv.FormatInt(m.AnswersGiven, 10), Known: true})
	}
	if n := len(received); n > 0 {
		mp.Charts = append(mp.Charts,
			layoutTrend("mine-received", mp.T("mine.chart.received"), mp.Tf("mine.chart.desc", mp.T("mine.chart.received"), received[0].Label, received[n-1].Label), received, ""),
			layoutTrend("mine-given", mp.T("mine.chart.given"), mp.Tf("mine.chart.desc", mp.T("mine.chart.given"), answered[0].Label, answered[n-1].Label), answered, ""))
	}
	s.render(w, r, status, "mine", mp)
}

func (s *Server) setPrivacy(w http.ResponseWriter, r *http.Request, v *visit) {
	p := relais.Privacy{Leaderboard: r.PostForm.Get("leaderboard") == "on",
		ProfileVisibility: relais.ProfileVisibility(r.PostForm.Get("profile_visibility"))}
	if _, err := s.App.SetPrivacy(r.Context(), v.User, p); err != nil {
		status, _, msg := s.message(r, v.Lang, err)
		if status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		s.renderMine(w, r, v, status, msg)
		return
	}
	http.Redirect(w, r, "/me?done=privacy#privacy-h", http.StatusSeeOther)
}
