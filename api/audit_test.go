package api_test

// The audit trail (GET /api/v1/audit) tells the community manager and the
// administrators who did what, when, on which kind of subject; what was
// written in a team space (a scheduled post's title, a hide's rule and
// reason, a routine's title, a signal's or an escalation's summary, their
// decisions) stays with those who may read that space.

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"relais"
)

type auditEntryJSON struct {
	ID          int64  `json:"id"`
	ActorName   string `json:"actor_name"`
	Action      string `json:"action"`
	SubjectKind string `json:"subject_kind"`
	SubjectID   int64  `json:"subject_id"`
	SpaceID     int64  `json:"space_id"`
	Detail      string `json:"detail"`
	Redacted    bool   `json:"redacted"`
}

// auditTrail returns the newest 200 entries of the trail, as c reads them.
func (c *client) auditTrail(t *testing.T) (*response, []auditEntryJSON) {
	t.Helper()
	r := c.get(t, "/api/v1/audit?limit=200").wantStatus(t, http.StatusOK)
	var out struct{ Entries []auditEntryJSON }
	r.decode(t, &out)
	return r, out.Entries
}

// TestAuditWithholdsTeamText fills the trail with marc's actions in the
// team space "Support Lyon" and samir's in a community, then reads it as
// the administrator and the community manager (who may not read the team
// space) and as an administrator who belongs to the team.
func TestAuditWithholdsTeamText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P := e.spaces, e.posts
		sl := S[supportLyon]
		marc, samir, victor := e.as(t, "marc"), e.as(t, "samir"), e.as(t, "victor")
		secrets := map[string]string{ // action → a text written in the team space
			relais.AuditPostScheduled:      "Annonce AUDIT-SECRET-SCHEDULED : confidential reorg",
			relais.AuditPostHidden:         "AUDIT-SECRET-HIDE-REASON",
			relais.AuditRoutineStarted:     "Routine AUDIT-SECRET-ROUTINE",
			relais.AuditSignalRaised:       "Signal AUDIT-SECRET-SIGNAL",
			relais.AuditSignalDecided:      "Décision AUDIT-SECRET-DECISION",
			relais.AuditEscalationRaised:   "Escalade AUDIT-SECRET-ESCALATION",
			relais.AuditEscalationResolved: "Résolution AUDIT-SECRET-RESOLUTION",
		}

		sp := "/api/v1/spaces/" + id(sl)
		marc.post(t, sp+"/scheduled-posts", map[string]string{"title": secrets[relais.AuditPostScheduled], "body": "Ordre du jour.",
			"publish_at": rfc3339(time.Now().Add(24 * time.Hour))}).wantStatus(t, 201)
		wantDone(t, marc.hide(t, P["Fiche réflexe : remboursement partiel en moins de 5 minutes"], "Règle AUDIT-SECRET-HIDE-RULE",
			secrets[relais.AuditPostHidden]))
		marc.post(t, sp+"/routines", map[string]any{"template": "decision_log", "title": secrets[relais.AuditRoutineStarted]}).
			wantStatus(t, 201)
		g := marc.raised(t, map[string]any{"post_id": P[titleSupportInvoices], "owner_login": "victor",
			"summary": secrets[relais.AuditSignalRaised]})
		victor.decideSig(t, g.ID, "acknowledged", "").wantStatus(t, 200)
		victor.decideSig(t, g.ID, "planned", secrets[relais.AuditSignalDecided]).wantStatus(t, 200)
		var x escalationJSON
		marc.post(t, "/api/v1/escalations", map[string]any{"space_id": sl, "post_id": P[titleSupportInvoices], "assignee_login": "victor",
			"severity": "high", "summary": secrets[relais.AuditEscalationRaised]}).wantStatus(t, 201).decode(t, &x)
		victor.post(t, "/api/v1/escalations/"+id(x.ID)+"/resolve", map[string]string{"resolution": secrets[relais.AuditEscalationResolved]}).
			wantStatus(t, 200)
		// A community's moderation stays legible to the community manager.
		const open = "AUDIT-COMMUNITY-REASON"
		wantDone(t, samir.hide(t, P[titleInnovationInvoice], "Hors charte", open))

		// teamEntries checks that the trail holds one entry of the team
		// space for every action above, and returns them by action.
		teamEntries := func(t *testing.T, es []auditEntryJSON) map[string]auditEntryJSON {
			t.Helper()
			got := map[string]auditEntryJSON{}
			for _, a := range es {
				if _, seen := got[a.Action]; !seen && a.SpaceID == sl && secrets[a.Action] != "" {
					got[a.Action] = a // the newest: the trail comes newest first
				}
			}
			for action := range secrets {
				if _, ok := got[action]; !ok {
					t.Errorf("no %s entry of Support Lyon in the trail", action)
				}
			}
			return got
		}

		for _, login := range []string{"admin", "claire"} {
			for _, lang := range []string{"en", "fr"} {
				t.Run(login+" in "+lang+" reads who did what, not what was written", func(t *testing.T) {
					r, es := e.as(t, login).in(lang).auditTrail(t)
					if strings.Contains(string(r.Body), "AUDIT-SECRET") {
						t.Errorf("a text of the team space reaches %s: %s", login, r)
					}
					for action, a := range teamEntries(t, es) {
						if !a.Redacted || a.Detail != relais.AuditWithheld(lang) || a.ActorName == "" || a.SubjectKind == "" || a.SubjectID == 0 {
							t.Errorf("%s's %s entry: %+v", login, action, a)
						}
					}
					i := slices.IndexFunc(es, func(a auditEntryJSON) bool {
						return a.Action == relais.AuditPostHidden && a.SpaceID == S[innovation]
					})
					if i < 0 || es[i].Redacted || !strings.Contains(es[i].Detail, open) {
						t.Errorf("the community's hide is not legible to %s: %+v", login, es)
					}
				})
			}
		}

		t.Run("an administrator of the team reads the team's text", func(t *testing.T) {
			e.as(t, "admin").put(t, "/api/v1/users/"+id(e.users["marc"])+"/roles", map[string]any{"roles": []string{"administrator"}}).
				wantStatus(t, 200)
			r, es := e.as(t, "marc").auditTrail(t)
			for action, a := range teamEntries(t, es) {
				if a.Redacted || !strings.Contains(a.Detail, secrets[action]) {
					t.Errorf("marc's %s entry: %+v", action, a)
				}
			}
			if !strings.Contains(string(r.Body), "AUDIT-SECRET-HIDE-RULE") {
				t.Errorf("marc does not read the rule of his hide: %s", r)
			}
			// The same trail, read by the administrator who is no member.
			if r, _ := e.as(t, "admin").auditTrail(t); strings.Contains(string(r.Body), "AUDIT-SECRET") {
				t.Errorf("a text of the team space reaches admin: %s", r)
			}
		})
	})
}
