package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
)

// RetryPolicy says how often and how long the SDK retries. The accounts
// package re-exports it as accounts.RetryPolicy.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt. Zero takes
	// the default (3); a negative value disables retries.
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
	DefaultMaxRetries    = 3
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

// callState is the per-call state the retry policy, the redirect policy and the
// attempt logger share through the request's context.
type callState struct {
	method     string
	path       string
	idempotent bool
	maxRetries int
	noRedirect bool

	attempts    atomic.Int32  // attempts sent so far
	retries     int           // retries decided so far (only checkRetry touches it)
	refusedWait time.Duration // a Retry-After the policy would not wait for
}

type stateKey struct{}

// idempotent reports whether repeating a request of this method cannot change
// the outcome on the server.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// checkRetry is retryablehttp's CheckRetry. It decides, and when it decides to
// retry it also waits (honouring the context), so that the wait can depend on
// the call's own state; the Backoff given to retryablehttp is zero.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st, _ := ctx.Value(stateKey{}).(*callState)
	if st == nil {
		return false, err
	}
	retry, reason, serverWait, hasServerWait := c.classify(st, resp, err)
	if !retry {
		return false, err
	}
	if st.retries >= st.maxRetries {
		return false, err
	}

	wait := c.backoff(st.retries)
	if hasServerWait {
		if serverWait > c.policy.MaxRetryAfter {
			st.refusedWait = serverWait
			return false, err
		}
		wait = serverWait
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		if hasServerWait {
			st.refusedWait = serverWait
		}
		return false, err
	}
	st.retries++
	if c.logger != nil {
		c.logger.LogAttrs(ctx, slog.LevelInfo, "accounts: retrying",
			slog.String("method", st.method), slog.String("path", st.path),
			slog.Int("attempt", int(st.attempts.Load())), slog.String("reason", reason),
			slog.Duration("wait", wait))
	}
	drainForRetry(resp)
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		case <-t.C:
		}
	}
	return true, nil
}

// classify applies the retry policy to one attempt's outcome: whether it may be
// retried, why, and the wait the server asked for.
func (c *Client) classify(st *callState, resp *http.Response, err error) (retry bool, reason string, wait time.Duration, hasWait bool) {
	if err != nil {
		switch {
		case isFinal(err):
			return false, "", 0, false
		case isDialError(err):
			return true, "connection failed before sending", 0, false
		case st.idempotent:
			return true, "connection error", 0, false
		}
		return false, "", 0, false
	}
	if resp == nil {
		return false, "", 0, false
	}
	wait, hasWait = apierror.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, "429 Too Many Requests", wait, hasWait
	case http.StatusServiceUnavailable:
		if st.idempotent || hasWait {
			return true, "503 Service Unavailable", wait, hasWait
		}
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		if st.idempotent {
			return true, http.StatusText(resp.StatusCode), 0, false
		}
	}
	return false, "", 0, false
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
