package console

import (
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner/history"
)

// purgeGuide says once how to purge secrets from history, and why that
// comes after rotation: a format for the count and two words.
//
//go:embed purge-guide.txt
var purgeGuide string

// HistoryNotes tells what the history scan could not cover, and how
// to deal with secrets that are only in the history. r's findings are
// those after triage.
func HistoryNotes(w io.Writer, r *history.Result) {
	if r == nil {
		return
	}
	fmt.Fprintf(w, "keylint: history: %d %s, %d distinct %s\n",
		r.Commits, plural.Of(r.Commits, "commit", "commits"), r.Blobs, plural.Of(r.Blobs, "file version", "file versions"))
	if r.Cached+r.CachedAdded+r.CachedReplayed+r.CachedNarrowed+r.CachedCommits > 0 {
		fmt.Fprintf(w, "keylint: cache: %d file versions known clean and not read, %d added\n", r.Cached, r.CachedAdded)
	}
	cacheReuse(w, r.CachedReplayed+r.CachedNarrowed, r.CachedCommits)
	if r.Shallow > 0 {
		fmt.Fprintln(w, "keylint: hint: run `git fetch --unshallow` and scan again to cover the whole history")
	}
	if r.Missing > 0 && r.Partial {
		fmt.Fprintln(w, "keylint: hint: fetch the missing blobs (e.g. `git fetch --refetch` without --filter) and scan again")
	}
	if n := len(r.Submodules); n > 0 {
		list := strings.Join(r.Submodules[:min(n, 3)], ", ")
		if n > 3 {
			list += ", …"
		}
		fmt.Fprintf(w, "keylint: note: %d %s (%s) not followed: scan %s with keylint git in %s own %s\n",
			n, plural.Of(n, "submodule", "submodules"), report.Sanitize(list), plural.Of(n, "it", "them"), plural.Of(n, "its", "their"),
			plural.Of(n, "repository", "repositories"))
	}
	// Counted on the findings as reported: the scan's own count also has
	// those the baseline or an allowlist silenced afterwards.
	n := 0
	for _, f := range r.Findings {
		if !f.InHead {
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(w, purgeGuide, n, plural.Of(n, "secret is", "secrets are"), plural.Of(n, "it", "them"))
	}
}

// StartProgress draws a one-line progress display on w (a terminal) four
// times a second until the returned function is called, which erases it.
func StartProgress(w io.Writer, p *history.Progress) func() {
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		phase, phaseStart := p.Phase.Load(), start
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case now := <-t.C:
				if ph := p.Phase.Load(); ph != phase {
					phase, phaseStart = ph, now
				}
				fmt.Fprint(w, "\r\033[K"+ProgressLine(p, now.Sub(start), now.Sub(phaseStart)))
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// ProgressLine renders the progress of a history scan; inPhase is the time
// spent in the current phase, from which the ETA is estimated.
func ProgressLine(p *history.Progress, elapsed, inPhase time.Duration) string {
	el := elapsed.Round(time.Second)
	switch p.Phase.Load() {
	case history.PhaseCommits:
		return fmt.Sprintf("keylint: reading commits: %d  %s", p.Commits.Load(), el)
	case history.PhaseTrees:
		return fmt.Sprintf("keylint: diffing trees: %d/%d commits  %s", p.CommitsDiffed.Load(), p.CommitsTotal.Load(), el)
	case history.PhaseBlobs:
		done, total := p.Blobs.Load(), p.BlobsTotal.Load()
		if total == 0 {
			return fmt.Sprintf("keylint: scanning: planning the decoding order  %s", el)
		}
		line := fmt.Sprintf("keylint: scanning: %d/%d objects, %s, %d %s  %s",
			done, total, mib(p.Bytes.Load()), p.Findings.Load(), plural.Of(int(p.Findings.Load()), "finding", "findings"), el)
		if done > 0 && total > done {
			eta := time.Duration(float64(inPhase) * float64(total-done) / float64(done)).Round(time.Second)
			line += fmt.Sprintf(", about %s left", eta)
		}
		return line
	default:
		return fmt.Sprintf("keylint: attributing %d %s to commits  %s", p.Findings.Load(), plural.Of(int(p.Findings.Load()), "finding", "findings"), el)
	}
}

// mib formats n bytes in MiB.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

// cacheReuse says how much else of a history the cache spared: versions
// with findings not matched again, commits not diffed.
func cacheReuse(w io.Writer, versions, commits int) {
	if versions+commits > 0 {
		fmt.Fprintf(w, "keylint: cache: %d file versions with findings not matched again, %d commits not diffed\n", versions, commits)
	}
}
