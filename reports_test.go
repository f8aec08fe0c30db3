package relais

import (
	"strings"
	"testing"
	"time"
)

func TestParseReportMonth(t *testing.T) {
	now := time.Date(2026, 5, 17, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		month, period, from, to string
		want                    string // the month, or the field of the error
		ok                      bool
	}{
		{"", "", "", "", "2026-04", true}, // the last closed month
		{"2026-03", "", "", "", "2026-03", true},
		{"", "2026-03", "", "", "2026-03", true},
		{" 2026-05 ", "", "", "", "2026-05", true}, // the current month
		{"", "", "2024-02-01", "2024-02-29", "2024-02", true},
		{"", "", "2026-05-01", "2026-05-31", "2026-05", true},
		{"2026-06", "", "", "", "month", false},
		{"", "2026-06", "", "", "period", false},
		{"", "", "2026-06-01", "2026-06-30", "month", false},
		{"1999-12", "", "", "", "month", false},
		{"2026-3", "", "", "", "month", false},
		{"2026-13", "", "", "", "month", false},
		{"mars", "", "", "", "month", false},
		{"2026-03", "2026-03", "", "", "period", false},
		{"2026-03", "", "2026-03-01", "2026-03-31", "month", false},
		{"", "2026-03", "", "2026-03-31", "period", false},
		{"", "", "2026-03-01", "", "to", false},
		{"", "", "", "2026-03-31", "from", false},
		{"", "", "2026-03-31", "2026-03-01", "to", false},   // reversed
		{"", "", "2026-03-01", "2026-03-30", "to", false},   // not the last day
		{"", "", "2026-03-02", "2026-03-31", "from", false}, // not the first day
		{"", "", "2026-03-01", "2026-04-30", "to", false},   // two months
		{"", "", "2026-03-15", "2026-04-14", "from", false}, // thirty days
		{"", "", "2025-02-01", "2025-02-29", "to", false},   // no such day
		{"", "", "2026/03/01", "2026-03-31", "from", false},
	} {
		p, err := ParseReportMonth(c.month, c.period, c.from, c.to, now)
		name := strings.Join([]string{c.month, c.period, c.from, c.to}, "|")
		if c.ok {
			if err != nil || p.Month() != c.want {
				t.Errorf("%s: %v, %v; want %s", name, p.Month(), err, c.want)
			}
			continue
		}
		e := AsError(err)
		if err == nil || e.Code != EINVALID || e.Field != c.want || e.MessageFR == "" || e.MessageFR == e.Message {
			t.Errorf("%s: %v (field %q), want a 400 on %s in both languages", name, err, e.Field, c.want)
		}
	}
	if p := LastFullMonth(now); p.Complete(now) != true || MonthPeriod(now).Complete(now) {
		t.Errorf("completeness: last month %v, current month %v", p.Complete(now), MonthPeriod(now).Complete(now))
	}
}

// marchCounts is a community's month: 8 people active, threads by 7,
// replies by 6, first responses by 5; six arrivals, five open and one
// by invitation; five people invited; time saved declared by 5 people.
func marchCounts() *ReportCounts {
	median := int64(3600)
	return &ReportCounts{SpaceID: 1, Active: 8, Posts: 11, Replies: 12, Answered: 6, MedianFirstResponse: &median,
		People:   ReportPeople{Authors: 7, Repliers: 6, Responders: 5, Declarants: map[BenefitKind]int64{BenefitTimeSaved: 5, BenefitRevenue: 1}},
		Benefits: []BenefitTotal{{Kind: BenefitTimeSaved, Unit: UnitHours, Amount: 1200, Count: 6}, {Kind: BenefitRevenue, Unit: UnitEUR, Amount: 99, Count: 1}},
		Funnel: &FunnelCounts{People: map[string]int{FunnelInvitationsSent: 5, FunnelRemoved: 1},
			Funnel: Funnel{InvitationsSent: 5, Removed: 1},
			Joins: []Join{{SourceOpen, 1}, {SourceOpen, 2}, {SourceOpen, 3}, {SourceOpen, 4}, {SourceOpen, 5},
				{SourceInvitation, 6}}}}
}

func TestProtectReport(t *testing.T) {
	month := MonthPeriod(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	sp := &Space{Name: "Atelier", Kind: SpaceCommunity}
	for _, c := range []struct {
		k      int
		hidden string
	}{
		{5, "new_members funnel.invitations_accepted funnel.invitations_declined funnel.requests_filed funnel.requests_approved " +
			"funnel.requests_refused funnel.joined funnel.joined.criteria funnel.joined.request funnel.joined.invitation funnel.joined.other " +
			"funnel.removed benefits.cost_avoided benefits.revenue benefits.quality benefits.risk"},
		{7, "new_members replies answered_threads answer_rate median_first_response_seconds funnel.invitations_sent " +
			"funnel.invitations_accepted funnel.invitations_declined funnel.requests_filed funnel.requests_approved funnel.requests_refused " +
			"funnel.joined funnel.joined.open funnel.joined.criteria funnel.joined.request funnel.joined.invitation funnel.joined.other " +
			"funnel.removed benefits.time_saved benefits.cost_avoided benefits.revenue benefits.quality benefits.risk"},
	} {
		r := ProtectReport(marchCounts(), sp, month, true, c.k)
		if got := strings.Join(r.SuppressedFigures, " "); got != c.hidden || !r.Suppressed || r.K != c.k {
			t.Errorf("k=%d: hidden %q, want %q", c.k, got, c.hidden)
		}
		// Every figure listed is null; every other one is not.
		for _, f := range r.Figures() {
			if f.Suppressed != (f.Value == "") {
				t.Errorf("k=%d: figure %+v", c.k, f)
			}
		}
		if c.k == 5 {
			// The total of arrivals would give the one invited person away
			// (6 - 5 open): it is hidden with its small part.
			if r.Funnel.Joined != nil || r.NewMembers != nil || *r.Funnel.JoinedBySource[SourceOpen] != 5 || r.Funnel.JoinedBySource[SourceInvitation] != nil {
				t.Errorf("arrivals %+v", r.Funnel)
			}
			if *r.Funnel.InvitationsSent != 5 || *r.Replies != 12 || *r.AnswerRate != 0.5455 || *r.MedianFirstResponse != 3600 {
				t.Errorf("shown figures %+v", r)
			}
			if b := r.Benefits[0]; *b.Amount != 1200 || *b.Count != 6 || b.Suppressed {
				t.Errorf("time saved %+v", b)
			}
			if b := r.Benefits[2]; b.Kind != BenefitRevenue || b.Amount != nil || !b.Suppressed {
				t.Errorf("revenue %+v", b)
			}
		}
	}
	// Two open arrivals more: the hidden part (one person) is still
	// below k, so the total stays hidden.
	c := marchCounts()
	c.Funnel.Joins = append(c.Funnel.Joins, Join{SourceOpen, 7}, Join{SourceOpen, 8})
	if r := ProtectReport(c, sp, month, true, 5); r.Funnel.Joined != nil || *r.Funnel.JoinedBySource[SourceOpen] != 7 {
		t.Errorf("one invited among eight: %+v", r.Funnel)
	}
	// Five invited people: no hidden part holds anyone, the total shows.
	c.Funnel.Joins = append(c.Funnel.Joins, Join{SourceInvitation, 9}, Join{SourceInvitation, 10}, Join{SourceInvitation, 11}, Join{SourceInvitation, 12})
	if r := ProtectReport(c, sp, month, true, 5); r.Funnel.Joined == nil || *r.Funnel.Joined != 12 || *r.NewMembers != 12 {
		t.Errorf("seven open, five invited: %+v", r.Funnel)
	}
	// The current month withholds every figure that counts people.
	r := ProtectReport(marchCounts(), sp, month, false, 5)
	if r.Complete || r.Posts != nil || r.ActiveMembers != nil || r.Funnel.InvitationsSent != nil || r.Benefits[0].Amount != nil ||
		len(r.SuppressedFigures) != 25 {
		t.Errorf("incomplete month: %+v", r.SuppressedFigures)
	}
	// A team space has no funnel, and no new members to hide.
	team := marchCounts()
	team.Funnel = nil
	if r := ProtectReport(team, &Space{Kind: SpaceTeam}, month, true, 5); r.Funnel != nil || r.NewMembers != nil || r.Hidden(FigureNewMembers) {
		t.Errorf("team report: %+v", r)
	}
}
