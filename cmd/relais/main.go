// Command relais runs Relais: the web UI and API (serve), the schema
// migrations (migrate) and prints its version (version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"relais/app"
	"relais/auth"
	"relais/demo"
	"relais/events"
	"relais/server"
	"relais/store"
)

// Version is the version of Relais, set at build time with
// -ldflags "-X main.Version=…".
var Version = "0.1.0-dev"

const usage = `Relais — enterprise social spaces where every role works inside a clear field of action.

Usage:
  relais serve   [--addr :8080] [--db URL] [--demo] [--demo-password PW] [--secure-cookies] [--smtp URL] [--public-url URL]
                 [--webhooks-allow-private] [--trusted-proxies CIDR,…] [--metrics-addr ADDR]
                 [--events-retention 24h] [--events-keep 100000]
                 [--oidc-issuer URL --oidc-client-id ID [--oidc-client-secret S] [--oidc-redirect-url URL]]
  relais migrate [--db URL]
  relais bench   [--quick] [--json] [--db EMPTY-DB-URL]
  relais import  directory [--db URL] [--deactivate-missing] [--dry-run] [--json] FILE.csv
  relais version

Every flag also reads an environment variable RELAIS_<FLAG> (RELAIS_ADDR, RELAIS_DB,
RELAIS_DEMO, RELAIS_DEMO_PASSWORD, RELAIS_SECURE_COOKIES, RELAIS_SMTP, RELAIS_PUBLIC_URL,
RELAIS_WEBHOOKS_ALLOW_PRIVATE, RELAIS_TRUSTED_PROXIES, RELAIS_METRICS_ADDR, RELAIS_EVENTS_RETENTION,
RELAIS_EVENTS_KEEP); a flag on the command line wins.
--db is sqlite:PATH (default sqlite:relais.db) or postgres://user@host:port/database.
--smtp is smtp://[user:password@]host:port?from=relais@example.com (e-mail is sent only when set).
--trusted-proxies lists the reverse proxies (CIDR ranges or addresses, 10.0.0.0/8,192.0.2.7) whose
X-Forwarded-For gives the client's address; from anyone else the header is ignored.
--oidc-issuer offers "Sign in with your company account" through that OpenID Connect provider
(RELAIS_OIDC_ISSUER, RELAIS_OIDC_CLIENT_ID, RELAIS_OIDC_CLIENT_SECRET, RELAIS_OIDC_REDIRECT_URL);
register https://YOUR-HOST/signin/oidc/callback as its redirect URL.
--webhooks-allow-private lets webhooks go to loopback, private, link-local and other internal
addresses, refused otherwise (when a webhook is created and again when it connects).
--metrics-addr serves GET /metrics (Prometheus) on a listener of its own, WITHOUT authentication:
give an internal address only (127.0.0.1:9090, an address of the monitoring network), never a
public one. On --addr, /metrics answers internal administrators only.

--events-retention and --events-keep bound the event log live updates resume from: events older
than the retention (default 24h) are pruned, but never the newest --events-keep (default 100000).
Run "relais COMMAND --help" for the flags of a command.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], stdout, stderr)
	case "bench":
		err = benchCmd(ctx, args[1:], stdout, stderr)
	case "import":
		err = importCmd(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "relais %s (%s)\n", Version, runtime.Version())
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "relais: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if errors.Is(err, errUsage) {
		return 2
	} else if errors.Is(err, errRefused) {
		return 3
	} else if err != nil {
		fmt.Fprintf(stderr, "relais: %v\n", err)
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

// Config is the configuration of a command: defaults, then environment,
// then flags, then Validate.
type Config struct {
	Addr          string
	DB            string
	Demo          bool
	DemoPassword  string
	SecureCookies bool
	// SMTP is the mail server e-mail leaves through ("": none).
	SMTP string
	// OIDC is the sign-in through the company's OpenID Connect provider
	// (no issuer: none).
	OIDC app.OIDCConfig
	// PublicURL is the address people reach Relais at
	// (https://relais.example.com): the company sign-in's callback and the
	// links Relais gives are made of it, never of a request's Host.
	PublicURL string
	// WebhooksAllowPrivate lets webhooks go to internal destinations.
	WebhooksAllowPrivate bool
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For is
	// believed, CIDR ranges or addresses ("": none).
	TrustedProxies string
	// MetricsAddr is the address of a listener serving GET /metrics to
	// anyone, for monitoring on an internal network ("": none).
	MetricsAddr string
	// EventsRetention and EventsKeep bound the event log live updates
	// replay from: events older than EventsRetention go, but never the
	// newest EventsKeep.
	EventsRetention time.Duration
	EventsKeep      int
}

// defaultConfig returns the defaults.
func defaultConfig() Config {
	return Config{Addr: ":8080", DB: "sqlite:relais.db", DemoPassword: "demo",
		EventsRetention: app.DefaultEventRetention, EventsKeep: app.DefaultEventKeep}
}

// Validate checks the configuration and says what is wrong in words.
func (c *Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: expected host:port or :port, as in :8080", c.Addr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("--addr %q: the port must be a number from 0 to 65535", c.Addr)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr %q: expected host:port, as in 127.0.0.1:9090", c.MetricsAddr)
		} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("--metrics-addr %q: the port must be a number from 0 to 65535", c.MetricsAddr)
		}
	}
	switch {
	case strings.HasPrefix(c.DB, "sqlite:"):
		if strings.TrimPrefix(strings.TrimPrefix(c.DB, "sqlite:"), "//") == "" {
			return fmt.Errorf("--db %q: give a file, as in sqlite:relais.db", c.DB)
		}
	case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
	default:
		return fmt.Errorf("--db %q: expected sqlite:PATH or postgres://user@host:port/database", c.DB)
	}
	if c.Demo && c.DemoPassword == "" {
		return errors.New("--demo-password must not be empty")
	}
	if c.EventsRetention < time.Minute {
		return fmt.Errorf("--events-retention %s: give a duration of at least a minute, as in 24h", c.EventsRetention)
	}
	if c.EventsKeep < 0 {
		return fmt.Errorf("--events-keep %d: give a number of events, 0 or more, as in 100000", c.EventsKeep)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url %q: expected the address people reach Relais at, as in https://relais.example.com", c.PublicURL)
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.OIDC != (app.OIDCConfig{}) {
		if err := c.OIDC.Validate(); err != nil {
			return fmt.Errorf("--oidc-*: %v", err)
		}
		if c.OIDC.RedirectURL == "" && c.PublicURL == "" {
			return errors.New("--oidc-issuer needs --public-url (or --oidc-redirect-url): the sign-in's callback address comes from the configuration, never from a request")
		}
	}
	if _, err := auth.ParseProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %v", err)
	}
	if c.SMTP != "" {
		if _, err := app.ParseSMTP(c.SMTP); err != nil {
			// The value is shown without its password, or not at all.
			if u, perr := url.Parse(c.SMTP); perr == nil {
				return fmt.Errorf("--smtp %q: %v", u.Redacted(), err)
			}
			return fmt.Errorf("--smtp: %v", err)
		}
	}
	return nil
}

// flags defines the flags of a command over cfg, with RELAIS_* environment
// variables as their defaults. It returns the environment values it could
// not read, by flag: they matter only if the flag is not given.
func flags(name string, cfg *Config, stderr io.Writer, which ...string) (*flag.FlagSet, map[string]error) {
	fs := flag.NewFlagSet("relais "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	envErrs := map[string]error{}
	env := func(flagName string) (string, bool) {
		return os.LookupEnv("RELAIS_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_")))
	}
	str := func(p *string, name, help string) {
		if v, ok := env(name); ok {
			*p = v
		}
		fs.StringVar(p, name, *p, help)
	}
	boolean := func(p *bool, name, help string) {
		if v, ok := env(name); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				envErrs[name] = fmt.Errorf("RELAIS_%s=%q: expected true or false", strings.ToUpper(strings.ReplaceAll(name, "-", "_")), v)
			}
			*p = b
		}
		fs.BoolVar(p, name, *p, help)
	}
	duration := func(p *time.Duration, name, help string) {
		if v, ok := env(name); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				envErrs[name] = fmt.Errorf("RELAIS_%s=%q: expected a duration, as in 24h or 90m", strings.ToUpper(strings.ReplaceAll(name, "-", "_")), v)
			}
			*p = d
		}
		fs.DurationVar(p, name, *p, help)
	}
	integer := func(p *int, name, help string) {
		if v, ok := env(name); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				envErrs[name] = fmt.Errorf("RELAIS_%s=%q: expected a whole number", strings.ToUpper(strings.ReplaceAll(name, "-", "_")), v)
			}
			*p = n
		}
		fs.IntVar(p, name, *p, help)
	}
	for _, w := range which {
		switch w {
		case "addr":
			str(&cfg.Addr, "addr", "address to listen on (RELAIS_ADDR)")
		case "db":
			str(&cfg.DB, "db", "database: sqlite:PATH or postgres://… (RELAIS_DB)")
		case "demo":
			boolean(&cfg.Demo, "demo", "load the demo organization into an empty database and print its accounts (RELAIS_DEMO)")
			str(&cfg.DemoPassword, "demo-password", "password of every demo account (RELAIS_DEMO_PASSWORD)")
		case "secure-cookies":
			boolean(&cfg.SecureCookies, "secure-cookies", "mark cookies Secure: Relais is served behind TLS (RELAIS_SECURE_COOKIES)")
		case "smtp":
			str(&cfg.SMTP, "smtp", "mail server for e-mail: smtp://[user:password@]host:port?from=address (RELAIS_SMTP)")
		case "trusted-proxies":
			str(&cfg.TrustedProxies, "trusted-proxies", "reverse proxies whose X-Forwarded-For gives the client's address: CIDR ranges or addresses, comma-separated (RELAIS_TRUSTED_PROXIES)")
		case "oidc":
			str(&cfg.OIDC.Issuer, "oidc-issuer", "issuer URL of the company's OpenID Connect provider (RELAIS_OIDC_ISSUER)")
			str(&cfg.OIDC.ClientID, "oidc-client-id", "client id of Relais at the provider (RELAIS_OIDC_CLIENT_ID)")
			str(&cfg.OIDC.ClientSecret, "oidc-client-secret", "client secret of Relais at the provider; prefer the environment (RELAIS_OIDC_CLIENT_SECRET)")
			str(&cfg.OIDC.RedirectURL, "oidc-redirect-url", "callback registered at the provider, https://host/signin/oidc/callback (default: --public-url followed by /signin/oidc/callback) (RELAIS_OIDC_REDIRECT_URL)")
		case "public-url":
			str(&cfg.PublicURL, "public-url", "address people reach Relais at, as in https://relais.example.com: the sign-in callback and links are made of it (RELAIS_PUBLIC_URL)")
		case "metrics-addr":
			str(&cfg.MetricsAddr, "metrics-addr", "serve GET /metrics without authentication on this address, for monitoring: "+
				"an internal address only (127.0.0.1:9090), never a public one (RELAIS_METRICS_ADDR)")
		case "events":
			duration(&cfg.EventsRetention, "events-retention", "keep the events live updates replay from (Last-Event-ID) at least this long (RELAIS_EVENTS_RETENTION)")
			integer(&cfg.EventsKeep, "events-keep", "keep at least this many of the newest events, whatever their age (RELAIS_EVENTS_KEEP)")
		case "webhooks":
			boolean(&cfg.WebhooksAllowPrivate, "webhooks-allow-private", "let webhooks go to loopback, private, link-local and other internal addresses (RELAIS_WEBHOOKS_ALLOW_PRIVATE)")
		}
	}
	return fs, envErrs
}

func parse(name string, args []string, stderr io.Writer, which ...string) (Config, error) {
	cfg := defaultConfig()
	fs, envErrs := flags(name, &cfg, stderr, which...)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errUsage
	}
	fs.Visit(func(f *flag.Flag) { delete(envErrs, f.Name) })
	for _, err := range envErrs {
		fmt.Fprintf(stderr, "relais %s: %v\n", name, err)
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais %s: unexpected argument %q\n", name, fs.Arg(0))
		return cfg, errUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "relais %s: %v\n", name, err)
		return cfg, errUsage
	}
	return cfg, nil
}

func openStore(ctx context.Context, cfg Config, stdout io.Writer) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, m := range applied {
		fmt.Fprintf(stdout, "applied migration %s\n", m)
	}
	conflicts, err := st.LoginConflicts(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for _, c := range conflicts {
		fmt.Fprintf(stdout, "login conflict: account %d %q has the login of account %d %q in another case: "+
			"it cannot sign in with a password nor be found by login until it is renamed (docs/DIRECTORY.md)\n", c.ID, c.Login, c.HolderID, c.Holder)
	}
	if err := st.Optimize(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("optimize: %w", err)
	}
	return st, nil
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse("migrate", args, stderr, "db")
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema at version %d (%s)\n", v, st.Engine())
	return nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse("serve", args, stderr, "addr", "db", "demo", "secure-cookies", "smtp", "oidc", "public-url", "webhooks", "trusted-proxies", "metrics-addr", "events")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	st, err := openStore(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	url := "http://" + displayAddr(ln.Addr())
	if cfg.Demo {
		loaded, err := demo.Loaded(ctx, st)
		if err != nil {
			ln.Close()
			return err
		}
		if !loaded {
			if err := demo.Load(ctx, st, cfg.DemoPassword); err != nil {
				ln.Close()
				return fmt.Errorf("load the demo organization: %w", err)
			}
			fmt.Fprintln(stdout, "demo organization loaded")
			demo.Write(stdout, url, cfg.DemoPassword)
		} else {
			fmt.Fprintln(stdout, "the database already holds an organization: kept as it is, nothing loaded")
			demo.Write(stdout, url, "")
		}
	}
	svc := app.New(st, events.NewLocal(), log)
	svc.WebhooksAllowPrivate = cfg.WebhooksAllowPrivate
	svc.EventRetention, svc.EventKeep = cfg.EventsRetention, cfg.EventsKeep
	if cfg.SMTP != "" {
		if svc.Mailer, err = app.ParseSMTP(cfg.SMTP); err != nil {
			return err // checked by Validate
		}
	}
	// Scheduled posts appear on time, including those that fell due while
	// the server was stopped; the outbox (webhooks, e-mail) leaves beside.
	schedCtx, stopScheduler := context.WithCancel(ctx)
	defer stopScheduler()
	go svc.RunScheduler(schedCtx, time.Second)
	opts := server.Options{Secure: cfg.SecureCookies, PublicURL: cfg.PublicURL}
	if opts.TrustedProxies, err = auth.ParseProxies(cfg.TrustedProxies); err != nil {
		return err // checked by Validate
	}
	if cfg.OIDC.Issuer != "" {
		if opts.OIDC, err = app.NewOIDC(cfg.OIDC); err != nil {
			return err // checked by Validate
		}
	}
	srv := server.NewHTTPServer(cfg.Addr, server.Handler(svc, log, opts))
	// Live streams never end by themselves: the shutdown ends them, and
	// their clients resume from their last event on the next start.
	srv.RegisterOnShutdown(svc.StopLive)
	go svc.RunLive(schedCtx)
	errc := make(chan error, 2)
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (--metrics-addr): %w", cfg.MetricsAddr, err)
		}
		metricsSrv = server.NewHTTPServer(cfg.MetricsAddr, server.MetricsHandler())
		go func() { errc <- metricsSrv.Serve(mln) }()
		fmt.Fprintf(stdout, "metrics, without authentication, on http://%s/metrics\n", displayAddr(mln.Addr()))
	}
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "Relais %s serving on %s (%s)\n", Version, url, st.Engine())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if metricsSrv != nil {
		if err := metricsSrv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
