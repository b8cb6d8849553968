package accounts_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/workspaces"
	"github.com/jarcoal/httpmock"
)

// TestWithResponseIntoHandsTheAnswersHeaders: a successful call fills the
// Response with its status and headers; a failed one leaves it as it was.
func TestWithResponseIntoHandsTheAnswersHeaders(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", userConfigURL, func(req *http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, okConfig)
		r.Header.Set("X-Request-Id", "req-42")
		r.Header.Set("X-RateLimit-Remaining", "99")
		return r, nil
	})
	var resp accounts.Response
	if _, err := c.UserConfig.Get(context.Background(), accounts.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("X-Request-Id") != "req-42" || resp.Header.Get("X-RateLimit-Remaining") != "99" {
		t.Errorf("resp = %+v", resp)
	}

	c2, mt2 := newMockClient(t)
	mt2.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(404, `{"detail":"Not found."}`))
	before := accounts.Response{StatusCode: -1}
	got := before
	_, err := c2.UserConfig.Get(context.Background(), accounts.WithResponseInto(&got))
	if !errors.Is(err, accounts.ErrNotFound) || got.StatusCode != -1 {
		t.Errorf("after a 404: err = %v, resp = %+v", err, got)
	}
}

// recordingTransport is a caller's RoundTripper (as OpenTelemetry's otelhttp
// wraps one): it records every request it sees.
type recordingTransport struct {
	mu   sync.Mutex
	seen []*http.Request
	next http.RoundTripper
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req)
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// TestACallersTransportSeesEveryAttempt: a transport given with
// WithHTTPClient (for tracing) sees each attempt of a retried call, each one
// authenticated.
func TestACallersTransportSeesEveryAttempt(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	rec := &recordingTransport{next: http.DefaultTransport}
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken),
		accounts.WithHTTPClient(&http.Client{Transport: rec}), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{accountstest.Fault503}, Only: firstN(2, "GET", "/api/accounts/workspaces")})
	if _, err := c.Workspaces.List(context.Background(), &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5)}}); err != nil {
		t.Fatal(err)
	}
	if len(rec.seen) != 3 {
		t.Fatalf("the caller's transport saw %d attempts, want 3", len(rec.seen))
	}
	for i, req := range rec.seen {
		if req.Header.Get("Authorization") != "Bearer "+accountstest.OwnerToken {
			t.Errorf("attempt %d: not authenticated", i+1)
		}
	}
}

// firstN returns a fault filter that picks the first n requests matching
// method and path.
func firstN(n int, method, path string) func(*http.Request) bool {
	var mu sync.Mutex
	return func(r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if n == 0 || r.Method != method || r.URL.Path != path {
			return false
		}
		n--
		return true
	}
}
