package accounts_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/workspaces"
	"github.com/jarcoal/httpmock"
)

const userConfigURL = "https://api.test/api/accounts/user-config"
const switchURL = "https://api.test/api/accounts/users/me/switch-workspace/"

// incrementURL is the usage increment of orgUUID: a POST whose repetition
// would act twice, so it is never repeated after an ambiguous failure.
const incrementURL = "https://api.test/api/accounts/organizations/" + orgUUID + "/increment/"
const okUsage = `{"limit":100,"usage":15,"remaining":85,"overriden":false}`

// increment makes the call that is never repeated.
func increment(c *accounts.Client) error {
	_, err := c.Organizations.Increment(context.Background(), orgUUID, 5)
	return err
}

const okConfig = `{"config":{},"available_actions":[],"company_type":"active"}`

// sequence answers each request with the next of the given responses; the last
// one repeats.
func sequence(answers ...*http.Response) httpmock.Responder {
	var n atomic.Int32
	return func(*http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(answers) {
			i = len(answers) - 1
		}
		r := *answers[i]
		r.Body = httpmock.NewRespBodyFromString(bodies[answers[i]])
		return &r, nil
	}
}

// bodies keeps the body text of responses built by answer, so that sequence
// can repeat them.
var bodies = map[*http.Response]string{}

func answer(status int, body string, header ...string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	bodies[r] = body
	return r
}

// djangoServerError is the page Django answers an unhandled exception with
// when DEBUG is off.
const djangoServerError = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"

func TestRetriesIdempotentFailures(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			c, mt := newMockClient(t)
			busy := answer(status, `{"detail":"busy"}`)
			if status == 500 {
				busy = answer(status, djangoServerError, "Content-Type", "text/html; charset=utf-8")
			}
			mt.RegisterResponder("GET", userConfigURL, sequence(busy, answer(status, `{"detail":"busy"}`), answer(200, okConfig)))
			if _, err := c.UserConfig.Get(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := mt.GetTotalCallCount(); n != 3 {
				t.Errorf("%d attempts, want 3", n)
			}
		})
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 501} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", userConfigURL, sequence(answer(status, `{"detail":"no"}`), answer(200, okConfig)))
		_, err := c.UserConfig.Get(context.Background())
		var apiErr *accounts.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("%d: err = %v", status, err)
		}
		if n := mt.GetTotalCallCount(); n != 1 {
			t.Errorf("%d: %d attempts, want 1", status, n)
		}
	}
}

// TestPostIsNeverRetriedOn500: the server may have acted before failing, and
// the error says so.
func TestPostIsNeverRetriedOn500(t *testing.T) {
	for _, body := range []string{`{"detail":"boom"}`, djangoServerError} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", incrementURL, sequence(answer(500, body), answer(200, okUsage)))
		err := increment(c)
		var apiErr *accounts.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || !apiErr.MayHaveActed {
			t.Fatalf("err = %v", err)
		}
		if !errors.Is(err, accounts.ErrMayHaveActed) || !strings.Contains(err.Error(), "may have acted") {
			t.Errorf("err = %v, want it to say the server may have acted", err)
		}
		if n := mt.GetTotalCallCount(); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	}
}

func TestRetryLimit(t *testing.T) {
	fast := func(n *int) accounts.Option {
		return accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: n, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	}
	cases := []struct {
		name   string
		client []accounts.Option
		opts   []accounts.RequestOption
		want   int
	}{
		{"policy", nil, nil, 4},
		{"policy without MaxRetries", []accounts.Option{fast(nil)}, nil, 1 + accounts.DefaultMaxRetries},
		{"policy MaxRetries 0", []accounts.Option{fast(accounts.Ptr(0))}, nil, 1},
		{"policy MaxRetries 0, call 1", []accounts.Option{fast(accounts.Ptr(0))}, []accounts.RequestOption{accounts.WithMaxRetries(1)}, 2},
		{"WithMaxRetries(0)", nil, []accounts.RequestOption{accounts.WithMaxRetries(0)}, 1},
		{"WithMaxRetries(1)", nil, []accounts.RequestOption{accounts.WithMaxRetries(1)}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t, tc.client...)
			mt.RegisterResponder("GET", userConfigURL, sequence(answer(503, `{"detail":"down"}`)))
			_, err := c.UserConfig.Get(context.Background(), tc.opts...)
			var apiErr *accounts.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Detail != "down" {
				t.Fatalf("err = %v", err)
			}
			if n := mt.GetTotalCallCount(); n != tc.want {
				t.Errorf("%d attempts, want %d", n, tc.want)
			}
		})
	}
}

func TestRetryPolicyRefusesNegativeRetries(t *testing.T) {
	_, err := accounts.NewClient(accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(-1)}))
	if err == nil || !strings.Contains(err.Error(), "MaxRetries") {
		t.Fatalf("err = %v, want MaxRetries refused", err)
	}
}

func TestPostRetriedOnlyWhenServerDidNothing(t *testing.T) {
	cases := []struct {
		name  string
		first *http.Response
		want  int // attempts
	}{
		{"500", answer(500, `{"detail":"boom"}`), 1},
		{"502", answer(502, `<html>bad gateway</html>`), 1},
		{"504", answer(504, ``), 1},
		{"503 without Retry-After", answer(503, `{"detail":"down"}`), 1},
		{"503 with Retry-After", answer(503, `{"detail":"down"}`, "Retry-After", "0"), 2},
		{"429", answer(429, `{"detail":"slow down"}`), 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("POST", incrementURL, sequence(tc.first, answer(200, okUsage)))
			err := increment(c)
			if n := mt.GetTotalCallCount(); n != tc.want {
				t.Errorf("%d attempts, want %d", n, tc.want)
			}
			if tc.want == 1 && !errors.Is(err, accounts.ErrMayHaveActed) {
				t.Errorf("err = %v, want an unretried failure that may have acted", err)
			}
			if tc.want == 2 && err != nil {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	c, mt := newMockClient(t)
	var first time.Time
	var waited time.Duration
	var n atomic.Int32
	mt.RegisterResponder("GET", userConfigURL, func(*http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			first = time.Now()
			r := httpmock.NewStringResponse(429, `{"detail":"Request was throttled. Expected available in 1 second."}`)
			r.Header.Set("Retry-After", "1")
			return r, nil
		}
		waited = time.Since(first)
		return httpmock.NewStringResponse(200, okConfig), nil
	})
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The policy's own backoff is 1-2ms, so anything near a second can only
	// come from the header. (An ordering fact, not a timing budget.)
	if waited < 900*time.Millisecond {
		t.Errorf("retried after %v; Retry-After asked for 1s", waited)
	}
}

func TestRetryAfterBeyondCapOrDeadlineIsReturned(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		name     string
		header   string
		ctx      func() (context.Context, context.CancelFunc)
		minAfter time.Duration
	}{
		{"seconds over the cap", "120", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, 120 * time.Second},
		{"HTTP date over the cap", future, func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, 59 * time.Minute},
		{"seconds past the deadline", "5", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Minute)
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := []accounts.Option{}
			if tc.minAfter == 0 {
				// Cap above the ask, deadline below it.
				opts = append(opts, accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(3), MinWait: time.Millisecond, MaxRetryAfter: time.Hour}))
			}
			c, mt := newMockClient(t, opts...)
			mt.RegisterResponder("GET", userConfigURL, sequence(answer(429, `{"detail":"throttled"}`, "Retry-After", tc.header), answer(200, okConfig)))
			ctx, cancel := tc.ctx()
			defer cancel()
			if tc.minAfter == 0 {
				ctx, cancel = context.WithTimeout(ctx, 2*time.Second)
				defer cancel()
			}
			_, err := c.UserConfig.Get(ctx)
			var apiErr *accounts.Error
			if !errors.As(err, &apiErr) || !errors.Is(err, accounts.ErrRateLimited) {
				t.Fatalf("err = %v", err)
			}
			if apiErr.RetryAfter < tc.minAfter || apiErr.RetryAfter == 0 {
				t.Errorf("RetryAfter = %v", apiErr.RetryAfter)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

func TestRetryAfterDateInThePastRetriesAtOnce(t *testing.T) {
	c, mt := newMockClient(t)
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	mt.RegisterResponder("GET", userConfigURL, sequence(answer(503, `{"detail":"down"}`, "Retry-After", past), answer(200, okConfig)))
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestCancelWhileWaitingReturnsContextError(t *testing.T) {
	c, mt := newMockClient(t, accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(3), MinWait: time.Hour, MaxWait: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	mt.RegisterResponder("GET", userConfigURL, func(*http.Request) (*http.Response, error) {
		time.AfterFunc(20*time.Millisecond, cancel)
		return httpmock.NewStringResponse(503, `{"detail":"down"}`), nil
	})
	_, err := c.UserConfig.Get(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d attempts", n)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	c, mt := newMockClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.UserConfig.Get(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent with a cancelled context", n)
	}
}

func TestWithTimeoutBoundsTheCall(t *testing.T) {
	c, mt := newMockClient(t, accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(3), MinWait: time.Hour, MaxWait: time.Hour}))
	mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(503, `{}`))
	_, err := c.UserConfig.Get(context.Background(), accounts.WithTimeout(50*time.Millisecond))
	// An hour's backoff does not fit in 50ms, so the SDK stops at once and
	// reports the last answer.
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
}

// resetServer closes the connection without answering the first n requests.
func resetServer(t *testing.T, n int32, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func TestConnectionResetRetriedForGetNotForPost(t *testing.T) {
	srv, count := resetServer(t, 2, okConfig)
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"), accounts.WithAPIKey("k"), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserConfig.Get(context.Background()); err != nil {
		t.Fatalf("GET after two resets: %v", err)
	}
	if n := count.Load(); n != 3 {
		t.Errorf("GET: %d attempts, want 3", n)
	}

	srv2, count2 := resetServer(t, 1, `{"message":"ok"}`)
	c2, err := accounts.NewClient(accounts.WithBaseURL(srv2.URL+"/api/"), accounts.WithAPIKey("k"), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.Organizations.Increment(context.Background(), orgUUID, 1)
	if !errors.Is(err, accounts.ErrMayHaveActed) {
		t.Fatalf("POST after a reset: err = %v; it must not be retried, and may have acted", err)
	}
	if n := count2.Load(); n != 1 {
		t.Errorf("POST: %d attempts, want 1 (the request was written)", n)
	}
}

// dialFailTransport fails the first n round trips as a refused dial, then
// hands requests to next.
type dialFailTransport struct {
	n     atomic.Int32
	fails int32
	next  http.RoundTripper
}

func (d *dialFailTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.n.Add(1) <= d.fails {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return d.next.RoundTrip(r)
}

func TestPostRetriedAfterDialError(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", switchURL, httpmock.NewStringResponder(200, `{"message":"ok"}`))
	dt := &dialFailTransport{fails: 2, next: mt}
	c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithAPIKey(testKey),
		accounts.WithHTTPClient(&http.Client{Transport: dt}), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workspaces.Switch(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if n := dt.n.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestDialErrorToClosedPortIsReported(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := accounts.NewClient(accounts.WithBaseURL("http://"+addr+"/api/"), accounts.WithAPIKey("k"), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Workspaces.List(context.Background(), workspaces.Where(workspaces.Search("secret-term")))
	// The error names the call and its attempts, and keeps the *url.Error
	// and *net.OpError underneath.
	var te *accounts.TransportError
	var ue *url.Error
	if !errors.As(err, &te) || !errors.As(err, &ue) || te.Attempts != 4 || te.MayHaveActed ||
		!strings.HasPrefix(err.Error(), "accounts: GET /api/accounts/workspaces: no answer after 4 attempts: ") {
		t.Errorf("err = %v, want a *TransportError naming the call and its 4 attempts", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "dial" {
		t.Fatalf("err = %v, want a dial error", err)
	}
	if strings.Contains(err.Error(), "secret-term") {
		t.Errorf("error quotes the query: %v", err)
	}
}

// TestDeleteAnswered404AfterAnAmbiguousAttemptIsSuccess: the first attempt may
// have deleted the user (a 502 from a proxy, a lost connection); the retry's
// 404 then means it is gone, as asked. A 404 on the first attempt, or after a
// failure that promised nothing was done (429), is still an error.
func TestDeleteAnswered404AfterAnAmbiguousAttemptIsSuccess(t *testing.T) {
	const uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	userURL := testBase + "accounts/users/" + uuid + "/"
	notFound := `{"detail":"Not found."}`
	cases := []struct {
		name    string
		answers []*http.Response
		wantErr bool
	}{
		{"after a 502", []*http.Response{answer(502, "<html>Bad Gateway</html>"), answer(404, notFound)}, false},
		{"after a 500 and a 504", []*http.Response{answer(500, djangoServerError), answer(504, "timeout"), answer(404, notFound)}, false},
		{"after a 429", []*http.Response{answer(429, `{"detail":"slow down"}`, "Retry-After", "0"), answer(404, notFound)}, true},
		{"at once", []*http.Response{answer(404, notFound)}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("DELETE", userURL, sequence(tc.answers...))
			err := c.Users.Delete(context.Background(), uuid)
			if tc.wantErr != errors.Is(err, accounts.ErrNotFound) || (!tc.wantErr && err != nil) {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
			if n := mt.GetTotalCallCount(); n != len(tc.answers) {
				t.Errorf("%d attempts, want %d", n, len(tc.answers))
			}
		})
	}

	// A connection lost after the request was written is ambiguous too.
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) == 1 {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(404)
		_, _ = io.WriteString(w, notFound)
	}))
	defer srv.Close()
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Delete(context.Background(), uuid); err != nil || count.Load() != 2 {
		t.Errorf("after a lost connection: err = %v, %d attempts", err, count.Load())
	}
}

// TestAContextEndingAWriteInFlightSaysItMayHaveActed: a caller's deadline
// that ends a call whose repetition would act twice while its request is at
// the server still matches the context's error, and says the server may have
// acted; a read ended the same way is the context's error alone.
func TestAContextEndingAWriteInFlightSaysItMayHaveActed(t *testing.T) {
	c, mt := newMockClient(t)
	hang := func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	mt.RegisterResponder("POST", incrementURL, hang)
	mt.RegisterResponder("GET", userConfigURL, hang)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Organizations.Increment(ctx, orgUUID, 1)
	var te *accounts.TransportError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, accounts.ErrMayHaveActed) || !errors.As(err, &te) || !te.MayHaveActed {
		t.Errorf("increment: err = %v, want the deadline, saying the server may have acted", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	_, err = c.UserConfig.Get(ctx2)
	if err != context.DeadlineExceeded {
		t.Errorf("get: err = %v, want context.DeadlineExceeded itself", err)
	}
}
