package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/scanner"
)

func TestSelectionOptions(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 3, 15, 12, 0, 0, 0, time.Local)
	tests := []struct {
		name     string
		sel      Selection
		full     bool
		wantErr  string // "" for none
		wantHint string
		check    func(Options) bool
	}{
		{name: "everything", full: true, check: func(o Options) bool { return o.Repo == "r" && o.Since.IsZero() && o.Until.IsZero() }},
		{name: "branches", sel: Selection{Branches: []string{"main", "dev"}}, check: func(o Options) bool { return len(o.Branches) == 2 }},
		{name: "range", sel: Selection{Range: "main..dev"}, check: func(o Options) bool { return o.Range == "main..dev" }},
		{name: "since", sel: Selection{Since: "2024-01-31"}, check: func(o Options) bool {
			return o.Since.Equal(time.Date(2024, 1, 31, 0, 0, 0, 0, time.Local))
		}},
		{name: "until is the end of the day", sel: Selection{Until: "2024-01-31"}, check: func(o Options) bool {
			return o.Until.After(time.Date(2024, 1, 31, 23, 59, 0, 0, time.Local)) && o.Until.Before(time.Date(2024, 2, 1, 0, 0, 0, 0, time.Local))
		}},
		{name: "relative", sel: Selection{Since: "2 weeks ago"}, check: func(o Options) bool { return o.Since.Equal(now.AddDate(0, 0, -14)) }},
		{name: "max commits", sel: Selection{MaxCommits: 3}, check: func(o Options) bool { return o.MaxCommits == 3 }},
		{name: "bad since", sel: Selection{Since: "garbage"}, wantErr: "--since: ", wantHint: "use a date such as"},
		{name: "bad until", sel: Selection{Until: "soon"}, wantErr: "--until: ", wantHint: "use a date such as"},
		{name: "negative max commits", sel: Selection{MaxCommits: -1}, wantErr: "--max-commits must not be negative", wantHint: "give a positive number"},
		{name: "range without dots", sel: Selection{Range: "main"}, wantErr: `invalid --range "main"`, wantHint: "write a range as A..B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sel.Full(); got != tt.full {
				t.Errorf("Full() = %v, want %v", got, tt.full)
			}
			o, err := tt.sel.Options("r", now)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Options: %v", err)
				}
				if !tt.check(o) {
					t.Errorf("Options = %+v", o)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q...", err, tt.wantErr)
			}
			if !clierr.IsUsage(err) || !strings.HasPrefix(clierr.Hint(err), tt.wantHint) {
				t.Errorf("err = %v (usage %v, hint %q), want a usage error with hint %q...", err, clierr.IsUsage(err), clierr.Hint(err), tt.wantHint)
			}
		})
	}
}

// TestScanErrorHints: the errors Scan returns say what to do next and
// keep what they wrap.
func TestScanErrorHints(t *testing.T) {
	t.Parallel()
	rev := &RevisionError{Rev: "nope", Err: errors.New("no such ref or commit")}
	tests := []struct {
		name  string
		err   error
		usage bool
		hint  string
	}{
		{"unknown revision", rev, true, "list branches and tags with `git branch -a` and `git tag`"},
		{"not a repository", fmt.Errorf("%w: /tmp/x", gitexec.ErrNotRepository), true, "run keylint git inside a git repository, or give its path: keylint git path/to/repo"},
		{"damaged", fmt.Errorf("HEAD: %w: bad pack", ErrDamaged), false, RepairHint},
		{"cancelled", context.Canceled, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withHint(tt.err)
			if got.Error() != tt.err.Error() {
				t.Errorf("message = %q, want %q", got, tt.err)
			}
			if clierr.IsUsage(got) != tt.usage || clierr.Hint(got) != tt.hint {
				t.Errorf("usage %v, hint %q; want %v, %q", clierr.IsUsage(got), clierr.Hint(got), tt.usage, tt.hint)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("errors.Is(%v, %v) = false", got, tt.err)
			}
		})
	}
	// Through Scan itself: outside a repository.
	_, err := Scan(context.Background(), histScanner(t, scanner.Options{}), Options{Repo: t.TempDir()})
	if !errors.Is(err, gitexec.ErrNotRepository) || !clierr.IsUsage(err) {
		t.Errorf("outside a repository: %v (usage %v)", err, clierr.IsUsage(err))
	}
}
