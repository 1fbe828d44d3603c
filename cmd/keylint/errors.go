package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// Exit codes, as documented in the README.
const (
	exitClean       = 0
	exitFindings    = 1
	exitUsage       = 2
	exitScanError   = 3
	exitOutput      = 4
	exitInterrupted = 130
)

// usageError is a mistake in the command line.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

func usagef(hint, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
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

func withHint(err error, hint string) error { return &hinted{err: err, hint: hint} }

// exitCode prints err in the keylint dialect and maps it to an exit code.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return exitClean
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "keylint: interrupted")
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "keylint: error: %s\n", report.Sanitize(err.Error()))
	var ue *usageError
	var ce *rules.ConfigError
	var h interface{ Hint() string }
	var oe *outputError
	var te *trust.Error
	code := exitScanError
	hint := ""
	switch {
	case errors.As(err, &te):
		code, hint = exitUsage, te.Hint
	case errors.As(err, &ue):
		code, hint = exitUsage, ue.hint
	case errors.As(err, &ce):
		code, hint = exitUsage, "fix the file, or run with --no-config to ignore the project configuration"
	case errors.As(err, &oe):
		code, hint = exitOutput, oe.hint
	}
	if errors.As(err, &h) {
		hint = h.Hint() // a *hinted, or another package's error with a hint
	}
	if hint != "" {
		fmt.Fprintf(stderr, "keylint: hint: %s\n", report.Sanitize(hint))
	}
	return code
}

// repairFiles is the hint of an incomplete file scan.
const repairFiles = "make the files and directories named in the warnings readable (or exclude them with a path allowlist in .keylint.toml) and scan again"

// repairRepo is the hint of an incomplete scan of a repository's objects.
const repairRepo = "run `git fsck --full` in the repository to see what is damaged; restore it (re-clone, or fetch the missing objects from a good copy) and scan again"

// incompleteError is returned after the report of a scan that could not
// read everything: the findings shown come from what it could read, and
// the exit code is exitScanError, never clean.
func incompleteError(res *scanner.Result, hint string) error {
	ws := res.Incomplete()
	if len(ws) == 0 {
		return nil
	}
	if hint == "" {
		hint = repairFiles
	}
	return withHint(fmt.Errorf("the scan is incomplete: %d %s could not be read (see the warnings); the %d %s reported %s from the rest",
		len(ws), plural.Of(len(ws), "item", "items"), len(res.Findings), plural.Of(len(res.Findings), "finding", "findings"),
		plural.Of(len(res.Findings), "comes", "come")), hint)
}
