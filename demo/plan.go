package demo

import (
	"time"

	"relais"
)

// plan writes a small strategic plan in claire's name: two company
// objectives, three plan objectives with their workstreams and KPI
// targets, served by the communities Innovation Produits and Clients Pro.
// It changes no space, account or membership.
func (l *loader) plan(innovation, clients int64) {
	if l.err != nil {
		return
	}
	cm := l.users["claire"].ID
	due := func(months int) string { return l.now.AddDate(0, months, 0).Format(time.DateOnly) }

	company := func(title, desc string) int64 {
		if l.err != nil {
			return 0
		}
		c, err := relais.CompanyObjectiveInput{Title: title, Description: desc}.Validate()
		if err == nil {
			err = l.st.CreateCompanyObjective(l.ctx, cm, c)
		}
		if l.err = err; err != nil {
			return 0
		}
		return c.ID
	}
	objective := func(companyID int64, title, desc string) int64 {
		if l.err != nil {
			return 0
		}
		o, err := relais.PlanObjectiveInput{CompanyObjectiveID: companyID, Title: title, Description: desc}.Validate()
		if err == nil {
			err = l.st.CreatePlanObjective(l.ctx, cm, o)
		}
		if l.err = err; err != nil {
			return 0
		}
		return o.ID
	}
	workstream := func(objectiveID int64, in relais.WorkstreamInput) {
		if l.err != nil {
			return
		}
		w, err := in.Validate()
		if err == nil {
			w.PlanObjectiveID = objectiveID
			err = l.st.CreateWorkstream(l.ctx, cm, w)
		}
		l.err = err
	}
	kpi := func(objectiveID int64, in relais.KPITargetInput) {
		if l.err != nil {
			return
		}
		k, err := in.Validate()
		if err == nil {
			k.PlanObjectiveID = objectiveID
			err = l.st.CreateKPITarget(l.ctx, cm, k)
		}
		l.err = err
	}

	loyalty := company("Fidéliser nos clients professionnels",
		"Garder nos clients professionnels plus longtemps en les aidant mieux et plus vite.")
	innovate := company("Accélérer l'innovation produit",
		"Raccourcir le chemin entre un irritant vu sur le terrain et une amélioration livrée.")

	response := objective(loyalty, "Réduire le temps de réponse aux clients Pro",
		"Les questions d'usage des clients Pro trouvent une réponse en moins d'une journée.")
	mutualHelp := objective(loyalty, "Faire de Clients Pro un lieu d'entraide",
		"Les clients s'aident entre eux, nos experts interviennent sur les cas difficiles.")
	feedback := objective(innovate, "Faire remonter les irritants du terrain au Produit",
		"Chaque irritant récurrent devient un signal décidé par l'unité Produit.")

	workstream(response, relais.WorkstreamInput{Title: "Base de réponses partagée", Tools: "Relais, base de connaissances",
		Integrations: "Export mensuel des questions fréquentes vers le CRM", SMMHours: "120", Contributors: "6",
		BudgetPlanned: "8000", BudgetCommitted: "5000", BudgetSpent: "3200"})
	workstream(response, relais.WorkstreamInput{Title: "Permanence des experts", Tools: "Relais",
		SMMHours: "60", Contributors: "4", BudgetPlanned: "2000", BudgetCommitted: "2000", BudgetSpent: "1250.50"})
	workstream(mutualHelp, relais.WorkstreamInput{Title: "Programme de clients ambassadeurs", Tools: "Relais",
		SMMHours: "80", Contributors: "10", BudgetPlanned: "5000", BudgetCommitted: "5500", BudgetSpent: "2000"})
	workstream(feedback, relais.WorkstreamInput{Title: "Rituel mensuel des irritants", Tools: "Relais",
		SMMHours: "40", Contributors: "12", BudgetPlanned: "3000", BudgetCommitted: "1500", BudgetSpent: "1500"})
	workstream(feedback, relais.WorkstreamInput{Title: "Signaux vers l'outil de suivi Produit", Tools: "Relais, outil de tickets Produit",
		Integrations: "Webhook signal.decided vers l'outil de tickets", SMMHours: "24", Contributors: "3",
		BudgetPlanned: "12000", BudgetCommitted: "12000", BudgetSpent: "4500"})

	kpi(response, relais.KPITargetInput{Horizon: "activity", Metric: "Délai médian de première réponse", Target: "24", Unit: "h", Due: due(6)})
	kpi(response, relais.KPITargetInput{Horizon: "value", Metric: "Réclamations évitées", Target: "120", Unit: "tickets", Due: due(12)})
	kpi(mutualHelp, relais.KPITargetInput{Horizon: "activity", Metric: "Clients actifs par mois", Target: "60", Unit: "membres", Due: due(6)})
	kpi(feedback, relais.KPITargetInput{Horizon: "activity", Metric: "Signaux transmis au Produit", Target: "30", Unit: "signaux", Due: due(6)})
	kpi(feedback, relais.KPITargetInput{Horizon: "value", Metric: "Temps gagné déclaré", Target: "500", Unit: "h", Due: due(12)})

	for _, a := range []relais.Alignment{{SpaceID: innovation, PlanObjectiveID: feedback},
		{SpaceID: clients, PlanObjectiveID: response}, {SpaceID: clients, PlanObjectiveID: mutualHelp}} {
		if l.err == nil {
			_, l.err = l.st.SetAlignment(l.ctx, cm, a.SpaceID, a.PlanObjectiveID, true)
		}
	}
}
