package rules

import (
	"strings"
	"testing"
)

// TestIsDefaultValue pins the shape of a well-known default: digit runs
// and repetitions, admin or root alone or with such digits, a letter run
// with digits; and what is not one, however weak (password, changeme,
// welcome1) or however numeric (a date, a PIN that is no run).
func TestIsDefaultValue(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"123456", true},
		{"12345678", true},
		{"1234567890", true}, // the top row, 0 after 9
		{"654321", true},
		{"987654321", true},
		{"123123", true},
		{"121212", true},
		{"111111", true},
		{"7890", true},
		{"123456789012", true},
		{"admin", true},
		{"ROOT", true},
		{"admin123", true},
		{"Admin@123", true},
		{"root_123456", true},
		{"root123", true},
		{"abc123", true},
		{"abcd1234", true},
		{"pass:123456", true}, // OpenSSL's pass:literal
		{" 123456 ", true},

		{"123", false},           // three digits alone: too short to tell
		{"1234567890123", false}, // longer than the keyboard's row
		{"84736291", false},      // digits, but no run
		{"20190611", false},      // a date
		{"123456678", false},     // a run broken
		{"1231234", false},       // not a whole number of units
		{"admin1", false},        // one digit after the account
		{"admin12", false},       // two
		{"admin1357", false},     // digits that do not run
		{"administrator", false}, // another word
		{"admin123!", false},     // chosen punctuation after the digits
		{"admin@", false},        // a separator and nothing
		{"adg123456", false},     // not an account's name, not a letter run
		{"xyz123", true},         // a letter run
		{"ab123", false},         // two letters are no run
		{"password", false},      // weak, but chosen: reported
		{"changeme", false},      // a product default that opens real systems
		{"welcome1", false},      // a common password
		{"password123", false},   // words with a run are still a chosen password
		{"Harbor12345", false},   // a product's name, not an account's
		{"", false},              // nothing
		{strings.Repeat("1", 40), false},
	} {
		if got := isDefaultValue(c.v); got != c.want {
			t.Errorf("isDefaultValue(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestCredentialFile pins which paths are credential files, where a default
// value is reported as the password it is.
func TestCredentialFile(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{".netrc", true},
		{"home/ci/_netrc", true},
		{"deploy/.pgpass", true},
		{"/root/.my.cnf", true},
		{".git-credentials", true},
		{"conf/tomcat-users.xml", true},
		{"AppData/FileZilla/sitemanager.xml", true},
		{"ftp/RecentServers.xml", true},
		{"nuget/NuGet.Config", true},
		{`C:\Users\me\.docker\config.json`, true},
		{".docker/config.json", true},
		{"home/me/.aws/credentials", true},
		{"home/me/.kube/config", true},
		{"clusters/prod.kubeconfig", true},
		{"deploy/kubeconfig.yaml", true},
		{"home/me/.dockercfg", true},
		{"workspace/.dbeaver/data-sources.json", true},
		{".vscode/sftp.json", true},
		{"", false},
		{"config/application.yml", false},
		{"docker-compose.yml", false},
		{"test/users_test.rb", false},
		{"src/config.json", false},
		{"docs/netrc.md", false},
		{"kube/config", false}, // not under .kube
		{"credentials", false}, // not under .aws
	} {
		if got := credentialFile(c.path); got != c.want {
			t.Errorf("credentialFile(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestDefaultValueRejection runs the default rules over files: a default
// value assigned to a password is rejected with the reason
// "default-value" (seen in --explain) in code and configuration, and
// reported in a credential file; a chosen password beside it is reported
// everywhere, and a rule of a known format keeps its defaults.
func TestDefaultValueRejection(t *testing.T) {
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	for _, c := range []struct {
		name, path, in string
		rule           string // the rule that must report, or "" for none
	}{
		{"yaml digit run", "src/main/resources/application.yml", "spring:\n  redis:\n    password: 123456\n", ""},
		{"yaml account", "src/main/resources/application.yml", "datasource:\n  password: root\n", ""},
		{"env account and run", "docker/.env", "DB_PASSWORD=root123\n", ""},
		{"ruby test", "test/users_test.rb", "User.create!(email: \"a@b.test\", password: \"12345678\")\n", ""},
		{"typescript test", "test/login.spec.ts", "const password = 'admin123'\n", ""},
		{"go test", "config_test.go", "var o = Options{Password: \"654321\"}\n", ""},
		{"chosen yaml", "src/main/resources/application.yml", "datasource:\n  password: Tq7#vLp2sXw9\n", "generic-password-config"},
		{"chosen digits", "test/users_test.rb", "User.create!(email: \"a@b.test\", password: \"84736291\")\n", "generic-password-assignment"},
		{"common password", "test/login.spec.ts", "const password = 'welcome1'\n", "generic-password-assignment"},
		{".my.cnf", "home/me/.my.cnf", "[client]\nuser=root\npassword=root\n", "generic-password-config"},
		{"tomcat-users.xml", "conf/tomcat-users.xml", "<user username=\"tomcat\" password=\"123456\" roles=\"manager-gui\"/>\n", "generic-password-assignment"},
		{"FileZilla", "FileZilla/sitemanager.xml", "<Server><User>admin</User>\n<Pass>admin123</Pass></Server>\n", "generic-password-xml"},
		{".pgpass", "home/me/.pgpass", "localhost:5432:*:postgres:123456\n", "generic-pgpass-line"},
		{"redis.conf", "etc/redis.conf", "requirepass admin123\n", "redis-requirepass"},
	} {
		var got []string
		for _, mt := range m.FindPath(c.path, []byte(c.in), nil) {
			if !mt.File {
				got = append(got, mt.Rule.ID)
			}
		}
		switch {
		case c.rule == "" && len(got) > 0:
			t.Errorf("%s: reported by %v, want nothing", c.name, got)
		case c.rule != "" && !strings.Contains(strings.Join(got, " "), c.rule):
			t.Errorf("%s: reported by %v, want %s", c.name, got, c.rule)
		}
		if c.rule != "" {
			continue
		}
		var reasons []string
		for _, rj := range m.Explain(c.path, []byte(c.in)) {
			reasons = append(reasons, rj.RuleID+": "+rj.Reason)
		}
		if !strings.Contains(strings.Join(reasons, "; "), "default-value") {
			t.Errorf("%s: --explain gives %q, want a default-value rejection", c.name, reasons)
		}
	}
}
