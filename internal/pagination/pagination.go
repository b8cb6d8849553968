// Package pagination is the SDK's one pagination engine. It reads every list
// answer the API gives (a {count, next, previous, results} envelope, a bare
// JSON array, or an object holding the items under another key) and walks any
// list, limit/offset or page/page_size, as a lazy iterator.
package pagination

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// Page is one page of a list.
type Page[T any] struct {
	// Results holds the page's items in the server's order.
	Results []T
	// Count is the total number of items across all pages, when the server
	// said (envelope answers); nil otherwise.
	Count *int
	// Next is the absolute URL of the next page, or "" on the last page or when
	// the server gives no links (bare arrays).
	Next string
	// Previous is the absolute URL of the previous page, or "".
	Previous string
}

// Style is how a list is paged.
type Style int

const (
	// LimitOffset lists take limit and offset parameters.
	LimitOffset Style = iota
	// PageNumber lists take page and page_size parameters.
	PageNumber
)

// DefaultLimit is the page size All asks for (limit, or page_size) when the
// caller set none. On a real server each request has a fixed cost
// (authentication, the count, the framework) that dwarfs the cost of an item,
// so large pages make a walk fastest; 1,000 is a common max_limit of Django
// REST framework deployments, and a server that caps lower serves its own
// size, which the walk adapts to. A bounded size also keeps a server without
// a cap from answering everything at once.
const DefaultLimit = 1000

// DefaultPrefetch is the most pages All keeps in flight ahead of the page
// being read when the caller did not choose (requestconfig.Config.Prefetch is
// 0). See All for when fetching ahead applies and how the window ramps up.
const DefaultPrefetch = 10

// maxItemsAhead bounds the items of the pages in flight ahead, so that large
// pages do not multiply the window's memory: at 1,000 items a page, five
// pages are fetched ahead at most.
const maxItemsAhead = 5000

// drainWait is how long a loop that breaks early waits for the pages already
// requested to arrive, so that their connections go back to the pool instead
// of being cut (a new connection costs the next call a handshake). Requests
// still running then are cancelled.
var drainWait = time.Second // a variable only so that tests can change it

// maxPagesWithoutCount bounds a walk whose length the server never stated.
var maxPagesWithoutCount = 1_000_000 // a variable only so that tests can lower it

// Spec describes one use of a list: what an Endpoint makes of the caller's
// options. Engine tests build it directly.
type Spec struct {
	// Client sends the requests.
	Client *core.Client
	// Path is the list's path, relative to the base URL.
	Path string
	// Query holds the caller's encoded options, the paging parameters they
	// set included; All copies it.
	Query url.Values
	// Style says which parameters page the list.
	Style Style
	// Size is the page size the caller set (limit, or page_size), nil when
	// none; All starts its walk from Size and Position, and sets them in the
	// query it sends.
	Size *int
	// Position is the offset, or page number, the caller set; nil when none.
	Position *int
	// ItemsKey names the member holding the items when the answer is an object
	// other than the standard envelope; "" means "results".
	ItemsKey string
	// ServerSized is set for a list that takes no page-size parameter: All
	// then asks for none, and the server's pages decide.
	ServerSized bool
	// Options are the caller's per-request options.
	Options []requestconfig.Option
	// Err, when set, is returned by List and yielded by All without sending
	// anything: the caller's options were refused.
	Err error
}

// List fetches one page.
func List[T any](ctx context.Context, s Spec) (*Page[T], error) {
	if s.Err != nil {
		return nil, s.Err
	}
	p := &decodedPage[T]{itemsKey: s.ItemsKey}
	if _, err := s.Client.Do(ctx, &core.Request{Method: "GET", Path: s.Path, Query: s.Query}, p, s.Options); err != nil {
		return nil, err
	}
	return &p.Page, nil
}

// All returns an iterator over every item of the list, in the server's order,
// each exactly once. It sends nothing until the loop starts, and stops
// fetching when the loop breaks. A failure is yielded once, with the zero
// item, and ends the iteration.
//
// Fetching ahead: when the list answers envelopes that state the count, All
// reads the first page and, if its next link leads where the following page
// is computed to be (offset by the first page's length for limit/offset
// lists, page number by one for page/page_size lists), computes the
// remaining pages itself and keeps up to n of them in flight
// ahead of the page being read, n being requestconfig.Config.Prefetch
// (DefaultPrefetch when 0; a negative value turns fetching ahead off). A
// fetched-ahead page must state the same count and hold exactly the items
// that count implies for its position; otherwise the list changed while it
// was read (items could be skipped or repeated) and All yields an error rather
// than guess. Anything else (a bare array, an object without a count, links
// that do not advance as computed) is walked one page at a time. When the loop
// breaks, the context ends or a page fails, the requests in flight are
// cancelled and waited for: no goroutine outlives the loop.
//
// Items are yielded as pointers into the page just decoded; each page has its
// own storage, so a pointer stays valid after the loop moves on.
func All[T any](ctx context.Context, s Spec) iter.Seq2[*T, error] {
	if s.Err != nil {
		return Fail[*T](s.Err)
	}
	s.Query = cloneValues(s.Query)
	s.Size, s.Position = clonePtr(s.Size), clonePtr(s.Position)
	s.Options = requestconfig.Clone(s.Options)
	return func(yield func(*T, error) bool) {
		if ctx == nil {
			yield(nil, errors.New("accounts: nil context"))
			return
		}
		w := walker[T]{spec: s, seen: map[string]bool{}}
		if err := w.run(ctx, yield); err != nil {
			yield(nil, err)
		}
	}
}

// Fail returns an iterator that yields err once; list methods return it when
// their options are refused, so the error reaches the loop.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// walker holds the state of one walk through a list.
type walker[T any] struct {
	spec    Spec
	seen    map[string]bool // next links already followed
	fetched int             // items received so far
	pages   int
	// firsts holds the first item of the last few pages: a page that starts
	// with the same item as one of them repeats it (a server that ignores
	// the position, or links that do not advance).
	firsts [repeatWindow]*T
}

// repeatWindow is how many earlier pages a page is compared with.
const repeatWindow = 4

// errRepeat is account's report of a page that repeats an earlier one.
var errRepeat = errors.New("repeats an earlier page")

// account counts a page received and refuses one that repeats an earlier
// page.
func (w *walker[T]) account(p *decodedPage[T]) error {
	if len(p.Results) > 0 {
		first := &p.Results[0]
		for _, f := range w.firsts {
			if f != nil && reflect.DeepEqual(f, first) {
				return errRepeat
			}
		}
		kept := *first // a copy: the page itself can be collected
		w.firsts[w.pages%repeatWindow] = &kept
	}
	w.pages++
	w.fetched += len(p.Results)
	return nil
}

// nextOf checks the next link of an envelope page that has one, and returns
// it parsed.
func (w *walker[T]) nextOf(p *decodedPage[T]) (*url.URL, error) {
	if p.Count == nil && w.pages >= maxPagesWithoutCount {
		return nil, fmt.Errorf("accounts: %s: stopped after %d pages", w.spec.Path, w.pages)
	}
	if p.Count != nil && w.fetched >= *p.Count {
		return nil, fmt.Errorf("accounts: %s: the server links to another page after all %d items it counted", w.spec.Path, *p.Count)
	}
	next, err := w.checkNext(p.Next)
	if err != nil {
		return nil, err
	}
	if len(p.Results) == 0 {
		return nil, fmt.Errorf("accounts: %s: the server sent an empty page with a link to another", w.spec.Path)
	}
	return next, nil
}

// yieldPage yields the items of p; it reports false when the loop broke or
// the context ended (then ctx.Err() tells which).
func (w *walker[T]) yieldPage(ctx context.Context, p *decodedPage[T], yield func(*T, error) bool) bool {
	for i := range p.Results {
		if ctx.Err() != nil || !yield(&p.Results[i], nil) {
			return false
		}
	}
	return true
}

// repeated is the error of a walk whose server sent a page again.
func (w *walker[T]) repeated() error {
	return fmt.Errorf("accounts: %s: page %d starts with the same item as an earlier page: the server repeats pages; stopped to avoid a loop", w.spec.Path, w.pages+1)
}

// run fetches pages and yields their items until the list ends, the loop
// breaks (nil error) or something fails.
func (w *walker[T]) run(ctx context.Context, yield func(*T, error) bool) error {
	q := cloneValues(w.spec.Query)
	if q == nil {
		q = url.Values{}
	}
	var served int // the longest page the server served so far (bare arrays)
	var firstLen int
	sizeKey, posKey := "limit", "offset"
	pos := 0 // the offset, or the page number, of the page asked
	if w.spec.Style == PageNumber {
		sizeKey, posKey = "page_size", "page"
		pos = 1
	}
	if w.spec.Position != nil {
		pos = *w.spec.Position
		q.Set(posKey, strconv.Itoa(pos))
	}
	if size := w.spec.Size; size != nil && *size > 0 {
		q.Set(sizeKey, strconv.Itoa(*size))
	} else if !w.spec.ServerSized {
		// Large pages, the fewest round trips; the server may serve fewer
		// (see DefaultLimit), which the walk learns from the pages.
		q.Set(sizeKey, strconv.Itoa(DefaultLimit))
	}

	ahead := requestconfig.Apply(w.spec.Options).Prefetch
	if ahead == 0 {
		ahead = DefaultPrefetch
	}
	req := &core.Request{Method: "GET", Path: w.spec.Path, Query: q}
	if first, err := w.spec.Client.URL(req); err == nil {
		w.seen[linkKey(first)] = true // a next link back to the first page is a loop
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := &decodedPage[T]{itemsKey: w.spec.ItemsKey}
		if _, err := w.spec.Client.Do(ctx, req, p, w.spec.Options); err != nil {
			return err
		}
		if err := w.account(p); err != nil {
			if !p.envelope && w.pages == 1 && len(p.Results) == firstLen {
				// The request confirming a short first page answered the
				// first page again: the server ignores the position (a list
				// without pagination), so the first page was the whole list.
				return nil
			}
			return w.repeated()
		}
		if w.pages == 1 {
			firstLen = len(p.Results)
		}
		if p.Count != nil && w.fetched > *p.Count {
			return fmt.Errorf("accounts: %s: the server sent %d items, more than the count of %d it gave", w.spec.Path, w.fetched, *p.Count)
		}
		var next *url.URL
		var nextErr error
		if p.envelope && p.Next != "" {
			next, nextErr = w.nextOf(p)
			if nextErr == nil && ahead > 0 && w.pages == 1 {
				if pl := newPlan(w.spec.Style, q, pos, p.Count, len(p.Results), next); pl != nil {
					return w.fetchAhead(ctx, yield, pl, p, ahead)
				}
			}
		}
		if !w.yieldPage(ctx, p, yield) {
			return ctx.Err()
		}
		if p.envelope {
			if nextErr != nil || next == nil {
				return nextErr
			}
			req = &core.Request{Method: "GET", URL: next}
			continue
		}

		// A bare array (or an object without links): only the pages' lengths
		// tell where the list ends. The server decides the page size (Django
		// REST framework caps limit and page_size at its maximum without a
		// word), so a page shorter than asked ends the walk only when an
		// earlier page was longer; the first short page is confirmed by one
		// more request, which answers an empty page at the end.
		n := len(p.Results)
		if n == 0 || n < served {
			return nil
		}
		served = n
		if w.pages >= maxPagesWithoutCount {
			return fmt.Errorf("accounts: %s: stopped after %d pages", w.spec.Path, w.pages)
		}
		if w.spec.Style == PageNumber {
			if pos == math.MaxInt {
				return fmt.Errorf("accounts: %s: the next page number would overflow", w.spec.Path)
			}
			pos++
		} else {
			if pos > math.MaxInt-n {
				return fmt.Errorf("accounts: %s: the next offset would overflow", w.spec.Path)
			}
			pos += n
		}
		q = cloneValues(q)
		q.Set(posKey, strconv.Itoa(pos))
		req = &core.Request{Method: "GET", Path: w.spec.Path, Query: q}
	}
}

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
	launched := 1                           // the first page is page 0
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
			_, err := w.spec.Client.Do(ctx, req, p, w.spec.Options)
			ch <- fetched[T]{page: p, err: err}
		}()
	}

	for k := 0; k < total; k++ {
		// k pages consumed: at most 2k+1 requests sent (2 while the first
		// page is read), and at most most of them in flight.
		allowed := min(2*k+1, k+most)
		if k == 0 {
			allowed = min(2, 1+most)
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

func countText(c *int) string {
	if c == nil {
		return "none"
	}
	return strconv.Itoa(*c)
}

// checkNext parses a next link and refuses one that leaves the client's base
// URL (the token would go with it) or that was already followed (a loop).
func (w *walker[T]) checkNext(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL is the link itself, query string and all
		}
		return nil, fmt.Errorf("accounts: %s: unreadable next link: %w", w.spec.Path, err)
	}
	if !w.spec.Client.SameBase(u) {
		return nil, fmt.Errorf("accounts: %s: %w", w.spec.Path, &core.RedirectError{Location: redactLink(u), Reason: core.ReasonForeign, NextLink: true})
	}
	key := linkKey(u)
	if w.seen[key] {
		return nil, fmt.Errorf("accounts: %s: the server sent the same next link twice; stopped to avoid a loop", w.spec.Path)
	}
	w.seen[key] = true
	return u, nil
}

// linkKey identifies the page a link asks for: its path and its parameters in
// a fixed order, so that a link repeating an earlier one with its parameters
// reordered is still seen as a repeat. The host is not part of it: only links
// on the client's base URL are followed.
func linkKey(u *url.URL) string {
	// Each pair unescaped where it can be (so "%40" and "@" agree) and kept
	// raw where it cannot: url.ParseQuery would drop such a pair, and two
	// different links could then look the same.
	pairs := strings.Split(u.RawQuery, "&")
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		pairs[i] = k + "\x01" + v
	}
	slices.Sort(pairs)
	return u.EscapedPath() + "?" + strings.Join(pairs, "\x00")
}

func redactLink(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment, c.RawFragment, c.User = "", "", "", nil
	return c.String()
}

func clonePtr(p *int) *int {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// decodedPage decodes any list answer straight from the body.
type decodedPage[T any] struct {
	Page[T]
	itemsKey string
	envelope bool // the answer carried pagination links (count/next/previous)
}

// DecodeBody implements core.BodyDecoder.
func (p *decodedPage[T]) DecodeBody(r io.Reader) error {
	// Start clean: the transport decodes again when it repeats a call whose
	// answer was cut short.
	p.Page, p.envelope = Page[T]{}, false
	first, r, err := core.FirstByte(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(r)
	switch first {
	case '[':
		if err := dec.Decode(&p.Results); err != nil {
			return err
		}
		return core.End(dec, r)
	case '{':
	default:
		return fmt.Errorf("a list answer must be a JSON array or object, got %q", first)
	}
	if p.itemsKey == "" || p.itemsKey == "results" {
		var env struct {
			Count    *int    `json:"count"`
			Next     *string `json:"next"`
			Previous *string `json:"previous"`
			Results  *[]T    `json:"results"`
		}
		env.Results = &p.Results
		if err := dec.Decode(&env); err != nil {
			return err
		}
		if err := core.End(dec, r); err != nil {
			return err
		}
		if env.Results == nil || p.Results == nil {
			return errors.New(`the list answer has no "results"`)
		}
		p.Count, p.Next, p.Previous = env.Count, deref(env.Next), deref(env.Previous)
		p.envelope = env.Count != nil || env.Next != nil || env.Previous != nil
		return nil
	}
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	if err := core.End(dec, r); err != nil {
		return err
	}
	raw, ok := obj[p.itemsKey]
	if !ok {
		return fmt.Errorf("the list answer has no %q", p.itemsKey)
	}
	if err := json.Unmarshal(raw, &p.Results); err != nil {
		return err
	}
	if p.Results == nil {
		return fmt.Errorf("the list answer's %q is null, not a list", p.itemsKey)
	}
	for k, dst := range map[string]*string{"next": &p.Next, "previous": &p.Previous} {
		if v, ok := obj[k]; ok {
			var s *string
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			*dst = deref(s)
			p.envelope = true
		}
	}
	if v, ok := obj["count"]; ok {
		if err := json.Unmarshal(v, &p.Count); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		p.envelope = true
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
