package codeowners

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkOwners looks up 1,000 paths in a 300-rule file, the shape of a
// large monorepo's CODEOWNERS.
func BenchmarkOwners(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("* @org/everyone\n")
	for i := range 100 {
		fmt.Fprintf(&sb, "/services/svc%d/ @org/team%d\n", i, i)
		fmt.Fprintf(&sb, "*.%d.go @org/lang%d\n", i, i)
		fmt.Fprintf(&sb, "docs/**/guide%d.md docs@example.com\n", i)
	}
	f := Parse([]byte(sb.String()))
	paths := make([]string, 1000)
	for i := range paths {
		paths[i] = fmt.Sprintf("services/svc%d/internal/pkg%d/file%d.go", i%150, i%7, i)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			f.Owners(p)
		}
	}
}
