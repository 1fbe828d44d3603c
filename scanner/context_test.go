package scanner

import (
	"testing"

	"github.com/keylint/keylint/rules"
)

func TestInTestOrDocs(t *testing.T) {
	t.Parallel()
	for _, p := range []string{
		"test/config.yaml", "tests/test_login.py", "src/__tests__/api.js", "spec/models/user_spec.rb",
		"pkg/auth/auth_test.go", "web/src/api.test.js", "web/src/api.spec.ts", "examples/quickstart.py",
		"docs/setup.md", "README.md", "internal/x/testdata/keys.json", "tests/fixtures/users.json",
		"src/test/java/io/acme/ClientTest.java", "app/Tests/MailerTests.cs", "test_settings.py",
		"Docs/Guide.MD", "website/content/guide.mdx",
		// Issue 17: test projects and specs named by their language's habit.
		"src/shared/Core.Tests/HostProviderTests.cs", "src/Acme.UnitTests/Fixture.cs", "test/Feature/AuthSpec.hs",
		"frontend/src/app/login/login.component.spec.ts", "test/api/loginApiSpec.ts", "api-tests/config.yml",
		"src/__mocks__/api.js", "src/test/kotlin/CredentialsControllerSpec.kt",
	} {
		if !inTestOrDocs(p) {
			t.Errorf("inTestOrDocs(%q) = false, want true", p)
		}
	}
	for _, p := range []string{
		"src/config.py", "backend/settings.py", "deploy/k8s/secret.yaml", ".env", "src/main/java/io/acme/Latest.java",
		"contest/main.go", "attestation/sign.go", "latest.js", "testing.go", "docsify.config.js", "src/specimen.ts",
		"src/latest/config.yml", "contest-results/data.json", "src/Inspec.ts",
	} {
		if inTestOrDocs(p) {
			t.Errorf("inTestOrDocs(%q) = true, want false", p)
		}
	}
}

func TestLowerSeverity(t *testing.T) {
	t.Parallel()
	for in, want := range map[rules.Severity]rules.Severity{
		rules.Critical: rules.High, rules.High: rules.Medium, rules.Medium: rules.Low, rules.Low: rules.Low,
	} {
		if got := lowerSeverity(in); got != want {
			t.Errorf("lowerSeverity(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGroupLowersGenericInTests: a generic rule's finding that occurs only
// in tests, examples or docs is one severity lower; anywhere else, or under
// a specific rule, or exposed to browsers, it keeps its severity.
func TestGroupLowersGenericInTests(t *testing.T) {
	t.Parallel()
	generic := &rules.Rule{ID: "generic-password-assignment", Severity: rules.High, Generic: true}
	specific := &rules.Rule{ID: "acme-api-key", Severity: rules.High}
	hit := func(r *rules.Rule, secret, path string) Hit {
		return Hit{Rule: r, Secret: secret, Loc: Location{Path: path, Line: 1, Column: 1}}
	}
	cases := []struct {
		name string
		hits []Hit
		want rules.Severity
	}{
		{"generic in a test", []Hit{hit(generic, "s1", "tests/test_login.py")}, rules.Medium},
		{"generic in docs and an example", []Hit{hit(generic, "s1", "docs/setup.md"), hit(generic, "s1", "examples/run.sh")}, rules.Medium},
		{"generic in a test and in code", []Hit{hit(generic, "s1", "tests/test_login.py"), hit(generic, "s1", "app/settings.py")}, rules.High},
		{"generic in code", []Hit{hit(generic, "s1", "app/settings.py")}, rules.High},
		{"specific in a test", []Hit{hit(specific, "s1", "tests/test_login.py")}, rules.High},
		{"generic in docs, exposed to browsers", []Hit{{Rule: generic, Secret: "s1", Loc: Location{Path: "docs/index.html"}, Exposure: "x", Raise: true}}, rules.Critical},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fs := Group(c.hits, false)
			if len(fs) != 1 {
				t.Fatalf("Group: %d findings, want 1", len(fs))
			}
			if fs[0].Severity != c.want {
				t.Errorf("severity %q, want %q", fs[0].Severity, c.want)
			}
			// Issue 17: a lowered severity comes with its reason.
			if lowered := fs[0].Severity != c.hits[0].Rule.Severity && !c.hits[0].Raise; lowered != (fs[0].Context != "") {
				t.Errorf("context %q with severity %q (rule %q)", fs[0].Context, fs[0].Severity, c.hits[0].Rule.Severity)
			}
		})
	}
}

// TestGroupSeverityPerLocation: each location carries its own severity and
// the reason for a lower one; the finding is as severe as its worst
// location (issue 17: a key seen in src/ and in test/).
func TestGroupSeverityPerLocation(t *testing.T) {
	t.Parallel()
	generic := &rules.Rule{ID: "generic-password-assignment", Severity: rules.High, Generic: true}
	specific := &rules.Rule{ID: "acme-api-key", Severity: rules.High}
	type want struct {
		path     string
		severity rules.Severity
		lowered  bool
	}
	cases := []struct {
		name    string
		hits    []Hit
		finding rules.Severity
		locs    []want
	}{
		{"src and test", []Hit{
			{Rule: generic, Secret: "s1", Loc: Location{Path: "src/db.py", Line: 3}},
			{Rule: generic, Secret: "s1", Loc: Location{Path: "test/test_db.py", Line: 9}},
		}, rules.High, []want{{"src/db.py", rules.High, false}, {"test/test_db.py", rules.Medium, true}}},
		{"docs only", []Hit{
			{Rule: generic, Secret: "s1", Loc: Location{Path: "docs/setup.md", Line: 1}},
			{Rule: generic, Secret: "s1", Loc: Location{Path: "examples/run.sh", Line: 2}},
		}, rules.Medium, []want{{"docs/setup.md", rules.Medium, true}, {"examples/run.sh", rules.Medium, true}}},
		{"specific rule in a test", []Hit{
			{Rule: specific, Secret: "s1", Loc: Location{Path: "test/keys_test.go", Line: 1}},
		}, rules.High, []want{{"test/keys_test.go", rules.High, false}}},
		{"browser-served and test", []Hit{
			{Rule: generic, Secret: "s1", Loc: Location{Path: "public/app.js", Line: 1}, Exposure: "x", Raise: true},
			{Rule: generic, Secret: "s1", Loc: Location{Path: "test/app.test.js", Line: 1}},
		}, rules.Critical, []want{{"public/app.js", rules.Critical, false}, {"test/app.test.js", rules.Medium, true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fs := Group(c.hits, false)
			if len(fs) != 1 {
				t.Fatalf("Group: %d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.Severity != c.finding {
				t.Errorf("finding severity %q, want %q", f.Severity, c.finding)
			}
			if len(f.Locations) != len(c.locs) {
				t.Fatalf("%d locations, want %d", len(f.Locations), len(c.locs))
			}
			worst := rules.Severity("")
			for i, w := range c.locs {
				l := f.Locations[i]
				if l.Path != w.path || l.Severity != w.severity || (l.Context != "") != w.lowered {
					t.Errorf("location %d = %s %q (context %q), want %s %q lowered=%v", i, l.Path, l.Severity, l.Context, w.path, w.severity, w.lowered)
				}
				if l.Severity.Rank() > worst.Rank() {
					worst = l.Severity
				}
			}
			if worst != f.Severity {
				t.Errorf("finding severity %q is not its worst location's %q", f.Severity, worst)
			}
		})
	}
}
