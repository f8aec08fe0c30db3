package relais

import (
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Logins are unique without regard to case and to Unicode compatibility
// forms: "paul", "Paul", "PAUL" and the fullwidth "ｐａｕｌ" are one login.
// LoginKey is that identity: the store keeps it in a unique column, and
// every lookup by login (sign-in, @mentions, owners, assignees, coaches,
// the directory import, SCIM) goes through it. The login keeps the
// spelling it was created with, for display.
//
// Besides, a new login may not look like an existing one (LoginSkeleton):
// "pauI" (capital i) or "pau1" beside "paul" would let someone be taken for
// somebody else in a mention or a list of members.

// LoginKey returns the canonical key of a login: NFKC, then case folded
// (then NFKC again, as folding may undo the normal form), surrounding
// spaces trimmed. Two logins are the same login when their keys are equal.
// LoginKey(LoginKey(l)) == LoginKey(l).
func LoginKey(login string) string {
	login = strings.TrimSpace(login)
	return FoldCase(login)
}

// FoldCase returns s without case nor compatibility forms: NFKC, case
// folded, NFKC again. Two strings that are equal but for case, width
// (fullwidth letters) or ligatures fold to the same string.
func FoldCase(s string) string {
	if isASCII(s) {
		// NFKC leaves ASCII alone and folding it is lowering it: the same
		// result, without the tables.
		return strings.ToLower(s)
	}
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
}

// LoginSkeleton returns what a login looks like: its key, read through a
// small table of characters and pairs that are easily taken for one
// another in the fonts of a page or a notification. Two logins with the
// same skeleton and different keys are look-alikes; creating the second
// is refused.
//
// The table is ours, not Unicode's whole confusables list: logins that can
// be created are ASCII (ValidLogin), so what matters are the ASCII
// look-alikes — capital I, small l, digit 1 and the bar; digit 0 and the
// letter O; "rn" and "m"; "vv" and "w" — plus the Cyrillic and Greek
// letters that are drawn as Latin ones, for logins typed in a lookup.
// The capital I is mapped before case folding (folded, it would be an i,
// which does not look like an l).
func LoginSkeleton(login string) string {
	s := norm.NFKC.String(strings.TrimSpace(login))
	var b strings.Builder
	for _, r := range s {
		if to, ok := lookAlike[r]; ok {
			r = to
		}
		b.WriteRune(r)
	}
	s = LoginKey(b.String())
	for _, p := range lookAlikePairs {
		s = strings.ReplaceAll(s, p[0], p[1])
	}
	return s
}

// lookAlike maps a character to the one it is taken for.
var lookAlike = map[rune]rune{
	'I': 'l', '1': 'l', '|': 'l',
	'0': 'o', 'O': 'o',
	// Cyrillic and Greek letters drawn as Latin ones.
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's',
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't', 'Х': 'x', 'І': 'l',
	'ο': 'o', 'ν': 'v', 'ι': 'i', 'Ο': 'o', 'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ι': 'l', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Τ': 't', 'Χ': 'x',
}

// lookAlikePairs are the sequences of two characters drawn as one.
var lookAlikePairs = [][2]string{{"rn", "m"}, {"vv", "w"}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// LoginTaken is the error of a login another account holds, written the
// same way or with other capitals or another Unicode form. field names
// the attribute at fault ("login", "userName").
func LoginTaken(login, field string) *Error {
	return &Error{Code: ECONFLICT, Field: field,
		Message:   "The login " + login + " is taken (logins are compared without regard to case).",
		MessageFR: "L'identifiant " + login + " est déjà pris (les identifiants sont comparés sans tenir compte des majuscules)."}
}

// LoginLookAlike is the error of a new login that looks like the login of
// another account (other) without being it.
func LoginLookAlike(login, other, field string) *Error {
	return &Error{Code: ECONFLICT, Field: field,
		Message: "The login " + login + " looks like the login " + other + " of another account (I, l and 1, 0 and O, rn and m are easily taken for one another): " +
			"choose a login that cannot be mistaken for it.",
		MessageFR: "L'identifiant " + login + " ressemble à l'identifiant " + other + " d'un autre compte (I, l et 1, 0 et O, rn et m se confondent facilement) : " +
			"choisissez un identifiant qu'on ne puisse pas confondre avec lui."}
}

// Session is a signed-in browser. The store keeps only the hash of its id.
type Session struct {
	IDHash    string
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
}
