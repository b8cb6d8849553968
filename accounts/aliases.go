package accounts

import (
	"iter"
	"net/http"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// Error is an answer of the API that was not a success: status, method, path
// (never the query), the server's detail and field errors, Retry-After and the
// raw body. Check for it with errors.As, or compare with the sentinels using
// errors.Is:
//
//	var apiErr *accounts.Error
//	if errors.As(err, &apiErr) && apiErr.StatusCode == 409 { ... }
//	if errors.Is(err, accounts.ErrNotFound) { ... }
//
// Its fields:
//
//   - StatusCode int: the HTTP status of the answer, such as 404.
//   - Method string: the request's HTTP method, such as "GET".
//   - Path string: the request's URL path, without scheme, host or query.
//   - Detail string: the server's "detail" message, or an excerpt of a body
//     that was not JSON (an HTML page from a proxy, say); for an
//     application/problem+json answer (RFC 9457), its "detail" or "title".
//   - Code string: Django REST framework's error code, when the answer had
//     one.
//   - Type string: the problem type URI of an application/problem+json
//     answer, when it named one other than "about:blank".
//   - FieldErrors map[string][]string: each rejected field's messages; errors
//     that belong to no single field are under NonFieldErrors, nested fields
//     are flattened with dots and list indexes ("members[2].email"), and a
//     problem+json answer's extension members are here too.
//   - RetryAfter time.Duration: how long the server asked the client to wait
//     (the Retry-After header), or zero.
//   - Header http.Header: the answer's headers.
//   - Body []byte: the raw body, at most 1 MiB.
//   - MayHaveActed bool: true when the call's repetition would act twice and
//     the answer (a 500, a proxy's 502 or 504, a 503 without Retry-After)
//     does not promise that nothing was done; errors.Is(err,
//     ErrMayHaveActed) matches it.
type Error = apierror.Error

// InputError is input the SDK refused before sending anything; it matches
// ErrInvalid. Several refused fields come back joined with errors.Join;
// errors.As finds the first. Its fields:
//
//   - Field string: the refused parameter as the API spells it, such as
//     "limit" or "type__in"; "request" when a request a call needs is nil,
//     "lookup" for a workspace Lookup without a name.
//   - Reason string: the rule the value broke.
type InputError = apierror.InputError

// RedirectError reports a place the server sent the SDK to that it refused to
// go: a redirect that leads away from the base URL (where the credentials must
// not go), one that would change the request's method (a POST redirected with
// 302 becomes a GET in net/http) or one too many; or a list's next link that
// leads away from the base URL and not to the same list (which is asked on
// the base URL instead). It is never retried. Its fields:
//
//   - Location string: the refused target, without its query string.
//   - Reason string: why it was refused, such as "it leads away from the
//     base URL".
//   - NextLink bool: true for a list's next link, false for an HTTP redirect.
//
// Check for it with errors.As:
//
//	var re *accounts.RedirectError
//	if errors.As(err, &re) { log.Print(re.Location, re.Reason) }
type RedirectError = core.RedirectError

// ForeignLinkError is the former name of the error for a next link away from
// the base URL, now a RedirectError with NextLink set.
//
// Deprecated: use RedirectError; its Location is the former Link.
type ForeignLinkError = RedirectError

// TransportError is a call that got no answer on any attempt: the connection
// was refused or lost, DNS or TLS failed, or an attempt timed out. Method and
// Path name the call, Attempts says how many were made, and MayHaveActed is
// true for a call whose repetition would act twice and whose request may have
// reached the server (check before repeating it; errors.Is matches it with
// ErrMayHaveActed). A context that ends such a call while its request may be
// at the server is reported the same way, and errors.Is still matches the
// context's error. errors.As still reaches the *url.Error or net.Error
// underneath:
//
//	var te *accounts.TransportError
//	var ne net.Error
//	if errors.As(err, &te) && errors.As(err, &ne) && ne.Timeout() { ... }
//
// Its fields:
//
//   - Method, Path string: the call, its path without the query string.
//   - Attempts int: how many attempts were made.
//   - MayHaveActed bool: the request of a call whose repetition would act
//     twice may have reached the server; check before repeating it.
//   - Err error: the last attempt's failure, without query strings.
type TransportError = core.TransportError

// ErrResponseTooLarge matches (errors.Is) the error of a call whose successful
// answer is longer than WithMaxResponseBytes allows.
var ErrResponseTooLarge = core.ErrResponseTooLarge

// RecoveryError is a create whose answer was lost after its request may have
// reached the server, and whose outcome the SDK could not establish: the
// lookup by the object's natural key failed, or found an object with the same
// key and other values; or, for Invitations.Send (which has no lookup: only
// the server's "already pending" refusal of a second send proves the first),
// the second send failed otherwise, in a way that does not itself say the
// server may have acted. Lookup names the lookup (never a value);
// errors.As reaches the create's failure (Err, which matches ErrMayHaveActed)
// and the lookup's (LookupErr). See "Lost answers" in the README. Its fields:
//
//   - Lookup string: how the SDK looked for the object, such as "GET
//     accounts/users/ (search by email)"; never a value.
//   - Err error: the create's failure; the server may have acted.
//   - LookupErr error: why the lookup, or the second send, could not tell.
type RecoveryError = core.RecoveryError

// NonFieldErrors is the key of Error.FieldErrors holding errors that belong to
// no single field.
const NonFieldErrors = apierror.NonFieldErrors

// Sentinels for errors.Is.
var (
	// ErrUnauthorized matches a 401 answer, and a 403 that refuses the
	// credentials in Django REST framework's words or codes (DRF answers 403
	// when its first authentication class, such as SessionAuthentication,
	// sends no challenge); such a 403 matches ErrForbidden too.
	ErrUnauthorized = apierror.ErrUnauthorized
	// ErrForbidden matches a 403 answer.
	ErrForbidden = apierror.ErrForbidden
	// ErrNotFound matches a 404 answer.
	ErrNotFound = apierror.ErrNotFound
	// ErrRateLimited matches a 429 answer still refused after the retries.
	ErrRateLimited = apierror.ErrRateLimited
	// ErrInvalid matches a 400 answer and every *InputError.
	ErrInvalid = apierror.ErrInvalid
	// ErrMayHaveActed matches the failure of a call whose repetition would
	// act twice (Organizations.Increment, Invitations.Resend, a create that
	// could not be recovered) when its request may have reached the server:
	// the server may have done what was asked although the call failed.
	// Check before repeating it. An *Error and a *TransportError say it in
	// their MayHaveActed field too.
	ErrMayHaveActed = apierror.ErrMayHaveActed
)

// Page is one page of a list: its items, and the total count and links when
// the server gives them (envelope answers; a bare-array answer has neither).
// Its fields:
//
//   - Results []T: the page's items, in the server's order.
//   - Count *int: the total number of items across all pages, when the server
//     said (envelope answers); nil otherwise.
//   - Next string: the absolute URL of the next page, or "" on the last page
//     or when the server gives no links (bare arrays).
//   - Previous string: the absolute URL of the previous page, or "".
type Page[T any] = pagination.Page[T]

// RequestOption changes one call: every method takes them as trailing
// arguments. They are made by this package's constructors (WithHeader,
// WithMaxRetries, WithTimeout, WithPrefetch, WithoutRecovery,
// WithResponseInto); the configuration they change is the SDK's own, so no
// other RequestOption can be written.
type RequestOption = requestconfig.Option

// WithHeader adds a header to the request, replacing any value the SDK would
// set for the same name (except Authorization, which comes from the client's
// credentials).
func WithHeader(key, value string) RequestOption {
	key = http.CanonicalHeaderKey(key)
	return func(c *requestconfig.Config) {
		if c.Header == nil {
			c.Header = http.Header{}
		}
		c.Header.Add(key, value)
	}
}

// WithMaxRetries sets this call's retry limit, overriding the client's
// RetryPolicy: n retries after the first attempt, so 0 turns retries off (as
// RetryPolicy{MaxRetries: Ptr(0)} does for every call); a negative n counts
// as 0.
func WithMaxRetries(n int) RequestOption {
	return func(c *requestconfig.Config) { c.MaxRetries = &n }
}

// WithTimeout bounds one request, its retries and their waits included. Given
// to an All iterator it bounds each page's request, not the whole loop; bound
// the loop with the context instead. The context's own deadline still applies.
func WithTimeout(d time.Duration) RequestOption {
	return func(c *requestconfig.Config) { c.Timeout = d }
}

// WithPrefetch sets how many page requests an All iterator may have in flight
// at once, counting the page the loop is waiting for or reading: n of 2 keeps
// the next page coming while the loop reads the current one; n of 1 fetches
// one page at a time after the first; n of 0 or less turns fetching ahead off,
// so pages are fetched strictly one at a time. Without this option the window
// is 10 pages (and at most 5,000 items), opened as the loop consumes pages. It applies
// only to lists whose answers state the count (such as workspaces), once the
// first page confirms the computed page positions; bare-array lists
// (countries) are always read one page at a time. Other calls ignore it.
func WithPrefetch(n int) RequestOption {
	if n <= 0 {
		n = requestconfig.PrefetchOff
	}
	return func(c *requestconfig.Config) { c.Prefetch = n }
}

// WithoutRecovery turns off, for one create, what the SDK does when the
// create's answer is lost after its request may have reached the server
// (looking the object up, or sending the create again; see "Lost answers" in
// the README): the failure is returned as it is, matching ErrMayHaveActed.
// Other calls ignore it.
func WithoutRecovery() RequestOption {
	return func(c *requestconfig.Config) { c.NoRecovery = true }
}

// Response is the status and headers of a successful answer, for what the
// body does not say: a request id, rate-limit headers. Fill one with
// WithResponseInto. Its fields:
//
//   - StatusCode int: the HTTP status, such as 200 or 201.
//   - Header http.Header: the answer's headers.
type Response = core.Response

// WithResponseInto fills *dst with the status and headers of the call's
// successful answer (the body is decoded into the result as always, never
// read twice); dst is left as it was when the call fails, whose *Error
// carries the answer instead, and when a create is recovered after its answer
// was lost (see "Lost answers" in the README; the result's Recovered is set).
// Given to an All iterator, *dst holds the answer of the page the loop is
// reading; it is written from the loop's goroutine only, also when pages are
// fetched ahead.
//
//	var resp accounts.Response
//	ws, err := client.Workspaces.List(ctx, nil, accounts.WithResponseInto(&resp))
//	log.Println(resp.Header.Get("X-Request-Id"))
func WithResponseInto(dst *Response) RequestOption {
	return func(c *requestconfig.Config) {
		c.OnResponse = func(status int, h http.Header) { *dst = Response{StatusCode: status, Header: h} }
	}
}

// Collect gathers every item of an iterator (such as a service's All) into a
// slice, stopping at the first error, which it returns with the items
// gathered so far.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Ptr returns a pointer to v, for optional fields such as Limit: Ptr(50).
func Ptr[T any](v T) *T { return &v }
