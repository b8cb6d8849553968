package core_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
	"golang.org/x/oauth2"
)

// Secrets planted in every request of FuzzErrorAnswer: the token and a query
// parameter. Neither may appear in the error unless the server's body echoes it.
const (
	fuzzToken  = "tok-fuzz-SECRET-4242"
	fuzzSearch = "query-fuzz-PRIVATE-1717"
)

// countingBody counts the bytes the SDK read of an answer and whether it
// closed it.
type countingBody struct {
	r      io.Reader
	n      atomic.Int64
	closed atomic.Bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error { b.closed.Store(true); return nil }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzErrorAnswer sends a request carrying a token and a private query
// parameter to a server that answers a fuzzed status, Retry-After and body
// (optionally followed by more than MaxBody bytes). A non-2xx answer must
// become an *apierror.Error with that status, whose message never quotes the
// token or the query, and of whose body at most MaxBody bytes (plus the small
// drain that lets the connection be reused) are read.
func FuzzErrorAnswer(f *testing.F) {
	f.Add(404, "", []byte(`{"detail":"Not found."}`), false)
	f.Add(400, "", []byte(`{"search":["bad"],"non_field_errors":["x"]}`), false)
	f.Add(429, "120", []byte(`{"detail":"throttled"}`), false)
	f.Add(503, "Mon, 23 Nov 2026 12:00:30 GMT", []byte("<html>down</html>"), true)
	f.Add(500, "", []byte(`{"detail":"`), true)
	f.Add(302, "", []byte(nil), false)
	f.Add(200, "", []byte(`{}`), false)
	f.Add(-7, "x", []byte("\x00\xff"), false)
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte, big bool) {
		status = 300 + int(uint(status)%700) // 300..999: every answer the SDK must turn into an error
		full := body
		if big {
			full = append(bytes.Clone(body), bytes.Repeat([]byte("x"), apierror.MaxBody+1)...)
		}
		var cb *countingBody
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if got := req.Header.Get("Authorization"); got != "Bearer "+fuzzToken {
				t.Errorf("Authorization header not sent as expected (len %d)", len(got))
			}
			cb = &countingBody{r: bytes.NewReader(full)}
			h := http.Header{}
			if retryAfter != "" {
				h["Retry-After"] = []string{retryAfter}
			}
			return &http.Response{StatusCode: status, Header: h, Body: cb, Request: req}, nil
		})
		base, _ := url.Parse("https://api.test/api/")
		c, err := core.New(core.Config{
			BaseURL:     base,
			HTTPClient:  &http.Client{Transport: rt},
			TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fuzzToken, TokenType: "Bearer"}),
			Retry:       core.RetryPolicy{MaxRetries: -1},
		})
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		_, err = c.Do(context.Background(), &core.Request{Method: "GET", Path: "accounts/users/me/", Query: url.Values{"search": {fuzzSearch}}}, &out, nil)
		var e *apierror.Error
		if !errors.As(err, &e) {
			t.Fatalf("status %d gave %v, want an *apierror.Error", status, err)
		}
		if e.StatusCode != status || e.Method != "GET" || e.Path != "/api/accounts/users/me/" {
			t.Fatalf("error has status %d, method %q, path %q", e.StatusCode, e.Method, e.Path)
		}
		if len(e.Body) > apierror.MaxBody || !bytes.HasPrefix(full, e.Body) {
			t.Fatalf("kept %d bytes of the body, not a prefix of at most MaxBody", len(e.Body))
		}
		if n := cb.n.Load(); n > apierror.MaxBody+4<<10 {
			t.Fatalf("read %d bytes of a %d-byte error body", n, len(full))
		}
		if !cb.closed.Load() {
			t.Fatal("the answer's body was not closed")
		}
		msg := err.Error()
		if msg == "" {
			t.Fatal("empty error message")
		}
		for _, secret := range []string{fuzzToken, fuzzSearch} {
			if strings.Contains(msg, secret) && !bytes.Contains(e.Body, []byte(secret)) {
				t.Fatalf("the error quotes a secret of the request: %q", strings.ReplaceAll(msg, secret, "<LEAKED>"))
			}
		}
	})
}
