package store_test

import (
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/store"
)

// The strategic plan in the store: each change checks what it refers to
// and what refers to it, and writes its row and its audit entry in one
// transaction; a refused change writes nothing.

// planAudit returns the actions of the audit trail on the plan, oldest
// first.
func planAudit(t *testing.T, s *store.Store) []string {
	t.Helper()
	entries, err := s.Audit(t.Context(), store.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		if strings.HasPrefix(entries[i].Action, "plan.") {
			out = append(out, entries[i].Action)
		}
	}
	return out
}

func TestPlanStore(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		cm := newUser(t, s, "cm", relais.RoleCommunityManager)
		space := newCommunity(t, s, "Idées", relais.JoinOpen)

		c := &relais.CompanyObjective{Title: "Fidéliser", Description: "Les clients restent."}
		if err := s.CreateCompanyObjective(ctx, cm.ID, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.CreatedAt.IsZero() {
			t.Fatalf("created %+v", c)
		}
		// A title taken, whatever its case, is a conflict that writes nothing.
		err := s.CreateCompanyObjective(ctx, cm.ID, &relais.CompanyObjective{Title: "FIDÉLISER"})
		wantCode(t, err, relais.ECONFLICT)
		if e := relais.AsError(err); e.Field != "title" || !strings.Contains(e.Message, "FIDÉLISER") || e.MessageFR == "" {
			t.Errorf("conflict %+v", e)
		}
		other := &relais.CompanyObjective{Title: "Innover"}
		if err := s.CreateCompanyObjective(ctx, cm.ID, other); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.UpdateCompanyObjective(ctx, cm.ID, &relais.CompanyObjective{ID: other.ID, Title: "fidéliser"}), relais.ECONFLICT)
		// Renaming to its own title in another case is no conflict.
		if err := s.UpdateCompanyObjective(ctx, cm.ID, &relais.CompanyObjective{ID: other.ID, Title: "INNOVER", Description: "Vite."}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.UpdateCompanyObjective(ctx, cm.ID, &relais.CompanyObjective{ID: 9999, Title: "x"}), relais.ENOTFOUND)
		got, err := s.CompanyObjectiveByID(ctx, other.ID)
		if err != nil || got.Title != "INNOVER" || got.Description != "Vite." || !got.CreatedAt.Equal(other.CreatedAt) {
			t.Fatalf("after update %+v, %v (created %v)", got, err, other.CreatedAt)
		}

		// A plan objective needs an existing company objective.
		o := &relais.PlanObjective{CompanyObjectiveID: 9999, Title: "Répondre vite"}
		err = s.CreatePlanObjective(ctx, cm.ID, o)
		wantCode(t, err, relais.ENOTFOUND)
		if f := relais.AsError(err).Field; f != "company_objective_id" {
			t.Errorf("field %q", f)
		}
		o.CompanyObjectiveID = c.ID
		if err := s.CreatePlanObjective(ctx, cm.ID, o); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CreatePlanObjective(ctx, cm.ID, &relais.PlanObjective{CompanyObjectiveID: other.ID, Title: " répondre VITE "}), relais.ECONFLICT)

		// Workstreams: unique titles per plan objective.
		w := &relais.Workstream{PlanObjectiveID: o.ID, Title: "Base", Tools: "Relais", SMMHours: 1250, Contributors: 3,
			BudgetPlanned: 100000, BudgetCommitted: 120000, BudgetSpent: 5}
		if err := s.CreateWorkstream(ctx, cm.ID, w); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CreateWorkstream(ctx, cm.ID, &relais.Workstream{PlanObjectiveID: o.ID, Title: "base"}), relais.ECONFLICT)
		wantCode(t, s.CreateWorkstream(ctx, cm.ID, &relais.Workstream{PlanObjectiveID: 9999, Title: "x"}), relais.ENOTFOUND)
		gw, err := s.WorkstreamByID(ctx, w.ID)
		if err != nil || gw.SMMHours != 1250 || gw.BudgetCommitted != 120000 || gw.Contributors != 3 || gw.Tools != "Relais" ||
			!slices.Equal(gw.Warnings, []string{relais.WarnOvercommitted}) {
			t.Fatalf("read back %+v, %v", gw, err)
		}
		w.BudgetSpent, w.Title = 200000, "Base partagée"
		if err := s.UpdateWorkstream(ctx, cm.ID, w); err != nil {
			t.Fatal(err)
		}
		if gw, _ = s.WorkstreamByID(ctx, w.ID); gw.BudgetSpent != 200000 || gw.Title != "Base partagée" || gw.PlanObjectiveID != o.ID {
			t.Errorf("after update %+v", gw)
		}
		wantCode(t, s.UpdateWorkstream(ctx, cm.ID, &relais.Workstream{ID: 9999, Title: "x"}), relais.ENOTFOUND)

		k := &relais.KPITarget{PlanObjectiveID: o.ID, Horizon: relais.HorizonActivity, Metric: "Délai", Target: 2400, Unit: "h", Due: "2027-01-31"}
		if err := s.CreateKPITarget(ctx, cm.ID, k); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CreateKPITarget(ctx, cm.ID, &relais.KPITarget{PlanObjectiveID: 9999, Horizon: "value", Metric: "m", Due: "2027-01-01"}), relais.ENOTFOUND)
		k.Horizon, k.Target = relais.HorizonValue, 1
		if err := s.UpdateKPITarget(ctx, cm.ID, k); err != nil {
			t.Fatal(err)
		}
		if gk, err := s.KPITargetByID(ctx, k.ID); err != nil || gk.Horizon != relais.HorizonValue || gk.Target != 1 || gk.Due != "2027-01-31" {
			t.Errorf("KPI %+v, %v", gk, err)
		}

		// Alignment: idempotent, audited when it changes.
		for _, c := range []struct {
			aligned, changed bool
		}{{true, true}, {true, false}, {false, true}, {false, false}, {true, true}} {
			changed, err := s.SetAlignment(ctx, cm.ID, space.ID, o.ID, c.aligned)
			if err != nil || changed != c.changed {
				t.Fatalf("SetAlignment(%v) = %v, %v; want changed %v", c.aligned, changed, err, c.changed)
			}
		}
		_, err = s.SetAlignment(ctx, cm.ID, 9999, o.ID, true)
		wantCode(t, err, relais.ENOTFOUND)
		_, err = s.SetAlignment(ctx, cm.ID, space.ID, 9999, true)
		wantCode(t, err, relais.ENOTFOUND)

		// What links to an objective keeps it.
		err = s.DeleteCompanyObjective(ctx, cm.ID, c.ID)
		wantCode(t, err, relais.ECONFLICT)
		if m := relais.AsError(err).Message; !strings.Contains(m, "1 plan objective") {
			t.Errorf("message %q", m)
		}
		err = s.DeletePlanObjective(ctx, cm.ID, o.ID)
		wantCode(t, err, relais.ECONFLICT)
		if m := relais.AsError(err).Message; !strings.Contains(m, "1 workstream, 1 KPI target, 1 aligned space") {
			t.Errorf("message %q", m)
		}
		rec, err := s.PlanRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Companies) != 2 || len(rec.Objectives) != 1 || len(rec.Workstreams) != 1 || len(rec.KPIs) != 1 ||
			!slices.Equal(rec.Alignments, []relais.Alignment{{SpaceID: space.ID, PlanObjectiveID: o.ID}}) {
			t.Fatalf("records %+v", rec)
		}
		if _, err := s.SetAlignment(ctx, cm.ID, space.ID, o.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteWorkstream(ctx, cm.ID, w.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.DeleteWorkstream(ctx, cm.ID, w.ID), relais.ENOTFOUND)
		if err := s.DeleteKPITarget(ctx, cm.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.DeleteKPITarget(ctx, cm.ID, k.ID), relais.ENOTFOUND)
		if err := s.DeletePlanObjective(ctx, cm.ID, o.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCompanyObjective(ctx, cm.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.DeleteCompanyObjective(ctx, cm.ID, c.ID), relais.ENOTFOUND)
		wantCode(t, s.DeletePlanObjective(ctx, cm.ID, o.ID), relais.ENOTFOUND)

		want := []string{
			relais.AuditCompanyObjectiveCreated, relais.AuditCompanyObjectiveCreated, relais.AuditCompanyObjectiveUpdated,
			relais.AuditPlanObjectiveCreated, relais.AuditWorkstreamCreated, relais.AuditWorkstreamUpdated, relais.AuditKPITargetCreated,
			relais.AuditKPITargetUpdated, relais.AuditSpaceAligned, relais.AuditSpaceUnaligned, relais.AuditSpaceAligned,
			relais.AuditSpaceUnaligned, relais.AuditWorkstreamDeleted, relais.AuditKPITargetDeleted, relais.AuditPlanObjectiveDeleted,
			relais.AuditCompanyObjectiveDeleted,
		}
		if got := planAudit(t, s); !slices.Equal(got, want) {
			t.Errorf("audit trail\n got %v\nwant %v", got, want)
		}
		entries, _ := s.Audit(ctx, store.AuditFilter{Limit: 200})
		for _, e := range entries {
			if e.Action == relais.AuditSpaceAligned && (e.SpaceID != space.ID || e.ActorID != cm.ID || e.Detail != "Répondre vite") {
				t.Errorf("alignment entry %+v", e)
			}
			if e.Action == relais.AuditWorkstreamUpdated && !strings.Contains(e.Detail, "2000 spent") {
				t.Errorf("workstream entry %+v", e)
			}
		}
		rec, err = s.PlanRecords(ctx)
		if err != nil || len(rec.Companies) != 1 || len(rec.Objectives) != 0 || len(rec.Workstreams) != 0 || len(rec.KPIs) != 0 || len(rec.Alignments) != 0 {
			t.Errorf("records at the end %+v, %v", rec, err)
		}
	})
}
