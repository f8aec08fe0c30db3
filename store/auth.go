package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// Session is a signed-in browser (the domain's relais.Session).
type Session = relais.Session

// CreateSession stores a browser session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			ss.IDHash, ss.UserID, ss.CSRF, millis(time.Now()), millis(ss.ExpiresAt))
		t.emit(events.Event{Kind: events.SessionStarted, ActorID: ss.UserID, Subject: ss.UserID, UserID: ss.UserID})
		return err
	})
}

// SessionByHash returns an unexpired session.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (*Session, error) {
	ss := &Session{IDHash: idHash}
	err := s.read(ctx, func(t *tx) error {
		var exp int64
		err := t.queryRow("SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
			idHash, millis(time.Now())).Scan(&ss.UserID, &ss.CSRF, &exp)
		if err == sql.ErrNoRows {
			return notFound("Session")
		}
		ss.ExpiresAt = fromMillis(exp)
		return err
	})
	return ss, err
}

// DeleteSession ends a session (signing out) and clears expired ones.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.write(ctx, func(t *tx) error {
		var userID int64
		err := t.queryRow("SELECT user_id FROM sessions WHERE id_hash = ?", idHash).Scan(&userID)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if userID != 0 {
			t.emit(events.Event{Kind: events.SessionEnded, ActorID: userID, Subject: userID, UserID: userID})
		}
		_, err = t.exec("DELETE FROM sessions WHERE id_hash = ? OR expires_at <= ?", idHash, millis(time.Now()))
		return err
	})
}

// CreateToken stores the hash of an API token for a user.
func (s *Store) CreateToken(ctx context.Context, tokenHash string, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
			tokenHash, userID, millis(time.Now()))
		t.emit(events.Event{Kind: events.TokenCreated, ActorID: userID, Subject: userID, UserID: userID})
		return err
	})
}

// UserIDByToken returns the id of the active user a token hash belongs to.
func (s *Store) UserIDByToken(ctx context.Context, tokenHash string) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.active WHERE t.token_hash = ?", tokenHash).Scan(&id)
		if err == sql.ErrNoRows {
			return &relais.Error{Code: relais.EUNAUTHORIZED, Message: "Unknown or revoked token.", MessageFR: "Jeton inconnu ou révoqué."}
		}
		return err
	})
	return id, err
}

// UserByToken returns the active user a token hash belongs to, with their
// roles, in one query.
func (s *Store) UserByToken(ctx context.Context, tokenHash string) (u *relais.User, err error) {
	err = s.read(ctx, func(t *tx) error {
		u, err = userWhere(t, "u.active AND u.id = (SELECT user_id FROM api_tokens WHERE token_hash = ?)", tokenHash)
		if relais.ErrorCode(err) == relais.ENOTFOUND {
			return &relais.Error{Code: relais.EUNAUTHORIZED, Message: "Unknown or revoked token.", MessageFR: "Jeton inconnu ou révoqué."}
		}
		return err
	})
	return u, err
}

// DeleteToken revokes an API token.
func (s *Store) DeleteToken(ctx context.Context, tokenHash string) error {
	return s.write(ctx, func(t *tx) error {
		ids, err := scanIDs(t.query("DELETE FROM api_tokens WHERE token_hash = ? RETURNING user_id", tokenHash))
		for _, id := range ids {
			t.emit(events.Event{Kind: events.TokenRevoked, ActorID: id, Subject: id, UserID: id})
		}
		return err
	})
}

// DevicesPerUser is how many sign-in devices the store keeps per account:
// the most recently used ones.
const DevicesPerUser = 20

// DeviceUserID returns the account a sign-in device key hash was given to,
// when it was last used after since.
func (s *Store) DeviceUserID(ctx context.Context, keyHash string, since time.Time) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT user_id FROM signin_devices WHERE key_hash = ? AND used_at > ?", keyHash, millis(since)).Scan(&id)
		if err == sql.ErrNoRows {
			return notFound("Device")
		}
		return err
	})
	return id, err
}

// RememberDevice records a successful sign-in of userID with a device key
// hash (new, or already the user's), and forgets the user's devices last
// used before since and those beyond the DevicesPerUser most recent.
func (s *Store) RememberDevice(ctx context.Context, keyHash string, userID int64, since time.Time) error {
	return s.write(ctx, func(t *tx) error {
		now := millis(time.Now())
		if _, err := t.exec(`INSERT INTO signin_devices (key_hash, user_id, created_at, used_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key_hash) DO UPDATE SET used_at = excluded.used_at WHERE signin_devices.user_id = excluded.user_id`,
			keyHash, userID, now, now); err != nil {
			return err
		}
		_, err := t.exec(`DELETE FROM signin_devices WHERE user_id = ? AND key_hash <> ? AND (used_at <= ? OR key_hash NOT IN
			(SELECT key_hash FROM signin_devices WHERE user_id = ? AND key_hash <> ? ORDER BY used_at DESC LIMIT ?))`,
			userID, keyHash, millis(since), userID, keyHash, DevicesPerUser-1)
		return err
	})
}
