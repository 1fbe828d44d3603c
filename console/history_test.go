package console

import (
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/scanner/history"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	var p history.Progress
	p.Phase.Store(history.PhaseBlobs)
	p.BlobsTotal.Store(100)
	p.Blobs.Store(25)
	p.Bytes.Store(3 << 20)
	p.Findings.Store(2)
	got := ProgressLine(&p, 20*time.Second, 10*time.Second)
	for _, want := range []string{"25/100 objects", "3.0 MiB", "2 findings", "20s", "about 30s left"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
