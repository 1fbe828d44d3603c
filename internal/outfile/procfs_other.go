//go:build !linux

package outfile

// onProcFS reports whether dir is on Linux's procfs: never elsewhere.
func onProcFS(string) bool { return false }
