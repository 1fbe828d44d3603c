package main

import (
	"errors"

	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/outfile"
)

// stdoutResult returns the error a command ends with, given the error it
// returned: a failed write to standard output becomes an *outfile.Error
// (exit code 4), unless the command failed for another reason first.
func stdoutResult(out *iostreams.Stdout, err error) error {
	werr := out.Err()
	if werr == nil || (err != nil && !errors.Is(err, errHelp) && !errors.Is(err, werr)) {
		return err
	}
	return outfile.Failed("to standard output", werr,
		"write the report to a file with --output FILE, or redirect standard output (> /dev/null discards it on purpose)")
}
