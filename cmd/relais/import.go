package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/events"
)

const importUsage = `Usage:
  relais import directory [--db URL] [--deactivate-missing] [--dry-run] [--json] FILE.csv

Imports the directory from a CSV file in UTF-8 ("-" reads standard input), whose header is
  login,name,email,unit,team,manages,employment,site,job_family
(any order; comma or semicolon). The import is idempotent and applies the good lines;
it prints one line of report per line of the file (created, changed and which fields,
unchanged, refused and why) on standard output, and a progress bar on standard error.
Teams named for the first time are created with their closed team space.

  --deactivate-missing  deactivate the accounts an earlier CSV import manages that the
                        file no longer lists (they can no longer sign in); without it,
                        nobody is deactivated
  --dry-run             report what the import would do, and write nothing
  --json                print the report as JSON

Exit status: 0 every line applied, 3 some lines refused (the others applied),
1 nothing imported (an unreadable file, a header lacking columns), 2 usage.
The report is in French when LANG (or LC_ALL) starts with fr.
`

// errRefused says that an import refused some lines and applied the others.
var errRefused = errors.New("some lines were refused")

// importCmd runs "relais import directory".
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "directory" && args[0] != "-h" && args[0] != "--help" && args[0] != "help") {
		if len(args) > 0 {
			fmt.Fprintf(stderr, "relais import: unknown kind %q: only \"directory\" can be imported\n\n", args[0])
		}
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	if args[0] != "directory" {
		fmt.Fprint(stdout, importUsage)
		return flag.ErrHelp
	}
	cfg := defaultConfig()
	fs, envErrs := flags("import directory", &cfg, stderr, "db")
	deactivate := fs.Bool("deactivate-missing", false, "deactivate the CSV-managed accounts the file no longer lists")
	dryRun := fs.Bool("dry-run", false, "report what the import would do, and write nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() { fmt.Fprint(stderr, importUsage) }
	// Flags may come before or after the file.
	var files []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) { delete(envErrs, f.Name) })
	for _, err := range envErrs {
		fmt.Fprintf(stderr, "relais import: %v\n", err)
		return errUsage
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "relais import directory: give one CSV file (got %d)\n\n%s", len(files), importUsage)
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "relais import: %v\n", err)
		return errUsage
	}
	var file io.Reader = os.Stdin
	if files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			return fmt.Errorf("read the directory file: %w", err)
		}
		defer f.Close()
		file = f
	}
	lg := consoleLang()
	st, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := app.New(st, events.NewLocal(), slog.New(slog.NewTextHandler(stderr, nil)))
	bar := &progressBar{w: stderr, label: "import"}
	rep, err := svc.ImportDirectoryFromConsole(ctx, file, app.ImportOptions{DeactivateMissing: *deactivate, DryRun: *dryRun, Progress: bar.update})
	bar.finish()
	if err != nil {
		if e := relais.AsError(err); e.Code != relais.EINTERNAL {
			return errors.New(e.Localized(lg))
		}
		return err
	}
	if *asJSON {
		type line struct {
			relais.ImportLine
			Message string `json:"message,omitempty"`
		}
		out := struct {
			*relais.ImportReport
			Lines []line `json:"lines"`
		}{ImportReport: rep, Lines: make([]line, len(rep.Lines))}
		for i, l := range rep.Lines {
			out.Lines[i] = line{ImportLine: l, Message: l.Localized(lg)}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		writeReport(stdout, rep, lg)
	}
	if rep.Refused > 0 {
		return errRefused
	}
	return nil
}

// consoleLang is the language of the console: French when LC_ALL, or else
// LANG, starts with fr.
func consoleLang() string {
	v := os.Getenv("LC_ALL")
	if v == "" {
		v = os.Getenv("LANG")
	}
	if strings.HasPrefix(strings.ToLower(v), "fr") {
		return "fr"
	}
	return "en"
}

// writeReport prints the report line by line, then its totals.
func writeReport(w io.Writer, rep *relais.ImportReport, lg string) {
	fr := lg == "fr"
	word := map[relais.LineOutcome]string{relais.LineCreated: "created", relais.LineChanged: "changed", relais.LineUnchanged: "unchanged", relais.LineRefused: "refused"}
	if fr {
		word = map[relais.LineOutcome]string{relais.LineCreated: "créé", relais.LineChanged: "modifié", relais.LineUnchanged: "inchangé", relais.LineRefused: "refusé"}
	}
	lineWord := "line"
	if fr {
		lineWord = "ligne"
	}
	for _, l := range rep.Lines {
		login := l.Login
		if login == "" {
			login = "-"
		}
		fmt.Fprintf(w, "%s %d\t%s\t%s", lineWord, l.Line, login, word[l.Outcome])
		switch l.Outcome {
		case relais.LineChanged:
			fmt.Fprintf(w, ": %s", strings.Join(l.Fields, ", "))
		case relais.LineRefused:
			fmt.Fprintf(w, ": %s", l.Localized(lg))
		}
		fmt.Fprintln(w)
	}
	total := len(rep.Lines)
	if fr {
		fmt.Fprintf(w, "%d lignes : %d créées, %d modifiées, %d inchangées, %d refusées", total, rep.Created, rep.Changed, rep.Unchanged, rep.Refused)
	} else {
		fmt.Fprintf(w, "%d lines: %d created, %d changed, %d unchanged, %d refused", total, rep.Created, rep.Changed, rep.Unchanged, rep.Refused)
	}
	list := func(en, frLabel string, names []string) {
		if len(names) > 0 {
			label := en
			if fr {
				label = frLabel
			}
			fmt.Fprintf(w, "; %s: %s", label, strings.Join(names, ", "))
		}
	}
	list("teams created", "équipes créées", rep.TeamsCreated)
	list("team spaces created", "espaces d'équipe créés", rep.SpacesCreated)
	list("deactivated", "désactivés", rep.Deactivated)
	if rep.DryRun {
		if fr {
			fmt.Fprint(w, " (simulation : rien n'a été écrit)")
		} else {
			fmt.Fprint(w, " (dry run: nothing was written)")
		}
	}
	fmt.Fprintln(w)
}

// progressBar draws the progress of an import on one line of a terminal,
// at most ten times a second, and once more at the end.
type progressBar struct {
	w     io.Writer
	label string
	last  time.Time
	drawn bool
	done  int
	total int
}

func (p *progressBar) update(done, total int) {
	if total <= 0 || (p.drawn && done == p.done && total == p.total) {
		return
	}
	p.done, p.total = done, total
	if done < total && p.drawn && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.draw()
}

func (p *progressBar) draw() {
	const width = 30
	filled := width * p.done / p.total
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %3d%%", p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		p.done, p.total, 100*p.done/p.total)
	p.last, p.drawn = time.Now(), true
}

func (p *progressBar) finish() {
	if p.drawn {
		if p.done < p.total {
			p.draw()
		}
		fmt.Fprintln(p.w)
	}
}
