package iostreams

import (
	"bytes"
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
)

// failing is a writer that fails every write with err.
type failing struct{ err error }

func (f failing) Write([]byte) (int, error) { return 0, f.err }

// TestStdout: a reader that went away makes writes vanish quietly; any
// other failure is kept and every later write fails.
func TestStdout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		w       io.Writer
		wantErr error // from Err after two writes
		n       int   // bytes the first write reports
	}{
		{"buffer", &bytes.Buffer{}, nil, 3},
		{"EPIPE", failing{syscall.EPIPE}, nil, 3},
		{"closed pipe", failing{io.ErrClosedPipe}, nil, 3},
		{"full disk", failing{syscall.ENOSPC}, syscall.ENOSPC, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStdout(tc.w)
			if NewStdout(s) != s {
				t.Fatal("NewStdout wraps twice")
			}
			n, _ := s.Write([]byte("abc"))
			_, err2 := s.Write([]byte("d"))
			if n != tc.n || !errors.Is(s.Err(), tc.wantErr) || (tc.wantErr == nil) != (s.Err() == nil) {
				t.Fatalf("n %d, Err %v; want %d, %v", n, s.Err(), tc.n, tc.wantErr)
			}
			if tc.wantErr != nil && !errors.Is(err2, tc.wantErr) {
				t.Errorf("second write: %v, want %v", err2, tc.wantErr)
			}
		})
	}
}

// TestIsTerminal: a test buffer is a terminal when it says so, through
// Stdout too; a file that is not a terminal is not.
func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		name string
		w    io.Writer
		want bool
	}{
		{"terminal buffer", &Buffer{Terminal: true}, true},
		{"plain buffer", &Buffer{}, false},
		{"bytes.Buffer", &bytes.Buffer{}, false},
		{"stdout over a terminal buffer", NewStdout(&Buffer{Terminal: true}), true},
		{"regular file", f, false},
	} {
		if got := IsTerminal(tc.w); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	ios, _, out, _ := Test(map[string]string{"NO_COLOR": "1"})
	out.Terminal = true
	if !IsTerminal(ios.Out) || IsTerminal(ios.ErrOut) || ios.Getenv("NO_COLOR") != "1" || ios.Getenv("HOME") != "" {
		t.Error("Test streams do not behave as set")
	}
}
