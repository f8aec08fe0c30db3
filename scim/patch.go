package scim

import (
	"strings"
)

// Operation is one operation of a PATCH request (RFC 7644 §3.5.2).
type Operation struct {
	Op    string // add, remove or replace
	Path  *Path  // nil: the value is an object of attributes
	Value any
}

// Path is the target of an operation: attr, attr[filter] or
// attr[filter].sub, where attr may start with an extension URN.
type Path struct {
	Ext    string // the lower-cased extension URN ("" for the core schema)
	Attr   string // lower-cased, possibly name.givenname
	Filter Filter // of a value path, or nil
	Sub    string // the sub-attribute after a value path, lower-cased
	Raw    string
}

// MaxOperations bounds the operations of one PATCH request.
const MaxOperations = 1000

// ParsePatch reads the body of a PATCH request.
func ParsePatch(body []byte) ([]Operation, *Error) {
	o, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	if err := o.requireSchema(SchemaPatch); err != nil {
		return nil, err
	}
	raw, ok := o["operations"].([]any)
	if !ok || len(raw) == 0 {
		return nil, Bad(InvalidSyntax, "The attribute \"Operations\" must be a non-empty array of {\"op\", \"path\", \"value\"}.")
	}
	if len(raw) > MaxOperations {
		return nil, Errorf(413, "", "A PATCH holds at most %d operations.", MaxOperations)
	}
	var ops []Operation
	for i, x := range raw {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, Bad(InvalidSyntax, "Operation %d is not an object.", i+1)
		}
		opName, err := str(m["op"], "op")
		if err != nil {
			return nil, err
		}
		op := Operation{Op: strings.ToLower(opName), Value: m["value"]}
		switch op.Op {
		case "add", "remove", "replace":
		default:
			return nil, Bad(InvalidSyntax, "Operation %d: \"op\" must be add, remove or replace, not %q.", i+1, opName)
		}
		rawPath, err := str(m["path"], "path")
		if err != nil {
			return nil, err
		}
		if rawPath != "" {
			if op.Path, err = ParsePath(rawPath); err != nil {
				return nil, err
			}
		}
		switch {
		case op.Op == "remove" && op.Path == nil:
			return nil, Bad(NoTarget, "Operation %d: remove needs a \"path\".", i+1)
		case op.Op != "remove" && op.Value == nil:
			return nil, Bad(InvalidValue, "Operation %d: %s needs a \"value\".", i+1, op.Op)
		case op.Path == nil:
			if _, ok := op.Value.(map[string]any); !ok {
				return nil, Bad(InvalidValue, "Operation %d: without a \"path\", the \"value\" must be an object of attributes.", i+1)
			}
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// ParsePath parses the path of an operation.
func ParsePath(s string) (*Path, *Error) {
	bad := func(why string) *Error { return Bad(InvalidPath, "The path %q is not valid: %s.", s, why) }
	if len(s) > MaxFilter {
		return nil, bad("too long")
	}
	toks, err := tokenize(s)
	if err != nil || len(toks) == 0 || toks[0].kind != 'w' {
		return nil, bad("it must start with an attribute")
	}
	attr := strings.ToLower(toks[0].text)
	if !validAttrPath(attr) {
		return nil, bad("it must start with an attribute")
	}
	p := &Path{Raw: s}
	p.Ext, p.Attr = SplitURN(attr)
	rest := toks[1:]
	if len(rest) == 0 {
		return p, nil
	}
	if rest[0].kind != '[' {
		return nil, bad("unexpected " + rest[0].text)
	}
	// Find the closing bracket, then parse the filter inside.
	depth, end := 0, -1
	for i, t := range rest {
		if t.kind == '[' {
			depth++
		} else if t.kind == ']' {
			depth--
			if depth == 0 {
				end = i
				break
			}
		}
	}
	if end < 0 {
		return nil, bad("a \"[\" is not closed")
	}
	inner := s[rest[0].pos+1 : rest[end].pos]
	f, ferr := ParseFilter(inner)
	if ferr != nil {
		return nil, Bad(InvalidPath, "The path %q is not valid: %s", s, ferr.Detail)
	}
	p.Filter = f
	after := rest[end+1:]
	switch {
	case len(after) == 0:
	case len(after) == 1 && after[0].kind == 'w' && strings.HasPrefix(after[0].text, ".") && validAttrPath(strings.ToLower(after[0].text[1:])):
		p.Sub = strings.ToLower(after[0].text[1:])
	default:
		return nil, bad("only a sub-attribute may follow a filter")
	}
	return p, nil
}

// notKept are attributes of the core User schema Relais does not keep:
// operations on them are accepted and ignored.
var notKept = map[string]bool{"password": true, "phonenumbers": true, "addresses": true, "ims": true, "photos": true,
	"entitlements": true, "roles": true, "x509certificates": true, "nickname": true, "profileurl": true, "title": true,
	"usertype": true, "preferredlanguage": true, "locale": true, "timezone": true}

// ApplyUser applies PATCH operations to a user's attributes.
func (a *UserAttrs) ApplyUser(ops []Operation) *Error {
	var given, family *string
	for _, op := range ops {
		if op.Path == nil {
			obj := op.Value.(map[string]any)
			for k, v := range obj {
				p, err := ParsePath(k)
				if err != nil {
					return err
				}
				if err := a.applyPath(op.Op, p, v, &given, &family); err != nil {
					return err
				}
			}
			continue
		}
		if err := a.applyPath(op.Op, op.Path, op.Value, &given, &family); err != nil {
			return err
		}
	}
	if given != nil || family != nil {
		g, f := "", ""
		if given != nil {
			g = *given
		}
		if family != nil {
			f = *family
		}
		if n := strings.TrimSpace(g + " " + f); n != "" && given != nil && family != nil {
			a.Name = n
		}
	}
	return a.Check()
}

func (a *UserAttrs) applyPath(op string, p *Path, v any, given, family **string) *Error {
	remove := op == "remove"
	required := func(attr string) *Error {
		return Bad(Mutability, "The attribute %q is required: it cannot be removed.", attr)
	}
	setStr := func(dst *string, attr string) *Error {
		if remove {
			*dst = ""
			return nil
		}
		s, err := str(v, attr)
		if err != nil {
			return err
		}
		*dst = s
		return nil
	}
	switch p.Ext {
	case keyEnterprise:
		switch p.Attr {
		case "":
			if remove {
				a.Department = ""
				return nil
			}
			return a.set(keyEnterprise, v)
		case "department":
			return setStr(&a.Department, "department")
		}
		return nil // other enterprise attributes are not kept
	case keyRelaisUser:
		switch p.Attr {
		case "":
			if remove {
				a.Employment, a.Site, a.JobFamily = "", "", ""
				return nil
			}
			return a.set(keyRelaisUser, v)
		case "employment":
			return setStr(&a.Employment, "employment")
		case "site":
			return setStr(&a.Site, "site")
		case "jobfamily":
			return setStr(&a.JobFamily, "jobFamily")
		}
		return Bad(InvalidPath, "The path %q names no attribute of %s.", p.Raw, SchemaRelaisUser)
	case keyRelaisGroup:
		return Bad(InvalidPath, "The path %q names a group attribute.", p.Raw)
	}
	switch {
	case p.Attr == "active" && p.Filter == nil:
		if remove {
			return required("active")
		}
		b, err := boolean(v, "active")
		a.Active = b
		return err
	case p.Attr == "username":
		if remove {
			return required("userName")
		}
		return setStr(&a.UserName, "userName")
	case p.Attr == "externalid":
		return setStr(&a.ExternalID, "externalId")
	case p.Attr == "displayname":
		if remove {
			return nil
		}
		var d string
		if err := setStr(&d, "displayName"); err != nil {
			return err
		}
		if d != "" {
			a.Name = d
		}
		return nil
	case p.Attr == "name":
		if remove {
			return required("name")
		}
		n, err := sub(v, "name")
		if err != nil {
			return err
		}
		return a.setName(n)
	case p.Attr == "name.formatted":
		if remove {
			return required("name")
		}
		return setStr(&a.Name, "name.formatted")
	case p.Attr == "name.givenname" || p.Attr == "name.familyname":
		if remove {
			return nil
		}
		s, err := str(v, p.Attr)
		if err != nil {
			return err
		}
		if p.Attr == "name.givenname" {
			*given = &s
		} else {
			*family = &s
		}
		return nil
	case p.Attr == "emails" || p.Attr == "emails.value":
		if remove {
			a.Email = ""
			return nil
		}
		if p.Filter != nil || p.Attr == "emails.value" {
			// emails[type eq "work"].value: the address itself.
			if list, ok := v.([]any); ok {
				e, err := primaryEmail(list)
				a.Email = e
				return err
			}
			if m, ok := v.(map[string]any); ok {
				e, err := primaryEmail([]any{m})
				a.Email = e
				return err
			}
			return setStr(&a.Email, "emails.value")
		}
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		e, err := primaryEmail(list)
		if err != nil {
			return err
		}
		if op == "replace" || a.Email == "" || e != "" {
			a.Email = e
		}
		return nil
	case notKept[strings.SplitN(p.Attr, ".", 2)[0]]:
		return nil
	}
	return Bad(InvalidPath, "The path %q names no attribute of a User.", p.Raw)
}

// MemberOp is one change of a group's members, in the order of the request.
type MemberOp struct {
	Kind  string   // add, remove, replace, or removeWhere (Filter)
	IDs   []string // user ids
	Where Filter   // for removeWhere: the members matching it ({"value", "display"})
}

// GroupPatch is what a PATCH does to a group.
type GroupPatch struct {
	DisplayName *string
	ExternalID  *string
	Manager     *string // "" removes the manager
	Members     []MemberOp
}

// ApplyGroup reads PATCH operations on a group.
func ApplyGroup(ops []Operation) (*GroupPatch, *Error) {
	g := &GroupPatch{}
	for _, op := range ops {
		if op.Path == nil {
			for k, v := range op.Value.(map[string]any) {
				p, err := ParsePath(k)
				if err != nil {
					return nil, err
				}
				if err := g.applyPath(op.Op, p, v); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := g.applyPath(op.Op, op.Path, op.Value); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (g *GroupPatch) applyPath(op string, p *Path, v any) *Error {
	remove := op == "remove"
	if p.Ext == keyRelaisGroup {
		var m string
		var err *Error
		switch {
		case remove:
		case p.Attr == "":
			e, serr := sub(v, SchemaRelaisGroup)
			if serr != nil {
				return serr
			}
			m, err = managerID(e["manager"])
		case p.Attr == "manager" || p.Attr == "manager.value":
			m, err = managerID(v)
		default:
			return Bad(InvalidPath, "The path %q names no attribute of %s.", p.Raw, SchemaRelaisGroup)
		}
		if err != nil {
			return err
		}
		g.Manager = &m
		return nil
	}
	if p.Ext != "" {
		return Bad(InvalidPath, "The path %q names no attribute of a Group.", p.Raw)
	}
	switch p.Attr {
	case "displayname":
		if remove {
			return Bad(Mutability, "The attribute \"displayName\" is required: it cannot be removed.")
		}
		s, err := str(v, "displayName")
		if err != nil {
			return err
		}
		if s == "" {
			return Bad(InvalidValue, "The attribute \"displayName\" cannot be empty.")
		}
		g.DisplayName = &s
		return nil
	case "externalid":
		s := ""
		if !remove {
			var err *Error
			if s, err = str(v, "externalId"); err != nil {
				return err
			}
		}
		g.ExternalID = &s
		return nil
	case "members":
		if p.Sub != "" {
			return Bad(InvalidPath, "The path %q: members are added or removed whole.", p.Raw)
		}
		if p.Filter != nil {
			if !remove {
				return Bad(InvalidPath, "The path %q: a filter on members serves remove only.", p.Raw)
			}
			g.Members = append(g.Members, MemberOp{Kind: "removeWhere", Where: p.Filter})
			return nil
		}
		if remove && v == nil {
			g.Members = append(g.Members, MemberOp{Kind: "replace", IDs: []string{}})
			return nil
		}
		ids, err := memberIDs(v)
		if err != nil {
			return err
		}
		g.Members = append(g.Members, MemberOp{Kind: op, IDs: ids})
		return nil
	}
	return Bad(InvalidPath, "The path %q names no attribute of a Group.", p.Raw)
}
