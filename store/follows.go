package store

import (
	"context"
	"time"
)

// Following a thread or a space. table is thread_follows or space_follows,
// column post_id or space_id: never from outside input.
type followTarget struct{ table, column string }

var (
	threadFollows = followTarget{"thread_follows", "post_id"}
	spaceFollows  = followTarget{"space_follows", "space_id"}
)

func (s *Store) setFollow(ctx context.Context, f followTarget, id, userID int64, on bool) error {
	return s.write(ctx, func(t *tx) error {
		if !on {
			_, err := t.exec("DELETE FROM "+f.table+" WHERE "+f.column+" = ? AND user_id = ?", id, userID)
			return err
		}
		_, err := t.exec("INSERT INTO "+f.table+" ("+f.column+", user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			id, userID, millis(time.Now()))
		return err
	})
}

func (s *Store) following(ctx context.Context, f followTarget, id, userID int64) (on bool, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow("SELECT EXISTS (SELECT 1 FROM "+f.table+" WHERE "+f.column+" = ? AND user_id = ?)", id, userID).Scan(&on)
	})
	return on, err
}

func (s *Store) followers(ctx context.Context, f followTarget, id int64) ([]int64, error) {
	var out []int64
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT user_id FROM "+f.table+" WHERE "+f.column+" = ? ORDER BY user_id", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// FollowThread starts (on) or ends following a thread.
func (s *Store) FollowThread(ctx context.Context, postID, userID int64, on bool) error {
	return s.setFollow(ctx, threadFollows, postID, userID, on)
}

// FollowsThread reports whether the person follows the thread.
func (s *Store) FollowsThread(ctx context.Context, postID, userID int64) (bool, error) {
	return s.following(ctx, threadFollows, postID, userID)
}

// ThreadFollowers are the people who follow a thread.
func (s *Store) ThreadFollowers(ctx context.Context, postID int64) ([]int64, error) {
	return s.followers(ctx, threadFollows, postID)
}

// FollowSpace starts (on) or ends following a space.
func (s *Store) FollowSpace(ctx context.Context, spaceID, userID int64, on bool) error {
	return s.setFollow(ctx, spaceFollows, spaceID, userID, on)
}

// FollowsSpace reports whether the person follows the space.
func (s *Store) FollowsSpace(ctx context.Context, spaceID, userID int64) (bool, error) {
	return s.following(ctx, spaceFollows, spaceID, userID)
}

// SpaceFollowers are the people who follow a space.
func (s *Store) SpaceFollowers(ctx context.Context, spaceID int64) ([]int64, error) {
	return s.followers(ctx, spaceFollows, spaceID)
}
