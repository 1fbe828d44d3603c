package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/scanner"
)

// UnreadableReason is the reason [Unscanned] gives a file the scan could
// not read (a scan warning).
const UnreadableReason = "unreadable"

// DeliberateSkip reports whether reason names a file that was left out on
// purpose rather than one the scan could not read: a path the
// configuration allowlists, a file .gitignore excludes, a symbolic link or
// special file (not followed, by design) or a submodule (scanned in its own
// repository).
func DeliberateSkip(reason string) bool {
	switch reason {
	case "allowlisted-path", "ignored", "symlink", "special", "submodule":
		return true
	}
	return false
}

// Unscanned lists the files a scan meant to read but did not: every
// skipped file in sum.SkippedFiles whose reason is not a [DeliberateSkip]
// (too large, binary, unmerged, not decodable ...), and the path of every
// warning (a file, tree or object that could not be read) with the reason
// [UnreadableReason]. The list is sorted by path, then reason, without
// duplicates. unnamed counts the files sum.Skipped counts for such reasons
// but sum.SkippedFiles does not name (a history scan counts skipped blobs
// without naming them).
func Unscanned(sum scanner.Summary, warnings []scanner.Warning) (named []scanner.SkippedFile, unnamed int) {
	var out []scanner.SkippedFile
	perReason := map[string]int{}
	for _, s := range sum.SkippedFiles {
		if !DeliberateSkip(s.Reason) {
			out = append(out, s)
			perReason[s.Reason]++
		}
	}
	for reason, n := range sum.Skipped {
		if !DeliberateSkip(reason) && n > perReason[reason] {
			unnamed += n - perReason[reason]
		}
	}
	for _, w := range warnings {
		if !w.Unscanned() {
			continue // a shallow clone's boundary, a partial clone's unfetched blobs, a capped rule
		}
		out = append(out, scanner.SkippedFile{Path: w.Path, Reason: UnreadableReason})
	}
	slices.SortFunc(out, func(a, b scanner.SkippedFile) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Reason, b.Reason))
	})
	return slices.Compact(out), unnamed
}

// skipHint says what to do about files skipped for reason.
func skipHint(reason string) string {
	switch reason {
	case "too-large":
		return "raise --max-file-size (or max_file_size in .keylint.toml) to scan it"
	case "binary":
		return "binary content is not scanned; check that it holds no secret"
	case UnreadableReason:
		return "check its permissions, or that the clone holds every object"
	case "unmerged":
		return "resolve the conflict and scan again"
	}
	return "check that it holds no secret"
}

// skipAdvice is the advice for a list of skipped files: one hint per
// distinct reason.
func skipAdvice(skipped []scanner.SkippedFile) string {
	var reasons []string
	for _, s := range skipped {
		reasons = append(reasons, s.Reason)
	}
	slices.Sort(reasons)
	var hints []string
	for _, r := range slices.Compact(reasons) {
		hints = append(hints, Sanitize(r)+": "+skipHint(r)+".")
	}
	return strings.Join(hints, " ")
}

// WriteSkippedAnnotations writes one GitHub Actions `::warning` workflow
// command per file that was not scanned, on that file, escaped as
// [WriteAnnotations] escapes, so the pull request shows what keylint could
// not check.
func WriteSkippedAnnotations(w io.Writer, skipped []scanner.SkippedFile) error {
	bw := bufio.NewWriter(w)
	for _, s := range skipped {
		msg := fmt.Sprintf("%s was not scanned for secrets (%s): %s.", s.Path, s.Reason, skipHint(s.Reason))
		fmt.Fprintf(bw, "::warning file=%s,title=%s::%s\n",
			escapeProperty(Sanitize(s.Path)),
			escapeProperty("keylint: file not scanned ("+Sanitize(s.Reason)+")"),
			EscapeData(Sanitize(msg)))
	}
	return bw.Flush()
}

// WriteSkipped writes one line per file that was not scanned, for stderr:
// "keylint: not scanned: big.bin (too-large)", then one hint per reason.
// Every value passes through [Sanitize].
// unnamed more files were not scanned, whose paths the scan did not record.
func WriteSkipped(w io.Writer, skipped []scanner.SkippedFile, unnamed int) error {
	if len(skipped) == 0 && unnamed == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	for _, s := range skipped {
		fmt.Fprintf(bw, "keylint: not scanned: %s (%s)\n", Sanitize(s.Path), Sanitize(s.Reason))
	}
	if unnamed > 0 {
		fmt.Fprintf(bw, "keylint: not scanned: %s not recorded (the summary counts them by reason)\n", plural.Count(unnamed, "file whose path was", "files whose paths were"))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(bw, "keylint: hint: %s\n", skipAdvice(skipped))
	}
	return bw.Flush()
}
