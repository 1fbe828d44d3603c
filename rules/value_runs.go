package rules

// Runs in long machine-made values: a Salesforce access token begins with
// its organisation id (00D, then zeros), a key may hold six equal
// characters by chance; neither makes it a placeholder.

// minIncidentalRun is the shortest value in which a run of repeated or
// sequential characters can be incidental: below it, "abcdef" or "000000"
// is most of what a value says.
const minIncidentalRun = 32

// placeholderRun reports whether s has a run of six or more repeated or
// sequential alphanumerics that makes it a placeholder (1234567890abcdef,
// xxxxxxxx, abcdefghijklmnopqrstuvwx): any such run in a value shorter
// than minIncidentalRun, or runs that make up a quarter of a longer one.
// A long value whose runs are a small part of it (00Dxx0000001gPL!AR8AQ…,
// the rest random) is not one.
func placeholderRun(s string) bool {
	if !hasRun(s, 6) {
		return false
	}
	if len(s) < minIncidentalRun {
		return true
	}
	return runsCover(s, 6)*4 >= len(s)
}

// runsCover is the number of bytes of s that lie in runs of n or more
// consecutive alphanumerics, each the same as the last or one more or one
// less (see [hasRun]).
func runsCover(s string, n int) int {
	total := 0
	// Each kind of run is measured on its own and the longest kind wins
	// at every position, so "abcdefff" counts its sequence and its
	// repetition once each.
	for _, step := range []int{0, 1, -1} {
		start := 0
		for i := 1; i <= len(s); i++ {
			if i < len(s) && isAlnum(s[i-1]) && isAlnum(s[i]) && int(s[i])-int(s[i-1]) == step {
				continue
			}
			if i-start >= n {
				total += i - start
			}
			start = i
		}
	}
	return min(total, len(s))
}
