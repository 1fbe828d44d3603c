package enrich

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/verify"
)

// TestOwners: where CODEOWNERS is read from for each kind of scan, and
// when a missing one is worth a warning.
func TestOwners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain := t.TempDir()
	if err := os.WriteFile(filepath.Join(plain, "CODEOWNERS"), []byte("*.env @plain\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	repo := gittest.New(t)
	repo.Write("CODEOWNERS", "*.env @committed\n")
	repo.Commit("owners")
	// The work tree's CODEOWNERS is not what decides.
	repo.Write("CODEOWNERS", "*.env @worktree\n")
	empty := gittest.New(t)
	broken := t.TempDir() // CODEOWNERS is a directory: it cannot be read
	if err := os.MkdirAll(filepath.Join(broken, "CODEOWNERS"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		src  Source
		path string
		want []string // nil: no owners function
		warn string   // the warning's beginning; "" for none
	}{
		{name: "nothing to read", src: Source{}},
		{name: "a directory", src: Source{Dir: plain}, path: filepath.Join(plain, "a.env"), want: []string{"@plain"}},
		{name: "a file in a directory", src: Source{Dir: filepath.Join(plain, "CODEOWNERS")}, path: filepath.Join(plain, "sub", "b.env"), want: []string{"@plain"}},
		{name: "outside the root", src: Source{Dir: plain}, path: filepath.Join(filepath.Dir(plain), "c.env"), want: []string{}},
		{name: "a repository's HEAD", src: Source{Dir: repo.Dir}, path: filepath.Join(repo.Dir, "a.env"), want: []string{"@committed"}},
		{name: "a commit", src: Source{Dir: repo.Dir, Rev: "HEAD"}, path: "a.env", want: []string{"@committed"}},
		{name: "a repository without commits", src: Source{Dir: empty.Dir, Rev: "HEAD"}},
		{name: "an unknown commit", src: Source{Dir: repo.Dir, Rev: "nosuch"}},
		{name: "unreadable", src: Source{Dir: broken}, warn: "keylint: CODEOWNERS not read, findings have no owners: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn bytes.Buffer
			owners := Owners(ctx, tt.src, &warn)
			if !strings.HasPrefix(warn.String(), tt.warn) || (tt.warn == "" && warn.Len() > 0) {
				t.Errorf("warned %q, want %q", warn.String(), tt.warn)
			}
			if tt.want == nil {
				if owners != nil {
					t.Errorf("owners of %q = %q, want no owners function", tt.path, owners(tt.path))
				}
				return
			}
			if owners == nil {
				t.Fatal("no owners function")
			}
			if got := owners(tt.path); !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("owners of %q = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

// TestFileReader: verifiers read the work tree for a scan of files, the
// commit for a history scan, and nothing otherwise.
func TestFileReader(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := gittest.New(t)
	repo.Write("conf.txt", "committed\n")
	repo.Commit("conf")
	repo.Write("conf.txt", "work tree\n")
	tests := []struct {
		name string
		src  Source
		path string
		want string // "" for no reader
	}{
		{"none", Source{Dir: repo.Dir}, "", ""},
		{"work tree", Source{Dir: repo.Dir, ReadFiles: true}, filepath.Join(repo.Dir, "conf.txt"), "work tree\n"},
		{"commit", Source{Dir: repo.Dir, ReadRev: "HEAD"}, "conf.txt", "committed\n"},
	}
	for _, tt := range tests {
		read := tt.src.FileReader(ctx)
		if tt.want == "" {
			if read != nil {
				t.Errorf("%s: a reader", tt.name)
			}
			continue
		}
		got, err := read(tt.path)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: read %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestResult: --only-live recounts the result it empties.
func TestResult(t *testing.T) {
	t.Parallel()
	res := &scanner.Result{Findings: []scanner.Finding{{RuleID: "generic-password-assignment", Secret: "x", Severity: "high"}}}
	res.Recount()
	if live := Result(context.Background(), res, Options{Verify: verify.New(verify.Options{}), OnlyLive: true}); live != 0 {
		t.Errorf("live = %d", live)
	}
	if len(res.Findings) != 0 || res.Summary.Findings != 0 {
		t.Errorf("kept %d findings, counted %d", len(res.Findings), res.Summary.Findings)
	}
}
