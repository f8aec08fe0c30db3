package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"relais"
	"relais/app"
	"relais/policy"
)

// TestCockpitKeysComplete checks the texts the cockpit's pages name from
// the domain's values, which TestCatalogCoversUse cannot see in the code:
// every action of the policy, profile of the matrix, kind and severity of
// finding, and every audited action the domain package declares.
func TestCockpitKeysComplete(t *testing.T) {
	var keys []string
	for _, a := range policy.Actions {
		keys = append(keys, "cockpit.action."+string(a))
	}
	for _, p := range app.Matrix().Profiles {
		keys = append(keys, "cockpit.profile."+string(p.ID), "cockpit.profile_where."+string(p.ID))
	}
	for _, k := range relais.FindingKinds {
		keys = append(keys, "cockpit.health.kind."+string(k))
	}
	for _, sv := range relais.FindingSeverities {
		keys = append(keys, "cockpit.health.severity."+string(sv))
	}
	for _, e := range []string{"allow", "needs_approval", "deny"} {
		keys = append(keys, "cockpit.rulebook.effect."+e)
	}
	for _, a := range auditActions(t) {
		keys = append(keys, "cockpit.audit.action."+a)
	}
	for _, lang := range []string{"fr", "en"} {
		for _, k := range keys {
			if _, ok := messages[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	p := &Page{Lang: "en"}
	if got := p.AuditAction("something.new"); got != "something.new" {
		t.Errorf("an unknown audited action shows as %q, want it raw", got)
	}
	if got := p.AuditAction(relais.AuditRolesSet); got != "Roles changed" {
		t.Errorf("roles.set shows as %q", got)
	}
	if got := p.ActionName("unknown.action"); got != "unknown.action" {
		t.Errorf("an unknown action shows as %q", got)
	}
}

// auditActions returns the values of the Audit… constants the domain
// package (the repository's root) declares, read from its source.
func auditActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasPrefix(n.Name, "Audit") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out = append(out, v)
					}
				}
			}
		}
	}
	if len(out) < 28 {
		t.Fatalf("found only %d audited actions in the domain package: the parsing is stale", len(out))
	}
	return out
}
