package merge

import (
	"os"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/report"
)

// Read reads the json reports at paths for keylint merge, each at most
// maxSize bytes. A report written with --show-secrets is refused unless
// secretsShown says the merged report shows them too. Its errors are
// usage errors that say what to give instead.
func Read(paths []string, maxSize int64, secretsShown bool) ([]Input, error) {
	var in []Input
	for _, p := range paths {
		doc, err := readReport(p, maxSize)
		if err != nil {
			return nil, err
		}
		if doc.SecretsShown && !secretsShown {
			return nil, clierr.Usagef("pass --show-secrets to merge it (the merged report then shows them too), or re-run that shard without --show-secrets",
				"%s holds whole secrets (it was written with --show-secrets)", p)
		}
		in = append(in, Input{Name: p, Doc: doc})
	}
	return in, nil
}

// readReport reads one json report.
func readReport(path string, maxSize int64) (*report.Document, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, clierr.Usagef("give keylint json reports (--format json)", "%v", err)
	}
	defer fh.Close()
	doc, err := report.ReadJSON(fh, path, maxSize)
	if err != nil {
		return nil, clierr.Usagef("give keylint json reports (--format json); every shard's report whole", "%v", err)
	}
	return doc, nil
}
