package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/hashicorp/go-retryablehttp"
)

// Do sends r, retrying by the policy, and decodes a 2xx answer into out when
// out is non-nil; then a 204, an empty body, null or text after the value is
// an error. With a nil out any 2xx is success. Any other answer becomes an
// *apierror.Error. With r.NoRedirect a 3xx answer is returned as a Response,
// not followed.
//
// The attempts run in go-retryablehttp's loop, set up for this call alone:
// the policy's decisions (checkRetry), the wait (backoff), the reading of each
// answer (handle, so that an answer cut short is retried in the same loop)
// and the final error (giveUp) are closures over the call's own state.
func (c *Client) Do(ctx context.Context, r *Request, out any, opts []requestconfig.Option) (Response, error) {
	if ctx == nil {
		return Response{}, errors.New("accounts: nil context")
	}
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	cfg := requestconfig.Apply(opts)
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}

	rawURL, err := c.urlString(r)
	if err != nil {
		return Response{}, err
	}
	var rawBody any // a nil []byte would still be sent as an empty body
	if r.Body != nil {
		body, err := json.Marshal(r.Body)
		if err != nil {
			return Response{}, fmt.Errorf("accounts: encoding %s %s body: %w", r.Method, pathOf(rawURL), err)
		}
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, rawURL, rawBody)
	if err != nil {
		return Response{}, fmt.Errorf("accounts: building %s %s: %w", r.Method, pathOf(rawURL), sanitize(err))
	}
	// Constant header values are shared, read-only slices: no allocation
	// per call (a RoundTripper must not change the request).
	h := req.Header
	h["Accept"] = acceptJSON
	if c.ua != nil {
		h["User-Agent"] = c.ua
	}
	if rawBody != nil {
		h["Content-Type"] = acceptJSON
	}
	for name, vs := range cfg.Header {
		if !ValidHeaderName(name) {
			return Response{}, apierror.Invalid("header", "%s is not a valid header name", apierror.Quote(name))
		}
		h.Del(name)
		for _, v := range vs {
			if !ValidHeaderValue(v) {
				// The value is not quoted: a header may carry a secret.
				return Response{}, apierror.Invalid("header", "%s's value holds a control character", name)
			}
			h.Add(name, v)
		}
	}
	if c.auth != nil {
		h["Authorization"] = c.auth // after the caller's headers, as a token source's would be
	}

	k := callPool.Get().(*call)
	defer k.release()
	k.c, k.ctx, k.out = c, ctx, out
	k.method, k.path = r.Method, req.URL.EscapedPath()
	k.idempotent = r.Idempotent || idempotent(r.Method)
	k.maxRetries = c.policy.MaxRetries
	if cfg.MaxRetries != nil {
		k.maxRetries = max(*cfg.MaxRetries, 0)
	}
	k.noRedirect = r.NoRedirect
	req.SetResponseHandler(k.handleFn)
	k.loop.HTTPClient = c.follow
	if k.noRedirect {
		k.loop.HTTPClient = c.report
	}
	k.loop.RetryMax = k.maxRetries

	if _, err := k.loop.Do(req); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Response{}, k.ended(ctxErr)
		}
		return Response{}, err
	}
	// handle has read and closed the body; the outcome is in k.
	if k.err != nil && ctx.Err() != nil {
		return Response{}, k.ended(ctx.Err())
	}
	if k.err == nil && cfg.OnResponse != nil {
		cfg.OnResponse(k.res.StatusCode, k.res.Header)
	}
	return k.res, k.err
}

// acceptJSON is the value of the Accept and Content-Type headers.
var acceptJSON = []string{"application/json"}

// pathOf returns the path of a URL the SDK built, for error messages.
func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.EscapedPath()
	}
	return "(unreadable path)"
}

// callPool keeps call values, each with its retry loop and callbacks bound to
// it once, so that a call allocates neither.
var callPool = sync.Pool{New: func() any {
	k := &call{}
	k.loop = retryablehttp.Client{
		CheckRetry:     k.checkRetry,
		Backoff:        k.backoff,
		ErrorHandler:   k.giveUp,
		RequestLogHook: k.attempt,
		// Logger stays nil: retryablehttp's own lines quote whole URLs.
	}
	k.handleFn = k.handle
	return k
}}

// release clears the call's state, so that the pool holds no caller's
// value, and returns it to the pool.
func (k *call) release() {
	k.callState = callState{}
	k.body = answerReader{}
	k.loop.HTTPClient = nil
	callPool.Put(k)
}

// call is the state of one Do: what the loop's callbacks share. Only the
// goroutine running the loop touches it.
type call struct {
	// loop is go-retryablehttp's client for this call, its callbacks bound
	// to this call; handleFn is the response handler, bound likewise.
	loop     retryablehttp.Client
	handleFn retryablehttp.ResponseHandlerFunc
	body     answerReader
	callState
}

// callState is what one call changes in its pooled call.
type callState struct {
	c          *Client
	ctx        context.Context
	method     string
	path       string
	idempotent bool
	maxRetries int
	noRedirect bool
	out        any

	attempts    int           // attempts started
	retries     int           // retries decided
	start       time.Time     // of the current attempt, when logging
	handled     bool          // handle has read the current attempt's answer
	wait        time.Duration // the wait checkRetry chose for backoff
	refusedWait time.Duration // a Retry-After the policy would not wait for
	ambiguous   bool          // an earlier attempt may have reached the server and acted
	reached     bool          // the last attempt's request may have reached the server and acted

	res Response // the outcome handle decided
	err error
}
