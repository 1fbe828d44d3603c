package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// inventoryProvider is one provider's entry in the key inventory: every
// secret of that provider, so that a team can see what each key powers.
// It is part of the json format's schema.
type inventoryProvider struct {
	// Provider is the rule's provider; empty when the rule names none.
	Provider string            `json:"provider"`
	Secrets  []inventorySecret `json:"secrets"`
}

// inventorySecret is one secret in the inventory: which key it is, how
// urgent, whether it is still live, and where and by whom it was used.
type inventorySecret struct {
	RuleID      string `json:"rule_id"`
	Fingerprint string `json:"fingerprint"`
	// Secret is exactly [scanner.Finding.Secret]: redacted unless the scan
	// was asked to show secrets.
	Secret         string         `json:"secret"`
	Severity       rules.Severity `json:"severity"`
	InHead         bool           `json:"in_head"`
	BrowserExposed bool           `json:"browser_exposed"`
	// Paths are the distinct files the secret occurs in, sorted.
	Paths []string `json:"paths"`
	// Repositories are the distinct repositories of its locations, sorted;
	// empty (and omitted) unless a run audited several repositories.
	Repositories []string `json:"repositories,omitempty"`
	// FirstCommit and LastCommit are the earliest and latest commits the
	// secret occurs in; nil when the scan read no history.
	FirstCommit *inventoryCommit `json:"first_commit,omitempty"`
	LastCommit  *inventoryCommit `json:"last_commit,omitempty"`
	// Authors are the distinct authors of those commits, as
	// "Name <email>", sorted.
	Authors []string `json:"authors"`
	// Owners are the code owners of the paths (CODEOWNERS).
	Owners []string `json:"owners,omitempty"`
	// ExposedSince is when the earliest commit introduced the secret.
	ExposedSince time.Time `json:"exposed_since,omitzero"`
	ExposureDays int       `json:"exposure_days,omitempty"`
	// Verification is the provider's answer (--verify): status and the
	// identity the key opens.
	Verification *scanner.Verification `json:"verification,omitempty"`

	// finding is the finding the entry was made from, for the html format.
	finding *scanner.Finding
}

// inventoryCommit is a commit a secret occurs in.
type inventoryCommit struct {
	Commit string    `json:"commit"`
	Date   time.Time `json:"date,omitzero"`
	Author string    `json:"author,omitempty"`
	// Subject is the first line of the commit message.
	Subject string `json:"subject,omitempty"`
}

// inventory groups findings by provider. Providers are sorted by name,
// ignoring case, with the unnamed provider last; within a provider, secrets
// are sorted live keys first (then unverified, then refused ones), then by
// severity (most urgent first), rule id, fingerprint and secret. fs must come from [sortFindings]; the entries point into it.
// The result is never nil, and neither are its lists.
func inventory(fs []scanner.Finding) []inventoryProvider {
	byProvider := map[string][]inventorySecret{}
	for i := range fs {
		f := &fs[i]
		byProvider[f.Provider] = append(byProvider[f.Provider], inventoryEntry(f))
	}
	out := make([]inventoryProvider, 0, len(byProvider))
	for p, secrets := range byProvider {
		slices.SortStableFunc(secrets, func(a, b inventorySecret) int {
			return cmp.Or(
				cmp.Compare(liveRank(b.finding), liveRank(a.finding)),
				cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
				strings.Compare(string(a.Severity), string(b.Severity)),
				strings.Compare(a.RuleID, b.RuleID),
				strings.Compare(a.Fingerprint, b.Fingerprint),
				strings.Compare(a.Secret, b.Secret),
			)
		})
		out = append(out, inventoryProvider{Provider: p, Secrets: secrets})
	}
	slices.SortFunc(out, func(a, b inventoryProvider) int {
		return compareProviders(a.Provider, b.Provider)
	})
	return out
}

// liveRank orders keys for action: live first, then unverified, then
// those the provider refused.
func liveRank(f *scanner.Finding) int {
	switch {
	case f.Verification == nil || f.Verification.Status == scanner.Unknown:
		return 1
	case f.Verification.Status == scanner.Live:
		return 2
	}
	return 0
}

// compareProviders orders provider names ignoring case, then exactly, with
// the empty name last.
func compareProviders(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}

// inventoryEntry summarises one finding.
func inventoryEntry(f *scanner.Finding) inventorySecret {
	e := inventorySecret{
		RuleID:         f.RuleID,
		Fingerprint:    f.Fingerprint,
		Secret:         f.Secret,
		Severity:       f.Severity,
		InHead:         f.InHead,
		BrowserExposed: f.BrowserExposed,
		Paths:          []string{},
		Authors:        []string{},
		Owners:         f.Owners,
		ExposedSince:   f.ExposedSince,
		ExposureDays:   f.ExposureDays,
		Verification:   f.Verification,
		finding:        f,
	}
	for _, l := range f.Locations {
		e.Paths = append(e.Paths, locPath(l))
		if l.Repository != "" {
			e.Repositories = append(e.Repositories, l.Repository)
		}
		if a := author(l); a != "" {
			e.Authors = append(e.Authors, a)
		}
	}
	slices.Sort(e.Paths)
	e.Paths = slices.Compact(e.Paths)
	slices.Sort(e.Repositories)
	e.Repositories = slices.Compact(e.Repositories)
	slices.Sort(e.Authors)
	e.Authors = slices.Compact(e.Authors)

	if first, last, ok := commitSpan(f.Locations); ok {
		e.FirstCommit = newInventoryCommit(first)
		e.LastCommit = newInventoryCommit(last)
	}
	return e
}

func newInventoryCommit(l scanner.Location) *inventoryCommit {
	return &inventoryCommit{Commit: l.Commit, Date: l.Date, Author: author(l), Subject: subject(l.Message)}
}

// commitSpan returns the locations of the earliest and the latest commit
// among locs, by date, then commit id, then path. Commits with a date win
// over commits without one. ok is false when no location has a commit.
func commitSpan(locs []scanner.Location) (first, last scanner.Location, ok bool) {
	for _, l := range locs {
		if l.Commit == "" {
			continue
		}
		if !ok {
			first, last, ok = l, l, true
			continue
		}
		if compareCommits(l, first) < 0 {
			first = l
		}
		if compareCommits(l, last) > 0 {
			last = l
		}
	}
	if ok && first.Date.IsZero() && !last.Date.IsZero() {
		// Undated commits sort first, but only dated ones say when.
		first = earliestDated(locs)
	}
	return first, last, ok
}

// compareCommits orders located commits by date (undated first), commit
// id, then path and position.
func compareCommits(a, b scanner.Location) int {
	return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Commit, b.Commit), compareLocations(a, b))
}

// earliestDated returns the location of the earliest dated commit in locs;
// there must be one.
func earliestDated(locs []scanner.Location) scanner.Location {
	var best scanner.Location
	found := false
	for _, l := range locs {
		if l.Commit == "" || l.Date.IsZero() {
			continue
		}
		if !found || compareCommits(l, best) < 0 {
			best, found = l, true
		}
	}
	return best
}
