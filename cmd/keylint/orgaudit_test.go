package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/internal/gittest"
	"github.com/keylint/keylint/internal/repolist"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/verify"
	"gopkg.in/yaml.v3"
)

// orgRepos builds, under one directory, repositories r0..r4: one key in
// r0, r2 and r3 (one finding with three locations), a key of its own in
// r1, r4 clean, and "broken", which is not a repository. It returns the
// directory and the keys.
func orgRepos(t *testing.T) (string, []string) {
	t.Helper()
	base := t.TempDir()
	shared, own := gitTestToken(t), gitTestToken(t)
	for i := range 5 {
		dir := filepath.Join(base, fmt.Sprintf("r%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		r := gittest.Open(t, dir)
		r.Git("init", "-q", "-b", "main", ".")
		r.Write("README.md", fmt.Sprintf("# service %d\n", i))
		r.Commit("start")
		switch i {
		case 0, 2, 3:
			r.Write("deploy/app.env", fmt.Sprintf("# service %d\nGH_TOKEN=%s\n", i, shared))
			r.Commit("deploy config")
		case 1:
			r.Write("ci.env", "TOKEN="+own+"\n")
			r.Commit("ci")
			r.Remove("ci.env")
			r.Commit("remove it")
		}
		r.Write("src/main.go", fmt.Sprintf("package main // %d\n", i))
		r.Commit("code")
	}
	write(t, filepath.Join(base, "broken", "README"), "not a repository\n")
	write(t, filepath.Join(base, "repos.txt"), "# the organisation\nr0\nr1\n\nr2\nr3\nr4\nbroken\n")
	return base, []string{shared, own}
}

// runEnv runs keylint in-process in dir with the environment vars.
func runEnv(t *testing.T, dir string, vars map[string]string, args ...string) result {
	t.Helper()
	return runTerminal(t, dir, vars, false, false, "", args...)
}

func TestOrgAuditOneRun(t *testing.T) {
	base, keys := orgRepos(t)
	r := runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--format", "json")
	if r.code != exitScanError {
		t.Fatalf("exit %d, want 3 (broken is not a repository)\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "broken: repository not scanned") || !strings.Contains(r.stderr, "5 of 6 repositories scanned") {
		t.Errorf("stderr does not name the unreadable repository:\n%s", r.stderr)
	}
	doc, err := report.ReadJSON(strings.NewReader(r.stdout), "stdout", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 2 || doc.RulesHash == "" || doc.KeylintVersion == "" {
		t.Fatalf("findings %d, rules hash %q, version %q\n%s", len(doc.Findings), doc.RulesHash, doc.KeylintVersion, r.stdout)
	}
	for _, f := range doc.Findings {
		var repos []string
		for _, l := range f.Locations {
			repos = append(repos, l.Repository)
		}
		switch got := strings.Join(repos, " "); {
		case f.InHead && got != "r0 r2 r3":
			t.Errorf("shared key: repositories %q, want r0 r2 r3", got)
		case !f.InHead && got != "r1":
			t.Errorf("own key: repositories %q, want r1", got)
		}
	}
	if strings.Contains(r.stdout, keys[0]) || strings.Contains(r.stdout, keys[1]) {
		t.Error("a whole secret in the report")
	}
	// Arguments and the list combine; a single repository keeps the report
	// it always had (no repository field).
	one := runEnv(t, base, nil, "git", "--no-config", "r1", "--format", "json")
	if one.code != 1 || strings.Contains(one.stdout, `"repository"`) {
		t.Errorf("single repository: exit %d, repository field present:\n%s", one.code, one.stdout)
	}
	two := runEnv(t, base, nil, "git", "--no-config", "r1", "r4", "--format", "csv")
	if two.code != 1 || !strings.Contains(two.stdout, ",repository,") || !strings.Contains(two.stdout, ",r1,") {
		t.Errorf("two repositories: exit %d\n%s", two.code, two.stdout)
	}
}

// runShard runs keylint as a process with an environment, as a CI job
// would.
func runShard(dir string, env []string, args ...string) ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	a, _ := json.Marshal(args)
	cmd := exec.Command(exe)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append(env, execEnv+"="+string(a), "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)...)
	return cmd.CombinedOutput()
}

// TestOrgAuditShardsMergeEqualOneRun is the local simulation of a CI
// matrix: N shard processes at once (sharing one blob cache, shard K from
// JOB_COMPLETION_INDEX as in a Kubernetes Indexed Job), then keylint
// merge, whose report is byte for byte the report of one run over the
// whole list, in every format.
func TestOrgAuditShardsMergeEqualOneRun(t *testing.T) {
	base, _ := orgRepos(t)
	const n = 3
	var wg sync.WaitGroup
	outs := make([][]byte, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = runShard(base, []string{"JOB_COMPLETION_INDEX=" + fmt.Sprint(i), "KEYLINT_CACHE=" + filepath.Join(base, "cache")},
				"git", "--no-config", "--repos", "repos.txt", "--shard", fmt.Sprintf("auto/%d", n),
				"--format", "json", "--output", fmt.Sprintf("shard-%d.json", i), "--exit-code", "0", "--quiet")
		}()
	}
	wg.Wait()
	var shards []string
	for i := range n {
		// Exit 3 for the shard holding "broken", 0 for the others.
		if errs[i] != nil && !strings.Contains(errs[i].Error(), "exit status 3") {
			t.Fatalf("shard %d: %v\n%s", i, errs[i], outs[i])
		}
		shards = append(shards, fmt.Sprintf("shard-%d.json", i))
	}
	for _, format := range report.Formats() {
		one := runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--format", format, "--quiet")
		merged := runEnv(t, base, nil, append([]string{"merge", "--no-config", "--format", format, "--quiet"}, shards...)...)
		if one.code != exitScanError || merged.code != 1 {
			t.Errorf("%s: exit %d for one run, %d for the merge (want 3, 1)\n%s\n%s", format, one.code, merged.code, one.stderr, merged.stderr)
		}
		if one.stdout != merged.stdout {
			t.Errorf("%s: the merged shards differ from one run:\n%s\n---- one run:\n%s", format, merged.stdout, one.stdout)
		}
		if one.stdout == "" {
			t.Errorf("%s: empty report", format)
		}
	}
}

func TestOrgAuditCache(t *testing.T) {
	base, _ := orgRepos(t)
	cache := filepath.Join(base, "cache")
	args := []string{"git", "--no-config", "--repos", "repos.txt", "--shard", "1/1", "--format", "json", "--cache", cache}
	cold := runEnv(t, base, nil, args...)
	warm := runEnv(t, base, map[string]string{cacheEnv: cache}, args[:len(args)-2]...) // the directory from KEYLINT_CACHE
	findings := func(out string) string {
		doc, err := report.ReadJSON(strings.NewReader(out), "report", 0)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc.Findings)
		return string(b)
	}
	if findings(cold.stdout) != findings(warm.stdout) {
		t.Errorf("warm findings differ from cold:\n%s\n%s", warm.stdout, cold.stdout)
	}
	if !strings.Contains(cold.stderr, "0 file versions known clean and not read") || !strings.Contains(warm.stderr, "known clean and not read, 0 added") {
		t.Errorf("cache notes:\ncold: %s\nwarm: %s", cold.stderr, warm.stderr)
	}
	st := runEnv(t, base, nil, "cache", "stats", "--cache", cache)
	if st.code != 0 || !strings.Contains(st.stdout, "generations: 1") {
		t.Errorf("cache stats: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	// Other settings: another generation; prune keeps the newest.
	runEnv(t, base, nil, "git", "--no-config", "r1", "--max-file-size", "1MiB", "--cache", cache)
	if st := runEnv(t, base, nil, "cache", "stats", "--cache", cache); !strings.Contains(st.stdout, "generations: 2") {
		t.Errorf("after other settings:\n%s", st.stdout)
	}
	pr := runEnv(t, base, nil, "cache", "prune", "--cache", cache, "--keep", "1")
	if pr.code != 0 || !strings.Contains(pr.stdout, "1 generations removed, 1 kept") {
		t.Errorf("prune: exit %d\n%s%s", pr.code, pr.stdout, pr.stderr)
	}
	if r := runEnv(t, base, nil, "cache", "stats"); r.code != exitUsage || !strings.Contains(r.stderr, "KEYLINT_CACHE") {
		t.Errorf("stats without a directory: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCacheVerifyStore: keylint cache stats shows the verification results
// file beside the blob cache (entries and how many are fresh), prune drops
// its expired entries, and prune --reset deletes it too.
func TestCacheVerifyStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	st, err := verify.OpenStore(dir, verify.DefaultTTL, blobcache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	st.Put("fp-fresh", scanner.Verification{Status: scanner.Live, CheckedAt: now.Add(-time.Hour)})
	st.Put("fp-expired", scanner.Verification{Status: scanner.Live, CheckedAt: now.Add(-verify.DefaultTTL - time.Hour)})
	if err := st.Err(); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"stats"}, "entries: 2 (1 fresh)"},
		{[]string{"prune"}, "verification results: 1 expired removed, 1 kept"},
		{[]string{"stats"}, "entries: 1 (1 fresh)"},
		{[]string{"prune", "--reset"}, "deleted"},
	}
	for _, s := range steps {
		r := runEnv(t, t.TempDir(), nil, append(append([]string{"cache"}, s.args...), "--cache", dir)...)
		if r.code != 0 || !strings.Contains(r.stdout, s.want) {
			t.Errorf("cache %q: exit %d, want %q in\n%s%s", s.args, r.code, s.want, r.stdout, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, verify.StoreFileName)); !os.IsNotExist(err) {
		t.Errorf("after prune --reset: %v", err)
	}
	if r := runEnv(t, t.TempDir(), nil, "cache", "stats", "--cache", dir); strings.Contains(r.stdout, "verification results") {
		t.Errorf("stats without a results file:\n%s", r.stdout)
	}
}

func TestMergeErrors(t *testing.T) {
	base, _ := orgRepos(t)
	run := func(args ...string) result { return runEnv(t, base, nil, args...) }
	run("git", "--no-config", "r0", "-f", "json", "-o", "a.json", "-q")
	run("git", "--no-config", "r1", "-f", "json", "-o", "b.json", "--max-file-size", "1MiB", "-q")
	run("git", "--no-config", "r1", "-f", "json", "-o", "shown.json", "--show-secrets", "-q")
	write(t, filepath.Join(base, "bad.json"), `{"findings": [], "summary": {}, "extra": 1}`)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"a.json", "b.json"}, exitUsage, "--allow-mixed-rules"},
		{[]string{"a.json", "b.json", "--allow-mixed-rules", "-q"}, 1, ""},
		{[]string{"a.json", "shown.json"}, exitUsage, "shown.json holds whole secrets"},
		{[]string{"bad.json"}, exitUsage, "bad.json: not a keylint json report"},
		{[]string{"missing.json"}, exitUsage, "missing.json"},
		{nil, exitUsage, "give the json reports"},
		{[]string{"a.json", "--exit-code", "7", "-q"}, 7, ""},
	}
	for _, tc := range tests {
		r := run(append([]string{"merge", "--no-config"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.err) {
			t.Errorf("merge %q: exit %d, want %d with %q\n%s", tc.args, r.code, tc.code, tc.err, r.stderr)
		}
	}
}

// recipeCommands returns the keylint command lines of a shell script:
// continuation lines joined, each keylint invocation (by any path) cut at
// the next shell operator.
func recipeCommands(script string) [][]string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		words := shellWord.FindAllString(line, -1)
		for i, w := range words {
			if filepath.Base(strings.Trim(w, `"'`)) != "keylint" {
				continue
			}
			// Only where a command starts: not "cp …/keylint …".
			if i > 0 && !slices.Contains([]string{"||", "&&", ";", "|", "then", "do", "!", "("}, words[i-1]) {
				continue
			}
			var args []string
			for _, a := range words[i+1:] {
				if a == "||" || a == "&&" || a == ";" || a == "|" || strings.HasPrefix(a, ">") || a == "#" {
					break
				}
				args = append(args, strings.Trim(a, `"'`))
			}
			out = append(out, args)
			break
		}
	}
	return out
}

// TestOrgAuditRecipes parses the shipped recipes: every keylint command
// and flag in them exists, and the shards they configure cover every
// repository exactly once.
func TestOrgAuditRecipes(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "org-audit")
	var gha struct {
		Env  map[string]any `yaml:"env"`
		Jobs map[string]struct {
			Strategy struct {
				Matrix struct {
					Shard []int `yaml:"shard"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	decodeYAML(t, filepath.Join(dir, "github-actions.yml"), &gha)
	shards := fmt.Sprint(gha.Env["SHARDS"])
	var scripts []string
	for _, j := range gha.Jobs {
		for _, s := range j.Steps {
			scripts = append(scripts, s.Run)
		}
	}
	matrix := gha.Jobs["shard"].Strategy.Matrix.Shard
	var want []int
	for k := 1; k <= len(matrix); k++ {
		want = append(want, k)
	}
	if fmt.Sprint(matrix) != fmt.Sprint(want) || shards != fmt.Sprint(len(matrix)) {
		t.Fatalf("github-actions.yml: matrix %v with SHARDS=%s: the matrix must be 1..SHARDS", matrix, shards)
	}
	checkShards(t, "github-actions.yml", len(matrix), func(k int) string { return fmt.Sprintf("%d/%s", k, shards) }, nil)

	// The Kubernetes file holds several documents.
	data, err := os.ReadFile(filepath.Join(dir, "kubernetes-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	jobs := 0
	for _, d := range strings.Split(string(data), "\n---\n") {
		var k8s struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec struct {
				CompletionMode string `yaml:"completionMode"`
				Completions    int    `yaml:"completions"`
				Parallelism    int    `yaml:"parallelism"`
				Template       struct {
					Spec struct {
						InitContainers []k8sContainer `yaml:"initContainers"`
						Containers     []k8sContainer `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		decodeYAMLBytes(t, "kubernetes-job.yaml", []byte(d), &k8s)
		if k8s.Kind != "Job" {
			continue
		}
		jobs++
		for _, c := range append(k8s.Spec.Template.Spec.InitContainers, k8s.Spec.Template.Spec.Containers...) {
			scripts = append(scripts, c.Args...)
			if k8s.Spec.CompletionMode == "Indexed" {
				if c.env("SHARDS") != fmt.Sprint(k8s.Spec.Completions) || k8s.Spec.Parallelism < 1 {
					t.Errorf("%s: container %s has SHARDS=%q, completions %d", k8s.Metadata.Name, c.Name, c.env("SHARDS"), k8s.Spec.Completions)
				}
				checkShards(t, "kubernetes-job.yaml", k8s.Spec.Completions, func(int) string { return fmt.Sprintf("auto/%d", k8s.Spec.Completions) },
					func(k int) string { return fmt.Sprint(k - 1) })
			}
		}
	}
	if jobs != 2 {
		t.Errorf("kubernetes-job.yaml: %d Jobs, want the shards and the merge", jobs)
	}

	// Every keylint command line parses: --help after the flags parses
	// them all and runs nothing.
	seen := map[string]bool{}
	for _, s := range scripts {
		for _, args := range recipeCommands(s) {
			if len(args) == 0 {
				t.Errorf("a bare keylint command in %q", s)
				continue
			}
			seen[args[0]] = true
			r := runCLI(t, t.TempDir(), "", append(args, "--help")...)
			if r.code != 0 || r.stdout == "" {
				t.Errorf("keylint %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
			}
		}
	}
	for _, cmd := range []string{"git", "merge", "cache"} {
		if !seen[cmd] {
			t.Errorf("no keylint %s command found in the recipes (found %v): the extraction is broken", cmd, seen)
		}
	}
}

type k8sContainer struct {
	Name string   `yaml:"name"`
	Args []string `yaml:"args"`
	Env  []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
}

func (c k8sContainer) env(name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// checkShards checks, for lists of several sizes, that the n shards a
// recipe runs (shard(k) is the --shard value of job k, 1-based; index(k),
// when set, its JOB_COMPLETION_INDEX) cover every repository once.
func checkShards(t *testing.T, file string, n int, shard func(k int) string, index func(k int) string) {
	t.Helper()
	for _, size := range []int{0, 1, n - 1, n, n + 1, 10*n + 3} {
		var list []string
		for i := range size {
			list = append(list, fmt.Sprintf("repos/org/r%03d.git", (i*37)%max(size, 1)))
		}
		seen := map[string]int{}
		for k := 1; k <= n; k++ {
			getenv := func(string) string { return "" }
			if index != nil {
				getenv = func(v string) string {
					if v == repolist.IndexEnv {
						return index(k)
					}
					return ""
				}
			}
			s, err := repolist.ParseShard(shard(k), getenv)
			if err != nil {
				t.Fatalf("%s: job %d: %v", file, k, err)
			}
			for _, r := range repolist.Select(list, s) {
				seen[r]++
			}
		}
		for _, r := range list {
			if seen[r] != 1 {
				t.Errorf("%s: %d repositories: %s is in %d shards", file, size, r, seen[r])
			}
		}
	}
}

func decodeYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decodeYAMLBytes(t, filepath.Base(path), data, v)
}

func decodeYAMLBytes(t *testing.T, name string, data []byte, v any) {
	t.Helper()
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestOrgAuditOwners: in an audit of several repositories, each location's
// owners come from its own repository's CODEOWNERS (at HEAD); a finding in
// several has the union, in one run and in merged shards alike.
func TestOrgAuditOwners(t *testing.T) {
	base, _ := orgRepos(t)
	for repo, owner := range map[string]string{"r0": "@org/team-zero", "r3": "@org/team-three", "r1": "@org/team-one"} {
		r := gittest.Open(t, filepath.Join(base, repo))
		r.Write(".github/CODEOWNERS", "*.env "+owner+"\n")
		r.Commit("owners")
	}
	owners := func(out string) map[string][]string {
		t.Helper()
		doc, err := report.ReadJSON(strings.NewReader(out), "report", 0)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := map[string][]string{}
		for _, f := range doc.Findings {
			got[f.Locations[0].Path] = f.Owners
		}
		return got
	}
	one := runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "-f", "json", "-q")
	want := map[string][]string{"deploy/app.env": {"@org/team-three", "@org/team-zero"}, "ci.env": {"@org/team-one"}}
	if got := owners(one.stdout); !reflect.DeepEqual(got, want) {
		t.Errorf("one run: owners %v, want %v\n%s", got, want, one.stderr)
	}
	runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--shard", "1/2", "-f", "json", "-o", "s1.json", "-q")
	runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--shard", "2/2", "-f", "json", "-o", "s2.json", "-q")
	merged := runEnv(t, base, nil, "merge", "--no-config", "s1.json", "s2.json", "-f", "json", "-q")
	if got := owners(merged.stdout); !reflect.DeepEqual(got, want) {
		t.Errorf("merged shards: owners %v, want %v", got, want)
	}
}

// TestMergeBaseline: the baseline applies to the merged findings.
func TestMergeBaseline(t *testing.T) {
	base, _ := orgRepos(t)
	runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--shard", "1/2", "-f", "json", "-o", "s1.json", "-q")
	runEnv(t, base, nil, "git", "--no-config", "--repos", "repos.txt", "--shard", "2/2", "-f", "json", "-o", "s2.json", "-q")
	all := runEnv(t, base, nil, "merge", "--no-config", "s1.json", "s2.json", "-f", "json", "-q")
	doc, err := report.ReadJSON(strings.NewReader(all.stdout), "merged", 0)
	if err != nil || len(doc.Findings) != 2 {
		t.Fatalf("merged: %v\n%s", err, all.stdout)
	}
	var lines []string
	for _, f := range doc.Findings {
		if f.InHead { // the key in r0, r2 and r3
			lines = append(lines, f.Fingerprint+" "+f.RuleID+" deploy/app.env")
		}
	}
	write(t, filepath.Join(base, "baseline"), strings.Join(lines, "\n")+"\n")
	r := runEnv(t, base, nil, "merge", "--no-config", "s1.json", "s2.json", "--baseline", "baseline", "-f", "csv")
	if r.code != 1 || strings.Contains(r.stdout, "deploy/app.env") || !strings.Contains(r.stdout, "ci.env") {
		t.Errorf("with the baseline: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
