package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"relais"
	"relais/auth"
	"relais/store"
)

// The users ramp, in the manner of Mattermost's load test: simulated users
// each hold a live stream (GET /api/v1/events) and, after a think time,
// repeat a mix of actions. Users are added in steps, each step measured on
// its own against the health rule (mean < 100 ms, p99 < 2 s, errors
// < 0.025 %); the ramp stops at the first unhealthy step.

// Health rule of the ramp.
const (
	HealthMean      = 100 * time.Millisecond
	HealthP99       = 2 * time.Second
	HealthErrorRate = 0.025 // per cent
)

// RampAccount is one account the simulated users act as: several users
// share it (and its token).
type RampAccount struct {
	Token string  `json:"token"`
	Space int64   `json:"space"` // the space it reads and posts into
	Posts []int64 `json:"posts"` // threads of that space, to open
}

// RampPlan is what the server gives the load process.
type RampPlan struct {
	Accounts []RampAccount `json:"accounts"`
	Words    []string      `json:"words"` // what to search for
}

// ServerStats is what the server says of itself at the end of a step.
type ServerStats struct {
	RSS        int64   `json:"rss"`         // resident memory, bytes
	CPUSeconds float64 `json:"cpu_seconds"` // user + system since it started
	FDs        int     `json:"fds"`         // open file descriptors
	FDLimit    int     `json:"fd_limit"`
	Goroutines int     `json:"goroutines"`
}

// RampConfig describes one ramp.
type RampConfig struct {
	Base  string
	Plan  RampPlan
	Start int // users in the first step
	Step  int // users added by each next step
	Max   int // users of the last step
	// StepDuration is how long each step is measured.
	StepDuration time.Duration
	// Think is the mean pause between two actions of a user; Uniform
	// draws it uniformly in [0, 2×Think] rather than exponentially.
	Think   time.Duration
	Uniform bool
	// Pool bounds the connections the actions share.
	Pool int
	// Server, when set, asks the server for its figures (at the end of
	// every step).
	Server func() ServerStats
	// Progress, when set, is told of every step once measured.
	Progress func(RampStep)
}

// RampStep is one step of the ramp, measured alone.
type RampStep struct {
	Users         int              `json:"users"`
	Streams       int64            `json:"open_streams"` // at the end of the step
	Actions       int64            `json:"actions"`
	PerSecond     float64          `json:"actions_per_second"`
	Kinds         map[string]int64 `json:"actions_by_kind"`
	Mean          time.Duration    `json:"mean_ns"`
	P99           time.Duration    `json:"p99_ns"`
	Max           time.Duration    `json:"max_ns"`
	ActionErrors  int64            `json:"action_errors"`
	StreamFails   int64            `json:"stream_open_failures"`
	StreamEnds    int64            `json:"stream_ends"`
	ErrorRate     float64          `json:"error_rate_percent"` // errors / (actions + stream opens)
	FirstErr      string           `json:"first_error,omitempty"`
	Server        ServerStats      `json:"server"`
	PerUser       float64          `json:"server_bytes_per_user"` // resident memory gained since before the ramp
	ServerCPU     float64          `json:"server_cpu_percent"`    // of one core, over the step
	ClientCPU     float64          `json:"client_cpu_percent"`    // of one core, over the step
	MachineCPU    float64          `json:"machine_cpu_percent"`   // of all cores, everyone's
	MemAvailable  int64            `json:"machine_mem_available"`
	ClientRSS     int64            `json:"client_rss"`
	ClientFDs     int              `json:"client_fds"`
	ClientFDLimit int              `json:"client_fd_limit"`
	Healthy       bool             `json:"healthy"`
	Why           string           `json:"why,omitempty"` // what broke, and the likely cause
	Errors        map[string]int64 `json:"errors_by_cause,omitempty"`
}

// RampResult is a whole ramp.
type RampResult struct {
	Steps       []RampStep `json:"steps"`
	LastHealthy int        `json:"last_healthy_users"` // 0: not even the first step
	Broke       bool       `json:"broke"`
	Why         string     `json:"why,omitempty"`
}

// stepStats gathers what happens during one step.
type stepStats struct {
	hist        lagHistogram
	sum, n      atomic.Int64
	kinds       [numActions]atomic.Int64
	actionErrs  atomic.Int64
	streamOpens atomic.Int64
	streamFails atomic.Int64
	streamEnds  atomic.Int64
	errMu       sync.Mutex
	firstErr    string
	errKinds    map[string]int64
}

func (s *stepStats) fail(err error) {
	class := errClass(err)
	s.errMu.Lock()
	if s.firstErr == "" {
		s.firstErr = err.Error()
	}
	if s.errKinds == nil {
		s.errKinds = map[string]int64{}
	}
	s.errKinds[class]++
	s.errMu.Unlock()
}

// errClass sorts an error by what it says of its cause.
func errClass(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "ephemeral ports exhausted (EADDRNOTAVAIL)"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "file descriptors exhausted (EMFILE)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (accept queue full?)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset by the server"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if strings.Contains(err.Error(), "HTTP ") {
		return "HTTP error status"
	}
	if strings.Contains(err.Error(), "stream.ended event") {
		return "stream ended by the server with a stream.ended event (its credential check failed)"
	}
	if strings.Contains(err.Error(), "stream ended") {
		return "stream ended by the server"
	}
	return "other"
}

const (
	actReadPage = iota
	actListSpaces
	actOpenThread
	actPost
	actSearch
	numActions
)

var actionNames = [numActions]string{"read_page", "list_spaces", "open_thread", "post", "search"}

// pickAction draws an action: 40 % page reads, 25 % space lists, 20 %
// threads opened, 5 % posts, 10 % searches.
func pickAction(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 40:
		return actReadPage
	case x < 65:
		return actListSpaces
	case x < 85:
		return actOpenThread
	case x < 90:
		return actPost
	default:
		return actSearch
	}
}

// sourceDialer dials from several loopback source addresses in turn, so
// that more connections than one address has ephemeral ports (about
// 28,000 to one server port) can be open.
type sourceDialer struct {
	addrs []net.Addr
	next  atomic.Uint64
}

func newSourceDialer(conns int) *sourceDialer {
	n := conns/20000 + 1
	d := &sourceDialer{}
	for i := 0; i < n; i++ {
		d.addrs = append(d.addrs, &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%250))})
	}
	return d
}

func (d *sourceDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	a := d.addrs[int(d.next.Add(1)%uint64(len(d.addrs)))]
	return (&net.Dialer{Timeout: 10 * time.Second, LocalAddr: a}).DialContext(ctx, network, addr)
}

// Ramp runs the ramp and reports every step. It always ends: after at
// most (Max−Start)/Step+1 steps of StepDuration, or when ctx ends.
func Ramp(parent context.Context, cfg RampConfig) (RampResult, error) {
	var res RampResult
	if len(cfg.Plan.Accounts) == 0 || cfg.Start < 1 || cfg.Step < 1 || cfg.Max < cfg.Start || cfg.StepDuration <= 0 || cfg.Think <= 0 {
		return res, fmt.Errorf("ramp: accounts, start ≥ 1, step ≥ 1, max ≥ start, a step duration and a think time are required")
	}
	if cfg.Pool < 1 {
		cfg.Pool = 256
	}
	u, err := parseHostPort(cfg.Base)
	if err != nil {
		return res, err
	}
	dialer := newSourceDialer(cfg.Max + cfg.Pool)
	tr := &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        cfg.Pool,
		MaxIdleConnsPerHost: cfg.Pool,
		MaxConnsPerHost:     cfg.Pool,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		WriteBufferSize:     2048,
		ReadBufferSize:      4096,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	var (
		cur     atomic.Pointer[stepStats]
		open    atomic.Int64
		connsMu sync.Mutex
		conns   = map[net.Conn]struct{}{}
		users   sync.WaitGroup
	)
	cur.Store(&stepStats{})
	closeAll := func() {
		connsMu.Lock()
		for c := range conns {
			c.Close()
		}
		connsMu.Unlock()
	}

	// stream holds one live stream open until ctx ends, reopening it a
	// second after it fails or ends.
	stream := func(token string) {
		req := "GET /api/v1/events HTTP/1.1\r\nHost: " + u + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n"
		var buf [256]byte
		for ctx.Err() == nil {
			st := cur.Load()
			st.streamOpens.Add(1)
			c, err := dialer.DialContext(ctx, "tcp", u)
			if err != nil {
				if ctx.Err() == nil {
					st.streamFails.Add(1)
					st.fail(fmt.Errorf("stream open: %w", err))
				}
				sleepCtx(ctx, time.Second)
				continue
			}
			connsMu.Lock()
			conns[c] = struct{}{}
			connsMu.Unlock()
			ok := false
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if _, err = io.WriteString(c, req); err == nil {
				var n int
				n, err = c.Read(buf[:])
				if err == nil && !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200") {
					line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
					err = fmt.Errorf("stream open: HTTP %s", line)
				}
				ok = err == nil
			}
			if ok {
				c.SetDeadline(time.Time{})
				open.Add(1)
				var n int
				ended := false // the server said why with a stream.ended event
				for err == nil {
					n, err = c.Read(buf[:])
					ended = ended || strings.Contains(string(buf[:n]), "stream.ended")
				}
				open.Add(-1)
				if ctx.Err() == nil {
					st := cur.Load()
					st.streamEnds.Add(1)
					if ended {
						err = fmt.Errorf("stream.ended event, then %w", err)
					}
					st.fail(fmt.Errorf("stream ended: %w", err))
				}
			} else if ctx.Err() == nil {
				st := cur.Load()
				st.streamFails.Add(1)
				st.fail(err)
			}
			connsMu.Lock()
			delete(conns, c)
			connsMu.Unlock()
			c.Close()
			sleepCtx(ctx, time.Second)
		}
	}

	think := func(r *rand.Rand) time.Duration {
		if cfg.Uniform {
			return time.Duration(r.Int64N(int64(2 * cfg.Think)))
		}
		return time.Duration(r.ExpFloat64() * float64(cfg.Think))
	}

	// act does one action and measures it.
	act := func(r *rand.Rand, a *RampAccount, seq *int) {
		kind := pickAction(r)
		var req *http.Request
		want := 200
		switch kind {
		case actReadPage:
			req, _ = http.NewRequestWithContext(ctx, "GET", cfg.Base+"/api/v1/spaces/"+strconv.FormatInt(a.Space, 10)+"/posts?limit=20", nil)
		case actListSpaces:
			req, _ = http.NewRequestWithContext(ctx, "GET", cfg.Base+"/api/v1/spaces", nil)
		case actOpenThread:
			id := a.Posts[r.IntN(len(a.Posts))]
			req, _ = http.NewRequestWithContext(ctx, "GET", cfg.Base+"/api/v1/posts/"+strconv.FormatInt(id, 10), nil)
		case actPost:
			*seq++
			body := `{"kind":"discussion","title":"Point d'étape ` + strconv.Itoa(*seq) + `","body":"Un message court de la montée en charge : ` + cfg.Plan.Words[r.IntN(len(cfg.Plan.Words))] + `."}`
			req, _ = http.NewRequestWithContext(ctx, "POST", cfg.Base+"/api/v1/spaces/"+strconv.FormatInt(a.Space, 10)+"/posts", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			want = 201
		case actSearch:
			req, _ = http.NewRequestWithContext(ctx, "GET", cfg.Base+"/api/v1/search?q="+cfg.Plan.Words[r.IntN(len(cfg.Plan.Words))], nil)
		}
		req.Header.Set("Authorization", "Bearer "+a.Token)
		t0 := time.Now()
		err := do(client, req, want)
		d := time.Since(t0)
		if ctx.Err() != nil {
			return // the ramp is over: not measured
		}
		st := cur.Load()
		st.hist.add(d)
		st.sum.Add(int64(d))
		st.n.Add(1)
		st.kinds[kind].Add(1)
		if err != nil {
			st.actionErrs.Add(1)
			if strings.Contains(err.Error(), ": ") && !isNetErr(err) {
				err = fmt.Errorf("HTTP %w", err)
			}
			st.fail(err)
		}
	}

	user := func(i int, delay time.Duration) {
		defer users.Done()
		if !sleepCtx(ctx, delay) {
			return
		}
		a := &cfg.Plan.Accounts[i%len(cfg.Plan.Accounts)]
		go stream(a.Token)
		r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
		// The first action comes at a random moment of the first think
		// time, so that the users of a step do not act all at once.
		if !sleepCtx(ctx, time.Duration(r.Int64N(int64(cfg.Think)))) {
			return
		}
		seq := 0
		for {
			act(r, a, &seq)
			if !sleepCtx(ctx, think(r)) {
				return
			}
		}
	}

	var prevServer, baseServer ServerStats
	if cfg.Server != nil {
		prevServer = cfg.Server()
		baseServer = prevServer
	}
	prevClient := cpuSeconds()
	prevMachine := readMachineCPU()
	started := 0
	for n := cfg.Start; n <= cfg.Max && ctx.Err() == nil; n += cfg.Step {
		st := &stepStats{}
		cur.Store(st)
		t0 := time.Now()
		// The step's newcomers arrive over its first fifth.
		for k, j := n-started, 0; started < n; started, j = started+1, j+1 {
			users.Add(1)
			go user(started, cfg.StepDuration/5*time.Duration(j)/time.Duration(k))
		}
		sleepCtx(ctx, cfg.StepDuration)
		elapsed := time.Since(t0)
		step := RampStep{Users: n, Streams: open.Load(), Actions: st.n.Load(), Kinds: map[string]int64{},
			ActionErrors: st.actionErrs.Load(), StreamFails: st.streamFails.Load(), StreamEnds: st.streamEnds.Load(),
			P99: st.hist.quantile(.99), Max: time.Duration(st.hist.max.Load())}
		cur.Store(&stepStats{}) // what follows belongs to no step
		for k := range st.kinds {
			step.Kinds[actionNames[k]] = st.kinds[k].Load()
		}
		step.PerSecond = float64(step.Actions) / elapsed.Seconds()
		if step.Actions > 0 {
			step.Mean = time.Duration(st.sum.Load() / step.Actions)
		}
		if tries := step.Actions + st.streamOpens.Load(); tries > 0 {
			step.ErrorRate = 100 * float64(step.ActionErrors+step.StreamFails+step.StreamEnds) / float64(tries)
		}
		st.errMu.Lock()
		step.FirstErr, step.Errors = st.firstErr, st.errKinds
		st.errMu.Unlock()
		if cfg.Server != nil {
			step.Server = cfg.Server()
			step.PerUser = float64(step.Server.RSS-baseServer.RSS) / float64(n)
			step.ServerCPU = 100 * (step.Server.CPUSeconds - prevServer.CPUSeconds) / elapsed.Seconds()
			prevServer = step.Server
		}
		c := cpuSeconds()
		step.ClientCPU = 100 * (c - prevClient) / elapsed.Seconds()
		prevClient = c
		m := readMachineCPU()
		step.MachineCPU = m.busySince(prevMachine)
		prevMachine = m
		step.MemAvailable = memAvailable()
		step.ClientFDs, step.ClientFDLimit = fdCount()
		step.ClientRSS = vmRSS()
		step.Healthy, step.Why = judge(step)
		if ctx.Err() != nil {
			break // an interrupted step is not reported
		}
		res.Steps = append(res.Steps, step)
		if cfg.Progress != nil {
			cfg.Progress(step)
		}
		if !step.Healthy {
			res.Broke, res.Why = true, step.Why
			break
		}
		res.LastHealthy = n
	}
	cancel()
	closeAll()
	users.Wait()
	return res, parent.Err()
}

func isNetErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// judge applies the health rule to a step and, for a step that fails it,
// says which figure broke and what most likely caused it.
func judge(s RampStep) (bool, string) {
	var broke []string
	if s.Actions == 0 {
		broke = append(broke, "no action completed")
	}
	if s.Mean >= HealthMean {
		broke = append(broke, fmt.Sprintf("mean %.0f ms ≥ 100 ms", ms(s.Mean)))
	}
	if s.P99 >= HealthP99 {
		broke = append(broke, fmt.Sprintf("p99 %.0f ms ≥ 2,000 ms", ms(s.P99)))
	}
	if s.ErrorRate >= HealthErrorRate {
		broke = append(broke, fmt.Sprintf("errors %.3f %% ≥ 0.025 %% (%d action errors, %d failed stream opens, %d streams ended)",
			s.ErrorRate, s.ActionErrors, s.StreamFails, s.StreamEnds))
	}
	if len(broke) == 0 {
		return true, ""
	}
	var causes []string
	for class, n := range s.Errors {
		causes = append(causes, fmt.Sprintf("%d × %s", n, class))
	}
	if s.MachineCPU >= 90 {
		causes = append(causes, fmt.Sprintf("CPU saturated: the machine %.0f %% busy (server %.0f %%, load %.0f %% of one core)", s.MachineCPU, s.ServerCPU, s.ClientCPU))
	}
	if s.Server.FDLimit > 0 && s.Server.FDs*10 >= s.Server.FDLimit*9 {
		causes = append(causes, fmt.Sprintf("server file descriptors %d of %d", s.Server.FDs, s.Server.FDLimit))
	}
	if s.ClientFDLimit > 0 && s.ClientFDs*10 >= s.ClientFDLimit*9 {
		causes = append(causes, fmt.Sprintf("load process file descriptors %d of %d", s.ClientFDs, s.ClientFDLimit))
	}
	if s.MemAvailable > 0 && s.MemAvailable < 512<<20 {
		causes = append(causes, fmt.Sprintf("memory: %d MB left on the machine", s.MemAvailable>>20))
	}
	if int(s.Streams) < s.Users {
		causes = append(causes, fmt.Sprintf("%d of %d streams open", s.Streams, s.Users))
	}
	why := strings.Join(broke, "; ")
	if len(causes) > 0 {
		why += " — " + strings.Join(causes, "; ")
	}
	return false, why
}

// sleepCtx sleeps d, or less if ctx ends first (then false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func parseHostPort(base string) (string, error) {
	h, ok := strings.CutPrefix(base, "http://")
	if !ok || h == "" || strings.Contains(h, "/") {
		return "", fmt.Errorf("ramp: the server's URL must be http://host:port, not %q", base)
	}
	return h, nil
}

// cpuSeconds is the CPU time this process used, user and system.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// SelfStats is what this process can say of itself: a server answers the
// load process with it.
func SelfStats() ServerStats {
	s := ServerStats{RSS: vmRSS(), CPUSeconds: cpuSeconds(), Goroutines: runtime.NumGoroutine()}
	s.FDs, s.FDLimit = fdCount()
	return s
}

func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// fdCount is the number of open file descriptors and their limit.
func fdCount() (int, int) {
	var l syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	f, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, int(l.Cur)
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	return len(names) - 1, int(l.Cur) // less the one reading them
}

func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// machineCPU is the first line of /proc/stat: every core's time, busy and
// idle, of every process on the machine.
type machineCPU struct{ busy, total float64 }

func readMachineCPU() machineCPU {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineCPU{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var m machineCPU
	for i := 1; i < len(f); i++ {
		if i >= 9 { // guest time, already in user time
			break
		}
		v, _ := strconv.ParseFloat(f[i], 64)
		m.total += v
		if i != 4 && i != 5 { // idle, iowait
			m.busy += v
		}
	}
	return m
}

func (m machineCPU) busySince(prev machineCPU) float64 {
	if dt := m.total - prev.total; dt > 0 {
		return math.Min(100, 100*(m.busy-prev.busy)/dt)
	}
	return 0
}

// rampWords are the words the ramp's threads are made of, and what its
// users search for.
var rampWords = []string{"facture", "livraison", "panne", "réseau", "contrat", "relance", "incident", "formation",
	"planning", "tarif", "garantie", "retour", "commande", "devis", "logiciel", "imprimante"}

// SeedRamp creates the ramp's spaces (open communities), its accounts
// (one space each, password "demo") with an API token, and a few threads
// in every space, through the store.
func SeedRamp(ctx context.Context, st *store.Store, accounts, spaces int) (RampPlan, error) {
	plan := RampPlan{Words: rampWords}
	hash, err := auth.HashPassword("demo")
	if err != nil {
		return plan, err
	}
	now := time.Now().UTC()
	claire, err := st.UserByLogin(ctx, "claire")
	if err != nil {
		return plan, err
	}
	spaceIDs := make([]int64, spaces)
	for i := range spaceIDs {
		sp := &relais.Space{Name: fmt.Sprintf("Charge %03d", i+1), Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
			JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow, CreatedAt: now.Add(-30 * 24 * time.Hour),
			Description: "Une communauté de la montée en charge."}
		c := &relais.Charter{Objective: "Mesurer Relais sous la charge de nombreux utilisateurs.", Rules: "On reste courtois.",
			Autonomy: "Chacun publie librement.", ExpectedActions: "Lire, répondre, publier.", CreatedAt: sp.CreatedAt}
		if err := st.CreateSpace(ctx, sp, c, claire.ID); err != nil {
			return plan, err
		}
		spaceIDs[i] = sp.ID
	}
	authors := make([][]int64, spaces)
	for i := 0; i < accounts; i++ {
		u := &relais.User{Login: fmt.Sprintf("charge%04d", i+1), Name: fmt.Sprintf("Charge %04d", i+1),
			Email: fmt.Sprintf("charge%04d@relais.example", i+1), Employment: relais.Internal, CreatedAt: now.Add(-30 * 24 * time.Hour)}
		if err := st.CreateUser(ctx, u, hash); err != nil {
			return plan, err
		}
		sp := i % spaces
		if err := st.Join(ctx, &relais.Membership{SpaceID: spaceIDs[sp], UserID: u.ID, CharterVersion: 1, JoinedAt: u.CreatedAt, Source: relais.SourceOpen}); err != nil {
			return plan, err
		}
		token := auth.NewSecret()
		if err := st.CreateToken(ctx, auth.HashSecret(token), u.ID); err != nil {
			return plan, err
		}
		authors[sp] = append(authors[sp], u.ID)
		plan.Accounts = append(plan.Accounts, RampAccount{Token: token, Space: spaceIDs[sp]})
	}
	// 30 threads a space, for its page, its threads and the searches.
	posts := make([][]int64, spaces)
	for sp := range spaceIDs {
		for k := 0; k < 30; k++ {
			w1, w2 := rampWords[(sp+k)%len(rampWords)], rampWords[(sp*7+k*3+1)%len(rampWords)]
			p := &relais.Post{SpaceID: spaceIDs[sp], AuthorID: authors[sp][k%len(authors[sp])], Kind: relais.KindDiscussion,
				Status: relais.StatusPublished, Title: fmt.Sprintf("Question de %s n° %d", w1, k+1),
				Body:      fmt.Sprintf("Bonjour, qui a déjà traité un sujet de %s et de %s ? Merci pour vos retours.", w1, w2),
				CreatedAt: now.Add(-time.Duration(30-k) * time.Hour)}
			if err := st.CreatePost(ctx, p); err != nil {
				return plan, err
			}
			posts[sp] = append(posts[sp], p.ID)
		}
	}
	for i := range plan.Accounts {
		plan.Accounts[i].Posts = posts[i%spaces]
	}
	return plan, nil
}
