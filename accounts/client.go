package accounts

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/services"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
	"github.com/coolset-go/sdk/workspaces"
	"golang.org/x/oauth2"
)

// Version is the SDK's version, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the production API's base URL.
const DefaultBaseURL = "https://developers.coolset.com/api/"

// Environment variables read by WithEnv.
const (
	EnvAPIKey  = "ACCOUNTS_API_KEY"
	EnvBaseURL = "ACCOUNTS_BASE_URL"
)

// Client is the Accounts API client. Its services share one transport; a
// Client is safe for concurrent use and should be reused.
type Client struct {
	// Countries reads country data.
	Countries *countries.Service
	// Workspaces lists the user's workspaces and switches the active one.
	Workspaces *workspaces.Service
	// UserConfig reads and changes the current user's configuration.
	UserConfig *UserConfigService
	// Organizations manages organizations and their usage.
	Organizations *organizations.Service
	// Users reads the current user's profile and manages users.
	Users *users.Service
	// Invitations sends email invitations and manages organization
	// invitations.
	Invitations *invitations.Service
	// Analysts lists analysts and reads and changes the current one.
	Analysts *AnalystsService
	// Groups lists auth groups.
	Groups *GroupsService

	core *core.Client
}

// settings collects the options of NewClient.
type settings struct {
	baseURL     string
	apiKey      *string
	scheme      string
	tokenSource oauth2.TokenSource
	httpClient  *http.Client
	retry       core.RetryPolicy
	userAgent   string
	logger      *slog.Logger

	attemptTimeout   time.Duration
	maxResponseBytes int64
}

// Option configures NewClient. An option given a bad value makes NewClient
// fail with an error naming it.
type Option func(*settings) error

// NewClient returns a client configured by opts. Without options it talks to
// DefaultBaseURL with no credentials; see WithAPIKey, WithTokenSource and
// WithEnv. A malformed base URL or conflicting options are an error here,
// never a panic later.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{baseURL: DefaultBaseURL, scheme: "Bearer"}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	ts := s.tokenSource
	var auth string
	if s.apiKey != nil {
		if ts != nil {
			return nil, errors.New("accounts: WithAPIKey and WithTokenSource both given; choose one way to authenticate")
		}
		// A static key is one header value: set directly, it spares every
		// request the copy oauth2.Transport makes of it.
		auth = s.scheme + " " + *s.apiKey
	}
	ua := s.userAgent
	if ua == "" {
		ua = "coolset-go-sdk/" + Version + " (accounts)"
	}
	cc, err := core.New(core.Config{
		BaseURL:       base,
		HTTPClient:    s.httpClient,
		TokenSource:   ts,
		Authorization: auth,
		UserAgent:     ua,
		Logger:        s.logger,
		Retry:         s.retry,

		AttemptTimeout:   s.attemptTimeout,
		MaxResponseBytes: s.maxResponseBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return &Client{
		Countries:     services.New[countries.Service](cc),
		Workspaces:    services.New[workspaces.Service](cc),
		UserConfig:    &UserConfigService{c: cc},
		Organizations: services.New[organizations.Service](cc),
		Users:         services.New[users.Service](cc),
		Invitations:   services.New[invitations.Service](cc),
		Analysts:      &AnalystsService{c: cc},
		Groups:        &GroupsService{c: cc},
		core:          cc,
	}, nil
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.core.BaseURL().String() }

// CloseIdleConnections closes connections the client keeps open for reuse. It
// does nothing when the client was given its own *http.Client.
func (c *Client) CloseIdleConnections() { c.core.CloseIdleConnections() }

// parseBaseURL checks a base URL and gives its path a trailing slash, so that
// operation paths are appended below it.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("accounts: base URL: %w", redactURLError(err))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("accounts: base URL: scheme must be http or https")
	case u.Host == "":
		return nil, errors.New("accounts: base URL: no host")
	case u.User != nil:
		return nil, errors.New("accounts: base URL: must not hold credentials; use WithAPIKey or WithTokenSource")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(strings.TrimSpace(raw), "#"):
		return nil, errors.New("accounts: base URL: must not have a query or fragment")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// redactURLError keeps url.Parse's reason but not the URL it quotes, which
// could hold credentials.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// WithAPIKey authenticates every request with an API key, sent as
// "Authorization: Bearer <key>" (see WithAuthScheme). The key is never logged
// or put in an error.
func WithAPIKey(key string) Option {
	return func(s *settings) error {
		if err := checkKey(key); err != nil {
			return errors.New("accounts: WithAPIKey: " + err.Error())
		}
		s.apiKey = &key
		return nil
	}
}

// checkKey refuses a key that cannot authenticate. Its errors never quote the
// key.
func checkKey(key string) error {
	switch {
	case strings.TrimSpace(key) == "":
		return errors.New("the key is empty")
	case !core.ValidHeaderValue(key):
		return errors.New("the key holds characters an HTTP header cannot carry")
	}
	return nil
}

// WithAuthScheme sets the scheme sent before the API key, "Bearer" by default;
// "Token" suits Django REST framework's token authentication.
func WithAuthScheme(scheme string) Option {
	return func(s *settings) error {
		if !core.ValidHeaderName(scheme) {
			return errors.New("accounts: WithAuthScheme: the scheme must be one word")
		}
		s.scheme = scheme
		return nil
	}
}

// WithTokenSource authenticates every request with tokens from ts (OAuth2).
// The SDK caches the token until it expires. The SDK stops at once, without
// retrying, when ts fails. A source that fetches tokens over the network keeps
// the context it was built with: build it with a long-lived one, not a
// request's.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *settings) error {
		if ts == nil {
			return errors.New("accounts: WithTokenSource: nil token source")
		}
		s.tokenSource = ts
		return nil
	}
}

// WithBaseURL sets the API's base URL, such as
// "https://api.coolset.com/_mock/accounts-api/". A missing trailing slash is
// added. A URL that is not absolute http(s) is an error.
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		s.baseURL = u
		return nil
	}
}

// WithHTTPClient sends requests through hc (for proxies, mTLS or tracing). The
// SDK copies hc and wraps the copy's transport; hc itself is not changed. The
// SDK refuses redirects away from the base URL before hc's CheckRedirect runs.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("accounts: WithHTTPClient: nil client")
		}
		s.httpClient = hc
		return nil
	}
}

// RetryPolicy says how often and how long the SDK retries a request. A field
// left unset (nil, or a zero duration) takes its default. Waits are jittered
// within [d/2, d].
//
// What is retried: connection errors, timed-out attempts, answers cut short
// and 429, 500, 502, 503, 504 answers (JSON or an HTML error page) for reads
// and for writes whose repetition changes nothing (PUT, DELETE, the PATCHes,
// Workspaces.Switch, LoginURL). The other writes may have changed state, so
// they are retried only when the server said it did nothing (429, or 503 with
// Retry-After) or the connection failed before the request was written: never
// on 500, 502 or 504. After such a failure a create is recovered (looked up,
// then sent again only if absent; see Users.Create) and Increment and Resend
// fail with an error matching ErrMayHaveActed. A failed token fetch, a refused
// redirect and a certificate error are never retried.
//
// The defaults are sized so that a walk of 25 pages through a server that
// fails one request in five (half 503, half Django's HTML 500) completes: a
// request then fails for good only when six attempts in a row fail. The waits
// add up to at most 15.5 s per request (0.5 + 1 + 2 + 4 + 8 s, each jittered
// down to half), plus what Retry-After asks, up to MaxRetryAfter.
//
// A DELETE retried after an attempt that may have reached the server (a 5xx,
// a lost connection) and then answered 404 Not Found is a success: the earlier
// attempt deleted it, which is what the call asked for.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt: nil takes
	// the default, DefaultMaxRetries (5); Ptr(0) turns retries off, as
	// WithMaxRetries(0) does for one call. It must not be negative.
	MaxRetries *int
	// MinWait is the first backoff wait, doubled on each retry (default
	// 500ms).
	MinWait time.Duration
	// MaxWait caps one backoff wait (default 30s).
	MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After the SDK waits for (default
	// 60s); when the server asks for more, the answer is returned as an *Error
	// whose RetryAfter says what it asked.
	MaxRetryAfter time.Duration
}

// DefaultMaxRetries is the number of retries when RetryPolicy.MaxRetries is
// nil.
const DefaultMaxRetries = core.DefaultMaxRetries

// WithRetryPolicy sets the retry limit and waits. A negative MaxRetries or
// wait is an error.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MinWait < 0 || p.MaxWait < 0 || p.MaxRetryAfter < 0 {
			return errors.New("accounts: WithRetryPolicy: waits must not be negative")
		}
		cp := core.RetryPolicy{MinWait: p.MinWait, MaxWait: p.MaxWait, MaxRetryAfter: p.MaxRetryAfter}
		if p.MaxRetries != nil {
			switch n := *p.MaxRetries; {
			case n < 0:
				return errors.New("accounts: WithRetryPolicy: MaxRetries must not be negative; Ptr(0) turns retries off")
			case n == 0:
				cp.MaxRetries = -1 // core's "none"; its 0 is the default
			default:
				cp.MaxRetries = n
			}
		}
		s.retry = cp
		return nil
	}
}

// WithAttemptTimeout bounds each attempt of every call: connecting, sending,
// waiting for the answer and reading it (default DefaultAttemptTimeout, 80 s).
// An attempt that runs out is a connection error: retried for reads and
// repeatable writes, recovered for creates, final for Increment and Resend
// (see RetryPolicy). It bounds a call even when the
// caller's context has no deadline; to bound a whole call, retries included,
// use a context deadline or the per-call WithTimeout. With WithHTTPClient, a
// client whose own Timeout is shorter keeps it. d must be positive.
func WithAttemptTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return errors.New("accounts: WithAttemptTimeout: the timeout must be positive")
		}
		s.attemptTimeout = d
		return nil
	}
}

// DefaultAttemptTimeout is how long one attempt may take when
// WithAttemptTimeout is not given.
const DefaultAttemptTimeout = core.DefaultAttemptTimeout

// WithMaxResponseBytes bounds the body of a successful answer, counted after
// decompression (default DefaultMaxResponseBytes, 32 MiB: a page of 1,000 of
// the API's largest items is a few megabytes). A longer answer is an error
// matching ErrResponseTooLarge, read no further. Error answers are bounded
// separately: the SDK keeps at most 1 MiB of one. n must be positive.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return errors.New("accounts: WithMaxResponseBytes: the bound must be positive")
		}
		s.maxResponseBytes = n
		return nil
	}
}

// DefaultMaxResponseBytes is the bound on a successful answer's body when
// WithMaxResponseBytes is not given.
const DefaultMaxResponseBytes = core.DefaultMaxResponseBytes

// WithUserAgent sets the User-Agent header, "coolset-go-sdk/<version>
// (accounts)" by default.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if !core.ValidHeaderValue(ua) {
			return errors.New("accounts: WithUserAgent: must be one line without control characters")
		}
		s.userAgent = ua
		return nil
	}
}

// WithLogger logs every attempt at debug level (method, path, status, attempt,
// duration), retries at info level and transport failures at warn level. It
// never logs query strings, headers or bodies. Without it the SDK is silent.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}

// WithEnv configures the client from the environment: the API key from
// ACCOUNTS_API_KEY (required) and, when set, the base URL from
// ACCOUNTS_BASE_URL. Options after it override what it read.
func WithEnv() Option {
	return func(s *settings) error {
		key := os.Getenv(EnvAPIKey)
		if key == "" {
			return errors.New("accounts: WithEnv: " + EnvAPIKey + " is not set")
		}
		if err := checkKey(key); err != nil {
			return errors.New("accounts: WithEnv: " + EnvAPIKey + ": " + err.Error())
		}
		s.apiKey = &key
		if u := os.Getenv(EnvBaseURL); u != "" {
			s.baseURL = u
		}
		return nil
	}
}
