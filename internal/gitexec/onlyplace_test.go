package gitexec

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryGitCommandGoesThroughGitexec (issue 15, item 6): no product
// code outside this package starts git itself, so every git command gets
// the checks and overrides. Test helpers (gitexectest, gittest) may.
func TestEveryGitCommandGoesThroughGitexec(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	direct := regexp.MustCompile(`exec\.Command(Context)?\([^)]*"git"|syscall\.Exec\(|os\.StartProcess\(`)
	allowed := []string{
		filepath.Join("internal", "gitexec") + string(filepath.Separator),
		filepath.Join("internal", "gittest") + string(filepath.Separator),
		"testdata" + string(filepath.Separator),
	}
	checked := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		for _, a := range allowed {
			if strings.HasPrefix(rel, a) || strings.Contains(rel, string(filepath.Separator)+a) {
				return nil
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		if loc := direct.FindIndex(data); loc != nil {
			t.Errorf("%s runs a program itself (%q): run git through internal/gitexec", rel, data[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d files checked: the walk did not find the module", checked)
	}
}
