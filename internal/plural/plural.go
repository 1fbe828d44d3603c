// Package plural picks the singular or the plural of an English phrase for
// a count, for keylint's messages.
package plural

import "strconv"

// Of returns one when n is 1, else many: plural.Of(n, "file was", "files
// were").
func Of(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count returns n followed by the singular or the plural: "1 file",
// "3 files".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Of(n, one, many)
}
