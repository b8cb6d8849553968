package pagination

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// walker holds the state of one walk through a list.
type walker[T any] struct {
	spec    Spec
	seen    map[[sha256.Size]byte]bool // next links already followed, by linkKey
	fetched int                        // items received so far
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
// it parsed; req is the request that brought the page.
func (w *walker[T]) nextOf(ctx context.Context, p *decodedPage[T], req *core.Request) (*url.URL, error) {
	if p.Count == nil && w.pages >= maxPagesWithoutCount {
		return nil, fmt.Errorf("accounts: %s: stopped after %d pages", w.spec.Path, w.pages)
	}
	if p.Count != nil && w.fetched >= *p.Count {
		return nil, fmt.Errorf("accounts: %s: the server links to another page after all %d items it counted", w.spec.Path, *p.Count)
	}
	next, err := w.checkNext(ctx, p.Next, req)
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
	// A page number past the first, given without a page size, names a page
	// of the server's default size: asking for another size would move the
	// walk's start (page 2 of 1,000 is item 1,000, not the item List's page 2
	// starts with), so the server's size applies.
	laterPage := w.spec.Style == PageNumber && w.spec.Position != nil && *w.spec.Position > 1
	if size := w.spec.Size; size != nil && *size > 0 {
		q.Set(sizeKey, strconv.Itoa(*size))
	} else if !w.spec.ServerSized && !laterPage {
		// Large pages, the fewest round trips; the server may serve fewer
		// (see DefaultLimit), which the walk learns from the pages.
		q.Set(sizeKey, strconv.Itoa(DefaultLimit))
	}

	ahead := requestconfig.Apply(w.spec.Options).Ahead(DefaultPrefetch)
	firstQuery := q // later pages' queries are copies
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
				// first page again: the server ignores the position.
				return w.unpaginated(ctx, firstQuery, sizeKey, posKey, firstLen)
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
			next, nextErr = w.nextOf(ctx, p, req)
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
		if req.URL != nil { // this page came from a next link
			// Offsets counted from here would start again at the first
			// page: the position so far is in the links the server sent.
			return fmt.Errorf("accounts: %s: page %d has no count or links after pages that had them; stopped rather than guess whether the list goes on", w.spec.Path, w.pages)
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

// unpaginated settles a walk whose server answered its first page again
// when asked for the next: it ignores the position. A list without
// pagination ignores the page size too, and its first page was the whole
// list; but a server that honours the size while ignoring the position (a
// capped first page) holds items no request can reach, and ending there
// would pass a partial list for the whole. One request for the first page
// with a size of 1 tells them apart. A list that takes no size (ServerSized),
// or whose first page had a single item, cannot be told apart this way, and
// is taken as complete.
func (w *walker[T]) unpaginated(ctx context.Context, firstQuery url.Values, sizeKey, posKey string, firstLen int) error {
	if w.spec.ServerSized || firstLen <= 1 {
		return nil
	}
	q := cloneValues(firstQuery)
	q.Set(sizeKey, "1")
	p := &decodedPage[T]{itemsKey: w.spec.ItemsKey}
	opts := append(requestconfig.Clone(w.spec.Options), requestconfig.NoResponse) // the caller's last answer stays the list's
	if _, err := w.spec.Client.Do(ctx, &core.Request{Method: "GET", Path: w.spec.Path, Query: q}, p, opts); err != nil {
		return fmt.Errorf("accounts: %s: the server ignores the %s parameter; asking whether it is paginated at all: %w", w.spec.Path, posKey, err)
	}
	if len(p.Results) == 1 {
		return fmt.Errorf("accounts: %s: the server honours %s but ignores %s: only its first page of %d items can be listed", w.spec.Path, sizeKey, posKey, firstLen)
	}
	return nil
}

func countText(c *int) string {
	if c == nil {
		return "none"
	}
	return strconv.Itoa(*c)
}

// checkNext parses a next link and refuses one that leaves the client's base
// URL (the token would go with it) or that was already followed (a loop). A
// relative link (a path or a query) is read against the URL of the page that
// carried it (req's). A link naming another scheme, host or base path is
// asked on the client's base URL instead when rebase can (see there), and
// refused otherwise.
func (w *walker[T]) checkNext(ctx context.Context, raw string, req *core.Request) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL is the link itself, query string and all
		}
		return nil, fmt.Errorf("accounts: %s: unreadable next link: %w", w.spec.Path, err)
	}
	if !u.IsAbs() && u.Host == "" {
		page, err := w.spec.Client.URL(req)
		if err != nil {
			return nil, err
		}
		u = page.ResolveReference(u)
	}
	if !w.spec.Client.SameBase(u) {
		own, ok := w.rebase(u, req)
		if !ok {
			return nil, fmt.Errorf("accounts: %s: %w", w.spec.Path, &core.RedirectError{Location: redactLink(u), Reason: core.ReasonForeign, NextLink: true})
		}
		// Once per client: every walk would say it again. (A key per
		// address would grow with every address a server names.)
		w.spec.Client.LogOnce(ctx, "rebased next links", slog.LevelWarn,
			"accounts: the server's next links name another address; asking the client's base URL for the pages they name",
			slog.String("path", w.spec.Path), slog.String("link", redactLink(u)))
		u = own
	}
	key := linkKey(u)
	if w.seen[key] {
		return nil, fmt.Errorf("accounts: %s: the server sent the same next link twice; stopped to avoid a loop", w.spec.Path)
	}
	w.seen[key] = true
	return u, nil
}

// rebase returns the page a next link names on another scheme, host or base
// path, asked on the client's own base URL: the list's path with the query of
// the page that carried the link (req's), its paging parameters set as the
// link sets them. A server writes such links when it does not know the
// address it is reached at (Django behind a proxy, without
// USE_X_FORWARDED_HOST, or a proxy that strips a path prefix). Only an http
// or https link without user info whose path ends with the list's path is
// rebased; nothing but the page's position is taken from it, and the request
// goes to the client's base URL, never to the link's host.
func (w *walker[T]) rebase(u *url.URL, req *core.Request) (*url.URL, bool) {
	if u.User != nil || !(strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) || u.Host == "" {
		return nil, false
	}
	if p := u.EscapedPath(); p != "/"+w.spec.Path && !strings.HasSuffix(p, "/"+w.spec.Path) {
		return nil, false
	}
	page, err := w.spec.Client.URL(req)
	if err != nil {
		return nil, false
	}
	q, link := page.Query(), u.Query()
	for _, k := range pagingKeys {
		if v, ok := link[k]; ok {
			q[k] = v
		} else {
			q.Del(k)
		}
	}
	own, err := w.spec.Client.URL(&core.Request{Method: "GET", Path: w.spec.Path, Query: q})
	if err != nil {
		return nil, false
	}
	return own, w.spec.Client.SameBase(own)
}

// pagingKeys are the parameters that name a page: both paging styles', and
// the cursor of Django REST framework's CursorPagination.
var pagingKeys = [...]string{"limit", "offset", "page", "page_size", "cursor"}

// linkKey identifies the page a link asks for: the SHA-256 of its path and its
// parameters in a fixed order, so that a link repeating an earlier one with
// its parameters reordered is still seen as a repeat, and a walk keeps 32
// bytes a page however long the server's links. The host is not part of it:
// only links on the client's base URL are followed.
func linkKey(u *url.URL) [sha256.Size]byte {
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
	return sha256.Sum256([]byte(u.EscapedPath() + "?" + strings.Join(pairs, "\x00")))
}

func redactLink(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment, c.RawFragment, c.User = "", "", "", nil
	return c.String()
}
