package app

import (
	"context"

	"relais"
	"relais/policy"
)

// govern returns the policy's answer to whether the actor governs: edits
// the catalog and decides space requests (the internal community
// manager).
func govern(u *relais.User) policy.Decision {
	return policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{})
}

// Governs reports whether the actor edits the catalog and decides space
// requests, for the pages to offer the forms.
func (s *Service) Governs(u *relais.User) bool { return govern(u).Allowed() }

// ReadsCatalog reports whether the actor reads the catalog of value
// propositions and may request a space: employees.
func (s *Service) ReadsCatalog(u *relais.User) bool {
	return policy.Decide(policy.ActorOf(u), policy.ReadPlan, policy.Target{}).Allowed()
}

// Offerings returns the catalog of value propositions to employees.
func (s *Service) Offerings(ctx context.Context, u *relais.User) ([]*relais.Offering, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.ReadPlan, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	return s.Store.Offerings(ctx)
}

// Offering returns one value proposition of the catalog to an employee.
func (s *Service) Offering(ctx context.Context, u *relais.User, id int64) (*relais.Offering, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.ReadPlan, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	return s.Store.OfferingByID(ctx, id)
}

// CreateOffering adds a value proposition to the catalog (the community
// manager), co-authored by employees of the business units.
func (s *Service) CreateOffering(ctx context.Context, u *relais.User, in relais.NewOffering) (*relais.Offering, error) {
	o, authors, err := s.offering(ctx, u, in)
	if err != nil {
		return nil, err
	}
	o.CreatedBy = u.ID
	if err := s.Store.CreateOffering(ctx, o, authors); err != nil {
		return nil, err
	}
	return s.Store.OfferingByID(ctx, o.ID)
}

// UpdateOffering replaces a value proposition of the catalog (the
// community manager).
func (s *Service) UpdateOffering(ctx context.Context, u *relais.User, id int64, in relais.NewOffering) (*relais.Offering, error) {
	o, authors, err := s.offering(ctx, u, in)
	if err != nil {
		return nil, err
	}
	o.ID = id
	if err := s.Store.UpdateOffering(ctx, o, authors, u.ID); err != nil {
		return nil, err
	}
	return s.Store.OfferingByID(ctx, id)
}

// offering checks that the actor governs, then the input, and resolves
// its unit and co-authors: active employees, by login.
func (s *Service) offering(ctx context.Context, u *relais.User, in relais.NewOffering) (*relais.Offering, []int64, error) {
	if err := govern(u).Err(); err != nil {
		return nil, nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	if in.UnitID != 0 {
		if _, err := s.Store.UnitByID(ctx, in.UnitID); err != nil {
			return nil, nil, &relais.Error{Code: relais.ENOTFOUND, Field: "unit_id", Message: "Unit not found.", MessageFR: "Unité introuvable."}
		}
	}
	var authors []int64
	for _, login := range in.CoAuthors {
		x, err := s.visibleUser(ctx, u, login)
		if err != nil {
			if e, ok := err.(*relais.Error); ok {
				e.Field = "co_authors"
			}
			return nil, nil, err
		}
		if x.Employment != relais.Internal {
			return nil, nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "co_authors",
				Message:   x.Name + " is an external account: an offering is co-built with employees of the business units.",
				MessageFR: x.Name + " est un compte externe : une proposition de valeur se construit avec des salariés des unités."}
		}
		authors = append(authors, x.ID)
	}
	return &relais.Offering{Title: in.Title, UnitID: in.UnitID, UseCase: in.UseCase, ExpectedValue: in.ExpectedValue,
		Charter: in.Charter, RoutineTemplates: in.RoutineTemplates}, authors, nil
}
