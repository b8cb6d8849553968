package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

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

// LogOnce writes a record as Log does, the first time the client is asked to
// with key: a warning about the server's set-up, say, that every call would
// otherwise repeat.
func (c *Client) LogOnce(ctx context.Context, key string, level slog.Level, msg string, attrs ...slog.Attr) {
	if c.logger == nil {
		return
	}
	if _, done := c.logged.LoadOrStore(key, true); !done {
		c.logger.LogAttrs(ctx, level, msg, attrs...)
	}
}

// Log writes one record to the client's logger, if it has one. Callers pass
// no secret and no query string.
func (c *Client) Log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if c.logger != nil {
		c.logger.LogAttrs(ctx, level, msg, attrs...)
	}
}
