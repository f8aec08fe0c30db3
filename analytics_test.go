package relais_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"relais"
)

func TestParseAnalyticsWindow(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		period, since string
		first, last   relais.Month
		code, field   string
	}{
		{"", "", 202504, 202603, "", ""},
		{"2026-01", "", 202502, 202601, "", ""},
		{"2026-01", "2025-12", 202512, 202601, "", ""},
		{"2026-03", "2026-03", 202603, 202603, "", ""},
		{"2026-03", "2024-04", 202404, 202603, "", ""},
		{"2026-03", "2024-03", 0, 0, relais.EINVALID, "since"}, // 25 months
		{"2026-01", "2026-02", 0, 0, relais.EINVALID, "since"}, // reversed
		{"2026-04", "", 0, 0, relais.EUNPROCESSABLE, "period"}, // not begun
		{"2026-13", "", 0, 0, relais.EINVALID, "period"},
		{"2026-1", "", 0, 0, relais.EINVALID, "period"},
		{"2026-01-01", "", 0, 0, relais.EINVALID, "period"},
		{"1999-12", "", 0, 0, relais.EINVALID, "period"},
		{"", "2026-02-30", 0, 0, relais.EINVALID, "since"},
		{"", "mars", 0, 0, relais.EINVALID, "since"},
	} {
		w, err := relais.ParseAnalyticsWindow(tc.period, tc.since, now)
		if tc.code != "" {
			if relais.ErrorCode(err) != tc.code || relais.AsError(err).Field != tc.field {
				t.Errorf("%q %q: %v, want %s on %s", tc.period, tc.since, err, tc.code, tc.field)
			}
			continue
		}
		if err != nil || w.First != tc.first || w.Last != tc.last {
			t.Errorf("%q %q: %v %v, want %d..%d", tc.period, tc.since, w, err, tc.first, tc.last)
		}
	}
	w := relais.AnalyticsWindow{First: 202511, Last: 202602}
	if got := w.Months(); !slices.Equal(got, []relais.Month{202511, 202512, 202601, 202602}) {
		t.Errorf("Months = %v", got)
	}
	if m := relais.Month(202601); m.Add(-1) != 202512 || m.Add(12) != 202701 || m.String() != "2026-01" || m.Since(202411) != 14 {
		t.Errorf("month arithmetic: %d %d %s %d", m.Add(-1), m.Add(12), m, m.Since(202411))
	}
}

func TestDelayBuckets(t *testing.T) {
	// The delay a bucket stands for is within 5 % of any delay in it.
	for _, secs := range []int64{1, 2, 7, 59, 60, 61, 600, 3599, 3600, 7200, 86399, 86400, 7 * 86400, 90 * 86400} {
		got := relais.DelayOfBucket(relais.DelayBucket(secs))
		if math.Abs(float64(got-secs)) > math.Max(1, 0.05*float64(secs)) {
			t.Errorf("delay %d s in bucket %d, read back as %d s", secs, relais.DelayBucket(secs), got)
		}
	}
	if relais.DelayBucket(0) != 0 || relais.DelayOfBucket(0) != 0 {
		t.Error("an immediate answer is bucket 0, read as 0 s")
	}
	buckets := map[int]int64{}
	for _, s := range []int64{60, 120, 3600, 7200, 86400} {
		buckets[relais.DelayBucket(s)]++
	}
	if m, ok := relais.MedianOfBuckets(buckets); !ok || m < 3420 || m > 3780 {
		t.Errorf("median %d, want about 3600", m)
	}
	if _, ok := relais.MedianOfBuckets(nil); ok {
		t.Error("a median of nothing")
	}
}

func TestProtect(t *testing.T) {
	full := relais.Cell{Month: 202601, Members: 9, Posts: 20, Replies: 30, Answered: 15, Active: 8, Authors: 6, Repliers: 7,
		Responders: 5, Retained: 4, PrevActive: 6, Delays: map[int]int64{relais.DelayBucket(3600): 15}}
	a := relais.Protect(full, 5)
	if a.Suppressed || len(a.SuppressedFigures) != 0 || *a.Posts != 20 || *a.Replies != 30 || *a.ActiveMembers != 8 || *a.Members != 9 ||
		*a.AnswerRate != 0.75 || *a.Retention != 0.6667 || a.MedianFirstResponse == nil {
		t.Errorf("nothing to hide: %+v", a)
	}
	// Each figure has its own people: lowering one count hides only the
	// figures computed from it.
	for _, tc := range []struct {
		change func(*relais.Cell)
		hidden []string
	}{
		{func(c *relais.Cell) { c.Members = 4 }, []string{"members"}},
		{func(c *relais.Cell) { c.Authors = 4 }, []string{"posts", "median_first_response_seconds", "answer_rate"}},
		{func(c *relais.Cell) { c.Repliers = 4 }, []string{"replies"}},
		{func(c *relais.Cell) { c.Responders = 4 }, []string{"median_first_response_seconds", "answer_rate"}},
		{func(c *relais.Cell) { c.Active = 4 }, []string{"active_members", "retention"}},
		{func(c *relais.Cell) { c.PrevActive = 4 }, []string{"retention"}},
		{func(c *relais.Cell) { *c = relais.Cell{Month: 202601} }, relais.ActivityFigures},
	} {
		c := full
		tc.change(&c)
		a := relais.Protect(c, 5)
		got := slices.Sorted(slices.Values(a.SuppressedFigures))
		want := slices.Sorted(slices.Values(tc.hidden))
		if !slices.Equal(got, want) || !a.Suppressed {
			t.Errorf("suppressed %v, want %v", got, want)
		}
		for _, f := range tc.hidden {
			if a.Value(f) != "" || !a.Hidden(f) {
				t.Errorf("%s shown as %q while suppressed", f, a.Value(f))
			}
		}
	}
	// A higher k hides more: at k = 7 the 6 authors hide the posts that
	// k = 5 shows, the 7 repliers still show the replies.
	if a := relais.Protect(full, 7); a.Posts != nil || a.Replies == nil {
		t.Errorf("k = 7: posts %v, replies %v; want the posts hidden, the replies shown", a.Posts, a.Replies)
	}
}

func TestValidateK(t *testing.T) {
	for k, ok := range map[int]bool{-5: false, 0: false, 2: false, 3: false, 4: false, 5: true, 6: true, 50: true, 51: false} {
		if err := relais.ValidateK(k); (err == nil) != ok {
			t.Errorf("ValidateK(%d) = %v", k, err)
		}
	}
	// The refusal names the minimum, in French and in English.
	e := relais.AsError(relais.ValidateK(4))
	if e == nil || e.Code != relais.EUNPROCESSABLE || e.Field != "k" ||
		!strings.Contains(e.Message, "never below 5") || !strings.Contains(e.MessageFR, "jamais inférieur à 5") {
		t.Errorf("ValidateK(4) = %+v; want a 422 on k naming the minimum 5 in both languages", e)
	}
}

func TestKPIFigure(t *testing.T) {
	for _, tc := range []struct {
		horizon      relais.KPIHorizon
		metric, unit string
		want         string
	}{
		{relais.HorizonActivity, "Délai médian de première réponse", "h", relais.FigureMedian},
		{relais.HorizonActivity, "Clients actifs par mois", "membres", relais.FigureActiveMembers},
		{relais.HorizonActivity, "Taux de réponse", "%", relais.FigureAnswerRate},
		{relais.HorizonActivity, "Members", "", relais.FigureMembers},
		{relais.HorizonActivity, "Signaux transmis au Produit", "signaux", ""},
		{relais.HorizonValue, "Temps gagné déclaré", "h", string(relais.BenefitTimeSaved)},
		{relais.HorizonValue, "Réclamations évitées", "tickets", string(relais.BenefitQuality)},
		{relais.HorizonValue, "Revenue from referrals", "EUR", string(relais.BenefitRevenue)},
		{relais.HorizonValue, "Satisfaction", "", ""},
	} {
		if got := relais.KPIFigure(tc.horizon, tc.metric, tc.unit); got != tc.want {
			t.Errorf("KPIFigure(%s, %q, %q) = %q, want %q", tc.horizon, tc.metric, tc.unit, got, tc.want)
		}
	}
}

func TestPrivacyValidate(t *testing.T) {
	if err := relais.DefaultPrivacy.Validate(); err != nil {
		t.Error(err)
	}
	if err := (relais.Privacy{ProfileVisibility: "friends"}).Validate(); relais.ErrorCode(err) != relais.EINVALID {
		t.Errorf("unknown visibility: %v", err)
	}
}
