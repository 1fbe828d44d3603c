package repolist

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(list, []byte("# org\nc\na\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("a\x00b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == IndexEnv {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name        string
		args        []string
		file, shard string
		index       string
		want        []string
		err, hint   string
	}{
		{name: "arguments", args: []string{"b", "a", "b"}, want: []string{"a", "b"}},
		{name: "file and arguments", args: []string{"b"}, file: list, want: []string{"a", "b", "c"}},
		{name: "shard", args: []string{"b"}, file: list, shard: "2/2", want: []string{"b"}},
		{name: "auto shard", args: []string{"a", "b", "c"}, shard: "auto/3", index: "2", want: []string{"c"}},
		{name: "missing file", file: filepath.Join(dir, "none.txt"), err: "--repos: ", hint: "one repository path per line"},
		{name: "bad file", file: bad, err: "NUL byte", hint: "one repository path per line"},
		{name: "bad shard", args: []string{"a"}, shard: "3/2", err: "--shard: ", hint: "--shard 3/20"},
		{name: "empty", err: "no repository to scan", hint: "--repos file or as arguments"},
		{name: "empty file", file: filepath.Join(dir, "empty.txt"), err: "--repos: ", hint: "one repository path per line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.args, tc.file, tc.shard, env(tc.index))
			if tc.err != "" {
				var u *clierr.UsageError
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &u) || !strings.Contains(clierr.Hint(err), tc.hint) {
					t.Fatalf("error %v (hint %q), want a usage error with %q and hint %q", err, clierr.Hint(err), tc.err, tc.hint)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("Resolve = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
