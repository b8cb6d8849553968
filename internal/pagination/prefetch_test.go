package pagination_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// liveList is a loopback server answering envelopes of total items, in either
// style, with absolute next links. hook, when set, may answer a page itself
// (index is the page's position from the start of the list, 0 first).
type liveList struct {
	t     *testing.T
	srv   *httptest.Server
	style pagination.Style
	total int
	size  int // page size when the request names none
	hook  func(w http.ResponseWriter, r *http.Request, index int) bool

	mu       sync.Mutex
	requests map[int]int // page index → requests seen
}

func newLiveList(t *testing.T, style pagination.Style, total int) *liveList {
	t.Helper()
	l := &liveList{t: t, style: style, total: total, size: 10, requests: map[int]int{}}
	l.srv = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.srv.Close)
	return l
}

func (l *liveList) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var from, size int
	if l.style == pagination.PageNumber {
		size = atoiOr(q.Get("page_size"), l.size)
		page := atoiOr(q.Get("page"), 1)
		from = (page - 1) * size
		q.Set("page", strconv.Itoa(page+1))
	} else {
		size = atoiOr(q.Get("limit"), l.size)
		from = atoiOr(q.Get("offset"), 0)
		q.Set("offset", strconv.Itoa(from+size))
		q.Set("limit", strconv.Itoa(size))
	}
	index := from / size
	l.mu.Lock()
	l.requests[index]++
	l.mu.Unlock()
	if l.hook != nil && l.hook(w, r, index) {
		return
	}
	to := min(from+size, l.total)
	next := "null"
	if to < l.total {
		next = strconv.Quote("http://" + r.Host + r.URL.Path + "?" + q.Encode())
	}
	fmt.Fprintf(w, `{"count":%d,"next":%s,"previous":null,"results":%s}`, l.total, next, items(min(from, l.total), to))
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// requestsPerPage returns how often each page was asked for.
func (l *liveList) requestsPerPage() map[int]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(map[int]int, len(l.requests))
	for k, v := range l.requests {
		c[k] = v
	}
	return c
}

// flightCounter counts the client's round trips in progress and the most seen
// at once.
type flightCounter struct {
	next          *http.Transport
	now, most, in atomic.Int64
}

func (f *flightCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	n := f.now.Add(1)
	f.in.Add(1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			break
		}
	}
	defer f.now.Add(-1)
	return f.next.RoundTrip(req)
}

// client returns a core client for the server whose round trips fc counts.
func (l *liveList) client() (*core.Client, *flightCounter) {
	l.t.Helper()
	tr := l.srv.Client().Transport.(*http.Transport).Clone()
	l.t.Cleanup(tr.CloseIdleConnections)
	fc := &flightCounter{next: tr}
	u, _ := url.Parse(l.srv.URL + "/api/")
	c, err := core.New(core.Config{BaseURL: u, HTTPClient: &http.Client{Transport: fc}, Retry: core.RetryPolicy{MaxRetries: -1}})
	if err != nil {
		l.t.Fatal(err)
	}
	return c, fc
}

func (l *liveList) spec(c *core.Client, size *int, opts ...requestconfig.Option) pagination.Spec {
	return pagination.Spec{Client: c, Path: "things", Size: size, Style: l.style, Options: opts}
}

func sizeQuery(style pagination.Style, size int) url.Values {
	if style == pagination.PageNumber {
		return url.Values{"page_size": {strconv.Itoa(size)}}
	}
	return url.Values{"limit": {strconv.Itoa(size)}}
}

func prefetch(n int) requestconfig.Option {
	return func(c *requestconfig.Config) { c.Prefetch = n }
}

var styles = []pagination.Style{pagination.LimitOffset, pagination.PageNumber}

func styleName(s pagination.Style) string {
	if s == pagination.PageNumber {
		return "page"
	}
	return "limit-offset"
}

func TestAheadYieldsEveryItemOnceInOrder(t *testing.T) {
	for _, style := range styles {
		for _, tc := range []struct {
			total, size, prefetch int
		}{
			{995, 10, 0}, {1000, 10, 0}, {1000, 10, 1}, {1000, 10, 3}, {1000, 10, -1}, {21, 10, 0}, {30, 10, 0}, {20, 10, 0}, {7, 10, 0},
		} {
			t.Run(fmt.Sprintf("%s/%d-by-%d/prefetch-%d", styleName(style), tc.total, tc.size, tc.prefetch), func(t *testing.T) {
				l := newLiveList(t, style, tc.total)
				l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
					// Answer in a shuffled order, so that pages fetched ahead
					// arrive out of order.
					time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
					return false
				}
				c, fc := l.client()
				ids, err := collect(t, pagination.All[item](context.Background(), l.spec(c, ptr(tc.size), prefetch(tc.prefetch))))
				if err != nil {
					t.Fatal(err)
				}
				checkIDs(t, ids, tc.total)
				pages := (tc.total + tc.size - 1) / tc.size
				got := l.requestsPerPage()
				if len(got) != pages {
					t.Errorf("%d pages requested, want %d", len(got), pages)
				}
				for k, n := range got {
					if n != 1 {
						t.Errorf("page %d requested %d times", k, n)
					}
				}
				limit := int64(tc.prefetch)
				switch {
				case tc.prefetch == 0:
					limit = pagination.DefaultPrefetch
				case tc.prefetch < 0:
					limit = 1
				}
				if m := fc.most.Load(); m > limit {
					t.Errorf("%d requests at once, want at most %d", m, limit)
				}
				if n := fc.now.Load(); n != 0 {
					t.Errorf("%d requests still in flight", n)
				}
			})
		}
	}
}

func TestAheadStartsFromCallersPosition(t *testing.T) {
	for _, style := range styles {
		t.Run(styleName(style), func(t *testing.T) {
			l := newLiveList(t, style, 500)
			c, _ := l.client()
			spec := l.spec(c, ptr(10))
			spec.Position = ptr(30)
			if style == pagination.PageNumber {
				spec.Position = ptr(4)
			}
			ids, err := collect(t, pagination.All[item](context.Background(), spec))
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 470 || ids[0] != 30 || ids[469] != 499 {
				t.Fatalf("got %d items", len(ids))
			}
			for i, id := range ids {
				if id != 30+i {
					t.Fatalf("item %d has id %d", i, id)
				}
			}
		})
	}
}

// TestAheadFetchesConcurrently holds the third page until the fourth is asked
// for, which only happens when pages are fetched ahead.
func TestAheadFetchesConcurrently(t *testing.T) {
	for _, style := range styles {
		t.Run(styleName(style), func(t *testing.T) {
			l := newLiveList(t, style, 100)
			fourth := make(chan struct{})
			var once sync.Once
			l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
				switch index {
				case 3:
					once.Do(func() { close(fourth) })
				case 2:
					select {
					case <-fourth:
					case <-r.Context().Done():
					case <-time.After(10 * time.Second):
						t.Error("the fourth page was not asked for while the third was in flight")
					}
				}
				return false
			}
			c, fc := l.client()
			ids, err := collect(t, pagination.All[item](context.Background(), l.spec(c, ptr(10), prefetch(2))))
			if err != nil {
				t.Fatal(err)
			}
			checkIDs(t, ids, 100)
			if m := fc.most.Load(); m < 2 || m > 2 {
				t.Errorf("%d requests at once, want 2", m)
			}
		})
	}
}

// blockFrom makes pages from index on wait for their request to be cancelled.
func blockFrom(index int, started chan<- int) func(http.ResponseWriter, *http.Request, int) bool {
	return func(w http.ResponseWriter, r *http.Request, i int) bool {
		if i < index {
			return false
		}
		if started != nil {
			started <- i
		}
		<-r.Context().Done()
		return true
	}
}

func TestAheadBreakCancelsRequestsInFlight(t *testing.T) {
	for _, style := range styles {
		t.Run(styleName(style), func(t *testing.T) {
			l := newLiveList(t, style, 1000)
			started := make(chan int, 100)
			l.hook = blockFrom(4, started)
			c, fc := l.client()
			before := runtime.NumGoroutine()
			got := 0
			for _, err := range pagination.All[item](context.Background(), l.spec(c, ptr(10), prefetch(4))) {
				if err != nil {
					t.Fatal(err)
				}
				if got++; got == 35 { // in the fourth page; the fifth and later hang
					<-started // at least one page is waiting on the server
					break
				}
			}
			if n := fc.now.Load(); n != 0 {
				t.Errorf("%d requests still in flight after the loop", n)
			}
			if n := fc.in.Load(); n > 4+4 {
				t.Errorf("%d requests sent, want at most 8 (4 read, 4 ahead)", n)
			}
			fc.next.CloseIdleConnections()
			waitGoroutines(t, before)
		})
	}
}

// waitGoroutines waits until no more goroutines run than before (the
// transport's connection goroutines end with their connections), failing
// after a generous bound.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAheadContextCancelEndsWithItsError(t *testing.T) {
	for _, style := range styles {
		t.Run(styleName(style), func(t *testing.T) {
			l := newLiveList(t, style, 1000)
			started := make(chan int, 100)
			l.hook = blockFrom(5, started)
			c, fc := l.client()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var got, errs int
			var last error
			for _, err := range pagination.All[item](ctx, l.spec(c, ptr(10))) {
				if err != nil {
					errs++
					last = err
					continue
				}
				if got++; got == 45 {
					<-started
					cancel()
				}
			}
			if errs != 1 || !errors.Is(last, context.Canceled) {
				t.Errorf("%d errors, last %v; want one context.Canceled", errs, last)
			}
			if got != 45 {
				t.Errorf("%d items, want 45: nothing more is yielded once the context ends, not even the rest of the page", got)
			}
			if n := fc.now.Load(); n != 0 {
				t.Errorf("%d requests still in flight after the loop", n)
			}
		})
	}
}

func TestAheadErrorInMiddlePageYieldedOnce(t *testing.T) {
	for _, style := range styles {
		t.Run(styleName(style), func(t *testing.T) {
			l := newLiveList(t, style, 1000)
			l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
				if index == 6 {
					w.WriteHeader(http.StatusInternalServerError)
					fmt.Fprint(w, `{"detail":"boom"}`)
					return true
				}
				return false
			}
			c, fc := l.client()
			var ids []int
			var errs []error
			for it, err := range pagination.All[item](context.Background(), l.spec(c, ptr(10))) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				ids = append(ids, it.ID)
			}
			checkIDs(t, ids, 60)
			var apiErr *apierror.Error
			if len(errs) != 1 || !errors.As(errs[0], &apiErr) || apiErr.StatusCode != 500 {
				t.Fatalf("errors = %v, want one 500", errs)
			}
			if n := fc.now.Load(); n != 0 {
				t.Errorf("%d requests still in flight after the loop", n)
			}
		})
	}
}

func TestAheadRefusesAListThatChanges(t *testing.T) {
	cases := map[string]struct {
		answer  string
		wantErr string
	}{
		"count grows":  {`{"count":1001,"next":null,"previous":null,"results":` + items(40, 50) + `}`, "count changed from 1000 to 1001"},
		"count gone":   {`{"next":null,"previous":null,"results":` + items(40, 50) + `}`, "count changed from 1000 to none"},
		"short page":   {`{"count":1000,"next":null,"previous":null,"results":` + items(40, 45) + `}`, "has 5 items where the count of 1000 implies 10"},
		"long page":    {`{"count":1000,"next":null,"previous":null,"results":` + items(40, 55) + `}`, "has 15 items"},
		"bare array":   {items(40, 50), "count changed"},
		"not the list": {`"x"`, "must be a JSON array or object"},
	}
	for name, tc := range cases {
		for _, style := range styles {
			t.Run(name+"/"+styleName(style), func(t *testing.T) {
				l := newLiveList(t, style, 1000)
				l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
					if index == 4 {
						fmt.Fprint(w, tc.answer)
						return true
					}
					return false
				}
				c, _ := l.client()
				var got, errs int
				var last error
				for _, err := range pagination.All[item](context.Background(), l.spec(c, ptr(10))) {
					if err != nil {
						errs++
						last = err
						continue
					}
					got++
				}
				if errs != 1 || !strings.Contains(last.Error(), tc.wantErr) {
					t.Fatalf("%d errors, last %v; want %q", errs, last, tc.wantErr)
				}
				if got != 40 {
					t.Errorf("%d items before the error, want 40", got)
				}
			})
		}
	}
}

// TestAheadFallsBackToLinks checks that lists whose first pages do not
// confirm the computed positions are read one page at a time, by their links.
func TestAheadFallsBackToLinks(t *testing.T) {
	t.Run("next link with another position", func(t *testing.T) {
		// The server's next link carries the position under a key the
		// engine does not compute (a cursor), so it must follow links.
		l := newLiveList(t, pagination.LimitOffset, 95)
		l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
			cur := atoiOr(r.URL.Query().Get("cursor"), 0)
			to := min(cur+10, 95)
			next := "null"
			if to < 95 {
				next = strconv.Quote("http://" + r.Host + r.URL.Path + "?cursor=" + strconv.Itoa(to))
			}
			fmt.Fprintf(w, `{"count":95,"next":%s,"previous":null,"results":%s}`, next, items(cur, to))
			return true
		}
		c, fc := l.client()
		ids, err := collect(t, pagination.All[item](context.Background(), l.spec(c, nil)))
		if err != nil {
			t.Fatal(err)
		}
		checkIDs(t, ids, 95)
		if m := fc.most.Load(); m != 1 {
			t.Errorf("%d requests at once, want 1", m)
		}
	})
	t.Run("a count that changes is an error", func(t *testing.T) {
		for _, style := range styles {
			l := newLiveList(t, style, 100)
			l.hook = func(w http.ResponseWriter, r *http.Request, index int) bool {
				if index == 0 {
					q := sizeQuery(style, 10)
					if style == pagination.PageNumber {
						q.Set("page", "2")
					} else {
						q.Set("offset", "10")
					}
					next := strconv.Quote("http://" + r.Host + r.URL.Path + "?" + q.Encode())
					fmt.Fprintf(w, `{"count":99,"next":%s,"previous":null,"results":%s}`, next, items(0, 10))
					return true
				}
				return false
			}
			c, _ := l.client()
			ids, err := collect(t, pagination.All[item](context.Background(), l.spec(c, ptr(10))))
			if err == nil || !strings.Contains(err.Error(), "count changed from 99 to 100") || len(ids) != 10 {
				t.Fatalf("%s: %d items, err = %v", styleName(style), len(ids), err)
			}
		}
	})
}

// TestAheadRampsUp checks that fetching ahead opens its window as the loop
// consumes pages: a loop that breaks on page j has caused at most 2j
// requests (2 on the first page, 2k+1 after k whole pages).
func TestAheadRampsUp(t *testing.T) {
	for _, style := range styles {
		for j := 1; j <= 6; j++ {
			l := newLiveList(t, style, 1000)
			c, fc := l.client()
			got := 0
			for _, err := range pagination.All[item](context.Background(), l.spec(c, ptr(10))) {
				if err != nil {
					t.Fatal(err)
				}
				if got++; got == (j-1)*10+1 { // the first item of page j
					break
				}
			}
			if n := fc.in.Load(); n > int64(2*j) || (j > 1 && n < int64(j+1)) {
				t.Errorf("%s: breaking on page %d: %d requests, want at most %d", styleName(style), j, n, 2*j)
			}
		}
	}
}

// TestAheadWindowCountsThePageBeingRead: WithPrefetch(n) counts the page the
// loop is reading, from the first page on: with n of 1 no page is asked for
// before the loop wants it, and n of 2 asks for one page ahead.
func TestAheadWindowCountsThePageBeingRead(t *testing.T) {
	for _, style := range styles {
		for n, want := range map[int]int64{1: 1, 2: 2, 3: 2} {
			l := newLiveList(t, style, 100)
			c, fc := l.client()
			for _, err := range pagination.All[item](context.Background(), l.spec(c, ptr(10), prefetch(n))) {
				if err != nil {
					t.Fatal(err)
				}
				break // while the first page is read
			}
			if got := fc.in.Load(); got != want {
				t.Errorf("%s, prefetch %d: %d requests while the first page was read, want %d", styleName(style), n, got, want)
			}
			if n == 1 {
				ids, err := collect(t, pagination.All[item](context.Background(), l.spec(c, ptr(10), prefetch(1))))
				if err != nil {
					t.Fatal(err)
				}
				checkIDs(t, ids, 100)
				if m := fc.most.Load(); m != 1 {
					t.Errorf("%s, prefetch 1: %d requests at once, want 1", styleName(style), m)
				}
			}
		}
	}
}
