package rules

import (
	"strings"
	"testing"
)

// FuzzDefaultValue runs the default-value judgement and the credential-file
// test on arbitrary values and paths: no panic, a default value is never
// longer than the shapes allow, case never changes the verdict, and a
// credential file keeps every value.
// (Case is compared on ASCII values: the upper case of some other letters
// is an ASCII one.)
func FuzzDefaultValue(f *testing.F) {
	for _, s := range []string{"123456", "Admin@123", "root", "abc123", "1234567890", "pass:123123", "84736291", "", "admin@", "a-"} {
		f.Add(s, "config/application.yml")
	}
	f.Add("123456", "home/me/.pgpass")
	f.Add("admin123", `C:\FileZilla\sitemanager.xml`)
	f.Fuzz(func(t *testing.T, v, path string) {
		d := isDefaultValue(v)
		if d && len(strings.TrimSpace(v)) > 32+len("pass:") {
			t.Fatalf("isDefaultValue(%q): a default of %d bytes", v, len(v))
		}
		if isASCII(v) && !strings.Contains(strings.ToLower(v), "pass:") && isDefaultValue(strings.ToUpper(v)) != d {
			t.Fatalf("isDefaultValue(%q) = %v, but not so in upper case", v, d)
		}
		r := &Rule{Generic: true, Check: "password"}
		why := defaultValueReason(r, path, v)
		if why != "" && (!d || credentialFile(path)) {
			t.Fatalf("defaultValueReason(%q, %q) = %q; default %v, credential file %v", path, v, why, d, credentialFile(path))
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
