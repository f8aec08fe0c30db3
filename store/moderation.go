package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"relais"
	"relais/events"
)

// notify tells a person something in the app, in the transaction of what
// happened, so that nobody is told of what did not happen.
func notify(t *tx, userID int64, n relais.Notification) error {
	return insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, post_id, actor_id, subject_id, rule, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, userID, n.Kind, nullID(n.SpaceID), nullID(n.PostID), nullID(n.ActorID),
		nullID(n.SubjectID), n.Rule, n.Detail, millis(time.Now()))
}

// insertNotifications runs q, an INSERT INTO notifications of any number
// of rows, and emits a NotificationCreated event for each row, addressed
// to its recipient. Every notification is inserted through it.
func insertNotifications(t *tx, q string, args ...any) error {
	rows, err := t.query(q+" RETURNING id, user_id, COALESCE(space_id, 0), COALESCE(post_id, 0), COALESCE(actor_id, 0)", args...)
	if err != nil {
		return t.d.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		e := events.Event{Kind: events.NotificationCreated}
		if err := rows.Scan(&e.Subject, &e.UserID, &e.SpaceID, &e.PostID, &e.ActorID); err != nil {
			return err
		}
		t.emit(e)
	}
	return rows.Err()
}

// conflict is a request that contradicts the current state.
func conflict(en, fr string) error {
	return &relais.Error{Code: relais.ECONFLICT, Message: en, MessageFR: fr}
}

// HidePost hides a published post from the members, citing the charter
// rule it breaks and the reason, upholds its open flags and tells its
// author, in one transaction, in the name of moderatorID.
func (s *Store) HidePost(ctx context.Context, postID, moderatorID int64, rule, reason string) error {
	return s.write(ctx, func(t *tx) error { return hidePost(t, postID, moderatorID, rule, reason) })
}

func hidePost(t *tx, postID, moderatorID int64, rule, reason string) error {
	var spaceID, authorID int64
	var status string
	err := t.queryRow("SELECT space_id, author_id, status FROM posts WHERE id = ?", postID).Scan(&spaceID, &authorID, &status)
	if err == sql.ErrNoRows {
		return notFound("Post")
	} else if err != nil {
		return err
	}
	now := millis(time.Now())
	res, err := t.exec(`UPDATE posts SET status = 'hidden', moderation_rule = ?, moderation_reason = ?, moderated_by = ?,
		moderated_at = ? WHERE id = ? AND status = 'published'`, rule, reason, moderatorID, now, postID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if status == string(relais.StatusHidden) {
			return conflict("This post is already hidden.", "Ce message est déjà masqué.")
		}
		return conflict("Only a published post can be hidden.", "Seul un message publié peut être masqué.")
	}
	if _, err := t.exec(`UPDATE flags SET status = 'upheld', handled_by = ?, handled_at = ? WHERE post_id = ? AND status = 'open'`,
		moderatorID, now, postID); err != nil {
		return err
	}
	t.emit(events.Event{Kind: events.PostHidden, SpaceID: spaceID, ActorID: moderatorID, Subject: postID, PostID: postID})
	if err := audit(t, moderatorID, relais.AuditPostHidden, "post", postID, spaceID, rule+" — "+reason); err != nil {
		return err
	}
	return notify(t, authorID, relais.Notification{Kind: relais.NotifyPostHidden, SpaceID: spaceID, PostID: postID,
		ActorID: moderatorID, Rule: rule, Detail: reason})
}

// RestorePost publishes again a post that was hidden, and tells its author.
func (s *Store) RestorePost(ctx context.Context, postID, moderatorID int64) error {
	return s.write(ctx, func(t *tx) error { return restorePost(t, postID, moderatorID) })
}

func restorePost(t *tx, postID, moderatorID int64) error {
	var spaceID, authorID int64
	err := t.queryRow("SELECT space_id, author_id FROM posts WHERE id = ?", postID).Scan(&spaceID, &authorID)
	if err == sql.ErrNoRows {
		return notFound("Post")
	} else if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE posts SET status = 'published', moderated_by = ?, moderated_at = ?
		WHERE id = ? AND status = 'hidden'`, moderatorID, millis(time.Now()), postID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict("This post is not hidden.", "Ce message n'est pas masqué.")
	}
	t.emit(events.Event{Kind: events.PostRestored, SpaceID: spaceID, ActorID: moderatorID, Subject: postID, PostID: postID})
	if err := audit(t, moderatorID, relais.AuditPostRestored, "post", postID, spaceID, ""); err != nil {
		return err
	}
	return notify(t, authorID, relais.Notification{Kind: relais.NotifyPostRestored, SpaceID: spaceID, PostID: postID, ActorID: moderatorID})
}

// PinPost pins a published thread at the top of its space, or unpins it.
func (s *Store) PinPost(ctx context.Context, postID, stewardID int64, pin bool) error {
	return s.write(ctx, func(t *tx) error { return pinPost(t, postID, stewardID, pin) })
}

func pinPost(t *tx, postID, stewardID int64, pin bool) error {
	var spaceID int64
	var status string
	var pinned sql.NullInt64
	err := t.queryRow("SELECT space_id, status, pinned_at FROM posts WHERE id = ?", postID).Scan(&spaceID, &status, &pinned)
	if err == sql.ErrNoRows {
		return notFound("Post")
	} else if err != nil {
		return err
	}
	switch {
	case status != string(relais.StatusPublished):
		return conflict("Only a published thread can be pinned.", "Seul un fil publié peut être épinglé.")
	case pin && pinned.Valid:
		return conflict("This thread is already pinned.", "Ce fil est déjà épinglé.")
	case !pin && !pinned.Valid:
		return conflict("This thread is not pinned.", "Ce fil n'est pas épinglé.")
	}
	var at any
	action, q := relais.AuditPostUnpinned, "UPDATE posts SET pinned_at = ? WHERE id = ? AND status = 'published' AND pinned_at IS NOT NULL"
	if pin {
		at, action = millis(time.Now()), relais.AuditPostPinned
		q = "UPDATE posts SET pinned_at = ? WHERE id = ? AND status = 'published' AND pinned_at IS NULL"
	}
	// The condition settles a race with another steward, who read the same
	// state: only one of them pins (or unpins).
	res, err := t.exec(q, at, postID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict("This thread was pinned or unpinned meanwhile.", "Ce fil vient d'être épinglé ou désépinglé.")
	}
	kind := events.PostUnpinned
	if pin {
		kind = events.PostPinned
	}
	t.emit(events.Event{Kind: kind, SpaceID: spaceID, ActorID: stewardID, Subject: postID, PostID: postID})
	return audit(t, stewardID, action, "post", postID, spaceID, "")
}

// PinnedPosts returns the pinned published threads of a space, most
// recently pinned first.
func (s *Store) PinnedPosts(ctx context.Context, spaceID int64) ([]*relais.Post, error) {
	return s.posts(ctx, "SELECT "+postColumns+` FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.space_id = ? AND p.pinned_at IS NOT NULL AND p.status = 'published' ORDER BY p.pinned_at DESC, p.id DESC LIMIT 20`, spaceID)
}

// HiddenPosts returns the hidden posts of a space, most recently hidden
// first, for its moderators to review or restore.
func (s *Store) HiddenPosts(ctx context.Context, spaceID int64) ([]*relais.Post, error) {
	return s.posts(ctx, "SELECT "+postColumns+` FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.space_id = ? AND p.status = 'hidden' ORDER BY p.moderated_at DESC, p.id DESC LIMIT 200`, spaceID)
}

// FlagPost files a member's flag on a post in its space's moderation
// queue. A second open flag by the same person is a conflict.
func (s *Store) FlagPost(ctx context.Context, f *relais.Flag) error {
	stamp(&f.CreatedAt)
	f.Status = relais.FlagOpen
	return s.write(ctx, func(t *tx) (err error) {
		f.ID, err = t.insert(`INSERT INTO flags (post_id, space_id, user_id, reason, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)`,
			f.PostID, f.SpaceID, f.UserID, f.Reason, millis(f.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return conflict("You already flagged this post; the stewards will look at it.", "Vous avez déjà signalé ce message ; les animateurs vont l'examiner.")
		}
		t.emit(events.Event{Kind: events.PostFlagged, SpaceID: f.SpaceID, ActorID: f.UserID, Subject: f.PostID, PostID: f.PostID})
		return err
	})
}

// ModerationQueue returns the posts of a space with open flags, the most
// flagged first, each with its flags.
func (s *Store) ModerationQueue(ctx context.Context, spaceID int64) ([]*relais.FlaggedPost, error) {
	out := []*relais.FlaggedPost{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT f.id, f.post_id, f.space_id, f.user_id, u.name, f.reason, f.status, f.created_at
			FROM flags f JOIN users u ON u.id = f.user_id WHERE f.space_id = ? AND f.status = 'open' ORDER BY f.post_id, f.id`, spaceID)
		if err != nil {
			return err
		}
		byPost := map[int64]*relais.FlaggedPost{}
		var order []int64
		for rows.Next() {
			f := &relais.Flag{}
			var status string
			var created int64
			if err := rows.Scan(&f.ID, &f.PostID, &f.SpaceID, &f.UserID, &f.UserName, &f.Reason, &status, &created); err != nil {
				rows.Close()
				return err
			}
			f.Status, f.CreatedAt = relais.FlagStatus(status), fromMillis(created)
			fp := byPost[f.PostID]
			if fp == nil {
				fp = &relais.FlaggedPost{}
				byPost[f.PostID] = fp
				order = append(order, f.PostID)
			}
			fp.Flags = append(fp.Flags, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range order {
			p, err := scanPost(t.queryRow("SELECT "+postColumns+" FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?", id))
			if err != nil {
				return err
			}
			byPost[id].Post = p
			out = append(out, byPost[id])
		}
		return nil
	})
	// The most flagged first; equal counts keep the oldest first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].Flags) > len(out[j-1].Flags); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, err
}

// DismissFlags closes the open flags of a post, which stays published.
func (s *Store) DismissFlags(ctx context.Context, postID, moderatorID int64) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID int64
		if err := t.queryRow("SELECT space_id FROM posts WHERE id = ?", postID).Scan(&spaceID); err == sql.ErrNoRows {
			return notFound("Post")
		} else if err != nil {
			return err
		}
		res, err := t.exec(`UPDATE flags SET status = 'dismissed', handled_by = ?, handled_at = ? WHERE post_id = ? AND status = 'open'`,
			moderatorID, millis(time.Now()), postID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return conflict("This post has no open flag.", "Ce message n'a aucun signalement en attente.")
		}
		t.emit(events.Event{Kind: events.FlagsDismissed, SpaceID: spaceID, ActorID: moderatorID, Subject: postID, PostID: postID})
		return audit(t, moderatorID, relais.AuditFlagsDismissed, "post", postID, spaceID, "")
	})
}

// RemoveMember removes a member from a community with a reason the person
// reads; their posts stay.
func (s *Store) RemoveMember(ctx context.Context, spaceID, userID, stewardID int64, reason string) error {
	return s.write(ctx, func(t *tx) error { return removeMember(t, spaceID, userID, stewardID, reason) })
}

func removeMember(t *tx, spaceID, userID, stewardID int64, reason string) error {
	var joined int64
	var source string
	err := t.queryRow("SELECT joined_at, source FROM memberships WHERE space_id = ? AND user_id = ?", spaceID, userID).Scan(&joined, &source)
	if err == sql.ErrNoRows {
		return &relais.Error{Code: relais.ENOTFOUND, Message: "This person is not a member of the space.",
			MessageFR: "Cette personne n'est pas membre de l'espace."}
	} else if err != nil {
		return err
	}
	res, err := t.exec("DELETE FROM memberships WHERE space_id = ? AND user_id = ?", spaceID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &relais.Error{Code: relais.ENOTFOUND, Message: "This person is not a member of the space.",
			MessageFR: "Cette personne n'est pas membre de l'espace."}
	}
	// The arrival is kept with the removal, so that the join funnel still
	// counts it.
	if _, err := t.exec("INSERT INTO member_removals (space_id, user_id, removed_by, reason, at, joined_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
		spaceID, userID, stewardID, reason, millis(time.Now()), joined, source); err != nil {
		return err
	}
	t.emit(events.Event{Kind: events.MemberRemoved, SpaceID: spaceID, ActorID: stewardID, Subject: userID})
	if err := audit(t, stewardID, relais.AuditMemberRemoved, "user", userID, spaceID, reason); err != nil {
		return err
	}
	return notify(t, userID, relais.Notification{Kind: relais.NotifyRemoved, SpaceID: spaceID, ActorID: stewardID, Detail: reason})
}

// SetWelcome sets the message each new member of a space receives (empty:
// none).
func (s *Store) SetWelcome(ctx context.Context, spaceID, stewardID int64, text string) error {
	return s.write(ctx, func(t *tx) error { return setWelcome(t, spaceID, stewardID, text) })
}

func setWelcome(t *tx, spaceID, stewardID int64, text string) error {
	res, err := t.exec("UPDATE spaces SET welcome = ? WHERE id = ?", text, spaceID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Space")
	}
	t.emit(events.Event{Kind: events.WelcomeSet, SpaceID: spaceID, ActorID: stewardID, Subject: spaceID})
	return audit(t, stewardID, relais.AuditWelcomeSet, "space", spaceID, spaceID, "")
}

// Welcome returns the welcome message of a space.
func (s *Store) Welcome(ctx context.Context, spaceID int64) (text string, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT welcome FROM spaces WHERE id = ?", spaceID).Scan(&text)
		if err == sql.ErrNoRows {
			return notFound("Space")
		}
		return err
	})
	return text, err
}

// welcome sends a new member the welcome message of the space, if any.
func welcome(t *tx, spaceID, userID int64) error {
	return insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, detail, created_at)
		SELECT ?, ?, id, welcome, ? FROM spaces WHERE id = ? AND welcome <> ''`,
		userID, relais.NotifyWelcome, millis(time.Now()), spaceID)
}

// SetJoinPolicy changes how one joins a community.
func (s *Store) SetJoinPolicy(ctx context.Context, spaceID, actorID int64, p relais.JoinPolicy, c *relais.JoinCriteria) error {
	criteria := ""
	if p == relais.JoinByCriteria && c != nil {
		b, err := jsonString(c)
		if err != nil {
			return err
		}
		criteria = b
	}
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec("UPDATE spaces SET join_policy = ?, join_criteria = ? WHERE id = ? AND kind = 'community'", string(p), criteria, spaceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Space")
		}
		t.emit(events.Event{Kind: events.JoinPolicyChanged, SpaceID: spaceID, ActorID: actorID, Subject: spaceID})
		return audit(t, actorID, relais.AuditJoinConfigured, "space", spaceID, spaceID, string(p)+" "+criteria)
	})
}

// AssignSteward makes a user a steward of a community, or withdraws them.
func (s *Store) AssignSteward(ctx context.Context, spaceID, userID, actorID int64, assign bool) error {
	return s.write(ctx, func(t *tx) error {
		q, action := "INSERT INTO space_stewards (space_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", relais.AuditStewardAssigned
		if !assign {
			q, action = "DELETE FROM space_stewards WHERE space_id = ? AND user_id = ?", relais.AuditStewardWithdrawn
		}
		res, err := t.exec(q, spaceID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if assign {
				return conflict("This person is already a steward of the community.", "Cette personne anime déjà la communauté.")
			}
			return conflict("This person is not a steward of the community.", "Cette personne n'anime pas la communauté.")
		}
		t.emit(events.Event{Kind: events.StewardChanged, SpaceID: spaceID, ActorID: actorID, Subject: userID})
		return audit(t, actorID, action, "user", userID, spaceID, "")
	})
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
