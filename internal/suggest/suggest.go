// Package suggest finds the names closest to a mistyped one, for the
// "did you mean" of an unknown command, flag, subcommand or rule id.
package suggest

import (
	"sort"
	"strconv"
	"strings"
)

// Closest returns the candidates nearest to word, best first: those within
// a small edit distance, then those that contain word or that word
// contains. At most three.
func Closest(word string, cands []string) []string {
	type scored struct {
		s string
		d int
	}
	var hits []scored
	limit := max(1, min(3, len(word)/3))
	for _, c := range cands {
		d := editDistance(word, c)
		switch {
		case d <= limit:
		case strings.Contains(word, "-") && hasAllParts(c, word):
			d = 50 + abs(len(c)-len(word))
		case strings.Contains(word, "-") && hasNearParts(c, word):
			d = 75 + abs(len(c)-len(word))
		case len(word) >= 3 && (strings.Contains(c, word) || strings.Contains(word, c) && len(c) >= 3):
			d = 100 + abs(len(c)-len(word))
		default:
			continue
		}
		hits = append(hits, scored{c, d})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []string
	for i := 0; i < len(hits) && i < 3; i++ {
		out = append(out, hits[i].s)
	}
	return out
}

// hasNearParts reports whether every dash-separated part of word is a
// part of id or, for parts of four letters or more, one edit away from
// one (aws-acess-key: aws-access-key-id).
func hasNearParts(id, word string) bool {
	parts := strings.Split(id, "-")
	for _, p := range strings.Split(word, "-") {
		near := false
		for _, q := range parts {
			if p == q || len(p) >= 4 && editDistance(p, q) <= 1 {
				near = true
				break
			}
		}
		if !near {
			return false
		}
	}
	return true
}

// hasAllParts reports whether every dash-separated part of word is a
// part of id (github-pat: github-classic-pat).
func hasAllParts(id, word string) bool {
	parts := map[string]bool{}
	for _, p := range strings.Split(id, "-") {
		parts[p] = true
	}
	for _, p := range strings.Split(word, "-") {
		if !parts[p] {
			return false
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance between a and b; a swap of two
// neighbouring letters (sacn) counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Unknown is the message for a name that is none of names: `unknown KIND
// "NAME"`, followed by "; did you mean `PREFIXCLOSEST`?" when one is close.
func Unknown(kind, name string, names []string, prefix string) string {
	msg := "unknown " + kind + " " + strconv.Quote(name)
	if s := Closest(name, names); len(s) > 0 {
		msg += "; did you mean `" + prefix + s[0] + "`?"
	}
	return msg
}
