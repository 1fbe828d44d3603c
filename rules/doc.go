// Package rules is the detection core of keylint: the rule model, the
// embedded default rule set, loading and merging rule and configuration
// files, and the [Matcher] that finds secrets in a byte slice.
//
// Matching runs in three steps. One Aho-Corasick pass over the input finds
// every rule keyword, ignoring ASCII case; each rule with a hit runs its
// regex only in a window around its hits; each candidate then passes
// allowlists, placeholder detection, an entropy threshold and an optional
// offline structural check (checksums, markers, decodable structure).
//
// The package never touches files or git: it takes bytes and returns
// [Match] values with byte offsets. Locating, filtering and reporting are the
// jobs of the scanner and report packages.
package rules

// default_rules.go is default.toml compiled to Go by the generator in
// default_gen_test.go; `go generate ./rules` runs it after an edit of
// default.toml, and TestDefaultRulesGenerated fails while the two differ.
//go:generate go test -run ^TestDefaultRulesGenerated$ -update .
