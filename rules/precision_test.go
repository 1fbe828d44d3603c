package rules_test

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/rules"
)

// TestPrecisionCleanFiles scans ordinary files that hold no secrets (lock
// files, minified JavaScript, base64 images, UUIDs, hashes, i18n strings,
// code that reads credentials from the environment, docs and test fixtures
// with placeholders, Kubernetes manifests that name secrets) with every
// default rule, and expects nothing.
//
// Files are scanned under their path relative to testdata/clean, as
// they would sit in a repository, so a global testdata/ allowlist does not
// hide anything. A failure names the rule, the file, the line and the
// offsets, never the line itself.
func TestPrecisionCleanFiles(t *testing.T) {
	t.Parallel()
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	files := testdataFiles(t, "clean")
	// Generated inputs: a 50 KB production-style bundle, and synthetic
	// web and configuration files without planted credentials.
	files["web/static/js/main.3f2a1b9c.chunk.js"] = corpus.MinifiedJS(1, 50<<10)
	files["generated/mixed.txt"] = corpus.Mixed(2, 256<<10, 0)

	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		data := files[path]
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			var st rules.Stats
			for _, mt := range find(t, m, path, data, &st) {
				line := bytes.Count(data[:mt.SecretStart], []byte("\n")) + 1
				t.Errorf("rule %q matched %s:%d at bytes %d-%d (secret %d-%d, %d bytes, entropy %.2f)",
					mt.Rule.ID, path, line, mt.Start, mt.End, mt.SecretStart, mt.SecretEnd, mt.SecretEnd-mt.SecretStart, mt.Entropy)
			}
			if testing.Verbose() && len(st.Rejected) > 0 {
				t.Logf("rejected candidates: %v", st.Rejected)
			}
		})
	}
}

// TestPrecisionPlantedSecrets is the counterpart: the same generator with
// planted fake credentials must produce findings, so the clean result above
// is not an accident of a matcher that finds nothing.
func TestPrecisionPlantedSecrets(t *testing.T) {
	t.Parallel()
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	data := corpus.Mixed(2, 128<<10, 8<<10)
	ms := find(t, m, "generated/mixed.txt", data, nil)
	byRule := map[string]int{}
	for _, mt := range ms {
		byRule[mt.Rule.ID]++
	}
	if len(ms) < 4 {
		t.Errorf("found %d matches (%v) in text with about 16 planted credentials", len(ms), byRule)
	}
	t.Log(fmt.Sprint(byRule))
}
