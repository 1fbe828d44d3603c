//go:build !unix

package safeio

// openFlags adds nothing where there is no O_NONBLOCK: [Open] checked the
// kind of the file before opening it.
const openFlags = 0
