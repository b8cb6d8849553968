package core

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
	"time"
)

// TestReviewDoneIsStableAndClosedOnceOver: the context contract says
// successive calls to Done return the same channel, and that once Err is
// non-nil that channel is closed. An attempt that finished cleanly (its state
// back in the pool) answers Err = context.Canceled while the channel it handed
// out during the attempt stays open, and Done now returns another channel.
func TestReviewDoneIsStableAndClosedOnceOver(t *testing.T) {
	a := newAttempt(context.Background(), time.Hour, &AttemptTimeoutError{After: time.Hour})
	d1 := a.Done()
	a.finish()
	if a.Err() == nil {
		t.Fatal("Err is nil after finish")
	}
	if d2 := a.Done(); d2 != d1 {
		t.Errorf("Done changed after finish: successive calls must return the same channel")
	}
	if !isClosed(d1) {
		t.Errorf("Err = %v but the Done channel handed out during the attempt is still open", a.Err())
	}
}

// doneWatcher is a caller's middleware that releases per-request resources
// when the request's context is done, as it may with any context of the
// standard library (whose cancel function always closes Done).
type doneWatcher struct{ next http.RoundTripper }

func (w doneWatcher) RoundTrip(r *http.Request) (*http.Response, error) {
	done := r.Context().Done()
	go func() { <-done }() // e.g. an in-flight gauge decremented at the end
	return w.next.RoundTrip(r)
}

// TestReviewDoneWatcherLeaks: through Do, with a caller's transport that
// waits for the request's Done channel, every cleanly finished call leaks
// the watcher's goroutine: the pooled state's channel is never closed.
func TestReviewDoneWatcherLeaks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"a":1}`)
	}))
	defer srv.Close()
	base := srv.Client().Transport.(*http.Transport)
	defer base.CloseIdleConnections()
	u, _ := url.Parse(srv.URL + "/api/")
	c, err := New(Config{BaseURL: u, HTTPClient: &http.Client{Transport: doneWatcher{base}}, AttemptTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	c.Do(context.Background(), &Request{Method: "GET", Path: "x"}, &out, nil) // warm the connection
	time.Sleep(50 * time.Millisecond)
	before := runtime.NumGoroutine()
	for range 50 {
		if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "x"}, &out, nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+5 {
		t.Errorf("%d goroutines still wait on the Done channel of finished calls (%d before, %d after 50 calls)", n-before, before, n)
	}
}

// TestReviewOldDoneIsNotANewAttempts: a channel taken from Done during an
// attempt that finished cleanly is closed by that finish, and an attempt that
// reuses the state gets a channel of its own, whose timeout does not reach the
// old one's holder a second time.
func TestReviewOldDoneIsNotANewAttempts(t *testing.T) {
	for range 20 { // the race detector drops some sync.Pool puts
		a1 := newAttempt(context.Background(), time.Hour, &AttemptTimeoutError{After: time.Hour})
		d1 := a1.Done()
		a1.finish()
		if !isClosed(d1) {
			t.Fatal("a finished attempt's Done channel is open")
		}
		a2 := newAttempt(context.Background(), time.Millisecond, &AttemptTimeoutError{After: time.Millisecond})
		if a2.s != a1.s {
			a2.finish()
			continue
		}
		if a2.Done() == d1 || isClosed(a2.Done()) {
			t.Fatal("the next attempt on the state shares the finished one's Done channel")
		}
		<-a2.Done()
		a2.finish()
		return
	}
	t.Skip("the pool never handed the state back")
}

// TestReviewCauseOfAFinishedAttempt: context.Cause of a context whose Err is
// non-nil is non-nil. The attempt answers the &cancelCtxKey lookup with its
// parent's cancelCtx, so on Go 1.24 and 1.25 (go.mod's minimum is 1.24), whose
// Cause returns that cancelCtx's cause without looking at Err, an attempt
// ended by finish (a registration left, or a state back in the pool) while
// its parent runs has Err = Canceled and Cause = nil.
func TestReviewCauseOfAFinishedAttempt(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := newAttempt(parent, time.Hour, &AttemptTimeoutError{After: time.Hour})
	a.finish() // clean: the state goes back to the pool
	if a.Err() == nil {
		t.Fatal("Err is nil after finish")
	}
	if c := context.Cause(a); c == nil {
		t.Errorf("pooled: Err = %v but Cause = nil", a.Err())
	}

	b := newAttempt(parent, time.Hour, &AttemptTimeoutError{After: time.Hour})
	context.AfterFunc(b, func() {}) // left registered: finish cancels the attempt
	b.finish()
	if c := context.Cause(b); c == nil {
		t.Errorf("cancelled by finish: Err = %v but Cause = nil", b.Err())
	}
}

// TestReviewAttemptTimeoutBoundsTheRedirects: WithAttemptTimeout "bounds each
// attempt of every call: connecting, sending, waiting for the answer and
// reading it". An attempt that follows redirects is one attempt of the retry
// loop (one http.Client.Do), but the deadline is started afresh by every
// RoundTrip, that is for every hop: with up to 10 redirects an attempt may
// last 11 times the bound. (http.Client.Timeout, used before commit 449bd81,
// bounded the whole chain.)
func TestReviewAttemptTimeoutBoundsTheRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(40 * time.Millisecond)
		switch r.URL.Path {
		case "/api/r1":
			http.Redirect(w, r, "/api/r2", http.StatusFound)
		case "/api/r2":
			http.Redirect(w, r, "/api/r3", http.StatusFound)
		case "/api/r3":
			http.Redirect(w, r, "/api/ok", http.StatusFound)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL + "/api/")
	c, err := New(Config{BaseURL: u, AttemptTimeout: 100 * time.Millisecond, Retry: RetryPolicy{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	var out map[string]any
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "r1"}, &out, nil)
	// The chain takes at least 160ms whatever the machine: every hop must
	// not get a deadline of its own.
	var te *AttemptTimeoutError
	if !errors.As(err, &te) {
		t.Errorf("one attempt (4 hops of 40ms) with a 100ms attempt timeout ended in %v; want an *AttemptTimeoutError", err)
	}
}
