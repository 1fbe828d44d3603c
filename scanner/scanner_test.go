package scanner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/internal/testsecret"
)

// testRules is a small rule set independent of the default rules, so these
// tests exercise the scanner, not the rule content.
const testRules = `
[[rules]]
id = "test-token"
description = "Test token"
provider = "Test"
severity = "high"
keywords = ["tkn_"]
regex = '''\b(tkn_[A-Za-z0-9]{24})\b'''
secret_group = 1
remediation = "Revoke it."

[[rules]]
id = "test-pem"
description = "Test PEM"
provider = "Test"
severity = "critical"
keywords = ["-----BEGIN TEST KEY-----"]
regex = '''-----BEGIN TEST KEY-----[A-Za-z0-9+/=\r\n]{20,1000}-----END TEST KEY-----'''
window = 8192
remediation = "Rotate it."
`

// token returns a random test token; tokens are built at run time so the
// repository never contains one.
func token(t testing.TB) string {
	return "tkn_" + testsecret.Random(t, testsecret.Alnum, 24)
}

func newTestScanner(t testing.TB, opt Options) *Scanner {
	t.Helper()
	return New(testrules.Matcher(t, "test.toml", testRules), opt)
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func scanDir(t testing.TB, s *Scanner, d *Dir) *Result {
	t.Helper()
	res, err := s.Scan(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type want struct {
	rule, path       string
	line, col, eline int
}

func locs(res *Result) []want {
	var out []want
	for _, f := range res.Findings {
		for _, l := range f.Locations {
			out = append(out, want{f.RuleID, l.Path, l.Line, l.Column, l.EndLine})
		}
	}
	return out
}

func TestScanTree(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tok, tok2 := token(t), token(t)
	pem := "-----BEGIN TEST KEY-----\r\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\nMDEyMzQ1Njc4OQ==\r\n-----END TEST KEY-----"
	minified := strings.Repeat("var a=function(b){return b+1};", 5<<20/30) + "x=\"" + tok2 + "\";"
	writeFiles(t, root, map[string]string{
		"a.env":              "A=1\nTOKEN=" + tok + "\n",
		"crlf.txt":           "one\r\ntwo " + tok + "\r\nthree\r\n",
		"key.pem":            "x\r\n" + pem + "\r\n",
		"app.min.js":         minified,
		"dup/again.txt":      "again: " + tok,
		"allowed.txt":        "t = \"" + tok2 + "\" // keylint:allow\n",
		"allowed-other.txt":  "t = \"" + tok2 + "\" // keylint:allow some-other-rule\n",
		"next.txt":           "# keylint:allow-next-line\nt = " + tok2 + "\n",
		"ignored/secret.txt": tok,
		".gitignore":         "ignored/\n*.log\n",
		"debug.log":          tok,
		"bin.dat":            strings.Repeat("\x00\x01\x02", 100) + tok + "\x00",
		"big.txt":            strings.Repeat("a", 2000) + " " + tok,
		"broken-utf8.txt":    "\xff\xfe " + tok2 + " \xc3\x28\n",
		".git/config":        tok,
	})
	s := newTestScanner(t, Options{Workers: 4, MaxFileSize: 6 << 20})
	res := scanDir(t, s, &Dir{Paths: []string{root}})
	p := func(name string) string { return filepath.ToSlash(filepath.Join(root, name)) }
	got := locs(res)
	exp := []want{
		{"test-token", p("a.env"), 2, 7, 2},
		{"test-token", p("crlf.txt"), 2, 5, 2},
		{"test-token", p("dup/again.txt"), 1, 8, 1},
		{"test-token", p("big.txt"), 1, 2002, 1},
		{"test-token", p("allowed-other.txt"), 1, 6, 1},
		{"test-token", p("app.min.js"), 1, len(minified) - len(tok2) - 1, 1},
		{"test-token", p("broken-utf8.txt"), 1, 4, 1},
		{"test-pem", p("key.pem"), 2, 1, 5},
		// A binary file's printable strings are scanned.
		{"test-token", p("bin.dat"), 1, 301, 1},
	}
	for _, w := range exp {
		if !containsWant(got, w) {
			t.Errorf("missing %+v\ngot %+v", w, got)
		}
	}
	if len(got) != len(exp) {
		t.Errorf("got %d locations, want %d: %+v", len(got), len(exp), got)
	}
	// One finding per distinct secret: tok appears in five files.
	if fp := Fingerprint("test-token", tok); !hasFinding(res, fp, 5) {
		t.Errorf("the token found in five files should be one finding with five locations")
	}
	sum := res.Summary
	if sum.Skipped["binary"] != 0 || sum.Skipped["ignored"] != 2 {
		t.Errorf("skipped = %v, want ignored 2 (binary files are scanned)", sum.Skipped)
	}
	if sum.Silenced["inline-allow"] != 2 {
		t.Errorf("silenced = %v, want inline-allow 2", sum.Silenced)
	}
	if len(res.Allowed) != 2 || res.Allowed[0].Path != p("allowed.txt") || res.Allowed[1].Path != p("next.txt") || res.Allowed[1].Line != 2 {
		t.Errorf("allowed = %+v", res.Allowed)
	}
	// tok2 is in a bundled script: raised to critical as browser-exposed.
	for _, f := range res.Findings {
		if f.Fingerprint == Fingerprint("test-token", tok2) && (!f.BrowserExposed || f.Severity != "critical" || !strings.Contains(f.Exposure, "bundled script")) {
			t.Errorf("token in app.min.js: exposed %v severity %s exposure %q", f.BrowserExposed, f.Severity, f.Exposure)
		}
	}
	if sum.Findings != len(res.Findings) || sum.BySeverity["critical"] != 2 {
		t.Errorf("summary counts = %+v", sum)
	}
	// Nothing printed leaks a whole secret.
	blob, _ := json.Marshal(res)
	for _, secret := range []string{tok, tok2, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="} {
		if bytes.Contains(blob, []byte(secret)) {
			t.Errorf("result contains a whole secret")
		}
	}
}

func hasFinding(res *Result, fingerprint string, nlocs int) bool {
	for _, f := range res.Findings {
		if f.Fingerprint == fingerprint {
			return len(f.Locations) == nlocs
		}
	}
	return false
}

func containsWant(ws []want, w want) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

func TestTooLargeAndUnreadable(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tok := token(t)
	writeFiles(t, root, map[string]string{
		"big.txt":        strings.Repeat("b", 4096) + tok,
		"small.txt":      tok,
		"unreadable.txt": tok,
	})
	unreadable := filepath.Join(root, "unreadable.txt")
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	s := newTestScanner(t, Options{MaxFileSize: 1024})
	res := scanDir(t, s, &Dir{Paths: []string{root}})
	if res.Summary.Skipped["too-large"] != 1 {
		t.Errorf("skipped = %v, want too-large 1", res.Summary.Skipped)
	}
	if os.Geteuid() != 0 { // root reads anything
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Path, "unreadable.txt") {
			t.Errorf("warnings = %v, want one for unreadable.txt", res.Warnings)
		}
		if res.Summary.Skipped["unreadable"] != 1 || !slices.ContainsFunc(res.Summary.SkippedFiles, func(f SkippedFile) bool {
			return f.Reason == "unreadable" && strings.HasSuffix(f.Path, "unreadable.txt")
		}) {
			t.Errorf("skipped files = %v, want unreadable.txt listed as unreadable", res.Summary.SkippedFiles)
		}
	}
	if res.Summary.Findings != 1 {
		t.Errorf("findings = %d, want 1 (the scan goes on)", res.Summary.Findings)
	}
}

func TestSymlinks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	tok := token(t)
	writeFiles(t, outside, map[string]string{"secret.txt": tok})
	writeFiles(t, root, map[string]string{"a/file.txt": "nothing"})
	for _, l := range []struct{ target, link string }{
		{root, filepath.Join(root, "a", "loop")},                             // a loop
		{outside, filepath.Join(root, "out")},                                // leaves the tree
		{filepath.Join(outside, "secret.txt"), filepath.Join(root, "s.txt")}, // a file outside
	} {
		if err := os.Symlink(l.target, l.link); err != nil {
			t.Fatal(err)
		}
	}
	s := newTestScanner(t, Options{})
	res := scanDir(t, s, &Dir{Paths: []string{root}})
	if res.Summary.Findings != 0 || res.Summary.Skipped["symlink"] != 3 {
		t.Errorf("findings %d, skipped %v: symlinks must not be followed", res.Summary.Findings, res.Summary.Skipped)
	}
	// A link named explicitly is followed.
	res = scanDir(t, s, &Dir{Paths: []string{filepath.Join(root, "s.txt")}})
	if res.Summary.Findings != 1 {
		t.Errorf("explicit symlink: findings = %d, want 1", res.Summary.Findings)
	}
}

func TestNoIgnore(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{".gitignore": "*.log\n", "x.log": token(t), "sub/.gitignore": "!keep.log\n", "sub/keep.log": token(t)})
	s := newTestScanner(t, Options{})
	if n := scanDir(t, s, &Dir{Paths: []string{root}}).Summary.Findings; n != 1 {
		t.Errorf("with .gitignore: %d findings, want 1 (sub/keep.log is re-included)", n)
	}
	if n := scanDir(t, s, &Dir{Paths: []string{root}, NoIgnore: true}).Summary.Findings; n != 2 {
		t.Errorf("--no-ignore: %d findings, want 2", n)
	}
}

// TestDeterministic: the same tree gives identical results whatever the
// worker count.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{}
	toks := []string{token(t), token(t), token(t)}
	for i := 0; i < 200; i++ {
		files[filepath.Join("d"+string(rune('a'+i%7)), "f"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+".txt")] =
			strings.Repeat("line\n", i%13) + "k=" + toks[i%3] + "\n"
	}
	writeFiles(t, root, files)
	var first []byte
	for _, w := range []int{1, 2, 8, runtime.NumCPU()} {
		res := scanDir(t, newTestScanner(t, Options{Workers: w}), &Dir{Paths: []string{root}})
		res.Summary.Duration = 0
		b, err := json.Marshal(res.Findings)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatalf("workers=%d: output differs", w)
		}
	}
}

func TestReaderSource(t *testing.T) {
	t.Parallel()
	tok := token(t)
	s := newTestScanner(t, Options{ShowSecrets: true})
	res, err := s.Scan(context.Background(), &Reader{Name: "stdin", R: strings.NewReader("x " + tok)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Secret != tok || res.Findings[0].Locations[0].Path != "stdin" {
		t.Fatalf("findings = %+v", res.Findings)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a.txt": "x"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newTestScanner(t, Options{}).Scan(ctx, &Dir{Paths: []string{root}}); err == nil {
		t.Fatal("a cancelled scan must return an error")
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", "…"},
		{"ab", "…"},
		{"abcdef", "ab…"},
		{"abcdefghijkl", "abcd…"},
		{"tkn_abcdefghijklmnopqrstuvwx", "tkn_…"},
		{"ééééé", "é…"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExcerptRedactsNeighbours(t *testing.T) {
	t.Parallel()
	a, b := token(t), token(t)
	s := newTestScanner(t, Options{})
	res, err := s.Scan(context.Background(), &Reader{Name: "x", R: strings.NewReader("A=" + a + " B=" + b + "\n")})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		ex := f.Locations[0].LineExcerpt
		if strings.Contains(ex, a) || strings.Contains(ex, b) {
			t.Errorf("excerpt %q leaks a secret", ex)
		}
	}
}

func TestInlineAllow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"x keylint:allow", true},
		{"x // keylint:allow test-token", true},
		{"x // keylint:allow other-rule", false},
		{"x // keylint:allow because it is a fixture", true},
		{"x // keylint:allowed", false},
		{"x // keylint:allow-next-line", false},
		{"x", false},
		{"x # gitleaks:allow", true},
		{"x # pragma: allowlist secret", true},
	} {
		if got := allowedBy([]byte(tc.line), "test-token"); got != tc.want {
			t.Errorf("allowedBy(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestNextLineAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"# keylint:allow-next-line", true},
		{"# keylint:allow-next-line test-token", true},
		{"# keylint:allow-next-line other-rule", false},
		{"# pragma: allowlist nextline secret", true},
		{"# keylint:allow", false},
	} {
		if got := nextLineAllowed([]byte(tc.line), "test-token"); got != tc.want {
			t.Errorf("nextLineAllowed(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestFingerprintStable(t *testing.T) {
	t.Parallel()
	a := Fingerprint("r", "s")
	if a != Fingerprint("r", "s") || a == Fingerprint("r2", "s") || a == Fingerprint("r", "s2") || len(a) != 32 {
		t.Fatal("fingerprint must be stable and depend on rule and secret")
	}
}

// TestExcerptRedactsRepeats: a secret of the item is redacted wherever it
// occurs in an excerpt, also where no rule matched it: repeated on its own
// line, or on the line of another finding. With more distinct secrets than
// an excerpt looks for, repeats on the finding's own line still are.
func TestExcerptRedactsRepeats(t *testing.T) {
	t.Parallel()
	x, y := "Xk9mPq2v"+"L7wR4tZb", "Rr8Tg5Jk"+"2Lp9Qm3Zx" // assembled: no secret in the source
	for _, tc := range []struct {
		name  string
		data  string
		spans []string // the secrets matched, each at its first occurrence
		at    string   // the secret whose excerpt is checked
		many  bool     // more distinct secrets than maxSecretTexts
	}{
		{"same line", "password: '" + x + "', passwordRepeat: '" + x + "'\n", []string{x}, x, false},
		{"other line", "a = '" + x + "'\nb = '" + y + "' # was " + x + "\n", []string{x, y}, y, false},
		{"same line, many secrets", "password: '" + x + "', passwordRepeat: '" + x + "'\n", []string{x}, x, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			var spans []span
			for _, s := range tc.spans {
				i := strings.Index(tc.data, s)
				spans = append(spans, span{i, i + len(s)})
			}
			secrets := newSecretSpans(slices.Clone(spans))
			secrets.texts = secretTexts(data, spans)
			if tc.many {
				secrets.texts = nil
			}
			i := strings.Index(tc.data, tc.at)
			ex := excerpt(data, newLocator(data), i, i+len(tc.at), secrets, false)
			if strings.Contains(ex, x) || strings.Contains(ex, y) {
				t.Errorf("excerpt %q leaks a secret", ex)
			}
			if shown := excerpt(data, newLocator(data), i, i+len(tc.at), secrets, true); !strings.Contains(shown, tc.at) {
				t.Errorf("with show, excerpt %q lacks the secret", shown)
			}
		})
	}
	many := make([]span, 0, maxSecretTexts+1)
	var b strings.Builder
	for i := 0; i <= maxSecretTexts; i++ {
		start := b.Len()
		fmt.Fprintf(&b, "secret%04d ", i)
		many = append(many, span{start, b.Len() - 1})
	}
	if got := secretTexts([]byte(b.String()), many); got != nil {
		t.Errorf("secretTexts of %d secrets = %d texts, want nil", len(many), len(got))
	}
}
