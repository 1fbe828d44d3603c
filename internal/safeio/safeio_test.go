//go:build unix

package safeio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadFile reads what is a regular file within the limit and refuses,
// at once, everything else: a FIFO nothing writes to (a plain open would
// block), a directory, a character device, a file over the limit.
func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("cannot make a FIFO here:", err)
	}
	link := filepath.Join(dir, "link-to-fifo")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		max        int64
		want       string
		err        error
		kind       string
	}{
		{name: "regular", path: small, max: 6, want: "hello\n"},
		{name: "any size", path: small, max: -1, want: "hello\n"},
		{name: "over the limit", path: small, max: 5, err: ErrTooLarge},
		{name: "FIFO", path: fifo, max: 10, err: ErrNotRegular, kind: "a FIFO"},
		{name: "link to a FIFO", path: link, max: 10, err: ErrNotRegular, kind: "a FIFO"},
		{name: "directory", path: dir, max: 10, err: ErrNotRegular, kind: "a directory"},
		{name: "character device", path: "/dev/zero", max: 10, err: ErrNotRegular, kind: "a character device"},
		{name: "missing", path: filepath.Join(dir, "none"), max: 10, err: fs.ErrNotExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadFile(tc.path, tc.max)
			if tc.err == nil {
				if err != nil || string(got) != tc.want {
					t.Fatalf("ReadFile = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("ReadFile err = %v, want %v", err, tc.err)
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != tc.path {
				t.Errorf("err %v does not name the path", err)
			}
			if tc.kind != "" && !strings.Contains(err.Error(), "("+tc.kind+")") {
				t.Errorf("err %q does not say it is %s", err, tc.kind)
			}
		})
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode fs.FileMode
		want string
	}{
		{0, "a regular file"},
		{fs.ModeDir, "a directory"},
		{fs.ModeNamedPipe, "a FIFO"},
		{fs.ModeDevice | fs.ModeCharDevice, "a character device"},
		{fs.ModeDevice, "a block device"},
		{fs.ModeSocket, "a socket"},
		{fs.ModeSymlink, "a symbolic link"},
		{fs.ModeIrregular, "not a regular file (?---------)"},
	} {
		if got := Kind(tc.mode); got != tc.want {
			t.Errorf("Kind(%v) = %q, want %q", tc.mode, got, tc.want)
		}
	}
}
