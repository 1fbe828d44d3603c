package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/scanner/history"
)

// gitFlags are the flags of keylint git besides the common ones.
type gitFlags struct {
	branches   []string
	rng        string
	since      string
	until      string
	maxCommits int
}

func (e *env) gitCmd(args []string) (int, error) {
	fs := flag.NewFlagSet("git", flag.ContinueOnError)
	var f settings.Flags
	registerFlags(fs, &f)
	var g gitFlags
	fs.Func("branch", "only commits reachable from `NAME` (repeatable)", func(v string) error {
		g.branches = append(g.branches, v)
		return nil
	})
	fs.StringVar(&g.rng, "range", "", "only commits reachable from B and not from A (`A..B`)")
	fs.StringVar(&g.since, "since", "", "only commits committed on or after `DATE`")
	fs.StringVar(&g.until, "until", "", "only commits committed on or before `DATE`")
	fs.IntVar(&g.maxCommits, "max-commits", 0, "only the newest `N` commits (0: all)")
	var a auditFlags
	registerAuditFlags(fs, &a)
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.stdout, "git", fs)
		return exitClean, nil
	}
	if err != nil {
		return 0, err
	}
	if err := validateFlags(&f); err != nil {
		return 0, err
	}
	if a.printRepos && !a.multi(pos) {
		return 0, usagef("for example: keylint git --repos repos.txt --shard 1/4 --print-repos", "--print-repos needs --repos, --shard or several repositories")
	}
	repo := "."
	if len(pos) == 1 && !a.multi(pos) {
		repo = pos[0]
	}
	if _, err := os.Stat(repo); !a.multi(pos) && errors.Is(err, os.ErrNotExist) {
		return 0, usagef("check the path: keylint git path/to/repo", "%s does not exist", repo)
	}
	h := history.Options{Repo: repo, Branches: g.branches, Range: g.rng, MaxCommits: g.maxCommits}
	now := time.Now()
	if h.Since, err = parseGitDate(g.since, now, false); err != nil {
		return 0, usagef("use a date such as 2024-01-31, 2024-01-31T12:00:00Z or \"2 weeks ago\"", "--since: %v", err)
	}
	if h.Until, err = parseGitDate(g.until, now, true); err != nil {
		return 0, usagef("use a date such as 2024-01-31, 2024-01-31T12:00:00Z or \"2 weeks ago\"", "--until: %v", err)
	}
	if g.maxCommits < 0 {
		return 0, usagef("give a positive number, e.g. --max-commits 100", "--max-commits must not be negative")
	}
	if g.rng != "" && !strings.Contains(g.rng, "..") {
		return 0, usagef("write a range as A..B, e.g. --range main..feature", "invalid --range %q", g.rng)
	}
	// The whole history is scanned unless a selection narrows it, so stale
	// baseline entries mean something only then.
	sc := scope{repairHint: repairRepo,
		full: len(g.branches) == 0 && g.rng == "" && g.since == "" && g.until == "" && g.maxCommits == 0}
	if a.multi(pos) {
		return e.gitMulti(f, a, pos, h, sc.full)
	}
	if err := checkFormat(f.Format); err != nil {
		return 0, err
	}
	s, err := settings.Load(e.ctx, f, repo)
	if err != nil {
		return 0, err
	}
	if sc.rulesHash, err = rulesHash(s); err != nil {
		return 0, err
	}
	c, err := e.openCache(a, sc.rulesHash)
	if err != nil {
		return 0, err
	}
	if c != nil {
		h.Cache, h.CacheKey = c, blobcache.Key
	}
	var hres *history.Result
	code, err := e.runScan(s, sc, func(sc *scanner.Scanner) (*scanner.Result, error) {
		var stop func()
		if !s.Quiet && isTerminal(e.stderr) {
			h.Progress = &history.Progress{}
			stop = startProgress(e.stderr, h.Progress)
		}
		res, err := history.Scan(e.ctx, sc, h)
		if stop != nil {
			stop()
		}
		if err != nil {
			return nil, gitError(err)
		}
		hres = res
		return &res.Result, nil
	})
	if hres != nil && !s.Quiet {
		writeHistoryNotes(e.stderr, hres)
	}
	if err != nil {
		return 0, err
	}
	return code, nil
}

// gitAbout is the description in keylint git's help.
const gitAbout = `Scans every commit of every ref (branches, tags, remote-tracking refs, the
stash) of the repository holding REPO (default: the current directory):
each distinct file version is read once, straight from the object
database, and each finding names the commit that introduced it.
DATE is 2024-01-31, 2024-01-31T12:00:00Z, "2024-01-31 12:00" or "2 weeks ago".

A repository keylint cannot read whole (a pack or index missing or cut
short, a ref that is garbage or names a missing commit, a corrupt or
missing object) is scanned as far as it can be: the findings are reported,
each damaged part is a warning, and keylint exits 3; run git fsck --full.
A shallow clone's missing history and a partial clone's unfetched blobs
are expected: warnings only.` + auditHelp

// gitError gives scan errors the exit code and hint they deserve.
func gitError(err error) error {
	var re *history.RevisionError
	switch {
	case errors.As(err, &re):
		return usagef("list branches and tags with `git branch -a` and `git tag`", "%v", err)
	case errors.Is(err, gitexec.ErrNotRepository):
		// Exit code 2, as for keylint staged, hook install and ci: the
		// command was run in the wrong place.
		return usagef("run keylint git inside a git repository, or give its path: keylint git path/to/repo", "%v", err)
	case errors.Is(err, history.ErrDamaged):
		return withHint(err, repairRepo)
	}
	return err
}

// purgeGuide says once how to purge secrets from history, and why that
// comes after rotation.
const purgeGuide = `keylint: note: %d %s only in the history, no longer in HEAD. Revoke and rotate %s first:
  every clone, fork, CI cache and mirror already has the history, and rewriting it reaches none of them.
  Then, to purge the history too: list each secret in a file and run
    git filter-repo --replace-text secrets.txt      (or: git filter-repo --invert-paths --path FILE)
  then force-push every branch and tag, ask hosting support to drop cached views and pull-request refs,
  and have collaborators re-clone. See https://github.com/newren/git-filter-repo
`

// writeHistoryNotes tells what the history scan could not cover, and how
// to deal with secrets that are only in the history.
func writeHistoryNotes(w io.Writer, r *history.Result) {
	if r == nil {
		return
	}
	fmt.Fprintf(w, "keylint: history: %d %s, %d distinct %s\n",
		r.Commits, plural.Of(r.Commits, "commit", "commits"), r.Blobs, plural.Of(r.Blobs, "file version", "file versions"))
	if r.Cached+r.CachedAdded > 0 {
		fmt.Fprintf(w, "keylint: cache: %d file versions known clean and not read, %d added\n", r.Cached, r.CachedAdded)
	}
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
	if r.HistoryOnly > 0 {
		fmt.Fprintf(w, purgeGuide, r.HistoryOnly, plural.Of(r.HistoryOnly, "secret is", "secrets are"), plural.Of(r.HistoryOnly, "it", "them"))
	}
}

// parseGitDate parses a --since or --until value: a date (the start of
// that day for --since, its end for --until, in local time), a date and
// time, RFC 3339, or "N units ago". "" is the zero time.
func parseGitDate(v string, now time.Time, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		if end {
			t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	f := strings.Fields(strings.ToLower(v))
	if len(f) == 3 && f[2] == "ago" {
		n, err := strconv.Atoi(f[0])
		if err == nil && n >= 0 {
			switch strings.TrimSuffix(f[1], "s") {
			case "second":
				return now.Add(-time.Duration(n) * time.Second), nil
			case "minute":
				return now.Add(-time.Duration(n) * time.Minute), nil
			case "hour":
				return now.Add(-time.Duration(n) * time.Hour), nil
			case "day":
				return now.AddDate(0, 0, -n), nil
			case "week":
				return now.AddDate(0, 0, -7*n), nil
			case "month":
				return now.AddDate(0, -n, 0), nil
			case "year":
				return now.AddDate(-n, 0, 0), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse date %q", v)
}

// startProgress draws a one-line progress display on w (a terminal) four
// times a second until the returned function is called, which erases it.
func startProgress(w io.Writer, p *history.Progress) func() {
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
				fmt.Fprint(w, "\r\033[K"+progressLine(p, now.Sub(start), now.Sub(phaseStart)))
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// progressLine renders the progress of a history scan; inPhase is the time
// spent in the current phase, from which the ETA is estimated.
func progressLine(p *history.Progress, elapsed, inPhase time.Duration) string {
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

func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}
