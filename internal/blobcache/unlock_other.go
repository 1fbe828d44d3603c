//go:build !unix

package blobcache

import "os"

// releaseLock is a no-op where bbolt locks through the handle, which
// closing releases.
func releaseLock(*os.File) {}
