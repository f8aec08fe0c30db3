package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"relais"
	"relais/policy"
)

// offeringForm is a valid form of a value proposition.
func offeringForm(title string) url.Values {
	return url.Values{"title": {title}, "unit_id": {"0"}, "co_authors": {"victor, nadia"},
		"use_case":          {"Les ventes et le support règlent ensemble les litiges de facturation des clients."},
		"expected_value":    {"Des avoirs émis en une semaine."},
		"charter_objective": {"Réduire les litiges de facturation des clients professionnels."},
		"charter_rules":     {"Un litige par fil ; pas de montant nominatif."},
		"routine_templates": {"Revue hebdomadaire des litiges."}}
}

// planObjective records a plan objective (and its company objective) in
// claire's name and returns it.
func (e *env) planObjective(title string) *relais.PlanObjective {
	e.t.Helper()
	ctx, claire := context.Background(), e.user("claire").ID
	co, err := relais.CompanyObjectiveInput{Title: title + " (entreprise)"}.Validate()
	if err == nil {
		err = e.st.CreateCompanyObjective(ctx, claire, co)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	o, err := relais.PlanObjectiveInput{CompanyObjectiveID: co.ID, Title: title}.Validate()
	if err == nil {
		err = e.st.CreatePlanObjective(ctx, claire, o)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

var offeringAnchor = regexp.MustCompile(`/offerings\?done=created#offering-(\d+)$`)

func TestOfferingsPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		// An employee reads the catalog, from the header; no form.
		paul := e.browser(t, "en")
		home := paul.signIn("paul")
		mustContain(t, home, `href="/offerings"`, `href="/space-requests"`)
		p := paul.get("/offerings")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<h1 id="offerings-h">Catalog of value propositions</h1>`, "The catalog is still empty.")
		mustNotContain(t, p, `action="/offerings"`)
		checkHeadings(t, "catalog of an employee", p)
		res := paul.postForm(p, "/offerings", offeringForm("Facturation clients"))
		mustStatus(t, res, http.StatusForbidden)
		mustContain(t, res, policy.RuleCockpitCMOnly)

		// An external account neither reads it nor sees the links.
		xavier := e.browser(t, "en")
		home = xavier.signIn("xavier")
		mustNotContain(t, home, `href="/offerings"`, `href="/space-requests"`)
		mustStatus(t, xavier.get("/offerings"), http.StatusForbidden)
		mustStatus(t, xavier.get("/space-requests"), http.StatusForbidden)

		// The community manager adds one; refused input stays.
		claire := e.browser(t, "fr")
		claire.signIn("claire")
		p = claire.get("/offerings")
		mustContain(t, p, `<h1 id="offerings-h">Catalogue des propositions de valeur</h1>`, `action="/offerings"`, `<label for="offering-new-title">`)
		checkHeadings(t, "catalog of the CM", p)
		bad := offeringForm("")
		res = claire.postForm(p, "/offerings", bad)
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="offering-new-error"`, `id="offering-new-title" name="title" value="" maxlength="200" required aria-invalid="true"`,
			inHTML("Réduire les litiges de facturation des clients professionnels."))
		res = claire.postForm(p, "/offerings", offeringForm("Facturation clients"))
		mustStatus(t, res, http.StatusSeeOther)
		m := offeringAnchor.FindStringSubmatch(res.Location())
		if m == nil {
			t.Fatalf("create redirects to %q", res.Location())
		}
		oid := m[1]
		p = claire.get("/offerings?done=created")
		mustContain(t, p, "Proposition ajoutée au catalogue.", `id="offering-`+oid+`"`, "Facturation clients", "Nadia Haddad, Victor Lemaire",
			`action="/offerings/`+oid+`"`, `href="/space-requests?offering=`+oid+`#request-h"`)
		checkHeadings(t, "catalog with an offering", p)

		// A duplicate title is refused beside its form, kept open.
		res = claire.postForm(p, "/offerings", offeringForm("FACTURATION clients"))
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, `id="offering-new-error"`, "figure déjà au catalogue")
		edit := offeringForm("Facturation clients")
		edit.Set("co_authors", "lea")
		edit.Set("use_case", "Un cas d'usage revu.")
		res = claire.postForm(p, "/offerings/"+oid, edit)
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/offerings?done=updated#offering-"+oid {
			t.Errorf("update redirects to %q", res.Location())
		}
		p = claire.get("/offerings?done=updated")
		mustContain(t, p, "Proposition enregistrée.", inHTML("Un cas d'usage revu."), "Léa Moreau")
		edit.Set("co_authors", "xavier")
		res = claire.postForm(p, "/offerings/"+oid, edit)
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, `<details class="edit-offering" open>`, `id="offering-`+oid+`-error"`, `value="xavier"`)

		// paul now reads it, with the link that requests a space from it.
		p = paul.get("/offerings")
		mustContain(t, p, "Facturation clients", `href="/space-requests?offering=`+oid+`#request-h"`)
		mustNotContain(t, p, `action="/offerings/`+oid+`"`)
	})
}

var requestPath = regexp.MustCompile(`^/space-requests/(\d+)\?done=filed$`)

// fileRequest has a person file a space request through the form and
// returns its id.
func fileRequest(t *testing.T, b *browser, form url.Values) int64 {
	t.Helper()
	p := b.get("/space-requests")
	mustStatus(t, p, http.StatusOK)
	res := b.postForm(p, "/space-requests", form)
	mustStatus(t, res, http.StatusSeeOther)
	m := requestPath.FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("filing redirects to %q", res.Location())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestSpaceRequestPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.services()
		o, err := svc.CreateOffering(ctx, e.user("claire"), relais.NewOffering{Title: "Clubs clients", UseCase: "Réunir nos clients professionnels.",
			ExpectedValue: "Des clients fidèles.", Charter: relais.OfferingCharter{Objective: "Aider nos clients professionnels avec nos experts."}})
		if err != nil {
			t.Fatal(err)
		}
		objective := e.planObjective("Fidéliser les clients professionnels")
		oid := strconv.FormatInt(o.ID, 10)

		// lea files a request from the offering; refused input stays.
		lea := e.browser(t, "en")
		lea.signIn("lea")
		p := lea.get("/space-requests?offering=" + oid)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<option value="`+oid+`" selected>Clubs clients</option>`, `<label for="request-name">`, `<label for="request-purpose">`,
			`<option value="internal" selected>`, `<option value="open" selected>`, "You have requested no space.")
		mustNotContain(t, p, `id="queue-h"`)
		checkHeadings(t, "space requests of an employee", p)
		form := url.Values{"offering_id": {oid}, "name": {"Experts clients"}, "audience": {"mixed"}, "join_policy": {"request"},
			"purpose": {"Aider nos clients professionnels à tirer le meilleur de nos produits, avec nos experts."}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("name", clientsPro)
		res := lea.postForm(p, "/space-requests", bad)
		mustStatus(t, res, http.StatusConflict)
		mustContain(t, res, `id="request-error"`, `value="Clients Pro"`, `aria-invalid="true"`, `<option value="mixed" selected>`)
		id := fileRequest(t, lea, form)
		path := "/space-requests/" + strconv.FormatInt(id, 10)

		// Her request shows the closest communities, with their scores.
		p = lea.get(path + "?done=filed")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Request sent.", `<h1 id="request-`+strconv.FormatInt(id, 10)+`-h">Experts clients</h1>`, `id="closest-h"`,
			`<a href="/spaces/`+strconv.FormatInt(e.spaces[clientsPro], 10)+`">Clients Pro</a>`, "<meter", "Combined score",
			"Withheld: too few people measured.", "Pending")
		mustNotContain(t, p, supportLyon, ventesParis, `action="`+path+`/approve"`)
		checkHeadings(t, "space request of its requester", p)
		// Nobody else reads it.
		paul := e.browser(t, "en")
		paul.signIn("paul")
		mustStatus(t, paul.get(path), http.StatusNotFound)

		// claire's queue: the request with its closest communities and
		// the forms; stewards are the social media managers.
		claire := e.browser(t, "en")
		claire.signIn("claire")
		q := claire.get("/space-requests")
		mustStatus(t, q, http.StatusOK)
		mustContain(t, q, `id="queue-h"`, `id="request-`+strconv.FormatInt(id, 10)+`"`, `action="`+path+`/approve"`, `action="`+path+`/refuse"`,
			`<option value="samir">Samir Benali (samir)</option>`, `<option value="olivia">Olivia Hart (olivia)</option>`,
			`name="plan_objective_ids" value="`+strconv.FormatInt(objective.ID, 10)+`"`, inHTML(objective.Title), "<meter")
		mustNotContain(t, q, `<option value="paul">`)
		checkHeadings(t, "queue of the CM", q)

		// A refused approval says why beside the request, input kept.
		res = claire.postForm(q, path+"/approve", url.Values{"steward_login": {""}, "plan_objective_ids": {strconv.FormatInt(objective.ID, 10)}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="request-`+strconv.FormatInt(id, 10)+`-error"`, "Choose the steward of the community.", "checked")
		res = claire.postForm(q, path+"/approve", url.Values{"steward_login": {"paul"}})
		mustStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, policy.RuleStewardSMMOnly)
		res = claire.postForm(q, path+"/approve", url.Values{"steward_login": {"samir"}, "sponsor_unit_id": {"0"},
			"plan_objective_ids": {strconv.FormatInt(objective.ID, 10)}})
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/space-requests?done=approved" {
			t.Errorf("approval redirects to %q", res.Location())
		}
		sp, err := e.st.SpaceByName(ctx, "Experts clients")
		if err != nil {
			t.Fatal(err)
		}
		if sp.Charter.Objective != "Aider nos clients professionnels avec nos experts." || sp.Audience != relais.AudienceMixed {
			t.Errorf("the new community %+v %+v", sp, sp.Charter)
		}
		q = claire.get("/space-requests?done=approved")
		mustContain(t, q, "Request approved", "No request waits for a decision.", `id="decided-h"`, `href="/spaces/`+strconv.FormatInt(sp.ID, 10)+`"`)
		p = claire.get(path)
		mustContain(t, p, "Approved by Claire Dubois:", "open the community Experts clients")
		mustNotContain(t, p, `action="`+path+`/approve"`)

		// lea finds the community in the directory, and is told.
		p = lea.get("/communities")
		mustContain(t, p, `<a href="/spaces/`+strconv.FormatInt(sp.ID, 10)+`">Experts clients</a>`)
		p = lea.get("/notifications")
		mustContain(t, p, "Claire Dubois approved your request: the community “Experts clients” is created.", `href="/spaces/`+strconv.FormatInt(sp.ID, 10)+`"`)

		// A refusal from the request's page: the reason is required, then
		// shown to the requester.
		id2 := fileRequest(t, lea, url.Values{"name": {"Pause café"}, "purpose": {"Discuter de tout et de rien."}})
		path2 := "/space-requests/" + strconv.FormatInt(id2, 10)
		p = claire.get(path2)
		mustContain(t, p, `id="decide-h"`, `name="back" value="request"`)
		checkHeadings(t, "space request of the CM", p)
		res = claire.postForm(p, path2+"/refuse", url.Values{"reason": {" "}, "back": {"request"}})
		mustStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, `id="request-`+strconv.FormatInt(id2, 10)+`-error"`, `id="decide-h"`)
		res = claire.postForm(p, path2+"/refuse", url.Values{"reason": {"Un canal de discussion suffit."}, "back": {"request"}})
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location() != path2+"?done=refused" {
			t.Errorf("refusal redirects to %q", res.Location())
		}
		p = lea.get(path2)
		mustContain(t, p, "Refused by Claire Dubois", "Un canal de discussion suffit.")
		// Deciding again is a conflict, on the error page.
		res = claire.postForm(claire.get(path2), path2+"/approve", url.Values{"steward_login": {"samir"}, "back": {"request"}})
		mustStatus(t, res, http.StatusConflict)
		// lea's own list shows both, decided.
		p = lea.get("/space-requests")
		mustContain(t, p, "Experts clients", "Pause café", "Approved", "Refused")
	})
}
