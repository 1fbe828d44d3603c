package repolist

import (
	"os"

	"github.com/keylint/keylint/internal/clierr"
)

// Resolve returns the repositories of a run: args, plus the paths listed
// in the file named file (when not ""), distinct and sorted, narrowed to
// the shard spec (when not "", see [ParseShard]; getenv reads its
// environment). A file that cannot be read, a bad shard or an empty list
// is a usage error that says what to give instead.
func Resolve(args []string, file, shard string, getenv func(string) string) ([]string, error) {
	list := append([]string(nil), args...)
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, clierr.Usagef("give a file with one repository path per line: --repos repos.txt", "--repos: %v", err)
		}
		defer f.Close()
		more, err := Parse(f, file)
		if err != nil {
			return nil, clierr.Usagef("give a file with one repository path per line: --repos repos.txt", "--repos: %v", err)
		}
		list = append(list, more...)
	}
	var s Shard
	if shard != "" {
		var err error
		if s, err = ParseShard(shard, getenv); err != nil {
			return nil, clierr.Usagef("for example --shard 3/20, or --shard auto/20 in a Kubernetes Indexed Job", "--shard: %v", err)
		}
	}
	if len(list) == 0 {
		return nil, clierr.Usagef("list repositories in the --repos file or as arguments", "no repository to scan")
	}
	return Select(list, s), nil
}
