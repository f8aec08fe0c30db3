package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"relais"
	"relais/events"
)

// The strategic plan: company objectives, plan objectives, workstreams, KPI
// targets and the alignment of spaces with plan objectives. Each change
// checks what it refers to and what refers to it, writes and audits in one
// transaction: a refused change writes nothing.

func planNotFound(field, en, fr string) error {
	return &relais.Error{Code: relais.ENOTFOUND, Field: field, Message: en, MessageFR: fr}
}

var (
	errCompanyObjectiveNotFound = func(field string) error {
		return planNotFound(field, "Company objective not found.", "Objectif d'entreprise introuvable.")
	}
	errPlanObjectiveNotFound = func(field string) error {
		return planNotFound(field, "Plan objective not found.", "Objectif du plan introuvable.")
	}
	errWorkstreamNotFound = planNotFound("", "Workstream not found.", "Chantier introuvable.")
	errKPITargetNotFound  = planNotFound("", "KPI target not found.", "Cible d'indicateur introuvable.")
)

// planSameTitle reports whether two titles are the same for people: equal but
// for case.
func planSameTitle(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// planTitleTaken reports whether a row of the query (id, title) other than
// self holds title.
func planTitleTaken(t *tx, self int64, title, q string, args ...any) (bool, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var other string
		if err := rows.Scan(&id, &other); err != nil {
			return false, err
		}
		if id != self && planSameTitle(other, title) {
			return true, nil
		}
	}
	return false, rows.Err()
}

func planQuoted(s string) string { return "«" + s + "»" }

// planExists reports whether a row matches a query of the form SELECT 1 …
func planExists(t *tx, q string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(q, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func planCount(t *tx, q string, args ...any) (int, error) {
	var n int
	err := t.queryRow(q, args...).Scan(&n)
	return n, err
}

// Company objectives.

const companyObjectiveColumns = "id, title, description, created_at"

func scanCompanyObjective(sc interface{ Scan(...any) error }) (relais.CompanyObjective, error) {
	var c relais.CompanyObjective
	var created int64
	err := sc.Scan(&c.ID, &c.Title, &c.Description, &created)
	c.CreatedAt = fromMillis(created)
	return c, err
}

func companyObjectives(t *tx) ([]relais.CompanyObjective, error) {
	rows, err := t.query("SELECT " + companyObjectiveColumns + " FROM company_objectives ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []relais.CompanyObjective{}
	for rows.Next() {
		c, err := scanCompanyObjective(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CompanyObjectives returns the company objectives, oldest first.
func (s *Store) CompanyObjectives(ctx context.Context) (out []relais.CompanyObjective, err error) {
	err = s.read(ctx, func(t *tx) error {
		out, err = companyObjectives(t)
		return err
	})
	return out, err
}

// CompanyObjectiveByID returns one company objective.
func (s *Store) CompanyObjectiveByID(ctx context.Context, id int64) (*relais.CompanyObjective, error) {
	var c relais.CompanyObjective
	err := s.read(ctx, func(t *tx) (err error) {
		c, err = scanCompanyObjective(t.queryRow("SELECT "+companyObjectiveColumns+" FROM company_objectives WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return errCompanyObjectiveNotFound("")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func companyTitleTaken(t *tx, self int64, title string) error {
	taken, err := planTitleTaken(t, self, title, "SELECT id, title FROM company_objectives")
	if err == nil && taken {
		err = &relais.Error{Code: relais.ECONFLICT, Field: "title",
			Message:   "A company objective titled " + planQuoted(title) + " already exists.",
			MessageFR: "Un objectif d'entreprise intitulé " + planQuoted(title) + " existe déjà."}
	}
	return err
}

// CreateCompanyObjective records a company objective, in the name of
// actorID. A title already taken (whatever its case) is a conflict.
func (s *Store) CreateCompanyObjective(ctx context.Context, actorID int64, c *relais.CompanyObjective) error {
	stamp(&c.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		if err := companyTitleTaken(t, 0, c.Title); err != nil {
			return err
		}
		if c.ID, err = t.insert("INSERT INTO company_objectives (title, description, created_at) VALUES (?, ?, ?)",
			c.Title, c.Description, millis(c.CreatedAt)); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: c.ID})
		return audit(t, actorID, relais.AuditCompanyObjectiveCreated, "company_objective", c.ID, 0, c.Title)
	})
}

// UpdateCompanyObjective changes the title and description of a company
// objective.
func (s *Store) UpdateCompanyObjective(ctx context.Context, actorID int64, c *relais.CompanyObjective) error {
	return s.write(ctx, func(t *tx) error {
		var created int64
		if err := t.queryRow("SELECT created_at FROM company_objectives WHERE id = ?", c.ID).Scan(&created); err == sql.ErrNoRows {
			return errCompanyObjectiveNotFound("")
		} else if err != nil {
			return err
		}
		c.CreatedAt = fromMillis(created)
		if err := companyTitleTaken(t, c.ID, c.Title); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE company_objectives SET title = ?, description = ? WHERE id = ?", c.Title, c.Description, c.ID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: c.ID})
		return audit(t, actorID, relais.AuditCompanyObjectiveUpdated, "company_objective", c.ID, 0, c.Title)
	})
}

// DeleteCompanyObjective removes a company objective that no plan
// objective serves; otherwise it is a conflict.
func (s *Store) DeleteCompanyObjective(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		var title string
		if err := t.queryRow("SELECT title FROM company_objectives WHERE id = ?", id).Scan(&title); err == sql.ErrNoRows {
			return errCompanyObjectiveNotFound("")
		} else if err != nil {
			return err
		}
		n, err := planCount(t, "SELECT COUNT(*) FROM plan_objectives WHERE company_objective_id = ?", id)
		if err != nil {
			return err
		}
		if n > 0 {
			return conflict("The company objective "+planQuoted(title)+" is still served by "+planPlural(n, "plan objective", "plan objectives")+": delete them or link them to another company objective first.",
				"L'objectif d'entreprise "+planQuoted(title)+" est encore servi par "+planPlural(n, "objectif du plan", "objectifs du plan")+" : supprimez-les ou reliez-les à un autre objectif d'entreprise d'abord.")
		}
		if _, err := t.exec("DELETE FROM company_objectives WHERE id = ?", id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditCompanyObjectiveDeleted, "company_objective", id, 0, title)
	})
}

func planPlural(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// Plan objectives.

const planObjectiveColumns = "id, COALESCE(company_objective_id, 0), title, description, created_at"

func scanPlanObjective(sc interface{ Scan(...any) error }) (relais.PlanObjective, error) {
	var o relais.PlanObjective
	var created int64
	err := sc.Scan(&o.ID, &o.CompanyObjectiveID, &o.Title, &o.Description, &created)
	o.CreatedAt = fromMillis(created)
	return o, err
}

func planObjectives(t *tx) ([]relais.PlanObjective, error) {
	rows, err := t.query("SELECT " + planObjectiveColumns + " FROM plan_objectives ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []relais.PlanObjective{}
	for rows.Next() {
		o, err := scanPlanObjective(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// PlanObjectives returns the plan objectives, oldest first.
func (s *Store) PlanObjectives(ctx context.Context) (out []relais.PlanObjective, err error) {
	err = s.read(ctx, func(t *tx) error {
		out, err = planObjectives(t)
		return err
	})
	return out, err
}

// PlanObjectiveByID returns one plan objective.
func (s *Store) PlanObjectiveByID(ctx context.Context, id int64) (*relais.PlanObjective, error) {
	var o relais.PlanObjective
	err := s.read(ctx, func(t *tx) (err error) {
		o, err = scanPlanObjective(t.queryRow("SELECT "+planObjectiveColumns+" FROM plan_objectives WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return errPlanObjectiveNotFound("")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// checkPlanObjective checks that the company objective exists and that
// the title is free.
func checkPlanObjective(t *tx, o *relais.PlanObjective) error {
	if ok, err := planExists(t, "SELECT 1 FROM company_objectives WHERE id = ?", o.CompanyObjectiveID); err != nil {
		return err
	} else if !ok {
		return errCompanyObjectiveNotFound("company_objective_id")
	}
	taken, err := planTitleTaken(t, o.ID, o.Title, "SELECT id, title FROM plan_objectives")
	if err == nil && taken {
		err = &relais.Error{Code: relais.ECONFLICT, Field: "title",
			Message:   "A plan objective titled " + planQuoted(o.Title) + " already exists.",
			MessageFR: "Un objectif du plan intitulé " + planQuoted(o.Title) + " existe déjà."}
	}
	return err
}

// CreatePlanObjective records a plan objective linked to an existing
// company objective.
func (s *Store) CreatePlanObjective(ctx context.Context, actorID int64, o *relais.PlanObjective) error {
	stamp(&o.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		o.ID = 0
		if err := checkPlanObjective(t, o); err != nil {
			return err
		}
		if o.ID, err = t.insert("INSERT INTO plan_objectives (company_objective_id, title, description, created_at) VALUES (?, ?, ?, ?)",
			o.CompanyObjectiveID, o.Title, o.Description, millis(o.CreatedAt)); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: o.ID})
		return audit(t, actorID, relais.AuditPlanObjectiveCreated, "plan_objective", o.ID, 0, o.Title)
	})
}

// UpdatePlanObjective changes a plan objective: its company objective,
// title and description.
func (s *Store) UpdatePlanObjective(ctx context.Context, actorID int64, o *relais.PlanObjective) error {
	return s.write(ctx, func(t *tx) error {
		var created int64
		if err := t.queryRow("SELECT created_at FROM plan_objectives WHERE id = ?", o.ID).Scan(&created); err == sql.ErrNoRows {
			return errPlanObjectiveNotFound("")
		} else if err != nil {
			return err
		}
		o.CreatedAt = fromMillis(created)
		if err := checkPlanObjective(t, o); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE plan_objectives SET company_objective_id = ?, title = ?, description = ? WHERE id = ?",
			o.CompanyObjectiveID, o.Title, o.Description, o.ID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: o.ID})
		return audit(t, actorID, relais.AuditPlanObjectiveUpdated, "plan_objective", o.ID, 0, o.Title)
	})
}

// DeletePlanObjective removes a plan objective that has no workstream, no
// KPI target and no space serving it; otherwise it is a conflict.
func (s *Store) DeletePlanObjective(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		var title string
		if err := t.queryRow("SELECT title FROM plan_objectives WHERE id = ?", id).Scan(&title); err == sql.ErrNoRows {
			return errPlanObjectiveNotFound("")
		} else if err != nil {
			return err
		}
		var en, fr []string
		for _, c := range []struct {
			table, one, other, oneFR, otherFR string
		}{
			{"workstreams", "workstream", "workstreams", "chantier", "chantiers"},
			{"kpi_targets", "KPI target", "KPI targets", "cible d'indicateur", "cibles d'indicateurs"},
			{"space_objectives", "aligned space", "aligned spaces", "espace aligné", "espaces alignés"},
		} {
			n, err := planCount(t, "SELECT COUNT(*) FROM "+c.table+" WHERE plan_objective_id = ?", id)
			if err != nil {
				return err
			}
			if n > 0 {
				en, fr = append(en, planPlural(n, c.one, c.other)), append(fr, planPlural(n, c.oneFR, c.otherFR))
			}
		}
		if len(en) > 0 {
			return conflict("The plan objective "+planQuoted(title)+" still has "+strings.Join(en, ", ")+": remove them first.",
				"L'objectif du plan "+planQuoted(title)+" a encore "+strings.Join(fr, ", ")+" : retirez-les d'abord.")
		}
		if _, err := t.exec("DELETE FROM plan_objectives WHERE id = ?", id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditPlanObjectiveDeleted, "plan_objective", id, 0, title)
	})
}

// Workstreams.

const workstreamColumns = `id, plan_objective_id, title, tools, integrations, smm_hours, contributors,
	budget_planned, budget_committed, budget_spent, created_at`

func scanWorkstream(sc interface{ Scan(...any) error }) (relais.Workstream, error) {
	var w relais.Workstream
	var hours, planned, committed, spent, created int64
	err := sc.Scan(&w.ID, &w.PlanObjectiveID, &w.Title, &w.Tools, &w.Integrations, &hours, &w.Contributors,
		&planned, &committed, &spent, &created)
	w.SMMHours, w.BudgetPlanned, w.BudgetCommitted, w.BudgetSpent = relais.Amount(hours), relais.Amount(planned), relais.Amount(committed), relais.Amount(spent)
	w.CreatedAt = fromMillis(created)
	w.Flag()
	return w, err
}

// WorkstreamByID returns one workstream.
func (s *Store) WorkstreamByID(ctx context.Context, id int64) (*relais.Workstream, error) {
	var w relais.Workstream
	err := s.read(ctx, func(t *tx) (err error) {
		w, err = scanWorkstream(t.queryRow("SELECT "+workstreamColumns+" FROM workstreams WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return errWorkstreamNotFound
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &w, nil
}

func workstreamTitleTaken(t *tx, w *relais.Workstream) error {
	taken, err := planTitleTaken(t, w.ID, w.Title, "SELECT id, title FROM workstreams WHERE plan_objective_id = ?", w.PlanObjectiveID)
	if err == nil && taken {
		err = &relais.Error{Code: relais.ECONFLICT, Field: "title",
			Message:   "This plan objective already has a workstream titled " + planQuoted(w.Title) + ".",
			MessageFR: "Cet objectif du plan a déjà un chantier intitulé " + planQuoted(w.Title) + "."}
	}
	return err
}

// workstreamDetail is what the audit trail keeps of a workstream's figures.
func workstreamDetail(w *relais.Workstream) string {
	return w.Title + " · SMM " + w.SMMHours.String() + " h · " + strconv.FormatInt(w.Contributors, 10) + " contributors · EUR " +
		w.BudgetPlanned.String() + " planned / " + w.BudgetCommitted.String() + " committed / " + w.BudgetSpent.String() + " spent"
}

// CreateWorkstream records a workstream of an existing plan objective.
func (s *Store) CreateWorkstream(ctx context.Context, actorID int64, w *relais.Workstream) error {
	stamp(&w.CreatedAt)
	w.Flag()
	return s.write(ctx, func(t *tx) (err error) {
		w.ID = 0
		if ok, err := planExists(t, "SELECT 1 FROM plan_objectives WHERE id = ?", w.PlanObjectiveID); err != nil {
			return err
		} else if !ok {
			return errPlanObjectiveNotFound("plan_objective_id")
		}
		if err := workstreamTitleTaken(t, w); err != nil {
			return err
		}
		if w.ID, err = t.insert(`INSERT INTO workstreams (plan_objective_id, title, tools, integrations, smm_hours, contributors,
			budget_planned, budget_committed, budget_spent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.PlanObjectiveID, w.Title, w.Tools, w.Integrations, int64(w.SMMHours), w.Contributors,
			int64(w.BudgetPlanned), int64(w.BudgetCommitted), int64(w.BudgetSpent), millis(w.CreatedAt)); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: w.ID})
		return audit(t, actorID, relais.AuditWorkstreamCreated, "workstream", w.ID, 0, workstreamDetail(w))
	})
}

// UpdateWorkstream changes a workstream's texts and figures; it stays with
// its plan objective.
func (s *Store) UpdateWorkstream(ctx context.Context, actorID int64, w *relais.Workstream) error {
	w.Flag()
	return s.write(ctx, func(t *tx) error {
		var created int64
		if err := t.queryRow("SELECT plan_objective_id, created_at FROM workstreams WHERE id = ?", w.ID).Scan(&w.PlanObjectiveID, &created); err == sql.ErrNoRows {
			return errWorkstreamNotFound
		} else if err != nil {
			return err
		}
		w.CreatedAt = fromMillis(created)
		if err := workstreamTitleTaken(t, w); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE workstreams SET title = ?, tools = ?, integrations = ?, smm_hours = ?, contributors = ?,
			budget_planned = ?, budget_committed = ?, budget_spent = ? WHERE id = ?`,
			w.Title, w.Tools, w.Integrations, int64(w.SMMHours), w.Contributors,
			int64(w.BudgetPlanned), int64(w.BudgetCommitted), int64(w.BudgetSpent), w.ID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: w.ID})
		return audit(t, actorID, relais.AuditWorkstreamUpdated, "workstream", w.ID, 0, workstreamDetail(w))
	})
}

// DeleteWorkstream removes a workstream.
func (s *Store) DeleteWorkstream(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		var title string
		if err := t.queryRow("SELECT title FROM workstreams WHERE id = ?", id).Scan(&title); err == sql.ErrNoRows {
			return errWorkstreamNotFound
		} else if err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM workstreams WHERE id = ?", id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditWorkstreamDeleted, "workstream", id, 0, title)
	})
}

// KPI targets.

const kpiColumns = "id, plan_objective_id, horizon, metric, target, unit, due, created_at"

func scanKPITarget(sc interface{ Scan(...any) error }) (relais.KPITarget, error) {
	var k relais.KPITarget
	var horizon string
	var target, created int64
	err := sc.Scan(&k.ID, &k.PlanObjectiveID, &horizon, &k.Metric, &target, &k.Unit, &k.Due, &created)
	k.Horizon, k.Target, k.CreatedAt = relais.KPIHorizon(horizon), relais.Amount(target), fromMillis(created)
	return k, err
}

// KPITargetByID returns one KPI target.
func (s *Store) KPITargetByID(ctx context.Context, id int64) (*relais.KPITarget, error) {
	var k relais.KPITarget
	err := s.read(ctx, func(t *tx) (err error) {
		k, err = scanKPITarget(t.queryRow("SELECT "+kpiColumns+" FROM kpi_targets WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return errKPITargetNotFound
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &k, nil
}

func kpiDetail(k *relais.KPITarget) string {
	return string(k.Horizon) + " · " + k.Metric + " · " + strings.TrimSpace(k.Target.String()+" "+k.Unit) + " · " + k.Due
}

// CreateKPITarget records a KPI target of an existing plan objective.
func (s *Store) CreateKPITarget(ctx context.Context, actorID int64, k *relais.KPITarget) error {
	stamp(&k.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		if ok, err := planExists(t, "SELECT 1 FROM plan_objectives WHERE id = ?", k.PlanObjectiveID); err != nil {
			return err
		} else if !ok {
			return errPlanObjectiveNotFound("plan_objective_id")
		}
		if k.ID, err = t.insert("INSERT INTO kpi_targets (plan_objective_id, horizon, metric, target, unit, due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			k.PlanObjectiveID, string(k.Horizon), k.Metric, int64(k.Target), k.Unit, k.Due, millis(k.CreatedAt)); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: k.ID})
		return audit(t, actorID, relais.AuditKPITargetCreated, "kpi_target", k.ID, 0, kpiDetail(k))
	})
}

// UpdateKPITarget changes a KPI target; it stays with its plan objective.
func (s *Store) UpdateKPITarget(ctx context.Context, actorID int64, k *relais.KPITarget) error {
	return s.write(ctx, func(t *tx) error {
		var created int64
		if err := t.queryRow("SELECT plan_objective_id, created_at FROM kpi_targets WHERE id = ?", k.ID).Scan(&k.PlanObjectiveID, &created); err == sql.ErrNoRows {
			return errKPITargetNotFound
		} else if err != nil {
			return err
		}
		k.CreatedAt = fromMillis(created)
		if _, err := t.exec("UPDATE kpi_targets SET horizon = ?, metric = ?, target = ?, unit = ?, due = ? WHERE id = ?",
			string(k.Horizon), k.Metric, int64(k.Target), k.Unit, k.Due, k.ID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: k.ID})
		return audit(t, actorID, relais.AuditKPITargetUpdated, "kpi_target", k.ID, 0, kpiDetail(k))
	})
}

// DeleteKPITarget removes a KPI target.
func (s *Store) DeleteKPITarget(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		var metric string
		if err := t.queryRow("SELECT metric FROM kpi_targets WHERE id = ?", id).Scan(&metric); err == sql.ErrNoRows {
			return errKPITargetNotFound
		} else if err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM kpi_targets WHERE id = ?", id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PlanChanged, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditKPITargetDeleted, "kpi_target", id, 0, metric)
	})
}

// Alignment.

// SetAlignment records that a space serves a plan objective (aligned), or
// no longer does. Setting what already holds changes nothing and is not
// audited; changed says whether anything changed.
func (s *Store) SetAlignment(ctx context.Context, actorID, spaceID, objectiveID int64, aligned bool) (changed bool, err error) {
	err = s.write(ctx, func(t *tx) error {
		changed = false
		var title string
		if err := t.queryRow("SELECT title FROM plan_objectives WHERE id = ?", objectiveID).Scan(&title); err == sql.ErrNoRows {
			return errPlanObjectiveNotFound("plan_objective_id")
		} else if err != nil {
			return err
		}
		if ok, err := planExists(t, "SELECT 1 FROM spaces WHERE id = ?", spaceID); err != nil {
			return err
		} else if !ok {
			return planNotFound("space_id", "Space not found.", "Espace introuvable.")
		}
		was, err := planExists(t, "SELECT 1 FROM space_objectives WHERE space_id = ? AND plan_objective_id = ?", spaceID, objectiveID)
		if err != nil || was == aligned {
			return err
		}
		action := relais.AuditSpaceAligned
		if aligned {
			_, err = t.exec("INSERT INTO space_objectives (space_id, plan_objective_id) VALUES (?, ?)", spaceID, objectiveID)
		} else {
			action = relais.AuditSpaceUnaligned
			_, err = t.exec("DELETE FROM space_objectives WHERE space_id = ? AND plan_objective_id = ?", spaceID, objectiveID)
		}
		if err != nil {
			return err
		}
		changed = true
		t.emit(events.Event{Kind: events.PlanChanged, SpaceID: spaceID, ActorID: actorID, Subject: objectiveID})
		return audit(t, actorID, action, "plan_objective", objectiveID, spaceID, title)
	})
	return changed, err
}

// PlanRecords reads the whole plan: objectives, workstreams, KPI targets
// and alignments, each list oldest first.
func (s *Store) PlanRecords(ctx context.Context) (*relais.PlanRecords, error) {
	rec := &relais.PlanRecords{}
	err := s.read(ctx, func(t *tx) (err error) {
		if rec.Companies, err = companyObjectives(t); err != nil {
			return err
		}
		if rec.Objectives, err = planObjectives(t); err != nil {
			return err
		}
		rows, err := t.query("SELECT " + workstreamColumns + " FROM workstreams ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			w, err := scanWorkstream(rows)
			if err != nil {
				rows.Close()
				return err
			}
			rec.Workstreams = append(rec.Workstreams, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query("SELECT " + kpiColumns + " FROM kpi_targets ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			k, err := scanKPITarget(rows)
			if err != nil {
				rows.Close()
				return err
			}
			rec.KPIs = append(rec.KPIs, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query("SELECT space_id, plan_objective_id FROM space_objectives ORDER BY space_id, plan_objective_id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a relais.Alignment
			if err := rows.Scan(&a.SpaceID, &a.PlanObjectiveID); err != nil {
				return err
			}
			rec.Alignments = append(rec.Alignments, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}
