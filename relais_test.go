package relais_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"relais"
)

func TestNewPostValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	tests := []struct {
		name  string
		in    relais.NewPost
		field string // "" when valid
	}{
		{"valid, kind defaults to discussion", relais.NewPost{Title: " Titre ", Body: " Corps "}, ""},
		{"every kind", relais.NewPost{Kind: relais.KindBestPractice, Title: "t", Body: "b"}, ""},
		{"unknown kind", relais.NewPost{Kind: "poll", Title: "t", Body: "b"}, "kind"},
		{"empty title", relais.NewPost{Title: "  ", Body: "b"}, "title"},
		{"title of 200 characters", relais.NewPost{Title: long(200), Body: "b"}, ""},
		{"title of 201 characters", relais.NewPost{Title: long(201), Body: "b"}, "title"},
		{"empty body", relais.NewPost{Title: "t", Body: "\n\t"}, "body"},
		{"body too long", relais.NewPost{Title: "t", Body: long(relais.MaxBody + 1)}, "body"},
		{"NUL in title", relais.NewPost{Title: "a\x00b", Body: "b"}, ""},
		{"invalid UTF-8 in body", relais.NewPost{Title: "t", Body: "a\xffb"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate()
			invalidText := strings.Contains(tt.name, "NUL") || strings.Contains(tt.name, "UTF-8")
			switch {
			case tt.field == "" && !invalidText:
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				if in.Kind == "" || in.Title != strings.TrimSpace(tt.in.Title) {
					t.Fatalf("not normalized: %+v", in)
				}
			default:
				var e *relais.Error
				if !errors.As(err, &e) || e.Code != relais.EINVALID || e.Message == "" || e.MessageFR == "" || e.Message == e.MessageFR {
					t.Fatalf("Validate() = %#v, want an invalid error in both languages", err)
				}
				if tt.field != "" && e.Field != tt.field {
					t.Fatalf("field %q, want %q", e.Field, tt.field)
				}
			}
		})
	}
}

func TestValidateReplyAndReason(t *testing.T) {
	if b, err := relais.ValidateReplyBody("  merci  "); err != nil || b != "merci" {
		t.Fatalf("ValidateReplyBody = %q, %v", b, err)
	}
	for _, bad := range []string{"", "  ", "a\x00", "\xff", strings.Repeat("x", relais.MaxBody+1)} {
		if _, err := relais.ValidateReplyBody(bad); relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("ValidateReplyBody(%.10q) = %v, want invalid", bad, err)
		}
	}
	if r, err := relais.ValidateReason(" hors sujet "); err != nil || r != "hors sujet" {
		t.Fatalf("ValidateReason = %q, %v", r, err)
	}
	for _, bad := range []string{"", " ", "a\x00", strings.Repeat("x", relais.MaxReason+1)} {
		if _, err := relais.ValidateReason(bad); relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("ValidateReason(%.10q) = %v, want invalid", bad, err)
		}
	}
}

func TestErrors(t *testing.T) {
	e := &relais.Error{Code: relais.EFORBIDDEN, Rule: "team.outsider", Message: "closed", MessageFR: "fermé"}
	if e.Localized("fr") != "fermé" || e.Localized("en") != "closed" || e.Localized("de") != "closed" {
		t.Fatal("Localized picks the wrong language")
	}
	wrapped := fmt.Errorf("context: %w", e)
	if relais.ErrorCode(wrapped) != relais.EFORBIDDEN || relais.ErrorMessage(wrapped) != "closed" {
		t.Fatal("a wrapped *Error loses its code or message")
	}
	plain := errors.New("disk on fire")
	if relais.ErrorCode(plain) != relais.EINTERNAL || relais.ErrorMessage(plain) == "disk on fire" {
		t.Fatal("an internal error leaks its text or its code")
	}
	if relais.ErrorCode(nil) != "" || relais.AsError(plain).Code != relais.EINTERNAL {
		t.Fatal("nil or internal errors are not handled")
	}
	if !strings.Contains(e.Error(), "team.outsider") {
		t.Fatal("Error() omits the rule")
	}
	for _, r := range relais.Roles {
		if !r.Valid() {
			t.Fatalf("role %s not valid", r)
		}
	}
	if relais.Role("superuser").Valid() || relais.PostKind("poll").Valid() || relais.ReactionKind("love").Valid() {
		t.Fatal("unknown values accepted")
	}
}
