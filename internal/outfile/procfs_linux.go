package outfile

import "syscall"

// procSuperMagic is procfs's file system type (statfs(2)).
const procSuperMagic = 0x9fa0

// onProcFS reports whether dir is on procfs, whose links (/proc/self/fd/1)
// stand for open descriptors.
func onProcFS(dir string) bool {
	var st syscall.Statfs_t
	return syscall.Statfs(dir, &st) == nil && st.Type == procSuperMagic
}
