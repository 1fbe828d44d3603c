package history

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/scanner"
)

// engineLoc is a finding's location as both commit-range engines report
// it.
type engineLoc struct {
	rule, fingerprint, commit, path string
	line                            int
}

func (l engineLoc) String() string {
	return fmt.Sprintf("%s %s %s %s:%d", l.rule, l.fingerprint[:8], l.commit[:8], l.path, l.line)
}

// firstAppearances reduces findings to each secret's first appearance: the
// locations of the secret in the earliest commit (in topological order)
// that has one.
func firstAppearances(t *testing.T, fs []scanner.Finding, topo map[string]int) map[string][]engineLoc {
	t.Helper()
	out := map[string][]engineLoc{}
	for _, f := range fs {
		k := f.RuleID + " " + f.Fingerprint
		first := -1
		for _, l := range f.Locations {
			n, ok := topo[l.Commit]
			if !ok {
				t.Fatalf("%s: location %s:%d has no commit of the range (%q)", k, l.Path, l.Line, l.Commit)
			}
			if first < 0 || n < first {
				first = n
			}
		}
		for _, l := range f.Locations {
			if topo[l.Commit] == first {
				out[k] = append(out[k], engineLoc{f.RuleID, f.Fingerprint, l.Commit, l.Path, l.Line})
			}
		}
		slices.SortFunc(out[k], func(a, b engineLoc) int { return strings.Compare(a.String(), b.String()) })
	}
	return out
}

// TestCommitEnginesAgree is the differential test of the two engines that
// scan the commits of a range (see docs/architecture.md): keylint git
// (Scan, which reads each blob once from the object database) and keylint
// ci and the pre-push hook ([scanner.Commits], which reads the lines each
// commit adds through git diff-tree). On a generated history of hundreds
// of commits with merges, renames, deletions, edits that move lines, and
// secrets planted and removed, both must find the same secrets, and agree
// on where each first appeared: rule, fingerprint, commit, path and line.
//
// Later appearances differ by design: the history scan reports each path a
// secret reached (a rename or copy is a new path), the commit engine each
// commit that adds the line again (a line moved or restored).
func TestCommitEnginesAgree(t *testing.T) {
	t.Parallel()
	r, st := gittest.Generated(t, gittest.GenOptions{
		Bytes: 5 << 19, Seed: 11, FilesPerCommit: 2, MaxFile: 16 << 10, Plant: histPlant, Loose: 5,
	})
	dir := r.Dir
	heads := strings.Fields(r.Git("for-each-ref", "--format=%(objectname)", "refs/heads"))
	topo := map[string]int{}
	for i, c := range strings.Fields(r.Git(append([]string{"rev-list", "--topo-order", "--reverse"}, heads...)...)) {
		topo[c] = i
	}
	if len(topo) != st.Commits || st.Commits < 150 {
		t.Fatalf("%d commits in the branches, %d generated", len(topo), st.Commits)
	}
	if merges := r.Git(append([]string{"rev-list", "--merges", "--count"}, heads...)...); merges == "0" {
		t.Fatal("the history has no merge")
	}
	m := histDiffRules(t)

	hist, err := Scan(context.Background(), scanner.New(m, scanner.Options{Workers: 2}), Options{Repo: dir, Branches: heads})
	if err != nil {
		t.Fatal(err)
	}
	commits, err := scanner.New(m, scanner.Options{Workers: 2}).Scan(context.Background(),
		&scanner.Commits{Dir: dir, Env: r.HermeticEnv(), Include: heads})
	if err != nil {
		t.Fatal(err)
	}
	want := firstAppearances(t, hist.Findings, topo)
	got := firstAppearances(t, commits.Findings, topo)
	planted := 0
	for k := range want {
		if strings.HasPrefix(k, "hist-token ") || strings.HasPrefix(k, "github-classic-pat ") {
			planted++
		}
	}
	if planted < 40 || historyOnly(hist.Findings) == 0 {
		t.Errorf("%d planted secrets, %d no longer in HEAD: want many, some removed", planted, historyOnly(hist.Findings))
	}
	for k, w := range want {
		if g := got[k]; !slices.Equal(g, w) {
			t.Errorf("first appearance of %s:\n history %v\n commits %v", k, w, g)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("only the commit engine finds %s: %v", k, g)
		}
	}
	t.Logf("%d commits, %d secrets (%d planted); %d and %d locations in all", st.Commits, len(want), planted,
		countLocs(hist.Findings), countLocs(commits.Findings))
}

func countLocs(fs []scanner.Finding) int {
	n := 0
	for _, f := range fs {
		n += len(f.Locations)
	}
	return n
}

// TestCommitEnginesDifferByDesign shows, on a small history, where the two
// engines' later appearances part: a rename is a new path to the history
// scan and adds no line for the commit engine; a line removed and
// restored is added again for the commit engine and is the same blob path
// pair for the history scan. The first appearances still agree, merges
// included.
func TestCommitEnginesDifferByDesign(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	k1, k2, k3 := histToken(t), histToken(t), histToken(t)
	c1 := r.Commit("base")
	r.Write("a.txt", "one\nk = "+k1+"\n")
	c2 := r.Commit("add k1")
	r.Git("mv", "a.txt", "b.txt")
	c3 := r.Commit("rename")
	r.Write("b.txt", "one\n")
	r.Write("c.txt", "k = "+k2+"\n")
	c4 := r.Commit("remove k1, add k2")
	r.Write("b.txt", "one\nk = "+k1+"\n")
	c5 := r.Commit("restore k1")
	r.Git("checkout", "-q", "-b", "side", c4)
	r.Write("d.txt", "k = "+k3+"\n")
	c6 := r.Commit("add k3 on a branch")
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	c7 := r.Tick()
	topo := map[string]int{c1: 0, c2: 1, c3: 2, c4: 3, c5: 4, c6: 5, c7: 6}

	sc := histScanner(t, scanner.Options{ShowSecrets: true})
	hist, err := Scan(context.Background(), sc, Options{Repo: r.Dir, Range: c1 + ".." + c7})
	if err != nil {
		t.Fatal(err)
	}
	commits, err := sc.Scan(context.Background(), &scanner.Commits{Dir: r.Dir, Env: r.HermeticEnv(), Include: []string{c7}, Exclude: []string{c1}})
	if err != nil {
		t.Fatal(err)
	}
	if h, c := firstAppearances(t, hist.Findings, topo), firstAppearances(t, commits.Findings, topo); len(h) != 3 || fmt.Sprint(h) != fmt.Sprint(c) {
		t.Errorf("first appearances differ:\n history %v\n commits %v", h, c)
	}
	all := func(fs []scanner.Finding, secret string) []string {
		var out []string
		for _, f := range fs {
			for _, l := range f.Locations {
				if f.Secret == secret {
					out = append(out, l.Commit[:7]+" "+l.Path)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	short := func(c, p string) string { return c[:7] + " " + p }
	if got, want := all(hist.Findings, k1), sorted(short(c2, "a.txt"), short(c3, "b.txt")); !slices.Equal(got, want) {
		t.Errorf("history scan: k1 at %v, want %v (each path it reached)", got, want)
	}
	if got, want := all(commits.Findings, k1), sorted(short(c2, "a.txt"), short(c5, "b.txt")); !slices.Equal(got, want) {
		t.Errorf("commit engine: k1 at %v, want %v (each commit adding it)", got, want)
	}
}
