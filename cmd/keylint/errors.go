package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
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
	var ce *rules.ConfigError
	var oe *outfile.Error
	var te *trust.Error
	code := exitScanError
	hint := ""
	switch {
	case errors.As(err, &te):
		code, hint = exitUsage, te.Hint
	case clierr.IsUsage(err):
		code = exitUsage
	case errors.As(err, &ce):
		code, hint = exitUsage, "fix the file, or run with --no-config to ignore the project configuration"
	case errors.As(err, &oe):
		code = exitOutput
	}
	if h := clierr.Hint(err); h != "" {
		hint = h // a usage error's, or any error's with a hint
	}
	if hint != "" {
		fmt.Fprintf(stderr, "keylint: hint: %s\n", report.Sanitize(hint))
	}
	return code
}
