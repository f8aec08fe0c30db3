package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"relais/app"
	"relais/bench"
	"relais/demo"
	"relais/events"
	"relais/server"
)

// benchCmd runs the benchmark workloads against a Relais served on
// loopback by this process, on a new SQLite database (or --db, which must
// be empty), and prints one row per workload.
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "live" {
		return benchLiveCmd(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "ramp" {
		return benchRampCmd(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("relais bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "a small data set: under a minute")
	asJSON := fs.Bool("json", false, "print one JSON object per workload")
	db := fs.String("db", "", "an EMPTY database to measure (default: a new SQLite file in a temporary directory)")
	searchMode := fs.Bool("search", false, "the search workloads: threads loaded in bulk with their index, searched from another process")
	posts := fs.Int("posts", 1_000_000, "with --search: the threads to load (100,000 with --quick)")
	client := fs.String("client", "", "with --search: measure a Relais already serving the search data set at this URL, from this process")
	cpuProfile := fs.String("cpuprofile", "", "with --search: write the serving process's CPU profile of the searches to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais bench: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if *searchMode && *client != "" {
		ops := 4000
		if *quick {
			ops = 800
		}
		return searchClient(ctx, *client, ops, stdout)
	}
	if *db == "" {
		dir, err := os.MkdirTemp("", "relais-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*db = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	cfg := defaultConfig()
	cfg.DB = *db
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "relais bench: %v\n", err)
		return errUsage
	}
	st, err := openStore(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := demo.Load(ctx, st, "demo"); err != nil {
		return fmt.Errorf("bench needs an empty database: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := server.NewHTTPServer(ln.Addr().String(), server.Handler(app.New(st, events.NewLocal(), log), log, server.Options{}))
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	if *searchMode {
		if *quick && *posts == 1_000_000 {
			*posts = 100_000
		}
		return searchBench(ctx, st, base, *posts, *quick, *asJSON, *cpuProfile, stdout, stderr)
	}
	c := bench.Client(64)
	token, err := bench.Token(ctx, c, base, "paul", "demo")
	if err != nil {
		return err
	}
	space, err := bench.SpaceID(ctx, c, base, token, "Support Lyon")
	if err != nil {
		return err
	}
	ops := 20000
	if *quick {
		ops = 2000
	}
	type workload struct {
		name string
		run  func() bench.Result
	}
	var workloads []workload
	for _, w := range []int{1, 16, 64} {
		workloads = append(workloads, workload{fmt.Sprintf("post, %d writers", w), func() bench.Result {
			return bench.Post(ctx, bench.Client(w), base, token, space, w, ops/4*(1+w/16))
		}})
	}
	for _, r := range []int{1, 16} {
		workloads = append(workloads, workload{fmt.Sprintf("read newest page, %d readers", r), func() bench.Result {
			if err := st.Optimize(ctx); err != nil {
				return bench.Result{Errors: 1, FirstErr: err.Error()}
			}
			return bench.ReadPage(ctx, bench.Client(r), base, token, space, r, ops/2)
		}})
	}
	// Analytics: a community holding a million threads (100,000 with
	// --quick), read warm by its steward.
	workloads = append(workloads, workload{"analytics, 1 reader", func() bench.Result {
		fail := func(err error) bench.Result { return bench.Result{Errors: 1, FirstErr: err.Error()} }
		samir, err := bench.Token(ctx, c, base, "samir", "demo")
		if err != nil {
			return fail(err)
		}
		innovation, err := bench.SpaceID(ctx, c, base, samir, "Innovation Produits")
		if err != nil {
			return fail(err)
		}
		posts := 1_000_000
		if *quick {
			posts = 100_000
		}
		load, fold, err := bench.SeedAnalytics(ctx, st, innovation, posts, 500, 24)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stderr, "  %d threads loaded in %v, folded in %v\n", posts, load.Round(time.Millisecond), fold.Round(time.Millisecond))
		if r := bench.Analytics(ctx, bench.Client(1), base, samir, innovation, 1, 3); r.Errors > 0 {
			return r
		}
		return bench.Analytics(ctx, bench.Client(1), base, samir, innovation, 1, ops/10)
	}})
	fmt.Fprintf(stderr, "relais bench on %s (%s): %d workloads\n", st.Engine(), *db, len(workloads))
	for i, w := range workloads {
		fmt.Fprintf(stderr, "[%d/%d] %s…\n", i+1, len(workloads), w.name)
		r := w.run()
		r.Name = st.Engine() + " " + r.Name
		if *asJSON {
			json.NewEncoder(stdout).Encode(r)
		} else {
			fmt.Fprintln(stdout, r)
		}
		if r.Errors > 0 {
			return fmt.Errorf("%s: %d errors, first: %s", w.name, r.Errors, r.FirstErr)
		}
	}
	return nil
}
