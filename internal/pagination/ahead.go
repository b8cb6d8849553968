package pagination

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// plan computes the pages of a list whose count is known, for fetching ahead.
type plan struct {
	style  Style
	query  url.Values // the first page's query; page k changes only its position
	before int        // items of the list before the first page
	start  int        // the first page's offset or page number
	size   int        // items per page, the first page's length
	count  int        // the list's count, as the first page stated it
}

// newPlan returns the plan the first page suggests, or nil when its next link
// does not lead to the computed second page or the list has no more items.
// start is the first page's offset, or page number.
func newPlan(style Style, q url.Values, start int, count *int, size int, next *url.URL) *plan {
	if count == nil || size <= 0 {
		return nil
	}
	pl := &plan{style: style, query: q, start: start, size: size, count: *count}
	switch style {
	case PageNumber:
		if start < 1 || start-1 > math.MaxInt/size {
			return nil
		}
		pl.before = (start - 1) * size
	default:
		if start < 0 {
			return nil
		}
		pl.before = start
	}
	if pl.before >= pl.count-size || !pl.linksTo(next, 1) { // no page after the first
		return nil
	}
	return pl
}

// pages is the number of pages from the first page to the end of the list.
func (pl *plan) pages() int { return (pl.count-pl.before-1)/pl.size + 1 }

// want is the number of items page k (0 for the first) must hold.
func (pl *plan) want(k int) int { return min(pl.size, pl.count-pl.before-k*pl.size) }

// position is the offset or page number of page k.
func (pl *plan) position(k int) int {
	if pl.style == PageNumber {
		return pl.start + k
	}
	return pl.start + k*pl.size
}

// linksTo reports whether a next link leads to page k of the plan.
func (pl *plan) linksTo(next *url.URL, k int) bool {
	key := "offset"
	if pl.style == PageNumber {
		key = "page"
	}
	n, err := strconv.Atoi(next.Query().Get(key))
	return err == nil && n == pl.position(k)
}

// request builds the request of page k.
func (pl *plan) request(path string, k int) *core.Request {
	q := cloneValues(pl.query)
	if pl.style == PageNumber {
		q.Set("page", strconv.Itoa(pl.position(k)))
	} else {
		q.Set("offset", strconv.Itoa(pl.position(k)))
		q.Set("limit", strconv.Itoa(pl.size))
	}
	return &core.Request{Method: "GET", Path: path, Query: q}
}

// fetched is the outcome of one page fetched ahead.
type fetched[T any] struct {
	page *decodedPage[T]
	res  core.Response
	err  error
}

// fetchAhead yields the pages of pl, the first one already fetched, while it
// fetches the following ones ahead. The window ramps up as the loop consumes
// pages: once the loop has consumed k pages, at most 2k+1 requests have been
// sent (2 while it reads the first page), never more than most in flight, nor
// more than maxItemsAhead items. A loop that breaks early has cost little. Every page
// fetched ahead must state the same count, hold the items that count implies
// for its position, and link onwards unless it is the last; otherwise the
// list changed while it was read and the walk ends with an error rather than
// guess.
//
// When the loop breaks, the requests in flight are given drainWait to finish,
// so their connections are reused; on an error or a cancelled context they
// are cancelled. Either way they are waited for: no goroutine outlives the
// loop.
func (w *walker[T]) fetchAhead(parent context.Context, yield func(*T, error) bool, pl *plan, first *decodedPage[T], most int) (err error) {
	ctx, cancel := context.WithCancel(parent)
	var wg sync.WaitGroup
	broke := false
	defer func() {
		if broke {
			drain(&wg, cancel)
		}
		cancel()
		wg.Wait()
	}()

	total := pl.pages()
	most = min(most, maxItemsAhead/pl.size)
	most = max(most, 1)
	ring := make([]chan fetched[T], most+1) // page k's outcome arrives on ring[k%len(ring)]
	// The caller's WithResponseInto is called from the loop's goroutine, as
	// each page is read, never from the fetches running ahead.
	opts := w.spec.Options
	onResponse := requestconfig.Apply(opts).OnResponse
	if onResponse != nil {
		opts = append(requestconfig.Clone(opts), requestconfig.NoResponse)
	}
	launched := 1 // the first page is page 0
	launch := func() {
		k := launched
		launched++
		ch := make(chan fetched[T], 1) // buffered: a cancelled fetch never blocks
		ring[k%len(ring)] = ch
		req := pl.request(w.spec.Path, k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &decodedPage[T]{itemsKey: w.spec.ItemsKey}
			res, err := w.spec.Client.Do(ctx, req, p, opts)
			ch <- fetched[T]{page: p, res: res, err: err}
		}()
	}

	for k := 0; k < total; k++ {
		// k pages consumed: at most 2k+1 requests sent (2 while the first
		// page is read), and at most most of them in flight, the page the
		// loop waits for or reads included (pages k to allowed-1).
		allowed := min(2*k+1, k+most)
		if k == 0 {
			allowed = min(2, most)
		}
		for launched < min(total, allowed) {
			launch()
		}
		p := first
		if k > 0 {
			f := <-ring[k%len(ring)]
			if err := parent.Err(); err != nil {
				return err
			}
			if f.err != nil {
				return f.err
			}
			if err := w.verify(pl, k, total, f.page); err != nil {
				return err
			}
			p = f.page
			if onResponse != nil {
				onResponse(f.res.StatusCode, f.res.Header)
			}
		}
		if !w.yieldPage(parent, p, yield) {
			broke = parent.Err() == nil
			return parent.Err()
		}
	}
	return nil
}

// verify checks page k (k >= 1) of a list fetched ahead against the plan.
func (w *walker[T]) verify(pl *plan, k, total int, p *decodedPage[T]) error {
	if p.Count == nil || *p.Count != pl.count {
		return fmt.Errorf("accounts: %s: the count changed from %d to %s while the list was read; items may have been skipped or repeated", w.spec.Path, pl.count, countText(p.Count))
	}
	if len(p.Results) != pl.want(k) {
		return fmt.Errorf("accounts: %s: the page at %d has %d items where the count of %d implies %d; the list changed while it was read", w.spec.Path, pl.position(k), len(p.Results), pl.count, pl.want(k))
	}
	if last := k == total-1; last != (p.Next == "") {
		if last {
			return fmt.Errorf("accounts: %s: the server links to another page after all %d items it counted", w.spec.Path, pl.count)
		}
		return fmt.Errorf("accounts: %s: the page at %d has no link to the next although the count of %d says there is more", w.spec.Path, pl.position(k), pl.count)
	}
	if p.Next != "" {
		if next, err := url.Parse(p.Next); err != nil || !pl.linksTo(next, k+1) {
			return fmt.Errorf("accounts: %s: the page at %d does not link to the page at %d: the server's links do not advance", w.spec.Path, pl.position(k), pl.position(k+1))
		}
	}
	if err := w.account(p); err != nil {
		return w.repeated()
	}
	return nil
}

// drain waits up to drainWait for the requests in flight, then cancels the
// ones still running.
func drain(wg *sync.WaitGroup, cancel context.CancelFunc) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	t := time.NewTimer(drainWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		cancel()
		<-done
	}
}
