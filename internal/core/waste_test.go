package core_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/internal/core"
)

// countedBody counts how often it is encoded.
type countedBody struct{ n *atomic.Int32 }

func (b countedBody) MarshalJSON() ([]byte, error) {
	b.n.Add(1)
	return []byte(`{"name":"x"}`), nil
}

func newTestCore(t *testing.T, srv *httptest.Server) *core.Client {
	t.Helper()
	u, _ := url.Parse(srv.URL + "/api/")
	c, err := core.New(core.Config{BaseURL: u, Retry: core.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func TestBodyEncodedOnceAcrossRetries(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		n := len(bodies)
		mu.Unlock()
		if n < 3 {
			w.WriteHeader(http.StatusTooManyRequests) // a POST is retried on 429
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	c := newTestCore(t, srv)
	var encoded atomic.Int32
	var out struct{ OK bool }
	if _, err := c.Do(context.Background(), &core.Request{Method: "POST", Path: "things/", Body: countedBody{&encoded}}, &out, nil); err != nil {
		t.Fatal(err)
	}
	if !out.OK {
		t.Error("answer not decoded")
	}
	if n := encoded.Load(); n != 1 {
		t.Errorf("body encoded %d times for 3 attempts, want once", n)
	}
	if len(bodies) != 3 || bodies[0] != `{"name":"x"}` || bodies[1] != bodies[0] || bodies[2] != bodies[0] {
		t.Errorf("bodies sent = %q", bodies)
	}
}

func TestConnectionReusedAcrossAnswers(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/missing":
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"detail":"Not found."}`)
		case "/api/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			_, _ = io.WriteString(w, `{"ok":true,"ignored":[1,2,3]}`)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newTestCore(t, srv)
	ctx := context.Background()
	for i := range 60 {
		var out struct{ OK bool }
		path := [...]string{"ok", "missing", "empty"}[i%3]
		var dst any = &out
		if path == "empty" {
			dst = nil // a call that expects no value, as a DELETE
		}
		_, err := c.Do(ctx, &core.Request{Method: "GET", Path: path}, dst, nil)
		if (path == "missing") != (err != nil) {
			t.Fatalf("%s: err = %v", path, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 60 sequential calls, want 1", n)
	}
}
