package rules

import (
	"bytes"
	"strings"
)

// Rejection is a candidate that a rule's regex found and the rule turned
// down: what --explain shows, so that a user (and a rule's author) can see
// why something was not reported.
type Rejection struct {
	// RuleID is the rule whose regex found the candidate.
	RuleID string `json:"rule_id"`
	// Path is the file's path as given to [Matcher.Explain].
	Path string `json:"path"`
	// Line and Column are 1-based; columns count bytes.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Reason says why: "allowlist", "placeholder", "entropy",
	// "check:password: identifier" ... A candidate that failed a key
	// body's check but was kept at a lower severity is listed too, its
	// reason starting "kept at severity".
	Reason string `json:"reason"`
	// Secret is the candidate; callers redact it unless asked not to.
	Secret string `json:"secret"`
}

// checkReasons give the detailed reason of the context-aware checks, for
// --explain: "identifier", "template", "short" rather than a bare
// "check:password".
var checkReasons = map[string]func(CheckInput) string{
	"credential":        credentialReason,
	"password":          judgePasswordInput,
	"credential-base64": credentialBase64Reason,
	"url-password":      urlPasswordReason,
	"bearer-value":      bearerValueReason,
	"user-password":     userPasswordReason,
	"bearer-token":      bearerTokenReason,
	"basic-auth":        basicAuthReason,
	"auth-base64":       authBase64Reason,
	"k8s-secret-data":   k8sSecretDataReason,
}

// maxExplained bounds the rejections reported for one file.
const maxExplained = 1000

// Explain runs the content rules whose keywords occur in data over the
// whole of it and returns the candidates they rejected, with the reason,
// in the order of the rules. It is a diagnostic: slower than
// [Matcher.FindPath] (no windows, no automaton), and it does not report
// matches that a more specific rule superseded.
func (m *Matcher) Explain(path string, data []byte) []Rejection {
	var out []Rejection
	lower := bytes.ToLower(data)
	for _, r := range m.rules {
		if r.IsPathRule() || r.Regex == "" || !r.hasKeywordIn(data, lower) {
			continue
		}
		re, err := r.Compiled()
		if err != nil {
			continue
		}
		var memo lineMemo
		var nameGroups []int
		for i, n := range re.SubexpNames() {
			if n == "name" {
				nameGroups = append(nameGroups, i)
			}
		}
		for _, loc := range re.FindAllSubmatchIndex(data, MaxFindingsPerRule) {
			g := 2 * r.SecretGroup
			if g+1 >= len(loc) || loc[g] < 0 || loc[g] == loc[g+1] {
				continue
			}
			mt := Match{Rule: r, Start: loc[0], End: loc[1], SecretStart: loc[g], SecretEnd: loc[g+1]}
			name := span{-1, -1}
			for _, i := range nameGroups {
				if n := 2 * i; n+1 < len(loc) && loc[n] >= 0 {
					name = span{loc[n], loc[n+1]}
					break
				}
			}
			reason := m.verify(r, path, data, &mt, name, &memo)
			if reason == "" && mt.Rule != r {
				reason = weakReason(r)
			} else if reason == "" {
				continue
			}
			if detail, ok := checkReasons[r.Check]; ok && strings.HasPrefix(reason, "check:") {
				in := CheckInput{Secret: string(data[loc[g]:loc[g+1]]), Match: string(data[loc[0]:loc[1]])}
				if name.start >= 0 {
					in.Name = string(data[name.start:name.end])
				}
				if d := detail(in); d != "" {
					reason += ": " + d
				}
			}
			ls := bytes.LastIndexByte(data[:mt.SecretStart], '\n') + 1
			out = append(out, Rejection{RuleID: r.ID, Path: path, Line: bytes.Count(data[:mt.SecretStart], []byte("\n")) + 1,
				Column: mt.SecretStart - ls + 1, Reason: reason, Secret: string(data[mt.SecretStart:mt.SecretEnd])})
			if len(out) >= maxExplained {
				return out
			}
		}
	}
	return out
}

// hasKeywordIn reports whether one of the rule's keywords occurs in data
// (lower is data in lower case), as the matcher's prefilter requires.
func (r *Rule) hasKeywordIn(data, lower []byte) bool {
	if len(r.Keywords) == 0 {
		return true
	}
	for _, k := range r.Keywords {
		if r.CaseSensitive && bytes.Contains(data, []byte(k)) || !r.CaseSensitive && bytes.Contains(lower, []byte(strings.ToLower(k))) {
			return true
		}
	}
	return false
}
