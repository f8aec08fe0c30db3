package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"relais"
	"relais/policy"
	"relais/scim"
	"relais/store"
)

// SCIM provisioning (RFC 7643, RFC 7644) of users and groups, for an
// administrator's token (the policy's directory.admin rule). See package
// scim for how SCIM maps onto accounts and teams. Errors are *scim.Error
// for what breaks the SCIM schema, or *relais.Error.

// DefaultSCIMCount and MaxSCIMCount bound a page of a SCIM list.
const (
	DefaultSCIMCount = 100
	MaxSCIMCount     = 1000
)

func (s *Service) manageDirectory(actor *relais.User) error {
	return policy.Decide(policy.ActorOf(actor), policy.ManageDirectory, policy.Target{}).Err()
}

// scimID parses the id of a resource; a malformed one names nothing.
func scimID(raw, what string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, scim.Errorf(404, "", "No %s has the id %q.", what, raw)
	}
	return id, nil
}

// SCIMPage is the paging of a SCIM list: startIndex (from 1) and count.
type SCIMPage struct {
	StartIndex int
	Count      int
}

func (p SCIMPage) apply(all []any) *scim.ListResponse {
	start, count := max(p.StartIndex, 1), p.Count
	if count < 0 {
		count = 0
	}
	count = min(count, MaxSCIMCount)
	page := []any{}
	if start-1 < len(all) {
		page = all[start-1 : min(len(all), start-1+count)]
	}
	return &scim.ListResponse{Schemas: []string{scim.SchemaList}, TotalResults: len(all), StartIndex: start,
		ItemsPerPage: len(page), Resources: page}
}

// scimUser returns the SCIM form of an account; base is the URL of
// /scim/v2.
func scimUser(a *store.Account, base string) *scim.User {
	id := strconv.FormatInt(a.ID, 10)
	created, updated := a.CreatedAt, a.UpdatedAt
	u := &scim.User{Schemas: []string{scim.SchemaUser, scim.SchemaRelaisUser}, ID: id, ExternalID: a.ExternalID,
		UserName: a.Login, Name: &scim.Name{Formatted: a.Name}, DisplayName: a.Name, Active: a.Active,
		Relais: &scim.RelaisUser{Employment: string(a.Employment), Site: a.Site, JobFamily: a.JobFamily},
		Meta:   scim.Meta{ResourceType: "User", Created: &created, LastModified: &updated, Location: base + "/Users/" + id}}
	if a.Email != "" {
		u.Emails = []scim.Value{{Value: a.Email, Type: "work", Primary: true}}
	}
	if a.Unit != "" {
		u.Schemas = append(u.Schemas, scim.SchemaEnterprise)
		u.Enterprise = &scim.Enterprise{Department: a.Unit}
	}
	for _, t := range a.Teams {
		tid := strconv.FormatInt(t.ID, 10)
		u.Groups = append(u.Groups, scim.Value{Value: tid, Display: t.Name, Ref: base + "/Groups/" + tid})
	}
	return u
}

// userAttrs returns the SCIM attributes of an account.
func userAttrs(a *store.Account) *scim.UserAttrs {
	return &scim.UserAttrs{UserName: a.Login, ExternalID: a.ExternalID, Name: a.Name, Email: a.Email, Active: a.Active,
		Department: a.Unit, Employment: string(a.Employment), Site: a.Site, JobFamily: a.JobFamily}
}

// accountOf validates SCIM attributes into an account.
func accountOf(at *scim.UserAttrs, a *store.Account) (*store.Account, error) {
	if a == nil {
		a = &store.Account{}
	}
	if at.Name == "" {
		at.Name = at.UserName
	}
	if at.Employment == "" {
		at.Employment = string(relais.Internal)
	}
	row := relais.DirectoryRow{Login: at.UserName, Name: at.Name, Email: at.Email, Unit: at.Department,
		Employment: relais.Employment(at.Employment), Site: at.Site, JobFamily: at.JobFamily}
	if e := row.Validate(); e != nil {
		attr := map[string]string{"login": "userName", "name": "name.formatted", "email": "emails", "unit": schemaDepartment,
			"employment": "employment", "site": "site", "job_family": "jobFamily"}[e.Field]
		return nil, scim.Bad(scim.InvalidValue, "%s (attribute %s)", e.Message, attr)
	}
	if utf8.RuneCountInString(at.ExternalID) > 200 || !relais.ValidText(at.ExternalID) {
		return nil, scim.Bad(scim.InvalidValue, "The externalId is longer than 200 characters, or holds a NUL.")
	}
	a.Login, a.Name, a.Email, a.Unit, a.Employment, a.Site, a.JobFamily = row.Login, row.Name, row.Email, row.Unit, row.Employment, row.Site, row.JobFamily
	a.ExternalID, a.Active = at.ExternalID, at.Active
	return a, nil
}

// schemaDepartment names the department attribute in messages.
const schemaDepartment = scim.SchemaEnterprise + ":department"

// SCIMUsers lists the users matching a filter ("" for all), a page at a
// time.
func (s *Service) SCIMUsers(ctx context.Context, actor *relais.User, filter string, page SCIMPage, base string) (*scim.ListResponse, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	as, err := s.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	return scimList(filter, as, func(a *store.Account) any { return scimUser(a, base) }, page)
}

// scimList keeps the resources that match a filter ("" for all) and
// returns a page of them.
func scimList[T any](filter string, items []T, resource func(T) any, page SCIMPage) (*scim.ListResponse, error) {
	var f scim.Filter
	if strings.TrimSpace(filter) != "" {
		var err *scim.Error
		if f, err = scim.ParseFilter(filter); err != nil {
			return nil, err
		}
	}
	all := []any{}
	for _, x := range items {
		r := resource(x)
		if f == nil || f.Match(scim.Object(r)) {
			all = append(all, r)
		}
	}
	return page.apply(all), nil
}

// SCIMUser returns one user.
func (s *Service) SCIMUser(ctx context.Context, actor *relais.User, rawID, base string) (*scim.User, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	a, err := s.scimAccount(ctx, rawID)
	if err != nil {
		return nil, err
	}
	return scimUser(a, base), nil
}

func (s *Service) scimAccount(ctx context.Context, rawID string) (*store.Account, error) {
	id, err := scimID(rawID, "User")
	if err != nil {
		return nil, err
	}
	a, err := s.Store.AccountByID(ctx, id)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return nil, scim.Errorf(404, "", "No User has the id %q.", rawID)
	}
	return a, err
}

// SCIMCreateUser creates a user from the body of a POST.
func (s *Service) SCIMCreateUser(ctx context.Context, actor *relais.User, body []byte, base string) (*scim.User, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	at, serr := scim.ParseUser(body)
	if serr != nil {
		return nil, serr
	}
	a, err := accountOf(at, nil)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SaveAccount(ctx, actor.ID, a); err != nil {
		return nil, err
	}
	return s.SCIMUser(ctx, actor, strconv.FormatInt(a.ID, 10), base)
}

// SCIMReplaceUser replaces a user's attributes with the body of a PUT.
func (s *Service) SCIMReplaceUser(ctx context.Context, actor *relais.User, rawID string, body []byte, base string) (*scim.User, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	cur, err := s.scimAccount(ctx, rawID)
	if err != nil {
		return nil, err
	}
	at, serr := scim.ParseUser(body)
	if serr != nil {
		return nil, serr
	}
	return s.saveSCIMUser(ctx, actor, cur, at, base)
}

// SCIMPatchUser applies the operations of a PATCH to a user: active=false
// deactivates the account at once.
func (s *Service) SCIMPatchUser(ctx context.Context, actor *relais.User, rawID string, body []byte, base string) (*scim.User, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	cur, err := s.scimAccount(ctx, rawID)
	if err != nil {
		return nil, err
	}
	ops, serr := scim.ParsePatch(body)
	if serr != nil {
		return nil, serr
	}
	at := userAttrs(cur)
	if serr := at.ApplyUser(ops); serr != nil {
		return nil, serr
	}
	return s.saveSCIMUser(ctx, actor, cur, at, base)
}

func (s *Service) saveSCIMUser(ctx context.Context, actor *relais.User, cur *store.Account, at *scim.UserAttrs, base string) (*scim.User, error) {
	if cur.ID == actor.ID && !at.Active {
		return nil, scim.Bad(scim.Mutability, "An administrator cannot deactivate their own account through the token they use.")
	}
	a, err := accountOf(at, cur)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SaveAccount(ctx, actor.ID, a); err != nil {
		return nil, err
	}
	return s.SCIMUser(ctx, actor, strconv.FormatInt(a.ID, 10), base)
}

// SCIMDeleteUser deactivates a user for a DELETE and hides it from SCIM;
// its posts stay.
func (s *Service) SCIMDeleteUser(ctx context.Context, actor *relais.User, rawID string) error {
	if err := s.manageDirectory(actor); err != nil {
		return err
	}
	a, err := s.scimAccount(ctx, rawID)
	if err != nil {
		return err
	}
	if a.ID == actor.ID {
		return scim.Bad(scim.Mutability, "An administrator cannot delete their own account through the token they use.")
	}
	if err := s.Store.DeleteAccount(ctx, actor.ID, a.ID); err != nil {
		return err
	}
	return nil
}

// scimGroup returns the SCIM form of a team.
func scimGroup(g *store.Group, base string) *scim.Group {
	id := strconv.FormatInt(g.ID, 10)
	out := &scim.Group{Schemas: []string{scim.SchemaGroup, scim.SchemaRelaisGroup}, ID: id, ExternalID: g.ExternalID, DisplayName: g.Name,
		Members: []scim.Value{}, Meta: scim.Meta{ResourceType: "Group", Location: base + "/Groups/" + id}}
	if !g.CreatedAt.IsZero() && g.CreatedAt.Unix() > 0 {
		c := g.CreatedAt
		out.Meta.Created = &c
	}
	if !g.UpdatedAt.IsZero() && g.UpdatedAt.Unix() > 0 {
		u := g.UpdatedAt
		out.Meta.LastModified = &u
	}
	for _, m := range g.Members {
		mid := strconv.FormatInt(m.ID, 10)
		out.Members = append(out.Members, scim.Value{Value: mid, Display: m.Name, Type: "User", Ref: base + "/Users/" + mid})
	}
	out.Relais = &scim.RelaisGroup{}
	if g.ManagerID != 0 {
		mid := strconv.FormatInt(g.ManagerID, 10)
		out.Relais.Manager = &scim.Value{Value: mid, Display: g.ManagerName, Ref: base + "/Users/" + mid}
	}
	return out
}

// SCIMGroups lists the groups matching a filter ("" for all), a page at a
// time.
func (s *Service) SCIMGroups(ctx context.Context, actor *relais.User, filter string, page SCIMPage, base string) (*scim.ListResponse, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	gs, err := s.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	return scimList(filter, gs, func(g *store.Group) any { return scimGroup(g, base) }, page)
}

func (s *Service) scimGroupByID(ctx context.Context, rawID string) (*store.Group, error) {
	id, err := scimID(rawID, "Group")
	if err != nil {
		return nil, err
	}
	g, err := s.Store.GroupByID(ctx, id)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return nil, scim.Errorf(404, "", "No Group has the id %q.", rawID)
	}
	return g, err
}

// SCIMGroup returns one group.
func (s *Service) SCIMGroup(ctx context.Context, actor *relais.User, rawID, base string) (*scim.Group, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	g, err := s.scimGroupByID(ctx, rawID)
	if err != nil {
		return nil, err
	}
	return scimGroup(g, base), nil
}

// userIDs parses the ids of members; attr names them in messages.
func userIDs(raw []string, attr string) ([]int64, error) {
	out := make([]int64, 0, len(raw))
	for _, r := range raw {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil || id <= 0 {
			return nil, scim.Bad(scim.InvalidValue, "The %s %q is not the id of a user.", attr, r)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func groupName(name string) error {
	if utf8.RuneCountInString(name) > relais.MaxName || !relais.ValidText(name) {
		return scim.Bad(scim.InvalidValue, "The displayName is longer than 120 characters, or holds a NUL.")
	}
	return nil
}

// SCIMCreateGroup creates a team, with its closed team space, from the body
// of a POST.
func (s *Service) SCIMCreateGroup(ctx context.Context, actor *relais.User, body []byte, base string) (*scim.Group, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	ga, serr := scim.ParseGroup(body)
	if serr != nil {
		return nil, serr
	}
	if err := groupName(ga.DisplayName); err != nil {
		return nil, err
	}
	members, err := userIDs(ga.Members, "member")
	if err != nil {
		return nil, err
	}
	manager, err := managerOf(ga.Manager)
	if err != nil {
		return nil, err
	}
	g, err := s.Store.CreateGroup(ctx, actor.ID, ga.DisplayName, ga.ExternalID, manager, members)
	if err != nil {
		return nil, scimInput(err)
	}
	return scimGroup(g, base), nil
}

func managerOf(raw string) (int64, error) {
	if raw == "" {
		return 0, nil
	}
	ids, err := userIDs([]string{raw}, "manager")
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// scimInput turns the store's refusal of an unknown user into a SCIM
// invalidValue error.
func scimInput(err error) error {
	if e, ok := err.(*relais.Error); ok && e.Code == relais.EINVALID {
		return scim.Bad(scim.InvalidValue, "%s", e.Message)
	}
	return err
}

// SCIMReplaceGroup replaces a group with the body of a PUT.
func (s *Service) SCIMReplaceGroup(ctx context.Context, actor *relais.User, rawID string, body []byte, base string) (*scim.Group, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	cur, err := s.scimGroupByID(ctx, rawID)
	if err != nil {
		return nil, err
	}
	ga, serr := scim.ParseGroup(body)
	if serr != nil {
		return nil, serr
	}
	patch := &scim.GroupPatch{DisplayName: &ga.DisplayName, ExternalID: &ga.ExternalID, Manager: &ga.Manager,
		Members: []scim.MemberOp{{Kind: "replace", IDs: ga.Members}}}
	return s.changeGroup(ctx, actor, cur, patch, base)
}

// SCIMPatchGroup applies the operations of a PATCH to a group: members
// removed lose the team space at once.
func (s *Service) SCIMPatchGroup(ctx context.Context, actor *relais.User, rawID string, body []byte, base string) (*scim.Group, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	cur, err := s.scimGroupByID(ctx, rawID)
	if err != nil {
		return nil, err
	}
	ops, serr := scim.ParsePatch(body)
	if serr != nil {
		return nil, serr
	}
	patch, serr := scim.ApplyGroup(ops)
	if serr != nil {
		return nil, serr
	}
	return s.changeGroup(ctx, actor, cur, patch, base)
}

func (s *Service) changeGroup(ctx context.Context, actor *relais.User, cur *store.Group, patch *scim.GroupPatch, base string) (*scim.Group, error) {
	ch := store.GroupChange{Name: patch.DisplayName, ExternalID: patch.ExternalID}
	if ch.Name != nil {
		if err := groupName(*ch.Name); err != nil {
			return nil, err
		}
	}
	if patch.Manager != nil {
		m, err := managerOf(*patch.Manager)
		if err != nil {
			return nil, err
		}
		ch.ManagerID = &m
	}
	// The members after the operations, in their order.
	names := map[int64]string{}
	set := map[int64]bool{}
	for _, m := range cur.Members {
		set[m.ID], names[m.ID] = true, m.Name
	}
	for _, op := range patch.Members {
		switch op.Kind {
		case "removeWhere":
			for id := range set {
				if op.Where.Match(map[string]any{"value": strconv.FormatInt(id, 10), "display": names[id], "type": "User"}) {
					delete(set, id)
				}
			}
			continue
		}
		ids, err := userIDs(op.IDs, "member")
		if err != nil {
			return nil, err
		}
		switch op.Kind {
		case "replace":
			set = map[int64]bool{}
			fallthrough
		case "add":
			for _, id := range ids {
				set[id] = true
			}
		case "remove":
			for _, id := range ids {
				delete(set, id)
			}
		}
	}
	for id := range set {
		if _, was := names[id]; !was {
			ch.Add = append(ch.Add, id)
		}
	}
	for id := range names {
		if !set[id] {
			ch.Remove = append(ch.Remove, id)
		}
	}
	slices.Sort(ch.Add)
	slices.Sort(ch.Remove)
	g, err := s.Store.UpdateGroup(ctx, actor.ID, cur.ID, ch)
	if err != nil {
		return nil, scimInput(err)
	}
	return scimGroup(g, base), nil
}

// SCIMDeleteGroup dissolves a team for a DELETE: its members and manager
// lose its space at once; the space and its posts stay.
func (s *Service) SCIMDeleteGroup(ctx context.Context, actor *relais.User, rawID string) error {
	if err := s.manageDirectory(actor); err != nil {
		return err
	}
	g, err := s.scimGroupByID(ctx, rawID)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteGroup(ctx, actor.ID, g.ID); err != nil {
		return err
	}
	return nil
}
