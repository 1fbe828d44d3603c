package report

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

// fill sets every exported field reachable from v (a pointer) to a
// non-zero value derived from seed and the field's name, so that a field
// added to the report types later is covered without editing this test.
// Fields the json format leaves out (`json:"-"`) are left zero.
func fill(t *testing.T, v reflect.Value, name string, seed int) {
	t.Helper()
	switch v.Type() {
	case reflect.TypeFor[rules.Severity]():
		v.SetString(string([]rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low}[seed%4]))
		return
	case reflect.TypeFor[time.Time]():
		zone := time.UTC // JSON keeps the offset, not the zone's name: a zero offset reads back as UTC
		if seed%5 != 0 {
			zone = time.FixedZone("", 3600*(seed%5))
		}
		v.Set(reflect.ValueOf(time.Date(2020+seed, time.Month(1+seed%12), 3, 4, 5, 6, 0, zone)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		if name == "Fingerprint" {
			v.SetString(fmt.Sprintf("%032x", seed+1))
			return
		}
		v.SetString(fmt.Sprintf("%s-%d <é\u202e>", name, seed))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed + len(name)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed + len(name)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.125)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), name, seed)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), name, seed*2+i)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			fill(t, k, name+"Key", seed*3+i)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(t, e, name, seed+i)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fill(t, v.Field(i), f.Name, seed+i)
		}
	case reflect.Interface:
		v.Set(reflect.ValueOf(name))
	default:
		t.Fatalf("fill: field %s has kind %s: teach this test to fill it", name, v.Kind())
	}
}

func filledReport(t *testing.T) ([]scanner.Finding, scanner.Summary) {
	var fs []scanner.Finding
	for seed := range 3 {
		var f scanner.Finding
		fill(t, reflect.ValueOf(&f).Elem(), "Finding", seed)
		fs = append(fs, f)
	}
	var sum scanner.Summary
	fill(t, reflect.ValueOf(&sum).Elem(), "Summary", 7)
	return fs, sum
}

// TestJSONRoundTrip writes a json report in which every field of every
// report type is set, reads it back and writes it again: the two reports
// are byte for byte equal, and the findings and summary read back are
// those written. A field added to Finding, Location or Summary is filled
// too, so a reader that lost it fails here.
func TestJSONRoundTrip(t *testing.T) {
	fs, sum := filledReport(t)
	r, err := New("json", Options{ToolVersion: "v9.8.7", RulesHash: "0123abcd", SecretsShown: true})
	if err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := r.Report(&first, fs, sum); err != nil {
		t.Fatal(err)
	}
	doc, err := ReadJSON(bytes.NewReader(first.Bytes()), "first", 0)
	if err != nil {
		t.Fatal(err)
	}
	if doc.KeylintVersion != "v9.8.7" || doc.RulesHash != "0123abcd" || !doc.SecretsShown {
		t.Errorf("version %q, rules hash %q", doc.KeylintVersion, doc.RulesHash)
	}
	var second bytes.Buffer
	if err := r.Report(&second, doc.Findings, doc.Summary); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("report changed on a round trip:\n%s\n----\n%s", first.Bytes(), second.Bytes())
	}
	want := normalize(fs)
	if !reflect.DeepEqual(doc.Findings, want) {
		t.Errorf("findings read back differ:\n got %+v\nwant %+v", doc.Findings, want)
	}
	if !reflect.DeepEqual(doc.Summary, normalizeSummary(sum)) {
		t.Errorf("summary read back differs:\n got %+v\nwant %+v", doc.Summary, sum)
	}
}

func TestReadJSONErrors(t *testing.T) {
	valid := `{"findings": [], "inventory": [], "summary": {}}`
	finding := func(fields string) string {
		return `{"findings": [{"rule_id": "r", "fingerprint": "0123456789abcdef0123456789abcdef", "severity": "high"` + fields + `}], "summary": {}}`
	}
	tests := []struct {
		name, in string
		limit    int64
		err      string
	}{
		{"valid", valid, 0, ""},
		{"valid finding", finding(""), 0, ""},
		{"empty", " \n", 0, "empty file"},
		{"not JSON", "rule,severity\n", 0, "invalid JSON at byte"},
		{"truncated", valid[:20], 0, "truncated"},
		{"jsonl", `{"rule_id": "r"}` + "\n" + `{"rule_id": "s"}`, 0, "unknown field \"rule_id\""},
		{"two objects", valid + valid, 0, "data after the report"},
		{"unknown top-level field", `{"findings": [], "summary": {}, "extra": 1}`, 0, "newer keylint"},
		{"unknown finding field", finding(`, "colour": "red"`), 0, "unknown field \"colour\""},
		{"no findings", `{"summary": {}}`, 0, "no \"findings\" field"},
		{"no summary", `{"findings": []}`, 0, "no \"summary\" field"},
		{"null findings", `{"findings": null, "summary": {}}`, 0, "no \"findings\" field"},
		{"wrong type", `{"findings": {}, "summary": {}}`, 0, "holds a JSON object"},
		{"bad severity", strings.Replace(finding(""), `"high"`, `"urgent"`, 1), 0, "unknown severity \"urgent\""},
		{"bad fingerprint", strings.Replace(finding(""), "0123456789abcdef0123", "0123", 1), 0, "not 32 hexadecimal digits"},
		{"no rule id", strings.Replace(finding(""), `"rule_id": "r"`, `"rule_id": " "`, 1), 0, "no rule_id"},
		{"over the limit", valid, 10, "larger than 10 bytes"},
		{"at the limit", valid, int64(len(valid)), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.in), "r.json", tc.limit)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "r.json: ") {
				t.Fatalf("error %v, want one naming r.json and saying %q", err, tc.err)
			}
		})
	}
}

// FuzzReadJSON checks that any input is read or refused with an error,
// never a crash, and that what is read writes back to a report that reads
// back to the same report.
func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"findings": [], "inventory": [], "summary": {}}`))
	f.Add([]byte(`{"keylint_version": "v1", "rules_hash": "ab", "findings": [{"rule_id": "r", "fingerprint": "0123456789abcdef0123456789abcdef", "severity": "high", "locations": [{"repository": "a", "path": "p", "line": 1, "date": "2024-01-02T03:04:05Z"}]}], "summary": {"files": 1, "by_severity": {"high": 1}}}`))
	f.Add([]byte(`{"findings": [{}], "summary": {"skipped_files": [{"path": "x", "reason": "binary"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadJSON(bytes.NewReader(data), "fuzz", 1<<20)
		if err != nil {
			return
		}
		r, _ := New("json", Options{RulesHash: doc.RulesHash, ToolVersion: doc.KeylintVersion, SecretsShown: doc.SecretsShown})
		var out bytes.Buffer
		if err := r.Report(&out, doc.Findings, doc.Summary); err != nil {
			t.Fatal(err)
		}
		again, err := ReadJSON(bytes.NewReader(out.Bytes()), "again", 0)
		if err != nil {
			t.Fatalf("a report written from a read report does not read back: %v\n%s", err, out.Bytes())
		}
		var out2 bytes.Buffer
		if err := r.Report(&out2, again.Findings, again.Summary); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("not stable:\n%s\n%s", out.Bytes(), out2.Bytes())
		}
	})
}
