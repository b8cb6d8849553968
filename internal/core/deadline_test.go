package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// isClosed reports whether c is closed, without waiting.
func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// TestAttemptTimesOutWithItsCause: at its deadline an attempt is done with
// context.DeadlineExceeded, context.Cause finds its *AttemptTimeoutError, and
// children and AfterFunc callbacks are cancelled with that cause.
func TestAttemptTimesOutWithItsCause(t *testing.T) {
	cause := &AttemptTimeoutError{After: time.Millisecond}
	a := newAttempt(context.Background(), time.Millisecond, cause)
	child, cancel := context.WithCancelCause(a)
	defer cancel(nil)
	ran := make(chan struct{})
	context.AfterFunc(a, func() { close(ran) })

	<-a.Done()
	<-child.Done()
	<-ran
	if err := a.Err(); err != context.DeadlineExceeded {
		t.Errorf("Err = %v, want DeadlineExceeded", err)
	}
	if got := context.Cause(a); got != cause {
		t.Errorf("Cause(attempt) = %v, want the AttemptTimeoutError", got)
	}
	if got := context.Cause(child); got != cause {
		t.Errorf("Cause(child) = %v, want the AttemptTimeoutError", got)
	}
	if !a.timedOut() {
		t.Error("timedOut is false after the deadline")
	}
	a.finish()
	if !isClosed(a.Done()) || a.Err() == nil {
		t.Error("a finished attempt is not done")
	}
}

// TestAttemptParentCancelPropagates: cancelling the parent cancels the attempt
// and its children at once, with the parent's error and cause, and is not a
// timeout.
func TestAttemptParentCancelPropagates(t *testing.T) {
	parent, cancelParent := context.WithCancelCause(context.Background())
	stop := errors.New("caller stopped")
	a := newAttempt(parent, time.Hour, &AttemptTimeoutError{After: time.Hour})
	child, cancel := context.WithCancel(a)
	defer cancel()

	if isClosed(a.Done()) || a.Err() != nil {
		t.Fatal("a new attempt is already done")
	}
	cancelParent(stop)
	<-a.Done()
	<-child.Done()
	if err := a.Err(); err != context.Canceled {
		t.Errorf("Err = %v, want the parent's Canceled", err)
	}
	if got := context.Cause(a); got != stop {
		t.Errorf("Cause(attempt) = %v, want the parent's cause", got)
	}
	if got := context.Cause(child); got != stop {
		t.Errorf("Cause(child) = %v, want the parent's cause", got)
	}
	if a.timedOut() {
		t.Error("a cancelled parent counted as a timeout")
	}
	a.finish()
}

// TestAttemptOfACancelledParent: an attempt under a parent that is already
// cancelled is done from the start, before anything is sent.
func TestAttemptOfACancelledParent(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	cancel()
	a := newAttempt(parent, time.Hour, &AttemptTimeoutError{After: time.Hour})
	if !isClosed(a.Done()) || a.Err() != context.Canceled {
		t.Errorf("Done closed %v, Err %v; want done at once with Canceled", isClosed(a.Done()), a.Err())
	}
	a.finish()
}

// TestAttemptDeadlineIsTheEarlier: Deadline is the parent's when it comes
// sooner, the attempt's own otherwise.
func TestAttemptDeadlineIsTheEarlier(t *testing.T) {
	soon, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	want, _ := soon.Deadline()
	a := newAttempt(soon, time.Hour, &AttemptTimeoutError{After: time.Hour})
	if dl, ok := a.Deadline(); !ok || !dl.Equal(want) {
		t.Errorf("Deadline = %v %v, want the parent's %v", dl, ok, want)
	}
	a.finish()
	before := time.Now()
	b := newAttempt(context.Background(), time.Hour, &AttemptTimeoutError{After: time.Hour})
	if dl, ok := b.Deadline(); !ok || dl.Before(before.Add(time.Hour)) {
		t.Errorf("Deadline = %v %v, want an hour from %v", dl, ok, before)
	}
	b.finish()
}

type ctxKey struct{}

// TestAttemptReuseCarriesNoState runs many attempts ending in every way:
// each new attempt is open, its values come from its own parent, a state
// is reused only after a clean finish, and a finished attempt stays over
// (cancelled) even when its state serves another attempt.
func TestAttemptReuseCarriesNoState(t *testing.T) {
	cause := &AttemptTimeoutError{After: time.Hour}
	dropped := map[*deadlineState]bool{}
	cleaned := map[*deadlineState]bool{}
	reused := 0
	var old []*attempt
	for i := range 300 {
		parent, cancelParent := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, i))
		timeout := time.Hour
		if i%3 == 1 {
			timeout = time.Microsecond
		}
		a := newAttempt(parent, timeout, cause)
		if dropped[a.s] {
			t.Fatalf("attempt %d got the state of an attempt that was cancelled", i)
		}
		if cleaned[a.s] {
			reused++
		}
		if timeout == time.Hour && (isClosed(a.Done()) || a.Err() != nil || a.timedOut() || context.Cause(a) != nil) {
			t.Fatalf("attempt %d starts done: %v", i, a.Err())
		}
		for j, o := range old {
			if o.s == a.s && (o.Err() == nil || !isClosed(o.Done()) || o.timedOut()) {
				t.Fatalf("finished attempt %d looks running while its state serves attempt %d", j, i)
			}
		}
		if v := a.Value(ctxKey{}); v != i {
			t.Fatalf("attempt %d: Value = %v, want its parent's %d", i, v, i)
		}
		child, cancelChild := context.WithCancel(a) // net/http's way
		defer cancelChild()
		switch i % 3 {
		case 0: // a clean finish: the child is done first, as net/http's is
			cancelChild()
			s := a.s
			a.finish()
			cleaned[s] = true
		case 1: // the deadline
			<-child.Done()
			if context.Cause(child) != cause {
				t.Fatalf("attempt %d: child's cause %v", i, context.Cause(child))
			}
			dropped[a.s] = true
			a.finish()
			cancelChild()
		case 2: // the caller gives up
			cancelParent()
			<-child.Done()
			dropped[a.s] = true
			a.finish()
			cancelChild()
		}
		cancelParent()
		old = append(old, a)
	}
	for i, a := range old {
		if !isClosed(a.Done()) || a.Err() == nil || a.Value(ctxKey{}) != i {
			t.Fatalf("finished attempt %d: Done closed %v, Err %v, Value %v", i, isClosed(a.Done()), a.Err(), a.Value(ctxKey{}))
		}
		if a.AfterFunc(func() {})() {
			t.Fatalf("finished attempt %d accepted an AfterFunc", i)
		}
	}
	if reused == 0 {
		t.Error("no state was reused after 100 clean finishes")
	}
}

// TestAttemptFinishCancelsWhatIsLeft: a registration still waiting when the
// attempt finishes is cancelled, as context.WithTimeout's cancel would, and
// the state is not reused.
func TestAttemptFinishCancelsWhatIsLeft(t *testing.T) {
	a := newAttempt(context.Background(), time.Hour, &AttemptTimeoutError{After: time.Hour})
	child, cancel := context.WithCancel(a)
	defer cancel()
	a.finish()
	<-child.Done()
	if a.Err() != context.Canceled || !isClosed(a.Done()) {
		t.Errorf("after finish: Err %v, Done closed %v", a.Err(), isClosed(a.Done()))
	}
	for range 50 {
		b := newAttempt(context.Background(), time.Hour, &AttemptTimeoutError{After: time.Hour})
		if b.s == a.s {
			t.Fatal("a state cancelled at finish was reused")
		}
		b.finish()
	}
}

// TestAttemptStopAfterFunc: a stopped callback never runs, and stop reports
// whether it was still waiting.
func TestAttemptStopAfterFunc(t *testing.T) {
	a := newAttempt(context.Background(), time.Millisecond, &AttemptTimeoutError{After: time.Millisecond})
	stopped := a.AfterFunc(func() { t.Error("a stopped callback ran") })
	ran := make(chan struct{})
	a.AfterFunc(func() { close(ran) })
	if !stopped() {
		t.Error("stop of a waiting callback returned false")
	}
	if stopped() {
		t.Error("a second stop returned true")
	}
	<-ran
	a.finish()
}

// cutBody is a body whose reads fail once ctx is done.
type cutBody struct{ ctx context.Context }

func (b cutBody) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, errors.New("connection cut")
}

func (cutBody) Close() error { return nil }

// TestTransportReportsTimeouts: an attempt whose round trip or body read is
// cut by the deadline fails with its AttemptTimeoutError; one cut by the
// caller fails with the caller's error.
func TestTransportReportsTimeouts(t *testing.T) {
	hang := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, context.Cause(r.Context())
	})
	tr := &transport{next: hang, timeout: time.Millisecond, cause: &AttemptTimeoutError{After: time.Millisecond}}
	req, _ := http.NewRequest(http.MethodGet, "http://api.test/", nil)
	var te *AttemptTimeoutError
	if _, err := tr.RoundTrip(req); !errors.As(err, &te) {
		t.Errorf("a hung round trip: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr.timeout = time.Hour
	if _, err := tr.RoundTrip(req.WithContext(ctx)); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled caller: %v", err)
	}

	drip := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: cutBody{r.Context()}}, nil
	})
	tr = &transport{next: drip, timeout: time.Millisecond, cause: &AttemptTimeoutError{After: time.Millisecond}}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); !errors.As(err, &te) {
		t.Errorf("a body cut by the deadline: %v", err)
	}
	resp.Body.Close()
}

// endsAfterDeadline is an answer's body that sends first, then ends cleanly
// once the request's context is done: a server that finishes its answer when
// the client gives up (net/http's server closes a chunked answer so).
type endsAfterDeadline struct {
	ctx   context.Context
	first string
	sent  bool
}

func (b *endsAfterDeadline) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, b.first), nil
	}
	<-b.ctx.Done()
	return 0, io.EOF
}

func (*endsAfterDeadline) Close() error { return nil }

// TestAnEndAfterTheDeadlineIsNotTheAnswers: an answer that stops halfway and
// then ends cleanly only once the attempt's deadline has passed was cut by
// the deadline, whatever its framing: the GET is asked again. A value the
// server finished before the deadline stands, though its end came after it.
func TestAnEndAfterTheDeadlineIsNotTheAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, first string
		requests    int32
	}{
		{"value unfinished", `{"name":"x`, 2},
		{"value finished", `{"name":"x"}`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				var body io.ReadCloser = io.NopCloser(strings.NewReader(`{"name":"x"}`))
				if requests.Add(1) == 1 {
					body = &endsAfterDeadline{ctx: r.Context(), first: tc.first}
				}
				return &http.Response{StatusCode: 200, ProtoMajor: 1, ContentLength: -1, TransferEncoding: []string{"chunked"},
					Header: http.Header{}, Body: body, Request: r}, nil
			})
			u, _ := url.Parse("http://api.test/api/")
			c, err := New(Config{BaseURL: u, HTTPClient: &http.Client{Transport: rt}, AttemptTimeout: 50 * time.Millisecond,
				Retry: RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			var out struct{ Name string }
			if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "thing/"}, &out, nil); err != nil || out.Name != "x" {
				t.Fatalf("out = %+v, err = %v", out, err)
			}
			if n := requests.Load(); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

// roundTripFunc is a RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportOverNetHTTP: through a real net/http transport, over HTTP/1.1
// and HTTP/2, calls succeed one after another and concurrently, and a server
// that never answers hits the deadline.
func TestTransportOverNetHTTP(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "http1", true: "http2"}[h2], func(t *testing.T) {
			hung := make(chan struct{})
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/hang" {
					select {
					case <-hung:
					case <-r.Context().Done():
					}
					return
				}
				io.WriteString(w, "ok")
			}))
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			defer srv.Close()
			defer close(hung)
			base := srv.Client().Transport.(*http.Transport)
			defer base.CloseIdleConnections()
			tr := &transport{next: base, timeout: time.Hour, cause: &AttemptTimeoutError{After: time.Hour}}
			hc := &http.Client{Transport: tr}
			get := func() error {
				resp, err := hc.Get(srv.URL)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				if resp.ProtoMajor != map[bool]int{false: 1, true: 2}[h2] {
					return fmt.Errorf("protocol %s", resp.Proto)
				}
				if b, err := io.ReadAll(resp.Body); err != nil || string(b) != "ok" {
					return fmt.Errorf("body %q, %v", b, err)
				}
				return nil
			}
			errs := make(chan error, 40)
			for range 20 {
				errs <- get()
			}
			var wg sync.WaitGroup
			for range 20 {
				wg.Add(1)
				go func() { defer wg.Done(); errs <- get() }()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			tr.timeout, tr.cause = 10*time.Millisecond, &AttemptTimeoutError{After: 10 * time.Millisecond}
			var te *AttemptTimeoutError
			if _, err := hc.Get(srv.URL + "/hang"); !errors.As(err, &te) {
				t.Errorf("a hung server: %v", err)
			}
		})
	}
}
