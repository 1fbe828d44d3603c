package scanner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
	"github.com/keylint/keylint/internal/testrules"
	"github.com/keylint/keylint/internal/testsecret"
	"github.com/keylint/keylint/rules"
)

// encRules adds a generic rule to testRules: generic rules scan decoded
// text but never the strings of binary files.
const encRules = testRules + `
[[rules]]
id = "test-password"
description = "Password assignment"
provider = "Generic"
severity = "medium"
generic = true
keywords = ["password"]
regex = '''password\s*=\s*"([A-Za-z0-9]{12,})"'''
secret_group = 1
remediation = "Change it."
`

func encScanner(t testing.TB, opt Options) *Scanner {
	t.Helper()
	return New(testrules.Matcher(t, "enc.toml", encRules), opt)
}

const testPEM = "-----BEGIN TEST KEY-----\r\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\nMDEyMzQ1Njc4OQ==\r\n-----END TEST KEY-----"

// TestEncodedFiles scans files as editors and compilers write them: UTF-16
// (PowerShell's default) in both byte orders with and without a BOM, UTF-8
// with a BOM, text with a stray NUL, and binary files holding a key as an
// ASCII or a UTF-16 string. Each finding must have the decoded secret and
// the line and column the file has in an editor (for binary files: lines
// of 0x0A bytes, columns in bytes), and generic rules must stay out of
// binary files.
func TestEncodedFiles(t *testing.T) {
	t.Parallel()
	tok := token(t)
	pw := testsecret.Random(t, testsecret.Alnum, 16)
	ps1 := "# deploy\r\n$x = 1\r\n$t = '" + tok + "'\r\n"
	elf := "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 100)
	type loc struct {
		rule             string
		line, col, eline int
	}
	tests := []struct {
		name    string
		content []byte
		want    []loc
		secret  string // the secret of the first finding, decoded
	}{
		{"utf16le bom", corpus.UTF16(ps1, false, true), []loc{{"test-token", 3, 7, 3}}, tok},
		{"utf16be bom", corpus.UTF16(ps1, true, true), []loc{{"test-token", 3, 7, 3}}, tok},
		{"utf16le no bom", corpus.UTF16(ps1, false, false), []loc{{"test-token", 3, 7, 3}}, tok},
		{"utf16be no bom", corpus.UTF16(ps1, true, false), []loc{{"test-token", 3, 7, 3}}, tok},
		// Columns count bytes of the UTF-8 text, as for a UTF-8 file.
		{"utf16le non-ascii before", corpus.UTF16("é日 "+tok+"\n", false, true), []loc{{"test-token", 1, 7, 1}}, tok},
		{"utf16le no bom mostly japanese", corpus.UTF16("// 設定ファイルの読み込みと検証を行います。\n// パスワードは秘密です。\npassword = \""+pw+"\"\n", false, false), []loc{{"test-password", 3, 13, 3}}, pw},
		{"utf16le key block", corpus.UTF16("x\r\n"+testPEM+"\r\n", false, true), []loc{{"test-pem", 2, 1, 5}}, ""},
		{"utf16le password", corpus.UTF16("a\npassword = \""+pw+"\"\n", false, false), []loc{{"test-password", 2, 13, 2}}, pw},
		{"utf8 bom first line", []byte("\xEF\xBB\xBF" + tok + "\n"), []loc{{"test-token", 1, 1, 1}}, tok},
		{"utf8 bom second line", []byte("\xEF\xBB\xBFa\nkey " + tok + "\n"), []loc{{"test-token", 2, 5, 2}}, tok},
		{"stray nul", []byte("header\x00line\nkey " + tok + "\n" + strings.Repeat("more text\n", 20)), []loc{{"test-token", 2, 5, 2}}, tok},
		{"binary ascii string", []byte(elf + "\n\n" + elf + "str:" + tok + "\x00" + elf), []loc{{"test-token", 3, len(elf) + 5, 3}}, tok},
		{"binary utf16 string", append(append([]byte(elf), corpus.UTF16("key="+tok, false, false)...), elf...), []loc{{"test-token", 1, len(elf) + 9, 1}}, tok},
		{"binary utf16be string", append(append([]byte(elf), corpus.UTF16("key="+tok, true, false)...), elf...), []loc{{"test-token", 1, len(elf) + 10, 1}}, tok},
		{"binary key block", []byte(elf + testPEM + "\x00" + elf), []loc{{"test-pem", 1, len(elf) + 1, 4}}, ""},
		{"binary password", []byte(elf + "password = \"" + pw + "\"\x00" + elf), nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			path := filepath.Join(root, "f")
			if err := os.WriteFile(path, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			// The same content as a file (streamed) and as a blob (read
			// whole), as staged and history scans read it.
			srcs := map[string]Source{
				"file": &Dir{Paths: []string{path}},
				"blob": staticSource{contentItem(filepath.ToSlash(path), tc.content, nil, nil)},
			}
			for name, src := range srcs {
				res, err := encScanner(t, Options{}).Scan(context.Background(), src)
				if err != nil {
					t.Fatal(err)
				}
				var got []loc
				for _, f := range res.Findings {
					for _, l := range f.Locations {
						got = append(got, loc{f.RuleID, l.Line, l.Column, l.EndLine})
					}
				}
				if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
					t.Errorf("%s: findings %v, want %v", name, got, tc.want)
					continue
				}
				if tc.secret != "" && res.Findings[0].Fingerprint != Fingerprint(tc.want[0].rule, tc.secret) {
					t.Errorf("%s: the finding's secret is not the decoded secret", name)
				}
				if res.Summary.Files != 1 || len(res.Summary.SkippedFiles) != 0 {
					t.Errorf("%s: files %d, skipped %v: want the file scanned", name, res.Summary.Files, res.Summary.SkippedFiles)
				}
				for _, f := range res.Findings {
					for _, l := range f.Locations {
						if tc.secret != "" && strings.Contains(l.LineExcerpt, tc.secret) {
							t.Errorf("%s: excerpt shows the whole secret", name)
						}
					}
				}
			}
		})
	}
}

// staticSource yields fixed items.
type staticSource []Item

func (s staticSource) Items(ctx context.Context, yield func(Item) error) error {
	for _, it := range s {
		if err := yield(it); err != nil {
			return err
		}
	}
	return nil
}

// TestBinaryDefaultRules puts keys of the default rules where compilers
// and bundlers put them: a Python bytecode string, a UTF-16 resource
// string of a Windows binary, a SQLite page, Go string data (strings
// back to back), a Java constant. Provider formats are found, even with
// letters of a neighbouring string on either side; a generic password
// assignment in the same file is not reported.
func TestBinaryDefaultRules(t *testing.T) {
	t.Parallel()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(rules.NewMatcher(rs), Options{})
	gh := testsecret.GitHubToken(t)
	pw := testsecret.Random(t, testsecret.Alnum, 20)
	pyc := []byte("\x6f\x0d\x0d\x0a\x00\x00\x00\x00\x00\x00\x00\x00\xe3\x00\x00\x00\x00\x00\x00\x00")
	pyc = append(pyc, 's', byte(len(gh)), 0, 0, 0)
	pyc = append(pyc, gh...)
	pyc = append(pyc, "\x00\x00\xdapassword = \""+pw+"\"\x00\x00\x00"...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 64)...)
	pe = append(pe, corpus.UTF16("GITHUB_TOKEN="+gh, false, false)...)
	pe = append(pe, make([]byte, 64)...)
	sqlite := append([]byte("SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20"), make([]byte, 200)...)
	sqlite = append(sqlite, "\x0d\x00\x00\x00\x01\x0f\xc5\x00\x81\x33\x01\x07\x17\x1b\x1b\x01token"+gh+"\x00\x00"...)
	// Go and Rust keep string data back to back, without separators.
	gobin := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00"), make([]byte, 100)...)
	gobin = append(gobin, "runtime.gopanicinvalid argumentNewRequestWithContext"+gh+"application/jsonAuthorization"...)
	gobin = append(gobin, make([]byte, 100)...)
	// A length-prefixed constant whose length byte is a letter.
	class := append([]byte("\xca\xfe\xba\xbe\x00\x00\x00\x34\x00\x1d\x01\x00"), byte('a'))
	class = append(class, "Xy"+gh...)
	class = append(class, "\x01\x00\x04Code"...)
	for name, data := range map[string][]byte{"mod.pyc": pyc, "app.exe": pe, "app.db": sqlite, "server": gobin, "Config.class": class} {
		res, err := s.Scan(context.Background(), staticSource{contentItem(name, data, nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range res.Findings {
			ids = append(ids, f.RuleID)
		}
		if len(res.Findings) != 1 || res.Findings[0].Fingerprint != Fingerprint("github-classic-pat", gh) {
			t.Errorf("%s: findings %v, want the GitHub token alone", name, ids)
		}
	}
}
