package report

import (
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/scanner"
)

// verifiedFindings are testFindings with what --verify, CODEOWNERS and a
// history scan add: the GitHub token is live, the AWS key revoked, the
// generic key could not be checked.
func verifiedFindings() []scanner.Finding {
	fs := testFindings()
	checked := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range fs {
		f := &fs[i]
		switch f.Fingerprint {
		case "c0ffee0000000001":
			f.Verification = &scanner.Verification{Status: scanner.Live, CheckedAt: checked, Identity: &scanner.Identity{
				Account: "octocat", Organisation: "Acme \u202Eevil", Scopes: []string{"read:org", "repo"}, Details: map[string]string{"type": "User"}}}
			f.Owners = []string{"@acme/platform", "ops@example.com"}
		case "c0ffee0000000002":
			f.Verification = &scanner.Verification{Status: scanner.Revoked, CheckedAt: checked, Error: "AWS does not know the access key ID (InvalidClientTokenId)"}
			f.ExposedSince = f.Locations[0].Date
			f.ExposureDays = 1001
			f.Owners = []string{"@acme/backend"}
		case "c0ffee0000000004":
			f.Verification = &scanner.Verification{Status: scanner.Unknown, CheckedAt: checked, Error: "no network: 3 providers could not be reached"}
		}
	}
	return fs
}

// TestVerifiedGolden covers every format with the new fields; the older
// golden files, without them, must not change.
func TestVerifiedGolden(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "json", "sarif", "csv", "html"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			got := render(t, format, Options{ToolVersion: "v1.2.3"}, verifiedFindings(), testSummary())
			golden(t, format+"_verified", got)
			if strings.Contains(string(got), "\u202E") {
				t.Error("a bidi control from a provider's answer reached the output")
			}
		})
	}
}

func TestBadgesAndOrder(t *testing.T) {
	t.Parallel()
	text := string(render(t, "text", Options{}, verifiedFindings(), testSummary()))
	for _, want := range []string{"ghp_…  LIVE", "AKIA…  REVOKED", "owners @acme/platform ops@example.com", "since  2024-03-05 (1001 days)", "verify LIVE  account octocat"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("text lacks %q", want)
		}
	}
	html := string(render(t, "html", Options{}, verifiedFindings(), testSummary()))
	checkHTMLSafe(t, html)
	live := strings.Index(html, `id="finding-1"`)
	if live < 0 || !strings.Contains(html[live:live+400], "LIVE") {
		t.Error("the first card is not the live key")
	}
	for _, want := range []string{`<span class="pill key-live">LIVE</span>`, `<span class="pill key-revoked">REVOKED</span>`, "Code owners", "@acme/platform"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

// TestRunbookOrder: revoke, replace, (purge), audit from exposed_since,
// notify owners and authors.
func TestRunbookOrder(t *testing.T) {
	t.Parallel()
	for _, f := range verifiedFindings() {
		steps := checklist(&f)
		if steps[0].Title != "Revoke the key" || steps[1].Title != "Replace it" || steps[len(steps)-1].Title != "Notify the owners and authors" ||
			!strings.HasPrefix(steps[len(steps)-2].Title, "Audit its use") {
			t.Errorf("%s: %+v", f.RuleID, steps)
		}
		if f.RuleID == "aws-access-key-id" {
			if steps[len(steps)-2].Title != "Audit its use since 5 Mar 2024" || !strings.Contains(steps[len(steps)-2].Detail, "CloudTrail") {
				t.Errorf("audit step %+v", steps[len(steps)-2])
			}
			if !strings.Contains(strings.Join(steps[len(steps)-1].Notes, " "), "@acme/backend") {
				t.Errorf("notify step %+v", steps[len(steps)-1])
			}
		}
	}
}

// TestCategoryChecklists: categories are never named as a company.
func TestCategoryChecklists(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		provider, rule string
		want           string
	}{
		{"Generic", "generic-password-assignment", "system that accepts it"},
		{"Private key", "private-key-rsa", "authorized_keys"},
		{"JWT", "jwt", "signing key"},
		{"HTTP", "http-bearer-auth-header", "the service the request is sent to"},
		{"PostgreSQL", "postgres-url-password", "system that accepts it"},
		{"", "custom-rule", "system that accepts it"},
	} {
		f := scanner.Finding{RuleID: tc.rule, Provider: tc.provider, InHead: true, Locations: []scanner.Location{{Path: "a"}}}
		var all []string
		for _, s := range checklist(&f) {
			all = append(all, s.Title, s.Detail)
			all = append(all, s.Notes...)
		}
		text := strings.Join(all, " ")
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: checklist lacks %q:\n%s", tc.rule, tc.want, text)
		}
		if tc.provider != "" {
			for _, bad := range []string{"at " + tc.provider, "in " + tc.provider + "'s", tc.provider + "'s access"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s: %q names a category as a company", tc.rule, bad)
				}
			}
		}
	}
	gh := scanner.Finding{RuleID: "github-classic-pat", Provider: "GitHub", InHead: true}
	if text := checklist(&gh)[0].Notes[0]; !strings.Contains(text, "github.com/settings/tokens") {
		t.Errorf("GitHub's revoke page missing: %q", text)
	}
}

// TestGitHubOutputs: annotations and the step summary say LIVE and name
// the code owners; without verification they are as before.
func TestGitHubOutputs(t *testing.T) {
	t.Parallel()
	var ann, sum strings.Builder
	if err := WriteAnnotations(&ann, verifiedFindings()); err != nil {
		t.Fatal(err)
	}
	if err := WriteStepSummary(&sum, verifiedFindings(), testSummary(), nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LIVE: the provider accepts this key (account octocat", "Code owners: @acme/platform, ops@example.com.", "REVOKED: the provider refuses this key."} {
		if !strings.Contains(ann.String(), want) {
			t.Errorf("annotations lack %q", want)
		}
	}
	if !strings.Contains(sum.String(), "**LIVE**") || !strings.Contains(sum.String(), "**REVOKED**") {
		t.Errorf("step summary lacks the badges:\n%s", sum.String())
	}
	ann.Reset()
	if err := WriteAnnotations(&ann, testFindings()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ann.String(), "LIVE") || strings.Contains(ann.String(), "Code owners") {
		t.Error("unverified findings got a verification note")
	}
}
