package app

import (
	"context"

	"relais"
	"relais/policy"
)

// The strategic plan: every employee reads it (policy.ReadPlan), only the
// community manager edits it (policy.Govern). Each change is checked by
// the policy first, then validated, then written and audited in one
// transaction.

// PlanAccess is the policy's answer to what a person may do with the
// plan: read it, and edit it.
type PlanAccess struct {
	Read policy.Decision
	Edit policy.Decision
}

// PlanAccess returns what the actor may do with the plan.
func (s *Service) PlanAccess(u *relais.User) PlanAccess {
	a := policy.ActorOf(u)
	return PlanAccess{Read: policy.Decide(a, policy.ReadPlan, policy.Target{}), Edit: policy.Decide(a, policy.Govern, policy.Target{})}
}

func planMayRead(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.ReadPlan, policy.Target{}).Err()
}

func planMayEdit(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{}).Err()
}

// Plan returns the whole plan as the actor sees it: the tree of objectives
// and workstreams with their totals, the KPI targets by horizon, and the
// alignment matrix of the spaces the actor may see (their names only).
func (s *Service) Plan(ctx context.Context, u *relais.User) (*relais.Plan, error) {
	if err := planMayRead(u); err != nil {
		return nil, err
	}
	rec, err := s.Store.PlanRecords(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := s.Spaces(ctx, u)
	if err != nil {
		return nil, err
	}
	spaces := make([]relais.PlanSpace, 0, len(vs))
	for _, v := range vs {
		spaces = append(spaces, relais.PlanSpace{ID: v.ID, Name: v.Name, Kind: v.Kind})
	}
	return rec.Tree(spaces), nil
}

// CompanyObjectives returns the company objectives to whoever may read
// the plan.
func (s *Service) CompanyObjectives(ctx context.Context, u *relais.User) ([]relais.CompanyObjective, error) {
	if err := planMayRead(u); err != nil {
		return nil, err
	}
	return s.Store.CompanyObjectives(ctx)
}

// CreateCompanyObjective records a company objective (the community
// manager).
func (s *Service) CreateCompanyObjective(ctx context.Context, u *relais.User, in relais.CompanyObjectiveInput) (*relais.CompanyObjective, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	c, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateCompanyObjective(ctx, u.ID, c); err != nil {
		return nil, err
	}
	return c, nil
}

// CompanyObjectiveChange is a change of a company objective: nil fields
// keep their value.
type CompanyObjectiveChange struct {
	Title       *string
	Description *string
}

// UpdateCompanyObjective changes a company objective (the community
// manager).
func (s *Service) UpdateCompanyObjective(ctx context.Context, u *relais.User, id int64, ch CompanyObjectiveChange) (*relais.CompanyObjective, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	cur, err := s.Store.CompanyObjectiveByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in := relais.CompanyObjectiveInput{Title: cur.Title, Description: cur.Description}
	planSet(&in.Title, ch.Title)
	planSet(&in.Description, ch.Description)
	c, err := in.Validate()
	if err != nil {
		return nil, err
	}
	c.ID = id
	if err := s.Store.UpdateCompanyObjective(ctx, u.ID, c); err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteCompanyObjective removes a company objective that no plan
// objective serves (the community manager).
func (s *Service) DeleteCompanyObjective(ctx context.Context, u *relais.User, id int64) error {
	if err := planMayEdit(u); err != nil {
		return err
	}
	if err := s.Store.DeleteCompanyObjective(ctx, u.ID, id); err != nil {
		return err
	}
	return nil
}

// PlanObjectives returns the plan objectives to whoever may read the plan.
func (s *Service) PlanObjectives(ctx context.Context, u *relais.User) ([]relais.PlanObjective, error) {
	if err := planMayRead(u); err != nil {
		return nil, err
	}
	return s.Store.PlanObjectives(ctx)
}

// CreatePlanObjective records a plan objective linked to a company
// objective (the community manager).
func (s *Service) CreatePlanObjective(ctx context.Context, u *relais.User, in relais.PlanObjectiveInput) (*relais.PlanObjective, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	o, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreatePlanObjective(ctx, u.ID, o); err != nil {
		return nil, err
	}
	return o, nil
}

// PlanObjectiveChange is a change of a plan objective: nil fields keep
// their value.
type PlanObjectiveChange struct {
	CompanyObjectiveID *int64
	Title              *string
	Description        *string
}

// UpdatePlanObjective changes a plan objective, possibly linking it to
// another company objective (the community manager).
func (s *Service) UpdatePlanObjective(ctx context.Context, u *relais.User, id int64, ch PlanObjectiveChange) (*relais.PlanObjective, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	cur, err := s.Store.PlanObjectiveByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in := relais.PlanObjectiveInput{CompanyObjectiveID: cur.CompanyObjectiveID, Title: cur.Title, Description: cur.Description}
	if ch.CompanyObjectiveID != nil {
		in.CompanyObjectiveID = *ch.CompanyObjectiveID
	}
	planSet(&in.Title, ch.Title)
	planSet(&in.Description, ch.Description)
	o, err := in.Validate()
	if err != nil {
		return nil, err
	}
	o.ID = id
	if err := s.Store.UpdatePlanObjective(ctx, u.ID, o); err != nil {
		return nil, err
	}
	return o, nil
}

// DeletePlanObjective removes a plan objective without workstreams, KPI
// targets or aligned spaces (the community manager).
func (s *Service) DeletePlanObjective(ctx context.Context, u *relais.User, id int64) error {
	if err := planMayEdit(u); err != nil {
		return err
	}
	if err := s.Store.DeletePlanObjective(ctx, u.ID, id); err != nil {
		return err
	}
	return nil
}

// CreateWorkstream records a workstream of a plan objective (the
// community manager).
func (s *Service) CreateWorkstream(ctx context.Context, u *relais.User, objectiveID int64, in relais.WorkstreamInput) (*relais.Workstream, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	w, err := in.Validate()
	if err != nil {
		return nil, err
	}
	w.PlanObjectiveID = objectiveID
	if err := s.Store.CreateWorkstream(ctx, u.ID, w); err != nil {
		return nil, err
	}
	return w, nil
}

// WorkstreamChange is a change of a workstream: nil fields keep their
// value; figures are decimal texts.
type WorkstreamChange struct {
	Title, Tools, Integrations                                          *string
	SMMHours, Contributors, BudgetPlanned, BudgetCommitted, BudgetSpent *string
}

// UpdateWorkstream changes a workstream (the community manager).
func (s *Service) UpdateWorkstream(ctx context.Context, u *relais.User, id int64, ch WorkstreamChange) (*relais.Workstream, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	cur, err := s.Store.WorkstreamByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in := relais.WorkstreamInput{Title: cur.Title, Tools: cur.Tools, Integrations: cur.Integrations,
		SMMHours: cur.SMMHours.String(), Contributors: fmtInt(cur.Contributors), BudgetPlanned: cur.BudgetPlanned.String(),
		BudgetCommitted: cur.BudgetCommitted.String(), BudgetSpent: cur.BudgetSpent.String()}
	for _, f := range []struct {
		to *string
		ch *string
	}{{&in.Title, ch.Title}, {&in.Tools, ch.Tools}, {&in.Integrations, ch.Integrations}, {&in.SMMHours, ch.SMMHours},
		{&in.Contributors, ch.Contributors}, {&in.BudgetPlanned, ch.BudgetPlanned}, {&in.BudgetCommitted, ch.BudgetCommitted},
		{&in.BudgetSpent, ch.BudgetSpent}} {
		planSet(f.to, f.ch)
	}
	w, err := in.Validate()
	if err != nil {
		return nil, err
	}
	w.ID = id
	if err := s.Store.UpdateWorkstream(ctx, u.ID, w); err != nil {
		return nil, err
	}
	return w, nil
}

// DeleteWorkstream removes a workstream (the community manager).
func (s *Service) DeleteWorkstream(ctx context.Context, u *relais.User, id int64) error {
	if err := planMayEdit(u); err != nil {
		return err
	}
	if err := s.Store.DeleteWorkstream(ctx, u.ID, id); err != nil {
		return err
	}
	return nil
}

// CreateKPITarget records a KPI target of a plan objective (the community
// manager).
func (s *Service) CreateKPITarget(ctx context.Context, u *relais.User, objectiveID int64, in relais.KPITargetInput) (*relais.KPITarget, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	k, err := in.Validate()
	if err != nil {
		return nil, err
	}
	k.PlanObjectiveID = objectiveID
	if err := s.Store.CreateKPITarget(ctx, u.ID, k); err != nil {
		return nil, err
	}
	return k, nil
}

// KPITargetChange is a change of a KPI target: nil fields keep their
// value.
type KPITargetChange struct {
	Horizon, Metric, Target, Unit, Due *string
}

// UpdateKPITarget changes a KPI target (the community manager).
func (s *Service) UpdateKPITarget(ctx context.Context, u *relais.User, id int64, ch KPITargetChange) (*relais.KPITarget, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	cur, err := s.Store.KPITargetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in := relais.KPITargetInput{Horizon: string(cur.Horizon), Metric: cur.Metric, Target: cur.Target.String(), Unit: cur.Unit, Due: cur.Due}
	planSet(&in.Horizon, ch.Horizon)
	planSet(&in.Metric, ch.Metric)
	planSet(&in.Target, ch.Target)
	planSet(&in.Unit, ch.Unit)
	planSet(&in.Due, ch.Due)
	k, err := in.Validate()
	if err != nil {
		return nil, err
	}
	k.ID = id
	if err := s.Store.UpdateKPITarget(ctx, u.ID, k); err != nil {
		return nil, err
	}
	return k, nil
}

// DeleteKPITarget removes a KPI target (the community manager).
func (s *Service) DeleteKPITarget(ctx context.Context, u *relais.User, id int64) error {
	if err := planMayEdit(u); err != nil {
		return err
	}
	if err := s.Store.DeleteKPITarget(ctx, u.ID, id); err != nil {
		return err
	}
	return nil
}

// AlignmentResult is a cell of the alignment matrix after a change.
type AlignmentResult struct {
	SpaceID         int64  `json:"space_id"`
	SpaceName       string `json:"space_name"`
	PlanObjectiveID int64  `json:"plan_objective_id"`
	Aligned         bool   `json:"aligned"`
	// Changed is false when the cell already held that value.
	Changed bool `json:"changed"`
}

// SetAlignment records whether a space serves a plan objective (the
// community manager). Communities and team spaces may both serve one, but
// only a space the actor may see: the plan names it, and shows nothing
// of its content.
func (s *Service) SetAlignment(ctx context.Context, u *relais.User, spaceID, objectiveID int64, aligned bool) (*AlignmentResult, error) {
	if err := planMayEdit(u); err != nil {
		return nil, err
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		if e, ok := err.(*relais.Error); ok && (e.Code == relais.ENOTFOUND || e.Code == relais.EFORBIDDEN) {
			// A space the actor may not see is one they cannot align.
			return nil, &relais.Error{Code: relais.ENOTFOUND, Field: "space_id", Message: "Space not found.", MessageFR: "Espace introuvable."}
		}
		return nil, err
	}
	changed, err := s.Store.SetAlignment(ctx, u.ID, spaceID, objectiveID, aligned)
	if err != nil {
		return nil, err
	}
	return &AlignmentResult{SpaceID: spaceID, SpaceName: v.Name, PlanObjectiveID: objectiveID, Aligned: aligned, Changed: changed}, nil
}

// planSet copies *from into *to when from is not nil.
func planSet(to, from *string) {
	if from != nil {
		*to = *from
	}
}
