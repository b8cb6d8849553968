package core

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// RetryPolicy says how often and how long the SDK retries. accounts.RetryPolicy
// is the public form, converted by accounts.WithRetryPolicy.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt. Zero takes
	// the default (5); a negative value disables retries (accounts'
	// MaxRetries of Ptr(0) arrives as -1, nil as 0).
	MaxRetries int
	// MinWait is the first backoff wait (default 500ms); each retry doubles it.
	MinWait time.Duration
	// MaxWait caps one backoff wait (default 30s).
	MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After the SDK will wait for (default
	// 60s). When the server asks for more, or for more than the context's
	// deadline leaves, the SDK stops and returns the answer as an error whose
	// RetryAfter says how long the server asked for.
	MaxRetryAfter time.Duration
}

// Defaults of RetryPolicy.
const (
	DefaultMaxRetries    = 5
	DefaultMinWait       = 500 * time.Millisecond
	DefaultMaxWait       = 30 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = DefaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.MinWait <= 0 {
		p.MinWait = DefaultMinWait
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// idempotent reports whether repeating a request of this method cannot change
// the outcome on the server.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// verdict is the retry policy's reading of one attempt's outcome.
type verdict struct {
	retry  bool
	reason string
	// ambiguous: the attempt may have reached the server and acted (a 5xx
	// without a promise that nothing was done, a connection lost after the
	// request was written, an answer cut short).
	ambiguous bool
	// serverWait is the wait the server asked for (Retry-After), when hasWait.
	serverWait time.Duration
	hasWait    bool
}

// classify applies the retry policy to one attempt's outcome: a transport
// error (err, resp nil), an answer cut short (err a *cutShort) or an answer.
func classify(idem bool, resp *http.Response, err error) verdict {
	if err != nil {
		var cs *cutShort
		switch {
		case isFinal(err):
			return verdict{}
		case isDialError(err):
			return verdict{retry: true, reason: "connection failed before sending"}
		case errors.As(err, &cs) && cs.refusal:
			return verdict{retry: true, reason: "refusal cut short"}
		case errors.As(err, &cs):
			return verdict{retry: idem, reason: "answer cut short", ambiguous: true}
		}
		return verdict{retry: idem, reason: "connection error", ambiguous: true}
	}
	if resp == nil {
		return verdict{}
	}
	v := verdict{reason: resp.Status}
	// Only an answer the policy may retry needs its Retry-After.
	readWait := func() {
		v.serverWait, v.hasWait = apierror.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		readWait()
		v.retry = true
	case http.StatusServiceUnavailable:
		// With Retry-After the server promises it did nothing: even a POST
		// may be sent again.
		readWait()
		v.retry = idem || v.hasWait
		v.ambiguous = !v.hasWait
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		// Django's HTML 500 page, a proxy's 502 or 504: the server may have
		// acted before failing, so only a call whose repetition changes
		// nothing is sent again.
		readWait()
		v.retry, v.ambiguous = idem, true
	}
	return v
}

// backoff is the jittered exponential wait before retry n (0-based): a random
// duration in [d/2, d] where d = MinWait·2ⁿ capped at MaxWait.
func (c *Client) backoff(n int) time.Duration {
	d := c.policy.MinWait
	for i := 0; i < n && d < c.policy.MaxWait; i++ {
		d *= 2
	}
	d = min(d, c.policy.MaxWait)
	half := d / 2
	return half + rand.N(d-half+1)
}

// isFinal reports transport failures that a retry cannot cure: a token source
// failure, a refused redirect, a certificate problem.
func isFinal(err error) bool {
	var te *tokenError
	var re *RedirectError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	return errors.As(err, &te) || errors.As(err, &re) || errors.As(err, &ua) ||
		errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &cv)
}

// isDialError reports a connection that failed before any byte of the request
// was written, so that even a POST can be retried safely.
func isDialError(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	return errors.As(err, &de)
}

// RetryBudget is how many times a call made with opts may be sent again: the
// client's policy, or the call's own WithMaxRetries.
func (c *Client) RetryBudget(opts []requestconfig.Option) int {
	if cfg := requestconfig.Apply(opts); cfg.MaxRetries != nil {
		return max(*cfg.MaxRetries, 0)
	}
	return c.policy.MaxRetries
}
