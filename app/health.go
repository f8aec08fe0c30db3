package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"relais"
	"relais/overlap"
	"relais/store"
)

// GovernanceHealth checks the governance as it stands and returns what
// needs the community manager's attention, the most urgent first. It looks
// at communities; it names a team space only for a signal of it left
// unanswered (which the community manager follows anyway), and never says
// anything of what is written in one.
func (s *Service) GovernanceHealth(ctx context.Context, u *relais.User) (*relais.Health, error) {
	if err := cockpitGovern(u); err != nil {
		return nil, err
	}
	facts, err := s.Store.HealthFacts(ctx)
	if err != nil {
		return nil, err
	}
	capacity, err := s.Store.Capacity(ctx)
	if err != nil {
		return nil, err
	}
	return checkHealth(facts, capacity, time.Now().UTC()), nil
}

// checkHealth turns the facts into findings, as of now.
func checkHealth(facts *store.HealthFacts, capacity *relais.Capacity, now time.Time) *relais.Health {
	h := &relais.Health{CheckedAt: now, Findings: []relais.Finding{}, Skipped: []relais.FindingKind{}}
	add := func(f relais.Finding) { h.Findings = append(h.Findings, f) }
	for _, sp := range facts.Spaces {
		if sp.Kind != relais.SpaceCommunity {
			// A team space has its team's unit and its manager, and its
			// life is its own: the community manager does not see it, so
			// the plan cannot align it either, and a finding about it
			// would be one nobody in the cockpit can act on.
			continue
		}
		spacePaths := func(f relais.Finding) relais.Finding {
			f.SpaceID, f.SpaceName = sp.ID, sp.Name
			f.APIPath, f.WebPath = "/api/v1/spaces/"+fmtInt(sp.ID), "/spaces/"+fmtInt(sp.ID)
			return f
		}
		if sp.Objectives == 0 {
			f := spacePaths(relais.Finding{Kind: relais.FindingNoObjective, Severity: relais.HealthMedium,
				EN: "The community «" + sp.Name + "» serves no objective of the strategic plan.",
				FR: "La communauté « " + sp.Name + " » ne sert aucun objectif du plan stratégique."})
			// The alignment matrix of the plan is where to act.
			f.APIPath, f.WebPath = "/api/v1/plan", "/plan#alignment"
			add(f)
		}
		if sp.SponsorUnitID == 0 {
			add(spacePaths(relais.Finding{Kind: relais.FindingNoSponsor, Severity: relais.HealthMedium,
				EN: "The community «" + sp.Name + "» has no sponsor unit: nobody receives its reports nor answers for its value.",
				FR: "La communauté « " + sp.Name + " » n'a pas d'unité sponsor : personne ne reçoit ses rapports ni ne répond de sa valeur."}))
		}
		if sp.Stewards == 0 {
			add(spacePaths(relais.Finding{Kind: relais.FindingNoSteward, Severity: relais.HealthHigh,
				EN: "The community «" + sp.Name + "» has no steward: nobody animates it, moderates it or approves requests to join.",
				FR: "La communauté « " + sp.Name + " » n'a pas d'animateur : personne ne l'anime, ne la modère ni n'approuve les demandes d'adhésion."}))
		}
		if age := now.Sub(sp.CharterAt); age > relais.CharterReviewAge {
			days := int(age / (24 * time.Hour))
			f := spacePaths(relais.Finding{Kind: relais.FindingCharterStale, Severity: relais.HealthLow,
				EN: fmt.Sprintf("The charter of «%s» has not been reviewed for %d days (version %d).", sp.Name, days, sp.CharterVersion),
				FR: fmt.Sprintf("La charte de « %s » n'a pas été revue depuis %d jours (version %d).", sp.Name, days, sp.CharterVersion)})
			f.APIPath, f.WebPath = "/api/v1/spaces/"+fmtInt(sp.ID)+"/charters", "/spaces/"+fmtInt(sp.ID)+"/charter"
			f.Since = healthSince(sp.CharterAt)
			add(f)
		}
		last := sp.CreatedAt
		if sp.LastActivity != nil {
			last = *sp.LastActivity
		}
		if idle := now.Sub(last); idle > relais.InactiveAfter {
			days := int(idle / (24 * time.Hour))
			f := relais.Finding{Kind: relais.FindingInactive, Severity: relais.HealthMedium,
				EN: fmt.Sprintf("Nothing has been published in «%s» (thread or reply) for %d days.", sp.Name, days),
				FR: fmt.Sprintf("Rien n'a été publié dans « %s » (fil ou réponse) depuis %d jours.", sp.Name, days)}
			if sp.LastActivity == nil {
				f.EN = fmt.Sprintf("Nothing has been published in «%s» since it opened %d days ago.", sp.Name, days)
				f.FR = fmt.Sprintf("Rien n'a été publié dans « %s » depuis son ouverture il y a %d jours.", sp.Name, days)
			}
			f = spacePaths(f)
			f.APIPath, f.WebPath = "/api/v1/spaces/"+fmtInt(sp.ID)+"/report", "/spaces/"+fmtInt(sp.ID)+"/report"
			f.Since = healthSince(last)
			add(f)
		}
	}
	for _, g := range facts.StaleSignals {
		days := max(1, int(now.Sub(g.DueAt)/(24*time.Hour)))
		owner := g.OwnerName
		add(relais.Finding{Kind: relais.FindingSignalStale, Severity: relais.HealthHigh, SignalID: g.ID,
			SpaceID: g.Space.ID, SpaceName: g.Space.Name, Since: healthSince(g.DueAt),
			EN:      fmt.Sprintf("A signal of «%s», routed to %s, waits for an answer past its deadline (%s late).", g.Space.Name, owner, healthDaysEN(days)),
			FR:      fmt.Sprintf("Un signal de « %s », adressé à %s, attend une réponse après son échéance (%s de retard).", g.Space.Name, owner, healthDaysFR(days)),
			APIPath: "/api/v1/signals/" + fmtInt(g.ID), WebPath: "/signals/" + fmtInt(g.ID)})
	}
	for _, m := range capacity.SMMs {
		if !m.OverAllocated {
			continue
		}
		over := m.Allocated - m.Available
		add(relais.Finding{Kind: relais.FindingOverAllocated, Severity: relais.HealthHigh, UserID: m.UserID, UserName: m.Name,
			EN: fmt.Sprintf("%s is given %s h a week for %s h available (%s h too many).", m.Name, m.Allocated.Format("en"),
				m.Available.Format("en"), over.Format("en")),
			FR: fmt.Sprintf("%s a %s h par semaine attribuées pour %s h disponibles (%s h de trop).", m.Name, m.Allocated.Format("fr"),
				m.Available.Format("fr"), over.Format("fr")),
			APIPath: "/api/v1/capacity", WebPath: "/capacity#smm-" + fmtInt(m.UserID)})
	}
	for _, c := range facts.CoPilots {
		if age := now.Sub(c.Since); age > relais.CoPilotOverdueAfter {
			days := int(age / (24 * time.Hour))
			add(relais.Finding{Kind: relais.FindingCoPilotOverdue, Severity: relais.HealthMedium, UserID: c.UserID, UserName: c.Name,
				Since: healthSince(c.Since),
				EN: fmt.Sprintf("%s has been in co-pilot for %d days: complete their onboarding and end the period, or say why it goes on.",
					c.Name, days),
				FR: fmt.Sprintf("%s est en doubles commandes depuis %d jours : terminez son intégration et mettez fin à la période, ou dites pourquoi elle continue.",
					c.Name, days),
				APIPath: "/api/v1/users/" + fmtInt(c.UserID) + "/onboarding", WebPath: "/copilots/" + fmtInt(c.UserID)})
		}
	}
	h.Findings = append(h.Findings, overlaps(facts)...)
	rank := func(f relais.Finding) (int, int) {
		return slices.Index(relais.FindingSeverities, f.Severity), slices.Index(relais.FindingKinds, f.Kind)
	}
	slices.SortStableFunc(h.Findings, func(a, b relais.Finding) int {
		sa, ka := rank(a)
		sb, kb := rank(b)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ka, kb))
	})
	return h
}

// FindingAnchor is the id of a finding on the health page: its kind and
// what it concerns.
func FindingAnchor(f relais.Finding) string {
	switch {
	case f.SignalID != 0:
		return string(f.Kind) + "-signal-" + fmtInt(f.SignalID)
	case f.UserID != 0:
		return string(f.Kind) + "-user-" + fmtInt(f.UserID)
	case f.OtherSpaceID != 0:
		return string(f.Kind) + "-space-" + fmtInt(f.SpaceID) + "-" + fmtInt(f.OtherSpaceID)
	}
	return string(f.Kind) + "-space-" + fmtInt(f.SpaceID)
}

func healthSince(t time.Time) *time.Time { return &t }

func healthDaysEN(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

func healthDaysFR(n int) string {
	if n <= 1 {
		return strconv.Itoa(n) + " jour"
	}
	return strconv.Itoa(n) + " jours"
}

// overlaps finds the pairs of communities whose purposes (description and
// charter objective) are very similar, by the text similarity of the
// overlap package (TF-IDF cosine over the communities' purposes), at or
// above relais.OverlapSimilarity. The share of members they have in common
// is said too, but it does not make a finding by itself: a large open
// community shares members with every other one.
func overlaps(facts *store.HealthFacts) []relais.Finding {
	var comms []store.SpaceFacts
	for _, sp := range facts.Spaces {
		if sp.Kind == relais.SpaceCommunity {
			comms = append(comms, sp)
		}
	}
	docs := make([]overlap.Doc, len(comms))
	corpus := overlap.NewCorpus()
	for i, sp := range comms {
		docs[i] = overlap.Analyze(sp.Purpose)
		corpus.Add(docs[i])
	}
	vecs := make([]overlap.Vector, len(comms))
	for i := range comms {
		vecs[i] = corpus.Vector(docs[i])
	}
	var out []relais.Finding
	for i, a := range comms {
		for j := i + 1; j < len(comms); j++ {
			b := comms[j]
			if docs[i].Empty() || docs[j].Empty() {
				continue
			}
			sim := overlap.Cosine(vecs[i], vecs[j])
			if sim < relais.OverlapSimilarity {
				continue
			}
			shared := facts.SharedMembers[[2]int64{min(a.ID, b.ID), max(a.ID, b.ID)}]
			share := overlap.MemberShare(shared, min(a.Members, b.Members))
			pct, pctShared := int(sim*100+0.5), int(share*100+0.5)
			out = append(out, relais.Finding{Kind: relais.FindingOverlap, Severity: relais.HealthLow,
				SpaceID: a.ID, SpaceName: a.Name, OtherSpaceID: b.ID, OtherSpaceName: b.Name,
				EN: fmt.Sprintf("The communities «%s» and «%s» have very similar purposes (%d%% alike); %d%% of the smaller one's members belong to both. Should they merge?",
					a.Name, b.Name, pct, pctShared),
				FR: fmt.Sprintf("Les communautés « %s » et « %s » ont des objets très proches (%d %% de similarité) ; %d %% des membres de la plus petite sont dans les deux. Faut-il les réunir ?",
					a.Name, b.Name, pct, pctShared),
				APIPath: "/api/v1/spaces/" + fmtInt(a.ID), WebPath: "/spaces/" + fmtInt(a.ID)})
		}
	}
	return out
}
