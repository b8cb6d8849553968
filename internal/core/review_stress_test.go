package core

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// probeServer answers /ok quickly, /slow after a while, /hang never (until
// the client goes), /cut with half a body, /busy with a 503, at random for
// /rand.
func probeServer(h2 bool) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasSuffix(p, "/rand") {
			p = []string{"/ok", "/ok", "/ok", "/slow", "/hang", "/cut", "/busy", "/big"}[rand.IntN(8)]
		}
		switch {
		case strings.HasSuffix(p, "/ok"):
			io.WriteString(w, `{"a":1}`)
		case strings.HasSuffix(p, "/slow"):
			time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
			io.WriteString(w, `{"a":1}`)
		case strings.HasSuffix(p, "/hang"):
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		case strings.HasSuffix(p, "/cut"):
			w.Header().Set("Content-Length", "100")
			io.WriteString(w, `{"a":`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		case strings.HasSuffix(p, "/busy"):
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(503)
		case strings.HasSuffix(p, "/big"):
			io.WriteString(w, `{"a":"`)
			w.(http.Flusher).Flush()
			time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
			io.WriteString(w, strings.Repeat("x", 10000)+`"}`)
		}
	}))
	srv.EnableHTTP2 = h2
	srv.StartTLS()
	return srv
}

func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutines: %d, baseline %d\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReviewProbeStress: many concurrent calls through Do against a server that
// delays, hangs, cuts and refuses, over HTTP/1.1 and HTTP/2, some with the
// caller cancelling mid-call; no race, no leak.
func TestReviewProbeStress(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "http1", true: "http2"}[h2], func(t *testing.T) {
			srv := probeServer(h2)
			base := runtime.NumGoroutine()
			u, _ := url.Parse(srv.URL + "/api/")
			hc := srv.Client()
			c, err := New(Config{BaseURL: u, HTTPClient: hc, AttemptTimeout: 150 * time.Millisecond,
				Retry: RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var ok, fail atomic.Int64
			for g := range 80 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 3 {
						ctx := context.Background()
						var cancel context.CancelFunc = func() {}
						if (g+i)%5 == 0 {
							ctx, cancel = context.WithCancel(ctx)
							time.AfterFunc(time.Duration(rand.IntN(300))*time.Millisecond, cancel)
						}
						var out map[string]any
						_, err := c.Do(ctx, &Request{Method: "GET", Path: "rand"}, &out, nil)
						cancel()
						if err != nil {
							fail.Add(1)
							if (g+i)%5 != 0 && errors.Is(err, context.Canceled) {
								t.Errorf("a call whose context was never cancelled failed with %v", err)
							}
						} else {
							ok.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			t.Logf("ok %d fail %d", ok.Load(), fail.Load())
			hc.Transport.(*http.Transport).CloseIdleConnections()
			srv.Close()
			hc.Transport.(*http.Transport).CloseIdleConnections()
			waitGoroutines(t, base-3)
		})
	}
}

// TestReviewProbeAttemptConcurrentEnds: attempts end by timer, parent and finish
// at the same moment, from many goroutines; every fresh attempt on a reused
// state starts clean.
func TestReviewProbeAttemptConcurrentEnds(t *testing.T) {
	cause := &AttemptTimeoutError{After: time.Hour}
	var wg sync.WaitGroup
	var bad atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3000 {
				parent, cancelParent := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, i))
				timeout := time.Hour
				if i%4 == 1 {
					timeout = time.Duration(rand.IntN(20)) * time.Microsecond
				}
				a := newAttempt(parent, timeout, cause)
				if timeout == time.Hour && (isClosed(a.Done()) || a.Err() != nil || a.timedOut() || context.Cause(a) != nil) {
					bad.Add(1)
					t.Errorf("g%d attempt %d starts done: %v", g, i, a.Err())
				}
				if a.Value(ctxKey{}) != i {
					bad.Add(1)
					t.Errorf("value")
				}
				child, cancelChild := context.WithCancel(a)
				stop := context.AfterFunc(a, func() {})
				var w2 sync.WaitGroup
				if i%4 == 2 {
					w2.Add(1)
					go func() { defer w2.Done(); cancelParent() }()
				}
				if i%2 == 0 {
					cancelChild()
					stop()
				}
				a.finish()
				w2.Wait()
				cancelChild()
				stop()
				_ = child
				if !isClosed(a.Done()) || a.Err() == nil {
					bad.Add(1)
					t.Errorf("finished attempt not done")
				}
				cancelParent()
			}
		}()
	}
	wg.Wait()
}
