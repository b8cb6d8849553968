package accounts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/workspaces"
)

// costModel is what one request costs a server like the real one: a fixed
// cost (authentication, the COUNT(*), the framework) plus a cost per item
// rendered, after the network's latency. Requests are served concurrently,
// as a deployment with several workers serves them.
type costModel struct {
	latency, fixed, perItem time.Duration
	// defaultSize is the page size served when none is asked; maxSize caps
	// the size asked, silently, as Django REST framework's max_limit does.
	defaultSize, maxSize int
}

// realCost is the model the listing benchmarks use, fitted to a Django REST
// framework deployment of this API measured with 20 ms of added latency
// (2,500 workspaces: 1,909 ms in pages of 100, 212 ms in pages of 1,000, page
// after page): 20 ms of latency, 50 ms per request and 2 µs per item, pages
// of 100 by default, at most 1,000.
var realCost = costModel{latency: 20 * time.Millisecond, fixed: 50 * time.Millisecond, perItem: 2 * time.Microsecond, defaultSize: 100, maxSize: 1000}

// costServer serves a workspace list (limit/offset) and an organization list
// (page/page_size) of total items each, as envelopes with absolute next
// links, at the model's cost. It counts requests and new connections.
type costServer struct {
	*httptest.Server
	requests, conns atomic.Int64
}

func newCostServer(b *testing.B, total int, m costModel) *costServer {
	b.Helper()
	s := &costServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		q := r.URL.Query()
		pageStyle := r.URL.Path == "/api/accounts/organizations/"
		sizeKey := map[bool]string{false: "limit", true: "page_size"}[pageStyle]
		size := m.defaultSize
		if v, err := strconv.Atoi(q.Get(sizeKey)); err == nil && v > 0 {
			size = min(v, m.maxSize)
		}
		var from int
		if pageStyle {
			page, _ := strconv.Atoi(q.Get("page"))
			page = max(page, 1)
			from = (page - 1) * size
			q.Set("page", strconv.Itoa(page+1))
		} else {
			from, _ = strconv.Atoi(q.Get("offset"))
			q.Set("offset", strconv.Itoa(from+size))
			q.Set("limit", strconv.Itoa(size))
		}
		from = min(max(from, 0), total)
		to := min(from+size, total)
		time.Sleep(m.latency + m.fixed + time.Duration(to-from)*m.perItem)

		buf := make([]byte, 0, 128+260*(to-from))
		buf = append(buf, `{"count":`...)
		buf = strconv.AppendInt(buf, int64(total), 10)
		buf = append(buf, `,"next":`...)
		if to < total {
			buf = strconv.AppendQuote(buf, "http://"+r.Host+r.URL.Path+"?"+q.Encode())
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"previous":null,"results":[`...)
		for i := from; i < to; i++ {
			if i > from {
				buf = append(buf, ',')
			}
			if pageStyle {
				buf = fmt.Appendf(buf, `{"uuid":"00000000-0000-4000-8000-%012d","name":"Organization %d","slug":"org-%d","account_portal_url":"https://portal.example.com/org-%d"}`, i, i, i, i)
			} else {
				buf = fmt.Appendf(buf, `{"workspace_id":%d,"workspace_name":"Workspace %d","id":%d,"name":"Workspace %d","logo":null,"type":"active","country":"NL","member_count":%d,"is_mfa_enabled":true,"created_at":"2019-08-24T14:15:22Z","updated_at":"2024-03-05T10:11:12.123456Z"}`, i, i, i, i, i%40)
			}
		}
		buf = append(buf, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(buf)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	b.Cleanup(s.Close)
	return s
}

// handWalk is the best a hand-written net/http loop does: ask the first page
// (of size items, or the server's default when 0), then follow next, page
// after page, decoding each into the SDK's own item type.
func handWalk[T any](ctx context.Context, hc *http.Client, first string) (int, error) {
	n := 0
	for next := first; next != ""; {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
		if err != nil {
			return n, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer bench-key")
		resp, err := hc.Do(req)
		if err != nil {
			return n, err
		}
		var page struct {
			Next    *string `json:"next"`
			Results []T     `json:"results"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return n, err
		}
		n += len(page.Results)
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	return n, nil
}

// listing is one way to list everything, for one paging style.
type listing struct {
	name string
	// run lists every item and returns how many it saw.
	run func(ctx context.Context, c *accounts.Client, hc *http.Client, base string, pageStyle bool) (int, error)
}

func sdkAll(size int, opts ...accounts.RequestOption) func(context.Context, *accounts.Client, *http.Client, string, bool) (int, error) {
	return func(ctx context.Context, c *accounts.Client, _ *http.Client, _ string, pageStyle bool) (int, error) {
		var sz *int
		if size > 0 {
			sz = accounts.Ptr(size)
		}
		n := 0
		if pageStyle {
			for _, err := range c.Organizations.All(ctx, &organizations.ListOptions{PageNumber: accounts.PageNumber{PageSize: sz}}, opts...) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		}
		for _, err := range c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: sz}}, opts...) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
}

func hand(size int) func(context.Context, *accounts.Client, *http.Client, string, bool) (int, error) {
	return func(ctx context.Context, _ *accounts.Client, hc *http.Client, base string, pageStyle bool) (int, error) {
		if pageStyle {
			u := base + "accounts/organizations/"
			if size > 0 {
				u += "?page_size=" + strconv.Itoa(size)
			}
			return handWalk[organizations.Organization](ctx, hc, u)
		}
		u := base + "accounts/workspaces"
		if size > 0 {
			u += "?limit=" + strconv.Itoa(size)
		}
		return handWalk[workspaces.Workspace](ctx, hc, u)
	}
}

// listings are the ways BenchmarkListing compares: page after page at the
// server's default size (by hand, and the SDK without fetching ahead), the
// SDK's defaults, fetching ahead with small pages, large pages without
// fetching ahead, and the best hand-written loop (the largest page the server
// serves, following next).
var listings = []listing{
	{"hand-default-size", hand(0)},
	{"sdk-100-sequential", sdkAll(100, accounts.WithPrefetch(0))},
	{"sdk-100-ahead", sdkAll(100)},
	{"sdk-1000-sequential", sdkAll(0, accounts.WithPrefetch(0))},
	{"sdk-default", sdkAll(0)},
	{"hand-1000", hand(1000)},
}

// BenchmarkListing lists every item of a list of 2,500 or 10,000 (and, for the
// plot, 1,000 and 5,000) from a server that costs what a real one costs (see
// realCost), in both paging styles, each way of listings. It reports
// requests/op beside the time.
func BenchmarkListing(b *testing.B) {
	for _, style := range []string{"limit-offset", "page"} {
		for _, total := range []int{1000, 2500, 5000, 10000} {
			for _, l := range listings {
				b.Run(fmt.Sprintf("%s/items=%d/%s", style, total, l.name), func(b *testing.B) {
					s := newCostServer(b, total, realCost)
					c, err := accounts.NewClient(accounts.WithBaseURL(s.URL+"/api/"), accounts.WithAPIKey("bench-key"))
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(c.CloseIdleConnections)
					hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
					b.Cleanup(hc.CloseIdleConnections)
					ctx := context.Background()
					s.requests.Store(0)
					for b.Loop() {
						n, err := l.run(ctx, c, hc, s.URL+"/api/", style == "page")
						if err != nil || n != total {
							b.Fatalf("%d items, err %v", n, err)
						}
					}
					b.ReportMetric(float64(s.requests.Load())/float64(b.N), "requests/op")
				})
			}
		}
	}
}

// BenchmarkEarlyBreak breaks out of a walk of 2,500 workspaces (pages of 100)
// after its first page, or after three, with fetching ahead off and on, and
// reports the requests sent and the connections opened per loop. A loop that
// breaks lets the requests already sent finish, so the next loop reuses their
// connections: new-conns/op stays near zero once the pool is warm.
func BenchmarkEarlyBreak(b *testing.B) {
	for _, pages := range []int{1, 3} {
		for _, mode := range []struct {
			name string
			opts []accounts.RequestOption
		}{{"sequential", []accounts.RequestOption{accounts.WithPrefetch(0)}}, {"ahead", nil}} {
			b.Run(fmt.Sprintf("pages=%d/%s", pages, mode.name), func(b *testing.B) {
				s := newCostServer(b, 2500, realCost)
				c, err := accounts.NewClient(accounts.WithBaseURL(s.URL+"/api/"), accounts.WithAPIKey("bench-key"))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(c.CloseIdleConnections)
				ctx := context.Background()
				loop := func() {
					n := 0
					for _, err := range c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(100)}}, mode.opts...) {
						if err != nil {
							b.Fatal(err)
						}
						if n++; n == pages*100 {
							break
						}
					}
				}
				loop() // warm the pool
				s.requests.Store(0)
				s.conns.Store(0)
				for b.Loop() {
					loop()
				}
				b.ReportMetric(float64(s.requests.Load())/float64(b.N), "requests/op")
				b.ReportMetric(float64(s.conns.Load())/float64(b.N), "new-conns/op")
			})
		}
	}
}
