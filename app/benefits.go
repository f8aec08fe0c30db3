package app

import (
	"context"

	"relais"
	"relais/store"
)

// Events of the value ledger and of reports. (They belong with the other
// kinds in package events once its owners add them.)
// DeclareBenefit records what a post, or a signal's decision, brought the
// actor: time saved, cost avoided, revenue, quality or risk. The actor must
// be able to read the post, or to see the signal (its raiser, its owner,
// or a reader of its post's space); anything else does not exist for them.
func (s *Service) DeclareBenefit(ctx context.Context, u *relais.User, in relais.NewBenefit) (*relais.Benefit, error) {
	b, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if b.PostID != 0 {
		p, _, err := s.visiblePost(ctx, u, b.PostID)
		if err != nil {
			return nil, err
		}
		if p.Status != relais.StatusPublished {
			return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "post_id", Message: "A benefit is declared on a published post only.",
				MessageFR: "Un bénéfice se déclare sur un message publié seulement."}
		}
	} else if err := s.seeSignal(ctx, u, b.SignalID); err != nil {
		return nil, err
	}
	b.UserID = u.ID
	if err := s.Store.CreateBenefit(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// seeSignal refuses a signal the actor may not see: only its raiser, its
// owner (by name, or as head of its unit) and the readers of the space of
// its post see it.
func (s *Service) seeSignal(ctx context.Context, u *relais.User, id int64) error {
	notFound := &relais.Error{Code: relais.ENOTFOUND, Field: "signal_id", Message: "Signal not found.", MessageFR: "Signal introuvable."}
	g, err := s.Store.SignalByID(ctx, id)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	if g.RaisedBy == u.ID || (g.OwnerID != 0 && g.OwnerID == u.ID) {
		return nil
	}
	if g.UnitID != 0 {
		unit, err := s.Store.UnitByID(ctx, g.UnitID)
		if err != nil {
			return err
		}
		if unit.HeadID == u.ID {
			return nil
		}
	}
	v, err := s.loadSpaceView(ctx, u, g.SpaceID)
	if err != nil {
		return err
	}
	if v.Can.Read.Allowed() {
		return nil
	}
	return notFound
}

// Ledger is a person's own value ledger: a page of their entries, newest
// first, and the totals of all of them per kind and unit.
type Ledger struct {
	Benefits []*relais.Benefit     `json:"benefits"`
	Totals   []relais.BenefitTotal `json:"totals"`
}

// MyBenefits returns the benefits the actor declared. Nobody else reads
// a person's own entries.
func (s *Service) MyBenefits(ctx context.Context, u *relais.User, beforeID int64, limit int) (*Ledger, error) {
	bs, err := s.Store.Benefits(ctx, store.BenefitFilter{UserID: u.ID, BeforeID: beforeID, Limit: limit})
	if err != nil {
		return nil, err
	}
	ts, err := s.Store.BenefitTotals(ctx, store.BenefitFilter{UserID: u.ID})
	if err != nil {
		return nil, err
	}
	return &Ledger{Benefits: bs, Totals: ts}, nil
}
