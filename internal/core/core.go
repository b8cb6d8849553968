// Package core is the SDK's transport: it builds requests against the base URL,
// authenticates them, retries them by the SDK's policy, logs them without
// secrets and turns answers into values or *apierror.Error.
//
// The layers, outermost first:
//
//	retryablehttp.Client        retry decisions and waits (checkRetry)
//	  http.Client (a copy)      redirects: same origin only (checkRedirect)
//	    attemptTransport        counts attempts, logs method, path, status, duration
//	      oauth2.Transport      sets Authorization from the token source
//	        base RoundTripper   the caller's, or a pooled *http.Transport
package core

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
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
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one record per attempt and per retry; nil logs nothing.
	Logger *slog.Logger
	// Retry is the retry policy; zero fields take the defaults.
	Retry RetryPolicy
}

// Client sends requests for every service of one accounts.Client. It is safe
// for concurrent use.
type Client struct {
	base    *url.URL
	baseStr string
	ua      string
	logger  *slog.Logger
	policy  RetryPolicy
	rc      *retryablehttp.Client
	pooled  *http.Transport // the SDK's own transport, nil with a caller's client
}

// New builds a Client. It never changes cfg.HTTPClient.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == nil || !cfg.BaseURL.IsAbs() || !strings.HasSuffix(cfg.BaseURL.Path, "/") {
		return nil, errors.New("core: base URL must be absolute and end in /")
	}
	c := &Client{
		base:    cfg.BaseURL,
		baseStr: cfg.BaseURL.String(),
		ua:      cfg.UserAgent,
		logger:  cfg.Logger,
		policy:  cfg.Retry.withDefaults(),
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
		// The source's tokens are checked (a nil token would panic inside
		// oauth2), cached until they expire, and their failures marked final.
		src := oauth2.TokenSource(checkedTokenSource{cfg.TokenSource})
		if oauth2.ReuseTokenSource(nil, cfg.TokenSource) != cfg.TokenSource {
			// Not a cache yet. One that is (what oauth2.Config and
			// clientcredentials give) is not wrapped in a second: that would
			// write to tokens the caller's cache owns and reset its early
			// refresh.
			src = oauth2.ReuseTokenSource(nil, src)
		}
		base = &oauth2.Transport{Source: markedTokenSource{src}, Base: base}
	}
	hc.Transport = &attemptTransport{next: base, logger: cfg.Logger}
	hc.CheckRedirect = c.redirectPolicy(hc.CheckRedirect)

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &hc
	rc.Logger = nil // retryablehttp's own log lines carry full URLs; ours do not.
	rc.RetryMax = math.MaxInt32
	rc.RetryWaitMin, rc.RetryWaitMax = 0, 0
	rc.CheckRetry = c.checkRetry
	rc.Backoff = func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 }
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	c.rc = rc
	return c, nil
}

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
}

// Response is what the caller may need of a successful answer besides its body.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
}

// BodyDecoder is implemented by results that decode themselves from the raw
// answer (the pagination engine's pages); others are decoded with encoding/json.
type BodyDecoder interface {
	DecodeBody(r io.Reader) error
}

// Do sends r, retrying by the policy, and decodes a 2xx answer into out when
// out is non-nil; then a 204, an empty body, null or text after the value is
// an error. With a nil out any 2xx is success. Any other answer becomes an
// *apierror.Error. With the NoRedirect option a 3xx answer is returned as a
// Response, not followed.
func (c *Client) Do(ctx context.Context, r *Request, out any, opts []requestconfig.Option) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("accounts: nil context")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := requestconfig.Apply(opts)
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}

	u, err := c.URL(r)
	if err != nil {
		return nil, err
	}
	var body []byte
	if r.Body != nil {
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, fmt.Errorf("accounts: encoding %s %s body: %w", r.Method, u.EscapedPath(), err)
		}
	}

	st := &callState{
		method:     r.Method,
		path:       u.EscapedPath(),
		idempotent: idempotent(r.Method),
		maxRetries: c.policy.MaxRetries,
		noRedirect: cfg.NoRedirect,
	}
	if cfg.MaxRetries != nil {
		st.maxRetries = max(*cfg.MaxRetries, 0)
	}
	ctx = context.WithValue(ctx, stateKey{}, st)

	var rawBody any // a nil []byte would still be sent as an empty body
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, u.String(), rawBody)
	if err != nil {
		return nil, fmt.Errorf("accounts: building %s %s: %w", r.Method, st.path, sanitize(err))
	}
	req.Header.Set("Accept", "application/json")
	if c.ua != "" {
		req.Header.Set("User-Agent", c.ua)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range cfg.Header {
		if !ValidHeaderName(k) {
			return nil, apierror.Invalid("header", "%q is not a valid header name", k)
		}
		req.Header.Del(k)
		for _, v := range vs {
			if !ValidHeaderValue(v) {
				// The value is not quoted: a header may carry a secret.
				return nil, apierror.Invalid("header", "%s's value holds a control character", k)
			}
			req.Header.Add(k, v)
		}
	}

	for {
		resp, err := c.send(ctx, st, r.Method, req)
		if err != nil {
			return nil, err
		}
		out2, cut, err := c.finish(ctx, st, r.Method, resp, out)
		if cut && c.retryCutShort(ctx, st) {
			continue
		}
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return out2, err
	}
}

// send makes the attempts of one call until an answer arrives, and turns a
// failure without an answer into the caller's error.
func (c *Client) send(ctx context.Context, st *callState, method string, req *retryablehttp.Request) (*http.Response, error) {
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			closeBody(resp.Body)
		}
		return nil, c.transportError(ctx, st, err)
	}
	return resp, nil
}

// finish turns an answer into the caller's result: an *apierror.Error for a
// status that is not a success, a Response for a success, with the body
// decoded into out. cut reports a success whose body the connection cut short
// (not a body that is merely malformed).
func (c *Client) finish(ctx context.Context, st *callState, method string, resp *http.Response, out any) (res *Response, cut bool, err error) {
	defer closeBody(resp.Body)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case st.noRedirect && resp.StatusCode >= 300 && resp.StatusCode < 400:
		return &Response{StatusCode: resp.StatusCode, Header: resp.Header}, false, nil
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, apierror.MaxBody))
		e := apierror.New(method, st.path, resp.StatusCode, resp.Header, b)
		if st.refusedWait > 0 && e.RetryAfter == 0 {
			e.RetryAfter = st.refusedWait
		}
		return nil, false, e
	}

	res = &Response{StatusCode: resp.StatusCode, Header: resp.Header}
	if out == nil {
		return res, false, nil
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil, false, fmt.Errorf("accounts: %s %s: the server answered 204 No Content where a value was expected%s", method, st.path, mayHaveActed(st))
	}
	body := &cutDetector{r: resp.Body}
	err = decode(body, out)
	if err == nil && body.first == 'n' {
		err = errors.New("the answer is null where a value was expected")
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, ctxErr
		}
		return nil, body.cut, fmt.Errorf("accounts: %s %s: decoding the answer%s: %w", method, st.path, mayHaveActed(st), err)
	}
	return res, false, nil
}

// mayHaveActed is said in the error of a successful answer the SDK cannot
// read: for a call that is not idempotent the server has done what was asked,
// and repeating the call would do it again.
func mayHaveActed(st *callState) string {
	if st.idempotent {
		return ""
	}
	return " (the server answered success: it may have acted; check before repeating the call)"
}

// retryCutShort decides whether to repeat a call whose answer was cut short:
// only an idempotent one (repeating it changes nothing), within the retry
// limit, after the backoff wait. It reports false when the call must end.
func (c *Client) retryCutShort(ctx context.Context, st *callState) bool {
	if !st.idempotent || st.retries >= st.maxRetries {
		return false
	}
	wait := c.backoff(st.retries)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return false
	}
	st.retries++
	if c.logger != nil {
		c.logger.LogAttrs(ctx, slog.LevelInfo, "accounts: retrying",
			slog.String("method", st.method), slog.String("path", st.path),
			slog.Int("attempt", int(st.attempts.Load())), slog.String("reason", "answer cut short"),
			slog.Duration("wait", wait))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// cutDetector notes whether reading the body failed for a reason other than
// its end: a connection cut mid-answer, as opposed to a complete body that
// does not decode.
// It also notes the body's first byte that is not JSON white space, so that a
// JSON null (which decodes into a value without error, leaving it zero) can be
// told from an object without reading the body twice.
type cutDetector struct {
	r     io.Reader
	cut   bool
	first byte
}

func (d *cutDetector) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		d.cut = true
	}
	for i := 0; d.first == 0 && i < n; i++ {
		switch p[i] {
		case ' ', '\t', '\r', '\n':
		default:
			d.first = p[i]
		}
	}
	return n, err
}

// decode reads one JSON value from r into out. An empty body is an error: a
// caller that expects a value must not get a zero one silently.
func decode(r io.Reader, out any) error {
	if d, ok := out.(BodyDecoder); ok {
		return d.DecodeBody(r)
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return End(dec)
}

// End reports an error when anything but white space follows the JSON value
// dec has decoded: an answer is one value, and more text after it means the
// body is not what the SDK thinks it is.
func End(dec *json.Decoder) error {
	_, err := dec.Token()
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil || errors.As(err, &syntax):
		return errors.New("the answer has data after its JSON value")
	}
	// The connection failed after a complete value: the value stands (for a
	// POST, reporting a failure would invite a retry of an act done).
	return nil
}

// FirstByte returns the first byte of r that is not JSON white space, and a
// reader that still yields it, so that a decoder can choose a shape.
func FirstByte(r io.Reader) (byte, io.Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, br, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		if err := br.UnreadByte(); err != nil {
			return 0, br, err
		}
		return b, br, nil
	}
}

// URL builds the absolute URL of r. Paths are appended to the base URL's text,
// so an escaped segment such as %2E%2E is never resolved as "go up".
func (c *Client) URL(r *Request) (*url.URL, error) {
	if r.URL != nil {
		return r.URL, nil
	}
	if strings.HasPrefix(r.Path, "/") || strings.Contains(r.Path, "?") || strings.Contains(r.Path, "#") {
		return nil, fmt.Errorf("accounts: invalid request path %q", r.Path)
	}
	u, err := url.Parse(c.baseStr + r.Path)
	if err != nil {
		return nil, fmt.Errorf("accounts: invalid request path %q: %w", r.Path, err)
	}
	u.RawQuery = r.Query.Encode()
	return u, nil
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

// EncodeQuery encodes an options struct (or a nil pointer to one) with
// go-querystring and adds extra parameters, refusing an extra key that repeats
// one of the struct's.
func EncodeQuery(opts any, extra url.Values) (url.Values, error) {
	v, err := query.Values(opts)
	if err != nil {
		return nil, fmt.Errorf("accounts: encoding query: %w", err)
	}
	for k, vs := range extra {
		if k == "" {
			return nil, apierror.Invalid("lookup", "a lookup needs a name")
		}
		if _, dup := v[k]; dup {
			return nil, apierror.Invalid(k, "set both as a field and as a lookup by name")
		}
		v[k] = append([]string(nil), vs...)
	}
	return v, nil
}

// closeBody drains a little of an answer, so its connection can be reused, and
// closes it.
func closeBody(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 4<<10))
	_ = b.Close()
}

// transportError turns what retryablehttp returned without an answer into the
// caller's error: the context's error when it ended, else the failure with the
// query string removed from any URL it quotes.
func (c *Client) transportError(ctx context.Context, st *callState, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return ctxErr
	}
	var te *tokenError
	if errors.As(err, &te) {
		return fmt.Errorf("accounts: %s %s: getting a token: %w", st.method, st.path, te.err)
	}
	return sanitize(err)
}

// sanitize removes query strings and user info from URLs quoted by err.
//
// The error inside may quote a URL too: a *url.Error is redacted in turn, and
// net/http's report of a Location header that does not parse, which quotes
// the header whole, is replaced by one that does not.
func sanitize(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	inner := ue.Err
	var innerURL *url.Error
	switch {
	case errors.As(inner, &innerURL):
		inner = sanitize(innerURL)
	case strings.Contains(inner.Error(), "failed to parse Location header"):
		inner = errors.New("the redirect's Location header does not parse (not quoted: it may hold secrets)")
	}
	return &url.Error{Op: ue.Op, URL: redact(ue.URL), Err: inner}
}

// redact returns a URL without its query, fragment and user info.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.User = "", "", "", nil
	return u.String()
}

// markedTokenSource marks its errors so that a failed token fetch is final,
// never retried.
type markedTokenSource struct{ src oauth2.TokenSource }

func (m markedTokenSource) Token() (*oauth2.Token, error) {
	t, err := m.src.Token()
	if err != nil {
		return nil, &tokenError{err: err}
	}
	return t, nil
}

// checkedTokenSource refuses a token that cannot authenticate a request.
type checkedTokenSource struct{ src oauth2.TokenSource }

func (c checkedTokenSource) Token() (*oauth2.Token, error) {
	t, err := c.src.Token()
	switch {
	case err != nil:
		return nil, err
	case t == nil || t.AccessToken == "":
		return nil, errors.New("the token source returned no token")
	case !ValidHeaderValue(t.AccessToken) || !ValidHeaderValue(t.Type()):
		// Never quote the token: the reason is enough.
		return nil, errors.New("the token holds characters an HTTP header cannot carry")
	}
	return t, nil
}

// ValidHeaderName reports whether name can be sent as an HTTP header name: a
// non-empty token of the characters RFC 9110 allows.
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ValidHeaderValue reports whether v can be sent as an HTTP header value: no
// control characters other than a tab. net/http refuses other values only
// when sending, where the failure would look like a broken connection.
func ValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// tokenError is a failure of the token source.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "getting a token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// attemptTransport counts the attempts of a call and logs each one.
type attemptTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st, _ := req.Context().Value(stateKey{}).(*callState)
	attempt := 0
	if st != nil {
		attempt = int(st.attempts.Add(1))
	}
	if t.logger == nil {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.EscapedPath()),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		var te *tokenError
		msg := "transport error"
		if errors.As(err, &te) {
			msg = "token source error"
		}
		t.logger.LogAttrs(req.Context(), slog.LevelWarn, "accounts: request failed",
			append(attrs, slog.String("error", msg))...)
		return resp, err
	}
	t.logger.LogAttrs(req.Context(), slog.LevelDebug, "accounts: request", append(attrs, slog.Int("status", resp.StatusCode))...)
	return resp, nil
}

// redirectPolicy follows a redirect only to the client's own scheme, host and
// base path: oauth2.Transport sits below http.Client and would put the token
// on any request. The caller's own CheckRedirect, if any, then decides.
func (c *Client) redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if st, _ := req.Context().Value(stateKey{}).(*callState); st != nil && st.noRedirect {
			return http.ErrUseLastResponse
		}
		loc := redact(req.URL.String())
		if !c.SameBase(req.URL) {
			return &RedirectError{Location: loc, Reason: "it leads away from the base URL"}
		}
		if len(via) > 0 && via[0].Method != req.Method {
			// net/http turns a POST, PUT or PATCH redirected with 301, 302 or
			// 303 into a GET: the call would report success for an act the
			// server never did.
			return &RedirectError{Location: loc, Reason: "it would turn the " + via[0].Method + " into a " + req.Method}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return &RedirectError{Location: loc, Reason: fmt.Sprintf("stopped after %d redirects", maxRedirects)}
		}
		return nil
	}
}

// maxRedirects is how many redirects one attempt follows, as net/http's
// default policy.
const maxRedirects = 10

// RedirectError reports a redirect the SDK refused to follow: one that leads
// away from the base URL (where the credentials must not go), one that would
// change the request's method, or one too many. It is final: never retried.
type RedirectError struct {
	// Location is the refused target, without its query string.
	Location string
	// Reason says why the redirect was refused.
	Reason string
}

// Error names the refused target, without its query string, and the reason.
func (e *RedirectError) Error() string {
	return "refused a redirect to " + e.Location + ": " + e.Reason
}

// drainForRetry reads a little of a response that will be retried and closes
// it, so the connection returns to the pool before the wait.
func drainForRetry(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		closeBody(resp.Body)
		resp.Body = http.NoBody
	}
}
