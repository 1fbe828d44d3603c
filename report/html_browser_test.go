package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// chromium returns the path of a Chromium binary on PATH, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserHosts are hosts Chromium itself talks to in the background (time,
// component and extension updates, sign-in), whatever the page, even with
// background networking disabled. Requests to them are not the page's.
var browserHosts = []string{
	"accounts.google.com",
	"android.clients.google.com",
	"clients2.google.com",
	"clientservices.googleapis.com",
	"content-autofill.googleapis.com",
	"optimizationguide-pa.googleapis.com",
	"redirector.gvt1.com",
	"safebrowsingohttpgateway.googleapis.com",
	"update.googleapis.com",
}

// browserRun is what headless Chromium did with a page.
type browserRun struct {
	dom      string
	console  []string // messages the page logged: script errors, CSP violations
	requests []string // requests the page made, as "METHOD host"
}

// consoleRE matches a console message in Chromium's stderr log.
var consoleRE = regexp.MustCompile(`:CONSOLE[^\]]*\] (.*)`)

// openInBrowser renders the HTML page in headless Chromium and returns the
// DOM after load, the console messages, and every network request made
// meanwhile. All traffic goes through a local proxy that records and
// refuses it, so nothing leaves the machine.
func openInBrowser(t *testing.T, bin, page string) browserRun {
	t.Helper()
	var (
		mu   sync.Mutex
		reqs []string
	)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, ok := strings.Cut(host, ":"); ok {
			host = h
		}
		if !slices.Contains(browserHosts, host) {
			mu.Lock()
			reqs = append(reqs, r.Method+" "+r.Host)
			mu.Unlock()
		}
		http.Error(w, "keylint test: no network", http.StatusForbidden)
	}))
	defer proxy.Close()

	// Chromium's helper processes may outlive it for a moment and keep
	// writing to the profile, so the profile is removed on a best-effort
	// basis rather than with t.TempDir.
	profile, err := os.MkdirTemp("", "keylint-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(page)}
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile,
		"--proxy-server="+proxy.URL, "--proxy-bypass-list=<-loopback>",
		"--enable-logging=stderr", "--v=0",
		"--dump-dom", u.String(),
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	run := browserRun{dom: stdout.String()}
	for _, m := range consoleRE.FindAllStringSubmatch(stderr.String(), -1) {
		run.console = append(run.console, m[1])
	}
	mu.Lock()
	run.requests = slices.Clone(reqs)
	mu.Unlock()
	return run
}

// TestHTMLInBrowser opens the report in headless Chromium and checks what a
// reader sees: the headline figures and the inventory, hostile names as
// text, no full secret, no script run, no network request, and nothing
// logged to the console (the Content-Security-Policy logs any blocked
// script or load there).
func TestHTMLInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not on PATH; .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("chromium is not on PATH: install it (Debian: apt-get install chromium) to run the browser test")
	}

	t.Run("report", func(t *testing.T) {
		t.Parallel()
		page := filepath.Join(t.TempDir(), "report.html")
		out := render(t, "html", Options{ToolVersion: "v1.2.3"}, historyFindings(), historySummary())
		if err := os.WriteFile(page, out, 0o600); err != nil {
			t.Fatal(err)
		}
		run := openInBrowser(t, bin, page)
		dom := run.dom

		if !strings.Contains(dom, "</html>") {
			t.Fatalf("no DOM dumped:\n%s", dom)
		}
		for _, want := range []string{
			// Headline figures.
			`<span class="num">6</span><span class="label">distinct secrets</span>`,
			`<span class="num">4</span><span class="label">still live in the current code (HEAD)</span>`,
			`<span class="num">2</span><span class="label">in the git history only</span>`,
			`<span class="num">1</span><span class="label">exposed to web browsers</span>`,
			`<span class="num">2</span><span class="label">Critical</span>`,
			// The inventory, by provider.
			`<h2 id="inventory">Key inventory</h2>`,
			`<h3>AWS<span class="count">1 secret</span></h3>`,
			`<h3>Stripe<span class="count">2 secrets</span></h3>`,
			`<h3>Other<span class="count">1 secret</span></h3>`,
			`<li class="path">config/prod.env</li>`,
			// Hostile names, as text.
			`<li class="path">docs/&lt;script&gt;alert(1)&lt;/script&gt;.md</li>`,
			`"&gt;&lt;img src=x onerror=alert(1)&gt;`,
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("rendered page lacks %q", want)
			}
		}
		for _, f := range historyFindings() {
			if !strings.Contains(dom, `<code class="secret">`+f.Secret+`</code>`) {
				t.Errorf("rendered page lacks the redacted secret %q", f.Secret)
			}
		}
		if n := strings.Count(dom, "<circle "); n != len(historyFindings()) {
			t.Errorf("timeline has %d marks, want %d", n, len(historyFindings()))
		}
		for _, bad := range []string{"<script", "<img", "<iframe", "<object", "<embed"} {
			if strings.Contains(strings.ToLower(dom), bad) {
				t.Errorf("rendered page has an element %s", bad)
			}
		}
		for _, s := range fakeSecrets() {
			if strings.Contains(dom, s.full) {
				t.Errorf("rendered page holds the full secret of %s", s.rule)
			}
		}
		if len(run.console) > 0 {
			t.Errorf("page logged to the console (script error or blocked load):\n%s", strings.Join(run.console, "\n"))
		}
		if len(run.requests) > 0 {
			t.Errorf("page made network requests: %q", run.requests)
		}
	})

	// The control shows that the harness sees what it must catch: a page
	// that loads an image and runs a failing script.
	t.Run("control", func(t *testing.T) {
		t.Parallel()
		page := filepath.Join(t.TempDir(), "control.html")
		const control = `<!DOCTYPE html><html><head><title>control</title></head><body>` +
			`<img src="http://keylint-control.example.com/pixel.png"><script>document.body.dataset.ran = "yes"; notDefined();</script></body></html>`
		if err := os.WriteFile(page, []byte(control), 0o600); err != nil {
			t.Fatal(err)
		}
		run := openInBrowser(t, bin, page)
		if !strings.Contains(run.dom, `data-ran="yes"`) {
			t.Errorf("control script did not run; DOM:\n%s", run.dom)
		}
		if !slices.Contains(run.requests, "GET keylint-control.example.com") {
			t.Errorf("proxy did not see the control image request; saw %q", run.requests)
		}
		if !slices.ContainsFunc(run.console, func(m string) bool { return strings.Contains(m, "notDefined") }) {
			t.Errorf("console did not show the control script error; saw %q", run.console)
		}
	})
}
