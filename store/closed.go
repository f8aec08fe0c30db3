package store

// Closed returns a channel closed when the store is closed, so that the
// loops reading it (the live hub) end with it.
func (s *Store) Closed() <-chan struct{} {
	s.doneMu.Lock()
	defer s.doneMu.Unlock()
	if s.done == nil {
		s.done = make(chan struct{})
	}
	return s.done
}

func (s *Store) closing() {
	s.Closed()
	s.doneMu.Lock()
	defer s.doneMu.Unlock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}
