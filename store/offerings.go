package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

const offeringColumns = `o.id, o.title, COALESCE(o.unit_id, 0), COALESCE(un.name, ''), o.use_case, o.expected_value,
	o.charter_objective, o.charter_rules, o.charter_autonomy, o.charter_expected, o.routine_templates,
	o.created_by, COALESCE(cb.name, ''), o.created_at, o.updated_at`

const offeringFrom = ` FROM offerings o LEFT JOIN units un ON un.id = o.unit_id LEFT JOIN users cb ON cb.id = o.created_by`

func scanOffering(sc interface{ Scan(...any) error }) (*relais.Offering, error) {
	o := &relais.Offering{Authors: []relais.OfferingAuthor{}}
	var created, updated int64
	c := &o.Charter
	if err := sc.Scan(&o.ID, &o.Title, &o.UnitID, &o.UnitName, &o.UseCase, &o.ExpectedValue,
		&c.Objective, &c.Rules, &c.Autonomy, &c.ExpectedActions, &o.RoutineTemplates,
		&o.CreatedBy, &o.CreatedByName, &created, &updated); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromMillis(created), fromMillis(updated)
	return o, nil
}

func offeringNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Offering not found.", MessageFR: "Proposition de valeur introuvable."}
}

func offeringTitleTaken(title string) error {
	return &relais.Error{Code: relais.ECONFLICT, Field: "title", Message: "An offering titled " + title + " is already in the catalog.",
		MessageFR: "Une proposition de valeur intitulée " + title + " figure déjà au catalogue."}
}

// checkOfferingTitle refuses a title another offering holds, whatever its
// case.
func checkOfferingTitle(t *tx, title string, id int64) error {
	var other int64
	err := t.queryRow("SELECT id FROM offerings WHERE LOWER(title) = LOWER(?) AND id <> ?", title, id).Scan(&other)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return err
	}
	return offeringTitleTaken(title)
}

// setOfferingAuthors replaces the co-authors of an offering.
func setOfferingAuthors(t *tx, offeringID int64, authorIDs []int64) error {
	if _, err := t.exec("DELETE FROM offering_authors WHERE offering_id = ?", offeringID); err != nil {
		return err
	}
	for _, id := range authorIDs {
		if _, err := t.exec("INSERT INTO offering_authors (offering_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", offeringID, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateOffering adds a value proposition to the catalog with its
// co-authors, in the name of createdBy. A title already in the catalog is
// a conflict.
func (s *Store) CreateOffering(ctx context.Context, o *relais.Offering, authorIDs []int64) error {
	stamp(&o.CreatedAt)
	o.UpdatedAt = o.CreatedAt
	return s.write(ctx, func(t *tx) (err error) {
		if err := checkOfferingTitle(t, o.Title, 0); err != nil {
			return err
		}
		c := o.Charter
		o.ID, err = t.insert(`INSERT INTO offerings (title, unit_id, use_case, expected_value, charter_objective, charter_rules,
			charter_autonomy, charter_expected, routine_templates, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.Title, nullID(o.UnitID), o.UseCase, o.ExpectedValue, c.Objective, c.Rules, c.Autonomy, c.ExpectedActions,
			o.RoutineTemplates, o.CreatedBy, millis(o.CreatedAt), millis(o.UpdatedAt))
		t.emit(events.Event{Kind: events.OfferingChanged, ActorID: o.CreatedBy, Subject: o.ID})
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return offeringTitleTaken(o.Title)
		} else if err != nil {
			return err
		}
		if err := setOfferingAuthors(t, o.ID, authorIDs); err != nil {
			return err
		}
		return audit(t, o.CreatedBy, relais.AuditOfferingCreated, "offering", o.ID, 0, o.Title)
	})
}

// UpdateOffering replaces the texts, unit and co-authors of an offering,
// in the name of actorID.
func (s *Store) UpdateOffering(ctx context.Context, o *relais.Offering, authorIDs []int64, actorID int64) error {
	o.UpdatedAt = time.Time{}
	stamp(&o.UpdatedAt)
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.OfferingChanged, ActorID: actorID, Subject: o.ID})
		var exists int
		if err := t.queryRow("SELECT 1 FROM offerings WHERE id = ?", o.ID).Scan(&exists); err == sql.ErrNoRows {
			return offeringNotFound()
		} else if err != nil {
			return err
		}
		if err := checkOfferingTitle(t, o.Title, o.ID); err != nil {
			return err
		}
		c := o.Charter
		_, err := t.exec(`UPDATE offerings SET title = ?, unit_id = ?, use_case = ?, expected_value = ?, charter_objective = ?,
			charter_rules = ?, charter_autonomy = ?, charter_expected = ?, routine_templates = ?, updated_at = ? WHERE id = ?`,
			o.Title, nullID(o.UnitID), o.UseCase, o.ExpectedValue, c.Objective, c.Rules, c.Autonomy, c.ExpectedActions,
			o.RoutineTemplates, millis(o.UpdatedAt), o.ID)
		if relais.ErrorCode(t.d.translate(err)) == relais.ECONFLICT {
			return offeringTitleTaken(o.Title)
		} else if err != nil {
			return err
		}
		if err := setOfferingAuthors(t, o.ID, authorIDs); err != nil {
			return err
		}
		return audit(t, actorID, relais.AuditOfferingUpdated, "offering", o.ID, 0, o.Title)
	})
}

// loadOfferingAuthors fills the co-authors of offerings, by name.
func loadOfferingAuthors(t *tx, offs []*relais.Offering) error {
	if len(offs) == 0 {
		return nil
	}
	byID := make(map[int64]*relais.Offering, len(offs))
	ids := make([]int64, 0, len(offs))
	for _, o := range offs {
		byID[o.ID] = o
		ids = append(ids, o.ID)
	}
	rows, err := t.query(`SELECT oa.offering_id, u.id, u.login, u.name FROM offering_authors oa JOIN users u ON u.id = oa.user_id
		WHERE oa.offering_id IN (`+placeholders(len(ids))+`) ORDER BY u.name, u.id`, int64Args(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var oid int64
		var a relais.OfferingAuthor
		if err := rows.Scan(&oid, &a.ID, &a.Login, &a.Name); err != nil {
			return err
		}
		o := byID[oid]
		o.Authors = append(o.Authors, a)
	}
	return rows.Err()
}

func offeringByID(t *tx, id int64) (*relais.Offering, error) {
	o, err := scanOffering(t.queryRow("SELECT "+offeringColumns+offeringFrom+" WHERE o.id = ?", id))
	if err == sql.ErrNoRows {
		return nil, offeringNotFound()
	} else if err != nil {
		return nil, err
	}
	return o, loadOfferingAuthors(t, []*relais.Offering{o})
}

// OfferingByID returns one offering of the catalog with its co-authors.
func (s *Store) OfferingByID(ctx context.Context, id int64) (o *relais.Offering, err error) {
	err = s.read(ctx, func(t *tx) error { o, err = offeringByID(t, id); return err })
	return o, err
}

// Offerings returns the catalog of value propositions, by title.
func (s *Store) Offerings(ctx context.Context) ([]*relais.Offering, error) {
	out := []*relais.Offering{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT " + offeringColumns + offeringFrom + " ORDER BY o.title, o.id")
		if err != nil {
			return err
		}
		for rows.Next() {
			o, err := scanOffering(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return loadOfferingAuthors(t, out)
	})
	return out, err
}
