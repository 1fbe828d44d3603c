package scanner

import (
	"slices"
	"strings"
	"time"
)

// VerifyStatus is what a provider said of a secret when asked.
type VerifyStatus string

// The verification statuses.
const (
	// Live: the provider accepted the secret.
	Live VerifyStatus = "live"
	// Revoked: the provider refused the secret as revoked, expired or
	// unknown to it.
	Revoked VerifyStatus = "revoked"
	// Invalid: the secret cannot be a working credential (malformed, or the
	// provider rejected its form).
	Invalid VerifyStatus = "invalid"
	// Unknown: no answer could be had (no network, rate limit, provider
	// error, a companion value missing); Error says why.
	Unknown VerifyStatus = "unknown"
)

// Verification is the result of asking a secret's provider whether the
// secret works, and whom it belongs to. It is set only by --verify.
type Verification struct {
	Status    VerifyStatus `json:"status"`
	Identity  *Identity    `json:"identity,omitempty"`
	CheckedAt time.Time    `json:"checked_at,omitzero"`
	// Error says why the status is unknown (or what the provider said when
	// it refused the key). It never holds the secret.
	Error string `json:"error,omitempty"`
}

// Identity is what a provider's "who am I" answer says a live key opens.
// Every field is optional.
type Identity struct {
	Account      string   `json:"account,omitempty"`
	Organisation string   `json:"organisation,omitempty"`
	Email        string   `json:"email,omitempty"`
	Scopes       []string `json:"scopes,omitempty"`
	// Details holds other fields of the answer worth showing (an ARN, a
	// plan, a key's name), by name.
	Details map[string]string `json:"details,omitempty"`
}

// RawSecret returns the whole secret of a finding produced by a scan in
// this process, whatever ShowSecrets said, or "" when the finding did not
// come from a scan (a merged or decoded report) and its Secret was
// redacted. It exists for verification, which must send the secret to its
// provider; it must never be printed or logged.
func (f *Finding) RawSecret() string {
	if f.raw != "" {
		return f.raw
	}
	if strings.HasSuffix(f.Secret, "…") {
		return "" // redacted
	}
	return f.Secret
}

// SetExposure sets ExposedSince to the date of the earliest dated
// location (the earliest introducing commit of a history scan) and
// ExposureDays to the whole days from then to now. Findings without a dated
// location are left as they are.
func SetExposure(fs []Finding, now time.Time) {
	for i := range fs {
		var first time.Time
		for _, l := range fs[i].Locations {
			if !l.Date.IsZero() && (first.IsZero() || l.Date.Before(first)) {
				first = l.Date
			}
		}
		if first.IsZero() {
			continue
		}
		fs[i].ExposedSince = first
		fs[i].ExposureDays = 0
		if d := now.Sub(first); d > 0 {
			fs[i].ExposureDays = int(d / (24 * time.Hour))
		}
	}
}

// AddOwners sets each finding's Owners to the sorted union of owners(path)
// over its locations.
func AddOwners(fs []Finding, owners func(path string) []string) {
	for i := range fs {
		var all []string
		for _, l := range fs[i].Locations {
			all = append(all, owners(l.Path)...)
		}
		slices.Sort(all)
		fs[i].Owners = slices.Compact(all)
	}
}
