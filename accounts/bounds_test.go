package accounts_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
)

// jsonFiller writes a JSON array of n bytes or more, "[" then items, never
// closed when endless.
func jsonFiller(w io.Writer, n int64, endless bool) {
	item := []byte(`{"code":"NL","name":"Netherlands"},`)
	_, _ = w.Write([]byte("["))
	for written := int64(1); endless || written < n; written += int64(len(item)) {
		if _, err := w.Write(item); err != nil {
			return // the client hung up
		}
	}
}

// allocatedDuring reports the bytes allocated while f ran.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeSuccessAnswersEndAtTheBound: a 100 MB answer, a gzip answer that
// expands to 100 MB and an endless one each end with ErrResponseTooLarge,
// having allocated about the bound, not the answer.
func TestHugeSuccessAnswersEndAtTheBound(t *testing.T) {
	const answer = 100 << 20
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	jsonFiller(zw, answer, false)
	_ = zw.Close()

	cases := map[string]http.HandlerFunc{
		"100 MB": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			jsonFiller(w, answer, false)
		},
		"gzip expanding to 100 MB": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
		},
		"endless": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			jsonFiller(w, 0, true)
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			for _, bound := range []int64{1 << 20, accounts.DefaultMaxResponseBytes} {
				opts := []accounts.Option{accounts.WithBaseURL(srv.URL + "/api/")}
				if bound != accounts.DefaultMaxResponseBytes {
					opts = append(opts, accounts.WithMaxResponseBytes(bound))
				}
				c, err := accounts.NewClient(opts...)
				if err != nil {
					t.Fatal(err)
				}
				var callErr error
				alloc := allocatedDuring(func() { _, callErr = c.Countries.Get(context.Background(), "NL") })
				if !errors.Is(callErr, accounts.ErrResponseTooLarge) {
					t.Fatalf("bound %d: err = %v, want ErrResponseTooLarge", bound, callErr)
				}
				if !strings.Contains(callErr.Error(), "GET /api/accounts/countries/NL") {
					t.Errorf("the error does not name the call: %v", callErr)
				}
				// The decoder's buffer grows by doubling up to the bound.
				if limit := uint64(4*bound + 4<<20); alloc > limit {
					t.Errorf("bound %d: allocated %d bytes, want at most %d", bound, alloc, limit)
				}
				c.CloseIdleConnections()
			}
		})
	}
}

// TestAnAnswerAtTheBoundIsRead: the bound is inclusive.
func TestAnAnswerAtTheBoundIsRead(t *testing.T) {
	body := `{"name":"Netherlands"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	for bound, ok := range map[int64]bool{int64(len(body)): true, int64(len(body) - 1): false} {
		c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"), accounts.WithMaxResponseBytes(bound))
		if err != nil {
			t.Fatal(err)
		}
		nl, err := c.Countries.Get(context.Background(), "NL")
		if ok != (err == nil) || (ok && nl.Name != "Netherlands") {
			t.Errorf("bound %d: %+v, %v", bound, nl, err)
		}
	}
}

// hungServer accepts connections and never answers, or answers its headers
// and drips the body a byte at a time.
func hungServer(t *testing.T, drip bool) (*httptest.Server, func() int) {
	t.Helper()
	done := make(chan struct{})
	var requests = make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests <- struct{}{}
		if drip {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"code":"`)
			for {
				w.(http.Flusher).Flush()
				select {
				case <-done:
					return
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := io.WriteString(w, "N"); err != nil {
					return
				}
			}
		}
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv, func() int { return len(requests) }
}

// TestAHungServerEndsAtTheAttemptDeadline: with no deadline in the caller's
// context, a server that never answers, or drips its body, ends the call once
// each attempt's deadline has passed: retried for a GET, final for a POST.
func TestAHungServerEndsAtTheAttemptDeadline(t *testing.T) {
	for _, drip := range []bool{false, true} {
		name := map[bool]string{false: "no headers", true: "dripping body"}[drip]
		t.Run(name, func(t *testing.T) {
			srv, requests := hungServer(t, drip)
			c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"), accounts.WithAPIKey("k"),
				accounts.WithAttemptTimeout(150*time.Millisecond), accounts.WithRetryPolicy(fastRetries))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Countries.Get(context.Background(), "NL")
			if err == nil {
				t.Fatal("a hung server gave no error")
			}
			if n := requests(); n != 4 {
				t.Errorf("GET: %d attempts, want 4 (every attempt timed out and was retried)", n)
			}
			if !drip {
				var te *accounts.TransportError
				var ne net.Error
				if !errors.As(err, &te) || te.Attempts != 4 || !errors.As(err, &ne) || !ne.Timeout() {
					t.Errorf("err = %v, want a *TransportError of 4 attempts over a net.Error timeout", err)
				}
			}
			before := requests()
			_, err = c.Organizations.Increment(context.Background(), orgUUID, 1)
			var te *accounts.TransportError
			if drip {
				// The increment's answer drips too: cut short, and it is not repeated.
				if err == nil || !strings.Contains(err.Error(), "may have acted") {
					t.Errorf("POST: err = %v, want one saying the server may have acted", err)
				}
			} else if !errors.As(err, &te) || te.Attempts != 1 || !te.MayHaveActed {
				t.Errorf("POST: err = %v, want a *TransportError of one attempt that may have acted", err)
			}
			if n := requests() - before; n != 1 {
				t.Errorf("POST: %d attempts, want 1", n)
			}
		})
	}
}

// TestABodyCutByTheAttemptDeadlineIsRetriedOverTLS: over TLS, with HTTP/1.1
// and HTTP/2, an answer whose body stops halfway until the attempt's deadline
// cuts it is a failed attempt, never a complete (and so undecodable) answer:
// the GET is asked again with the default policy and succeeds. The body's
// length is declared, chunked, or (HTTP/1.1) delimited by closing the
// connection, where a cut passes for a clean end: there the server closing
// halfway is a cut too.
func TestABodyCutByTheAttemptDeadlineIsRetriedOverTLS(t *testing.T) {
	const body = `{"name":"Netherlands","alpha_2":"NL","alpha_3":"NLD","numeric":"528"}`
	for _, tc := range []struct {
		name         string
		h2           bool
		framing      string // "length", "chunked" or "close"
		serverCloses bool   // the server closes halfway instead of waiting for the deadline
	}{
		{"http1 length", false, "length", false},
		{"http1 chunked", false, "chunked", false},
		{"http1 close-delimited", false, "close", false},
		{"http1 close-delimited, the server closes", false, "close", true},
		{"http2 length", true, "length", false},
		{"http2 chunked", true, "chunked", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				first := requests.Add(1) == 1
				answer := body
				if first {
					answer = body[:len(body)/2]
				}
				if tc.framing == "close" {
					conn, buf, err := w.(http.Hijacker).Hijack()
					if err != nil {
						t.Error(err)
						return
					}
					defer conn.Close()
					_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + answer)
					_ = buf.Flush()
					if first && !tc.serverCloses {
						_, _ = io.Copy(io.Discard, conn) // until the client hangs up
					}
					return
				}
				w.Header().Set("Content-Type", "application/json")
				if tc.framing == "length" {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				_, _ = io.WriteString(w, answer)
				if first {
					w.(http.Flusher).Flush()
					<-r.Context().Done() // until the client gives up on the attempt
				}
			}))
			srv.EnableHTTP2 = tc.h2
			srv.StartTLS()
			t.Cleanup(srv.Close)
			c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"), accounts.WithAPIKey("k"),
				accounts.WithHTTPClient(srv.Client()), accounts.WithAttemptTimeout(200*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Countries.Get(context.Background(), "NL")
			if err != nil || got.Alpha2 != "NL" {
				t.Fatalf("got %+v, err = %v; want the country from the second attempt", got, err)
			}
			if n := requests.Load(); n != 2 {
				t.Errorf("%d requests, want 2 (the cut one, then the whole one)", n)
			}
		})
	}
}

// TestTheDefaultAttemptDeadlineIsSet: without WithAttemptTimeout, each attempt
// is bounded by DefaultAttemptTimeout (a caller's shorter Timeout stays).
func TestTheDefaultAttemptDeadlineIsSet(t *testing.T) {
	if accounts.DefaultAttemptTimeout != 80*time.Second {
		t.Errorf("DefaultAttemptTimeout = %v, the README says 80s", accounts.DefaultAttemptTimeout)
	}
	srv, _ := hungServer(t, false)
	// A caller's client with a short Timeout is kept; one with none gets the
	// default, which a context deadline shorter than it overrides: a call
	// without either would wait the whole 80 s, which this test does not.
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL+"/api/"),
		accounts.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}), accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(0)}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Countries.Get(context.Background(), "NL")
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() {
		t.Errorf("err = %v, want the caller's client's timeout", err)
	}
}
