package scim

import (
	"encoding/json"
	"strconv"
	"strings"

	"relais"
)

// Filter is a parsed SCIM filter (RFC 7644 §3.4.2.2).
type Filter interface {
	// Match reports whether a resource, as a JSON object whose keys are
	// lower-cased (see Object), matches the filter.
	Match(resource map[string]any) bool
}

// MaxFilter bounds the length of a filter, in bytes.
const MaxFilter = 2000

// Object turns a resource (a User, a Group) into the JSON object a Filter
// matches.
func Object(resource any) map[string]any {
	b, err := json.Marshal(resource)
	if err != nil {
		return map[string]any{}
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return map[string]any{}
	}
	m, _ := lowerKeys(v).(map[string]any)
	return m
}

type token struct {
	kind byte // 'w' word, 's' string, or one of ( ) [ ]
	text string
	pos  int
}

func tokenize(s string) ([]token, *Error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']':
			out = append(out, token{kind: c, text: string(c), pos: i})
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, Bad(InvalidFilter, "The filter has a string that is not closed (at %d).", i)
			}
			var str string
			if err := json.Unmarshal([]byte(s[i:j+1]), &str); err != nil {
				return nil, Bad(InvalidFilter, "The filter has a malformed string (at %d).", i)
			}
			out = append(out, token{kind: 's', text: str, pos: i})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()[]\"", rune(s[j])) {
				j++
			}
			out = append(out, token{kind: 'w', text: s[i:j], pos: i})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks []token
	i    int
	src  string
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) word(w string) bool {
	t := p.peek()
	return t != nil && t.kind == 'w' && strings.EqualFold(t.text, w)
}

func (p *parser) fail(format string, args ...any) *Error {
	return Bad(InvalidFilter, "The filter "+strconv.Quote(p.src)+" is not valid: "+format+".", args...)
}

// ParseFilter parses a filter.
func ParseFilter(s string) (Filter, *Error) {
	if len(s) > MaxFilter {
		return nil, Bad(InvalidFilter, "The filter is longer than %d bytes.", MaxFilter)
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, src: s}
	if len(toks) == 0 {
		return nil, p.fail("it is empty")
	}
	f, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t != nil {
		return nil, p.fail("unexpected %q at %d", t.text, t.pos)
	}
	return f, nil
}

const maxDepth = 32

func (p *parser) or(depth int) (Filter, *Error) {
	if depth > maxDepth {
		return nil, p.fail("too deeply nested")
	}
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.word("or") {
		p.i++
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = orFilter{left, right}
	}
	return left, nil
}

func (p *parser) and(depth int) (Filter, *Error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.word("and") {
		p.i++
		right, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		left = andFilter{left, right}
	}
	return left, nil
}

func (p *parser) unary(depth int) (Filter, *Error) {
	t := p.peek()
	switch {
	case t == nil:
		return nil, p.fail("it ends too early")
	case t.kind == 'w' && strings.EqualFold(t.text, "not"):
		p.i++
		if nt := p.peek(); nt == nil || nt.kind != '(' {
			return nil, p.fail("\"not\" must be followed by a parenthesis")
		}
		f, err := p.group(depth)
		if err != nil {
			return nil, err
		}
		return notFilter{f}, nil
	case t.kind == '(':
		return p.group(depth)
	case t.kind != 'w':
		return nil, p.fail("expected an attribute at %d, found %q", t.pos, t.text)
	}
	attr := strings.ToLower(t.text)
	if !validAttrPath(attr) {
		return nil, p.fail("%q is not an attribute path", t.text)
	}
	p.i++
	if nt := p.peek(); nt != nil && nt.kind == '[' {
		p.i++
		inner, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if ct := p.peek(); ct == nil || ct.kind != ']' {
			return nil, p.fail("a \"[\" is not closed")
		}
		p.i++
		return valuePath{attr: attr, filter: inner}, nil
	}
	opTok := p.peek()
	if opTok == nil || opTok.kind != 'w' {
		return nil, p.fail("expected an operator after %q", t.text)
	}
	op := strings.ToLower(opTok.text)
	p.i++
	switch op {
	case "pr":
		return present{attr}, nil
	case "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le":
	default:
		return nil, p.fail("unknown operator %q (expected eq, ne, co, sw, ew, gt, ge, lt, le or pr)", opTok.text)
	}
	vt := p.peek()
	if vt == nil {
		return nil, p.fail("expected a value after %q", opTok.text)
	}
	p.i++
	var val any
	switch {
	case vt.kind == 's':
		val = vt.text
	case vt.kind == 'w' && strings.EqualFold(vt.text, "true"):
		val = true
	case vt.kind == 'w' && strings.EqualFold(vt.text, "false"):
		val = false
	case vt.kind == 'w' && strings.EqualFold(vt.text, "null"):
		val = nil
	case vt.kind == 'w':
		n, err := strconv.ParseFloat(vt.text, 64)
		if err != nil {
			return nil, p.fail("the value %q is neither a quoted string, a number, true, false nor null", vt.text)
		}
		val = n
	default:
		return nil, p.fail("expected a value at %d", vt.pos)
	}
	switch op {
	case "co", "sw", "ew":
		if _, ok := val.(string); !ok {
			return nil, p.fail("%s compares strings only", op)
		}
	case "gt", "ge", "lt", "le":
		switch val.(type) {
		case string, float64:
		default:
			return nil, p.fail("%s compares strings, dates and numbers only", op)
		}
	}
	return compare{attr: attr, op: op, value: val}, nil
}

func (p *parser) group(depth int) (Filter, *Error) {
	p.i++ // (
	f, err := p.or(depth + 1)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t == nil || t.kind != ')' {
		return nil, p.fail("a parenthesis is not closed")
	}
	p.i++
	return f, nil
}

func validAttrPath(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == ':' || c == '_' || c == '-' || c == '$') {
			return false
		}
	}
	return s[0] >= 'a' && s[0] <= 'z' || s[0] == '$'
}

type orFilter struct{ a, b Filter }

func (f orFilter) Match(r map[string]any) bool { return f.a.Match(r) || f.b.Match(r) }

type andFilter struct{ a, b Filter }

func (f andFilter) Match(r map[string]any) bool { return f.a.Match(r) && f.b.Match(r) }

type notFilter struct{ f Filter }

func (f notFilter) Match(r map[string]any) bool { return !f.f.Match(r) }

type present struct{ attr string }

func (f present) Match(r map[string]any) bool {
	for _, v := range values(r, f.attr) {
		if !empty(v) {
			return true
		}
	}
	return false
}

type valuePath struct {
	attr   string
	filter Filter
}

func (f valuePath) Match(r map[string]any) bool {
	for _, v := range values(r, f.attr) {
		if m, ok := v.(map[string]any); ok && f.filter.Match(m) {
			return true
		}
	}
	return false
}

type compare struct {
	attr  string
	op    string
	value any
}

// caseExact are the attributes compared case-sensitively (RFC 7643: id
// and externalId are caseExact; userName and the others are not).
var caseExact = map[string]bool{"id": true, "externalid": true}

func (f compare) Match(r map[string]any) bool {
	vs := values(r, f.attr)
	if f.value == nil {
		present := present{f.attr}.Match(r)
		if f.op == "eq" {
			return !present
		}
		if f.op == "ne" {
			return present
		}
		return false
	}
	if f.op == "ne" {
		return !(compare{attr: f.attr, op: "eq", value: f.value}).Match(r)
	}
	exact := caseExact[f.attr[strings.LastIndexByte(f.attr, ':')+1:]]
	for _, v := range vs {
		if f.matches(v, exact) {
			return true
		}
	}
	return false
}

func (f compare) matches(v any, exact bool) bool {
	switch want := f.value.(type) {
	case bool:
		got, ok := v.(bool)
		return ok && f.op == "eq" && got == want
	case float64:
		var got float64
		switch x := v.(type) {
		case json.Number:
			n, err := x.Float64()
			if err != nil {
				return false
			}
			got = n
		case float64:
			got = x
		default:
			return false
		}
		switch f.op {
		case "eq":
			return got == want
		case "gt":
			return got > want
		case "ge":
			return got >= want
		case "lt":
			return got < want
		case "le":
			return got <= want
		}
	case string:
		got, ok := v.(string)
		if !ok {
			if n, isNum := v.(json.Number); isNum {
				got, ok = n.String(), true
			}
		}
		if !ok {
			return false
		}
		if !exact {
			// caseExact false (userName above all, RFC 7643 §4.1.1):
			// compared as logins are, without case nor compatibility
			// forms, so that "PAUL" and "ｐａｕｌ" find paul.
			got, want = relais.FoldCase(got), relais.FoldCase(want)
		}
		switch f.op {
		case "eq":
			return got == want
		case "co":
			return strings.Contains(got, want)
		case "sw":
			return strings.HasPrefix(got, want)
		case "ew":
			return strings.HasSuffix(got, want)
		case "gt":
			return got > want
		case "ge":
			return got >= want
		case "lt":
			return got < want
		case "le":
			return got <= want
		}
	}
	return false
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// knownSchemas are the URNs an attribute path may start with.
var knownSchemas = []string{strings.ToLower(SchemaUser), strings.ToLower(SchemaGroup), keyEnterprise, keyRelaisUser, keyRelaisGroup}

// SplitURN splits a lower-cased attribute path into the extension it names
// ("" for the core schema) and the attribute within.
func SplitURN(path string) (ext, attr string) {
	for _, s := range knownSchemas {
		if rest, ok := strings.CutPrefix(path, s); ok && (rest == "" || rest[0] == ':') {
			rest = strings.TrimPrefix(rest, ":")
			if s == strings.ToLower(SchemaUser) || s == strings.ToLower(SchemaGroup) {
				return "", rest
			}
			return s, rest
		}
	}
	return "", path
}

// values returns the values at a lower-cased attribute path of a resource,
// flattening multi-valued attributes.
func values(r map[string]any, path string) []any {
	ext, attr := SplitURN(path)
	var cur []any
	if ext != "" {
		cur = []any{r[ext]}
	} else {
		cur = []any{r}
	}
	if attr == "" {
		return cur
	}
	for _, part := range strings.Split(attr, ".") {
		var next []any
		for _, c := range cur {
			switch x := c.(type) {
			case map[string]any:
				v, ok := x[part]
				if !ok {
					continue
				}
				if list, isList := v.([]any); isList {
					next = append(next, list...)
				} else {
					next = append(next, v)
				}
			case []any:
				for _, y := range x {
					if m, ok := y.(map[string]any); ok {
						if v, ok := m[part]; ok {
							next = append(next, v)
						}
					}
				}
			}
		}
		cur = next
	}
	return cur
}
