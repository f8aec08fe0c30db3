package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"relais"
)

// Logins are unique by their key (relais.LoginKey), which the column
// users.login_key holds under a unique index; users.login_skeleton
// (relais.LoginSkeleton) finds look-alikes. Every write of a login goes
// through checkLogin and writes both columns; every lookup by login
// compares login_key.

// checkLogin refuses the login of account id (0: a new account) when
// another account holds its key, or — when the account is new or changes
// its key — when another account's login looks like it (same skeleton,
// another key). field names the attribute in the error. It returns the
// key and the skeleton to write.
func checkLogin(t *tx, id int64, login, field string) (key, skeleton string, err error) {
	key, skeleton = relais.LoginKey(login), relais.LoginSkeleton(login)
	var other int64
	err = t.queryRow("SELECT id FROM users WHERE login_key = ? AND id <> ?", key, id).Scan(&other)
	switch {
	case err == nil:
		return "", "", relais.LoginTaken(login, field)
	case err != sql.ErrNoRows:
		return "", "", err
	}
	var cur sql.NullString
	if id != 0 {
		if err := t.queryRow("SELECT login_key FROM users WHERE id = ?", id).Scan(&cur); err != nil && err != sql.ErrNoRows {
			return "", "", err
		}
	}
	if cur.Valid && cur.String == key {
		return key, skeleton, nil // the same login, maybe in other capitals
	}
	var like string
	err = t.queryRow("SELECT login FROM users WHERE login_skeleton = ? AND id <> ? AND COALESCE(login_key, '') <> ? ORDER BY id LIMIT 1",
		skeleton, id, key).Scan(&like)
	switch {
	case err == nil:
		return "", "", relais.LoginLookAlike(login, like, field)
	case err != sql.ErrNoRows:
		return "", "", err
	}
	return key, skeleton, nil
}

// fillLoginKeys is the migration step that computes the key and skeleton
// of every login. Of the accounts whose logins share a key, one keeps it —
// one a SCIM client did not delete before one it deleted, then the oldest
// — and the others are left without key: nothing finds them by login
// until they are renamed. Each of them, and each account whose login looks
// like an older one's, gets an entry in the audit trail.
func fillLoginKeys(t *tx) error {
	type account struct {
		id              int64
		login, key, skl string
	}
	rows, err := t.query("SELECT id, login, scim_deleted FROM users ORDER BY scim_deleted, created_at, id")
	if err != nil {
		return err
	}
	var all []account
	for rows.Next() {
		var a account
		var deleted bool
		if err := rows.Scan(&a.id, &a.login, &deleted); err != nil {
			rows.Close()
			return err
		}
		all = append(all, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	holder := map[string]account{}    // by key
	lookalike := map[string]account{} // by skeleton, the first seen
	var conflicts []string
	var conflictIDs []int64
	for i := range all {
		a := &all[i]
		key, skl := relais.LoginKey(a.login), relais.LoginSkeleton(a.login)
		a.skl = skl
		if h, taken := holder[key]; taken {
			conflictIDs = append(conflictIDs, a.id)
			conflicts = append(conflicts, "login "+a.login+" is the login "+h.login+" of account "+strconv.FormatInt(h.id, 10)+
				" in another case; that account keeps it, this one cannot be found by login until it is renamed")
			continue
		}
		a.key = key
		holder[key] = *a
		if l, seen := lookalike[skl]; seen {
			conflictIDs = append(conflictIDs, a.id)
			conflicts = append(conflicts, "login "+a.login+" looks like the login "+l.login+" of account "+strconv.FormatInt(l.id, 10)+
				"; both stay as they are")
			continue
		}
		lookalike[skl] = *a
	}
	// Written 300 accounts a statement: a large directory migrates in
	// seconds on PostgreSQL too.
	const chunk = 300
	for start := 0; start < len(all); start += chunk {
		part := all[start:min(start+chunk, len(all))]
		args := make([]any, 0, 3*len(part))
		for _, a := range part {
			var key any
			if a.key != "" {
				key = a.key
			}
			args = append(args, a.id, key, a.skl)
		}
		values := strings.TrimSuffix(strings.Repeat("(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT)), ", len(part)), ", ")
		if _, err := t.tx.ExecContext(t.ctx, t.d.rebind(`UPDATE users SET login_key = v.column2, login_skeleton = v.column3
			FROM (VALUES `+values+`) AS v WHERE users.id = v.column1`), args...); err != nil {
			return err
		}
	}
	for i, id := range conflictIDs {
		if err := audit(t, 0, relais.AuditUserLoginConflict, "user", id, 0, conflicts[i]); err != nil {
			return err
		}
	}
	return nil
}

// LoginConflict is an account left without login key because another
// account holds its login in another case (see fillLoginKeys).
type LoginConflict struct {
	ID      int64
	Login   string
	Active  bool
	Deleted bool // deleted by a SCIM client
	// HolderID and Holder are the account that holds the login.
	HolderID int64
	Holder   string
}

// LoginConflicts returns the accounts that cannot be found by login, as
// another holds it in another case, by id.
func (s *Store) LoginConflicts(ctx context.Context) ([]LoginConflict, error) {
	var out []LoginConflict
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, login, active, scim_deleted FROM users WHERE login_key IS NULL ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var c LoginConflict
			if err := rows.Scan(&c.ID, &c.Login, &c.Active, &c.Deleted); err != nil {
				rows.Close()
				return err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			c := &out[i]
			err := t.queryRow("SELECT id, login FROM users WHERE login_key = ?", relais.LoginKey(c.Login)).Scan(&c.HolderID, &c.Holder)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
		}
		return nil
	})
	return out, err
}
