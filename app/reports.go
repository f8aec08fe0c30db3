package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"relais"
	"relais/policy"
)

// Report returns the activity and value figures of a space over one
// calendar month, from its first day to its last (both included, UTC), to
// whoever may read its reports: its stewards, the community manager and
// its sponsor; a team's manager for the team space. Every figure computed
// from fewer than k people is null and listed as suppressed; the current
// month is not complete and withholds them all.
func (s *Service) Report(ctx context.Context, u *relais.User, spaceID int64, from, to time.Time) (*relais.Report, error) {
	now := time.Now()
	p, err := relais.NewReportMonth(from, to, now)
	if err != nil {
		return nil, err
	}
	v, _, err := s.may(ctx, u, spaceID, policy.ReadReport)
	if err != nil {
		return nil, err
	}
	return s.report(ctx, v.Space, p, now)
}

// report computes a space's report over a calendar month, protected.
func (s *Service) report(ctx context.Context, sp *relais.Space, p relais.ReportPeriod, now time.Time) (*relais.Report, error) {
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return nil, err
	}
	first, last := p.Months()
	// A team space's members follow the directory: it has no funnel.
	c, err := s.Store.Report(ctx, sp.ID, sp.Kind == relais.SpaceCommunity, p.Start(), p.End(), first, last)
	if err != nil {
		return nil, err
	}
	r := relais.ProtectReport(c, sp, p, p.Complete(now), k)
	r.GeneratedAt = now.UTC().Truncate(time.Second)
	return r, nil
}

// SetNarrative writes the steward's own words on a month (YYYY-MM) of a
// space's report; an empty text removes them. The stewards of a community
// write it, and a team's manager for the team space; the community manager
// and the sponsor read it.
func (s *Service) SetNarrative(ctx context.Context, u *relais.User, spaceID int64, period, text string) (*relais.ReportNarrative, error) {
	month, err := relais.ParseMonth("period", strings.TrimSpace(period))
	if err != nil {
		return nil, err
	}
	if month.From.After(relais.MonthPeriod(time.Now()).From) {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "period", Message: "A narrative is written for the current month or a past one.",
			MessageFR: "Le commentaire s'écrit pour le mois en cours ou un mois passé."}
	}
	text = strings.TrimSpace(text)
	switch {
	case utf8.RuneCountInString(text) > relais.MaxNarrative:
		return nil, &relais.Error{Code: relais.EINVALID, Field: "narrative", Message: "The narrative is longer than 20,000 characters.",
			MessageFR: "Le commentaire dépasse 20 000 caractères."}
	case !relais.ValidText(text):
		return nil, &relais.Error{Code: relais.EINVALID, Field: "narrative", Message: "The text holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	if _, _, err := s.may(ctx, u, spaceID, policy.NarrateReport); err != nil {
		return nil, err
	}
	n := &relais.ReportNarrative{SpaceID: spaceID, Period: month.Month(), Narrative: text, AuthorID: u.ID, AuthorName: u.Name}
	if err := s.Store.SetNarrative(ctx, n); err != nil {
		return nil, err
	}
	return n, nil
}

// DeliverMonthlyReports delivers, for each community, the report of the
// calendar month before now's, once: an in-app notification to every
// internal community manager and to the head of the sponsoring unit, and an
// e-mail to each of them who has an address. Several nodes may run it at
// once: the delivery of a space and month is recorded once, and only the
// call that records it notifies. It returns how many reports it delivered.
//
// The e-mails are queued once the delivery is recorded: a node that stops
// in between loses them (the notifications stay).
func (s *Service) DeliverMonthlyReports(ctx context.Context, now time.Time) (int, error) {
	p := relais.LastFullMonth(now)
	period := p.Month()
	sps, err := s.Store.UndeliveredReports(ctx, period, p.End())
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, sp := range sps {
		if ctx.Err() != nil {
			break
		}
		r, err := s.report(ctx, sp, p, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recipients, delivered, err := s.Store.DeliverReport(ctx, sp.ID, period, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !delivered {
			continue // another node did
		}
		n++
		subject := reportSubject(sp.Name, p.From)
		for _, rc := range recipients {
			if strings.TrimSpace(rc.Email) == "" {
				continue
			}
			if err := s.QueueMail(ctx, rc.Email, subject, reportMail(rc.Name, r, period)); err != nil {
				s.Log.Warn("reports: e-mail not queued", "space", sp.ID, "period", period, "user", rc.ID, "err", err)
			}
		}
	}
	return n, errors.Join(errs...)
}

// ReportPath is the path of a space's report page for a month.
func ReportPath(spaceID int64, period string) string {
	return "/spaces/" + strconv.FormatInt(spaceID, 10) + "/report?period=" + period
}

// oneLine puts a text on one line of at most max characters.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return s
}
