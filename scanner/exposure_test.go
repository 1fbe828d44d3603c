package scanner

import (
	"strings"
	"testing"

	"github.com/keylint/keylint/rules"
)

func TestExposure(t *testing.T) {
	t.Parallel()
	secretRule := &rules.Rule{ID: "secret-rule"}
	publicRule := &rules.Rule{ID: "public-rule", BrowserSafe: true}
	const secret = "tkn_ABCDEFGHIJKLMNOPQRSTUVWX"
	for _, tc := range []struct {
		name, path, line string
		rule             *rules.Rule
		raise            bool
		whyLike          string
	}{
		{"public dir", "web/public/config.js", "k = '" + secret + "'", secretRule, true, "under public/"},
		{"dist", "dist/app.js", "k='" + secret + "'", secretRule, true, "under dist/"},
		{"html", "site/index.html", "<script>k='" + secret + "'</script>", secretRule, true, "HTML page"},
		{"minified", "assets/app.min.js", "k='" + secret + "'", secretRule, true, "bundled script"},
		{"next static", "app/.next/static/chunks/main.js", "k='" + secret + "'", secretRule, true, ".next/static"},
		{"NEXT_PUBLIC_", ".env.local", "NEXT_PUBLIC_STRIPE_KEY=" + secret, secretRule, true, "NEXT_PUBLIC_STRIPE_KEY"},
		{"VITE_", "src/config.ts", "const VITE_API_KEY = '" + secret + "'", secretRule, true, "VITE_API_KEY"},
		{"REACT_APP_ json", "env.json", `"REACT_APP_TOKEN": "` + secret + `"`, secretRule, true, "REACT_APP_TOKEN"},
		{"EXPO_PUBLIC_", "app.config.js", "EXPO_PUBLIC_KEY: '" + secret + "'", secretRule, true, "EXPO_PUBLIC_KEY"},
		{"server env", ".env", "STRIPE_SECRET_KEY=" + secret, secretRule, false, ""},
		{"server code", "server/app.go", `key := "` + secret + `"`, secretRule, false, ""},
		{"variable after the secret", "src/a.js", "k='" + secret + "' // VITE_X = 1", secretRule, false, ""},
		{"publishable key in public", "public/index.js", "k='" + secret + "'", publicRule, false, "meant to be public"},
		{"publishable key in NEXT_PUBLIC_", ".env", "NEXT_PUBLIC_MAPS_KEY=" + secret, publicRule, false, "meant to be public"},
		{"build-like name is not a dir", "rebuild.go", "k='" + secret + "'", secretRule, false, ""},
		// Issue 17: seed data next to the assets is not served as it is.
		{"seed data under static", "data/static/users.yml", "  password: '" + secret + "'", secretRule, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := []byte("x\n" + tc.line + "\n")
			i := strings.Index(string(data), secret)
			why, raise := exposure(tc.path, newLocator(data), rules.Match{Rule: tc.rule, SecretStart: i, SecretEnd: i + len(secret)})
			if raise != tc.raise || !strings.Contains(why, tc.whyLike) || (tc.whyLike == "" && why != "") {
				t.Errorf("exposure = %q, %v; want raise %v and a reason containing %q", why, raise, tc.raise, tc.whyLike)
			}
		})
	}
}
