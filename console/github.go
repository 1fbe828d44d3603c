package console

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

// Annotations writes, in GitHub Actions, a workflow command for each
// finding's location, each rule whose matches were cut short, each note
// for the reviewers and each file not scanned.
func Annotations(w io.Writer, res *scanner.Result, notes []string, skipped []scanner.SkippedFile) error {
	if err := report.WriteAnnotations(w, res.Findings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return err
	}
	if err := report.WriteCapAnnotations(w, res.Warnings); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(w, "::warning title=keylint::%s\n", report.EscapeData(report.Sanitize(n)))
	}
	return report.WriteSkippedAnnotations(w, skipped)
}

// StepSummary appends the job summary of keylint ci to the file GitHub
// Actions named (GITHUB_STEP_SUMMARY); nothing when path is "".
func StepSummary(path string, res *scanner.Result, notes []string, skipped []scanner.SkippedFile, unnamed int) error {
	if path == "" {
		return nil
	}
	if err := outfile.Append(path, func(w io.Writer) error {
		return report.WriteStepSummary(w, res.Findings, res.Summary, notes, skipped, unnamed)
	}); err != nil {
		return fmt.Errorf("writing the step summary: %w", err)
	}
	return nil
}

// StepOutputs appends the step outputs findings and sarif-file to the
// file GitHub Actions named (GITHUB_OUTPUT); nothing when path is "".
func StepOutputs(path string, findings int, sarif string) error {
	if path == "" {
		return nil
	}
	return outfile.Append(path, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "findings=%s\nsarif-file=%s\n", strconv.Itoa(findings), strings.NewReplacer("\n", "", "\r", "").Replace(sarif))
		return err
	})
}
