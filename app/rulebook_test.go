package app

import (
	"testing"

	"relais"
	"relais/policy"
)

// TestMatrixCoversEveryAction checks that the rulebook's matrix holds, for
// every profile, one decision per action of policy.Actions in that order,
// each naming a rule of the rulebook.
func TestMatrixCoversEveryAction(t *testing.T) {
	m := Matrix()
	if len(m.Actions) != len(policy.Actions) {
		t.Fatalf("%d actions, policy has %d", len(m.Actions), len(policy.Actions))
	}
	for i, a := range policy.Actions {
		if m.Actions[i] != a {
			t.Errorf("action %d is %q, want %q", i, m.Actions[i], a)
		}
	}
	want := []RulebookProfile{ProfileParticipant, ProfileCustomer, ProfileManager, ProfileSteward, ProfileCoPilot, ProfileCM, ProfileAdministrator}
	if len(m.Profiles) != len(want) {
		t.Fatalf("%d profiles, want %d", len(m.Profiles), len(want))
	}
	for i, p := range m.Profiles {
		if p.ID != want[i] {
			t.Errorf("profile %d is %q, want %q", i, p.ID, want[i])
		}
		if len(p.Decisions) != len(policy.Actions) {
			t.Errorf("%s: %d decisions for %d actions", p.ID, len(p.Decisions), len(policy.Actions))
			continue
		}
		for j, c := range p.Decisions {
			if c.Action != policy.Actions[j] {
				t.Errorf("%s: decision %d is for %q, want %q", p.ID, j, c.Action, policy.Actions[j])
			}
			if _, ok := policy.Lookup(c.Rule); !ok {
				t.Errorf("%s %s: rule %q is not in the rulebook", p.ID, c.Action, c.Rule)
			}
			switch c.Effect {
			case "allow", "deny", "needs_approval":
			default:
				t.Errorf("%s %s: effect %q", p.ID, c.Action, c.Effect)
			}
		}
	}
}

// TestMatrixDecisions spot-checks the matrix against what the product
// promises each profile, so that a representative target that drifted
// (a profile no longer steward, a customer in a closed space) shows.
func TestMatrixDecisions(t *testing.T) {
	m := Matrix()
	cell := func(p RulebookProfile, a policy.Action) MatrixCell {
		for _, mp := range m.Profiles {
			if mp.ID == p {
				for _, c := range mp.Decisions {
					if c.Action == a {
						return c
					}
				}
			}
		}
		t.Fatalf("no cell %s × %s", p, a)
		return MatrixCell{}
	}
	for _, c := range []struct {
		p      RulebookProfile
		a      policy.Action
		effect string
		rule   string
	}{
		{ProfileParticipant, policy.CreatePost, "allow", policy.RuleCommunityMember},
		{ProfileParticipant, policy.JoinSpace, "allow", policy.RuleJoinOpen},
		{ProfileParticipant, policy.PinPost, "deny", policy.RuleAnimateStewards},
		{ProfileParticipant, policy.SuggestSignal, "allow", policy.RuleSignalSuggest},
		{ProfileParticipant, policy.Govern, "deny", policy.RuleCockpitCMOnly},
		{ProfileCustomer, policy.CreatePost, "allow", policy.RuleCommunityMember},
		{ProfileCustomer, policy.ReadPlan, "deny", policy.RulePlanInternalOnly},
		{ProfileCustomer, policy.ViewDirectory, "deny", policy.RuleDirectoryExternal},
		{ProfileManager, policy.PinPost, "allow", policy.RuleTeamManagerAnimates},
		{ProfileManager, policy.JoinSpace, "deny", policy.RuleTeamJoinDirectory},
		{ProfileManager, policy.DecideSignal, "allow", policy.RuleSignalOwner},
		{ProfileManager, policy.EditCharter, "allow", policy.RuleCharterEdit},
		{ProfileSteward, policy.PinPost, "allow", policy.RuleAnimate},
		{ProfileSteward, policy.DecideApproval, "allow", policy.RuleApprovalMentorDecides},
		{ProfileSteward, policy.ConfirmOnboarding, "allow", policy.RuleOnboardingConfirm},
		{ProfileSteward, policy.RaiseSignal, "allow", policy.RuleSignalRaise},
		{ProfileCoPilot, policy.CreatePost, "needs_approval", policy.RuleCoPilotApproval},
		{ProfileCoPilot, policy.PinPost, "needs_approval", policy.RuleCoPilotApproval},
		{ProfileCoPilot, policy.EditCharter, "deny", policy.RuleCharterEditors},
		{ProfileCoPilot, policy.DecideApproval, "deny", policy.RuleApprovalOwn},
		{ProfileCoPilot, policy.NarrateReport, "allow", policy.RuleReportNarrate},
		{ProfileCM, policy.ReadPosts, "allow", policy.RuleCommunityOversight},
		{ProfileCM, policy.CreatePost, "deny", policy.RuleCommunityNonMember},
		{ProfileCM, policy.Govern, "allow", policy.RuleCockpitCM},
		{ProfileCM, policy.AssignSteward, "allow", policy.RuleStewardAssign},
		{ProfileCM, policy.EndCoPilot, "allow", policy.RuleCoPilotEnd},
		{ProfileCM, policy.ResolveEscalation, "allow", policy.RuleEscalationResolve},
		{ProfileCM, policy.RenameRoles, "allow", policy.RuleRolesRename},
		{ProfileAdministrator, policy.ReadPosts, "deny", policy.RuleCommunityNonMember},
		{ProfileAdministrator, policy.ManageWebhooks, "allow", policy.RuleWebhookAdmin},
		{ProfileAdministrator, policy.ViewAudit, "allow", policy.RuleAuditGovernance},
		{ProfileAdministrator, policy.RenameRoles, "allow", policy.RuleRolesRename},
		{ProfileAdministrator, policy.Govern, "deny", policy.RuleCockpitCMOnly},
	} {
		got := cell(c.p, c.a)
		if got.Effect != c.effect || got.Rule != c.rule {
			t.Errorf("%s × %s: %s (%s), want %s (%s)", c.p, c.a, got.Effect, got.Rule, c.effect, c.rule)
		}
	}
	// The roles of the profiles are named for their labels.
	for _, mp := range m.Profiles {
		if mp.Role != "" && !mp.Role.Valid() {
			t.Errorf("%s: role %q", mp.ID, mp.Role)
		}
		if mp.Employment != relais.Internal && mp.Employment != relais.External {
			t.Errorf("%s: employment %q", mp.ID, mp.Employment)
		}
	}
}

// TestParseHours checks the hours the cockpit accepts.
func TestParseHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		want relais.Hours
		ok   bool
	}{
		{"0", 0, true}, {"7.5", 750, true}, {"7,5", 750, true}, {"12", 1200, true}, {"0.25", 25, true},
		{"168", 16800, true}, {"168.00", 16800, true}, {" 35 ", 3500, true}, {"007.10", 710, true},
		{"168.01", 0, false}, {"169", 0, false}, {"1000", 0, false}, {"-1", 0, false}, {"1.234", 0, false},
		{"", 0, false}, {"abc", 0, false}, {"1e2", 0, false}, {"1/2", 0, false}, {".5", 0, false}, {"5.", 0, false},
		{"1.2.3", 0, false}, {"99999999999999999999", 0, false},
	} {
		got, err := relais.ParseHours(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseHours(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("ParseHours(%q): code %q", c.in, relais.ErrorCode(err))
		}
	}
	for h, want := range map[relais.Hours]string{0: "0", 750: "7.5", 25: "0.25", 3500: "35", 705: "7.05", -150: "-1.5"} {
		if got := h.String(); got != want {
			t.Errorf("Hours(%d) = %q, want %q", int64(h), got, want)
		}
	}
	if got := relais.Hours(750).Format("fr"); got != "7,5" {
		t.Errorf("French 7.5 h: %q", got)
	}
}
