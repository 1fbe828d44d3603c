package gitexec

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/gitexec/gitexectest"
)

func TestOverrides(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		keys  []string
		want  []string // arguments that must be there
		never []string // arguments that must not be there
	}{
		{"static", nil, []string{"-c", "log.showSignature=false", "-c", "gpg.program=", "-c", "gpg.ssh.program=", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"}, nil},
		{"textconv keeps the driver's case", []string{"diff.Evil.textconv"}, []string{"-c", "diff.Evil.textconv="}, nil},
		{"driver command", []string{"diff.x.command"}, []string{"-c", "diff.x.command="}, nil},
		{"driver with dots", []string{"diff.a.b.c.textconv"}, []string{"-c", "diff.a.b.c.textconv="}, nil},
		{"filter", []string{"filter.lfs.process", "filter.lfs.clean", "filter.lfs.smudge", "filter.lfs.required"},
			[]string{"-c", "filter.lfs.clean=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false", "-c", "filter.lfs.smudge="}, nil},
		{"merge driver", []string{"merge.ours.driver", "merge.ours.name"}, []string{"-c", "merge.ours.driver="}, []string{"merge.ours.name="}},
		{"credential per url", []string{"credential.https://example.com.helper"}, []string{"-c", "credential.https://example.com.helper="}, nil},
		{"gpg format", []string{"gpg.foo.program", "gpg.ssh.defaultkeycommand"}, []string{"-c", "gpg.foo.program="}, nil},
		{"protocol", []string{"protocol.ext.allow", "protocol.file.allow"}, []string{"-c", "protocol.ext.allow=never", "-c", "protocol.file.allow=never"}, nil},
		{"remote programs", []string{"remote.origin.uploadpack", "remote.origin.receivepack", "remote.origin.proxy"},
			[]string{"-c", "remote.origin.proxy=", "-c", "remote.origin.receivepack=git-receive-pack", "-c", "remote.origin.uploadpack=git-upload-pack"}, nil},
		{"http per url", []string{"http.https://x.proxy", "http.https://x.cookiefile"}, []string{"-c", "http.https://x.cookiefile=", "-c", "http.https://x.proxy="}, nil},
		{"pager", []string{"pager.log", "pager.diff"}, []string{"-c", "pager.diff=false", "-c", "pager.log=false"}, nil},
		{"name with equals", []string{"diff.a=b.textconv"}, []string{"--config-env=diff.a=b.textconv=KEYLINT_GIT_EMPTY"}, []string{"diff.a=b.textconv="}},
		{"left alone", []string{"url.x.insteadof", "alias.log", "user.name", "include.path", "core.abbrev"}, nil,
			[]string{"url.x.insteadof=", "alias.log=", "user.name=", "include.path="}},
		{"duplicates once", []string{"diff.x.textconv", "diff.x.textconv"}, []string{"-c", "diff.x.textconv="}, nil},
		{"not keys", []string{"", ".", "diff.", ".x", "nodot", "diff.x\ny.textconv"}, nil, []string{"diff.=", "nodot="}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Overrides(tc.keys)
			if !containsInOrder(got, tc.want) {
				t.Errorf("Overrides(%q) = %q, want %q in it", tc.keys, got, tc.want)
			}
			for _, n := range tc.never {
				for _, a := range got {
					if a == n {
						t.Errorf("Overrides(%q) holds %q", tc.keys, n)
					}
				}
			}
			if c := strings.Count(strings.Join(got, "\x00"), "diff.x.textconv="); c > 1 {
				t.Errorf("diff.x.textconv given %d times", c)
			}
		})
	}
}

// containsInOrder reports whether every argument of want (a "-c" with the
// setting after it, or one argument) is in got.
func containsInOrder(got, want []string) bool {
	for i := 0; i < len(want); i++ {
		w := want[i : i+1]
		if want[i] == "-c" && i+1 < len(want) {
			w = want[i : i+2]
			i++
		}
		found := false
		for j := 0; j+len(w) <= len(got); j++ {
			if slices.Equal(got[j:j+len(w)], w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func TestParseConfigList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      string
		origins bool
		want    []ConfigEntry
		err     bool
	}{
		{"empty", "", false, nil, false},
		{"values", "core.bare\nfalse\x00diff.Evil.textconv\nsh -c x\x00", false,
			[]ConfigEntry{{Name: "core.bare", Value: "false", HasValue: true}, {Name: "diff.Evil.textconv", Value: "sh -c x", HasValue: true}}, false},
		{"no value", "core.bare\x00", false, []ConfigEntry{{Name: "core.bare"}}, false},
		{"value with newline", "a.b\nx\ny\x00", false, []ConfigEntry{{Name: "a.b", Value: "x\ny", HasValue: true}}, false},
		{"origins", "file:.git/config\x00include.path\nx.cfg\x00", true, []ConfigEntry{{Origin: "file:.git/config", Name: "include.path", Value: "x.cfg", HasValue: true}}, false},
		{"origin without setting", "file:x\x00", true, nil, true},
		{"unterminated", "a.b\nc", false, nil, true},
		{"not a key", "ab\nc\x00", false, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseConfigList([]byte(tc.in), tc.origins)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseConfigNames(t *testing.T) {
	t.Parallel()
	got, err := ParseConfigNames([]byte("core.bare\x00diff.a=b.textconv\x00"))
	if err != nil || !slices.Equal(got, []string{"core.bare", "diff.a=b.textconv"}) {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range []string{"core.bare", "core.bare\nfalse\x00", "x\x00"} {
		if _, err := ParseConfigNames([]byte(bad)); err == nil {
			t.Errorf("ParseConfigNames(%q): no error", bad)
		}
	}
}

// FuzzOverrides checks, for any list of configured keys, that every key
// needing an override gets exactly one that git reads as that very key
// (split as git splits -c at the first "=", --config-env at the last), and
// that nothing else is overridden but the fixed keys.
func FuzzOverrides(f *testing.F) {
	f.Add([]byte("diff.Evil.textconv\x00filter.x.clean\x00pager.log"))
	f.Add([]byte("diff.a=b.textconv\x00credential.https://a=b.helper\x00url.x.insteadof"))
	f.Add([]byte("protocol.ext.allow\x00gpg.x.program\x00remote.o.uploadpack"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := strings.Split(string(data), "\x00")
		got := Overrides(keys)
		static := map[string]bool{}
		for _, kv := range staticOverrides {
			static[kv[0]] = true
		}
		seen := map[string]int{}
		for i := 0; i < len(got); i++ {
			var key string
			switch a := got[i]; {
			case a == "-c":
				if i+1 >= len(got) {
					t.Fatalf("-c at the end: %q", got)
				}
				i++
				k, _, ok := strings.Cut(got[i], "=")
				if !ok {
					t.Fatalf("-c %q has no value", got[i])
				}
				key = k
			case strings.HasPrefix(a, "--config-env="):
				spec := strings.TrimPrefix(a, "--config-env=")
				j := strings.LastIndexByte(spec, '=')
				if j < 0 || !strings.HasPrefix(spec[j+1:], "KEYLINT_GIT_") {
					t.Fatalf("bad %q", a)
				}
				key = spec[:j]
			default:
				t.Fatalf("unexpected argument %q in %q", a, got)
			}
			if strings.ContainsAny(key, "\x00\n") {
				t.Fatalf("key %q cannot be given", key)
			}
			seen[key]++
		}
		for _, k := range keys {
			section, sub, variable, ok := splitKey(k)
			if !ok || strings.ContainsAny(k, "\x00\n") {
				continue
			}
			_, need := dynamicOverride(section, sub, variable)
			if need && !isStatic(k) && seen[k] != 1 {
				t.Errorf("key %q overridden %d times", k, seen[k])
			}
			// A file that sets the key is one git must be asked about.
			text := "[" + section + "]\n\t" + variable + " = x\n"
			if sub != "" {
				text = "[" + section + " \"" + sub + "\"]\n\t" + variable + " = x\n"
			}
			if need && isKeyName(section) && isKeyName(variable) && !mentionsDynamic([]byte(strings.ToUpper(text))) {
				t.Errorf("a file setting %q is not flagged: %q", k, text)
			}
		}
		for k, n := range seen {
			if static[k] && n == 1 {
				continue
			}
			section, sub, variable, ok := splitKey(k)
			if _, need := dynamicOverride(section, sub, variable); !ok || !need || !slices.Contains(keys, k) {
				t.Errorf("%q overridden though not configured or harmless", k)
			}
		}
	})
}

// isKeyName reports whether s is spelled as git spells section and
// variable names: letters, digits and "-".
func isKeyName(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return s != ""
}

// FuzzParseConfigList checks that the parser of `git config --list -z`
// never panics and that what it accepts prints back to the same bytes.
func FuzzParseConfigList(f *testing.F) {
	f.Add([]byte("core.bare\nfalse\x00diff.Evil.textconv\nsh -c x\x00"), false)
	f.Add([]byte("file:.git/config\x00include.path\nx.cfg\x00"), true)
	f.Add([]byte("a.b\x00"), false)
	f.Fuzz(func(t *testing.T, data []byte, origins bool) {
		entries, err := ParseConfigList(data, origins)
		if err != nil {
			return
		}
		var b bytes.Buffer
		for _, e := range entries {
			if origins {
				b.WriteString(e.Origin)
				b.WriteByte(0)
			}
			b.WriteString(e.Name)
			if e.HasValue {
				b.WriteByte('\n')
				b.WriteString(e.Value)
			}
			b.WriteByte(0)
		}
		if !bytes.Equal(b.Bytes(), data) {
			t.Errorf("%q parsed to %+v, which prints as %q", data, entries, b.Bytes())
		}
		if names, err := ParseConfigNames(data); err == nil && !origins {
			for i, n := range names {
				if n != entries[i].Name || entries[i].HasValue {
					t.Errorf("names %q disagree with entries %+v", names, entries)
				}
			}
		}
	})
}

// TestMentionsDynamic: a configuration file that sets any key of the
// hostile set needing a dynamic override is flagged, so git is asked for
// the keys; an ordinary one is not.
func TestMentionsDynamic(t *testing.T) {
	t.Parallel()
	m := gitexectest.NewMarker(t)
	for _, kv := range m.Settings() {
		section, sub, variable, ok := splitKey(kv[0])
		if !ok {
			t.Fatalf("%q is not a key", kv[0])
		}
		if _, need := dynamicOverride(section, sub, variable); !need {
			continue
		}
		text := fmt.Sprintf("[%s %q]\n\t%s = x\n", strings.ToUpper(section), sub, strings.ToUpper(variable))
		if !mentionsDynamic([]byte(text)) {
			t.Errorf("%q is not flagged", text)
		}
	}
	plain := "[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote \"origin\"]\n\turl = https://example.com/a.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"main\"]\n\tremote = origin\n\tmerge = refs/heads/main\n"
	if mentionsDynamic([]byte(plain)) {
		t.Errorf("an ordinary configuration is flagged")
	}
}
