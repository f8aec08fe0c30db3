package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"relais"
	"relais/events"
	"relais/metrics"
	"relais/policy"
)

// Live updates. Every write records its events in the store's log, in the
// transaction of the change (see store.EventsAfter). Each node runs one
// hub that reads the log once, after each wake-up, and hands every event
// to every open stream of the node; each stream then decides, with the
// policy and at that moment, whether its person may see it, exactly as
// the pages decide. Log ids follow one another without gaps, so a stream
// that finds a gap (it fell behind and the hub dropped what it could not
// take) reads what it missed from the log itself: nothing is lost, nothing
// comes twice, and the order is the log's.

// LiveConfig tunes the streams.
type LiveConfig struct {
	// KeepAlive is how often an idle stream writes a comment (0: 25s).
	KeepAlive time.Duration
	// Recheck is how often a stream checks that its token or session is
	// still valid and its person still active (0: 30s). Revocations and
	// deactivations are noticed at once through their events; this
	// catches expiry.
	Recheck time.Duration
	// Poll is how often the hub reads the log without a wake-up (0: 2s).
	Poll time.Duration
}

func (c LiveConfig) keepAlive() time.Duration { return orDefault(c.KeepAlive, 25*time.Second) }
func (c LiveConfig) recheck() time.Duration   { return orDefault(c.Recheck, 30*time.Second) }
func (c LiveConfig) poll() time.Duration      { return orDefault(c.Poll, 2*time.Second) }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// ErrStreamEnded ends a stream whose token or session was revoked or
// expired, or whose person was deactivated.
var ErrStreamEnded = &relais.Error{Code: relais.EUNAUTHORIZED, Message: "The session or token of this stream has ended: sign in again.",
	MessageFR: "La session ou le jeton de ce flux a pris fin : reconnectez-vous."}

// ErrLiveStopped ends the streams of a node that shuts down.
var ErrLiveStopped = errors.New("live: the node is shutting down")

// Credential is what a stream was opened with; it is checked again while
// the stream lives.
type Credential struct {
	Token   string // an API token, or
	Session string // a browser session's secret
}

// delivery is one event of the log with what deciding its visibility
// needs, read once for all the streams of the node.
type delivery struct {
	events.Event
	post   *relais.Post // the post the event is about (nil: none, or gone)
	loaded bool         // post has been read (the hub's deliveries always are)
}

// The streams' goroutines stay shallow, so that each keeps a small stack:
// what reads the database (the log when catching up, the policy's view of
// a space, the credential) runs on a few goroutines of the hub's instead.
const liveWorkers = 8

// liveRing is how many of the newest events the hub keeps in memory.
const liveRing = 8192

type liveJob struct {
	f    func()
	done chan struct{}
}

// onWorker runs f on one of the hub's database goroutines and waits.
func (h *hub) onWorker(f func()) {
	h.workersOnce.Do(func() {
		h.jobs = make(chan liveJob)
		for range liveWorkers {
			go func() {
				for j := range h.jobs {
					j.f()
					close(j.done)
				}
			}()
		}
	})
	j := liveJob{f: f, done: make(chan struct{})}
	h.jobs <- j
	<-j.done
}

// hub fans the log out to the streams of this node.
type hub struct {
	s       *Service
	mu      sync.Mutex
	streams map[*Stream]struct{}
	started bool
	ready   bool  // last is set
	fanned  int64 // the id of the last delivery fanned out (under mu)
	// epoch counts the events that changed who may read what (under mu).
	epoch   atomic.Uint64
	stopped chan struct{} // closed by StopLive
	stop    sync.Once

	workersOnce sync.Once
	jobs        chan liveJob

	// ring keeps the newest deliveries, by id, so that a stream that fell
	// behind catches up from memory rather than from the database.
	ring [liveRing]*delivery
	// posts is the newest state the hub read of each post its recent
	// events concern: a stream catching up decides on what the post is
	// now (hidden since, say), not on what it was.
	posts map[int64]*relais.Post
	last  atomic.Int64 // the newest id handed to the streams
}

func (s *Service) hub() *hub {
	s.hubOnce.Do(func() { s.liveHub = &hub{s: s, streams: map[*Stream]struct{}{}, stopped: make(chan struct{})} })
	return s.liveHub
}

// RunLive reads the event log and delivers it to this node's streams until
// ctx ends. The server runs it once; Subscribe starts it on first use
// otherwise.
func (s *Service) RunLive(ctx context.Context) {
	h := s.hub()
	if err := h.init(ctx); err != nil {
		s.Log.Error("live: reading the event log", "err", err)
		return
	}
	h.mu.Lock()
	if h.started {
		h.mu.Unlock()
		return
	}
	h.started = true
	h.mu.Unlock()
	h.run(ctx)
}

// StopLive ends every stream of this node, for a server that shuts down
// (its clients reconnect to another node, or to this one restarted, and
// resume where they were). Streams opened afterwards end at once.
func (s *Service) StopLive() {
	h := s.hub()
	h.stop.Do(func() { close(h.stopped) })
}

// init sets where the hub starts reading, once: before any stream takes
// its own position, so that the hub hands it every later event.
func (h *hub) init(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ready {
		return nil
	}
	last, err := h.s.Store.LastEventID(ctx)
	if err != nil {
		return err
	}
	h.last.Store(last)
	h.ready = true
	return nil
}

func (h *hub) start() {
	h.mu.Lock()
	started := h.started
	h.mu.Unlock()
	if !started {
		go h.s.RunLive(context.Background())
	}
}

func (h *hub) run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-h.s.Store.Closed():
			cancel()
		case <-ctx.Done():
		}
	}()
	defer func() {
		h.mu.Lock()
		h.started = false
		h.mu.Unlock()
	}()
	wake, stop := h.s.Store.EventWake()
	defer stop()
	tick := time.NewTicker(h.s.Live.poll())
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
		for {
			evs, err := h.s.Store.EventsAfter(ctx, h.last.Load(), 1000)
			if err != nil {
				if ctx.Err() == nil {
					h.s.Log.Error("live: reading the event log", "err", err)
				}
				break
			}
			for _, e := range evs {
				h.fanOut(h.s.enrich(ctx, e))
				h.last.Store(e.ID)
			}
			if len(evs) < 1000 {
				break
			}
		}
	}
}

// fanOut hands d to every stream without waiting: a stream whose inbox is
// full misses it here and reads it from the log.
func (h *hub) fanOut(d *delivery) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ring[d.ID%liveRing] = d
	if d.post != nil {
		if h.posts == nil || len(h.posts) > 2*liveRing {
			h.posts = map[int64]*relais.Post{}
		}
		h.posts[d.post.ID] = d.post
	}
	if relationKinds[d.Kind] || accessKinds[d.Kind] {
		// Who may read what may have changed: no stream skips anything
		// until its person's views are asked again.
		h.epoch.Add(1)
		for st := range h.streams {
			st.skip.Store(nil)
		}
	}
	space := int64(0)
	if a := audiences[d.Kind]; d.UserID == 0 && (a == toReaders || a == toModerators) {
		space = d.SpaceID
		if d.post != nil {
			space = d.post.SpaceID
		}
	}
	dropped := 0
	for st := range h.streams {
		if space != 0 {
			if m := st.skip.Load(); m != nil {
				if _, no := (*m)[space]; no {
					st.skipped.Store(d.ID)
					continue
				}
			}
		}
		select {
		case st.inbox <- d:
		default:
			st.lost.Store(true)
			dropped++
		}
	}
	h.fanned = d.ID
	if dropped > 0 {
		metrics.EventsDropped(dropped)
	}
}

// accessKinds may change what a person may see anywhere (see
// Stream.concernsAccess).
var accessKinds = map[string]bool{
	events.TokenRevoked: true, events.SessionEnded: true, events.RolesChanged: true, events.TeamChanged: true,
	events.UserCreated: true, events.CoPilotStarted: true, events.CoPilotEnded: true,
}

// skipSpace tells the hub that the stream's person may not read space, if
// nothing changed who may read what since the policy answered (at epoch).
func (st *Stream) skipSpace(space int64, epoch uint64) {
	if m := st.skip.Load(); m != nil {
		if _, ok := (*m)[space]; ok {
			return
		}
	}
	h := st.s.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.epoch.Load() != epoch {
		return
	}
	next := map[int64]struct{}{space: {}}
	if m := st.skip.Load(); m != nil {
		for k := range *m {
			next[k] = struct{}{}
		}
	}
	st.skip.Store(&next)
}

// recent returns the deliveries that follow after, as far as the ring
// holds them without a gap, at most max.
func (h *hub) recent(after int64, max int) []*delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*delivery
	for id := after + 1; len(out) < max; id++ {
		d := h.ring[id%liveRing]
		if d == nil || d.ID != id {
			break
		}
		if d.post != nil {
			now, ok := h.posts[d.post.ID]
			if !ok {
				// Forgotten: read again.
				d = &delivery{Event: d.Event}
			} else if now != d.post {
				d = &delivery{Event: d.Event, post: now, loaded: true}
			}
		}
		out = append(out, d)
	}
	return out
}

// enrich reads, once per event, the post the event concerns.
func (s *Service) enrich(ctx context.Context, e events.Event) *delivery {
	d := &delivery{Event: e}
	s.loadPost(ctx, d)
	return d
}

func (s *Service) loadPost(ctx context.Context, d *delivery) {
	if d.loaded {
		return
	}
	d.loaded = true
	if id := postOf(d.Event); id != 0 {
		if p, err := s.Store.PostByID(ctx, id); err == nil {
			d.post = p
		}
	}
}

// postOf is the post an event concerns.
func postOf(e events.Event) int64 {
	if e.PostID != 0 {
		return e.PostID
	}
	switch e.Kind {
	case events.PostCreated, events.PostHidden, events.PostRestored, events.PostPinned, events.PostUnpinned,
		events.PostFlagged, events.FlagsDismissed, events.ProblemSolved, events.ProblemReopened, events.ReactionToggled:
		return e.Subject
	}
	return 0
}

// Stream is one person's live stream on this node.
type Stream struct {
	s     *Service
	cred  Credential
	user  *relais.User
	inbox chan *delivery
	// last is the id of the last event this stream went past (delivered
	// or not); the next one it takes is last+1.
	last   int64
	replay bool // read the log before the inbox
	views  map[int64]*cachedView
	// lost is set by the hub when this stream's inbox was full: the stream
	// reads what it missed from the ring or the log.
	lost atomic.Bool
	// skipped is the id of the last event the hub skipped for this stream.
	skipped atomic.Int64
	// skip holds the spaces this stream's person may not read, as the
	// policy answered since the last change of who may read what: the hub
	// hands the stream no event of theirs (copy on write; nil: none).
	skip    atomic.Pointer[map[int64]struct{}]
	checked time.Time
	// Reset is true when the stream started from an id older than what the
	// log keeps: what happened in between can no longer be told, and the
	// client should reload what it shows.
	Reset bool
}

// Subscribe opens a stream for u, who signed in with cred. after is the
// id of the last event the client received (Last-Event-ID; 0 for a new
// stream, which starts with what happens from now on).
func (s *Service) Subscribe(ctx context.Context, u *relais.User, cred Credential, after int64) (*Stream, error) {
	h := s.hub()
	if err := h.init(ctx); err != nil {
		return nil, err
	}
	h.start()
	st := &Stream{s: s, cred: cred, user: u, inbox: make(chan *delivery, 64), views: map[int64]*cachedView{}, checked: time.Now()}
	newest, err := s.Store.LastEventID(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case after <= 0 || after > newest:
		st.last = newest
	default:
		oldest, err := s.Store.OldestEventID(ctx)
		if err != nil {
			return nil, err
		}
		if oldest > after+1 {
			st.Reset = true
			after = oldest - 1
		}
		st.last, st.replay = after, after < newest
	}
	h.mu.Lock()
	if h.fanned > st.last {
		// The hub went past this stream's start before it could hand it
		// anything: read those from the ring.
		st.replay = true
	}
	h.streams[st] = struct{}{}
	h.mu.Unlock()
	metrics.StreamOpened()
	return st, nil
}

// Close ends the stream.
func (st *Stream) Close() {
	h := st.s.hub()
	h.mu.Lock()
	_, open := h.streams[st]
	delete(h.streams, st)
	h.mu.Unlock()
	if open {
		metrics.StreamClosed()
	}
}

// LastID is the id of the last event the stream went past.
func (st *Stream) LastID() int64 { return st.last }

// Next returns the next events the person may see, waiting at most until
// the keep-alive interval: an empty answer and a nil error mean that the
// caller should write a keep-alive. It returns ErrStreamEnded once the
// credential no longer holds, and ctx's error when ctx ends.
func (st *Stream) Next(ctx context.Context) ([]events.Event, error) {
	var out []events.Event
	keep := time.NewTimer(st.s.Live.keepAlive())
	defer keep.Stop()
	for {
		if st.replay {
			if err := st.catchUp(ctx, &out); err != nil {
				return nil, err
			}
			if len(out) > 0 {
				return out, nil
			}
		}
		if time.Since(st.checked) > st.s.Live.recheck() {
			if err := st.check(ctx); err != nil {
				return nil, err
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-st.s.hub().stopped:
			return nil, ErrLiveStopped
		case <-st.s.Store.Closed():
			return nil, ErrLiveStopped
		case <-keep.C:
			if st.lost.Swap(false) {
				// The hub dropped events this stream never got.
				st.replay = true
				keep.Reset(st.s.Live.keepAlive())
				continue
			}
			// What the hub skipped for this stream is behind it, once
			// everything handed before is taken.
			if k := st.skipped.Load(); k > st.last && len(st.inbox) == 0 && !st.replay {
				st.last = k
			}
			return out, nil
		case d := <-st.inbox:
			if err := st.take(ctx, d, &out); err != nil {
				return nil, err
			}
			// Take what else waits, then answer: one write for a burst.
			for more := true; more && !st.replay && len(out) < 256; {
				select {
				case d := <-st.inbox:
					if err := st.take(ctx, d, &out); err != nil {
						return nil, err
					}
				default:
					more = false
				}
			}
			if len(out) > 0 {
				return out, nil
			}
		}
	}
}

// take goes past d: delivered if the person may see it. The events
// between the last one and d were the ones the hub knew this stream's
// person may not see; if the hub dropped some, the stream reads them from
// the ring or the log first.
func (st *Stream) take(ctx context.Context, d *delivery, out *[]events.Event) error {
	if st.lost.Swap(false) {
		st.replay = true
	}
	switch {
	case d.ID <= st.last:
		return nil // already read from the log
	case st.replay:
		return nil // the replay reads it
	}
	return st.pass(ctx, d, out)
}

// catchUp reads from the log what the stream missed, up to where the hub
// is; it leaves replay once it has caught up.
func (st *Stream) catchUp(ctx context.Context, out *[]events.Event) error {
	h := st.s.hub()
	if ds := h.recent(st.last, 256); len(ds) > 0 {
		for _, d := range ds {
			if err := st.pass(ctx, d, out); err != nil {
				return err
			}
		}
		if len(ds) < 256 && st.last >= h.last.Load() {
			st.replay = false
		}
		return nil
	}
	var evs []events.Event
	var err error
	st.s.hub().onWorker(func() { evs, err = st.s.Store.EventsAfter(ctx, st.last, 256) })
	if err != nil {
		return err
	}
	for _, e := range evs {
		// The post is read only if the person could see the event.
		if err := st.pass(ctx, &delivery{Event: e}, out); err != nil {
			return err
		}
	}
	if len(evs) < 256 {
		st.replay = false
	}
	return nil
}

// pass decides on d, in log order, and moves the stream past it.
func (st *Stream) pass(ctx context.Context, d *delivery, out *[]events.Event) error {
	st.last = d.ID
	if st.concernsAccess(d.Event) {
		if err := st.check(ctx); err != nil {
			return err
		}
	}
	if relationKinds[d.Kind] {
		if d.SpaceID == 0 {
			clear(st.views)
		} else {
			delete(st.views, d.SpaceID)
		}
	}
	ok, err := st.sees(ctx, d)
	if err != nil {
		return err
	}
	if ok {
		*out = append(*out, d.Event)
		metrics.EventDelivered(time.Since(d.At))
	}
	return nil
}

// concernsAccess reports whether e may have ended the stream's right to
// run or changed what its person may see everywhere.
func (st *Stream) concernsAccess(e events.Event) bool {
	switch e.Kind {
	case events.TokenRevoked, events.SessionEnded, events.RolesChanged, events.TeamChanged, events.UserCreated,
		events.CoPilotStarted, events.CoPilotEnded:
		return e.Subject == 0 || e.Subject == st.user.ID || e.ActorID == st.user.ID || e.UserID == st.user.ID
	}
	return false
}

// check verifies the stream's credential and reloads its person.
func (st *Stream) check(ctx context.Context) error {
	st.checked = time.Now()
	var u *relais.User
	var err error
	st.s.hub().onWorker(func() {
		switch {
		case st.cred.Token != "":
			u, err = st.s.UserByToken(ctx, st.cred.Token)
		case st.cred.Session != "":
			u, _, err = st.s.Session(ctx, st.cred.Session)
		default:
			u, err = st.s.activeUser(ctx, st.user.ID)
		}
	})
	if err != nil {
		if c := relais.ErrorCode(err); c == relais.EUNAUTHORIZED || c == relais.ENOTFOUND {
			return ErrStreamEnded
		}
		return err
	}
	if !u.Active || u.ID != st.user.ID {
		return ErrStreamEnded
	}
	st.user = u
	clear(st.views)
	return nil
}

// relationKinds change who may read a space: after one, the stream asks
// the policy again for that space.
var relationKinds = map[string]bool{
	events.MemberJoined: true, events.MemberRemoved: true, events.JoinDecided: true, events.InvitationAnswered: true,
	events.TeamChanged: true, events.StewardChanged: true, events.CharterVersion: true, events.CharterAccepted: true,
	events.CoPilotStarted: true, events.CoPilotEnded: true, events.JoinPolicyChanged: true, events.RolesChanged: true,
}

// Audiences of the kinds a stream carries. A kind not listed reaches
// nobody: a new kind is private until someone decides who sees it.
type audience int

const (
	toNobody     audience = iota
	toReaders             // who may read the space (policy space.read) and, for a post, see that post as the pages do
	toModerators          // who moderates the space (policy post.moderate)
	toRecipient           // the one person the event is for (Event.UserID) alone
)

var audiences = map[string]audience{
	events.PostCreated: toReaders, events.ReplyCreated: toReaders, events.ReactionToggled: toReaders,
	events.PostPinned: toReaders, events.PostUnpinned: toReaders, events.PostRestored: toReaders,
	events.ProblemSolved: toReaders, events.ProblemReopened: toReaders, events.MemberJoined: toReaders,
	events.CharterVersion: toReaders, events.WelcomeSet: toReaders,

	events.PostHidden: toModerators, events.PostFlagged: toModerators, events.FlagsDismissed: toModerators,
	events.JoinRequested: toModerators, events.PostScheduled: toModerators, events.ScheduleCancelled: toModerators,

	events.NotificationCreated: toRecipient, events.NotificationsRead: toRecipient, events.ApprovalRequested: toRecipient,
	events.ApprovalApproved: toRecipient, events.ApprovalRejected: toRecipient, events.SignalRaised: toRecipient,
	events.SignalDecided: toRecipient, events.SignalSuggested: toRecipient, events.EscalationRaised: toRecipient,
	events.EscalationResolved: toRecipient, events.CoachingChanged: toRecipient, events.AgreementChanged: toRecipient,
	events.JoinDecided: toRecipient, events.InvitationSent: toRecipient, events.RoutineChanged: toRecipient,
}

// sees decides whether the stream's person may see d now, as the pages
// would show it.
func (st *Stream) sees(ctx context.Context, d *delivery) (bool, error) {
	switch audiences[d.Kind] {
	case toRecipient:
		return d.UserID != 0 && d.UserID == st.user.ID, nil
	case toReaders, toModerators:
	default:
		return false, nil
	}
	if d.UserID != 0 && d.UserID != st.user.ID {
		return false, nil // a space's event meant for one person
	}
	if !d.loaded {
		st.s.hub().onWorker(func() { st.s.loadPost(ctx, d) })
	}
	spaceID := d.SpaceID
	if d.post != nil {
		spaceID = d.post.SpaceID
	} else if postOf(d.Event) != 0 {
		return false, nil // the post is gone
	}
	if spaceID == 0 {
		return false, nil
	}
	v, err := st.view(ctx, spaceID)
	if err != nil || v == nil {
		return false, err
	}
	if audiences[d.Kind] == toModerators {
		return v.Can.Read.Effect == policy.Allow && v.Can.Moderate.Allowed(), nil
	}
	if v.Can.Read.Effect != policy.Allow {
		return false, nil
	}
	if p := d.post; p != nil {
		switch {
		case p.Status == relais.StatusPublished, p.AuthorID == st.user.ID:
		case p.Status == relais.StatusHidden:
			return v.Can.Moderate.Allowed(), nil
		default:
			// Waiting for approval: the mentor hears of it through the
			// approval's own event, meant for them alone.
			return false, nil
		}
	}
	return true, nil
}

// view is the policy's answer for the person on a space, kept until an
// event changes who may read that space.
func (st *Stream) view(ctx context.Context, spaceID int64) (*SpaceView, error) {
	cv, ok := st.views[spaceID]
	if !ok {
		cv = &cachedView{epoch: st.s.hub().epoch.Load()}
		var err error
		st.s.hub().onWorker(func() { cv.v, err = st.s.loadSpaceView(ctx, st.user, spaceID) })
		if relais.ErrorCode(err) == relais.ENOTFOUND {
			cv.v, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		st.views[spaceID] = cv
	}
	if cv.v == nil || cv.v.Can.Read.Effect != policy.Allow {
		st.skipSpace(spaceID, cv.epoch)
	}
	return cv.v, nil
}

// cachedView is a policy's answer on a space with the hub's epoch when it
// was asked.
type cachedView struct {
	v     *SpaceView
	epoch uint64
}

// IsStreamEnded reports whether err ends a stream for its credential.
func IsStreamEnded(err error) bool { return errors.Is(err, ErrStreamEnded) }

// LastEventID is the id of the newest event of the log: a page drawn now
// gives it to its stream, which then starts exactly where the page was.
func (s *Service) LastEventID(ctx context.Context) (int64, error) {
	return s.Store.LastEventID(ctx)
}
