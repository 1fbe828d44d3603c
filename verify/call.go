package verify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/keylint/keylint/scanner"
)

// result is what a provider's check concluded.
type result struct {
	status   scanner.VerifyStatus
	identity *scanner.Identity
	err      string
	// transient results (network, rate limit, server error) are not
	// cached.
	transient bool
}

func live(id *scanner.Identity) result { return result{status: scanner.Live, identity: id} }

func liveNote(id *scanner.Identity, note string) result {
	return result{status: scanner.Live, identity: id, err: note}
}

func revoked(why string) result { return result{status: scanner.Revoked, err: why} }

func invalid(why string) result { return result{status: scanner.Invalid, err: why} }

// unknown is a result that says nothing of the key and is not cached.
func unknown(why string) result { return result{status: scanner.Unknown, err: why, transient: true} }

// unknownFixed is an unknown result that will not change by asking again
// (a companion value is missing), so it is cached.
func unknownFixed(why string) result { return result{status: scanner.Unknown, err: why} }

// answer is a provider's HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// call makes the requests of one check, for one provider.
type call struct {
	v      *Verifier
	spec   *spec
	secret string
}

// errRedirect refuses a redirect that leaves the provider.
var errRedirect = errors.New("redirected outside the provider")

// do sends one request. rawURL must be https and its host one of the
// provider's; anything else is refused before a byte is sent. The error,
// when there is one, is a description fit for a report: it names the host
// and the kind of failure, never the URL, headers or body.
func (c *call) do(ctx context.Context, method, rawURL string, header map[string]string, body string) (*answer, string) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || !c.spec.allows(u.Hostname()) || u.User != nil {
		return nil, "internal error: refusing a request outside " + c.spec.name + "'s hosts"
	}
	host := u.Hostname()
	if why := c.v.hostDown(host); why != "" {
		return nil, why
	}
	why, err := c.v.waitTurn(ctx, c.v.limits[c.spec.name].reserve(), host)
	if err != nil {
		return nil, "cancelled before asking " + host
	}
	if why != "" {
		return nil, why // found out while this request waited its turn
	}
	ctx, cancel := context.WithTimeout(ctx, c.v.timeout)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, "internal error: cannot build the request to " + host
	}
	req.Header.Set("User-Agent", "keylint-verify (+https://github.com/keylint/keylint)")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{
		Transport: c.v.transport,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if len(via) >= 3 || r.URL.Scheme != "https" || !c.spec.allows(r.URL.Hostname()) {
				return errRedirect
			}
			return nil
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		c.v.noteResult(host, err)
		return nil, describe(ctx, host, err)
	}
	defer resp.Body.Close()
	c.v.noteResult(host, nil)
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if ctx.Err() != nil {
		// The time ran out while the answer came: whatever arrived (an
		// empty or cut answer) is not the provider's verdict.
		return nil, describe(ctx, host, ctx.Err())
	}
	if err != nil {
		return nil, "reading the answer of " + host + " failed"
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: b}, ""
}

// describe turns a request error into a message that names the host and
// the kind of failure, never the request itself (a URL can hold a token).
func describe(ctx context.Context, host string, err error) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// Whether the time ran out connecting, in the handshake or
		// waiting for the answer, the provider did not answer in time.
		return host + " did not answer within " + strconv.Itoa(int(DefaultTimeout.Seconds())) + " s"
	}
	if why, ok := unreachableReason(host, err); ok {
		return why
	}
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.Is(err, errRedirect):
		return host + " redirected to another host or to plain HTTP; not followed"
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return host + " did not answer within " + strconv.Itoa(int(DefaultTimeout.Seconds())) + " s"
	case errors.Is(err, context.Canceled):
		return "cancelled while asking " + host
	case errors.As(err, &cert), errors.As(err, &unknownCA), errors.As(err, &hostname):
		return "the TLS certificate of " + host + " was not trusted (an intercepting proxy?)"
	}
	return "the request to " + host + " failed"
}

// classify maps the usual HTTP statuses: 200 is parsed by parse, 401 is
// revoked, 403 is forbidden's meaning, 429 and 5xx are unknown.
func (c *call) classify(a *answer, forbidden scanner.VerifyStatus, parse func(*answer) (*scanner.Identity, error)) result {
	switch {
	case a.status >= 200 && a.status < 300:
		id, err := parse(a)
		if err != nil {
			return unknown(c.spec.name + " accepted the key but its answer could not be read")
		}
		return live(id)
	case a.status == http.StatusUnauthorized:
		return revoked(c.spec.name + " refused the key (HTTP 401)")
	case a.status == http.StatusForbidden:
		switch forbidden {
		case scanner.Live:
			return liveNote(nil, c.spec.name+" accepted the key, but it may not read its own identity (HTTP 403: insufficient scope)")
		case scanner.Revoked:
			return revoked(c.spec.name + " refused the key (HTTP 403)")
		}
		return unknown(c.spec.name + " answered HTTP 403")
	}
	return c.other(a)
}

// other describes the statuses every provider shares.
func (c *call) other(a *answer) result {
	switch {
	case a.status == http.StatusTooManyRequests:
		return unknown(c.spec.name + " rate-limited the request (HTTP 429); try again later")
	case a.status >= 500:
		return unknown(c.spec.name + " failed to answer (HTTP " + strconv.Itoa(a.status) + ")")
	}
	return unknown(c.spec.name + " gave an unexpected answer (HTTP " + strconv.Itoa(a.status) + ")")
}

func itoa(n int) string { return strconv.Itoa(n) }
