package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
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

// attempt is the loop's RequestLogHook: it runs before every attempt.
func (k *call) attempt(_ retryablehttp.Logger, _ *http.Request, _ int) {
	k.attempts++
	k.handled = false
	if k.c.logger != nil {
		k.start = time.Now()
	}
}

// checkRetry is the loop's CheckRetry. The loop calls it after each attempt
// (resp or err), and again after handle has read a final answer (err is then
// handle's: nil, or a *cutShort).
func (k *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if _, cut := err.(*cutShort); !cut {
		if k.handled {
			return false, nil // the answer is read and final
		}
		k.logAttempt(resp, err)
		k.reached = mayHaveReached(resp, err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	v := classify(k.idempotent, resp, err)
	if !v.retry || k.retries >= k.maxRetries {
		return false, err
	}
	wait := k.c.backoff(k.retries)
	if v.hasWait {
		if v.serverWait > k.c.policy.MaxRetryAfter {
			k.refusedWait = v.serverWait
			return false, err
		}
		wait = v.serverWait
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		if v.hasWait {
			k.refusedWait = v.serverWait
		}
		return false, err
	}
	k.retries++
	k.wait = wait
	k.ambiguous = k.ambiguous || v.ambiguous
	if k.c.logger != nil {
		k.c.logger.LogAttrs(ctx, slog.LevelInfo, "accounts: retrying",
			slog.String("method", k.method), slog.String("path", k.path),
			slog.Int("attempt", k.attempts), slog.String("reason", v.reason),
			slog.Duration("wait", wait))
	}
	return true, nil
}

// backoff is the loop's Backoff: the wait checkRetry chose.
func (k *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return k.wait }

// logAttempt logs one attempt's outcome: method, path, attempt, duration and
// status, never the query string or a header.
func (k *call) logAttempt(resp *http.Response, err error) {
	l := k.c.logger
	if l == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", k.method),
		slog.String("path", k.path),
		slog.Int("attempt", k.attempts),
		slog.Duration("duration", time.Since(k.start)),
	}
	if err != nil {
		var te *tokenError
		msg := "transport error"
		if errors.As(err, &te) {
			msg = "token source error"
		}
		l.LogAttrs(k.ctx, slog.LevelWarn, "accounts: request failed", append(attrs, slog.String("error", msg))...)
		return
	}
	l.LogAttrs(k.ctx, slog.LevelDebug, "accounts: request", append(attrs, slog.Int("status", resp.StatusCode))...)
}

// cutShort is handle's report of a successful answer whose body the
// connection cut short: the loop retries it if the call is idempotent.
type cutShort struct {
	err     error
	refusal bool // a 4xx answer: the server did nothing
}

func (e *cutShort) Error() string { return e.err.Error() }
func (e *cutShort) Unwrap() error { return e.err }

// handle is the loop's response handler: it runs on every answer the policy
// does not retry, and reads it into the call's outcome. It returns an error
// only for an answer cut short, which the loop then offers to checkRetry.
func (k *call) handle(resp *http.Response) error {
	k.handled = true
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case k.noRedirect && resp.StatusCode >= 300 && resp.StatusCode < 400:
		closeBody(resp.Body)
		k.res, k.err = Response{StatusCode: resp.StatusCode, Header: resp.Header}, nil
		return nil
	case resp.StatusCode == http.StatusNotFound && k.method == http.MethodDelete && k.ambiguous:
		// An earlier attempt may have deleted it: the object is gone, which
		// is what the caller asked for.
		if k.c.logger != nil {
			k.c.logger.LogAttrs(k.ctx, slog.LevelInfo, "accounts: already deleted by an earlier attempt",
				slog.String("method", k.method), slog.String("path", k.path), slog.Int("attempt", k.attempts))
		}
		closeBody(resp.Body)
		k.res, k.err = Response{StatusCode: resp.StatusCode, Header: resp.Header}, nil
		return nil
	default:
		b, readErr := io.ReadAll(io.LimitReader(resp.Body, apierror.MaxBody))
		closeBody(resp.Body)
		e := apierror.New(k.method, k.path, resp.StatusCode, resp.Header, b)
		if k.refusedWait > 0 && e.RetryAfter == 0 {
			e.RetryAfter = k.refusedWait
		}
		e.MayHaveActed = !k.idempotent && classify(false, resp, nil).ambiguous
		k.res, k.err = Response{}, e
		if readErr != nil && resp.StatusCode < 500 && k.ctx.Err() == nil {
			// A refusal whose explanation was cut short: the server did
			// nothing, so asking again is safe for any call, and gives
			// the caller the whole message (which, for an invitation,
			// says whether it was already done).
			return &cutShort{err: e, refusal: true}
		}
		return nil
	}

	k.res, k.err = Response{StatusCode: resp.StatusCode, Header: resp.Header}, nil
	if k.out == nil {
		closeBody(resp.Body)
		return nil
	}
	if resp.StatusCode == http.StatusNoContent {
		closeBody(resp.Body)
		k.res, k.err = Response{}, k.acted(fmt.Errorf("accounts: %s %s: the server answered 204 No Content where a value was expected%s", k.method, k.path, k.mayHaveActed()))
		return nil
	}
	if k.attempts > 1 {
		// An earlier attempt may have decoded part of a cut answer.
		if v := reflect.ValueOf(k.out); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().SetZero()
		}
	}
	body := &k.body
	*body = answerReader{r: resp.Body, left: k.c.maxBody}
	err := decode(body, k.out)
	if err == nil && body.first == 'n' {
		err = errors.New("the answer is null where a value was expected")
	}
	if err == nil && !body.atEOF {
		closeBody(resp.Body) // the connection failed after a complete value
		return nil
	}
	_ = resp.Body.Close()
	if err == nil {
		return nil
	}
	k.res = Response{}
	switch {
	case body.tooLarge || errors.Is(err, ErrResponseTooLarge):
		k.err = k.acted(fmt.Errorf("accounts: %s %s: %w (bound: %d bytes)%s", k.method, k.path, ErrResponseTooLarge, k.c.maxBody, k.mayHaveActed()))
	case body.cut && k.ctx.Err() == nil:
		k.err = k.acted(fmt.Errorf("accounts: %s %s: the answer was cut short%s: %w", k.method, k.path, k.mayHaveActed(), sanitize(err)))
		return &cutShort{err: k.err}
	default:
		k.err = k.acted(fmt.Errorf("accounts: %s %s: decoding the answer%s: %w", k.method, k.path, k.mayHaveActed(), err))
	}
	return nil
}

// mayHaveActed is said in the error of a successful answer the SDK cannot
// read: for a call that is not idempotent the server has done what was asked,
// and repeating the call would do it again.
func (k *call) mayHaveActed() string {
	if k.idempotent {
		return ""
	}
	return " (the server answered success: it may have acted; check before repeating the call)"
}

// acted marks err, the failure to read a successful answer, as one after
// which the server may have acted, when the call is not idempotent.
func (k *call) acted(err error) error {
	if k.idempotent {
		return err
	}
	return &actedError{err}
}

// actedError is a failure after which the server may have acted; errors.Is
// matches it with apierror.ErrMayHaveActed.
type actedError struct{ error }

func (e *actedError) Unwrap() error        { return e.error }
func (e *actedError) Is(target error) bool { return target == apierror.ErrMayHaveActed }

// mayHaveReached reports whether an attempt that ended in resp or err may
// have reached the server and acted: it failed after the connection was made,
// or the server answered success or an answer that promises nothing.
func mayHaveReached(resp *http.Response, err error) bool {
	if err != nil {
		return !isDialError(err) && !isFinal(err)
	}
	return resp != nil && (resp.StatusCode < 300 || classify(false, resp, nil).ambiguous)
}

// ended is the error of a call its context ended: the context's error, or,
// for a call that is not idempotent and whose request may have reached the
// server, a *TransportError saying so that still matches the context's error
// with errors.Is.
func (k *call) ended(ctxErr error) error {
	if k.idempotent || !k.reached {
		return ctxErr
	}
	return &TransportError{Method: k.method, Path: k.path, Attempts: k.attempts, MayHaveActed: true, Err: ctxErr}
}

// giveUp is the loop's ErrorHandler: it turns the last failure into the
// caller's error, naming the call and the attempts made.
func (k *call) giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil && !k.handled {
		closeBody(resp.Body)
	}
	if ctxErr := k.ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	var cs *cutShort
	if errors.As(err, &cs) {
		return nil, cs.err
	}
	var te *tokenError
	if errors.As(err, &te) {
		return nil, fmt.Errorf("accounts: %s %s: getting a token: %w", k.method, k.path, te.err)
	}
	if err == nil {
		err = errors.New("gave up without an answer")
	}
	return nil, &TransportError{Method: k.method, Path: k.path, Attempts: attempts, MayHaveActed: k.ambiguousNow(err), Err: sanitize(err)}
}

// ambiguousNow reports whether a call ending in err may have acted on the
// server: it is not idempotent, and this or an earlier attempt may have
// reached the server.
func (k *call) ambiguousNow(err error) bool {
	if k.idempotent {
		return false
	}
	return k.ambiguous || classify(false, nil, err).ambiguous
}

// TransportError is a call that got no answer: the connection failed, timed
// out or was refused, on every attempt made. errors.As reaches the failure
// underneath (a *url.Error, a net.Error).
type TransportError struct {
	// Method and Path name the call (the path without its query string).
	Method, Path string
	// Attempts is how many attempts were made.
	Attempts int
	// MayHaveActed is true for a call that is not idempotent (a POST or
	// PATCH not marked Request.Idempotent) whose request may have reached the
	// server: check before repeating it.
	MayHaveActed bool
	// Err is the last attempt's failure, without query strings.
	Err error
}

// Error names the call, the attempts and the failure.
func (e *TransportError) Error() string {
	s := fmt.Sprintf("accounts: %s %s: no answer after %d attempt", e.Method, e.Path, e.Attempts)
	if e.Attempts != 1 {
		s += "s"
	}
	if e.MayHaveActed {
		s += " (the request may have reached the server, which may have acted: check before repeating the call)"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the failure underneath.
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches apierror.ErrMayHaveActed when MayHaveActed is true.
func (e *TransportError) Is(target error) bool {
	return target == apierror.ErrMayHaveActed && e.MayHaveActed
}
