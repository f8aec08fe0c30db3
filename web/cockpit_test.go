package web_test

// The cockpit's pages (web/cockpit.go, web/rulebook.go, web/audit.go): the
// rulebook holds every rule of the policy and no other, with the matrix of
// every action; the capacity, health, role names and audit pages follow
// the policy, speak French and English, and name the roles as the
// organization does.

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

var (
	ruleAnchor  = regexp.MustCompile(`id="rule-([^"]+)"`)
	ruleLink    = regexp.MustCompile(`href="#rule-([^"]+)"`)
	ruleIDCode  = regexp.MustCompile(`<code class="rule-id">([^<]*)</code>`)
	actionRow   = regexp.MustCompile(`<tr id="action-([^"]+)">`)
	effectCell  = regexp.MustCompile(`<td class="effect effect-(allow|needs_approval|deny)">`)
	cockpitKeys = regexp.MustCompile(`\b(?:cockpit\.(?:capacity|health|labels|rulebook|audit|profile|profile_where|action|link)\.[a-z_.]+|nav\.[a-z_]+)`)
)

// ruleIDs returns the sorted, distinct ids the expression finds.
func ruleIDs(re *regexp.Regexp, body string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestRulebookPage parses the rulebook in French and English: every rule
// of policy.Rules is there with its id and its sentence in the page's
// language, no other rule id appears, and the matrix has a row of seven
// decisions for every action of the policy.
func TestRulebookPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var want []string
		for _, r := range policy.Rules {
			want = append(want, r.ID)
		}
		slices.Sort(want)
		for _, lang := range []string{"fr", "en"} {
			for _, login := range []string{"paul", "xavier"} {
				b := e.browser(t, lang)
				b.signIn(login)
				p := b.get("/rulebook")
				mustStatus(t, p, http.StatusOK)
				mustContain(t, p, `<html lang="`+lang+`">`, `href="/rulebook" aria-current="page"`)
				if got := ruleIDs(ruleAnchor, p.Body); !slices.Equal(got, want) {
					t.Errorf("%s %s: rules on the page %v\nwant %v", lang, login, got, want)
				}
				if got := ruleIDs(ruleIDCode, p.Body); !slices.Equal(got, want) {
					t.Errorf("%s %s: rule ids shown %v\nwant %v", lang, login, got, want)
				}
				for _, id := range ruleIDs(ruleLink, p.Body) {
					if _, ok := policy.Lookup(id); !ok {
						t.Errorf("%s: the matrix links an unknown rule %q", lang, id)
					}
				}
				for _, r := range policy.Rules {
					sentence := r.EN
					if lang == "fr" {
						sentence = r.FR
					}
					if !strings.Contains(p.Body, html.EscapeString(sentence)) {
						t.Errorf("%s: the sentence of %s is missing", lang, r.ID)
					}
				}
				var actions []string
				for _, a := range policy.Actions {
					actions = append(actions, string(a))
				}
				if got := actionRow.FindAllStringSubmatch(p.Body, -1); len(got) != len(actions) {
					t.Errorf("%s: %d rows in the matrix, %d actions", lang, len(got), len(actions))
				} else {
					for i, m := range got {
						if m[1] != actions[i] {
							t.Errorf("%s: row %d is %s, want %s", lang, i, m[1], actions[i])
						}
					}
				}
				if n := len(effectCell.FindAllString(p.Body, -1)); n != 7*len(policy.Actions) {
					t.Errorf("%s: %d cells in the matrix, want %d", lang, n, 7*len(policy.Actions))
				}
				if k := cockpitKeys.FindString(p.Body); k != "" {
					t.Errorf("%s: untranslated key %q", lang, k)
				}
				checkHeadings(t, lang+" /rulebook", p)
			}
		}
	})
}

// TestRoleLabelsOnPages renames the roles and finds the organization's
// names beside the role ids on the rulebook, the capacity and the health
// pages, while the rules keep their words.
func TestRoleLabelsOnPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire := e.browser(t, "en")
		claire.signIn("claire")
		form := claire.get("/role-labels")
		mustStatus(t, form, http.StatusOK)
		res := claire.postForm(form, "/role-labels", url.Values{"role": {"community_manager"}, "fr": {"Responsable des initiatives sociales"},
			"en": {"Social initiatives manager"}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, claire.get(res.Location()), "Names saved.", `value="Social initiatives manager"`)
		res = claire.postForm(form, "/role-labels", url.Values{"role": {"social_media_manager"}, "fr": {"Animateur de communautés"}, "en": {"Community animator"}})
		mustStatus(t, res, http.StatusSeeOther)

		paul := e.browser(t, "en")
		paul.signIn("paul")
		rb := paul.get("/rulebook")
		mustContain(t, rb, `<dd class="role-label" id="label-community_manager">Social initiatives manager</dd>`,
			`Social initiatives manager <code>community_manager</code>`, `Community animator <code>social_media_manager</code>`)
		rule, _ := policy.Lookup(policy.RuleCockpitCM)
		mustContain(t, rb, html.EscapeString(rule.EN))
		fr := e.browser(t, "fr")
		fr.signIn("paul")
		mustContain(t, fr.get("/rulebook"), "Responsable des initiatives sociales <code>community_manager</code>", "Animateur de communautés <code>social_media_manager</code>")

		mustContain(t, claire.get("/capacity"), "The people with the role «Community animator»", `<li class="tag">Community animator</li>`)
		mustContain(t, claire.get("/health"), "What needs the attention of the role «Social initiatives manager»")
		mustContain(t, claire.get("/cockpit"), "What the role «Social initiatives manager» follows")
		if _, err := e.services().SetRoles(context.Background(), e.user("claire"), e.user("lea").ID,
			[]relais.Role{relais.RoleSocialMediaManager}); err != nil {
			t.Fatal(err)
		}
		mustContain(t, claire.get("/audit"), "- → Community animator (social_media_manager)")

		// An empty field restores the default.
		res = claire.postForm(form, "/role-labels", url.Values{"role": {"community_manager"}, "fr": {""}, "en": {""}})
		mustStatus(t, res, http.StatusSeeOther)
		mustContain(t, paul.get("/rulebook"), `<dd class="role-label" id="label-community_manager">Community manager</dd>`)

		// A refused form keeps what was typed and saves nothing.
		long := strings.Repeat("x", 81)
		res = claire.postForm(form, "/role-labels", url.Values{"role": {"administrator"}, "fr": {"Informatique"}, "en": {long}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "The label is longer than 80 characters.", `id="role-administrator-en"`, `value="`+long+`"`, `aria-invalid="true"`)
		mustContain(t, paul.get("/rulebook"), `<dd class="role-label" id="label-administrator">Administrator</dd>`)
		res = claire.postForm(form, "/role-labels", url.Values{"role": {"king"}, "fr": {"Roi"}, "en": {"King"}})
		mustStatus(t, res, http.StatusBadRequest)
	})
}

// TestCockpitPagesFollowThePolicy opens every page as each demo account:
// the community manager governs, the administrators read the audit trail
// and rename the roles, everyone reads the rulebook; the header links
// only what one may open.
func TestCockpitPagesFollowThePolicy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		pages := []string{"/cockpit", "/capacity", "/health", "/role-labels", "/audit", "/rulebook"}
		allowed := map[string][]string{
			"claire": pages,
			"admin":  {"/role-labels", "/audit", "/rulebook"},
		}
		links := map[string]string{"/cockpit": "nav.cockpit", "/capacity": "", "/health": "", "/audit": "", "/rulebook": ""}
		for _, login := range []string{"claire", "admin", "samir", "olivia", "paul", "marc", "xavier"} {
			b := e.browser(t, "en")
			home := b.signIn(login)
			for path := range links {
				want := login == "claire" || path == "/rulebook" || (login == "admin" && path == "/audit")
				if got := strings.Contains(home.Body, `<a href="`+path+`"`); got != want {
					t.Errorf("%s: header link to %s: %v, want %v", login, path, got, want)
				}
			}
			for _, path := range pages {
				p := b.get(path)
				if slices.Contains(allowed[login], path) || path == "/rulebook" {
					mustStatus(t, p, http.StatusOK)
					continue
				}
				mustStatus(t, p, http.StatusForbidden)
				switch path {
				case "/audit":
					mustContain(t, p, policy.RuleAuditGovernance)
				case "/role-labels":
					mustContain(t, p, policy.RuleRolesRenameGovernance)
				default:
					mustContain(t, p, policy.RuleCockpitCMOnly)
				}
			}
			// The forms refuse too.
			if login != "claire" {
				res := b.postForm(home, "/capacity", url.Values{"login": {"samir"}, "space_id": {strconv.FormatInt(e.spaces[innovation], 10)}, "hours": {"5"}})
				mustStatus(t, res, http.StatusForbidden)
			}
		}
	})
}

// TestCapacityPage allocates hours through the form: over-allocation and
// hours to a community one does not steward show; wrong input is refused
// with the form kept.
func TestCapacityPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		b := e.browser(t, "fr")
		b.signIn("claire")
		p := b.get("/capacity")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, html.EscapeString("Capacité d'animation"), "Samir Benali", "Olivia Hart", "Anime sans heures attribuées :", `id="smm-`)
		samir := strconv.FormatInt(e.user("samir").ID, 10)
		res := b.postForm(p, "/capacity", url.Values{"login": {"samir"}, "space_id": {strconv.FormatInt(e.spaces[innovation], 10)}, "hours": {"20,5"}})
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/capacity?done=allocated#smm-"+samir {
			t.Errorf("redirect to %q", res.Location())
		}
		res = b.postForm(p, "/capacity", url.Values{"login": {"samir"}, "space_id": {strconv.FormatInt(e.spaces[clientsPro], 10)}, "hours": {"15"}})
		mustStatus(t, res, http.StatusSeeOther)
		p = b.get(res.Location())
		mustContain(t, p, "Heures enregistrées.", `class="box smm over" id="smm-`+samir+`"`, "Surchargé", "35,5 h", "0,5 h de trop",
			`not-steward">n&#39;en est pas animateur</span>`)

		res = b.postForm(p, "/capacity", url.Values{"login": {"samir"}, "space_id": {strconv.FormatInt(e.spaces[innovation], 10)}, "hours": {"1,234"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "Les heures se comptent au centième : 2 décimales au plus.", `value="1,234"`, `id="allocate-error"`)
		if !strings.Contains(res.Body, `id="allocate-hours"`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("the hours field is not marked invalid")
		}
		res = b.postForm(p, "/capacity", url.Values{"login": {"olivia"}, "space_id": {strconv.FormatInt(e.spaces[innovation], 10)}, "hours": {"3"}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, policy.RuleCommunityAudience)
		res = b.postForm(p, "/capacity", url.Values{"login": {"samir"}, "space_id": {"abc"}, "hours": {"3"}})
		mustStatus(t, res, http.StatusBadRequest)

		res = b.postForm(p, "/capacity/"+samir+"/weekly-hours", url.Values{"hours": {"36"}})
		mustStatus(t, res, http.StatusSeeOther)
		p = b.get(res.Location())
		mustContain(t, p, "Heures hebdomadaires enregistrées.", `value="36"`)
		mustNotContain(t, p, "de trop")
		res = b.postForm(p, "/capacity/"+samir+"/weekly-hours", url.Values{"hours": {"200"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "Une semaine compte au plus 168 heures.", `id="weekly-error"`, `value="200"`)

		c, err := e.services().Capacity(context.Background(), e.user("claire"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.SMMs {
			if m.Login == "samir" && (m.Allocated != 3550 || m.Available != 3600) {
				t.Errorf("samir %+v", m)
			}
		}
	})
}

// TestHealthPage shows the findings grouped by severity, with a link to
// act on each, except for a team space, which the page names only.
func TestHealthPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		claire := e.user("claire")
		// An over-allocated social media manager.
		if _, err := svc.Allocate(ctx, claire, app.Allocation{Login: "samir", SpaceID: e.spaces[innovation], Hours: 4000}); err != nil {
			t.Fatal(err)
		}
		h, err := svc.GovernanceHealth(ctx, claire)
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser(t, "en")
		b.signIn("claire")
		p := b.get("/health")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `id="severity-high-h"`, `id="severity-medium-h"`, `id="severity-low-h"`,
			"Samir Benali is given 40 h a week for 35 h available (5 h too many).",
			`href="/capacity#smm-`+strconv.FormatInt(e.user("samir").ID, 10)+`"`, "Over-allocated")
		for _, f := range h.Findings {
			mustContain(t, p, `id="`+app.FindingAnchor(f)+`"`, html.EscapeString(f.EN))
			if f.SpaceID != 0 && f.SpaceName != "" {
				sp, err := e.st.SpaceByID(ctx, f.SpaceID)
				if err != nil {
					t.Fatal(err)
				}
				if sp.Kind == relais.SpaceTeam && strings.Contains(p.Body, `href="/spaces/`+strconv.FormatInt(sp.ID, 10)) {
					t.Errorf("the health page links into the team space %s", sp.Name)
				}
			}
		}
		high := strings.Index(p.Body, `id="severity-high-h"`)
		low := strings.Index(p.Body, `id="severity-low-h"`)
		if over := strings.Index(p.Body, "too many"); over < high || over > low {
			t.Errorf("the over-allocation is not under the urgent heading")
		}
		fr := e.browser(t, "fr")
		fr.signIn("claire")
		mustContain(t, fr.get("/health"), "Santé de la gouvernance", "Urgent", "Samir Benali a 40 h par semaine attribuées pour 35 h disponibles (5 h de trop).")
	})
}

// TestAuditPage shows the trail with readable actions, the names of the
// spaces and people, and pages back with ?before=.
func TestAuditPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		claire := e.user("claire")
		for i := range 60 {
			if _, err := svc.Allocate(ctx, claire, app.Allocation{Login: "samir", SpaceID: e.spaces[innovation], Hours: relais.Hours(100 + i)}); err != nil {
				t.Fatal(err)
			}
		}
		b := e.browser(t, "en")
		b.signIn("admin")
		p := b.get("/audit")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Audit trail", `<span class="audit-action">Hours allocated</span> <code>capacity.allocated</code>`,
			"person · Samir Benali", "<td>Innovation Produits</td>", "<td class=\"detail\">1.59 h</td>", "Claire Dubois")
		if n := strings.Count(p.Body, `<tr id="audit-`); n != 50 {
			t.Errorf("%d entries on the first page, want 50", n)
		}
		older := regexp.MustCompile(`href="(/audit\?before=\d+)"`).FindStringSubmatch(p.Body)
		if older == nil {
			t.Fatalf("no link to older entries")
		}
		p2 := b.get(html.UnescapeString(older[1]))
		mustStatus(t, p2, http.StatusOK)
		mustContain(t, p2, "Older actions", `href="/audit"`, "Space created")
		if strings.Contains(p2.Body, `<td class="detail">1.59 h</td>`) {
			t.Errorf("the second page repeats the first")
		}
		mustStatus(t, b.get("/audit?before=abc"), http.StatusBadRequest)
		fr := e.browser(t, "fr")
		fr.signIn("claire")
		mustContain(t, fr.get("/audit"), "Journal d&#39;audit", "Heures attribuées", "personne · Samir Benali")
	})
}

// TestAuditPageWithholdsTeamText fills the trail with what marc writes in
// the team space "Support Lyon": the administrator and the community
// manager, who may not read that space, read the placeholder instead, in
// French and English; an administrator of the team reads the text.
func TestAuditPageWithholdsTeamText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		marc, victor := e.user("marc"), e.user("victor")
		sl := e.spaces[supportLyon]
		invoices := e.postID(supportLyon, "Export des factures bloqué pour les clients multi-sites")
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(svc.SchedulePost(ctx, marc, sl, relais.NewPost{Kind: relais.KindDiscussion, Title: "Annonce SECRET-SCHEDULED : confidential reorg",
			Body: "Ordre du jour."}, time.Now().Add(24*time.Hour)))
		must(svc.HidePost(ctx, marc, e.postID(supportLyon, "Fiche réflexe : remboursement partiel en moins de 5 minutes"),
			"Règle SECRET-RULE", "Raison SECRET-REASON"))
		must(svc.StartRoutine(ctx, marc, sl, app.NewRoutine{Template: "decision_log", Title: "Routine SECRET-ROUTINE"}))
		g, _, err := svc.RaiseSignal(ctx, marc, app.NewSignal{PostID: invoices, OwnerLogin: "victor", Summary: "Signal SECRET-SIGNAL"})
		if err != nil {
			t.Fatal(err)
		}
		must(svc.DecideSignal(ctx, victor, g.ID, relais.SignalAcknowledged, "Note SECRET-NOTE"))
		x, _, err := svc.Escalate(ctx, marc, app.NewEscalation{SpaceID: sl, PostID: invoices, AssigneeLogin: "victor",
			Severity: relais.SeverityHigh, Summary: "Escalade SECRET-ESCALATION"})
		if err != nil {
			t.Fatal(err)
		}
		must(svc.ResolveEscalation(ctx, victor, x.ID, "Résolution SECRET-RESOLUTION"))

		for _, login := range []string{"admin", "claire"} {
			for lang, placeholder := range map[string]string{"en": "text of a team space withheld", "fr": "texte d&#39;un espace d&#39;équipe non communiqué"} {
				b := e.browser(t, lang)
				b.signIn(login)
				p := b.get("/audit")
				mustStatus(t, p, http.StatusOK)
				mustNotContain(t, p, "SECRET-")
				mustContain(t, p, `<span class="empty withheld" data-redacted="true">`+placeholder+`</span>`, "Marc Girard", "<code>post.scheduled</code>",
					"<code>post.hidden</code>", "<code>routine.started</code>", "<code>signal.raised</code>", "<code>signal.decided</code>",
					"<code>escalation.raised</code>", "<code>escalation.resolved</code>")
			}
		}

		if _, err := svc.SetRoles(ctx, e.user("admin"), marc.ID, []relais.Role{relais.RoleAdministrator}); err != nil {
			t.Fatal(err)
		}
		b := e.browser(t, "en")
		b.signIn("marc")
		mustContain(t, b.get("/audit"), "Annonce SECRET-SCHEDULED : confidential reorg", "Règle SECRET-RULE — Raison SECRET-REASON",
			"Routine SECRET-ROUTINE", "Signal SECRET-SIGNAL", "acknowledged — Note SECRET-NOTE", "high — Escalade SECRET-ESCALATION",
			"Résolution SECRET-RESOLUTION")
	})
}

// TestCockpitPagesInBothLanguages opens each page in French and English:
// in its language, without a missing text, one h1 and headings in order.
func TestCockpitPagesInBothLanguages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		if _, err := e.services().Allocate(context.Background(), e.user("claire"),
			app.Allocation{Login: "samir", SpaceID: e.spaces[clientsPro], Hours: 3600}); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "en"} {
			b := e.browser(t, lang)
			b.signIn("claire")
			for _, path := range []string{"/cockpit", "/capacity", "/health", "/role-labels", "/audit", "/rulebook"} {
				p := b.get(path)
				mustStatus(t, p, http.StatusOK)
				mustContain(t, p, `<html lang="`+lang+`">`)
				if k := cockpitKeys.FindString(p.Body); k != "" {
					t.Errorf("%s %s: untranslated key %q", lang, path, k)
				}
				checkHeadings(t, lang+" "+path, p)
				if n := strings.Count(p.Body, "<h1"); n != 1 {
					t.Errorf("%s %s: %d h1", lang, path, n)
				}
			}
		}
	})
}
