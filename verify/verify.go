// Package verify asks a secret's provider whether the secret works and
// whom it belongs to: one read-only HTTPS request to the provider's
// documented identity ("who am I") endpoint per secret, for the providers
// in [Providers].
//
// Safety is the point of the package's shape:
//
//   - Every endpoint is a constant of this package, per provider; no flag,
//     environment variable, configuration or scanned file can change where
//     a secret goes. (The one exception is Shopify, whose API lives on the
//     shop's own host: only a name matching <shop>.myshopify.com is used.)
//   - HTTPS only; a redirect is followed only to a host of the same
//     provider, over HTTPS, at most three times.
//   - A secret is sent only to the provider whose rule found it, and never
//     appears in a log line or an error string: errors are described from
//     their kind, never by quoting the request.
//   - 5 s per request, a bounded number of requests at once, a minimum
//     interval between two requests to one provider, and HTTPS_PROXY
//     honoured (http.ProxyFromEnvironment).
//   - Results are cached per fingerprint for a TTL behind [Cache].
//   - Without network every status is unknown with the reason: a host
//     whose name does not resolve or that cannot be reached fails every
//     later request to it at once, and after failures on three hosts with
//     no success at all the network is taken to be down.
//
// The transport can be swapped only by the package's own tests.
package verify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/keylint/keylint/scanner"
)

// Defaults of [Options].
const (
	DefaultTimeout     = 5 * time.Second
	DefaultConcurrency = 8
	DefaultInterval    = 100 * time.Millisecond
	DefaultTTL         = 24 * time.Hour
	// maxBody bounds how much of an answer is read.
	maxBody = 1 << 20
	// downAfter is how many hosts must fail at the network level, with no
	// success at all, before every remaining request is given up.
	downAfter = 3
)

// Options configure a [Verifier]. The zero value is usable.
type Options struct {
	// Concurrency bounds the requests in flight (default 8).
	Concurrency int
	// Interval is the least time between two requests to one provider
	// (default 100 ms): a per-provider rate limit.
	Interval time.Duration
	// Cache stores results per fingerprint; nil means a fresh
	// [MemoryCache] with [DefaultTTL].
	Cache Cache
	// ReadFile returns the content of a scanned file by its path, for the
	// values a few providers need beside the secret (a GCP service
	// account's e-mail and key, a Twilio account SID, a Shopify shop
	// name). Nil when the files cannot be read (history, merged reports).
	ReadFile func(path string) ([]byte, error)
	// Now returns the time recorded as checked_at (default time.Now).
	Now func() time.Time
}

// Verifier verifies findings. It is safe for concurrent use.
type Verifier struct {
	opt     Options
	timeout time.Duration
	// transport is the HTTP transport; only the package's tests replace it.
	transport http.RoundTripper
	limits    map[string]*limiter

	mu      sync.Mutex
	down    map[string]string // host -> why it cannot be reached
	anyOK   bool              // some request reached some host
	netDown string            // set once the network is taken to be down
	// wake is closed (and replaced) whenever a host is found unreachable,
	// waking the requests waiting for their turn.
	wake chan struct{}
}

// New returns a Verifier.
func New(opt Options) *Verifier {
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Cache == nil {
		opt.Cache = NewMemoryCache(DefaultTTL, nil)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	v := &Verifier{
		opt:       opt,
		timeout:   DefaultTimeout,
		transport: newTransport(),
		limits:    map[string]*limiter{},
		down:      map[string]string{},
		wake:      make(chan struct{}),
	}
	for _, s := range specs {
		v.limits[s.name] = &limiter{interval: opt.Interval}
	}
	return v
}

// newTransport is the production transport: proxies from the environment,
// TLS 1.2 or later, and every phase bounded by the request timeout.
func newTransport() *http.Transport {
	d := &net.Dialer{Timeout: DefaultTimeout}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   DefaultTimeout,
		ResponseHeaderTimeout: DefaultTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
}

// Providers returns the names of the providers whose keys are verified,
// sorted.
func Providers() []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.name)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Supports reports whether findings of ruleID get a verification.
func Supports(ruleID string) bool { return specFor(ruleID) != nil }

// Input is one secret to verify.
type Input struct {
	RuleID string
	Secret string
	// Related holds the whole secrets of other findings in the same files,
	// by rule id: the other half of a pair (an AWS key ID and its secret,
	// a Twilio API key and its secret, Datadog API and application keys).
	Related map[string][]string
	// Paths are the files the secret occurs in.
	Paths []string
}

// Verify sets Verification on every finding whose rule has a verifier,
// with the result of one request per distinct fingerprint (or of the
// cache). Findings of other rules are left as they are. It returns when
// every request has finished or ctx is done; a cancelled request leaves its
// finding unknown.
func (v *Verifier) Verify(ctx context.Context, fs []scanner.Finding) {
	related := relatedSecrets(fs)
	type job struct {
		in  Input
		fp  string
		idx []int
	}
	jobs := map[string]*job{}
	var order []string
	for i := range fs {
		f := &fs[i]
		if specFor(f.RuleID) == nil {
			continue
		}
		if j, ok := jobs[f.Fingerprint]; ok {
			j.idx = append(j.idx, i)
			continue
		}
		in := Input{RuleID: f.RuleID, Secret: f.RawSecret(), Related: map[string][]string{}}
		for _, l := range f.Locations {
			in.Paths = append(in.Paths, l.Path)
			for rule, secrets := range related[l.Path] {
				in.Related[rule] = append(in.Related[rule], secrets...)
			}
		}
		slices.Sort(in.Paths)
		in.Paths = slices.Compact(in.Paths)
		for rule := range in.Related {
			slices.Sort(in.Related[rule])
			in.Related[rule] = slices.Compact(in.Related[rule])
		}
		jobs[f.Fingerprint] = &job{in: in, fp: f.Fingerprint, idx: []int{i}}
		order = append(order, f.Fingerprint)
	}
	results := make([]scanner.Verification, len(order))
	// A fixed number of workers take the secrets in order; each writes
	// only its own results.
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(v.opt.Concurrency, len(order)) {
		wg.Go(func() {
			for i := range next {
				results[i] = v.verifyOne(ctx, order[i], jobs[order[i]].in)
			}
		})
	}
	for i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for n, fp := range order {
		r := results[n]
		for _, i := range jobs[fp].idx {
			rc := r
			fs[i].Verification = &rc
		}
	}
}

// verifyOne returns the cached or fresh result for one secret.
func (v *Verifier) verifyOne(ctx context.Context, fp string, in Input) scanner.Verification {
	if in.Secret == "" {
		return scanner.Verification{Status: scanner.Unknown, CheckedAt: v.opt.Now().UTC(),
			Error: "not verified: the report holds only a redacted secret; verify while scanning, or merge reports written with --show-secrets"}
	}
	if fp != "" {
		if r, ok := v.opt.Cache.Get(fp); ok {
			return r
		}
	}
	s := specFor(in.RuleID)
	res := s.check(ctx, &call{v: v, spec: s, secret: in.Secret}, in)
	r := scanner.Verification{Status: res.status, Identity: res.identity, CheckedAt: v.opt.Now().UTC(), Error: scrub(res.err, in)}
	// Answers that may change within the TTL for reasons other than the
	// key (no network, a rate limit, a cancelled run) are not cached.
	if fp != "" && !res.transient {
		v.opt.Cache.Put(fp, r)
	}
	return r
}

// scrub removes the secret and its companions from a message: messages
// are built without them, and this makes sure.
func scrub(msg string, in Input) string {
	if msg == "" {
		return ""
	}
	msg = strings.ReplaceAll(msg, in.Secret, "[secret]")
	for _, ss := range in.Related {
		for _, s := range ss {
			if s != "" {
				msg = strings.ReplaceAll(msg, s, "[secret]")
			}
		}
	}
	return msg
}

// relatedSecrets maps each path to the whole secrets found in it, by rule.
func relatedSecrets(fs []scanner.Finding) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for i := range fs {
		raw := fs[i].RawSecret()
		if raw == "" {
			continue
		}
		for _, l := range fs[i].Locations {
			m := out[l.Path]
			if m == nil {
				m = map[string][]string{}
				out[l.Path] = m
			}
			m[fs[i].RuleID] = append(m[fs[i].RuleID], raw)
		}
	}
	return out
}

// limiter spaces requests to one provider by at least interval.
type limiter struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

// reserve returns when the next request to the provider may go, and
// books that moment.
func (l *limiter) reserve() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	return at
}

// waitTurn waits for the booked moment at. It returns early, with the
// reason, when host is found unreachable meanwhile, or when ctx is done.
func (v *Verifier) waitTurn(ctx context.Context, at time.Time, host string) (string, error) {
	for {
		if why := v.hostDown(host); why != "" {
			return why, nil
		}
		d := time.Until(at)
		if d <= 0 {
			return "", nil
		}
		v.mu.Lock()
		wake := v.wake
		v.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-wake: // some host went down: check this one again
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		}
		t.Stop()
	}
}

// hostDown returns why host cannot be reached, or "" when it may be tried.
func (v *Verifier) hostDown(host string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.netDown != "" {
		return v.netDown
	}
	return v.down[host]
}

// noteResult records whether a request to host reached it.
func (v *Verifier) noteResult(host string, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err == nil {
		v.anyOK = true
		return
	}
	why, unreachable := unreachableReason(host, err)
	if !unreachable {
		return
	}
	if _, seen := v.down[host]; !seen {
		v.down[host] = why
		close(v.wake)
		v.wake = make(chan struct{})
	}
	if strings.Contains(why, "proxy") && v.netDown == "" {
		v.netDown = "no network: " + why // every request goes through it
	}
	if !v.anyOK && len(v.down) >= downAfter && v.netDown == "" {
		v.netDown = "no network: " + plural(len(v.down)) + " could not be reached (last: " + why + ")"
	}
}

func plural(n int) string {
	if n == 1 {
		return "1 provider"
	}
	return itoa(n) + " providers"
}

// unreachableReason says whether err means host cannot be reached at all
// (no DNS, no route, refused), and why, without quoting the request.
func unreachableReason(host string, err error) (string, bool) {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "DNS lookup of " + host + " failed (" + dns.Err + ")", true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		switch op.Op {
		case "dial":
			return "cannot connect to " + host + " (" + opReason(op) + ")", true
		case "proxyconnect":
			return "cannot connect to the HTTPS proxy (" + opReason(op) + ")", true
		}
	}
	return "", false
}

// opReason is the system's reason for a failed dial, without addresses.
func opReason(op *net.OpError) string {
	if op.Timeout() {
		return "timed out"
	}
	msg := op.Err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}
