// Package apierror defines the SDK's two error types: Error, an answer of the
// API that was not a success, and InputError, input the SDK refused before
// sending anything. Both are re-exported by the accounts package.
package apierror

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxBody is the most bytes of an error answer that are read and kept. The rest
// of a larger body is discarded unread.
const MaxBody = 1 << 20

// maxExcerpt bounds the part of a non-JSON body quoted in an error message.
const maxExcerpt = 256

// NonFieldErrors is the key under which Django REST framework reports errors
// that belong to no single field. Answers that are a bare list of messages are
// filed under it too.
const NonFieldErrors = "non_field_errors"

// Sentinel errors for the common checks; use errors.Is. An *Error matches the
// sentinel of its status code, and an *InputError matches ErrInvalid.
var (
	// ErrUnauthorized matches a 401 answer: missing, unknown or expired
	// credentials. It also matches a 403 that refuses the credentials in
	// Django REST framework's words (see authRefusal): DRF answers 403, not
	// 401, when its first authentication class sends no challenge, as
	// SessionAuthentication, first in its default settings, does not.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden matches a 403 answer: the credentials lack a permission.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("not found")
	// ErrRateLimited matches a 429 answer that was still refused after the
	// allowed retries.
	ErrRateLimited = errors.New("rate limited")
	// ErrInvalid matches a 400 or 422 answer (the server or a validating
	// gateway refused the input) and every *InputError (the SDK refused it
	// before sending).
	ErrInvalid = errors.New("invalid input")
	// ErrMayHaveActed matches the failure of a call whose repetition would
	// act twice (such as a usage increment) when its request may have
	// reached the server: the server may have done what was asked although
	// the answer says otherwise or never came. Check before repeating it.
	ErrMayHaveActed = errors.New("the server may have acted")
)

// Error is an answer of the API whose status was not a success.
//
// Its message names the method, the path (never the query string, which may
// carry personal data) and the server's explanation; the raw body is kept in
// Body, read up to MaxBody bytes.
type Error struct {
	// StatusCode is the HTTP status of the answer, such as 404.
	StatusCode int
	// Method is the HTTP method of the request, such as "GET".
	Method string
	// Path is the URL path of the request, without scheme, host or query.
	Path string
	// Detail is the server's "detail" message, or an excerpt of a body that was
	// not JSON (an HTML page from a proxy, say).
	Detail string
	// Code is Django REST framework's error code when the answer had one.
	Code string
	// Type is the problem type URI of an application/problem+json answer
	// (RFC 9457, as API gateways and validating proxies send), when it named
	// one other than "about:blank". Such an answer's "detail" (or, without
	// one, its "title") is in Detail, and its extension members in
	// FieldErrors.
	Type string
	// FieldErrors maps each rejected field to the server's messages about it.
	// Errors not tied to one field are under NonFieldErrors; nested fields are
	// flattened with dots and list indexes ("members[2].email").
	FieldErrors map[string][]string
	// RetryAfter is how long the server asked the client to wait (the
	// Retry-After header), or zero.
	RetryAfter time.Duration
	// Header holds the answer's headers.
	Header http.Header
	// Body is the raw body of the answer, at most MaxBody bytes.
	Body []byte
	// MayHaveActed is true when the call is one whose repetition would act
	// twice and the answer (a 500, a proxy's 502 or 504, a 503 without
	// Retry-After) does not promise that nothing was done: the server may
	// have acted before failing. errors.Is(err, ErrMayHaveActed) matches it.
	MayHaveActed bool
}

// Error describes the failure in one line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accounts: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Detail))
	}
	if len(e.FieldErrors) > 0 {
		keys := make([]string, 0, len(e.FieldErrors))
		for k := range e.FieldErrors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sep := ": "
		if e.Detail != "" {
			sep = "; "
		}
		for _, k := range keys {
			b.WriteString(sep)
			sep = "; "
			b.WriteString(oneLine(k))
			b.WriteString(": ")
			b.WriteString(oneLine(strings.Join(e.FieldErrors[k], " ")))
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.MayHaveActed {
		b.WriteString(" (the server may have acted: check before repeating the call)")
	}
	return b.String()
}

// oneLine replaces control characters (line breaks, terminal escapes) in text
// the server chose, so that an error message stays one line in a log.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// Is reports whether the error's status matches one of the package's sentinels.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || (e.StatusCode == http.StatusForbidden && authRefusal(e))
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrInvalid:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrMayHaveActed:
		return e.MayHaveActed
	}
	return false
}

// New builds an Error from an answer's status, headers and (bounded) body.
func New(method, path string, status int, header http.Header, body []byte) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path, Header: header, Body: body}
	e.RetryAfter, _ = ParseRetryAfter(header.Get("Retry-After"), time.Now())
	if !isProblem(header) || !parseProblem(e, body) {
		parseBody(e, body)
	}
	return e
}

// isProblem reports whether an answer is declared application/problem+json.
func isProblem(h http.Header) bool { return MediaType(h) == "application/problem+json" }

// MediaType returns the media type of a header's Content-Type, lower case and
// without parameters ("application/json" for "Application/JSON; charset=utf-8").
func MediaType(h http.Header) string {
	ct, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

// parseProblem reads an RFC 9457 problem object: "detail" (or "title") into
// Detail, "type" into Type, and extension members into FieldErrors; the
// standard members "status", "title" and "instance" are not field errors. It
// reports false for a body that is not a JSON object.
func parseProblem(e *Error, body []byte) bool {
	var p map[string]any
	if json.Unmarshal(bytes.TrimSpace(body), &p) != nil || p == nil {
		return false
	}
	str := func(k string) string { s, _ := p[k].(string); return s }
	e.Detail = str("detail")
	if e.Detail == "" {
		e.Detail = str("title")
	}
	if t := str("type"); t != "about:blank" {
		e.Type = t
	}
	for k, v := range p {
		switch k {
		case "type", "title", "status", "detail", "instance":
			continue
		}
		addField(e, k, v)
	}
	return true
}

// maxRetryAfter caps what ParseRetryAfter reports, in either form.
const maxRetryAfter = 365 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After value: delay seconds or an HTTP date. A
// date in the past gives zero; either form is capped at one year. ok is false
// when the value is absent or unreadable.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			secs = int64(maxRetryAfter / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), maxRetryAfter), true
}

// parseBody fills Detail, Code and FieldErrors from one of Django REST
// framework's error shapes, or an excerpt of a body that is not JSON.
func parseBody(e *Error, body []byte) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return
	}
	var v any
	if err := json.Unmarshal(trimmed, &v); err != nil {
		e.Detail = Excerpt(trimmed)
		return
	}
	switch v := v.(type) {
	case string:
		e.Detail = v
	case []any:
		addField(e, NonFieldErrors, v)
	case map[string]any:
		for k, val := range v {
			switch k {
			case "detail":
				if s, ok := val.(string); ok {
					e.Detail = s
					continue
				}
			case "code":
				if s, ok := val.(string); ok {
					e.Code = s
					continue
				}
			}
			addField(e, k, val)
		}
	default:
		e.Detail = Excerpt(trimmed)
	}
}

// addField flattens one field's messages into FieldErrors.
func addField(e *Error, key string, v any) {
	switch v := v.(type) {
	case nil:
	case string:
		appendMsg(e, key, v)
	case []any:
		for i, item := range v {
			switch item := item.(type) {
			case string:
				appendMsg(e, key, item)
			case map[string]any, []any:
				addField(e, key+"["+strconv.Itoa(i)+"]", item)
			case nil:
			default:
				appendMsg(e, key, fmt.Sprint(item))
			}
		}
	case map[string]any:
		for k, item := range v {
			addField(e, key+"."+k, item)
		}
	default:
		appendMsg(e, key, fmt.Sprint(v))
	}
}

func appendMsg(e *Error, key, msg string) {
	if e.FieldErrors == nil {
		e.FieldErrors = make(map[string][]string)
	}
	e.FieldErrors[key] = append(e.FieldErrors[key], msg)
}

// Excerpt returns the start of a body as printable text of bounded length,
// for quoting an unexpected answer in an error message.
func Excerpt(b []byte) string {
	b = bytes.TrimSpace(b)
	cut := len(b) > maxExcerpt
	if cut {
		b = b[:maxExcerpt]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "?")), " ")
	if cut {
		s += "..."
	}
	return s
}

// InputError reports input the SDK refused before sending a request.
type InputError struct {
	// Field is the name of the refused field as the API spells it, such as
	// "limit" or "type__in"; "request" when a required request is nil, and
	// "lookup" for a workspace Lookup without a name.
	Field string
	// Reason says which rule the value broke.
	Reason string
}

// Error names the field and the rule.
func (e *InputError) Error() string {
	return "accounts: invalid " + e.Field + ": " + e.Reason
}

// Is makes every InputError match ErrInvalid.
func (e *InputError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns an InputError for field with a reason built like fmt.Sprintf.
func Invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// authRefusal reports whether a 403 refuses the request's credentials rather
// than a permission: its error code is one Django REST framework and
// djangorestframework-simplejwt give a failed authentication, or its message
// is one of the messages DRF's authentication classes ship with (a server
// that translates them is not recognised, and its 403 matches ErrForbidden
// alone, as any other 403).
func authRefusal(e *Error) bool {
	switch e.Code {
	case "not_authenticated", "authentication_failed", "token_not_valid":
		return true
	}
	_, ok := drfAuthMessages[strings.ToLower(strings.TrimSpace(e.Detail))]
	return ok
}

// drfAuthMessages are the messages of Django REST framework's
// NotAuthenticated and AuthenticationFailed and of its token and basic
// authentication classes, in lower case.
var drfAuthMessages = map[string]struct{}{
	"authentication credentials were not provided.":                             {},
	"incorrect authentication credentials.":                                     {},
	"invalid token.":                                                            {},
	"invalid token header. no credentials provided.":                            {},
	"invalid token header. token string should not contain spaces.":             {},
	"invalid token header. token string should not contain invalid characters.": {},
	"invalid basic header. no credentials provided.":                            {},
	"invalid basic header. credentials string should not contain spaces.":       {},
	"invalid basic header. credentials not correctly base64 encoded.":           {},
	"invalid username/password.":                                                {},
	"user inactive or deleted.":                                                 {},
}
