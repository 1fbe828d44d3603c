package enrich

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/keylint/keylint/internal/codeowners"
	"github.com/keylint/keylint/scanner"
	"github.com/keylint/keylint/verify"
)

func TestApplyWithoutVerify(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 12, 0, 0, 0, time.UTC) }
	fs := []scanner.Finding{
		{RuleID: "r", Locations: []scanner.Location{{Path: "cmd/a.go", Commit: "c2", Date: day(5)}, {Path: "docs/x.md", Commit: "c1", Date: day(3)}}},
		{RuleID: "s", Locations: []scanner.Location{{Path: "README"}}},
	}
	var stderr bytes.Buffer
	got := Apply(context.Background(), fs, Options{
		Owners: codeowners.Parse([]byte("* @all\n*.go @gophers\n/docs/ @writers\n")).Owners,
		Stderr: &stderr, Now: day(13),
	})
	if !got[0].ExposedSince.Equal(day(3)) || got[0].ExposureDays != 10 {
		t.Errorf("exposure %v %d", got[0].ExposedSince, got[0].ExposureDays)
	}
	if !got[1].ExposedSince.IsZero() {
		t.Error("a finding without history got an exposure date")
	}
	if !slices.Equal(got[0].Owners, []string{"@gophers", "@writers"}) || !slices.Equal(got[1].Owners, []string{"@all"}) {
		t.Errorf("owners %q %q", got[0].Owners, got[1].Owners)
	}
	if stderr.Len() != 0 || got[0].Verification != nil {
		t.Error("verification without --verify")
	}
}

func TestApplyVerifyNotice(t *testing.T) {
	var stderr bytes.Buffer
	v := verify.New(verify.Options{})
	// No finding has a verifier: no request is made, but the notice is
	// still written.
	fs := Apply(context.Background(), []scanner.Finding{{RuleID: "generic-password-assignment", Secret: "x"}}, Options{Verify: v, Stderr: &stderr, OnlyLive: true})
	if stderr.String() != Notice+"\n" {
		t.Errorf("stderr %q", stderr.String())
	}
	if len(fs) != 0 {
		t.Errorf("--only-live kept %d", len(fs))
	}
}

func TestOwnersInDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "CODEOWNERS"), []byte("* @root\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OwnersInDir(context.Background(), dir)
	if err != nil || !slices.Equal(f.Owners("x"), []string{"@root"}) {
		t.Fatalf("%v %v", f, err)
	}
	if f, err := OwnersInDir(context.Background(), t.TempDir()); f != nil || err != nil {
		t.Errorf("%v %v", f, err)
	}
}
