package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"relais"
)

// reportWords are the words of a monthly report's e-mail in one language.
// Users keep no language in Relais: the e-mail says the report in French,
// then in English.
type reportWords struct {
	months                                                [12]string
	subject, hello, intro, protect, hidden, withheld      string
	activity, newMembers, active, posts, replies          string
	answered, median                                      string
	joins, invitations, requests, arrivals                string
	signals, raised, decided, more                        string
	benefits, declaration, narrative, readAll             string
	colon, open, close, dateLayout, decimal, percent, day string
	status                                                map[relais.SignalStatus]string
	benefit                                               map[relais.BenefitKind]string
	hour, eur                                             string
}

var reportFR = reportWords{
	months:  [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	subject: "Rapport de %s — « %s »", hello: "Bonjour %s,", intro: "Voici le rapport de %s de la communauté « %s ».",
	protect: "Pour protéger les personnes, un chiffre calculé à partir de moins de %d personnes n'est jamais montré.",
	hidden:  "— (masqué : moins de %d personnes)", withheld: "— (retenu jusqu'à la fin du mois)",
	activity: "Activité", newMembers: "Nouveaux membres", active: "Membres actifs (ont publié ou répondu)", posts: "Fils ouverts",
	replies: "Réponses", answered: "Fils ayant reçu une réponse", median: "Délai médian de première réponse",
	joins: "Adhésions", invitations: "Invitations envoyées : %s (acceptées : %s, déclinées : %s)",
	requests: "Demandes d'adhésion : %s (approuvées : %s, refusées : %s)", arrivals: "Arrivées : %s ; retraits : %s",
	signals: "Signaux", raised: "Signaux transmis", decided: "Signaux décidés", more: "  … et %d autres décisions, sur la page du rapport.",
	benefits: "Bénéfices déclarés", declaration: "déclaration", narrative: "Le mot de l'animation (%s, %s)",
	readAll: "Lire le rapport complet : ", colon: " : ", open: "« ", close: " »", dateLayout: "02/01/2006", decimal: ",",
	percent: " %", day: " j ", hour: " heure", eur: " €",
	status: map[relais.SignalStatus]string{relais.SignalAccepted: "accepté", relais.SignalRejected: "refusé",
		relais.SignalPlanned: "planifié", relais.SignalDone: "réalisé"},
}

var reportEN = reportWords{
	months:  [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	subject: "Report of %s — “%s”", hello: "Hello %s,", intro: "Here is the report of %s of the community “%s”.",
	protect: "To protect people, a figure computed from fewer than %d people is never shown.",
	hidden:  "— (hidden: fewer than %d people)", withheld: "— (withheld until the month ends)",
	activity: "Activity", newMembers: "New members", active: "Active members (posted or replied)", posts: "Threads opened",
	replies: "Replies", answered: "Threads answered", median: "Median time to a first answer",
	joins: "Joining", invitations: "Invitations sent: %s (accepted: %s, declined: %s)",
	requests: "Requests to join: %s (approved: %s, refused: %s)", arrivals: "Arrivals: %s; removals: %s",
	signals: "Signals", raised: "Signals routed", decided: "Signals decided", more: "  … and %d more decisions, on the report's page.",
	benefits: "Declared benefits", declaration: "declaration", narrative: "The steward's word (%s, %s)",
	readAll: "Read the whole report: ", colon: ": ", open: "“", close: "”", dateLayout: "2006-01-02", decimal: ".",
	percent: "%", day: " d ", hour: " hour", eur: " EUR",
	status: map[relais.SignalStatus]string{relais.SignalAccepted: "accepted", relais.SignalRejected: "rejected",
		relais.SignalPlanned: "planned", relais.SignalDone: "done"},
	benefit: map[relais.BenefitKind]string{relais.BenefitTimeSaved: "Time saved", relais.BenefitCostAvoided: "Costs avoided",
		relais.BenefitRevenue: "Revenue", relais.BenefitQuality: "Quality (defects avoided)", relais.BenefitRisk: "Risks (incidents avoided)"},
}

// maxMailDecisions bounds the decisions an e-mail lists; the page has all.
const maxMailDecisions = 20

// month names a month in words.
func (w *reportWords) month(t time.Time) string {
	return w.months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// reportSubject is the subject of a month's report e-mail, in both
// languages.
func reportSubject(space string, month time.Time) string {
	return sprintf(reportFR.subject, reportFR.month(month), space) + " / " + sprintf(reportEN.subject, reportEN.month(month), space)
}

// reportMail is the plain-text summary of a monthly report: in French, then
// in English. A suppressed figure reads "—" with the reason, as on the page.
func reportMail(name string, r *relais.Report, period string) string {
	return reportFR.mail(name, r, period) + "\n———— English ————\n\n" + reportEN.mail(name, r, period)
}

// mail writes the report in one language.
func (w *reportWords) mail(name string, r *relais.Report, period string) string {
	var b strings.Builder
	line := func(s ...string) { b.WriteString(strings.Join(s, "") + "\n") }
	item := func(label, value string) { line("- ", label, w.colon, value) }
	n := strconv.Itoa
	hidden := sprintf(w.hidden, r.K)
	if !r.Complete {
		hidden = w.withheld
	}
	num := func(v *int) string {
		if v == nil {
			return hidden
		}
		return n(*v)
	}
	month, _ := relais.ParseMonth("period", period)
	line(sprintf(w.hello, name))
	line()
	line(sprintf(w.intro, w.month(month.From), r.SpaceName))
	if r.Suppressed {
		line(sprintf(w.protect, r.K))
	}
	line()
	line(w.activity)
	if r.Funnel != nil {
		item(w.newMembers, num(r.NewMembers))
	}
	item(w.active, num(r.ActiveMembers))
	item(w.posts, num(r.Posts))
	item(w.replies, num(r.Replies))
	switch {
	case r.AnsweredThreads == nil:
		item(w.answered, hidden)
	case r.AnswerRate != nil:
		item(w.answered, n(*r.AnsweredThreads)+" ("+w.percentOf(*r.AnswerRate)+")")
	default:
		item(w.answered, n(*r.AnsweredThreads))
	}
	switch {
	case r.Hidden(relais.FigureMedian):
		item(w.median, hidden)
	case r.MedianFirstResponse != nil:
		item(w.median, w.duration(*r.MedianFirstResponse))
	}
	if f := r.Funnel; f != nil {
		line()
		line(w.joins)
		line("- ", sprintf(w.invitations, num(f.InvitationsSent), num(f.InvitationsAccepted), num(f.InvitationsDeclined)))
		line("- ", sprintf(w.requests, num(f.RequestsFiled), num(f.RequestsApproved), num(f.RequestsRefused)))
		line("- ", sprintf(w.arrivals, num(f.Joined), num(f.Removed)))
	}
	line()
	line(w.signals)
	item(w.raised, n(r.SignalsRaised))
	item(w.decided, n(r.SignalsDecided))
	for i, d := range r.Decisions {
		if i == maxMailDecisions {
			line(sprintf(w.more, len(r.Decisions)-i))
			break
		}
		who := d.DeciderName
		if who == "" {
			who = d.OwnerName
		}
		text := "  • " + w.open + oneLine(d.Summary, 160) + w.close + " — " + w.status[d.Status]
		if d.Decision != "" {
			text += w.colon + oneLine(d.Decision, 300)
		}
		line(text, " (", who, ", ", d.DecidedAt.UTC().Format(w.dateLayout), ")")
	}
	line()
	line(w.benefits)
	for _, bt := range r.Benefits {
		label := bt.Kind.LabelFR()
		if w.benefit != nil {
			label = w.benefit[bt.Kind]
		}
		if bt.Amount == nil || bt.Count == nil {
			item(label, hidden)
			continue
		}
		item(label, w.amount(*bt.Amount, bt.Unit)+" ("+n(*bt.Count)+" "+w.declaration+plural(*bt.Count)+")")
	}
	for _, nv := range r.Narratives {
		line()
		line(sprintf(w.narrative, nv.Period, nv.AuthorName))
		line(nv.Narrative)
	}
	line()
	line(w.readAll, ReportPath(r.SpaceID, period))
	line()
	line("— Relais")
	return b.String()
}

// percentOf writes a share (0 to 1) as a percentage: 0.6667 is "66,7 %" in
// French, "66.7%" in English.
func (w *reportWords) percentOf(x float64) string {
	s := strconv.FormatFloat(x*100, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", w.decimal, 1) + w.percent
}

// duration writes seconds: "45 s", "12 min", "2 h 05 min", "3 j 4 h" (or
// "3 d 4 h").
func (w *reportWords) duration(secs int64) string {
	switch {
	case secs < 60:
		return strconv.FormatInt(secs, 10) + " s"
	case secs < 3600:
		return strconv.FormatInt(secs/60, 10) + " min"
	case secs < 86400:
		m := secs / 60 % 60
		return strconv.FormatInt(secs/3600, 10) + " h " + strconv.FormatInt(m/10, 10) + strconv.FormatInt(m%10, 10) + " min"
	}
	return strconv.FormatInt(secs/86400, 10) + w.day + strconv.FormatInt(secs/3600%24, 10) + " h"
}

// amount writes an amount with its unit.
func (w *reportWords) amount(a relais.Amount, unit string) string {
	s := a.String()
	if w.decimal != "." {
		s = a.French()
	}
	switch unit {
	case relais.UnitHours:
		return s + w.hour + plural(int(a/100))
	case relais.UnitEUR:
		return s + w.eur
	}
	return s
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// sprintf fills the %s and %d of a sentence.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
