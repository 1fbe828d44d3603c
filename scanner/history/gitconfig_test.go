package history

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gittest"
)

// TestParseConfigAgainstGit parses configuration files and compares the
// settings (or the refusal) with `git config --file F --list -z`.
func TestParseConfigAgainstGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	for _, tc := range []struct {
		name, text string
	}{
		{"simple", "[core]\n\trepositoryformatversion = 1\n\tbare = false\n"},
		{"case", "[Core]\n\tRepositoryFormatVersion=0\n"},
		{"subsection", "[remote \"Origin\"]\n\turl = x\n\tpromisor = true\n[remote \"a\\\"b\\\\c\"]\n\tpromisor\n"},
		{"old subsection", "[remote.Origin]\n\tpromisor = TRUE\n"},
		{"comments", "# c\n; c\n[extensions] # c\n\tobjectFormat = sha256 ; c\n\tx = \"a;b#c\" # d\n"},
		{"quotes and escapes", "[a]\n\tb = \"  x  \" y \\t z\\n\\\\\\\"\n\tc = x\\\n  y\n"},
		{"spaces", "[a]\n\tb =   x   y   \n\tc=\n\td\n"},
		{"crlf", "[a]\r\n\tb = c\r\n\td\r\n"},
		{"bom", "\xef\xbb\xbf[a]\n\tb = c\n"},
		{"dashes", "[a-b]\n\tc-d = e\n"},
		{"bad header", "[a\n\tb = c\n"},
		{"bad key", "[a]\n\t1b = c\n"},
		{"no section", "b = c\n"},
		{"bad escape", "[a]\n\tb = \\q\n"},
		{"unterminated quote", "[a]\n\tb = \"x\n"},
		{"unquoted subsection", "[a b]\n\tc = d\n"},
		{"empty", ""},
		{"backslash at the end", "[a]\n\tb = c\\"},
		{"no newline at the end", "[a]\n\tb = c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("git", "config", "--file", path, "--no-includes", "--list", "-z")
			cmd.Env = append(gittest.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
			out, gitErr := cmd.Output()
			cfg, err := readRepoConfig(path)
			if (err != nil) != (gitErr != nil) {
				t.Fatalf("error %v, git's %v", err, gitErr)
			}
			if err != nil {
				return
			}
			var got strings.Builder
			for _, e := range cfg {
				name := ""
				if e.section != "" {
					name = e.section + "."
				}
				if e.sub != "" {
					name += e.sub + "."
				}
				got.WriteString(name + e.name)
				if !e.noValue {
					got.WriteString("\n" + e.value)
				}
				got.WriteByte(0)
			}
			// git lower-cases the section and the name, not the
			// subsection (except in the old [a.b] form).
			if got.String() != string(out) {
				t.Errorf("settings differ\n got: %q\nwant: %q", got.String(), out)
			}
		})
	}
}

// FuzzParseConfig: any file parses or is refused, never a panic; what
// parses has lower-case sections and names.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("[core]\n\trepositoryformatversion = 1\n[remote \"o\"]\n\tpromisor\n"))
	f.Add([]byte("[a.B]\nc = \"x\\\"y\" ; z\\\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig(data)
		if err != nil {
			return
		}
		for _, e := range cfg {
			if e.section != strings.ToLower(e.section) || e.name != strings.ToLower(e.name) || e.name == "" {
				t.Fatalf("bad entry %+v", e)
			}
			if bytes.ContainsAny([]byte(e.name), " =\n") {
				t.Fatalf("bad name %q", e.name)
			}
		}
	})
}
