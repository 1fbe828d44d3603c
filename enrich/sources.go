package enrich

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/keylint/keylint/internal/codeowners"
	"github.com/keylint/keylint/internal/trust"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
)

// Source says where a command's findings are enriched from: the
// CODEOWNERS that names their owners, and the files verifiers may read.
type Source struct {
	// Dir is the repository (git, ci) or the scanned path (scan); "" for
	// none.
	Dir string
	// Rev is the commit CODEOWNERS is read from (HEAD, or a pull request's
	// base); "" for a scanned path, whose repository's HEAD is read when it
	// has one.
	Rev string
	// ReadFiles lets verifiers read the scanned files (a work-tree scan),
	// for the values a few providers need beside the key; ReadRev, when
	// set, reads them from that commit of Dir instead (history scans).
	ReadFiles bool
	ReadRev   string
}

// Result applies opt to res's findings as [Apply] does, recounts res when
// --only-live dropped some, and returns the number of live keys.
func Result(ctx context.Context, res *scanner.Result, opt Options) int {
	before := len(res.Findings)
	res.Findings = Apply(ctx, res.Findings, opt)
	if len(res.Findings) != before {
		res.Recount()
	}
	return Live(res.Findings)
}

// FileReader is how verifiers read the scanned files; nil when they may
// not.
func (s Source) FileReader(ctx context.Context) func(string) ([]byte, error) {
	switch {
	case s.ReadFiles:
		return func(p string) ([]byte, error) { return trust.ReadFile(ctx, p) }
	case s.ReadRev != "":
		tree := &trust.Tree{Dir: s.Dir, Rev: s.ReadRev}
		return func(p string) ([]byte, error) { return tree.Read(ctx, p) }
	}
	return nil
}

// Owners loads the CODEOWNERS src names and returns the owners of a
// finding's path; nil when there is none or it cannot be read (owners are
// information, never a reason to fail a scan: why is written to warn).
func Owners(ctx context.Context, src Source, warn io.Writer) func(string) []string {
	if src.Dir == "" {
		return nil
	}
	if src.Rev != "" {
		f, err := OwnersAt(ctx, src.Dir, src.Rev)
		if err != nil || f == nil {
			ownersWarning(ctx, warn, err)
			return nil
		}
		return f.Owners
	}
	// A scanned path: its repository's HEAD when it has one, else the
	// directory itself; finding paths are relative to the current
	// directory, CODEOWNERS patterns to the root.
	dir := src.Dir
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	root, err := trust.Root(ctx, dir)
	var f *codeowners.File
	if err == nil {
		f, err = OwnersAt(ctx, root, "HEAD")
	} else {
		root = dir
		f, err = OwnersInDir(ctx, root)
	}
	if err != nil || f == nil {
		ownersWarning(ctx, warn, err)
		return nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	return func(p string) []string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil
		}
		return f.Owners(filepath.ToSlash(rel))
	}
}

// ownersWarning says why CODEOWNERS was not read, unless the run was
// cancelled or the repository has no commit (and so no CODEOWNERS).
func ownersWarning(ctx context.Context, w io.Writer, err error) {
	if err == nil || ctx.Err() != nil || noHead(err) {
		return
	}
	fmt.Fprintf(w, "keylint: CODEOWNERS not read, findings have no owners: %s\n", report.Sanitize(err.Error()))
}

// noHead reports a repository without commits, which has no CODEOWNERS to
// read.
func noHead(err error) bool {
	return strings.Contains(err.Error(), "HEAD") && (strings.Contains(err.Error(), "unknown revision") || strings.Contains(err.Error(), "does not have any commits"))
}
