//go:build !unix

package trust

// openFlags adds nothing where there is no O_NONBLOCK; the kind of the
// file is checked before it is opened.
const openFlags = 0
