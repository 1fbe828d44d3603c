package repolist

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		err      string
	}{
		{"empty", "", nil, ""},
		{"paths", "a\nb/c\n", []string{"a", "b/c"}, ""},
		{"no final newline", "a\nb", []string{"a", "b"}, ""},
		{"comments and blanks", "# org repos\n\n  a  \n\t# indented comment\n\r\nb\r\n", []string{"a", "b"}, ""},
		{"hash inside a path", "dir/#weird\n", []string{"dir/#weird"}, ""},
		{"spaces inside a path", "my repos/a b\n", []string{"my repos/a b"}, ""},
		{"duplicates kept (Select drops them)", "a\na\n", []string{"a", "a"}, ""},
		{"NUL", "a\nb\x00c\n", nil, "list:2: NUL byte"},
		{"not UTF-8", "\xff\xfe\n", nil, "list:1: not UTF-8"},
		{"line too long", "a\n" + strings.Repeat("x", MaxLine+10) + "\n", nil, "list:2: line longer than"},
		{"long line at the end", strings.Repeat("x", MaxLine+10), nil, "list:1: line longer than"},
		{"longest line", strings.Repeat("x", MaxLine) + "\r\n", []string{strings.Repeat("x", MaxLine)}, ""},
		{"one byte over", strings.Repeat("x", MaxLine+1) + "\n", nil, "list:1: line longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.in), "list")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseShard(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == IndexEnv {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		spec, index string
		want        Shard
		err         string
	}{
		{"1/1", "", Shard{1, 1}, ""},
		{"3/20", "", Shard{3, 20}, ""},
		{" 20/20 ", "", Shard{20, 20}, ""},
		{"auto/20", "0", Shard{1, 20}, ""},
		{"auto/20", "19", Shard{20, 20}, ""},
		{"auto/20", "20", Shard{}, "not an index from 0 to 19"},
		{"auto/20", "", Shard{}, "JOB_COMPLETION_INDEX is not set"},
		{"auto/20", "x", Shard{}, "not an index"},
		{"0/3", "", Shard{}, "shards count from 1"},
		{"4/3", "", Shard{}, "from 1 to N (3)"},
		{"-1/3", "", Shard{}, "from 1 to N"},
		{"1/0", "", Shard{}, "N must be"},
		{"3", "", Shard{}, "write K/N"},
		{"a/b", "", Shard{}, "N must be"},
	}
	for _, tc := range tests {
		got, err := ParseShard(tc.spec, env(tc.index))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q (index %q): error %v, want %q", tc.spec, tc.index, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q (index %q): %v, %v; want %v", tc.spec, tc.index, got, err, tc.want)
		}
	}
}

// TestSelectCoversOnce checks, for many list sizes and shard counts, that
// the shards of a list cover each distinct repository exactly once, with
// counts that differ by at most one, and that the split does not depend on
// the list's order or duplicates.
func TestSelectCoversOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 2, 7, 20, 101, 1000} {
		for _, n := range []int{1, 2, 3, 7, 20, 50} {
			var list []string
			for i := range size {
				list = append(list, fmt.Sprintf("repos/r%04d", rng.IntN(size*3+1)+i*0))
			}
			distinct := Select(list, Shard{})
			shuffled := slices.Clone(list)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			shuffled = append(shuffled, list...) // duplicates
			seen := map[string]int{}
			minN, maxN := len(list)+1, -1
			for k := 1; k <= n; k++ {
				part := Select(list, Shard{k, n})
				if other := Select(shuffled, Shard{k, n}); !slices.Equal(part, other) {
					t.Fatalf("size %d, shard %d/%d depends on order: %q vs %q", size, k, n, part, other)
				}
				for _, r := range part {
					seen[r]++
				}
				minN, maxN = min(minN, len(part)), max(maxN, len(part))
			}
			for _, r := range distinct {
				if seen[r] != 1 {
					t.Fatalf("size %d, %d shards: %s in %d shards", size, n, r, seen[r])
				}
			}
			if len(seen) != len(distinct) {
				t.Fatalf("size %d, %d shards: %d repositories in shards, %d in the list", size, n, len(seen), len(distinct))
			}
			if maxN-minN > 1 {
				t.Fatalf("size %d, %d shards: shard sizes from %d to %d", size, n, minN, maxN)
			}
		}
	}
}
