// Package relais holds the domain of Relais: the organization, its people,
// teams and spaces, charters, posts and the errors the product speaks in.
// It imports neither SQL nor HTTP.
package relais

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in one place (api.statusOf).
const (
	EINVALID       = "invalid"       // bad input: 400
	EUNAUTHORIZED  = "unauthorized"  // not signed in: 401
	EFORBIDDEN     = "forbidden"     // denied by a rule: 403
	ENOTFOUND      = "not_found"     // unknown or not visible: 404
	ECONFLICT      = "conflict"      // conflict with current state: 409
	EUNPROCESSABLE = "unprocessable" // well-formed but breaks a business rule: 422
	ETOOMANY       = "too_many"      // slowed down: 429
	ETOOLARGE      = "too_large"     // request body too large: 413
	EINTERNAL      = "internal"      // a fault of ours: 500, logged
)

// Error is the one error type of Relais. Message is safe to show to users;
// Rule names the policy rule that caused a denial, when there is one.
// MessageFR carries the French wording when the message was produced in both
// languages (rules do so); otherwise Message is used in every language.
type Error struct {
	Code      string
	Message   string
	MessageFR string
	Rule      string
	Field     string
}

func (e *Error) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("relais: %s (%s): %s", e.Code, e.Rule, e.Message)
	}
	return fmt.Sprintf("relais: %s: %s", e.Code, e.Message)
}

// Localized returns the message in lang ("fr" or "en").
func (e *Error) Localized(lang string) string {
	if lang == "fr" && e.MessageFR != "" {
		return e.MessageFR
	}
	return e.Message
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// AsError returns err as *Error, wrapping unknown errors as internal ones.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EINTERNAL, Message: "Internal error.", MessageFR: "Erreur interne."}
}
