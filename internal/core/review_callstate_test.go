package core

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
)

func TestReviewProbeCallStateDoesNotLeak(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/flaky":
			if n.Add(1)%2 == 1 {
				w.WriteHeader(502)
				return
			}
			w.WriteHeader(404)
		case "/api/gone":
			w.WriteHeader(404)
		case "/api/wait":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL + "/api/")
	c, _ := New(Config{BaseURL: u, Retry: RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxRetryAfter: time.Second}})
	defer c.CloseIdleConnections()
	for range 20 {
		if _, err := c.Do(context.Background(), &Request{Method: "DELETE", Path: "flaky"}, nil, nil); err != nil {
			t.Fatalf("flaky delete: %v", err)
		}
		if _, err := c.Do(context.Background(), &Request{Method: "DELETE", Path: "gone"}, nil, nil); err == nil {
			t.Fatal("a plain 404 DELETE succeeded: k.ambiguous leaked from the previous call")
		}
		_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "wait"}, nil, nil)
		var ae *apierror.Error
		if !errors.As(err, &ae) || ae.RetryAfter != 120*time.Second {
			t.Fatalf("wait: %v", err)
		}
		_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "gone"}, nil, nil)
		if !errors.As(err, &ae) || ae.RetryAfter != 0 || ae.MayHaveActed {
			t.Fatalf("refusedWait leaked: %+v", ae)
		}
	}
}
