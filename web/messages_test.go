package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"relais"
	"relais/api"
)

// TestCatalogComplete checks that French and English have the same keys,
// no empty text, and the same format verbs in each text.
func TestCatalogComplete(t *testing.T) {
	if len(messages) != 2 || messages["fr"] == nil || messages["en"] == nil {
		t.Fatalf("the catalog must hold exactly fr and en, has %d languages", len(messages))
	}
	verbs := regexp.MustCompile(`%(\[\d+\])?[a-z]`)
	for _, pair := range [][2]string{{"fr", "en"}, {"en", "fr"}} {
		for key, s := range messages[pair[0]] {
			other, ok := messages[pair[1]][key]
			if !ok {
				t.Errorf("%s has %q, %s has not", pair[0], key, pair[1])
				continue
			}
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %q is empty", pair[0], key)
			}
			a, b := verbs.FindAllString(s, -1), verbs.FindAllString(other, -1)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%q: format verbs differ: %s %v, %s %v", key, pair[0], a, pair[1], b)
			}
		}
	}
}

// usedKeys returns every message key the templates and the Go code name.
func usedKeys(t *testing.T) []string {
	var keys []string
	inTemplates := regexp.MustCompile(`\.(?:T|Tf|Explain|Note) "([a-z_.0-9]+)"`)
	plural := regexp.MustCompile(`\.Plural "([a-z_.0-9]+)"`)
	inGo := regexp.MustCompile(`(?:text\([a-zA-Z.]+, |\.T\(|\.Tf\()"([a-z_.0-9]+)"[,)]`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range inTemplates.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		for _, m := range plural.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1]+".one", m[1]+".other")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inGo.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in use: the patterns of this test are stale", len(keys))
	}
	// Keys built from the domain's values.
	for _, k := range relais.PostKinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, s := range []relais.PostStatus{relais.StatusPendingApproval, relais.StatusHidden, relais.StatusRejected} {
		keys = append(keys, "status."+string(s))
	}
	for _, k := range []relais.SpaceKind{relais.SpaceCommunity, relais.SpaceTeam} {
		keys = append(keys, "space.kind."+string(k))
	}
	for _, a := range []relais.Audience{relais.AudienceInternal, relais.AudienceExternal, relais.AudienceMixed} {
		keys = append(keys, "audience."+string(a))
	}
	for _, p := range []relais.JoinPolicy{relais.JoinOpen, relais.JoinByCriteria, relais.JoinRequest, relais.JoinDirectory} {
		keys = append(keys, "join."+string(p))
	}
	for _, k := range relais.ReactionKinds {
		keys = append(keys, "react."+string(k))
	}
	for _, k := range []string{"post", "reply", "join"} {
		keys = append(keys, "approvals.kind."+k)
	}
	for _, st := range []relais.ApprovalStatus{relais.ApprovalPending, relais.ApprovalApproved, relais.ApprovalRejected} {
		keys = append(keys, "requests.status."+string(st))
	}
	for _, st := range []relais.ApprovalStatus{relais.ApprovalApproved, relais.ApprovalRejected} {
		keys = append(keys, "approvals.done."+string(st))
	}
	for _, k := range []string{"status.pending", "status.waiting", "status.approved", "status.refused",
		"done.approved", "done.refused", "done.pending_approval"} {
		keys = append(keys, "joinreq."+k)
	}
	keys = append(keys, "charter.accepted_now")
	for _, code := range []string{relais.EINVALID, relais.EUNAUTHORIZED, relais.EFORBIDDEN, relais.ENOTFOUND, relais.ECONFLICT,
		relais.EUNPROCESSABLE, relais.ETOOMANY, relais.EINTERNAL, relais.ETOOLARGE} {
		keys = append(keys, "error."+strconv.Itoa(api.StatusOf(code)))
	}
	return keys
}

// TestCatalogCoversUse checks that every key in use has a text.
func TestCatalogCoversUse(t *testing.T) {
	for _, key := range usedKeys(t) {
		if _, ok := messages["en"][key]; !ok {
			t.Errorf("key %q is used but not in the catalog", key)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 réponse"}, {"fr", 1, "1 réponse"}, {"fr", 2, "2 réponses"},
		{"en", 0, "0 replies"}, {"en", 1, "1 reply"}, {"en", 7, "7 replies"},
	} {
		p := &Page{Lang: c.lang}
		if got := p.Plural("replies", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
