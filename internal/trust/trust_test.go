package trust

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sized makes a file of n bytes (sparse: no disk space is used).
func sized(t *testing.T, path string, n int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestReadFile: trust files are regular files of at most MaxSize bytes;
// devices, FIFOs, directories and larger files are refused with an *Error
// before anything is read, whatever link leads to them.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ok.toml"), "disable = []\n")
	symlink(t, "ok.toml", filepath.Join(dir, "link.toml"))
	symlink(t, "/dev/zero", filepath.Join(dir, "zero.toml"))
	symlink(t, "/dev/urandom", filepath.Join(dir, "urandom.toml"))
	symlink(t, "zero.toml", filepath.Join(dir, "zero-twice.toml"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.toml"), 0o600); err != nil {
		t.Fatal(err)
	}
	symlink(t, "fifo.toml", filepath.Join(dir, "fifo-link.toml"))
	if err := os.Mkdir(filepath.Join(dir, "dir.toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	sized(t, filepath.Join(dir, "big.toml"), 17<<20)
	sized(t, filepath.Join(dir, "max.toml"), MaxSize)
	sized(t, filepath.Join(dir, "over.toml"), MaxSize+1)
	symlink(t, "nowhere", filepath.Join(dir, "dangling.toml"))

	for _, tc := range []struct {
		name string
		want error // nil: read
		size int
	}{
		{name: "ok.toml", size: 13},
		{name: "link.toml", size: 13},
		{name: "max.toml", size: MaxSize},
		{name: "/dev/zero", want: ErrNotRegular},
		{name: "/dev/urandom", want: ErrNotRegular},
		{name: "/dev/null", want: ErrNotRegular},
		{name: "zero.toml", want: ErrNotRegular},
		{name: "urandom.toml", want: ErrNotRegular},
		{name: "zero-twice.toml", want: ErrNotRegular},
		{name: "fifo.toml", want: ErrNotRegular},
		{name: "fifo-link.toml", want: ErrNotRegular},
		{name: "dir.toml", want: ErrNotRegular},
		{name: "big.toml", want: ErrTooLarge},
		{name: "over.toml", want: ErrTooLarge},
		{name: "missing.toml", want: fs.ErrNotExist},
		{name: "dangling.toml", want: fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.name
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			data, err := ReadFile(context.Background(), p)
			if tc.want == nil {
				if err != nil || len(data) != tc.size {
					t.Fatalf("read %d bytes, err %v; want %d bytes", len(data), err, tc.size)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var te *Error
			if tc.want != fs.ErrNotExist && (!errors.As(err, &te) || te.Hint == "" || !strings.Contains(err.Error(), p)) {
				t.Fatalf("err = %v: want an *Error naming the file, with a hint", err)
			}
		})
	}
}

// TestReadFileCancelled: a cancelled context stops the read, before it
// starts and between chunks.
func TestReadFileCancelled(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ok.toml")
	writeFile(t, p, "x = 1\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFile(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadFile: err = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r := &cancelling{cancel: cancel}
	if _, err := Read(ctx, "endless", r); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read: err = %v, want context.Canceled", err)
	}
	if r.reads > 1 {
		t.Fatalf("%d reads after the cancellation, want none", r.reads-1)
	}
}

// cancelling is an endless reader that cancels its context on first use.
type cancelling struct {
	cancel func()
	reads  int
}

func (c *cancelling) Read(p []byte) (int, error) {
	c.reads++
	c.cancel()
	return len(p), nil
}

// zeros is an endless reader, like /dev/zero behind a pipe.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestReadCapped: an endless stream is cut off just past MaxSize.
func TestReadCapped(t *testing.T) {
	z := &zeros{}
	_, err := Read(context.Background(), "stream", z)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if z.n > MaxSize+2*chunk {
		t.Fatalf("read %d bytes of an endless stream, want at most about %d", z.n, MaxSize)
	}
	data, err := Read(context.Background(), "short", io.LimitReader(&zeros{}, MaxSize))
	if err != nil || len(data) != MaxSize {
		t.Fatalf("exactly MaxSize bytes: %d, %v", len(data), err)
	}
}
