// Package core is the SDK's transport: it builds requests against the base URL,
// authenticates them, retries them by the SDK's policy, logs them without
// secrets and turns answers into values or *apierror.Error.
//
// Each call runs one retry loop, go-retryablehttp's, configured for that call
// alone (see Do). Below it, the layers are:
//
//	http.Client (shared)        redirects: same origin only
//	  transport                 per-attempt deadline (deadline.go); hides the
//	                            pool from retryablehttp's CloseIdleConnections
//	    oauth2.Transport        sets Authorization from a token source (a
//	                            static key is a header set in Do instead)
//	      base RoundTripper     the caller's, or a pooled *http.Transport
//
// The files hold one job each: do.go the call (Do) and its pooled state,
// loop.go the retry loop's callbacks (deciding, waiting, logging, giving up),
// retry.go the policy, handle.go turning an answer into the call's outcome,
// answer.go reading bodies within their bound, errors.go the errors a call
// returns, deadline.go the per-attempt deadline, auth.go credentials and
// headers, redirect.go redirects, sanitize.go what errors may quote, call.go
// the one-object call; this file the Client, its transport and URLs.
package core

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Defaults of Config.
const (
	// DefaultAttemptTimeout bounds one attempt (connecting, sending, waiting
	// for the answer and reading it) when the caller sets no other bound;
	// stripe-go uses the same.
	DefaultAttemptTimeout = 80 * time.Second
	// DefaultMaxResponseBytes bounds the body of a successful answer, after
	// decompression: a page of 1,000 of the API's largest items is a few
	// megabytes.
	DefaultMaxResponseBytes = 32 << 20
)

// Config is what core.New needs; the accounts package fills it from its options.
type Config struct {
	// BaseURL is absolute and its path ends in "/".
	BaseURL *url.URL
	// HTTPClient is the caller's client, or nil for the SDK's own. It is copied,
	// never changed.
	HTTPClient *http.Client
	// TokenSource authenticates every request; nil sends no Authorization.
	// Its tokens are cached until they expire.
	TokenSource oauth2.TokenSource
	// Authorization, when TokenSource is nil, is the Authorization header's
	// value for every request (a static API key: "Bearer <key>"); it is set
	// on the request directly, without oauth2's copy of each request.
	Authorization string
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one record per attempt and per retry; nil logs nothing.
	Logger *slog.Logger
	// Retry is the retry policy; zero fields take the defaults.
	Retry RetryPolicy
	// AttemptTimeout bounds each attempt; 0 takes DefaultAttemptTimeout. A
	// caller's HTTPClient with a shorter Timeout keeps its own.
	AttemptTimeout time.Duration
	// MaxResponseBytes bounds a successful answer's body; 0 takes
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
}

// Client sends requests for every service of one accounts.Client. It is safe
// for concurrent use.
type Client struct {
	base    *url.URL
	baseStr string
	ua      []string // the User-Agent header's value, shared by every request
	auth    []string // the Authorization header's value with a static key
	logger  *slog.Logger
	policy  RetryPolicy
	maxBody int64
	// follow follows redirects by the SDK's rule; report returns a redirect
	// to the caller (Request.NoRedirect). Both share one transport.
	follow, report *http.Client
	pooled         *http.Transport // the SDK's own transport, nil with a caller's client
	// logged holds the keys of LogOnce's records already written.
	logged sync.Map
}

// New builds a Client. It never changes cfg.HTTPClient.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == nil || !cfg.BaseURL.IsAbs() || !strings.HasSuffix(cfg.BaseURL.Path, "/") {
		return nil, errors.New("core: base URL must be absolute and end in /")
	}
	c := &Client{
		base:    cfg.BaseURL,
		baseStr: cfg.BaseURL.String(),
		logger:  cfg.Logger,
		policy:  cfg.Retry.withDefaults(),
		maxBody: cfg.MaxResponseBytes,
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	if cfg.UserAgent != "" {
		c.ua = []string{cfg.UserAgent}
	}
	if cfg.TokenSource == nil && cfg.Authorization != "" {
		c.auth = []string{cfg.Authorization}
	}

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		c.pooled = newPooledTransport()
		hc.Transport = c.pooled
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if cfg.TokenSource != nil {
		base = &oauth2.Transport{Source: tokenSource(cfg.TokenSource), Base: base}
	}
	timeout := cfg.AttemptTimeout
	if timeout <= 0 {
		timeout = DefaultAttemptTimeout
	}
	hc.Transport = &transport{next: base, timeout: timeout, cause: &AttemptTimeoutError{After: timeout}}
	report := hc
	hc.CheckRedirect = c.redirectPolicy(hc.CheckRedirect)
	report.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.follow, c.report = &hc, &report
	return c, nil
}

// transport is the SDK's layer above the base transport. It bounds each
// attempt by its own deadline (the answer's body included), and it hides the
// base's CloseIdleConnections: go-retryablehttp calls it on the shared client
// every time a call gives up, which would close the idle connections of every
// other call (the SDK's own Client.CloseIdleConnections reaches the pool
// directly).
//
// The deadline is a context per attempt rather than http.Client.Timeout,
// which costs a dozen allocations per request, and a context of the SDK's own
// (see attempt, in deadline.go) rather than context.WithTimeoutCause, whose
// timer, channel and child map it reuses from a pool. An attempt whose
// caller's deadline comes sooner needs none.
type transport struct {
	next    http.RoundTripper
	timeout time.Duration
	cause   error // an *AttemptTimeoutError for timeout
}

// RoundTrip sends r under the attempt's deadline; the answer's body keeps the
// deadline until it is closed. The requests of a redirect chain share the
// deadline of the chain's first request: one attempt, one bound.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	timeout := t.timeout
	if r.Response != nil && r.Response.Request != nil {
		// A redirect's next request: the attempt's deadline, started at its
		// first request, bounds every request of the chain.
		if prev, ok := r.Response.Request.Context().(*attempt); ok {
			if timeout = time.Until(prev.deadline); timeout <= 0 {
				return nil, t.cause
			}
		}
	}
	if dl, ok := r.Context().Deadline(); ok && time.Until(dl) <= timeout {
		return t.next.RoundTrip(r)
	}
	a := newAttempt(r.Context(), timeout, t.cause)
	resp, err := t.next.RoundTrip(r.WithContext(a))
	if err != nil {
		timedOut := a.timedOut()
		a.finish()
		if timedOut && r.Context().Err() == nil {
			return nil, t.cause
		}
		return nil, err
	}
	if resp.Body == nil {
		resp.Body = http.NoBody // net/http does the same, after this layer
	}
	a.body = resp.Body
	resp.Body = a
	return resp, nil
}

// AttemptTimeoutError is an attempt that ran past its deadline (see
// Config.AttemptTimeout). It is a net.Error whose Timeout is true.
type AttemptTimeoutError struct {
	// After is the attempt's deadline.
	After time.Duration
}

// Error says the attempt timed out, and after how long.
func (e *AttemptTimeoutError) Error() string {
	return "the attempt timed out after " + e.After.String()
}

// Timeout is true: the error is a timeout.
func (e *AttemptTimeoutError) Timeout() bool { return true }

// Temporary is true: another attempt may succeed.
func (e *AttemptTimeoutError) Temporary() bool { return true }

// newPooledTransport is http.DefaultTransport's configuration with more idle
// connections per host, since iterators may fetch several pages at once.
func newPooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
}

// BaseURL returns the client's base URL; callers must not change it.
func (c *Client) BaseURL() *url.URL { return c.base }

// CloseIdleConnections closes idle connections of the SDK's own transport. It
// does nothing when the caller supplied the HTTP client.
func (c *Client) CloseIdleConnections() {
	if c.pooled != nil {
		c.pooled.CloseIdleConnections()
	}
}

// Request describes one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is relative to the base URL and already escaped (see package endpoints).
	Path string
	// Query is encoded onto the URL; nil sends none.
	Query url.Values
	// URL, when set, is an absolute URL to call instead of Path and Query (a
	// pagination link, already checked to be on the client's origin).
	URL *url.URL
	// Body is encoded as JSON when non-nil.
	Body any
	// NoRedirect makes the call return a 3xx answer as a Response instead of
	// following it.
	NoRedirect bool
	// Idempotent marks a POST or PATCH whose repetition changes nothing (see
	// the operation table in internal/endpoints): it is retried after a failure that may have
	// reached the server, as a GET, PUT or DELETE is.
	Idempotent bool
}

// Response is what the caller may need of a successful answer besides its body.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
}

// URL builds the absolute URL of r. Paths are appended to the base URL's text,
// so an escaped segment such as %2E%2E is never resolved as "go up".
func (c *Client) URL(r *Request) (*url.URL, error) {
	if r.URL != nil {
		return r.URL, nil
	}
	raw, err := c.urlString(r)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("accounts: invalid request path %q: %w", r.Path, err)
	}
	return u, nil
}

// urlString is URL as text, which the request then parses once.
func (c *Client) urlString(r *Request) (string, error) {
	if r.URL != nil {
		return r.URL.String(), nil
	}
	if strings.HasPrefix(r.Path, "/") || strings.Contains(r.Path, "?") || strings.Contains(r.Path, "#") {
		return "", fmt.Errorf("accounts: invalid request path %q", r.Path)
	}
	if len(r.Query) == 0 {
		return c.baseStr + r.Path, nil
	}
	return c.baseStr + r.Path + "?" + r.Query.Encode(), nil
}

// SameBase reports whether u is on the client's scheme, host and base path, the
// only URLs the SDK will send its credentials to. A path with a dot segment,
// even an escaped one ("%2e%2e", "..%2F"), is refused: a server normalising it
// would serve a resource outside the base path.
func (c *Client) SameBase(u *url.URL) bool {
	return u != nil && u.User == nil &&
		strings.EqualFold(u.Scheme, c.base.Scheme) &&
		strings.EqualFold(u.Host, c.base.Host) &&
		strings.HasPrefix(u.EscapedPath(), c.base.EscapedPath()) &&
		!hasDotSegment(u.Path)
}

// hasDotSegment reports whether a decoded path has a "." or ".." segment,
// counting a backslash as a separator as some servers do.
func hasDotSegment(p string) bool {
	for _, s := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if s == "." || s == ".." {
			return true
		}
	}
	return false
}
