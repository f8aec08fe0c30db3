package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"time"

	"relais/bench"
	"relais/store"
)

// searchSpaces are the spaces of the demo organization the search data
// set fills: paul reads the first three, not the fourth, so that the
// searches also skip what he may not read.
var searchSpaces = []string{"Support Lyon", "Innovation Produits", "Clients Pro", "Ventes Paris"}

// searchBench loads the search data set into the demo organization, then
// runs the search workloads from a second process (this program with
// --client), so that the load generator does not share the server's
// process, and prints its rows.
func searchBench(ctx context.Context, st *store.Store, base string, posts int, quick, asJSON bool, cpuProfile string, stdout, stderr io.Writer) error {
	all, err := st.Spaces(ctx)
	if err != nil {
		return err
	}
	var ids []int64
	for _, name := range searchSpaces {
		for _, sp := range all {
			if sp.Name == name {
				ids = append(ids, sp.ID)
			}
		}
	}
	if len(ids) != len(searchSpaces) {
		return fmt.Errorf("bench: the demo organization lacks one of the spaces %v", searchSpaces)
	}
	fmt.Fprintf(stderr, "relais bench --search on %s: loading %d threads with their index…\n", st.Engine(), posts)
	took, err := bench.SeedSearch(ctx, st, ids, posts, 500)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "  loaded in %v\n", took.Round(time.Millisecond))
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"bench", "--search", "--client", base, "--json"}
	if quick {
		args = append(args, "--quick")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		pf, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	var failed error
	for sc.Scan() {
		var r bench.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(stdout, sc.Text())
			continue
		}
		r.Name = st.Engine() + " " + r.Name
		if asJSON {
			json.NewEncoder(stdout).Encode(r)
		} else {
			fmt.Fprintln(stdout, r)
		}
		if r.Errors > 0 && failed == nil {
			failed = fmt.Errorf("%s: %d errors, first: %s", r.Name, r.Errors, r.FirstErr)
		}
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	return failed
}

// searchClient measures a Relais serving the search data set: the
// newest-page read and each class of searches, 16 at a time, and prints
// one JSON row per workload, then the ratio of each class's throughput to
// the page read's.
func searchClient(ctx context.Context, base string, ops int, stdout io.Writer) error {
	c := bench.Client(16)
	token, err := bench.Token(ctx, c, base, "paul", "demo")
	if err != nil {
		return err
	}
	space, err := bench.SpaceID(ctx, c, base, token, searchSpaces[0])
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	// Warm up: every query once.
	qs := bench.SearchQueries()
	for _, class := range bench.SearchClasses {
		bench.Search(ctx, c, base, token, class, qs[class], 4, len(qs[class]))
	}
	bench.ReadPage(ctx, c, base, token, space, 4, 200)
	page := bench.ReadPage(ctx, c, base, token, space, 16, ops*2)
	enc.Encode(page)
	for _, class := range bench.SearchClasses {
		r := bench.Search(ctx, c, base, token, class, qs[class], 16, ops)
		enc.Encode(r)
		fmt.Fprintf(os.Stderr, "  %s: %s of the page read's throughput\n", class, strconv.FormatFloat(r.PerSec/page.PerSec*100, 'f', 0, 64)+" %")
	}
	return nil
}
