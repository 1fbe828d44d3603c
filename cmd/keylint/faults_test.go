package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keylint/keylint/internal/outfile"
)

// TestWriteFileAtomic: a report is written completely or not at all.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "report.json")
	if err := os.WriteFile(name, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	diskFull := errors.New("no space left on device")
	err := outfile.Write(context.Background(), name, func(w io.Writer) error {
		_, _ = w.Write([]byte("half a rep"))
		return diskFull
	})
	if !errors.Is(err, diskFull) {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(name); string(data) != "previous" {
		t.Fatalf("a failed write changed the file: %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary file left behind: %v", entries)
	}
	if err := outfile.Write(context.Background(), name, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(name)
	if data, _ := os.ReadFile(name); string(data) != "new" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("content %q mode %v", data, fi.Mode().Perm())
	}
	if err := outfile.Write(context.Background(), filepath.Join(dir, "missing", "r.json"), func(io.Writer) error { return nil }); err == nil {
		t.Fatal("writing into a missing directory must fail")
	}
}

type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, syscall.EPIPE }

// TestBrokenPipe: `keylint scan | head` exits quietly with the findings code.
func TestBrokenPipe(t *testing.T) {
	tok := ghToken(t)
	var errb bytes.Buffer
	code := run(context.Background(), []string{"scan", "--no-config", "-"}, strings.NewReader("t="+tok), brokenPipe{}, &errb)
	if code != 1 || strings.Contains(errb.String(), "error") {
		t.Fatalf("code %d stderr %q", code, errb.String())
	}
}
