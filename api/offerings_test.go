package api_test

import (
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/policy"
)

// offeringJSON is an offering as the API shows it.
type offeringJSON struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	UnitID        int64  `json:"unit_id"`
	UnitName      string `json:"unit_name"`
	UseCase       string `json:"use_case"`
	ExpectedValue string `json:"expected_value"`
	Charter       struct {
		Objective       string `json:"objective"`
		Rules           string `json:"rules"`
		Autonomy        string `json:"autonomy"`
		ExpectedActions string `json:"expected_actions"`
	} `json:"charter_template"`
	RoutineTemplates string `json:"routine_templates"`
	CoAuthors        []struct {
		Login string `json:"login"`
		Name  string `json:"name"`
	} `json:"co_authors"`
	CreatedBy int64 `json:"created_by"`
}

// spaceRequestJSON is a space request as the API shows it.
type spaceRequestJSON struct {
	ID            int64   `json:"id"`
	OfferingID    int64   `json:"offering_id"`
	UnitID        int64   `json:"unit_id"`
	RequestedBy   int64   `json:"requested_by"`
	Name          string  `json:"name"`
	Purpose       string  `json:"purpose"`
	Audience      string  `json:"audience"`
	JoinPolicy    string  `json:"join_policy"`
	Status        string  `json:"status"`
	Reason        string  `json:"reason"`
	SpaceID       int64   `json:"space_id"`
	DecidedBy     int64   `json:"decided_by"`
	ObjectiveIDs  []int64 `json:"plan_objective_ids"`
	LikelyMembers int     `json:"likely_members"`
	Closest       []struct {
		SpaceID int64    `json:"space_id"`
		Name    string   `json:"name"`
		Text    float64  `json:"text_score"`
		Members *float64 `json:"member_score"`
		Score   float64  `json:"score"`
		Words   []string `json:"shared_words"`
	} `json:"closest"`
}

// match returns the closest community of a request by name, nil when it
// is not among them.
func (r spaceRequestJSON) match(name string) *float64 {
	for _, m := range r.Closest {
		if m.Name == name {
			return &m.Score
		}
	}
	return nil
}

// invoicing is a value proposition about customer invoices.
var invoicing = map[string]any{
	"title":          "Facturation clients",
	"unit_id":        0,
	"co_authors":     []string{"victor", "nadia"},
	"use_case":       "Les équipes de vente et de support règlent ensemble les litiges de facturation des clients professionnels.",
	"expected_value": "Moins de retards de paiement, des avoirs émis en une semaine au lieu d'un mois.",
	"charter_template": map[string]string{
		"objective":        "Réduire les litiges de facturation des clients professionnels.",
		"rules":            "Pas de numéro de contrat ni de montant nominatif ; un litige par fil.",
		"autonomy":         "Les membres proposent ; la comptabilité client décide des avoirs.",
		"expected_actions": "Décrire chaque litige de facture, partager les solutions trouvées.",
	},
	"routine_templates": "Revue hebdomadaire des litiges ouverts.",
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func TestOfferings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire, paul, xavier := e.as(t, "claire"), e.as(t, "paul"), e.as(t, "xavier")
		sales := e.unitID(t, "Ventes")

		// Employees read the catalog; an external account does not; only
		// the community manager writes it.
		paul.get(t, "/api/v1/offerings").wantStatus(t, 200)
		xavier.get(t, "/api/v1/offerings").wantError(t, 403, policy.RulePlanInternalOnly)
		paul.post(t, "/api/v1/offerings", invoicing).wantError(t, 403, policy.RuleCockpitCMOnly)
		xavier.post(t, "/api/v1/offerings", invoicing).wantError(t, 403, policy.RuleCockpitCMOnly)

		var o offeringJSON
		claire.post(t, "/api/v1/offerings", with(invoicing, "unit_id", sales)).wantStatus(t, 201).decode(t, &o)
		if o.ID == 0 || o.Title != "Facturation clients" || o.UnitName != "Ventes" || o.CreatedBy != e.users["claire"] ||
			o.Charter.Objective != "Réduire les litiges de facturation des clients professionnels." || o.RoutineTemplates == "" {
			t.Errorf("created %+v", o)
		}
		var logins []string
		for _, a := range o.CoAuthors {
			logins = append(logins, a.Login)
		}
		if slices.Sort(logins); !slices.Equal(logins, []string{"nadia", "victor"}) {
			t.Errorf("co-authors %v", logins)
		}
		var got offeringJSON
		paul.get(t, "/api/v1/offerings/"+id(o.ID)).wantStatus(t, 200).decode(t, &got)
		if got.Title != o.Title || len(got.CoAuthors) != 2 {
			t.Errorf("paul reads %+v", got)
		}
		var list struct{ Offerings []offeringJSON }
		paul.get(t, "/api/v1/offerings").wantStatus(t, 200).decode(t, &list)
		if !slices.ContainsFunc(list.Offerings, func(x offeringJSON) bool { return x.ID == o.ID }) {
			t.Errorf("the catalog lacks it: %+v", list)
		}

		// Validation, conflicts, unknown references.
		long := strings.Repeat("é", relais.MaxOfferingText+1)
		for _, c := range []struct {
			name   string
			body   any
			status int
		}{
			{"duplicate title, other case", with(invoicing, "title", "FACTURATION clients"), 409},
			{"empty title", with(invoicing, "title", "  "), 400},
			{"title too long", with(invoicing, "title", strings.Repeat("t", 201)), 400},
			{"no title", with(invoicing, "title", nil), 400},
			{"empty use case", with(invoicing, "title", "B", "use_case", ""), 400},
			{"huge expected value", with(invoicing, "title", "B", "expected_value", long), 400},
			{"huge routines", with(invoicing, "title", "B", "routine_templates", long), 400},
			{"huge charter rules", with(invoicing, "title", "B", "charter_template", map[string]string{"rules": long}), 400},
			{"NUL in use case", with(invoicing, "title", "B", "use_case", "a\x00b"), 400},
			{"unknown field", with(invoicing, "title", "B", "budget", 3), 400},
			{"unknown unit", with(invoicing, "title", "B", "unit_id", 999999), 404},
			{"unknown co-author", with(invoicing, "title", "B", "co_authors", []string{"nobody"}), 404},
			{"external co-author", with(invoicing, "title", "B", "co_authors", []string{"xavier"}), 422},
			{"too many co-authors", with(invoicing, "title", "B", "co_authors", slices.Repeat([]string{"a", "b", "c"}, 7)), 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				claire.post(t, "/api/v1/offerings", c.body).wantError(t, c.status, "")
			})
		}
		en := claire.in("en").post(t, "/api/v1/offerings", invoicing).wantError(t, 409, "")
		fr := claire.in("fr").post(t, "/api/v1/offerings", invoicing).wantError(t, 409, "")
		if en.Error.Message == fr.Error.Message || !strings.Contains(fr.Error.Message, "catalogue") {
			t.Errorf("conflict messages %q / %q", en.Error.Message, fr.Error.Message)
		}

		// Update: the texts and co-authors change; a title held by another
		// offering is a conflict; an unknown offering is not found.
		var other offeringJSON
		claire.post(t, "/api/v1/offerings", with(invoicing, "title", "Accueil des nouveaux", "co_authors", nil, "charter_template", nil)).
			wantStatus(t, 201).decode(t, &other)
		if other.Charter.Objective != "" || len(other.CoAuthors) != 0 {
			t.Errorf("without template or co-authors: %+v", other)
		}
		var upd offeringJSON
		claire.put(t, "/api/v1/offerings/"+id(other.ID), with(invoicing, "title", "Accueil des nouveaux arrivants", "co_authors", []string{"lea"})).
			wantStatus(t, 200).decode(t, &upd)
		if upd.Title != "Accueil des nouveaux arrivants" || len(upd.CoAuthors) != 1 || upd.CoAuthors[0].Login != "lea" || upd.UnitID != 0 {
			t.Errorf("updated %+v", upd)
		}
		claire.put(t, "/api/v1/offerings/"+id(other.ID), with(invoicing, "title", "facturation CLIENTS")).wantError(t, 409, "")
		claire.put(t, "/api/v1/offerings/"+id(o.ID), invoicing).wantStatus(t, 200) // its own title
		claire.put(t, "/api/v1/offerings/999999", invoicing).wantError(t, 404, "")
		paul.put(t, "/api/v1/offerings/"+id(o.ID), invoicing).wantError(t, 403, policy.RuleCockpitCMOnly)
		paul.get(t, "/api/v1/offerings/999999").wantError(t, 404, "")

		// Each change is in the audit trail.
		var audit struct {
			Entries []struct{ Action, Detail string }
		}
		claire.get(t, "/api/v1/audit?limit=20").wantStatus(t, 200).decode(t, &audit)
		var actions []string
		for _, a := range audit.Entries {
			actions = append(actions, a.Action)
		}
		if !slices.Contains(actions, relais.AuditOfferingCreated) || !slices.Contains(actions, relais.AuditOfferingUpdated) {
			t.Errorf("audit %v", actions)
		}
	})
}

// planObjective records a plan objective (and its company objective) in
// claire's name and returns its id.
func (e *env) planObjective(t *testing.T, title string) int64 {
	t.Helper()
	co, err := relais.CompanyObjectiveInput{Title: title + " (entreprise)"}.Validate()
	if err == nil {
		err = e.st.CreateCompanyObjective(t.Context(), e.users["claire"], co)
	}
	if err != nil {
		t.Fatal(err)
	}
	o, err := relais.PlanObjectiveInput{CompanyObjectiveID: co.ID, Title: title}.Validate()
	if err == nil {
		err = e.st.CreatePlanObjective(t.Context(), e.users["claire"], o)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// notificationsOf returns the kinds and details of a person's
// notifications.
func notificationsOf(t *testing.T, c *client) []struct {
	Kind, Detail string
	SpaceID      int64 `json:"space_id"`
	SubjectID    int64 `json:"subject_id"`
} {
	t.Helper()
	var page struct {
		Notifications []struct {
			Kind, Detail string
			SpaceID      int64 `json:"space_id"`
			SubjectID    int64 `json:"subject_id"`
		}
	}
	c.get(t, "/api/v1/notifications?limit=100").wantStatus(t, 200).decode(t, &page)
	return page.Notifications
}

func TestSpaceRequestApproved(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire, lea, paul := e.as(t, "claire"), e.as(t, "lea"), e.as(t, "paul")
		var o offeringJSON
		claire.post(t, "/api/v1/offerings", invoicing).wantStatus(t, 201).decode(t, &o)
		objective := e.planObjective(t, "Réduire les retards de paiement")

		body := map[string]any{"offering_id": o.ID, "name": "Litiges de facturation",
			"purpose":  "Gérer les factures contestées des clients professionnels et partager les solutions.",
			"audience": "internal", "join_policy": "request"}
		var r spaceRequestJSON
		lea.post(t, "/api/v1/space-requests", body).wantStatus(t, 201).decode(t, &r)
		if r.ID == 0 || r.Status != "pending" || r.RequestedBy != e.users["lea"] || r.UnitID != e.unitID(t, "Ventes") || r.OfferingID != o.ID ||
			r.JoinPolicy != "request" || r.Audience != "internal" {
			t.Fatalf("filed %+v", r)
		}
		if r.Closest == nil || len(r.Closest) > 5 {
			t.Fatalf("closest %+v", r.Closest)
		}
		checkMatches(t, e, r)

		// The requester and the community manager read it; nobody else.
		var again spaceRequestJSON
		lea.get(t, "/api/v1/space-requests/"+id(r.ID)).wantStatus(t, 200).decode(t, &again)
		if again.ID != r.ID || again.Closest == nil {
			t.Errorf("lea reads %+v", again)
		}
		claire.get(t, "/api/v1/space-requests/"+id(r.ID)).wantStatus(t, 200)
		paul.get(t, "/api/v1/space-requests/"+id(r.ID)).wantError(t, 404, "")
		var lists struct{ Requests []spaceRequestJSON }
		paul.get(t, "/api/v1/space-requests").wantStatus(t, 200).decode(t, &lists)
		if len(lists.Requests) != 0 {
			t.Errorf("paul lists %+v", lists.Requests)
		}
		claire.get(t, "/api/v1/space-requests").wantStatus(t, 200).decode(t, &lists)
		if len(lists.Requests) != 1 || lists.Requests[0].ID != r.ID {
			t.Errorf("claire lists %+v", lists.Requests)
		}
		// The community managers learn of it.
		if ns := notificationsOf(t, claire); !slices.ContainsFunc(ns, func(n struct {
			Kind, Detail string
			SpaceID      int64 `json:"space_id"`
			SubjectID    int64 `json:"subject_id"`
		}) bool {
			return n.Kind == relais.NotifySpaceRequested && n.SubjectID == r.ID
		}) {
			t.Errorf("claire is not told of the request: %+v", ns)
		}

		approve := "/api/v1/space-requests/" + id(r.ID) + "/approve"
		ok := map[string]any{"steward_login": "samir", "plan_objective_ids": []int64{objective}}
		// Only the community manager approves; the steward must be a
		// social media manager, an internal one for an internal audience;
		// an unknown objective is not found, and nothing is created.
		lea.post(t, approve, ok).wantError(t, 403, policy.RuleCockpitCMOnly)
		claire.post(t, approve, map[string]any{"steward_login": "paul"}).wantError(t, 422, policy.RuleStewardSMMOnly)
		claire.post(t, approve, map[string]any{"steward_login": "olivia"}).wantError(t, 422, policy.RuleCommunityAudience)
		claire.post(t, approve, map[string]any{"steward_login": "nobody"}).wantError(t, 404, "")
		claire.post(t, approve, map[string]any{}).wantError(t, 400, "")
		claire.post(t, approve, map[string]any{"steward_login": "samir", "plan_objective_ids": []int64{objective, 999999}}).wantError(t, 404, "")
		claire.post(t, approve, map[string]any{"steward_login": "samir", "plan_objective_ids": []int64{-1}}).wantError(t, 400, "")
		claire.post(t, approve, map[string]any{"steward_login": "samir", "sponsor_unit_id": 999999}).wantError(t, 404, "")
		if _, err := e.st.SpaceByName(t.Context(), "Litiges de facturation"); relais.ErrorCode(err) != relais.ENOTFOUND {
			t.Fatalf("a refused approval created the space: %v", err)
		}
		claire.get(t, "/api/v1/space-requests/"+id(r.ID)).wantStatus(t, 200).decode(t, &again)
		if again.Status != "pending" {
			t.Fatalf("after refused approvals: %+v", again)
		}

		var done spaceRequestJSON
		claire.post(t, approve, ok).wantStatus(t, 200).decode(t, &done)
		if done.Status != "approved" || done.SpaceID == 0 || done.DecidedBy != e.users["claire"] || !slices.Equal(done.ObjectiveIDs, []int64{objective}) {
			t.Fatalf("approved %+v", done)
		}
		for _, m := range done.Closest {
			if m.SpaceID == done.SpaceID {
				t.Errorf("the new community is its own closest: %+v", m)
			}
		}

		// The community exists, with the template's charter, its steward,
		// its sponsor (the request's unit) and its objective.
		var sp struct {
			Name, Description string
			Kind, Audience    string
			JoinPolicy        string `json:"join_policy"`
			SponsorUnitID     int64  `json:"sponsor_unit_id"`
			Charter           struct {
				Version                    int
				Objective, Rules, Autonomy string
				ExpectedActions            string `json:"expected_actions"`
			}
		}
		lea.get(t, "/api/v1/spaces/"+id(done.SpaceID)).wantStatus(t, 200).decode(t, &sp)
		tmpl := invoicing["charter_template"].(map[string]string)
		if sp.Name != "Litiges de facturation" || sp.Kind != "community" || sp.Audience != "internal" || sp.JoinPolicy != "request" ||
			sp.Description != body["purpose"] || sp.SponsorUnitID != e.unitID(t, "Ventes") || sp.Charter.Version != 1 ||
			sp.Charter.Objective != tmpl["objective"] || sp.Charter.Rules != tmpl["rules"] || sp.Charter.Autonomy != tmpl["autonomy"] ||
			sp.Charter.ExpectedActions != tmpl["expected_actions"] {
			t.Errorf("the new community: %+v", sp)
		}
		var members struct {
			Members []struct {
				Login   string
				Steward bool
			}
		}
		claire.get(t, "/api/v1/spaces/"+id(done.SpaceID)+"/members").wantStatus(t, 200).decode(t, &members)
		if len(members.Members) != 1 || members.Members[0].Login != "samir" || !members.Members[0].Steward {
			t.Errorf("members %+v", members.Members)
		}
		var samirSpaces struct{ Spaces []struct{ ID int64 } }
		e.as(t, "samir").get(t, "/api/v1/spaces").wantStatus(t, 200).decode(t, &samirSpaces)
		if !slices.ContainsFunc(samirSpaces.Spaces, func(s struct{ ID int64 }) bool { return s.ID == done.SpaceID }) {
			t.Errorf("samir does not see the community he animates")
		}
		rows, err := e.st.SpaceRequestByID(t.Context(), r.ID)
		if err != nil || !slices.Equal(rows.ObjectiveIDs, []int64{objective}) {
			t.Errorf("alignment %v, %v", rows, err)
		}

		// Approving twice, or refusing it now, is a conflict.
		claire.post(t, approve, ok).wantError(t, 409, "")
		claire.post(t, "/api/v1/space-requests/"+id(r.ID)+"/refuse", map[string]string{"reason": "Trop tard."}).wantError(t, 409, "")

		// The requester is told, with the new community.
		ns := notificationsOf(t, lea)
		if len(ns) == 0 || ns[0].Kind != relais.NotifySpaceRequestApproved || ns[0].SpaceID != done.SpaceID || ns[0].SubjectID != r.ID {
			t.Errorf("lea's notifications %+v", ns)
		}
		// The decision is audited, with the space's creation and steward.
		var audit struct{ Entries []struct{ Action string } }
		claire.get(t, "/api/v1/audit?limit=20").wantStatus(t, 200).decode(t, &audit)
		var actions []string
		for _, a := range audit.Entries {
			actions = append(actions, a.Action)
		}
		for _, want := range []string{relais.AuditSpaceRequestApproved, relais.AuditSpaceCreated, relais.AuditStewardAssigned} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit lacks %s: %v", want, actions)
			}
		}
		// Its name is now a space's: a new request for it is a conflict.
		lea.post(t, "/api/v1/space-requests", with(body, "name", "litiges DE facturation")).wantError(t, 409, "")
	})
}

// checkMatches checks the closest communities of a request: communities
// only, best first, scores in [0, 1], at most five.
func checkMatches(t *testing.T, e *env, r spaceRequestJSON) {
	t.Helper()
	for i, m := range r.Closest {
		if m.SpaceID == e.spaces[supportLyon] || m.SpaceID == e.spaces[ventesParis] {
			t.Errorf("a team space among the closest: %+v", m)
		}
		for _, x := range []float64{m.Text, m.Score} {
			if x < 0 || x > 1 {
				t.Errorf("score out of [0, 1]: %+v", m)
			}
		}
		if m.Members != nil && (*m.Members < 0 || *m.Members > 1) {
			t.Errorf("member score out of [0, 1]: %+v", m)
		}
		if i > 0 && m.Score > r.Closest[i-1].Score {
			t.Errorf("not best first: %+v", r.Closest)
		}
	}
}

func TestSpaceRequestRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire, paul := e.as(t, "claire"), e.as(t, "paul")
		body := map[string]any{"name": "Club photo", "purpose": "Nos clichés de randonnée en montagne."}
		var r spaceRequestJSON
		res := paul.post(t, "/api/v1/space-requests", body).wantStatus(t, 201)
		res.decode(t, &r)
		// Nothing close: the list is there, empty.
		if c, ok := res.object(t)["closest"].([]any); !ok || len(c) != 0 {
			t.Errorf("closest of a request close to nothing: %s", res)
		}
		if r.Audience != "internal" || r.JoinPolicy != "open" || r.UnitID != e.unitID(t, "Support") {
			t.Errorf("defaults %+v", r)
		}
		// A pending request holds its name.
		e.as(t, "lea").post(t, "/api/v1/space-requests", with(body, "name", "CLUB PHOTO")).wantError(t, 409, "")

		refuse := "/api/v1/space-requests/" + id(r.ID) + "/refuse"
		paul.post(t, refuse, map[string]string{"reason": "Non."}).wantError(t, 403, policy.RuleCockpitCMOnly)
		claire.post(t, refuse, map[string]string{"reason": "  "}).wantError(t, 400, "")
		claire.post(t, refuse, map[string]any{}).wantError(t, 400, "")
		claire.post(t, "/api/v1/space-requests/999999/refuse", map[string]string{"reason": "Non."}).wantError(t, 404, "")
		reason := "Hors du champ de la plateforme : un canal de discussion suffit."
		var done spaceRequestJSON
		claire.post(t, refuse, map[string]string{"reason": reason}).wantStatus(t, 200).decode(t, &done)
		if done.Status != "refused" || done.Reason != reason || done.SpaceID != 0 {
			t.Errorf("refused %+v", done)
		}
		// A refusal is final: neither approved nor refused again.
		claire.post(t, refuse, map[string]string{"reason": reason}).wantError(t, 409, "")
		claire.post(t, "/api/v1/space-requests/"+id(r.ID)+"/approve", map[string]any{"steward_login": "samir"}).wantError(t, 409, "")
		paul.get(t, "/api/v1/space-requests/"+id(r.ID)).wantStatus(t, 200).decode(t, &done)
		if done.Status != "refused" {
			t.Errorf("after approving a refused request: %+v", done)
		}
		if _, err := e.st.SpaceByName(t.Context(), "Club photo"); relais.ErrorCode(err) != relais.ENOTFOUND {
			t.Errorf("a refused request created its space: %v", err)
		}
		ns := notificationsOf(t, paul)
		if len(ns) == 0 || ns[0].Kind != relais.NotifySpaceRequestRefused || ns[0].Detail != reason || ns[0].SubjectID != r.ID {
			t.Errorf("paul's notifications %+v", ns)
		}
		var audit struct{ Entries []struct{ Action string } }
		claire.get(t, "/api/v1/audit?limit=5").wantStatus(t, 200).decode(t, &audit)
		if len(audit.Entries) == 0 || audit.Entries[0].Action != relais.AuditSpaceRequestRefused {
			t.Errorf("audit %+v", audit.Entries)
		}
		// The name is free again once refused.
		paul.post(t, "/api/v1/space-requests", body).wantStatus(t, 201)

		// From scratch, approved: the purpose is the objective, the rules
		// and the rest the defaults.
		var r2 spaceRequestJSON
		paul.post(t, "/api/v1/space-requests", map[string]any{"name": "Entraide Excel", "purpose": "S'entraider sur les tableurs.",
			"audience": "mixed", "join_policy": "criteria"}).wantStatus(t, 201).decode(t, &r2)
		claire.post(t, "/api/v1/space-requests/"+id(r2.ID)+"/approve", map[string]any{"steward_login": "olivia",
			"sponsor_unit_id": e.unitID(t, "IT")}).wantStatus(t, 200).decode(t, &r2)
		sp, err := e.st.SpaceByID(t.Context(), r2.SpaceID)
		if err != nil {
			t.Fatal(err)
		}
		if sp.Charter.Objective != "S'entraider sur les tableurs." || sp.Charter.Rules != relais.DefaultCharterRules ||
			sp.Charter.Autonomy != relais.DefaultCharterAutonomy || sp.Charter.ExpectedActions != relais.DefaultCharterExpected ||
			sp.Audience != relais.AudienceMixed || sp.JoinPolicy != relais.JoinByCriteria || sp.SponsorUnitID != e.unitID(t, "IT") {
			t.Errorf("from scratch: %+v %+v", sp, sp.Charter)
		}
	})
}

func TestSpaceRequestValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		lea, xavier := e.as(t, "lea"), e.as(t, "xavier")
		ok := map[string]any{"name": "Nouvelle communauté", "purpose": "Un but."}
		long := strings.Repeat("é", relais.MaxOfferingText+1)
		xavier.post(t, "/api/v1/space-requests", ok).wantError(t, 403, policy.RulePlanInternalOnly)
		xavier.get(t, "/api/v1/space-requests").wantError(t, 403, policy.RulePlanInternalOnly)
		for _, c := range []struct {
			name   string
			body   any
			status int
		}{
			{"no name", with(ok, "name", nil), 400},
			{"empty name", with(ok, "name", " "), 400},
			{"name too long", with(ok, "name", strings.Repeat("n", relais.MaxName+1)), 400},
			{"no purpose", with(ok, "purpose", nil), 400},
			{"huge purpose", with(ok, "purpose", long), 400},
			{"unknown audience", with(ok, "audience", "public"), 400},
			{"directory join policy", with(ok, "join_policy", "directory"), 400},
			{"negative offering", with(ok, "offering_id", -1), 400},
			{"unknown offering", with(ok, "offering_id", 999999), 404},
			{"unknown unit", with(ok, "unit_id", 999999), 404},
			{"a space's name", with(ok, "name", innovation), 409},
			{"a space's name, other case", with(ok, "name", strings.ToUpper(clientsPro)), 409},
			{"a team space's name", with(ok, "name", supportLyon), 409},
			{"wrong type", with(ok, "name", 3), 400},
			{"unknown field", with(ok, "budget", 3), 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				lea.post(t, "/api/v1/space-requests", c.body).wantError(t, c.status, "")
			})
		}
		lea.get(t, "/api/v1/space-requests/999999").wantError(t, 404, "")
		lea.get(t, "/api/v1/space-requests/abc").wantError(t, 400, "")
	})
}

// TestSpaceRequestOverlap checks the closest communities: the nearest by
// purpose comes first, team spaces are never compared (a request that
// copies a team's charter word for word shows nothing of it, to the
// requester nor to the community manager), and the member overlap is
// the share of the unit's people already in the community, withheld from
// who cannot read its members when fewer than five people are measured.
func TestSpaceRequestOverlap(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire, marc, lea := e.as(t, "claire"), e.as(t, "marc"), e.as(t, "lea")

		// marc (unit Support: marc and paul, both members of Innovation
		// Produits) asks for a community close to Innovation Produits.
		var r spaceRequestJSON
		marc.post(t, "/api/v1/space-requests", map[string]any{"name": "Idées terrain",
			"purpose": "Faire remonter du terrain les idées et les irritants des clients pour améliorer nos produits."}).
			wantStatus(t, 201).decode(t, &r)
		checkMatches(t, e, r)
		t.Logf("closest to %q: %+v", r.Name, r.Closest)
		if len(r.Closest) == 0 || r.Closest[0].SpaceID != e.spaces[innovation] {
			t.Fatalf("closest %+v, want Innovation Produits first", r.Closest)
		}
		first := r.Closest[0]
		if first.Members == nil || *first.Members != 1 || r.LikelyMembers != 2 || first.Text <= 0.3 {
			t.Errorf("Innovation Produits for marc: %+v (likely %d)", first, r.LikelyMembers)
		}
		if want := 0.7*first.Text + 0.3; first.Score < want-0.0001 || first.Score > want+0.0001 {
			t.Errorf("combined %v, want %v", first.Score, want)
		}
		if !slices.Contains(first.Words, "irritants") {
			t.Errorf("shared words %v", first.Words)
		}

		// A request copying Support Lyon's charter (a team space): the
		// team space is compared for nobody.
		sl, err := e.st.SpaceByID(t.Context(), e.spaces[supportLyon])
		if err != nil {
			t.Fatal(err)
		}
		copyText := sl.Description + " " + sl.Charter.Objective + " " + sl.Charter.Rules + " " + sl.Charter.ExpectedActions
		var leaR spaceRequestJSON
		lea.post(t, "/api/v1/space-requests", map[string]any{"name": "Support bis", "purpose": copyText}).wantStatus(t, 201).decode(t, &leaR)
		for _, c := range []*client{lea, claire} {
			var seen spaceRequestJSON
			c.get(t, "/api/v1/space-requests/"+id(leaR.ID)).wantStatus(t, 200).decode(t, &seen)
			checkMatches(t, e, seen)
			if seen.match(supportLyon) != nil || seen.match(ventesParis) != nil {
				t.Errorf("a team space compared: %+v", seen.Closest)
			}
			for _, m := range seen.Closest {
				if m.Text >= 0.5 {
					t.Errorf("a community that close to a team's charter: %+v", m)
				}
			}
		}

		// lea's unit (Ventes: nadia and lea) is too small for her to learn
		// who belongs to Clients Pro, which she cannot read; claire reads
		// it (nadia is a member: one in two).
		var clients spaceRequestJSON
		lea.post(t, "/api/v1/space-requests", map[string]any{"name": "Clients Pro bis",
			"purpose": "Aider nos clients professionnels à tirer le meilleur de nos produits avec nos experts."}).wantStatus(t, 201).decode(t, &clients)
		find := func(r spaceRequestJSON, name string) (text float64, members *float64, score float64) {
			for _, m := range r.Closest {
				if m.Name == name {
					return m.Text, m.Members, m.Score
				}
			}
			t.Fatalf("%s not among the closest: %+v", name, r.Closest)
			return
		}
		text, members, score := find(clients, clientsPro)
		if members != nil || score != text {
			t.Errorf("lea learns the member overlap of Clients Pro: %v (score %v, text %v)", *members, score, text)
		}
		var asCM spaceRequestJSON
		claire.get(t, "/api/v1/space-requests/"+id(clients.ID)).wantStatus(t, 200).decode(t, &asCM)
		if _, members, _ := find(asCM, clientsPro); members == nil || *members != 0.5 {
			t.Errorf("claire reads member overlap %v, want 0.5", members)
		}
	})
}

// TestSpaceRequestApprovedOnce approves one request from two requests at
// once: one wins, the other is a conflict, and a single community exists.
func TestSpaceRequestApprovedOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var r spaceRequestJSON
		e.as(t, "lea").post(t, "/api/v1/space-requests", map[string]any{"name": "Relances clients", "purpose": "Relancer les factures impayées."}).
			wantStatus(t, 201).decode(t, &r)
		claire := e.as(t, "claire")
		path := "/api/v1/space-requests/" + id(r.ID) + "/approve"
		statuses := make(chan int, 4)
		for range 4 {
			go func() {
				res, err := claire.send("POST", path, map[string]any{"steward_login": "samir"})
				if err != nil {
					statuses <- 0
					return
				}
				statuses <- res.Status
			}()
		}
		var got []int
		for range 4 {
			got = append(got, <-statuses)
		}
		slices.Sort(got)
		if !slices.Equal(got, []int{200, 409, 409, 409}) {
			t.Errorf("statuses %v, want one 200 and three 409", got)
		}
		sps, err := e.st.Spaces(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, sp := range sps {
			if sp.Name == "Relances clients" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d communities created", n)
		}
	})
}
