// Package clierr is how keylint's packages say what went wrong and what
// to do next: a mistake in the command line ([Usagef], exit code 2) or
// any error with a hint ([WithHint]). The command prints the error, then
// "keylint: hint: ..." with the hint, and exits with the error's code.
package clierr

import (
	"errors"
	"fmt"
)

// UsageError is a mistake in the command line (or in what it names, such
// as a path that does not exist): keylint exits 2.
type UsageError struct {
	msg  string
	hint string
	err  error
}

func (e *UsageError) Error() string { return e.msg }

// Unwrap returns the error [Usage] was given; nil for [Usagef].
func (e *UsageError) Unwrap() error { return e.err }

// Hint says what to do about the error.
func (e *UsageError) Hint() string { return e.hint }

// Usagef returns a [UsageError] with a formatted message and a hint.
func Usagef(hint, format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// Usage returns err as a [UsageError] with a hint: its message is err's,
// and errors.Is and errors.As still see err.
func Usage(err error, hint string) error {
	return &UsageError{msg: err.Error(), hint: hint, err: err}
}

// hinted is an error with a suggestion for the user.
type hinted struct {
	err  error
	hint string
}

func (e *hinted) Error() string { return e.err.Error() }
func (e *hinted) Unwrap() error { return e.err }

// Hint says what to do about the error.
func (e *hinted) Hint() string { return e.hint }

// WithHint returns err with a hint; its exit code is err's.
func WithHint(err error, hint string) error { return &hinted{err: err, hint: hint} }

// Hint returns the hint of the first error in err's chain that has one,
// else "".
func Hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// IsUsage reports whether err is a mistake in the command line.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
