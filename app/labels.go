package app

import (
	"context"

	"relais"
	"relais/policy"
)

// RoleLabels returns what the organization calls each role, in French and
// English (Relais's own names where it has given none). Everyone signed
// in reads them: the pages name roles with them.
func (s *Service) RoleLabels(ctx context.Context) (relais.RoleLabels, error) {
	custom, err := s.Store.RoleLabels(ctx)
	if err != nil {
		return nil, err
	}
	return relais.DefaultRoleLabels(custom), nil
}

// SetRoleLabel gives a role the organization's name in a language; an
// empty label restores Relais's own. The rules keep their meaning and
// their words.
func (s *Service) SetRoleLabel(ctx context.Context, u *relais.User, role relais.Role, lang, label string) (relais.RoleLabels, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.RenameRoles, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "role",
			Message:   "Unknown role «" + clipInput(string(role)) + "»; expected one of administrator, community_manager, social_media_manager.",
			MessageFR: "Rôle inconnu « " + clipInput(string(role)) + " » ; attendu : administrator, community_manager, social_media_manager."}
	}
	if lang != "fr" && lang != "en" {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "lang", Message: "The language is fr or en.",
			MessageFR: "La langue est fr ou en."}
	}
	label, err := relais.ValidateRoleLabel(label)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SetRoleLabel(ctx, u.ID, role, lang, label); err != nil {
		return nil, err
	}
	return s.RoleLabels(ctx)
}

// clipInput shortens what a person typed before an error message quotes it.
func clipInput(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
