package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
)

// TestSARIFStructure decodes the SARIF output and checks what GitHub code
// scanning requires of an upload.
func TestSARIFStructure(t *testing.T) {
	t.Parallel()
	fs := testFindings()
	out := render(t, "sarif", Options{ToolVersion: "v1.2.3"}, fs, testSummary())

	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name            string `json:"name"`
					InformationURI  string `json:"informationUri"`
					Version         string `json:"version"`
					SemanticVersion string `json:"semanticVersion"`
					Rules           []struct {
						ID               string `json:"id"`
						Name             string `json:"name"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						FullDescription struct {
							Text string `json:"text"`
						} `json:"fullDescription"`
						Help struct {
							Text     string `json:"text"`
							Markdown string `json:"markdown"`
						} `json:"help"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
							EndLine     int `json:"endLine"`
							EndColumn   int `json:"endColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("decoding SARIF: %v", err)
	}

	if log.Version != "2.1.0" {
		t.Errorf("version = %q", log.Version)
	}
	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("$schema = %q", log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "keylint" || d.InformationURI != "https://github.com/keylint/keylint" {
		t.Errorf("driver name %q, informationUri %q", d.Name, d.InformationURI)
	}
	if d.Version != "v1.2.3" || d.SemanticVersion != "1.2.3" {
		t.Errorf("driver version %q, semanticVersion %q", d.Version, d.SemanticVersion)
	}

	ruleIndex := make(map[string]int)
	var prev string
	for i, r := range d.Rules {
		if _, dup := ruleIndex[r.ID]; dup {
			t.Errorf("rule %q listed twice", r.ID)
		}
		if r.ID <= prev {
			t.Errorf("rules not sorted by id: %q after %q", r.ID, prev)
		}
		prev = r.ID
		ruleIndex[r.ID] = i
		if r.Name == "" || strings.Contains(r.Name, "-") {
			t.Errorf("rule %q: name %q is not CamelCase", r.ID, r.Name)
		}
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %q: missing description or help", r.ID)
		}
		switch r.DefaultConfiguration.Level {
		case "error", "warning", "note":
		default:
			t.Errorf("rule %q: level %q", r.ID, r.DefaultConfiguration.Level)
		}
		if s, ok := r.Properties["security-severity"].(string); !ok || s == "" {
			t.Errorf("rule %q: security-severity %v is not a non-empty string", r.ID, r.Properties["security-severity"])
		}
		tags, _ := r.Properties["tags"].([]any)
		if len(tags) != 2 || tags[0] != "security" || tags[1] != "secret" {
			t.Errorf("rule %q: tags %v", r.ID, tags)
		}
	}
	wantRules := map[string]bool{}
	wantResults := 0
	for _, f := range fs {
		wantRules[f.RuleID] = true
		wantResults += len(f.Locations)
	}
	if len(ruleIndex) != len(wantRules) {
		t.Errorf("%d rules, want %d", len(ruleIndex), len(wantRules))
	}
	if len(run.Results) != wantResults {
		t.Errorf("%d results, want one per location (%d)", len(run.Results), wantResults)
	}

	for i, res := range run.Results {
		idx, ok := ruleIndex[res.RuleID]
		if !ok {
			t.Errorf("result %d: ruleId %q not in rules", i, res.RuleID)
		}
		if res.RuleIndex == nil || *res.RuleIndex != idx {
			t.Errorf("result %d: ruleIndex %v, want %d", i, res.RuleIndex, idx)
		}
		if res.Level == "" || res.Message.Text == "" {
			t.Errorf("result %d: empty level or message", i)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI == "" || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: artifactLocation %+v", i, pl.ArtifactLocation)
		}
		u, err := url.Parse(pl.ArtifactLocation.URI)
		if err != nil || u.Scheme != "" || u.IsAbs() || strings.HasPrefix(u.Path, "/") {
			t.Errorf("result %d: uri %q is not a valid relative reference (%v)", i, pl.ArtifactLocation.URI, err)
		}
		if strings.ContainsAny(pl.ArtifactLocation.URI, " \x1b\r\n") {
			t.Errorf("result %d: uri %q is not percent-encoded", i, pl.ArtifactLocation.URI)
		}
		if r := pl.Region; r.StartLine < 1 || r.StartColumn < 1 || r.EndLine < r.StartLine {
			t.Errorf("result %d: bad region %+v", i, r)
		}
		if res.PartialFingerprints["keylint/v1"] == "" {
			t.Errorf("result %d: no keylint/v1 partial fingerprint", i)
		}
	}

	// Every path round-trips through the URI.
	paths := map[string]bool{}
	for _, f := range fs {
		for _, l := range f.Locations {
			paths[l.Path] = true
		}
	}
	for _, res := range run.Results {
		u, _ := url.Parse(res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		if !paths[u.Path] {
			t.Errorf("uri %q decodes to %q, not a scanned path", res.Locations[0].PhysicalLocation.ArtifactLocation.URI, u.Path)
		}
	}
}

func TestSARIFRegionClamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		loc  scanner.Location
		want sarifRegion
	}{
		{"normal", scanner.Location{Line: 3, Column: 5, EndLine: 3, EndColumn: 9}, sarifRegion{3, 5, 3, 9}},
		{"multi-line", scanner.Location{Line: 3, Column: 5, EndLine: 6, EndColumn: 2}, sarifRegion{3, 5, 6, 2}},
		{"zero", scanner.Location{}, sarifRegion{1, 1, 0, 0}},
		{"negative", scanner.Location{Line: -1, Column: -4, EndLine: -1, EndColumn: -1}, sarifRegion{1, 1, 0, 0}},
		{"end before start", scanner.Location{Line: 4, Column: 9, EndLine: 2, EndColumn: 3}, sarifRegion{4, 9, 4, 10}},
	}
	for _, tt := range tests {
		if got := sarifRegionFor(tt.loc); got != tt.want {
			t.Errorf("%s: sarifRegionFor(%+v) = %+v, want %+v", tt.name, tt.loc, got, tt.want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want string
		abs  bool
	}{
		{"src/main.go", "src/main.go", false},
		{"./src/main.go", "src/main.go", false},
		{"my app/a b.txt", "my%20app/a%20b.txt", false},
		{"a#b?c%d.txt", "a%23b%3Fc%25d.txt", false},
		{"c:secret.txt", "c%3Asecret.txt", false},
		{"ünï/配置.go", "%C3%BCn%C3%AF/%E9%85%8D%E7%BD%AE.go", false},
		{"evil\x1b[31m\r.txt", "evil%1B%5B31m%0D.txt", false},
		{"/abs/path/x.go", "file:///abs/path/x.go", true},
	}
	for _, tt := range tests {
		got, abs := artifactURI(tt.path)
		if got != tt.want || abs != tt.abs {
			t.Errorf("artifactURI(%q) = %q, %v; want %q, %v", tt.path, got, abs, tt.want, tt.abs)
		}
	}
}

func TestCamelCase(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"aws-access-key-id", "AwsAccessKeyId"},
		{"github-pat", "GithubPat"},
		{"openai-api-key", "OpenaiApiKey"},
		{"x", "X"},
		{"pkcs8-private-key", "Pkcs8PrivateKey"},
	}
	for _, tt := range tests {
		if got := camelCase(tt.in); got != tt.want {
			t.Errorf("camelCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSARIFVersion(t *testing.T) {
	t.Parallel()
	tests := []struct{ version, wantVersion, wantSemver string }{
		{"", "dev", ""},
		{"v0.4.0", "v0.4.0", "0.4.0"},
		{"1.0.0-rc.1+abc", "1.0.0-rc.1+abc", "1.0.0-rc.1+abc"},
		{"(devel)", "(devel)", ""},
	}
	for _, tt := range tests {
		var log sarifLog
		if err := json.Unmarshal(render(t, "sarif", Options{ToolVersion: tt.version}, nil, scanner.Summary{}), &log); err != nil {
			t.Fatal(err)
		}
		d := log.Runs[0].Tool.Driver
		if d.Version != tt.wantVersion || d.SemanticVersion != tt.wantSemver {
			t.Errorf("ToolVersion %q: version %q, semanticVersion %q; want %q, %q",
				tt.version, d.Version, d.SemanticVersion, tt.wantVersion, tt.wantSemver)
		}
		if log.Runs[0].Results == nil || d.Rules == nil {
			t.Errorf("ToolVersion %q: results or rules is null, want []", tt.version)
		}
	}
}
