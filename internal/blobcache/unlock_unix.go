//go:build unix

package blobcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// releaseLock drops bbolt's flock on f. Closing f alone is not enough when
// bbolt panicked after mapping the file: the mapping keeps the open file,
// and with it the lock, alive.
func releaseLock(f *os.File) {
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
}
