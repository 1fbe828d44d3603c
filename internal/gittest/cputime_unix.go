//go:build unix

package gittest

import (
	"syscall"
	"time"
)

// CPUTime returns the user plus system CPU time of this process so far,
// all threads together. Benchmarks report it because, on a loaded machine,
// it is a steadier measure of work than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
