package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// hostileName is a file name that would run a script if a report wrote it
// into HTML unescaped; hostileMessage is a commit message that would add an
// element.
const (
	hostileName    = "docs/<script>alert(1)</script>.md"
	hostileMessage = `"><img src=x onerror=alert(1)>`
)

// fakeSecret is a key-shaped string built at run time from a prefix and a
// filler, so that keylint, which scans its own tree, never finds a key in
// this file or in the golden files (they hold only redacted secrets).
type fakeSecret struct {
	rule, full string
}

func newFake(rule, prefix, filler string, n int) fakeSecret {
	return fakeSecret{rule: rule, full: prefix + strings.Repeat(filler, n)[:n]}
}

var (
	fakeAWS    = newFake("aws-access-key-id", "AK"+"IA", "Q7ZX", 16)
	fakeGitHub = newFake("github-pat", "gh"+"p_", "x9Lm", 36)
	fakeStripe = newFake("stripe-secret-key", "sk"+"_live_", "4eC3", 24)
	fakePK     = newFake("stripe-publishable-key", "pk"+"_live_", "Tz8w", 24)
	fakeSlack  = newFake("slack-webhook-url", "hooks.slack"+".com/services/", "T0B1", 40)
	fakePass   = newFake("generic-password", "Hunter", "2!x", 14)
)

// fakeSecrets lists every secret of historyFindings, for the checks that no
// full secret reaches a report.
func fakeSecrets() []fakeSecret {
	return []fakeSecret{fakeAWS, fakeGitHub, fakeStripe, fakePK, fakeSlack, fakePass}
}

// finding returns a finding for s with the secret redacted as the scanner
// does by default.
func (s fakeSecret) finding(desc, provider string, sev rules.Severity, inHead bool, locs ...scanner.Location) scanner.Finding {
	return scanner.Finding{
		RuleID:      s.rule,
		Description: desc,
		Provider:    provider,
		Severity:    sev,
		Secret:      scanner.Redact(s.full),
		Fingerprint: scanner.Fingerprint(s.rule, s.full),
		Entropy:     4,
		InHead:      inHead,
		Locations:   locs,
	}
}

// commitLoc is a location found in a commit.
func commitLoc(path string, line int, commit, who, email string, date time.Time, msg string) scanner.Location {
	return scanner.Location{
		Path: path, Line: line, Column: 1, EndLine: line, EndColumn: 20,
		Commit: commit, Author: who, Email: email, Date: date, Message: msg,
	}
}

// historyFindings is what a history scan of a small web shop might find:
// several providers, keys still in HEAD and keys only in history, a key
// shipped to browsers, a public-by-design key, a provider-less rule, a
// hostile file name and a hostile commit message. It is out of order.
func historyFindings() []scanner.Finding {
	utc := time.UTC
	cet := time.FixedZone("CET", 3600)
	pst := time.FixedZone("PST", -8*3600)
	day := func(y int, m time.Month, d int, z *time.Location) time.Time {
		return time.Date(y, m, d, 14, 30, 0, 0, z)
	}
	const (
		c1 = "1111111111111111111111111111111111111111"
		c2 = "2222222222222222222222222222222222222222"
		c3 = "3333333333333333333333333333333333333333"
		c4 = "4444444444444444444444444444444444444444"
		c5 = "5555555555555555555555555555555555555555"
		c6 = "6666666666666666666666666666666666666666"
		c7 = "7777777777777777777777777777777777777777"
	)

	stripe := fakeStripe.finding("Stripe secret key", "Stripe", rules.Critical, true,
		commitLoc("public/js/app.min.js", 1, c6, "Dan Dev", "dan@example.com", day(2024, time.May, 20, pst), hostileMessage+"\n\nbody"),
	)
	stripe.BrowserExposed = true
	stripe.Exposure = "exposed to browsers through a bundled script: every visitor can read it; revoke it and move the call behind a backend that holds the key"
	stripe.Remediation = "Roll the key in the Stripe dashboard (Developers > API keys) and use a restricted key."

	pk := fakePK.finding("Stripe publishable key", "Stripe", rules.Low, true,
		commitLoc("web/index.html", 12, c6, "Dan Dev", "dan@example.com", day(2024, time.May, 20, pst), hostileMessage),
	)
	pk.Exposure = "in an HTML page, but this key type is meant to be public in browsers: make sure it is restricted (by HTTP referrer, app or allowed origins) rather than secret"

	aws := fakeAWS.finding("AWS access key ID", "AWS", rules.Critical, false,
		commitLoc("scripts/deploy.sh", 4, c3, "Bob Builder", "bob@example.com", day(2023, time.June, 1, cet), "Deploy script"),
		commitLoc("config/prod.env", 2, c1, "Alice Admin", "alice@example.com", day(2023, time.February, 14, utc), "Add production config"),
		commitLoc("config/prod.env", 2, c2, "Alice Admin", "alice@example.com", day(2023, time.March, 2, utc), "Tune timeouts"),
	)
	aws.Remediation = "Deactivate the key in IAM, create a new one, and check CloudTrail for its use."

	gh := fakeGitHub.finding("GitHub personal access token", "GitHub", rules.High, true,
		commitLoc(".github/workflows/release.yml", 18, c5, "Carol Ci", "carol@example.com", day(2024, time.January, 10, utc), "Release workflow"),
		commitLoc("Makefile", 7, c5, "Carol Ci", "carol@example.com", day(2024, time.January, 10, utc), "Release workflow"),
	)
	gh.Remediation = "Revoke the token in GitHub (Settings > Developer settings) and create a fine-grained one."

	slack := fakeSlack.finding("Slack incoming webhook", "Slack", rules.Medium, false,
		commitLoc(hostileName, 3, c4, "Eve \u202Eevil\u202C", "eve@example.com", day(2022, time.November, 3, utc), "Document alerts"),
	)

	pass := fakePass.finding("Password in an assignment", "", rules.Medium, true,
		commitLoc("src/db/connect.go", 22, c7, "Alice Admin", "alice@example.com", day(2024, time.March, 1, utc), "Connect to the database"),
		scanner.Location{Path: "src/db/connect.go", Line: 22, Column: 14, EndLine: 22, EndColumn: 28},
	)

	return []scanner.Finding{pass, stripe, slack, gh, pk, aws}
}

// historySummary is the summary of the scan that found historyFindings.
func historySummary() scanner.Summary {
	return scanner.Summary{
		Files: 312, Bytes: 4_404_019, Duration: 3 * time.Second, Findings: 6,
		BySeverity: map[rules.Severity]int{rules.Critical: 2, rules.High: 1, rules.Medium: 2, rules.Low: 1},
		Skipped:    map[string]int{"binary": 14},
		Silenced:   map[string]int{"baseline": 2, "inline-allow": 1},
	}
}

func TestInventoryGolden(t *testing.T) {
	t.Parallel()
	inv := inventory(sortFindings(historyFindings()))
	b, err := marshal(inv, "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "inventory", b)

	// The json format carries the same inventory.
	var doc struct {
		Inventory json.RawMessage `json:"inventory"`
	}
	out := render(t, "json", Options{}, historyFindings(), historySummary())
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var fromDoc, fromInv any
	if err := json.Unmarshal(doc.Inventory, &fromDoc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fromInv); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromDoc, fromInv) {
		t.Errorf("json document's inventory differs from the inventory:\n%s\nwant:\n%s", doc.Inventory, b)
	}
	for _, s := range fakeSecrets() {
		if bytes.Contains(out, []byte(s.full)) {
			t.Errorf("json output holds the full secret of %s", s.rule)
		}
	}
}

func TestInventory(t *testing.T) {
	t.Parallel()
	inv := inventory(sortFindings(historyFindings()))

	var providers []string
	for _, p := range inv {
		providers = append(providers, p.Provider)
	}
	if want := []string{"AWS", "GitHub", "Slack", "Stripe", ""}; !reflect.DeepEqual(providers, want) {
		t.Fatalf("providers = %q, want %q (sorted, unnamed last)", providers, want)
	}

	aws := inv[0].Secrets[0]
	if want := []string{"config/prod.env", "scripts/deploy.sh"}; !reflect.DeepEqual(aws.Paths, want) {
		t.Errorf("aws paths = %q, want %q (distinct, sorted)", aws.Paths, want)
	}
	if want := []string{"Alice Admin <alice@example.com>", "Bob Builder <bob@example.com>"}; !reflect.DeepEqual(aws.Authors, want) {
		t.Errorf("aws authors = %q, want %q", aws.Authors, want)
	}
	if aws.FirstCommit == nil || aws.FirstCommit.Commit[0] != '1' || aws.LastCommit == nil || aws.LastCommit.Commit[0] != '3' {
		t.Errorf("aws first/last commit = %+v / %+v, want commits 1111… and 3333…", aws.FirstCommit, aws.LastCommit)
	}
	if aws.InHead || aws.BrowserExposed {
		t.Errorf("aws in_head %v browser_exposed %v, want false false", aws.InHead, aws.BrowserExposed)
	}

	stripe := inv[3].Secrets
	if len(stripe) != 2 || stripe[0].Severity != rules.Critical || !stripe[0].BrowserExposed || stripe[1].Severity != rules.Low {
		t.Errorf("stripe secrets not ordered most severe first, or exposure lost: %+v", stripe)
	}

	// A location without a commit (the HEAD copy) has no say in the span.
	pass := inv[4].Secrets[0]
	if pass.FirstCommit == nil || pass.FirstCommit.Subject != "Connect to the database" {
		t.Errorf("password first commit = %+v", pass.FirstCommit)
	}
}

func TestInventoryEmpty(t *testing.T) {
	t.Parallel()
	inv := inventory(nil)
	if inv == nil || len(inv) != 0 {
		t.Fatalf("inventory(nil) = %#v, want an empty, non-nil list", inv)
	}
	// A plain directory scan has no commits: no span, no authors, no nulls.
	e := inventory([]scanner.Finding{{RuleID: "r", Locations: []scanner.Location{{Path: "a"}}}})[0].Secrets[0]
	if e.FirstCommit != nil || e.LastCommit != nil || e.Paths == nil || e.Authors == nil {
		t.Errorf("entry without history = %+v", e)
	}
}

func TestCommitSpan(t *testing.T) {
	t.Parallel()
	d := func(day int) time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name        string
		locs        []scanner.Location
		first, last string
		ok          bool
	}{
		{"none", []scanner.Location{{Path: "a"}}, "", "", false},
		{"one", []scanner.Location{{Commit: "a", Date: d(3)}}, "a", "a", true},
		{"by date not id", []scanner.Location{{Commit: "a", Date: d(9)}, {Commit: "b", Date: d(2)}, {Commit: "c", Date: d(5)}}, "b", "a", true},
		{"same date by id", []scanner.Location{{Commit: "b", Date: d(1)}, {Commit: "a", Date: d(1)}}, "a", "b", true},
		{"undated ignored when dated exist", []scanner.Location{{Commit: "x"}, {Commit: "b", Date: d(4)}, {Commit: "a", Date: d(6)}}, "b", "a", true},
		{"all undated by id", []scanner.Location{{Commit: "y"}, {Commit: "x"}}, "x", "y", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			first, last, ok := commitSpan(tt.locs)
			if ok != tt.ok || first.Commit != tt.first || last.Commit != tt.last {
				t.Errorf("commitSpan = %q, %q, %v; want %q, %q, %v", first.Commit, last.Commit, ok, tt.first, tt.last, tt.ok)
			}
		})
	}
}
