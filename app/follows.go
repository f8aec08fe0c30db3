package app

import (
	"context"

	"relais"
)

// Following. A person who may read a thread may follow it, and is then
// told of each reply; who may read a space may follow it, and is told of
// each new thread. A thread's author is told of its replies without
// following it. Whether each is told is decided again when it happens:
// who may no longer read the space is told nothing.

// FollowThread starts (on) or ends following a thread.
func (s *Service) FollowThread(ctx context.Context, u *relais.User, postID int64, on bool) error {
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return err
	}
	if err := v.Can.Read.Err(); err != nil {
		return err
	}
	if p.Status != relais.StatusPublished {
		return &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This thread is not published: it can be followed once it is.",
			MessageFR: "Ce fil n'est pas publié : il pourra être suivi une fois publié."}
	}
	return s.Store.FollowThread(ctx, postID, u.ID, on)
}

// FollowsThread reports whether the person follows a thread they may see.
func (s *Service) FollowsThread(ctx context.Context, u *relais.User, postID int64) (bool, error) {
	if _, _, err := s.visiblePost(ctx, u, postID); err != nil {
		return false, err
	}
	return s.Store.FollowsThread(ctx, postID, u.ID)
}

// FollowSpace starts (on) or ends following a space.
func (s *Service) FollowSpace(ctx context.Context, u *relais.User, spaceID int64, on bool) error {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return err
	}
	if err := v.Can.Read.Err(); err != nil {
		return err
	}
	return s.Store.FollowSpace(ctx, spaceID, u.ID, on)
}

// FollowsSpace reports whether the person follows a space they may see.
func (s *Service) FollowsSpace(ctx context.Context, u *relais.User, spaceID int64) (bool, error) {
	if _, err := s.spaceView(ctx, u, spaceID); err != nil {
		return false, err
	}
	return s.Store.FollowsSpace(ctx, spaceID, u.ID)
}
