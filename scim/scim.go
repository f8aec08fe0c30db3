// Package scim speaks SCIM 2.0 (RFC 7643, RFC 7644) for Relais: the JSON
// shapes of users, groups, lists and errors, the filter language (eq, ne,
// co, sw, ew, pr, gt, ge, lt, le, and, or, not, grouping and value paths
// such as emails[type eq "work"]) and PATCH operations. It knows nothing of
// the database nor of HTTP handlers.
//
// How Relais maps SCIM:
//   - a User is an account: userName is the login, name.formatted (or
//     givenName familyName, or displayName) the name, the primary (or
//     first) e-mail the address, active whether it may sign in, externalId
//     the identity provider's id. The enterprise extension's department is
//     the business unit; Relais's own extension
//     (urn:relais:params:scim:schemas:extension:relais:2.0:User) carries
//     employment (internal, external), site and jobFamily.
//   - a Group is a team: displayName its name, members its members. Its
//     manager — who owns the team's closed space — is in Relais's group
//     extension (urn:relais:params:scim:schemas:extension:relais:2.0:Group,
//     attribute manager, {"value": user id}); a group without manager has
//     a space nobody owns until one is set.
//   - DELETE of a user deactivates the account (its posts stay) and hides
//     it from SCIM; POSTing its userName again brings it back. DELETE of a
//     group dissolves the team: no members, no manager; its space and posts
//     stay, closed to all.
package scim

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Schema and message URNs.
const (
	SchemaUser        = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup       = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterprise  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaRelaisUser  = "urn:relais:params:scim:schemas:extension:relais:2.0:User"
	SchemaRelaisGroup = "urn:relais:params:scim:schemas:extension:relais:2.0:Group"
	SchemaList        = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SchemaPatch       = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaError       = "urn:ietf:params:scim:api:messages:2.0:Error"
	SchemaSPConfig    = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	SchemaResource    = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
)

// MediaType is the content type of SCIM messages.
const MediaType = "application/scim+json"

// scimType values of errors (RFC 7644 §3.12).
const (
	InvalidFilter = "invalidFilter"
	TooMany       = "tooMany"
	Uniqueness    = "uniqueness"
	Mutability    = "mutability"
	InvalidSyntax = "invalidSyntax"
	InvalidPath   = "invalidPath"
	NoTarget      = "noTarget"
	InvalidValue  = "invalidValue"
)

// Error is a SCIM error response.
type Error struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

func (e *Error) Error() string { return "scim: " + e.Status + " " + e.ScimType + ": " + e.Detail }

// Code returns the HTTP status of the error.
func (e *Error) Code() int {
	var n int
	fmt.Sscanf(e.Status, "%d", &n)
	if n < 400 || n > 599 {
		return http.StatusInternalServerError
	}
	return n
}

// Errorf returns a SCIM error of an HTTP status and a scimType ("" for
// none).
func Errorf(status int, scimType, format string, args ...any) *Error {
	return &Error{Schemas: []string{SchemaError}, Status: fmt.Sprint(status), ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

// Bad returns a 400 error of a scimType.
func Bad(scimType, format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, scimType, format, args...)
}

// Meta is the metadata of a resource.
type Meta struct {
	ResourceType string     `json:"resourceType"`
	Created      *time.Time `json:"created,omitempty"`
	LastModified *time.Time `json:"lastModified,omitempty"`
	Location     string     `json:"location,omitempty"`
}

// Name is the name of a user.
type Name struct {
	Formatted  string `json:"formatted,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
}

// Value is one value of a multi-valued attribute: an e-mail, a group, a
// member.
type Value struct {
	Value   string `json:"value"`
	Display string `json:"display,omitempty"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
	Ref     string `json:"$ref,omitempty"`
}

// Enterprise is the part of the enterprise user extension Relais keeps.
type Enterprise struct {
	Department string `json:"department,omitempty"`
}

// RelaisUser is Relais's user extension.
type RelaisUser struct {
	Employment string `json:"employment"`
	Site       string `json:"site,omitempty"`
	JobFamily  string `json:"jobFamily,omitempty"`
}

// RelaisGroup is Relais's group extension: the team's manager.
type RelaisGroup struct {
	Manager *Value `json:"manager,omitempty"`
}

// User is a SCIM User as Relais answers it.
type User struct {
	Schemas     []string    `json:"schemas"`
	ID          string      `json:"id"`
	ExternalID  string      `json:"externalId,omitempty"`
	UserName    string      `json:"userName"`
	Name        *Name       `json:"name,omitempty"`
	DisplayName string      `json:"displayName,omitempty"`
	Emails      []Value     `json:"emails,omitempty"`
	Active      bool        `json:"active"`
	Groups      []Value     `json:"groups,omitempty"`
	Enterprise  *Enterprise `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	Relais      *RelaisUser `json:"urn:relais:params:scim:schemas:extension:relais:2.0:User,omitempty"`
	Meta        Meta        `json:"meta"`
}

// Group is a SCIM Group as Relais answers it.
type Group struct {
	Schemas     []string     `json:"schemas"`
	ID          string       `json:"id"`
	ExternalID  string       `json:"externalId,omitempty"`
	DisplayName string       `json:"displayName"`
	Members     []Value      `json:"members"`
	Relais      *RelaisGroup `json:"urn:relais:params:scim:schemas:extension:relais:2.0:Group,omitempty"`
	Meta        Meta         `json:"meta"`
}

// ListResponse is a page of resources.
type ListResponse struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	StartIndex   int      `json:"startIndex"`
	ItemsPerPage int      `json:"itemsPerPage"`
	Resources    []any    `json:"Resources"`
}

// UserAttrs are the attributes of a user Relais keeps.
type UserAttrs struct {
	UserName   string
	ExternalID string
	Name       string
	Email      string
	Active     bool
	Department string
	Employment string
	Site       string
	JobFamily  string
}

// GroupAttrs are the attributes of a group Relais keeps.
type GroupAttrs struct {
	DisplayName string
	ExternalID  string
	Manager     string   // user id ("" for none)
	Members     []string // user ids
}

// object is a JSON object whose keys are lower-cased: SCIM attribute names
// are case-insensitive.
type object map[string]any

// decodeObject reads a JSON object, lower-casing its keys at every depth.
func decodeObject(body []byte) (object, *Error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, Bad(InvalidSyntax, "The body is not valid JSON.")
	}
	if dec.More() {
		return nil, Bad(InvalidSyntax, "The body must hold one JSON object and nothing after it.")
	}
	m, ok := lowerKeys(v).(map[string]any)
	if !ok {
		return nil, Bad(InvalidSyntax, "The body must be a JSON object.")
	}
	return object(m), nil
}

func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[strings.ToLower(k)] = lowerKeys(val)
		}
		return out
	case []any:
		for i := range x {
			x[i] = lowerKeys(x[i])
		}
	}
	return v
}

// requireSchema checks that the body's schemas list the resource's.
func (o object) requireSchema(want string) *Error {
	raw, ok := o["schemas"]
	if !ok {
		return Bad(InvalidSyntax, "The attribute \"schemas\" is required: it must list %q.", want)
	}
	list, ok := raw.([]any)
	if !ok {
		return Bad(InvalidSyntax, "The attribute \"schemas\" must be an array of URIs.")
	}
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, want) {
			return nil
		}
	}
	return Bad(InvalidSyntax, "The attribute \"schemas\" must list %q.", want)
}

func str(v any, attr string) (string, *Error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	}
	return "", Bad(InvalidValue, "The attribute %q must be a string.", attr)
}

// boolean reads a boolean; "true" and "false" strings (as some identity
// providers send them) are accepted.
func boolean(v any, attr string) (bool, *Error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, Bad(InvalidValue, "The attribute %q must be a boolean (true or false).", attr)
}

func sub(v any, attr string) (object, *Error) {
	switch x := v.(type) {
	case nil:
		return object{}, nil
	case map[string]any:
		return object(x), nil
	}
	return nil, Bad(InvalidValue, "The attribute %q must be an object.", attr)
}

// Extension URNs, lower-cased as keys of an object.
var (
	keyEnterprise  = strings.ToLower(SchemaEnterprise)
	keyRelaisUser  = strings.ToLower(SchemaRelaisUser)
	keyRelaisGroup = strings.ToLower(SchemaRelaisGroup)
)

// ParseUser reads the body of a POST or PUT of a user.
func ParseUser(body []byte) (*UserAttrs, *Error) {
	o, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	if err := o.requireSchema(SchemaUser); err != nil {
		return nil, err
	}
	a := &UserAttrs{Active: true}
	if _, ok := o["active"]; !ok {
		o["active"] = true
	}
	// In key order, so that name (n) wins over displayName (d).
	for _, k := range slices.Sorted(maps.Keys(o)) {
		if err := a.set(k, o[k]); err != nil {
			return nil, err
		}
	}
	return a, a.Check()
}

// Check verifies what every user needs.
func (a *UserAttrs) Check() *Error {
	if a.UserName == "" {
		return Bad(InvalidValue, "The attribute \"userName\" is required.")
	}
	return nil
}

// set sets one (lower-cased) top-level attribute of a user.
func (a *UserAttrs) set(k string, v any) *Error {
	var err *Error
	switch k {
	case "schemas", "id", "meta", "groups", "password", "phonenumbers", "addresses", "ims", "photos", "entitlements",
		"roles", "x509certificates", "nickname", "profileurl", "title", "usertype", "preferredlanguage", "locale", "timezone":
		// Read-only, or not kept by Relais: ignored.
	case "username":
		a.UserName, err = str(v, "userName")
	case "externalid":
		a.ExternalID, err = str(v, "externalId")
	case "displayname":
		var d string
		if d, err = str(v, "displayName"); err == nil && d != "" {
			a.Name = d
		}
	case "name":
		var n object
		if n, err = sub(v, "name"); err == nil {
			err = a.setName(n)
		}
	case "emails":
		a.Email, err = primaryEmail(v)
	case "active":
		a.Active, err = boolean(v, "active")
	case keyEnterprise:
		var e object
		if e, err = sub(v, SchemaEnterprise); err == nil {
			a.Department, err = str(e["department"], "department")
		}
	case keyRelaisUser:
		var e object
		if e, err = sub(v, SchemaRelaisUser); err == nil {
			if a.Employment, err = str(e["employment"], "employment"); err == nil {
				if a.Site, err = str(e["site"], "site"); err == nil {
					a.JobFamily, err = str(e["jobfamily"], "jobFamily")
				}
			}
		}
	default:
		// Attributes of schemas Relais does not know are ignored, as
		// identity providers send many.
	}
	return err
}

func (a *UserAttrs) setName(n object) *Error {
	f, err := str(n["formatted"], "name.formatted")
	if err != nil {
		return err
	}
	given, err := str(n["givenname"], "name.givenName")
	if err != nil {
		return err
	}
	family, err := str(n["familyname"], "name.familyName")
	if err != nil {
		return err
	}
	if f == "" {
		f = strings.TrimSpace(given + " " + family)
	}
	if f != "" {
		a.Name = f
	}
	return nil
}

// primaryEmail returns the primary e-mail of an emails attribute, or its
// first.
func primaryEmail(v any) (string, *Error) {
	if v == nil {
		return "", nil
	}
	list, ok := v.([]any)
	if !ok {
		return "", Bad(InvalidValue, "The attribute \"emails\" must be an array of {\"value\": address}.")
	}
	first := ""
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return "", Bad(InvalidValue, "Each of \"emails\" must be an object {\"value\": address}.")
		}
		val, err := str(m["value"], "emails.value")
		if err != nil {
			return "", err
		}
		primary := false
		if p, ok := m["primary"]; ok {
			if primary, err = boolean(p, "emails.primary"); err != nil {
				return "", err
			}
		}
		if primary {
			return val, nil
		}
		if first == "" {
			first = val
		}
	}
	return first, nil
}

// ParseGroup reads the body of a POST or PUT of a group.
func ParseGroup(body []byte) (*GroupAttrs, *Error) {
	o, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	if err := o.requireSchema(SchemaGroup); err != nil {
		return nil, err
	}
	g := &GroupAttrs{Members: []string{}}
	for k, v := range o {
		var err *Error
		switch k {
		case "displayname":
			g.DisplayName, err = str(v, "displayName")
		case "externalid":
			g.ExternalID, err = str(v, "externalId")
		case "members":
			g.Members, err = memberIDs(v)
		case keyRelaisGroup:
			var e object
			if e, err = sub(v, SchemaRelaisGroup); err == nil {
				g.Manager, err = managerID(e["manager"])
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if g.DisplayName == "" {
		return nil, Bad(InvalidValue, "The attribute \"displayName\" is required.")
	}
	return g, nil
}

// memberIDs reads a members attribute: an array of {"value": id}.
func memberIDs(v any) ([]string, *Error) {
	if v == nil {
		return []string{}, nil
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := []string{}
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, Bad(InvalidValue, "Each member must be an object {\"value\": user id}.")
		}
		id, err := idValue(m["value"], "members.value")
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, Bad(InvalidValue, "Each member needs its \"value\": the id of a user.")
		}
		out = append(out, id)
	}
	return out, nil
}

// managerID reads the manager of a group: {"value": id}, a bare id, or
// null for none.
func managerID(v any) (string, *Error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case map[string]any:
		return idValue(x["value"], "manager.value")
	}
	return idValue(v, "manager")
}

// idValue reads an id, given as a string or a number.
func idValue(v any, attr string) (string, *Error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	case json.Number:
		return x.String(), nil
	}
	return "", Bad(InvalidValue, "The attribute %q must be an id (a string).", attr)
}
