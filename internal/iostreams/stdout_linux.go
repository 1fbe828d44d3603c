package iostreams

import (
	"os"
	"syscall"
)

// replacedByRuntime reports whether f is the /dev/null, opened read-write,
// that the Go runtime puts in place of a standard descriptor that was
// closed when the process started. A shell's `> /dev/null` opens it
// write-only.
func replacedByRuntime(f *os.File) bool {
	var st, null syscall.Stat_t
	if syscall.Fstat(int(f.Fd()), &st) != nil || syscall.Stat(os.DevNull, &null) != nil {
		return false
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFCHR || st.Rdev != null.Rdev {
		return false
	}
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_GETFL, 0)
	return errno == 0 && flags&syscall.O_ACCMODE == syscall.O_RDWR
}
