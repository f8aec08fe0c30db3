package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"relais"
	"relais/events"
)

// Webhook, WebhookEvents and Delivery are the domain's (relais).
type (
	Webhook  = relais.Webhook
	Delivery = relais.Delivery
)

// WebhookEvents are the events a webhook may receive.
var WebhookEvents = relais.WebhookEvents

// webhookPayload is what a ticketing tool receives. It names the space
// and the people but never carries the text of a team post.
type webhookPayload struct {
	Event      string    `json:"event"`
	OccurredAt time.Time `json:"occurred_at"`
	Data       any       `json:"data"`
}

// enqueueWebhooks adds, in the transaction of the event, one delivery per
// active webhook subscribed to it.
func enqueueWebhooks(t *tx, event string, subjectID int64) error {
	var n int
	if err := t.queryRow("SELECT COUNT(*) FROM webhooks WHERE active").Scan(&n); err != nil || n == 0 {
		return err
	}
	var data any
	switch {
	case strings.HasPrefix(event, "signal."):
		g, err := scanSignal(t.queryRow("SELECT "+signalColumns+signalFrom+" WHERE sg.id = ?", subjectID))
		if err != nil {
			return err
		}
		var kind string
		if err := t.queryRow("SELECT kind FROM spaces WHERE id = ?", g.SpaceID).Scan(&kind); err != nil {
			return err
		}
		if kind != string(relais.SpaceCommunity) {
			g.PostTitle = "" // a team's thread stays in the team
		}
		data = g
	default:
		e, err := scanEscalation(t.queryRow("SELECT "+escalationColumns+escalationFrom+" WHERE e.id = ?", subjectID))
		if err != nil {
			return err
		}
		data = e
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	b, err := json.Marshal(webhookPayload{Event: event, OccurredAt: now, Data: data})
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO webhook_deliveries (webhook_id, event, payload, status, next_attempt_at, created_at)
		SELECT id, ?, ?, 'pending', ?, ? FROM webhooks WHERE active AND (events = '*' OR ',' || events || ',' LIKE ?)`,
		event, string(b), millis(now), millis(now), "%,"+event+",%")
	return err
}

// CreateWebhook adds an outbound webhook.
func (s *Store) CreateWebhook(ctx context.Context, h *Webhook) error {
	stamp(&h.CreatedAt)
	h.Active = true
	return s.write(ctx, func(t *tx) (err error) {
		h.ID, err = t.insert(`INSERT INTO webhooks (url, secret, events, active, created_by, created_at) VALUES (?, ?, ?, TRUE, ?, ?)`,
			h.URL, h.Secret, strings.Join(h.Events, ","), h.CreatedBy, millis(h.CreatedAt))
		if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.WebhookChanged, ActorID: h.CreatedBy, Subject: h.ID})
		return audit(t, h.CreatedBy, relais.AuditWebhookChanged, "webhook", h.ID, 0, "created "+h.URL)
	})
}

// Webhooks returns every webhook, newest first.
func (s *Store) Webhooks(ctx context.Context) ([]*Webhook, error) {
	out := []*Webhook{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, url, secret, events, active, created_by, created_at FROM webhooks ORDER BY id DESC")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			h := &Webhook{}
			var events string
			var created int64
			if err := rows.Scan(&h.ID, &h.URL, &h.Secret, &events, &h.Active, &h.CreatedBy, &created); err != nil {
				return err
			}
			h.Events, h.CreatedAt = strings.Split(events, ","), fromMillis(created)
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, err
}

// SetWebhookActive turns a webhook on or off; pending deliveries of a
// webhook turned off are given up.
func (s *Store) SetWebhookActive(ctx context.Context, id, actorID int64, active bool) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.WebhookChanged, ActorID: actorID, Subject: id})
		res, err := t.exec("UPDATE webhooks SET active = ? WHERE id = ?", active, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Webhook")
		}
		if !active {
			if _, err := t.exec(`UPDATE webhook_deliveries SET status = 'failed', last_error = ?
				WHERE webhook_id = ? AND status = 'pending'`, ReasonTurnedOff, id); err != nil {
				return err
			}
		}
		detail := "turned off"
		if active {
			detail = "turned on"
		}
		return audit(t, actorID, relais.AuditWebhookChanged, "webhook", id, 0, detail)
	})
}

const deliveryColumns = `d.id, d.webhook_id, w.url, w.secret, d.event, d.payload, d.status, d.attempts, d.next_attempt_at,
	d.last_status, d.last_error, d.created_at, d.delivered_at`

func scanDelivery(sc interface{ Scan(...any) error }) (*Delivery, error) {
	d := &Delivery{}
	var next, created int64
	var delivered sql.NullInt64
	if err := sc.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next,
		&d.LastStatus, &d.LastError, &created, &delivered); err != nil {
		return nil, err
	}
	d.NextAttemptAt, d.CreatedAt = fromMillis(next), fromMillis(created)
	if delivered.Valid {
		at := fromMillis(delivered.Int64)
		d.DeliveredAt = &at
	}
	return d, nil
}

// Deliveries returns the delivery log, newest first (webhookID 0: all).
func (s *Store) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*Delivery, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q, args := "SELECT "+deliveryColumns+" FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id", []any{}
	if webhookID != 0 {
		q, args = q+" WHERE d.webhook_id = ?", append(args, webhookID)
	}
	q, args = q+" ORDER BY d.id DESC LIMIT ?", append(args, limit)
	out := []*Delivery{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// ClaimDueDeliveries returns up to limit pending deliveries whose time has
// come, each leased until now+lease so that another node does not send it
// at the same time.
func (s *Store) ClaimDueDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Delivery, error) {
	var out []*Delivery
	err := s.write(ctx, func(t *tx) error {
		out = out[:0]
		rows, err := t.query("SELECT "+deliveryColumns+` FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`, millis(now), limit)
		if err != nil {
			return err
		}
		var due []*Delivery
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range due {
			res, err := t.exec("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
				millis(now.Add(lease)), d.ID, millis(d.NextAttemptAt))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}

// ReasonTurnedOff is the reason of the deliveries given up when their
// webhook is turned off.
const ReasonTurnedOff = "webhook turned off"

// MaxDeliveryReason is the longest reason of a failed attempt kept, in
// bytes.
const MaxDeliveryReason = 200

// RecordDelivery records the outcome of an attempt: delivered, retried at
// next, or given up (failed) when next is zero. reason says why it failed,
// cut to MaxDeliveryReason bytes.
func (s *Store) RecordDelivery(ctx context.Context, id int64, delivered bool, status int, reason string, next time.Time) error {
	errText := strings.ToValidUTF8(reason, "")
	if len(errText) > MaxDeliveryReason {
		cut := MaxDeliveryReason
		for cut > 0 && !utf8.RuneStart(errText[cut]) {
			cut--
		}
		errText = errText[:cut]
	}
	return s.write(ctx, func(t *tx) error {
		now := millis(time.Now())
		var err error
		switch {
		case delivered:
			_, err = t.exec(`UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = '',
				delivered_at = ? WHERE id = ?`, status, now, id)
		case next.IsZero():
			_, err = t.exec(`UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status = ?, last_error = ?
				WHERE id = ?`, status, errText, id)
		default:
			_, err = t.exec(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?
				WHERE id = ?`, status, errText, millis(next), id)
		}
		return err
	})
}
