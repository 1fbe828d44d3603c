package verify

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/blobcache"
	"github.com/keylint/keylint/scanner"
)

// TestPersistentCache: with the --cache directory's results store, a
// second run (a new verifier, the store opened again) makes no request; an
// expired entry is asked again; a transient answer is not stored; and the
// file holds no secret.
func TestPersistentCache(t *testing.T) {
	f := newFake(t)
	answer := ok(`{"username":"ada"}`)
	f.answer = func(*http.Request) (reply, bool) { return answer, true }
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := t.TempDir()
	secret := rnd(t)
	run := func() scanner.Verification {
		t.Helper()
		c, err := OpenStore(dir, time.Hour, blobcache.Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		fs := []scanner.Finding{{RuleID: "npm-access-token", Secret: secret, Fingerprint: "fp-npm"}}
		newTestVerifier(f, Options{Cache: c, Now: clock}).Verify(context.Background(), fs)
		if err := c.Err(); err != nil {
			t.Fatal(err)
		}
		return *fs[0].Verification
	}
	steps := []struct {
		name     string
		after    time.Duration
		answer   reply
		requests int
		status   scanner.VerifyStatus
	}{
		{"first run asks", 0, ok(`{"username":"ada"}`), 1, scanner.Live},
		{"second run is served from the file", 30 * time.Minute, st(500, ""), 1, scanner.Live},
		{"expired: asked again, server error not stored", 2 * time.Hour, st(500, ""), 2, scanner.Unknown},
		{"so it is asked again", 0, ok(`{"username":"ada"}`), 3, scanner.Live},
		{"and then served", 0, st(500, ""), 3, scanner.Live},
	}
	for _, s := range steps {
		now = now.Add(s.after)
		answer = s.answer
		got := run()
		if n := len(f.requests()); n != s.requests || got.Status != s.status {
			t.Fatalf("%s: %d requests, status %s; want %d, %s (%+v)", s.name, n, got.Status, s.requests, s.status, got)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(secret)) {
		t.Error("the results file holds the secret")
	}
	if !bytes.Contains(b, []byte(`"status":"live"`)) {
		t.Error("the results file does not hold the result (the test would prove nothing)")
	}
}
