package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"relais"
	"relais/events"
)

// Onboarding returns where a user stands in their co-pilot period: the
// checklist, each item with who confirmed it.
func (s *Store) Onboarding(ctx context.Context, userID int64) (o *relais.Onboarding, err error) {
	err = s.read(ctx, func(t *tx) error { o, err = onboarding(t, userID); return err })
	return o, err
}

func onboarding(t *tx, userID int64) (*relais.Onboarding, error) {
	o := &relais.Onboarding{UserID: userID}
	var since sql.NullInt64
	err := t.queryRow(`SELECT u.name, u.co_pilot, COALESCE(u.mentor_id, 0), COALESCE(m.name, ''), u.copilot_since
		FROM users u LEFT JOIN users m ON m.id = u.mentor_id WHERE u.id = ?`, userID).
		Scan(&o.UserName, &o.CoPilot, &o.MentorID, &o.MentorName, &since)
	if err == sql.ErrNoRows {
		return nil, notFound("User")
	} else if err != nil {
		return nil, err
	}
	if since.Valid {
		at := fromMillis(since.Int64)
		o.CoPilotSince = &at
	}
	done := map[string]relais.OnboardingStep{}
	rows, err := t.query(`SELECT o.item, o.done_by, u.name, o.done_at FROM onboarding_steps o JOIN users u ON u.id = o.done_by
		WHERE o.user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var st relais.OnboardingStep
		var at int64
		if err := rows.Scan(&st.Item, &st.DoneBy, &st.DoneByName, &at); err != nil {
			rows.Close()
			return nil, err
		}
		d := fromMillis(at)
		st.Done, st.DoneAt = true, &d
		done[st.Item] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	o.Complete = true
	for _, item := range relais.OnboardingItems {
		st, ok := done[item]
		if !ok {
			st, o.Complete = relais.OnboardingStep{Item: item}, false
		}
		o.Steps = append(o.Steps, st)
	}
	return o, nil
}

// ConfirmOnboardingStep records that an item of a user's checklist is done.
// Confirming an item twice is a conflict.
func (s *Store) ConfirmOnboardingStep(ctx context.Context, userID int64, item string, by int64) error {
	if !slices.Contains(relais.OnboardingItems, item) {
		return &relais.Error{Code: relais.EINVALID, Field: "item", Message: "Unknown onboarding item " + item + "; expected codes_values, charter or escalation_paths.",
			MessageFR: "Étape d'intégration inconnue " + item + " ; attendu : codes_values, charter ou escalation_paths."}
	}
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.OnboardingStep, ActorID: by, Subject: userID, UserID: userID})
		_, err := t.exec("INSERT INTO onboarding_steps (user_id, item, done_by, done_at) VALUES (?, ?, ?, ?)", userID, item, by, millis(time.Now()))
		if relais.ErrorCode(t.d.translate(err)) == relais.ECONFLICT {
			return conflict("This step is already confirmed.", "Cette étape est déjà validée.")
		} else if err != nil {
			return t.d.translate(err)
		}
		return audit(t, by, relais.AuditOnboardingStep, "user", userID, 0, item)
	})
}

// StartCoPilot places a social media manager in a co-pilot period with a
// mentor, the checklist starting afresh.
func (s *Store) StartCoPilot(ctx context.Context, userID, mentorID, by int64) error {
	return s.write(ctx, func(t *tx) error {
		if err := setCoPilot(t, userID, true, mentorID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.CoPilotStarted, ActorID: by, Subject: userID, UserID: userID})
		return audit(t, by, relais.AuditCoPilotStarted, "user", userID, 0, "")
	})
}

// EndCoPilot ends a co-pilot period whose checklist is complete. A user not
// in co-pilot is a conflict; an incomplete checklist is refused.
func (s *Store) EndCoPilot(ctx context.Context, userID, by int64) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.CoPilotEnded, ActorID: by, Subject: userID, UserID: userID})
		o, err := onboarding(t, userID)
		if err != nil {
			return err
		}
		if !o.Complete {
			return &relais.Error{Code: relais.EUNPROCESSABLE, Rule: "copilot.end.checklist",
				Message: "The onboarding checklist is not complete.", MessageFR: "La liste d'intégration n'est pas complète."}
		}
		res, err := t.exec("UPDATE users SET co_pilot = FALSE WHERE id = ? AND co_pilot", userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This account is not in a co-pilot period.", "Ce compte n'est pas en période de doubles commandes.")
		}
		if err := audit(t, by, relais.AuditCoPilotEnded, "user", userID, 0, ""); err != nil {
			return err
		}
		return notify(t, userID, relais.Notification{Kind: relais.NotifyCoPilotEnded, ActorID: by})
	})
}
