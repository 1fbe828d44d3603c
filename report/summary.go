package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// severities lists the known severities from most to least urgent.
var severities = [...]rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low}

// WriteSummary writes a short human summary of a scan to w, meant for
// stderr: files and bytes scanned and the time taken; findings, in total
// and by severity; then, when there are any, skipped files, silenced
// matches and rejected candidates by reason, and the warning count.
// Reasons are listed in sorted order, and every value is passed through
// [Sanitize], so the output depends only on sum (the duration is the one
// value that varies between runs). Colour is used only when opts.Color.
func WriteSummary(w io.Writer, sum scanner.Summary, opts Options) error {
	p := newPalette(opts.Color)
	bw := bufio.NewWriter(w)

	fmt.Fprintf(bw, "scanned %s (%s) in %s\n",
		plural.Count(sum.Files, "file", "files"), humanBytes(sum.Bytes), humanDuration(sum.Duration))

	if sum.Findings == 0 {
		bw.WriteString(p.good.Sprint("no findings") + "\n")
	} else {
		bw.WriteString(p.bad.Sprint(plural.Count(sum.Findings, "finding", "findings")))
		var parts []string
		for _, s := range severities {
			if n := sum.BySeverity[s]; n > 0 {
				parts = append(parts, strconv.Itoa(n)+" "+p.severity(s).Sprint(string(s)))
			}
		}
		var other []string
		for s, n := range sum.BySeverity {
			if n > 0 && s.Rank() == 0 {
				other = append(other, string(s))
			}
		}
		slices.Sort(other)
		for _, s := range other {
			parts = append(parts, strconv.Itoa(sum.BySeverity[rules.Severity(s)])+" "+Sanitize(s))
		}
		if len(parts) > 0 {
			bw.WriteString(": " + strings.Join(parts, ", "))
		}
		bw.WriteByte('\n')
	}

	writeCounts(bw, "skipped", "file", "files", sum.Skipped)
	writeCounts(bw, "silenced", "match", "matches", sum.Silenced)
	writeCounts(bw, "rejected", "candidate", "candidates", sum.Rejected)
	if len(sum.Capped) > 0 {
		// Findings were dropped: as loud as a warning, never a mere count.
		var c bytes.Buffer
		cw := bufio.NewWriter(&c)
		writeCounts(cw, "findings cut short at the per-rule limit in", "file", "files", sum.Capped)
		cw.Flush()
		bw.WriteString(p.warn.Sprint(strings.TrimSuffix(c.String(), "\n")) + ": see the warnings\n")
	}
	if sum.Warnings > 0 {
		bw.WriteString(p.warn.Sprint(plural.Count(sum.Warnings, "warning", "warnings")) + "\n")
	}
	return bw.Flush()
}

// writeCounts writes "verb N things (reason n, ...)" with reasons in sorted
// order, or nothing when all counts are zero.
func writeCounts(bw *bufio.Writer, verb, one, many string, counts map[string]int) {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
			total += n
		}
	}
	if total == 0 {
		return
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = Sanitize(k) + " " + strconv.Itoa(counts[k])
	}
	fmt.Fprintf(bw, "%s %s (%s)\n", verb, plural.Count(total, one, many), strings.Join(parts, ", "))
}

// humanBytes formats n in binary units: "512 B", "1.5 KiB", "12.3 MiB".
func humanBytes(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024-0.05 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i]
}

// humanDuration rounds d to a precision that suits its size.
func humanDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		d = d.Round(time.Microsecond)
	case d < time.Second:
		d = d.Round(time.Millisecond)
	case d < time.Minute:
		d = d.Round(10 * time.Millisecond)
	default:
		d = d.Round(time.Second)
	}
	return d.String()
}
