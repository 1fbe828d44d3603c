package scanner

import (
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/keylint/keylint/rules"
)

// browserDirs are directories whose files are served to browsers as they
// are, or built into what is.
var browserDirs = []string{"public", "static", "www", "dist", "build", "out"}

// notServed are extensions of files that sit in a static or public
// directory without being served as they are: seed data, configuration
// and server-side source.
var notServed = map[string]bool{".yml": true, ".yaml": true, ".toml": true, ".ini": true, ".env": true,
	".properties": true, ".sql": true, ".py": true, ".rb": true, ".go": true, ".java": true, ".php": true,
	".cs": true, ".sh": true, ".conf": true, ".cfg": true}

// publicEnv matches assignments to variables that front-end build tools
// inline into browser bundles.
// Compiled on first use: most files never need it.
var publicEnv = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(?:NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_|PUBLIC_)[A-Za-z0-9_]*["']?\s*[:=]`)
})

// servedToBrowsers says why a file is served to browsers, or "".
func servedToBrowsers(p string) string {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	switch {
	case strings.HasSuffix(base, ".html"), strings.HasSuffix(base, ".htm"):
		return "an HTML page"
	case strings.HasSuffix(base, ".min.js"), strings.HasSuffix(base, ".bundle.js"), strings.HasSuffix(base, ".chunk.js"),
		strings.HasPrefix(base, "chunk-") && strings.HasSuffix(base, ".js"):
		return "a bundled script"
	case strings.Contains("/"+lp, "/.next/static/"):
		return "a Next.js static asset (.next/static/)"
	}
	if notServed[path.Ext(base)] {
		return "" // seed data and configuration next to the assets (data/static/users.yml)
	}
	for _, seg := range strings.Split(path.Dir(lp), "/") {
		for _, d := range browserDirs {
			if seg == d {
				return "a file under " + d + "/"
			}
		}
	}
	return ""
}

// exposure decides whether a match is readable by every visitor of a web
// site: it is in a browser-served file, or assigned to a variable that
// front-end build tools expose. Keys meant to be public (rule browser_safe)
// are described but not raised.
func exposure(p string, loc *locator, mt rules.Match) (why string, raise bool) {
	reason := servedToBrowsers(p)
	if reason == "" && loc != nil && loc.data != nil {
		if m := loc.publicEnvBefore(mt.SecretStart); m != nil {
			name := strings.TrimRight(string(m), "\"' \t:=")
			reason = "the browser-exposed variable " + name
		}
	}
	if reason == "" {
		return "", false
	}
	if mt.Rule.BrowserSafe {
		return "in " + reason + ", but this key type is meant to be public in browsers: make sure it is restricted (by HTTP referrer, app or allowed origins) rather than secret", false
	}
	return "exposed to browsers through " + reason + ": every visitor can read it; revoke it and move the call behind a backend that holds the key", true
}
