package rules

import (
	"reflect"
	"slices"
	"testing"
)

// TestDefaultRulesReady checks that the generated default rules are set up
// as prepare would set them up (start-up no longer does it): each rule's
// source and lazy regexes, and one compiled form per distinct allowlist;
// and that Default, which skips Apply, gives the Ruleset Apply gives.
func TestDefaultRulesReady(t *testing.T) {
	f, err := defaultFile()
	if err != nil {
		t.Fatal(err)
	}
	lazySrc := func(l *lazyRegex) string {
		if l == nil {
			return "<nil>"
		}
		return l.src
	}
	share := allowShare{}
	for _, r := range f.Rules {
		c := *r
		c.source, c.re, c.pathRe, c.onlyRe = "", nil, nil, nil
		c.Allow = slices.Clone(r.Allow)
		for i := range c.Allow {
			c.Allow[i].c = nil
		}
		if err := c.prepare(true, share); err != nil {
			t.Fatalf("rule %s: %v", r.ID, err)
		}
		c.source = DefaultFile // ready's doing, not prepare's
		for _, l := range []struct {
			name      string
			got, want *lazyRegex
		}{{"regex", r.re, c.re}, {"path", r.pathRe, c.pathRe}, {"only_paths", r.onlyRe, c.onlyRe}} {
			if lazySrc(l.got) != lazySrc(l.want) {
				t.Errorf("rule %s: generated %s regex %q, prepare makes %q", r.ID, l.name, lazySrc(l.got), lazySrc(l.want))
			}
		}
		if r.source != c.source || r.Severity != c.Severity {
			t.Errorf("rule %s: generated source %q severity %q, prepare makes %q %q", r.ID, r.source, r.Severity, c.source, c.Severity)
		}
	}

	// Every allowlist has a compiled form, shared exactly by those with the
	// same content.
	var lists []*Allowlist
	for i := range f.Allow {
		lists = append(lists, &f.Allow[i])
	}
	for _, r := range f.Rules {
		for i := range r.Allow {
			lists = append(lists, &r.Allow[i])
		}
	}
	if len(lists) == 0 {
		t.Fatal("no allowlists in the default rules")
	}
	for i, a := range lists {
		if a.c == nil {
			t.Fatalf("allowlist %d (%q) has no compiled form", i, a.Description)
		}
		for _, b := range lists[:i] {
			if (a.c == b.c) != a.sameAs(b) {
				t.Errorf("allowlists %q and %q: shared %v, same content %v", a.Description, b.Description, a.c == b.c, a.sameAs(b))
			}
		}
	}

	// Default is Apply's result without Apply's work.
	want, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.rules, want.rules) || !reflect.DeepEqual(got.allow, want.allow) || got.MaxFileSize != want.MaxFileSize {
		t.Errorf("Default differs from New(the default file): %d rules against %d, %d allowlists against %d, max file size %d against %d",
			len(got.rules), len(want.rules), len(got.allow), len(want.allow), got.MaxFileSize, want.MaxFileSize)
	}
	if len(f.Override) > 0 || len(f.Disable) > 0 {
		t.Error("the default file overrides or disables rules, which Default does not apply")
	}
	// A Ruleset of its own: extending it leaves the next one whole.
	got.rules[0] = nil
	if again, _ := Default(); again.rules[0] == nil {
		t.Error("Default returned a shared slice")
	}
}
