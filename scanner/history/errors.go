package history

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/scanner"
)

// RepairHint says how to repair a repository whose objects could not all
// be read: the hint of a damaged repository, and of an incomplete history
// scan.
const RepairHint = "run `git fsck --full` in the repository to see what is damaged; restore it (re-clone, or fetch the missing objects from a good copy) and scan again"

// Scan scans the history of a repository blob by blob, as scanRepo
// describes. Its errors say what to do next ([clierr.Hint]): an unknown
// revision and a path outside a repository are usage errors (keylint
// exits 2, the command was run in the wrong place), a damaged repository
// says how to repair it; errors.Is and errors.As still see
// [*RevisionError], [gitexec.ErrNotRepository] and [ErrDamaged].
func Scan(ctx context.Context, sc *scanner.Scanner, h Options) (*Result, error) {
	res, err := scanRepo(ctx, sc, h)
	if err != nil {
		return nil, withHint(err)
	}
	return res, nil
}

// withHint gives a scan error the hint (and exit code) it deserves.
func withHint(err error) error {
	var re *RevisionError
	switch {
	case errors.As(err, &re):
		return clierr.Usage(err, "list branches and tags with `git branch -a` and `git tag`")
	case errors.Is(err, gitexec.ErrNotRepository):
		return clierr.Usage(err, "run keylint git inside a git repository, or give its path: keylint git path/to/repo")
	case errors.Is(err, ErrDamaged):
		return clierr.WithHint(err, RepairHint)
	}
	return err
}

// Selection is the commits to scan as a command line gives them: keylint
// git's --branch, --range, --since, --until and --max-commits.
type Selection struct {
	Branches     []string
	Range        string
	Since, Until string
	MaxCommits   int
}

// Full reports whether the selection is the whole history: only then do
// stale baseline entries mean something.
func (s Selection) Full() bool {
	return len(s.Branches) == 0 && s.Range == "" && s.Since == "" && s.Until == "" && s.MaxCommits == 0
}

// Options checks the selection and returns the options that scan it in
// repo, with dates such as "2 weeks ago" counted from now. A mistake is a
// usage error naming the flag.
func (s Selection) Options(repo string, now time.Time) (Options, error) {
	o := Options{Repo: repo, Branches: s.Branches, Range: s.Range, MaxCommits: s.MaxCommits}
	const dateHint = "use a date such as 2024-01-31, 2024-01-31T12:00:00Z or \"2 weeks ago\""
	var err error
	if o.Since, err = cliflag.ParseDate(s.Since, now, false); err != nil {
		return Options{}, clierr.Usagef(dateHint, "--since: %v", err)
	}
	if o.Until, err = cliflag.ParseDate(s.Until, now, true); err != nil {
		return Options{}, clierr.Usagef(dateHint, "--until: %v", err)
	}
	if s.MaxCommits < 0 {
		return Options{}, clierr.Usagef("give a positive number, e.g. --max-commits 100", "--max-commits must not be negative")
	}
	if s.Range != "" && !strings.Contains(s.Range, "..") {
		return Options{}, clierr.Usagef("write a range as A..B, e.g. --range main..feature", "invalid --range %q", s.Range)
	}
	return o, nil
}
