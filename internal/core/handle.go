package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
)

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
		if readErr == nil && closeDelimited(resp) && int64(len(b)) < apierror.MaxBody && declaresJSON(resp.Header) && !json.Valid(b) {
			// A JSON explanation that only the connection's close ends,
			// left unfinished: cut, as endedMidValue tells for a success.
			readErr = io.ErrUnexpectedEOF
		}
		e := apierror.New(k.method, k.path, resp.StatusCode, resp.Header, b)
		if k.refusedWait > 0 && e.RetryAfter == 0 {
			e.RetryAfter = k.refusedWait
		}
		e.MayHaveActed = !k.idempotent && classify(false, resp, nil).ambiguous
		k.res, k.err = Response{}, e
		if readErr != nil && resp.StatusCode >= 400 && resp.StatusCode < 500 && k.ctx.Err() == nil {
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
	case (body.cut || endedMidValue(resp, body, err)) && k.ctx.Err() == nil:
		k.err = k.acted(fmt.Errorf("accounts: %s %s: the answer was cut short%s: %w", k.method, k.path, k.mayHaveActed(), sanitize(err)))
		return &cutShort{err: k.err}
	default:
		k.err = k.acted(fmt.Errorf("accounts: %s %s: decoding the answer%s: %w", k.method, k.path, k.mayHaveActed(), err))
	}
	return nil
}

// endedMidValue reports whether an answer whose length only the connection's
// close marks (HTTP/1.x with neither Content-Length nor chunking) ended
// cleanly before its JSON value was complete, or before it began. For such a
// body a clean end is the only end net/http can see, so a connection cut
// mid-answer looks like one; a value left unfinished shows it was cut. (With a
// declared length or chunking net/http reports a cut itself, and a body that
// ends early is what the server declared.)
func endedMidValue(resp *http.Response, body *answerReader, err error) bool {
	return closeDelimited(resp) && body.atEOF && errors.Is(err, io.ErrUnexpectedEOF)
}

// closeDelimited reports whether only the connection's close ends resp's body:
// HTTP/1.x with neither Content-Length nor chunking. A body net/http
// decompressed has lost its length too, but gzip's own trailer tells a cut
// stream, which then fails as a read error.
func closeDelimited(resp *http.Response) bool {
	return resp.ProtoMajor == 1 && resp.ContentLength < 0 && len(resp.TransferEncoding) == 0 && !resp.Uncompressed
}

// declaresJSON reports whether a header's Content-Type is JSON
// (application/json, or a +json type such as application/problem+json).
func declaresJSON(h http.Header) bool {
	ct := apierror.MediaType(h)
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
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
// matches it with apierror.ErrMayHaveActed. It is made only for a success
// answer (2xx) the SDK could not read (see AnsweredSuccess).
type actedError struct{ error }

func (e *actedError) Unwrap() error        { return e.error }
func (e *actedError) Is(target error) bool { return target == apierror.ErrMayHaveActed }

// AnsweredSuccess reports whether err is the failure to read a success
// answer (2xx) of a call that is not idempotent: an empty or cut body, one
// that is not the JSON expected (an HTML page with 200), one too large. The
// server said it acted, or something on the way answered for it; sending the
// call again could do it twice.
func AnsweredSuccess(err error) bool {
	var a *actedError
	return errors.As(err, &a)
}
