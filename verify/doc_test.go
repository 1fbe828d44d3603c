package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocNamesEveryRuleAndHost keeps docs/verification.md, which says what
// is sent where, in step with the verifiers.
func TestDocNamesEveryRuleAndHost(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "verification.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, s := range specs {
		for _, r := range s.rules {
			if !strings.Contains(doc, "`"+r+"`") {
				t.Errorf("docs/verification.md does not name rule %s", r)
			}
		}
		for _, h := range s.hosts {
			if !strings.Contains(doc, "https://"+h+"/") {
				t.Errorf("docs/verification.md does not name host %s", h)
			}
		}
	}
}
