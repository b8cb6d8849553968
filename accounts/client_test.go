package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/workspaces"
	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"
)

func TestBaseURL(t *testing.T) {
	cases := map[string]string{
		"": accounts.DefaultBaseURL,
		"https://api.coolset.com/_mock/accounts-api/": "https://api.coolset.com/_mock/accounts-api/",
		"https://example.com/api":                     "https://example.com/api/",
		"http://127.0.0.1:8080":                       "http://127.0.0.1:8080/",
	}
	for in, want := range cases {
		opts := []accounts.Option{}
		if in != "" {
			opts = append(opts, accounts.WithBaseURL(in))
		}
		c, err := accounts.NewClient(opts...)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := c.BaseURL(); got != want {
			t.Errorf("%q: base URL %q, want %q", in, got, want)
		}
	}
}

func TestNewClientRefusesBadOptions(t *testing.T) {
	cases := map[string][]accounts.Option{
		"relative base URL":  {accounts.WithBaseURL("/api/")},
		"no scheme":          {accounts.WithBaseURL("developers.coolset.com/api/")},
		"ftp":                {accounts.WithBaseURL("ftp://example.com/api/")},
		"unparsable":         {accounts.WithBaseURL("https://exa mple.com/%zz")},
		"credentials in URL": {accounts.WithBaseURL("https://user:hunter2@example.com/api/")},
		"query in URL":       {accounts.WithBaseURL("https://example.com/api/?key=hunter2")},
		"empty key":          {accounts.WithAPIKey(" ")},
		"key and source":     {accounts.WithAPIKey("k"), accounts.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"}))},
		"nil source":         {accounts.WithTokenSource(nil)},
		"nil http client":    {accounts.WithHTTPClient(nil)},
		"two-word scheme":    {accounts.WithAuthScheme("Bearer token")},
		"negative wait":      {accounts.WithRetryPolicy(accounts.RetryPolicy{MinWait: -1})},
		"multi-line agent":   {accounts.WithUserAgent("a\r\nX-Evil: 1")},
		"NUL in agent":       {accounts.WithUserAgent("ua\x00x")},
		"newline in key":     {accounts.WithAPIKey("hunter2\nX-Evil: 1")},
		"DEL in key":         {accounts.WithAPIKey("hunter2\x7f")},
		"scheme with colon":  {accounts.WithAuthScheme("Bearer:")},
		"bare ? on base URL": {accounts.WithBaseURL("https://example.com/api/?")},
		"bare # on base URL": {accounts.WithBaseURL("https://example.com/api/#")},
		"fragment":           {accounts.WithBaseURL("https://example.com/api/#hunter2")},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := accounts.NewClient(opts...)
			if err == nil || c != nil {
				t.Fatalf("NewClient = %v, %v; want an error", c, err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestWithEnv(t *testing.T) {
	var gotAuth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth.Store(r.Header.Get("Authorization"))
		if r.URL.Path != "/base/accounts/user-config" {
			t.Errorf("path = %s", r.URL.Path)
		}
		_, _ = w.Write([]byte(okConfig))
	}))
	defer srv.Close()
	t.Setenv(accounts.EnvAPIKey, "env-key")
	t.Setenv(accounts.EnvBaseURL, srv.URL+"/base")
	c, err := accounts.NewClient(accounts.WithEnv())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if gotAuth.Load() != "Bearer env-key" {
		t.Errorf("Authorization = %v", gotAuth.Load())
	}

	for _, bad := range []string{"", "   ", "hunter2\r\n"} {
		t.Setenv(accounts.EnvAPIKey, bad)
		_, err := accounts.NewClient(accounts.WithEnv())
		if err == nil || !strings.Contains(err.Error(), accounts.EnvAPIKey) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("key %q: err = %v, want it to name %s and not quote the key", bad, err, accounts.EnvAPIKey)
		}
	}
}

// funcSource is a token source made of a function.
type funcSource func() (*oauth2.Token, error)

func (f funcSource) Token() (*oauth2.Token, error) { return f() }

// TestACallersTokenCacheIsNotCachedAgain: a source that is already oauth2's
// cache (what oauth2.Config and clientcredentials give) keeps its own early
// refresh; a second cache around it would keep a token the caller's cache
// considers expired, and write to tokens that cache owns (a data race when
// two clients share the source, which the race detector sees).
func TestACallersTokenCacheIsNotCachedAgain(t *testing.T) {
	var fetched atomic.Int32
	inner := funcSource(func() (*oauth2.Token, error) {
		fetched.Add(1)
		return &oauth2.Token{AccessToken: "t", Expiry: time.Now().Add(3 * time.Minute)}, nil
	})
	// Refresh 5 minutes early: every 3-minute token is already due.
	shared := oauth2.ReuseTokenSourceWithExpiry(nil, inner, 5*time.Minute)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(200, okConfig))
	var clients []*accounts.Client
	for range 2 {
		c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(&http.Client{Transport: mt}), accounts.WithTokenSource(shared))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if _, err := c.UserConfig.Get(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := fetched.Load(); n != 6 {
		t.Errorf("%d tokens fetched for 6 calls; the caller's cache refreshes every call here, so want 6", n)
	}
}

// TestBadTokensAreRefusedBeforeSending: a token source that returns no token,
// an empty one or one a header cannot carry fails the call with a token error,
// without a panic, a request or a retry, and without quoting the token.
func TestBadTokensAreRefusedBeforeSending(t *testing.T) {
	cases := map[string]*oauth2.Token{
		"nil token":         nil,
		"empty token":       {AccessToken: ""},
		"newline in token":  {AccessToken: "hunter2\r\nX-Evil: 1"},
		"newline in scheme": {AccessToken: "hunter2", TokenType: "Bearer\n"},
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var calls atomic.Int32
			src := funcSource(func() (*oauth2.Token, error) { calls.Add(1); return tok, nil })
			c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(&http.Client{Transport: mt}),
				accounts.WithTokenSource(src), accounts.WithRetryPolicy(fastRetries))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UserConfig.Get(context.Background())
			if err == nil || !strings.Contains(err.Error(), "getting a token") || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("err = %v", err)
			}
			if n := mt.GetTotalCallCount(); n != 0 || calls.Load() != 1 {
				t.Errorf("%d requests sent, token asked %d times; want none and once", n, calls.Load())
			}
		})
	}
}

// TestBadRequestHeadersAreRefusedBeforeSending: WithHeader with a name or
// value net/http would refuse is an input error, never a request that fails
// like a broken connection and is retried.
func TestBadRequestHeadersAreRefusedBeforeSending(t *testing.T) {
	for name, opt := range map[string]accounts.RequestOption{
		"newline in value": accounts.WithHeader("X-Trace", "a\nb"),
		"NUL in value":     accounts.WithHeader("X-Trace", "a\x00b"),
		"space in name":    accounts.WithHeader("X Trace", "a"),
		"empty name":       accounts.WithHeader("", "a"),
	} {
		t.Run(name, func(t *testing.T) {
			checkRefused(t, "header", func(c *accounts.Client) error {
				_, err := c.UserConfig.Get(context.Background(), opt)
				return err
			})
		})
	}
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(200, okConfig))
	if _, err := c.UserConfig.Get(context.Background(), accounts.WithHeader("X-Trace", "a\tb c")); err != nil {
		t.Errorf("a tab and a space are valid in a header value: %v", err)
	}
}

func TestAuthSchemeAndTokenSource(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got []string
	var mu sync.Mutex
	mt.RegisterResponder("GET", userConfigURL, func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		return httpmock.NewStringResponse(200, okConfig), nil
	})
	hc := &http.Client{Transport: mt}
	c1, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(hc), accounts.WithAPIKey("abc"), accounts.WithAuthScheme("Token"))
	if err != nil {
		t.Fatal(err)
	}
	src := &countingSource{token: "oauth-token"}
	c2, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(hc), accounts.WithTokenSource(src))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []*accounts.Client{c1, c2, c2, c2} {
		if _, err := c.UserConfig.Get(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Token abc", "Bearer oauth-token", "Bearer oauth-token", "Bearer oauth-token"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Authorization headers = %q", got)
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("token source called %d times; the SDK should cache a valid token", n)
	}
}

type countingSource struct {
	token string
	err   error
	calls atomic.Int32
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.calls.Add(1)
	if s.err != nil {
		return nil, s.err
	}
	return &oauth2.Token{AccessToken: s.token}, nil
}

func TestTokenSourceFailureIsFinal(t *testing.T) {
	mt := httpmock.NewMockTransport()
	src := &countingSource{err: errors.New("token endpoint said invalid_client")}
	c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(&http.Client{Transport: mt}),
		accounts.WithTokenSource(src), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UserConfig.Get(context.Background())
	if err == nil || !strings.Contains(err.Error(), "getting a token") || !errors.Is(err, src.err) {
		t.Fatalf("err = %v", err)
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("token source called %d times; a token failure must not be retried", n)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent without a token", n)
	}
}

func TestWithHTTPClientDoesNotChangeCallersClient(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(200, okConfig))
	hc := &http.Client{Transport: mt}
	c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithHTTPClient(hc), accounts.WithAPIKey("k"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != mt || hc.CheckRedirect != nil {
		t.Error("NewClient changed the caller's *http.Client")
	}
}

func TestDefaultUserAgentNamesSDKAndVersion(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "GET", path: "/api/accounts/user-config"}, 200, okConfig) // checkRequest asserts the default User-Agent
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	c2, mt2 := newMockClient(t, accounts.WithUserAgent("my-tool/2.0"))
	mt2.RegisterResponder("GET", userConfigURL, func(r *http.Request) (*http.Response, error) {
		if ua := r.Header.Get("User-Agent"); ua != "my-tool/2.0" {
			t.Errorf("User-Agent = %q", ua)
		}
		return httpmock.NewStringResponse(200, okConfig), nil
	})
	if _, err := c2.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLoggingIsSilentByDefaultAndNeverLeaks(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, accounts.WithLogger(logger))
	mt.RegisterResponder("GET", "https://api.test/api/accounts/workspaces",
		sequence(answer(503, `{"detail":"down"}`), answer(200, `{"count":0,"next":null,"previous":null,"results":[]}`)))
	if _, err := c.Workspaces.List(context.Background(), workspaces.Where(workspaces.Search("who-am-i"))); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"method=GET", "path=/api/accounts/workspaces", "status=503", "status=200", "attempt=1", "attempt=2", "duration=", "accounts: retrying"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{testKey, "who-am-i", "Bearer"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

func TestRedirects(t *testing.T) {
	var strangerAuth atomic.Value
	stranger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		strangerAuth.Store(r.Header.Get("Authorization"))
		_, _ = w.Write([]byte(okConfig))
	}))
	defer stranger.Close()
	var homeAuth []string
	var mu sync.Mutex
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		homeAuth = append(homeAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		switch r.URL.Path {
		case "/api/accounts/user-config":
			http.Redirect(w, r, "/api/moved/user-config", http.StatusFound)
		case "/api/moved/user-config":
			_, _ = w.Write([]byte(okConfig))
		case "/api/accounts/countries/NL":
			http.Redirect(w, r, stranger.URL+"/steal?x=1", http.StatusFound)
		case "/api/accounts/countries/BE":
			http.Redirect(w, r, "/elsewhere/BE", http.StatusMovedPermanently)
		}
	}))
	defer home.Close()
	c, err := accounts.NewClient(accounts.WithBaseURL(home.URL+"/api/"), accounts.WithAPIKey("redirect-key"), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.UserConfig.Get(ctx); err != nil {
		t.Fatalf("same-origin redirect: %v", err)
	}
	if len(homeAuth) != 2 || homeAuth[1] != "Bearer redirect-key" {
		t.Errorf("same-origin redirect lost the credentials: %q", homeAuth)
	}
	for _, id := range []string{"NL", "BE"} {
		_, err = c.Countries.Get(ctx, id)
		var re *accounts.RedirectError
		if !errors.As(err, &re) {
			t.Fatalf("%s: err = %v, want a RedirectError", id, err)
		}
		if strings.Contains(err.Error(), "x=1") {
			t.Errorf("error quotes the query: %v", err)
		}
	}
	if v := strangerAuth.Load(); v != nil {
		t.Errorf("the other host was called (Authorization %q)", v)
	}
	if len(homeAuth) != 4 {
		t.Errorf("refused redirects were retried: %d requests", len(homeAuth))
	}
}

func TestClientIsSafeForConcurrentUse(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", userConfigURL, sequence(answer(503, `{}`), answer(200, okConfig)))
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.UserConfig.Get(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestARefusedHeaderNameIsQuotedShort: a huge header name is refused with a
// short, escaped prefix of it, never the whole.
func TestARefusedHeaderNameIsQuotedShort(t *testing.T) {
	c, _ := newMockClient(t)
	name := strings.Repeat("\x01", 100_000)
	_, err := c.UserConfig.Get(context.Background(), accounts.WithHeader(name, "v"))
	var inErr *accounts.InputError
	if !errors.As(err, &inErr) || inErr.Field != "header" || len(err.Error()) > 400 {
		t.Fatalf("err = %.200v (%d bytes)", err, len(err.Error()))
	}
}
