package rules

import (
	"path"
	"strings"
)

// Well-known default values (issue 17). A password a person chose is a
// secret whatever its entropy, but some values are not chosen at all: the
// digit runs and repetitions that a form accepts when it insists on a
// password (123456, 654321, 123123, 000000), and the name of a product's
// administrative account, alone or followed by such digits (admin, root,
// admin123, root@123), or a run of letters followed by one (abc123). Written
// next to a password's name in code, a test, a tutorial or a sample
// configuration they are what CredData calls a test value or an example,
// not a credential: the generic rules reject them, with the reason
// "default-value".
//
// The class is defined by shape, not by a list of common passwords: a list
// would also hold "password", "changeme" and "welcome1", which in a
// configuration file open real systems and are reported. Two places keep
// every value: credential files (.netrc, .pgpass, .my.cnf, FileZilla's and
// DBeaver's stores, tomcat-users.xml ...), where any literal password is
// the secret whatever it looks like, and the rules of a known format, which
// know what they match.

// defaultValueReason says why the secret of a generic rule found in the
// file at path is a well-known default rather than a credential, or "".
func defaultValueReason(r *Rule, path, secret string) string {
	if !r.Generic || r.Check != "password" && r.Check != "credential" {
		return ""
	}
	if !isDefaultValue(secret) || credentialFile(path) {
		return ""
	}
	return "default-value"
}

// maxDefaultDigits is the longest digit run or repetition taken for a
// default: 123456789012 is still typed along the keyboard's top row, a
// longer number is more likely an identifier someone meant.
const maxDefaultDigits = 12

// isDefaultValue reports whether v is a well-known default: a digit run or
// repetition of four digits or more, or admin or root (any case) alone or
// followed by a digit run or repetition of three digits or more, after at
// most one separator, or a run of three letters or more (abc) followed by
// one.
func isDefaultValue(v string) bool {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "pass:"); ok {
		v = rest // OpenSSL's pass:literal
	}
	if len(v) > 32 {
		return false
	}
	lv := strings.ToLower(v)
	i := 0
	for i < len(lv) && 'a' <= lv[i] && lv[i] <= 'z' {
		i++
	}
	word, digits := lv[:i], lv[i:]
	if word != "" && digits != "" && strings.ContainsRune("@_.#-", rune(digits[0])) {
		digits = digits[1:]
	}
	switch {
	case word == "":
		return len(digits) >= 4 && defaultDigits(digits)
	case digits == "":
		return productAccount(word) && len(word) == len(lv)
	case len(digits) < 3 || !defaultDigits(digits):
		return false
	}
	return productAccount(word) || len(word) >= 3 && letterRun(word)
}

// productAccount reports whether w is the name of the administrative
// account that products ship with.
func productAccount(w string) bool { return w == "admin" || w == "root" }

// defaultDigits reports whether d is made of at most maxDefaultDigits
// digits that run up or down the keyboard's top row (123456, 7890, 654321)
// or repeat a shorter unit (111111, 123123, 1212).
func defaultDigits(d string) bool {
	if len(d) > maxDefaultDigits || !isDigits(d) {
		return false
	}
	up, down := true, true
	for i := 1; i < len(d); i++ {
		a, b := d[i-1]-'0', d[i]-'0'
		up = up && b == (a+1)%10
		down = down && a == (b+1)%10
	}
	if up || down {
		return true
	}
	for p := 1; 2*p <= len(d); p++ {
		if len(d)%p == 0 && d[p:] == d[:len(d)-p] {
			return true
		}
	}
	return false
}

// letterRun reports whether w (lower case) runs up the alphabet: abc, abcdef.
func letterRun(w string) bool {
	for i := 1; i < len(w); i++ {
		if w[i] != w[i-1]+1 {
			return false
		}
	}
	return true
}

// credentialFileNames are the base names (lower case) of files whose only
// job is to hold credentials: a password there is the secret whatever it
// looks like.
var credentialFileNames = setOf(
	".netrc", "_netrc", ".pgpass", "pgpass.conf", ".my.cnf", ".mylogin.cnf", ".git-credentials", ".npmrc", ".pypirc",
	".s3cfg", ".boto", ".htpasswd", ".dockercfg", "kubeconfig", "kubeconfig.yaml", "kubeconfig.yml", "sitemanager.xml", "recentservers.xml", "filezilla.xml",
	"winscp.ini", "sftp-config.json", "sftp.json", ".ftpconfig", ".remote-sync.json", "deployment-config.json",
	"data-sources.xml", "data-sources.json", "credentials-config.json", "robomongo.json", "robo3t.json",
	"nuget.config", "gradle.properties", "tomcat-users.xml", "ventrilo_srv.ini", "credentials.xml",
)

// credentialFileTails are the paths (lower case, from a directory's name)
// of credential files whose base name alone is too common to tell.
var credentialFileTails = []string{
	".docker/config.json", ".aws/credentials", ".kube/config", ".m2/settings.xml", ".gradle/gradle.properties",
}

// credentialFile reports whether the slash-separated path names a
// credential file: a store of passwords or tokens for a tool (.netrc,
// .pgpass, FileZilla's sitemanager.xml, DBeaver's data-sources.json,
// tomcat-users.xml ...), rather than code or a configuration that also
// holds one.
func credentialFile(p string) bool {
	if p == "" {
		return false
	}
	lp := strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
	if credentialFileNames[path.Base(lp)] || strings.HasSuffix(lp, ".kubeconfig") {
		return true
	}
	for _, t := range credentialFileTails {
		if lp == t || strings.HasSuffix(lp, "/"+t) {
			return true
		}
	}
	return false
}
