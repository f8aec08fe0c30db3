package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"relais/demo"
	"relais/internal/testdb"
	"relais/store"
)

// syncBuffer is a bytes.Buffer that a running command writes while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// envNames are the environment variables the commands read.
var envNames = []string{"RELAIS_ADDR", "RELAIS_DB", "RELAIS_DEMO", "RELAIS_DEMO_PASSWORD", "RELAIS_SECURE_COOKIES", "RELAIS_SMTP",
	"RELAIS_WEBHOOKS_ALLOW_PRIVATE", "RELAIS_TRUSTED_PROXIES", "RELAIS_PUBLIC_URL", "RELAIS_METRICS_ADDR", "RELAIS_EVENTS_RETENTION", "RELAIS_EVENTS_KEEP"}

// clearEnv unsets the RELAIS_* variables for the test, so that the
// environment of whoever runs the tests does not change their outcome.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range envNames {
		t.Setenv(k, "") // restores the value when the test ends
		os.Unsetenv(k)
	}
}

// runCmd runs a command line that must end on its own and returns its
// exit code and outputs. Should a regression make it serve instead, it
// stops after 20 s and the test fails rather than hangs.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	code := run(ctx, args, &stdout, &stderr)
	if ctx.Err() != nil {
		t.Errorf("relais %q was still running after 20 s\nstdout: %s\nstderr: %s", args, &stdout, &stderr)
	}
	return code, stdout.String(), stderr.String()
}

// inTempDir makes a temporary directory the working directory of the
// test, where a default sqlite:relais.db would land, if any.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func TestRunExitCodes(t *testing.T) {
	clearEnv(t)
	tmp := inTempDir(t)
	for _, tc := range []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		stdout     string // must hold, when not empty
		stderr     string // must hold, when not empty
		stdoutNone bool   // nothing on stdout
	}{
		{name: "no args", args: nil, code: 2, stderr: "Usage:", stdoutNone: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`, stdoutNone: true},
		{name: "version", args: []string{"version"}, code: 0, stdout: "relais " + Version},
		{name: "--version", args: []string{"--version"}, code: 0, stdout: "relais "},
		{name: "help", args: []string{"help"}, code: 0, stdout: "Usage:"},
		{name: "-h", args: []string{"-h"}, code: 0, stdout: "relais serve"},
		{name: "serve --help", args: []string{"serve", "--help"}, code: 0, stderr: "-addr", stdoutNone: true},
		{name: "serve bad addr", args: []string{"serve", "--addr", "foo"}, code: 2, stderr: "--addr", stdoutNone: true},
		{name: "serve port out of range", args: []string{"serve", "--addr", ":70000"}, code: 2, stderr: "--addr", stdoutNone: true},
		{name: "serve mysql", args: []string{"serve", "--db", "mysql://x"}, code: 2, stderr: "--db", stdoutNone: true},
		{name: "serve empty sqlite path", args: []string{"serve", "--db", "sqlite:"}, code: 2, stderr: "--db", stdoutNone: true},
		{name: "serve extra argument", args: []string{"serve", "extra-arg"}, code: 2, stderr: `unexpected argument "extra-arg"`, stdoutNone: true},
		{name: "serve unknown flag", args: []string{"serve", "--nope"}, code: 2, stderr: "-nope", stdoutNone: true},
		{name: "serve empty demo password", args: []string{"serve", "--demo", "--demo-password", ""}, code: 2, stderr: "--demo-password", stdoutNone: true},
		{name: "serve smtp not a URL", args: []string{"serve", "--smtp", "mail.example.com"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "serve smtp without from", args: []string{"serve", "--smtp", "smtp://mail.example.com:587"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "serve smtp bad from", args: []string{"serve", "--smtp", "smtp://mail.example.com:587?from=nobody"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "serve smtp bad port", args: []string{"serve", "--smtp", "smtp://mail.example.com:0?from=relais@example.com"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "serve smtp unknown scheme", args: []string{"serve", "--smtp", "imap://mail.example.com?from=relais@example.com"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "serve public-url not a URL", args: []string{"serve", "--public-url", "relais.example.com"}, code: 2, stderr: "--public-url", stdoutNone: true},
		{name: "serve public-url with a query", args: []string{"serve", "--public-url", "https://relais.example.com/?x=1"}, code: 2, stderr: "--public-url", stdoutNone: true},
		{name: "serve oidc without public-url", args: []string{"serve", "--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "relais"}, code: 2, stderr: "--public-url", stdoutNone: true},
		{name: "env RELAIS_PUBLIC_URL", env: map[string]string{"RELAIS_PUBLIC_URL": "ftp://relais.example.com"}, args: []string{"serve"}, code: 2, stderr: "--public-url", stdoutNone: true},
		{name: "serve bad trusted proxy", args: []string{"serve", "--trusted-proxies", "10.0.0.0/8,proxy.example.com"}, code: 2, stderr: "--trusted-proxies", stdoutNone: true},
		{name: "env RELAIS_TRUSTED_PROXIES", env: map[string]string{"RELAIS_TRUSTED_PROXIES": "10.0.0.0/33"}, args: []string{"serve"}, code: 2, stderr: "--trusted-proxies", stdoutNone: true},
		{name: "migrate knows no --trusted-proxies", args: []string{"migrate", "--trusted-proxies", "10.0.0.0/8"}, code: 2, stderr: "-trusted-proxies", stdoutNone: true},
		{name: "migrate knows no --smtp", args: []string{"migrate", "--smtp", "smtp://h:25?from=a@b.c"}, code: 2, stderr: "-smtp", stdoutNone: true},
		{name: "env RELAIS_SMTP", env: map[string]string{"RELAIS_SMTP": "smtp://mail.example.com"}, args: []string{"serve"}, code: 2, stderr: "--smtp", stdoutNone: true},
		{name: "migrate extra argument", args: []string{"migrate", "--db", "sqlite:" + filepath.Join(tmp, "never.db"), "again"}, code: 2, stderr: "unexpected argument", stdoutNone: true},
		{name: "migrate bad db", args: []string{"migrate", "--db", "relais.db"}, code: 2, stderr: "--db", stdoutNone: true},
		{name: "migrate knows no --addr", args: []string{"migrate", "--addr", ":1"}, code: 2, stderr: "-addr", stdoutNone: true},
		{name: "migrate cannot open", args: []string{"migrate", "--db", "sqlite:" + filepath.Join(tmp, "no", "such", "dir", "x.db")}, code: 1, stderr: "relais: "},
		{name: "env RELAIS_DB", env: map[string]string{"RELAIS_DB": "mysql://x"}, args: []string{"serve"}, code: 2, stderr: "--db", stdoutNone: true},
		{name: "env RELAIS_DB for migrate", env: map[string]string{"RELAIS_DB": "mysql://x"}, args: []string{"migrate"}, code: 2, stderr: "mysql://x", stdoutNone: true},
		{name: "env RELAIS_ADDR", env: map[string]string{"RELAIS_ADDR": "bad"}, args: []string{"serve"}, code: 2, stderr: "--addr", stdoutNone: true},
		{name: "env RELAIS_DEMO", env: map[string]string{"RELAIS_DEMO": "maybe"}, args: []string{"serve"}, code: 2, stderr: "RELAIS_DEMO", stdoutNone: true},
		{name: "env RELAIS_SECURE_COOKIES", env: map[string]string{"RELAIS_SECURE_COOKIES": "oui"}, args: []string{"serve"}, code: 2, stderr: "RELAIS_SECURE_COOKIES", stdoutNone: true},
		{name: "env RELAIS_WEBHOOKS_ALLOW_PRIVATE", env: map[string]string{"RELAIS_WEBHOOKS_ALLOW_PRIVATE": "oui"}, args: []string{"serve"}, code: 2, stderr: "RELAIS_WEBHOOKS_ALLOW_PRIVATE", stdoutNone: true},
		{name: "migrate knows no --webhooks-allow-private", args: []string{"migrate", "--webhooks-allow-private"}, code: 2, stderr: "-webhooks-allow-private", stdoutNone: true},
		{name: "env RELAIS_DEMO_PASSWORD empty", env: map[string]string{"RELAIS_DEMO": "1", "RELAIS_DEMO_PASSWORD": ""}, args: []string{"serve"}, code: 2, stderr: "--demo-password", stdoutNone: true},
		// A flag on the command line wins over the environment: here the
		// flag is bad and the environment good.
		{name: "flag over env, bad flag", env: map[string]string{"RELAIS_DB": "sqlite:" + filepath.Join(tmp, "env.db")}, args: []string{"migrate", "--db", "mysql://x"}, code: 2, stderr: "mysql://x", stdoutNone: true},
		{name: "bench extra argument", args: []string{"bench", "--json", "--quick", "extra"}, code: 2, stderr: `unexpected argument "extra"`, stdoutNone: true},
		{name: "bench bad db", args: []string{"bench", "--quick", "--db", "mysql://x"}, code: 2, stderr: "--db", stdoutNone: true},
		{name: "bench unknown flag", args: []string{"bench", "--slow"}, code: 2, stderr: "-slow", stdoutNone: true},
		{name: "bench ramp max below start", args: []string{"bench", "ramp", "--start", "100", "--max", "10"}, code: 2, stderr: "--max", stdoutNone: true},
		{name: "bench ramp bad jitter", args: []string{"bench", "ramp", "--jitter", "gaussian"}, code: 2, stderr: "--jitter", stdoutNone: true},
		{name: "bench ramp too many steps", args: []string{"bench", "ramp", "--start", "1", "--step", "1", "--max", "1000"}, code: 2, stderr: "200 steps", stdoutNone: true},
		{name: "bench ramp extra argument", args: []string{"bench", "ramp", "now"}, code: 2, stderr: `unexpected argument "now"`, stdoutNone: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCmd(t, tc.args...)
			if code != tc.code {
				t.Errorf("relais %q: exit %d; want %d\nstdout: %s\nstderr: %s", tc.args, code, tc.code, stdout, stderr)
			}
			if tc.stdout != "" && !strings.Contains(stdout, tc.stdout) {
				t.Errorf("relais %q: stdout %q does not hold %q", tc.args, stdout, tc.stdout)
			}
			if tc.stderr != "" && !strings.Contains(stderr, tc.stderr) {
				t.Errorf("relais %q: stderr %q does not hold %q", tc.args, stderr, tc.stderr)
			}
			if tc.stdoutNone && stdout != "" {
				t.Errorf("relais %q: stdout %q; want nothing", tc.args, stdout)
			}
		})
	}
}

// TestUsageErrorsNameTheProblem: a usage error says in one line what is
// wrong and which command refused it.
func TestUsageErrorsNameTheProblem(t *testing.T) {
	clearEnv(t)
	inTempDir(t)
	code, _, stderr := runCmd(t, "serve", "--addr", "foo")
	if code != 2 || !strings.HasPrefix(stderr, "relais serve: --addr \"foo\"") {
		t.Errorf("serve --addr foo: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "serve", "--metrics-addr", "9090")
	if code != 2 || !strings.HasPrefix(stderr, "relais serve: --metrics-addr \"9090\"") {
		t.Errorf("serve --metrics-addr 9090: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "migrate", "--db", "mysql://x")
	if code != 2 || !strings.HasPrefix(stderr, "relais migrate: --db \"mysql://x\"") {
		t.Errorf("migrate --db mysql://x: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "serve", "--events-retention", "10s")
	if code != 2 || !strings.HasPrefix(stderr, "relais serve: --events-retention 10s") {
		t.Errorf("serve --events-retention 10s: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "serve", "--events-keep", "-1")
	if code != 2 || !strings.HasPrefix(stderr, "relais serve: --events-keep -1") {
		t.Errorf("serve --events-keep -1: exit %d, stderr %q", code, stderr)
	}
}

// TestSMTPErrorHidesPassword: a refused --smtp is named, never with its
// password.
func TestSMTPErrorHidesPassword(t *testing.T) {
	clearEnv(t)
	inTempDir(t)
	code, stdout, stderr := runCmd(t, "serve", "--smtp", "smtp://relais:s3cr3t-pw@mail.example.com:587?from=not-an-address")
	if code != 2 || !strings.HasPrefix(stderr, "relais serve: --smtp ") || strings.Contains(stderr+stdout, "s3cr3t-pw") {
		t.Errorf("serve with a bad --smtp: exit %d, stderr %q; want 2 naming --smtp without the password", code, stderr)
	}
}

// TestServeWithSMTP: a good RELAIS_SMTP is accepted and serve starts.
func TestServeWithSMTP(t *testing.T) {
	clearEnv(t)
	dir := inTempDir(t)
	t.Setenv("RELAIS_SMTP", "smtp://relais:pw@127.0.0.1:2525?from=relais@example.com")
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(dir, "smtp.db"))
	s.stop(t)
}

// TestVersion prints one line: the version and the Go version.
func TestVersion(t *testing.T) {
	clearEnv(t)
	code, stdout, stderr := runCmd(t, "version")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "relais "+Version+" (go") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("version: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// migrationCount is the number of schema migrations of an engine.
func migrationCount(t *testing.T, engine string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "store", "migrations", engine, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations for %s: %v", engine, err)
	}
	return len(files)
}

var appliedRe = regexp.MustCompile(`(?m)^applied migration (\d{4}_\S+\.sql)$`)

func TestMigrate(t *testing.T) {
	clearEnv(t)
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := testdb.URL(t, engine)
			n := migrationCount(t, engine)
			version := "schema at version " + strconv.Itoa(n) + " (" + engine + ")"

			code, stdout, stderr := runCmd(t, "migrate", "--db", db)
			if code != 0 {
				t.Fatalf("first migrate: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			applied := appliedRe.FindAllStringSubmatch(stdout, -1)
			if len(applied) != n || applied[0][1][:5] != "0001_" {
				t.Errorf("first migrate applied %v; want the %d migrations from 0001 on\nstdout: %s", applied, n, stdout)
			}
			if !strings.Contains(stdout, version) {
				t.Errorf("first migrate: stdout %q does not hold %q", stdout, version)
			}

			code, stdout, stderr = runCmd(t, "migrate", "--db", db)
			if code != 0 {
				t.Fatalf("second migrate: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if strings.Contains(stdout, "applied migration") {
				t.Errorf("second migrate applied again: %s", stdout)
			}
			if strings.TrimSpace(stdout) != version {
				t.Errorf("second migrate: stdout %q; want just %q", stdout, version)
			}

			// The database is usable: a store opens it at that version.
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if v, err := st.SchemaVersion(t.Context()); err != nil || v != n {
				t.Errorf("SchemaVersion = %d, %v; want %d", v, err, n)
			}
		})
	}
}

// TestMigrateFromEnvironment: RELAIS_DB names the database when --db is
// not given, and --db wins over it when it is.
func TestMigrateFromEnvironment(t *testing.T) {
	clearEnv(t)
	tmp := t.TempDir()
	envDB, flagDB := filepath.Join(tmp, "env.db"), filepath.Join(tmp, "flag.db")

	t.Setenv("RELAIS_DB", "sqlite:"+envDB)
	if code, stdout, stderr := runCmd(t, "migrate"); code != 0 || !strings.Contains(stdout, "applied migration") {
		t.Fatalf("RELAIS_DB=sqlite:env.db migrate: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(envDB); err != nil {
		t.Errorf("migrate with RELAIS_DB did not create %s: %v", envDB, err)
	}

	t.Setenv("RELAIS_DB", "mysql://x")
	if code, stdout, stderr := runCmd(t, "migrate", "--db", "sqlite:"+flagDB); code != 0 || !strings.Contains(stdout, "applied migration") {
		t.Fatalf("RELAIS_DB=mysql://x migrate --db sqlite:flag.db: exit %d; the flag must win\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("migrate --db did not create %s: %v", flagDB, err)
	}
}

// serveRun is a `relais serve` running in the test.
type serveRun struct {
	stdout, stderr *syncBuffer
	url            string
	cancel         context.CancelFunc
	done           chan int
}

var servingRe = regexp.MustCompile(`serving on (http://\S+)`)

// startServe runs `relais serve args…` and waits until it serves.
func startServe(t *testing.T, args ...string) *serveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serveRun{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() { s.done <- run(ctx, append([]string{"serve"}, args...), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
		}
	})
	deadline := time.After(30 * time.Second)
	for {
		if m := servingRe.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("serve %q exited with %d before serving\nstdout: %s\nstderr: %s", args, code, s.stdout, s.stderr)
		case <-deadline:
			t.Fatalf("serve %q did not print its URL within 30 s\nstdout: %s\nstderr: %s", args, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop cancels the context of serve and checks that it exits with 0
// within 10 s.
func (s *serveRun) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code
		if code != 0 {
			t.Errorf("serve exited with %d after its context was canceled\nstderr: %s", code, s.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve still runs 10 s after its context was canceled")
	}
	if !strings.Contains(s.stdout.String(), "shutting down") {
		t.Errorf("serve did not say it shuts down: %s", s.stdout)
	}
}

func (s *serveRun) token(t *testing.T, login, password string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	resp, err := http.Post(s.url+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /api/v1/tokens: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Token
}

// accountLines returns the logins of the demo account list serve printed.
func accountLines(stdout string) []string {
	var logins []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Relais demo organization"):
			in = true
		case in && strings.HasPrefix(line, "  "):
			logins = append(logins, strings.Fields(line)[0])
		default:
			in = false
		}
	}
	return logins
}

var demoLogins = []string{"admin", "claire", "samir", "olivia", "victor", "marc", "paul", "nadia", "lea", "xavier"}

func checkAccountList(t *testing.T, stdout, url string) {
	t.Helper()
	got := accountLines(stdout)
	if strings.Join(got, " ") != strings.Join(demoLogins, " ") {
		t.Errorf("printed accounts %v; want %v\nstdout: %s", got, demoLogins, stdout)
	}
	if !strings.Contains(stdout, "open "+url) {
		t.Errorf("the account list does not give the URL %s:\n%s", url, stdout)
	}
}

func TestServe(t *testing.T) {
	clearEnv(t)
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) { testServe(t, testdb.URL(t, engine)) })
	}
}

// testServe runs serve --demo twice on the empty database db.
func testServe(t *testing.T, db string) {
	// The flag wins over a bad RELAIS_ADDR.
	t.Setenv("RELAIS_ADDR", "bad")

	start := time.Now()
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-password", "pw")
	t.Logf("first serve up in %v at %s", time.Since(start).Round(time.Millisecond), s.url)
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || strings.HasSuffix(s.url, ":0") {
		t.Errorf("serving URL %q; want http://127.0.0.1:<the port chosen>", s.url)
	}
	out := s.stdout.String()
	for _, want := range []string{"applied migration 0001_", "demo organization loaded"} {
		if !strings.Contains(out, want) {
			t.Errorf("first serve: stdout does not hold %q:\n%s", want, out)
		}
	}
	checkAccountList(t, out, s.url)

	resp, err := http.Get(s.url + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	body := new(bytes.Buffer)
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(body.String()) != "ok" {
		t.Errorf("GET /healthz: %d %q; want 200 ok", resp.StatusCode, body)
	}

	code, token := s.token(t, "paul", "pw")
	if code != http.StatusCreated || token == "" {
		t.Fatalf("POST /api/v1/tokens paul/pw: %d, token %q; want 201 and a token", code, token)
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Login string }
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if resp.StatusCode != 200 || me.Login != "paul" {
		t.Errorf("GET /api/v1/me with paul's token: %d, login %q", resp.StatusCode, me.Login)
	}
	if code, _ := s.token(t, "paul", "demo"); code != http.StatusUnauthorized {
		t.Errorf("POST /api/v1/tokens paul/demo (the password is pw): %d; want 401", code)
	}
	stopStart := time.Now()
	s.stop(t)
	t.Logf("first serve stopped in %v", time.Since(stopStart).Round(time.Millisecond))

	// Again on the same file: the organization is kept, not reloaded.
	s = startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-password", "pw")
	out = s.stdout.String()
	if strings.Contains(out, "applied migration") {
		t.Errorf("second serve migrated again:\n%s", out)
	}
	if strings.Contains(out, "demo organization loaded") || !strings.Contains(out, "kept") {
		t.Errorf("second serve: stdout must say the organization is kept, not loaded:\n%s", out)
	}
	checkAccountList(t, out, s.url)
	if code, _ := s.token(t, "lea", "pw"); code != http.StatusCreated {
		t.Errorf("second serve: POST /api/v1/tokens lea/pw: %d; want 201", code)
	}
	s.stop(t)

	// The store holds the organization once: ten accounts.
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	us, err := st.Users(t.Context(), "")
	if err != nil || len(us) != len(demo.Accounts) {
		t.Errorf("after two serve --demo: %d accounts (%v); want %d", len(us), err, len(demo.Accounts))
	}
}

// TestServeWebhooksAllowPrivate: serve refuses a webhook on loopback
// unless --webhooks-allow-private (or RELAIS_WEBHOOKS_ALLOW_PRIVATE) is
// given.
func TestServeWebhooksAllowPrivate(t *testing.T) {
	clearEnv(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "relais.db")
	create := func(s *serveRun) int {
		t.Helper()
		code, token := s.token(t, "admin", "pw")
		if code != http.StatusCreated {
			t.Fatalf("POST /api/v1/tokens admin: %d", code)
		}
		req, _ := http.NewRequest("POST", s.url+"/api/v1/webhooks", strings.NewReader(`{"url":"http://127.0.0.1:9/hook","events":["*"]}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-password", "pw")
	if code := create(s); code != http.StatusUnprocessableEntity {
		t.Errorf("a webhook on loopback by default: %d; want 422", code)
	}
	s.stop(t)
	s = startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--webhooks-allow-private")
	if code := create(s); code != http.StatusCreated {
		t.Errorf("a webhook on loopback with --webhooks-allow-private: %d; want 201", code)
	}
	s.stop(t)
	t.Setenv("RELAIS_WEBHOOKS_ALLOW_PRIVATE", "true")
	s = startServe(t, "--addr", "127.0.0.1:0", "--db", db)
	if code := create(s); code != http.StatusCreated {
		t.Errorf("a webhook on loopback with RELAIS_WEBHOOKS_ALLOW_PRIVATE=true: %d; want 201", code)
	}
	s.stop(t)
}

// TestServeKeptOrganizationPassword: when serve --demo keeps an
// organization, the account list must not claim a password those accounts
// do not have.
func TestServeKeptOrganizationPassword(t *testing.T) {
	clearEnv(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "relais.db")
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-password", "pw")
	s.stop(t)
	// Environment this time, with the default password "demo".
	t.Setenv("RELAIS_DEMO", "true")
	s = startServe(t, "--addr", "127.0.0.1:0", "--db", db)
	defer s.stop(t)
	out := s.stdout.String()
	if !strings.Contains(out, "kept") {
		t.Fatalf("RELAIS_DEMO=true: the organization is not said to be kept:\n%s", out)
	}
	if code, _ := s.token(t, "paul", "demo"); code != http.StatusUnauthorized {
		t.Errorf("the kept organization's paul signs in with demo: %d", code)
	}
	if strings.Contains(out, `(password "demo")`) {
		t.Errorf("the accounts of a kept organization are printed with the password of this run "+
			"(\"demo\"), which they do not have (theirs is \"pw\"):\n%s", out)
	}
}

// TestServeTrustedProxies: RELAIS_TRUSTED_PROXIES reaches the server, whose
// throttle then counts the users behind the proxy apart.
func TestServeTrustedProxies(t *testing.T) {
	clearEnv(t)
	t.Setenv("RELAIS_TRUSTED_PROXIES", "127.0.0.1/32")
	db := "sqlite:" + filepath.Join(t.TempDir(), "relais.db")
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-password", "pw")
	defer s.stop(t)
	signIn := func(login, password, xff string) int {
		body, _ := json.Marshal(map[string]string{"login": login, "password": password})
		req, _ := http.NewRequest("POST", s.url+"/api/v1/tokens", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 6 {
		if code := signIn("guess"+strconv.Itoa(i), "x", "203.0.113.1"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	// Inside the window of a second that the 6th failure opened.
	if code := signIn("samir", "pw", "203.0.113.2"); code != http.StatusCreated {
		t.Errorf("another user behind the proxy: %d, want 201", code)
	}
	if code := signIn("samir", "pw", "203.0.113.1"); code != http.StatusTooManyRequests {
		t.Errorf("the failing address behind the proxy: %d, want 429", code)
	}
}

// TestServeMetricsAddr: --metrics-addr serves GET /metrics to anyone on a
// listener of its own, and nothing else there; the main address keeps it
// from who is not signed in. Both listen and stop with serve.
func TestServeMetricsAddr(t *testing.T) {
	clearEnv(t)
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			s := startServe(t, "--addr", "127.0.0.1:0", "--db", testdb.URL(t, engine), "--metrics-addr", "127.0.0.1:0")
			m := regexp.MustCompile(`metrics, without authentication, on (http://\S+)/metrics`).FindStringSubmatch(s.stdout.String())
			if m == nil {
				t.Fatalf("serve did not print the metrics address: %s", s.stdout)
			}
			get := func(url string) (int, string) {
				t.Helper()
				resp, err := http.Get(url)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if code, _ := get(s.url + "/healthz"); code != http.StatusOK {
				t.Fatalf("/healthz: %d", code)
			}
			if code, body := get(s.url + "/readyz"); code != http.StatusOK || !strings.Contains(body, `"ready"`) {
				t.Errorf("/readyz: %d %s", code, body)
			}
			code, body := get(m[1] + "/metrics")
			if code != http.StatusOK || !strings.Contains(body, `relais_http_requests_total{method="GET",route="GET /healthz",status="2xx"}`) {
				t.Errorf("metrics address: %d %.300s", code, body)
			}
			if code, _ := get(m[1] + "/healthz"); code != http.StatusNotFound {
				t.Errorf("metrics address serves /healthz: %d", code)
			}
			if code, body := get(s.url + "/metrics"); code != http.StatusNotFound || strings.Contains(body, "relais_http") {
				t.Errorf("main address, not signed in: %d %.200s", code, body)
			}
			s.stop(t)
			if _, err := http.Get(m[1] + "/metrics"); err == nil {
				t.Errorf("the metrics address still answers after serve stopped")
			}
		})
	}
}

// TestServeEnvBoolOverriddenByFlag: "a flag on the command line wins"
// holds for boolean variables too: a bad RELAIS_DEMO does not matter when
// --demo is given.
func TestServeEnvBoolOverriddenByFlag(t *testing.T) {
	clearEnv(t)
	inTempDir(t)
	t.Setenv("RELAIS_DEMO", "maybe")
	code, stdout, stderr := runCmd(t, "serve", "--demo=false", "--addr", "bad")
	if code != 2 {
		t.Fatalf("exit %d; want 2 (the --addr is bad)\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "RELAIS_DEMO") {
		t.Errorf("a bad RELAIS_DEMO is refused though --demo on the command line overrides it: %s", strings.TrimSpace(stderr))
	}
}

// TestSQLiteURLWithoutPath: sqlite:// names no file, a usage error (2)
// like sqlite:, not a failure to open the working directory (1).
func TestSQLiteURLWithoutPath(t *testing.T) {
	clearEnv(t)
	inTempDir(t)
	code, _, stderr := runCmd(t, "migrate", "--db", "sqlite://")
	if code != 2 || !strings.Contains(stderr, "--db") {
		t.Errorf("migrate --db sqlite://: exit %d, stderr %q; want 2 naming --db", code, stderr)
	}
}

// TestBenchRefusesADatabaseInUse: bench measures an empty database only.
func TestBenchRefusesADatabaseInUse(t *testing.T) {
	clearEnv(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "used.db")
	if code, stdout, stderr := runCmd(t, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d\n%s%s", code, stdout, stderr)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	err = demo.Load(t.Context(), st, "pw")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "bench", "--quick", "--json", "--db", db)
	if code != 1 || !strings.Contains(stderr, "empty database") || stdout != "" {
		t.Errorf("bench on a database in use: exit %d, stdout %q, stderr %q; want 1 saying it needs an empty database", code, stdout, stderr)
	}
}

func TestBenchQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("bench --quick takes a few seconds")
	}
	clearEnv(t)
	start := time.Now()
	// Not runCmd: under -race the workloads take well over its 20 s.
	var out, errOut syncBuffer
	code := run(t.Context(), []string{"bench", "--quick", "--json"}, &out, &errOut)
	stdout, stderr := out.String(), errOut.String()
	t.Logf("bench --quick --json ran in %v", time.Since(start).Round(time.Millisecond))
	if code != 0 {
		t.Fatalf("bench --quick --json: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 6 {
		t.Fatalf("bench --quick --json printed %d lines; want 6:\n%s", len(lines), stdout)
	}
	names := map[string]bool{}
	for _, line := range lines {
		var r struct {
			Name    string  `json:"name"`
			Ops     int     `json:"ops"`
			Errors  *int    `json:"errors"`
			PerSec  float64 `json:"ops_per_sec"`
			Elapsed int64   `json:"elapsed_ns"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Errorf("not a JSON object: %q: %v", line, err)
			continue
		}
		if r.Ops <= 0 || r.Errors == nil || *r.Errors != 0 || r.PerSec <= 0 || r.Elapsed <= 0 {
			t.Errorf("bench row %s: want ops > 0, errors 0, a rate and a duration", line)
		}
		if !strings.HasPrefix(r.Name, "sqlite ") || names[r.Name] {
			t.Errorf("bench row named %q: want a distinct name starting with the engine", r.Name)
		}
		names[r.Name] = true
	}
	if !strings.Contains(stderr, "6 workloads") {
		t.Errorf("bench progress on stderr: %q", stderr)
	}
}
