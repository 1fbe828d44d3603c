package rules

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// exported renders the exported fields of a File, the part a round trip
// must keep (unexported fields are loader state). Empty and nil slices
// are the same to the loader, so both render as null.
func exported(t *testing.T, f *File) string {
	t.Helper()
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "[]", "null")
}

func encode(t *testing.T, f *File) string {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeFile(&b, f); err != nil {
		t.Fatalf("EncodeFile: %v", err)
	}
	return b.String()
}

// roundTrip checks Parse(EncodeFile(f)) against f, and that encoding is
// stable.
func roundTrip(t *testing.T, f *File) string {
	t.Helper()
	out := encode(t, f)
	back, err := Parse("roundtrip.toml", []byte(out))
	if err != nil {
		t.Fatalf("Parse(EncodeFile(f)): %v\n%s", err, out)
	}
	if got, want := exported(t, back), exported(t, f); got != want {
		t.Fatalf("round trip changed the file\ngot  %s\nwant %s\nencoded:\n%s", got, want, out)
	}
	if again := encode(t, back); again != out {
		t.Fatalf("encoding is not stable\nfirst:\n%s\nsecond:\n%s", out, again)
	}
	return out
}

func TestEncodeRoundTripHandBuilt(t *testing.T) {
	t.Parallel()
	off, on := false, true
	lower := 2.5
	f := &File{
		Extends:     "../shared/keylint.toml",
		Defaults:    &off,
		Disable:     []string{"generic-api-key"},
		MaxFileSize: 4 << 20,
		Rules: []*Rule{{
			ID:            "acme-token",
			Description:   `ACME "deploy" token` + "\twith tab",
			Provider:      "ACME Ünïcode",
			Severity:      Critical,
			Keywords:      []string{"acme_", `ac'me`},
			CaseSensitive: true,
			Regex:         `\b(acme_[A-Za-z0-9]{32})(?:['"\s]|$)`,
			SecretGroup:   1,
			Window:        1024,
			Entropy:       3,
			Placeholders:  &on,
			Remediation:   "Revoke it at https://acme.invalid/tokens.\nThen rotate.",
			Matches:       []string{"token = acme_" + strings.Repeat("Zq9", 10) + "xy"},
			NonMatches:    []string{`a\b'''c`, "line1\r\nline2", "ctl\x01\x7f"},
			Allow: []Allowlist{
				{Description: "fixtures", Condition: "AND", Paths: []string{`^testdata/`}, Regexes: []string{`'quoted'\d`}, RegexTarget: "line"},
				{Globs: []string{"**/*.snap"}, Stopwords: []string{"fixture", "sample"}},
			},
		}, {
			ID:       "second",
			Keywords: []string{"sec_"},
			Regex:    `sec_[a-z]{20}`,
			Severity: Low,
		}},
		Override: []Override{{ID: "aws-access-key-id", Severity: Medium, Entropy: &lower}, {ID: "jwt"}},
		Allow:    []Allowlist{{Paths: []string{`(^|/)vendor/`}}, {}},
	}
	out := roundTrip(t, f)
	for _, want := range []string{
		"defaults = false\n",
		"entropy = 3.0\n",
		`regex = '''\b(acme_[A-Za-z0-9]{32})(?:['"\s]|$)'''`,
		`paths = ["^testdata/"]`,
		`regexes = ["'quoted'\\d"]`,
		"[[rules.allow]]\n",
		"[[override]]\nid = \"jwt\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEncodeGolden(t *testing.T) {
	t.Parallel()
	yes := true
	f := &File{
		Defaults: &yes,
		Disable:  []string{"a", "b"},
		Rules: []*Rule{{
			ID: "x-token", Severity: High, Keywords: []string{"x_"}, Regex: `\bx_[a-z]{20}`,
			Allow: []Allowlist{{Stopwords: []string{"test"}}},
		}},
		Allow: []Allowlist{{Condition: "AND", Paths: []string{"docs/"}, Regexes: []string{"^EX"}}},
	}
	const want = `defaults = true
disable = ["a", "b"]

[[rules]]
id = "x-token"
severity = "high"
keywords = ["x_"]
regex = '\bx_[a-z]{20}'

[[rules.allow]]
stopwords = ["test"]

[[allow]]
condition = "AND"
paths = ["docs/"]
regexes = ["^EX"]
`
	if got := roundTrip(t, f); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestEncodeEveryField fills every exported field of a File with non-zero
// values and checks each comes back: a field added to File, Rule, Allowlist
// or Override is encoded, or this test says why not.
func TestEncodeEveryField(t *testing.T) {
	t.Parallel()
	var f File
	fill(reflect.ValueOf(&f).Elem(), 0)
	out := encode(t, &f)
	var back File
	if _, err := toml.Decode(out, &back); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if got, want := exported(t, &back), exported(t, &f); got != want {
		t.Fatalf("got  %s\nwant %s\nencoded:\n%s", got, want, out)
	}
}

// fill sets every exported field to a non-zero value.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(`s\"'` + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth)
	case reflect.Slice:
		if depth > 2 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	}
}

func TestEncodeStrings(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "plain", `back\slash`, `it's \d`, `ends with quote\'`, `three ''' \w`,
		"new\nline", "tab\there", "\x00\x1f\x7f", `"double"`, "ünï €", `\`, `'\'`,
	} {
		q, err := tomlString(s)
		if err != nil {
			t.Fatalf("tomlString(%q): %v", s, err)
		}
		var v struct{ S string }
		if _, err := toml.Decode("S = "+q, &v); err != nil || v.S != s {
			t.Errorf("tomlString(%q) = %s, decodes to %q (%v)", s, q, v.S, err)
		}
	}
	if _, err := tomlString("bad \xff"); err == nil {
		t.Error("invalid UTF-8 encoded without error")
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := EncodeFile(&b, nil); err == nil {
		t.Error("nil file: no error")
	}
	if err := EncodeFile(&b, &File{Rules: []*Rule{nil}}); err == nil {
		t.Error("nil rule: no error")
	}
	err := EncodeFile(&b, &File{Rules: []*Rule{{ID: "x", Regex: "\xff"}}})
	if err == nil || !strings.Contains(err.Error(), "rules.regex") {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
}
