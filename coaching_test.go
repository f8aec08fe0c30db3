package relais_test

import (
	"slices"
	"strings"
	"testing"

	"relais"
)

func TestMentions(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"@paul", []string{"paul"}},
		{"Merci @Paul et @marc, et encore @paul.", []string{"paul", "marc"}},
		{"écrire à marc@relais.example", nil},
		{"(@lea) @samir: @x", []string{"lea", "samir", "x"}},
		{"@@nadia", nil},
		{"@jean-pierre.dupont! @_bad @a_b", []string{"jean-pierre.dupont", "a_b"}},
		{"@léa", []string{"léa"}},
		{"@PAUL, @ｐａｕｌ et @Paul", []string{"paul"}},
		{"@ＬＥＡ", []string{"lea"}},
		{"@ seul", nil},
	} {
		if got := relais.Mentions(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Mentions(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	many := strings.Repeat("@a1 @b2 @c3 @d4 @e5 @f6 @g7 @h8 @i9 @j0 ", 3) + "@k1 @l2 @m3 @n4 @o5 @p6 @q7 @r8 @s9 @t0 @u1"
	if n := len(relais.Mentions(many)); n != relais.MaxMentions {
		t.Errorf("%d mentions kept, want %d", n, relais.MaxMentions)
	}
}

func TestMentionSpans(t *testing.T) {
	spans := relais.MentionSpans("Salut @paul, vois avec @marc.")
	var b strings.Builder
	var logins []string
	for _, sp := range spans {
		if sp.Login != "" {
			logins = append(logins, sp.Login)
			b.WriteString("@" + sp.Login)
		} else {
			b.WriteString(sp.Text)
		}
	}
	if b.String() != "Salut @paul, vois avec @marc." || !slices.Equal(logins, []string{"paul", "marc"}) {
		t.Errorf("spans %+v rebuild %q", spans, b.String())
	}
	if s := relais.MentionSpans("pas de mention"); len(s) != 1 || s[0].Text != "pas de mention" {
		t.Errorf("spans of a plain text: %+v", s)
	}
}

func TestNewCoachingValidate(t *testing.T) {
	for _, tc := range []struct {
		in    relais.NewCoaching
		field string
	}{
		{relais.NewCoaching{CoachLogin: " samir ", Topic: "  "}, ""},
		{relais.NewCoaching{CoachLogin: ""}, "coach_login"},
		{relais.NewCoaching{CoachLogin: "samir\x00"}, "coach_login"},
		{relais.NewCoaching{CoachLogin: "samir", TeamID: -3}, "team_id"},
		{relais.NewCoaching{CoachLogin: "samir", Topic: strings.Repeat("é", relais.MaxCoachingTopic+1)}, "topic"},
	} {
		in := tc.in
		err := in.Validate()
		e, _ := err.(*relais.Error)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.in, err)
		case tc.field != "" && (e == nil || e.Code != relais.EINVALID || e.Field != tc.field || e.MessageFR == ""):
			t.Errorf("%+v: %v, want an invalid %s in both languages", tc.in, err, tc.field)
		}
		if tc.field == "" && (in.CoachLogin != "samir" || in.Topic != "") {
			t.Errorf("not trimmed: %+v", in)
		}
	}
}

func TestNewAgreementValidate(t *testing.T) {
	for _, tc := range []struct {
		in    relais.NewAgreement
		field string
	}{
		{relais.NewAgreement{Hours: 50}, ""},
		{relais.NewAgreement{Hours: 40_00, Role: " expert "}, ""},
		{relais.NewAgreement{Hours: 49}, "hours_per_week"},
		{relais.NewAgreement{Hours: 0}, "hours_per_week"},
		{relais.NewAgreement{Hours: -100}, "hours_per_week"},
		{relais.NewAgreement{Hours: 40_01}, "hours_per_week"},
		{relais.NewAgreement{Hours: 100, Role: strings.Repeat("r", relais.MaxAgreementRole+1)}, "role"},
		{relais.NewAgreement{Hours: 100, Note: strings.Repeat("n", relais.MaxAgreementNote+1)}, "note"},
	} {
		in := tc.in
		err := in.Validate()
		e, _ := err.(*relais.Error)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.in, err)
		case tc.field != "" && (e == nil || e.Code != relais.EINVALID || e.Field != tc.field || e.MessageFR == ""):
			t.Errorf("%+v: %v, want an invalid %s in both languages", tc.in, err, tc.field)
		}
		if tc.field == "" && in.Role != "contributor" && in.Role != "expert" {
			t.Errorf("role %q", in.Role)
		}
	}
}
