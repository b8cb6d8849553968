// Package pagination is the SDK's one pagination engine. It reads every list
// answer the API gives (a {count, next, previous, results} envelope, a bare
// JSON array, or an object holding the items under another key) and walks any
// list, limit/offset or page/page_size, as a lazy iterator.
//
// The files hold one job each: endpoint.go the declaration of a list (an
// Endpoint gives List and All) and query encoding, this file the types and the
// entry points, walk.go the walk page after page and its checks (links,
// counts, repeated pages), ahead.go fetching pages ahead once the count is
// known, decode.go reading one list answer in any of its shapes.
package pagination

import (
	"context"
	"crypto/sha256"
	"errors"
	"iter"
	"net/url"
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
// remaining pages itself and keeps up to n of them in flight, the page
// being read or waited for included, n being requestconfig.Config.Prefetch
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
		w := walker[T]{spec: s, seen: map[[sha256.Size]byte]bool{}}
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
