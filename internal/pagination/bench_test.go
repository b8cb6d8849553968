package pagination_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// benchItem is a small list item, so that the memory benchmark measures the
// engine rather than the items.
type benchItem struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// newBenchList starts a loopback server that renders envelopes of total items
// on the fly (it holds none), in either style, after waiting latency.
func newBenchList(b *testing.B, style pagination.Style, total int, latency time.Duration) *core.Client {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if latency > 0 {
			time.Sleep(latency)
		}
		q := r.URL.Query()
		var from, size int
		if style == pagination.PageNumber {
			size = atoiOr(q.Get("page_size"), 100)
			page := atoiOr(q.Get("page"), 1)
			from = (page - 1) * size
			q.Set("page", strconv.Itoa(page+1))
		} else {
			size = atoiOr(q.Get("limit"), 100)
			from = atoiOr(q.Get("offset"), 0)
			q.Set("offset", strconv.Itoa(from+size))
		}
		to := min(from+size, total)
		buf := make([]byte, 0, 64+40*size)
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
			buf = append(buf, `{"id":`...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, `,"name":"item `...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, `"}`...)
		}
		buf = append(buf, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(buf)
	}))
	b.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/api/")
	c, err := core.New(core.Config{BaseURL: u})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// walk iterates over the whole list and checks it came in order.
func walk(b *testing.B, c *core.Client, style pagination.Style, total int, opts []requestconfig.Option, each func(i int)) {
	walkSized(b, c, style, total, 100, opts, each)
}

// walkSized is walk with pages of size items, or All's default when 0.
func walkSized(b *testing.B, c *core.Client, style pagination.Style, total, size int, opts []requestconfig.Option, each func(i int)) {
	n := 0
	for it, err := range pagination.All[benchItem](context.Background(), pagination.Spec{Client: c, Path: "things", Size: &size, Style: style, Options: opts}) {
		if err != nil {
			b.Fatal(err)
		}
		if it.ID != n {
			b.Fatalf("item %d has id %d", n, it.ID)
		}
		n++
		if each != nil {
			each(n)
		}
	}
	if n != total {
		b.Fatalf("%d items, want %d", n, total)
	}
}

// BenchmarkAll lists pages of 100 items from a server that takes 20 ms per
// request, page after page (sequential: prefetch off) and with the default
// fetching ahead, for several list lengths in both styles. pages=100 is the
// 10,000-item case.
func BenchmarkAll(b *testing.B) {
	const latency = 20 * time.Millisecond
	modes := []struct {
		name string
		opts []requestconfig.Option
	}{
		{"sequential", []requestconfig.Option{func(c *requestconfig.Config) { c.Prefetch = -1 }}},
		{"ahead", nil},
	}
	for _, style := range styles {
		for _, pages := range []int{5, 10, 20, 50, 100} {
			for _, m := range modes {
				b.Run(fmt.Sprintf("%s/pages=%d/%s", styleName(style), pages, m.name), func(b *testing.B) {
					total := pages * 100
					c := newBenchList(b, style, total, latency)
					for b.Loop() {
						walk(b, c, style, total, m.opts, nil)
					}
				})
			}
		}
	}
}

// BenchmarkAllMemory iterates over 100,000 and 1,000,000 items (All's default
// pages of 1,000, fetched ahead, rendered on the fly by the server) and
// reports the peak heap
// seen while iterating: peak-heap-B samples the bytes of heap objects every
// 1,000 items, peak-live-B the live heap the garbage collector last marked.
// Constant memory means both stay level as the list grows tenfold.
func BenchmarkAllMemory(b *testing.B) {
	for _, total := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("items=%d", total), func(b *testing.B) {
			c := newBenchList(b, pagination.LimitOffset, total, 0)
			samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
			var peakHeap, peakLive uint64
			sample := func(i int) {
				if i%1000 != 0 {
					return
				}
				metrics.Read(samples)
				peakHeap = max(peakHeap, samples[0].Value.Uint64())
				peakLive = max(peakLive, samples[1].Value.Uint64())
			}
			runtime.GC()
			for b.Loop() {
				walkSized(b, c, pagination.LimitOffset, total, 0, nil, sample)
			}
			b.ReportMetric(float64(peakHeap), "peak-heap-B")
			b.ReportMetric(float64(peakLive), "peak-live-B")
		})
	}
}
