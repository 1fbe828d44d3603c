package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// coverageDoc is the generated list of providers the built-in rules cover.
var coverageDoc = filepath.Join("..", "docs", "coverage.md")

// TestCoverageDocFresh: docs/coverage.md lists every provider of the
// built-in rules with its rule ids, and is regenerated with
// `go test ./rules -run TestCoverageDocFresh -update`.
func TestCoverageDocFresh(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	byProvider := map[string][]string{}
	for _, r := range rs.Rules() {
		p := r.Provider
		if p == "" {
			p = "(no provider)"
		}
		byProvider[p] = append(byProvider[p], r.ID)
	}
	providers := make([]string, 0, len(byProvider))
	for p := range byProvider {
		providers = append(providers, p)
	}
	sort.Slice(providers, func(i, j int) bool {
		a, b := strings.ToLower(providers[i]), strings.ToLower(providers[j])
		if a != b {
			return a < b
		}
		return providers[i] < providers[j]
	})
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Coverage\n\nThe %d built-in rules and the %d providers whose keys they find, generated from\n`rules/default.toml` by `go test ./rules -run TestCoverageDocFresh -update` (the\ntest fails when this file is stale). `keylint rules show ID` prints a rule.\n\n", len(rs.Rules()), len(providers))
	b.WriteString("| provider | rules |\n|---|---|\n")
	for _, p := range providers {
		ids := byProvider[p]
		sort.Strings(ids)
		fmt.Fprintf(&b, "| %s | %s |\n", strings.ReplaceAll(p, "|", `\|`), "`"+strings.Join(ids, "`, `")+"`")
	}
	if *updateGenerated {
		if err := os.WriteFile(coverageDoc, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(coverageDoc)
	if err != nil || !bytes.Equal(have, b.Bytes()) {
		t.Fatalf("%s is out of date with %s: run\n\tgo test ./rules -run TestCoverageDocFresh -update", coverageDoc, DefaultFile)
	}
}
