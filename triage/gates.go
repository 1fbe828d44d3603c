package triage

import (
	"fmt"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/scanner"
)

// RepairFiles is the hint of an incomplete scan of files.
const RepairFiles = "make the files and directories named in the warnings readable (or exclude them with a path allowlist in .keylint.toml) and scan again"

// Incomplete is the error for a scan that could not read everything (nil
// when it could), returned after the report: the findings shown come from
// what it could read, and the run must not pass as clean. hint says how to
// repair what could not be read ("" for [RepairFiles]; a history scan
// passes history.RepairHint).
func Incomplete(res *scanner.Result, hint string) error {
	ws := res.Incomplete()
	if len(ws) == 0 {
		return nil
	}
	if hint == "" {
		hint = RepairFiles
	}
	return clierr.WithHint(fmt.Errorf("the scan is incomplete: %d %s could not be read (see the warnings); the %d %s reported %s from the rest",
		len(ws), plural.Of(len(ws), "item", "items"), len(res.Findings), plural.Of(len(res.Findings), "finding", "findings"),
		plural.Of(len(res.Findings), "comes", "come")), hint)
}

// Skipped applies --fail-on-skipped (failOnSkipped): when n files could
// not be scanned and nothing else fails the run (failing is false), it is
// an error, so that the run fails with the scan-error exit code. Findings
// that fail the run keep their own exit code.
func Skipped(failOnSkipped, failing bool, n int) error {
	if !failOnSkipped || n == 0 || failing {
		return nil
	}
	return clierr.WithHint(fmt.Errorf("%d %s not scanned, and --fail-on-skipped is set", n, plural.Of(n, "file was", "files were")),
		"scan them (for a file over the size limit, raise --max-file-size), remove them from the change, or drop --fail-on-skipped")
}

// Gates closes a run: the error of an incomplete scan ([Incomplete], with
// hint), else the error of --fail-on-skipped ([Skipped]) for unscanned
// files, else nil. Both are returned after the report.
func Gates(res *scanner.Result, hint string, failOnSkipped, failing bool, unscanned int) error {
	if err := Incomplete(res, hint); err != nil {
		return err
	}
	return Skipped(failOnSkipped, failing, unscanned)
}
