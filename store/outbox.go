package store

import (
	"context"
	"database/sql"
	"time"
)

// Email is one message of the e-mail outbox: queued, then sent by the
// background loop when SMTP is configured, retried with backoff until sent
// or given up.
type Email struct {
	ID            int64      `json:"id"`
	To            string     `json:"to"`
	Subject       string     `json:"subject"`
	Body          string     `json:"body"`
	Status        string     `json:"status"` // pending, sent, failed
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
}

const emailColumns = `id, to_addr, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at`

func scanEmail(sc interface{ Scan(...any) error }) (*Email, error) {
	m := &Email{}
	var next, created int64
	var sent sql.NullInt64
	if err := sc.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &next, &m.LastError, &created, &sent); err != nil {
		return nil, err
	}
	m.NextAttemptAt, m.CreatedAt = fromMillis(next), fromMillis(created)
	if sent.Valid {
		at := fromMillis(sent.Int64)
		m.SentAt = &at
	}
	return m, nil
}

// enqueueEmail adds a message to the outbox in the transaction of what it
// tells, due at once.
func enqueueEmail(t *tx, m *Email) (err error) {
	stamp(&m.CreatedAt)
	m.Status, m.NextAttemptAt = "pending", m.CreatedAt
	m.ID, err = t.insert(`INSERT INTO email_outbox (to_addr, subject, body, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, 'pending', ?, ?)`, m.To, m.Subject, m.Body, millis(m.CreatedAt), millis(m.CreatedAt))
	return err
}

// EnqueueEmail adds a message to the outbox, due at once. The caller has
// checked the address.
func (s *Store) EnqueueEmail(ctx context.Context, to, subject, body string) (*Email, error) {
	m := &Email{To: to, Subject: subject, Body: body}
	err := s.write(ctx, func(t *tx) error { return enqueueEmail(t, m) })
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Emails returns the outbox, newest first.
func (s *Store) Emails(ctx context.Context, limit int) ([]*Email, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out := []*Email{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+emailColumns+" FROM email_outbox ORDER BY id DESC LIMIT ?", limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanEmail(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// ClaimDueEmails returns up to limit pending messages whose time has come,
// each leased until now+lease so that another node does not send it at the
// same time.
func (s *Store) ClaimDueEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Email, error) {
	var out []*Email
	err := s.write(ctx, func(t *tx) error {
		out = out[:0]
		rows, err := t.query("SELECT "+emailColumns+` FROM email_outbox
			WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, millis(now), limit)
		if err != nil {
			return err
		}
		var due []*Email
		for rows.Next() {
			m, err := scanEmail(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range due {
			res, err := t.exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
				millis(now.Add(lease)), m.ID, millis(m.NextAttemptAt))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// RecordEmail records the outcome of an attempt: sent, retried at next, or
// given up (failed) when next is zero.
func (s *Store) RecordEmail(ctx context.Context, id int64, sent bool, errText string, next time.Time) error {
	return s.write(ctx, func(t *tx) error {
		var err error
		switch {
		case sent:
			_, err = t.exec(`UPDATE email_outbox SET status = 'sent', attempts = attempts + 1, last_error = '', sent_at = ?
				WHERE id = ?`, millis(time.Now()), id)
		case next.IsZero():
			_, err = t.exec(`UPDATE email_outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
				errText, id)
		default:
			_, err = t.exec(`UPDATE email_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
				errText, millis(next), id)
		}
		return err
	})
}

// OutboxDue reports whether webhook deliveries and e-mails are due at now,
// with a cheap read, so that an idle background loop takes no write lock.
func (s *Store) OutboxDue(ctx context.Context, now time.Time) (webhooks, emails bool, err error) {
	err = s.read(ctx, func(t *tx) error {
		var w, m int
		if err := t.queryRow(`SELECT
			(SELECT COUNT(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1) a),
			(SELECT COUNT(*) FROM (SELECT 1 FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1) b)`,
			millis(now), millis(now)).Scan(&w, &m); err != nil {
			return err
		}
		webhooks, emails = w > 0, m > 0
		return nil
	})
	return webhooks, emails, err
}
