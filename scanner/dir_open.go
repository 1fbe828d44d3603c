package scanner

import (
	"fmt"
	"os"
)

// The parts of the directory walk that are the same on every system; the
// rest is in dir_unix.go (by descriptor) and dir_other.go (by path).

// close closes the directory; closing it twice, or a nil one, is a no-op.
func (d *walkDir) close() {
	if d != nil && d.f != nil {
		d.f.Close()
		d.f = nil
	}
}

// checkRegular returns f if it is a regular file, else closes it: a file
// replaced by a FIFO or a device after the listing is not read (a FIFO
// would block the scan forever).
func checkRegular(f *os.File) (*os.File, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("not a regular file any more (%s): it changed during the scan", fi.Mode().Type())
	}
	return f, nil
}
