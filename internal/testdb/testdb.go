// Package testdb gives tests of any package a real, freshly migrated store
// on every engine under test: SQLite always, PostgreSQL when the environment
// variable RELAIS_TEST_POSTGRES holds a URL (a database the tests may use to
// create and drop their own databases).
//
//	for _, engine := range testdb.Engines(t) {
//		t.Run(engine, func(t *testing.T) {
//			st := testdb.Open(t, engine)
//			…
//		})
//	}
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"relais/store"
)

// EnvPostgres names the environment variable that holds the URL of the
// PostgreSQL server to test on, as in
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvPostgres = "RELAIS_TEST_POSTGRES"

var skipNotice sync.Once

// Engines returns the engines to test on: "sqlite", and "postgres" when
// RELAIS_TEST_POSTGRES is set. In CI (CI set) an unset RELAIS_TEST_POSTGRES
// is a failure, so that PostgreSQL tests never silently stop running.
func Engines(t testing.TB) []string {
	t.Helper()
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("testdb: %s is not set while CI is: PostgreSQL tests would silently not run; "+
			"set it to a server URL such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable", EnvPostgres)
	}
	skipNotice.Do(func() {
		t.Logf("testdb: PostgreSQL tests skipped: %s is not set (set it to a server URL, "+
			"e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run them)", EnvPostgres)
	})
	return []string{"sqlite"}
}

// Open returns a freshly migrated store on engine, in a database of its own
// that disappears when the test ends.
func Open(t testing.TB, engine string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), URL(t, engine))
	if err != nil {
		t.Fatalf("testdb: open %s: %v", engine, err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("testdb: migrate %s: %v", engine, err)
	}
	return st
}

// URL returns the URL of a brand new, empty (not migrated) database on
// engine, for tests that open it themselves, possibly several times. The
// database is removed when the test ends: a SQLite file in t.TempDir(), or
// a PostgreSQL database dropped with its connections.
func URL(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "relais.db")
	case "postgres":
		return postgresURL(t)
	}
	t.Fatalf("testdb: unknown engine %q", engine)
	return ""
}

func postgresURL(t testing.TB) string {
	t.Helper()
	server := os.Getenv(EnvPostgres)
	if server == "" {
		t.Fatalf("testdb: engine postgres needs %s", EnvPostgres)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("testdb: %s is not a URL: %v", EnvPostgres, err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("testdb: connect to %s: %v", u.Redacted(), err)
	}
	name := "relais_t_" + randomHex(8)
	if _, err := admin.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("testdb: create database on %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		// t.Context() is already canceled while cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
