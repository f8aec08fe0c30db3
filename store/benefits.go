package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// CreateBenefit records a declared benefit. The space is the one of its
// post or signal, read in the same transaction.
func (s *Store) CreateBenefit(ctx context.Context, b *relais.Benefit) error {
	stamp(&b.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		if b.PostID != 0 {
			err = t.queryRow("SELECT p.space_id, s.name FROM posts p JOIN spaces s ON s.id = p.space_id WHERE p.id = ?", b.PostID).
				Scan(&b.SpaceID, &b.SpaceName)
			if err == sql.ErrNoRows {
				return notFound("Post")
			}
		} else {
			err = t.queryRow("SELECT g.space_id, s.name FROM signals g JOIN spaces s ON s.id = g.space_id WHERE g.id = ?", b.SignalID).
				Scan(&b.SpaceID, &b.SpaceName)
			if err == sql.ErrNoRows {
				return notFound("Signal")
			}
		}
		if err != nil {
			return err
		}
		b.ID, err = t.insert(`INSERT INTO benefits (space_id, post_id, signal_id, user_id, kind, amount, unit, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.SpaceID, nullID(b.PostID), nullID(b.SignalID), b.UserID, string(b.Kind),
			int64(b.Amount), b.Unit, b.Note, millis(b.CreatedAt))
		t.emit(events.Event{Kind: events.BenefitDeclared, SpaceID: b.SpaceID, ActorID: b.UserID, Subject: b.ID, PostID: b.PostID})
		return err
	})
}

// BenefitFilter selects benefits, newest first. Zero fields match anything.
type BenefitFilter struct {
	UserID  int64
	SpaceID int64
	// From and To bound the declaration time, [From, To).
	From, To time.Time
	// BeforeID selects a page: only benefits older than this one.
	BeforeID int64
	Limit    int
}

func (f BenefitFilter) where() (string, []any) {
	q, args := " WHERE 1 = 1", []any{}
	if f.UserID != 0 {
		q, args = q+" AND b.user_id = ?", append(args, f.UserID)
	}
	if f.SpaceID != 0 {
		q, args = q+" AND b.space_id = ?", append(args, f.SpaceID)
	}
	if !f.From.IsZero() {
		q, args = q+" AND b.created_at >= ?", append(args, millis(f.From))
	}
	if !f.To.IsZero() {
		q, args = q+" AND b.created_at < ?", append(args, millis(f.To))
	}
	return q, args
}

// Benefits returns a page of the benefits that match the filter, newest
// first.
func (s *Store) Benefits(ctx context.Context, f BenefitFilter) ([]*relais.Benefit, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where, args := f.where()
	if f.BeforeID > 0 {
		where, args = where+" AND b.id < ?", append(args, f.BeforeID)
	}
	out := []*relais.Benefit{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT b.id, b.space_id, s.name, COALESCE(b.post_id, 0), COALESCE(b.signal_id, 0), b.user_id,
			b.kind, b.amount, b.unit, b.note, b.created_at FROM benefits b JOIN spaces s ON s.id = b.space_id`+where+
			" ORDER BY b.id DESC LIMIT ?", append(args, f.Limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			b := &relais.Benefit{}
			var kind string
			var amount, created int64
			if err := rows.Scan(&b.ID, &b.SpaceID, &b.SpaceName, &b.PostID, &b.SignalID, &b.UserID, &kind, &amount, &b.Unit,
				&b.Note, &created); err != nil {
				return err
			}
			b.Kind, b.Amount, b.CreatedAt = relais.BenefitKind(kind), relais.Amount(amount), fromMillis(created)
			out = append(out, b)
		}
		return rows.Err()
	})
	return out, err
}

// BenefitTotals sums the benefits that match the filter (all of them, not
// a page) per kind and unit, in the order of relais.BenefitKinds.
func (s *Store) BenefitTotals(ctx context.Context, f BenefitFilter) ([]relais.BenefitTotal, error) {
	var out []relais.BenefitTotal
	err := s.read(ctx, func(t *tx) (err error) {
		out, err = benefitTotals(t, f)
		return err
	})
	return out, err
}

func benefitTotals(t *tx, f BenefitFilter) ([]relais.BenefitTotal, error) {
	where, args := f.where()
	rows, err := t.query(`SELECT b.kind, b.unit, CAST(SUM(b.amount) AS BIGINT), COUNT(*) FROM benefits b`+where+
		" GROUP BY b.kind, b.unit", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []relais.BenefitTotal{}
	for rows.Next() {
		var bt relais.BenefitTotal
		var kind string
		var sum int64
		if err := rows.Scan(&kind, &bt.Unit, &sum, &bt.Count); err != nil {
			return nil, err
		}
		bt.Kind, bt.Amount = relais.BenefitKind(kind), relais.Amount(sum)
		out = append(out, bt)
	}
	relais.SortBenefitTotals(out)
	return out, rows.Err()
}
