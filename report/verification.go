package report

import (
	"slices"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/plural"
	"github.com/keylint/keylint/scanner"
)

// statusLabel is a verification status as a badge: LIVE, REVOKED,
// INVALID or UNVERIFIED; "" when the finding was not verified.
func statusLabel(v *scanner.Verification) string {
	if v == nil {
		return ""
	}
	switch v.Status {
	case scanner.Live:
		return "LIVE"
	case scanner.Revoked:
		return "REVOKED"
	case scanner.Invalid:
		return "INVALID"
	}
	return "UNVERIFIED"
}

// identityParts describes an identity as "label value" parts, in a fixed
// order; values are sanitized.
func identityParts(id *scanner.Identity) []string {
	if id == nil {
		return nil
	}
	var out []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, label+" "+Sanitize(v))
		}
	}
	add("account", id.Account)
	add("organisation", id.Organisation)
	if id.Email != id.Account {
		add("e-mail", id.Email)
	}
	if len(id.Scopes) > 0 {
		add("scopes", strings.Join(id.Scopes, ", "))
	}
	keys := make([]string, 0, len(id.Details))
	for k := range id.Details {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(strings.ReplaceAll(k, "_", " "), id.Details[k])
	}
	return out
}

// verificationText is one line saying what the provider answered.
func verificationText(v *scanner.Verification) string {
	if v == nil {
		return ""
	}
	parts := []string{statusLabel(v)}
	parts = append(parts, identityParts(v.Identity)...)
	s := strings.Join(parts, "  ")
	if v.Error != "" {
		s += "  (" + Sanitize(v.Error) + ")"
	}
	if !v.CheckedAt.IsZero() {
		s += "  checked " + v.CheckedAt.UTC().Format(time.RFC3339)
	}
	return s
}

// exposureText says since when a secret has been exposed: "2024-03-05
// (640 days)".
func exposureText(f *scanner.Finding) string {
	if f.ExposedSince.IsZero() {
		return ""
	}
	s := f.ExposedSince.Format("2006-01-02")
	if f.ExposureDays > 0 {
		s += " (" + plural.Count(f.ExposureDays, "day", "days") + ")"
	}
	return s
}

// verificationNote is what an annotation or a step summary adds for a
// verified key and its code owners: " LIVE: the provider accepts this key
// (account octocat). Code owners: @a."
func verificationNote(f scanner.Finding) string {
	var s string
	switch v := f.Verification; {
	case v == nil:
	case v.Status == scanner.Live:
		s = " LIVE: the provider accepts this key"
		if p := identityParts(v.Identity); len(p) > 0 {
			s += " (" + strings.Join(p, ", ") + ")"
		}
		s += "; revoke it now."
	case v.Status == scanner.Revoked:
		s = " REVOKED: the provider refuses this key."
	}
	if len(f.Owners) > 0 {
		s += " Code owners: " + Sanitize(strings.Join(f.Owners, ", ")) + "."
	}
	return s
}
