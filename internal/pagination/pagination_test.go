package pagination_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/jarcoal/httpmock"
)

type item struct {
	ID int `json:"id"`
}

const base = "https://api.test/api/"

func newCore(t *testing.T) (*core.Client, *httpmock.MockTransport) {
	t.Helper()
	return newCoreWith(t, nil)
}

// newLoggedCore is newCore with a logger that keeps warnings and above.
func newLoggedCore(t *testing.T) (*core.Client, *httpmock.MockTransport, *strings.Builder) {
	t.Helper()
	var logs strings.Builder
	c, mt := newCoreWith(t, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
	return c, mt, &logs
}

// newCoreWith is newCore with logger (nil: none).
func newCoreWith(t *testing.T, logger *slog.Logger) (*core.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	u, _ := url.Parse(base)
	c, err := core.New(core.Config{BaseURL: u, HTTPClient: &http.Client{Transport: mt}, Retry: core.RetryPolicy{MaxRetries: -1}, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// items renders ids from..to-1 as a JSON array.
func items(from, to int) string {
	parts := make([]string, 0, max(to-from, 0))
	for i := from; i < to; i++ {
		parts = append(parts, fmt.Sprintf(`{"id":%d}`, i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func collect(t *testing.T, seq func(func(*item, error) bool)) ([]int, error) {
	t.Helper()
	var ids []int
	for it, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, it.ID)
	}
	return ids, nil
}

func checkIDs(t *testing.T, ids []int, n int) {
	t.Helper()
	if len(ids) != n {
		t.Fatalf("got %d items, want %d", len(ids), n)
	}
	for i, id := range ids {
		if id != i {
			t.Fatalf("item %d has id %d", i, id)
		}
	}
}

// envelopeServer answers a list of total items with limit/offset or
// page/page_size envelopes whose next links point back at base.
func envelopeServer(t *testing.T, mt *httpmock.MockTransport, path string, total int, style pagination.Style) {
	mt.RegisterResponder("GET", base+path, func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		var from, size int
		if style == pagination.PageNumber {
			size, _ = strconv.Atoi(q.Get("page_size"))
			if size == 0 {
				size = 10
			}
			page, _ := strconv.Atoi(q.Get("page"))
			page = max(page, 1)
			from = (page - 1) * size
			q.Set("page", strconv.Itoa(page+1))
		} else {
			size, _ = strconv.Atoi(q.Get("limit"))
			if size == 0 {
				size = 10
			}
			from, _ = strconv.Atoi(q.Get("offset"))
			q.Set("offset", strconv.Itoa(from+size))
			q.Set("limit", strconv.Itoa(size))
		}
		to := min(from+size, total)
		next := "null"
		if to < total {
			next = strconv.Quote(base + path + "?" + q.Encode())
		}
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"count":%d,"next":%s,"previous":null,"results":%s}`, total, next, items(from, to))), nil
	})
}

// arrayServer answers a bare array sliced by limit/offset or page/page_size.
func arrayServer(t *testing.T, mt *httpmock.MockTransport, path string, total int, style pagination.Style, seen *[]string) {
	mt.RegisterResponder("GET", base+path, func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		*seen = append(*seen, req.URL.RawQuery)
		var from, size int
		if style == pagination.PageNumber {
			size, _ = strconv.Atoi(q.Get("page_size"))
			if size == 0 {
				size = 7 // the server's own page size
			}
			page, _ := strconv.Atoi(q.Get("page"))
			from = (max(page, 1) - 1) * size
		} else {
			from, _ = strconv.Atoi(q.Get("offset"))
			size, _ = strconv.Atoi(q.Get("limit"))
			if size == 0 {
				size = total
			}
		}
		return httpmock.NewStringResponse(200, items(min(from, total), min(from+size, total))), nil
	})
}

func TestAllFollowsEnvelopeLinksInBothStyles(t *testing.T) {
	for _, style := range []pagination.Style{pagination.LimitOffset, pagination.PageNumber} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			c, mt := newCore(t)
			envelopeServer(t, mt, "things", 95, style)
			ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Size: ptr(20), Style: style}))
			if err != nil {
				t.Fatal(err)
			}
			checkIDs(t, ids, 95)
			if n := mt.GetTotalCallCount(); n != 5 {
				t.Errorf("%d requests, want 5", n)
			}
		})
	}
}

func TestAllWalksBareArraysInBothStyles(t *testing.T) {
	cases := []struct {
		name       string
		style      pagination.Style
		size, from *int
		want       []string
	}{
		{"limit-offset, default limit", pagination.LimitOffset, nil, nil,
			// One page of 249 (asked 1,000), then one request confirms the end.
			[]string{"limit=1000", "limit=1000&offset=249"}},
		{"limit-offset, caller's limit", pagination.LimitOffset, ptr(120), ptr(10),
			[]string{"limit=120&offset=10", "limit=120&offset=130"}},
		{"page, caller's size", pagination.PageNumber, ptr(100), nil,
			[]string{"page_size=100", "page=2&page_size=100", "page=3&page_size=100"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newCore(t)
			var seen []string
			arrayServer(t, mt, "things", 249, tc.style, &seen)
			ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Size: tc.size, Position: tc.from, Style: tc.style}))
			if err != nil {
				t.Fatal(err)
			}
			offset := 0
			if tc.from != nil {
				offset = *tc.from
			}
			if len(ids) != 249-offset || ids[0] != offset || ids[len(ids)-1] != 248 {
				t.Fatalf("got %d items from %d to %d", len(ids), ids[0], ids[len(ids)-1])
			}
			if strings.Join(seen, " ") != strings.Join(tc.want, " ") {
				t.Errorf("queries = %q, want %q", seen, tc.want)
			}
		})
	}
}

func TestAllPageStyleWithServerPageSize(t *testing.T) {
	c, mt := newCore(t)
	var seen []string
	arrayServer(t, mt, "things", 20, pagination.PageNumber, &seen)
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Style: pagination.PageNumber}))
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, ids, 20)
	if want := "page_size=1000 page=2&page_size=1000"; strings.Join(seen, " ") != want {
		t.Errorf("queries = %q", seen)
	}
}

// TestAllEndsWhenServerIgnoresPaging: a list without pagination answers
// everything, whatever the limit and offset. The first page is longer (or
// shorter) than asked, so one more request confirms the end: it answers the
// same page, which shows the server ignores the position. A last request for
// one item shows it ignores the size too, so the first page was the whole
// list: the walk ends with every item once.
func TestAllEndsWhenServerIgnoresPaging(t *testing.T) {
	for _, n := range []int{249, 5} {
		c, mt := newCore(t)
		var seen []string
		mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
			seen = append(seen, req.URL.RawQuery)
			resp := httpmock.NewStringResponse(200, items(0, n))
			resp.Header.Set("X-Query", req.URL.RawQuery)
			return resp, nil
		})
		var lastAnswer string // what WithResponseInto would hold
		onResponse := func(c *requestconfig.Config) {
			c.OnResponse = func(_ int, h http.Header) { lastAnswer = h.Get("X-Query") }
		}
		ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Options: []requestconfig.Option{onResponse}}))
		if err != nil {
			t.Fatal(err)
		}
		checkIDs(t, ids, n)
		confirm := "limit=1000&offset=" + strconv.Itoa(n)
		want := "limit=1000 " + confirm + " limit=1"
		if got := strings.Join(seen, " "); got != want {
			t.Errorf("%d items: queries %q, want %q", n, got, want)
		}
		if lastAnswer != confirm {
			t.Errorf("%d items: the caller's last answer is that of %q, want the list's last page (%q), not the probe's", n, lastAnswer, confirm)
		}
	}
}

// TestAllRefusesAServerThatIgnoresOnlyThePosition: a server that caps the
// page size but ignores the position answers its first page whatever the
// offset or page asked, so the items past it are out of reach. The walk
// yields that page, then fails saying so, instead of passing it for the whole
// list. A list that takes no page size cannot be told from one without
// pagination, and ends after its first page as before.
func TestAllRefusesAServerThatIgnoresOnlyThePosition(t *testing.T) {
	for _, style := range []pagination.Style{pagination.LimitOffset, pagination.PageNumber} {
		sizeKey := map[pagination.Style]string{pagination.LimitOffset: "limit", pagination.PageNumber: "page_size"}[style]
		for _, serverSized := range []bool{false, true} {
			c, mt := newCore(t)
			mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
				size := 100 // the server's cap, and its size when none is asked
				if n, err := strconv.Atoi(req.URL.Query().Get(sizeKey)); err == nil && n < size {
					size = n
				}
				return httpmock.NewStringResponse(200, items(0, size)), nil
			})
			ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Style: style, ServerSized: serverSized}))
			if len(ids) != 100 {
				t.Fatalf("style %v, server-sized %v: %d items, want the first page of 100", style, serverSized, len(ids))
			}
			if serverSized {
				if err != nil || mt.GetTotalCallCount() != 2 {
					t.Errorf("server-sized: err = %v after %d requests, want the first page taken as the list after 2", err, mt.GetTotalCallCount())
				}
				continue
			}
			if err == nil || !strings.Contains(err.Error(), "honours "+sizeKey+" but ignores") || !strings.Contains(err.Error(), "first page of 100 items") {
				t.Errorf("style %v: err = %v, want one saying the server ignores the position", style, err)
			}
			if n := mt.GetTotalCallCount(); n != 3 {
				t.Errorf("style %v: %d requests, want 3 (first page, its confirmation, the size probe)", style, n)
			}
		}
	}
}

// TestAllRefusesRepeatedPages: a page that repeats an earlier one (past the
// confirmation of the first) is an error, on a bare array and on an envelope
// whose next links are new each time but whose items are not.
func TestAllRefusesRepeatedPages(t *testing.T) {
	t.Run("bare array", func(t *testing.T) {
		c, mt := newCore(t)
		mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
			off, _ := strconv.Atoi(req.URL.Query().Get("offset"))
			// Pages 1 and 2 are right; from offset 200 on the server
			// answers page 2 again.
			return httpmock.NewStringResponse(200, items(min(off, 100), min(off, 100)+100)), nil
		})
		ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
		if err == nil || !strings.Contains(err.Error(), "repeats pages") || len(ids) != 200 {
			t.Fatalf("%d items, err = %v", len(ids), err)
		}
		if n := mt.GetTotalCallCount(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("envelope without count, endless links", func(t *testing.T) {
		c, mt := newCore(t)
		var n atomic.Int32
		mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
			k := n.Add(1)
			return httpmock.NewStringResponse(200, `{"next":"`+base+`things?cursor=`+strconv.Itoa(int(k))+`","results":`+items(0, 2)+`}`), nil
		})
		ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
		if err == nil || !strings.Contains(err.Error(), "repeats pages") || len(ids) != 2 {
			t.Fatalf("%d items, err = %v", len(ids), err)
		}
	})
}

func TestAllItemsKeyObject(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"mine/", func(req *http.Request) (*http.Response, error) {
		off, _ := strconv.Atoi(req.URL.Query().Get("offset"))
		lim, _ := strconv.Atoi(req.URL.Query().Get("limit"))
		return httpmock.NewStringResponse(200, `{"workspaces":`+items(off, min(off+lim, 250))+`}`), nil
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "mine/", ItemsKey: "workspaces"}))
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, ids, 250)
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2 (250 asked 1,000, then the confirmation)", n)
	}
}

// TestAllRefusesForeignNext: a next link that cannot be asked on the
// client's base URL (user info, another scheme, another list's path) ends
// the walk with a RedirectError that does not quote the link's query.
func TestAllRefusesForeignNext(t *testing.T) {
	for name, next := range map[string]string{
		"user info":        "https://user@api.test/api/things?offset=10",
		"other scheme":     "ftp://api.test/api/things?offset=10",
		"no scheme":        "//evil.test/api/things?offset=10",
		"other list":       "https://evil.test/api/other?offset=10",
		"list as a prefix": "https://evil.test/api/things/secret?offset=10",
		"escaped slash":    "https://api.test/api/things/..%2F..%2Fadmin?offset=10",
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newCore(t)
			mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200,
				`{"count":20,"next":"`+next+`","previous":null,"results":`+items(0, 10)+`}`))
			ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
			var fe *core.RedirectError
			if !errors.As(err, &fe) || !fe.NextLink {
				t.Fatalf("err = %v, want a RedirectError for a next link", err)
			}
			if strings.Contains(err.Error(), "offset=10") {
				t.Errorf("error quotes the link's query: %v", err)
			}
			if len(ids) != 10 || mt.GetTotalCallCount() != 1 {
				t.Errorf("%d items, %d requests", len(ids), mt.GetTotalCallCount())
			}
		})
	}
}

func TestAllStopsLoopingNext(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		// Every page links to page 2, so the second link repeats.
		off, _ := strconv.Atoi(req.URL.Query().Get("offset"))
		return httpmock.NewStringResponse(200, `{"count":1000,"next":"`+base+`things?offset=10","previous":null,"results":`+items(off, off+10)+`}`), nil
	})
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "do not advance") {
		t.Fatalf("err = %v", err)
	}
	// Pages 1 and 2, and page 3 asked for once page 1 was consumed.
	if n := mt.GetTotalCallCount(); n > 3 {
		t.Errorf("%d requests, want at most 3", n)
	}
	// Page after page, the repeated link itself is the loop.
	_, err = collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things",
		Options: []requestconfig.Option{func(c *requestconfig.Config) { c.Prefetch = -1 }}}))
	if err == nil || !strings.Contains(err.Error(), "same next link twice") {
		t.Fatalf("page after page: err = %v", err)
	}
}

func TestAllRefusesMoreThanCount(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200,
		`{"count":5,"next":"`+base+`things?offset=10","previous":null,"results":`+items(0, 10)+`}`))
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "more than the count") {
		t.Fatalf("err = %v", err)
	}
}

func TestAllRefusesLinkAfterCount(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200,
		`{"count":10,"next":"`+base+`things?offset=10","previous":null,"results":`+items(0, 10)+`}`))
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "after all 10 items") {
		t.Fatalf("err = %v", err)
	}
}

func TestAllRefusesEmptyPageWithNext(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200,
		`{"next":"`+base+`things?offset=10","previous":null,"results":[]}`))
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "empty page") {
		t.Fatalf("err = %v", err)
	}
}

func TestAllIsLazyAndBreakStopsFetching(t *testing.T) {
	c, mt := newCore(t)
	envelopeServer(t, mt, "things", 100, pagination.LimitOffset)
	seq := pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Size: ptr(10)})
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("All sent %d requests before the loop", n)
	}
	got := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if got++; got == 15 { // in the second page of 10
			break
		}
	}
	// Fetching ahead ramps up: while the loop reads page j, at most 2j
	// requests have been sent.
	if n := mt.GetTotalCallCount(); n > 4 {
		t.Errorf("%d requests after breaking in page 2, want at most 4", n)
	}
}

func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "" {
			return httpmock.NewStringResponse(200, `{"count":30,"next":"`+base+`things?offset=10","previous":null,"results":`+items(0, 10)+`}`), nil
		}
		return httpmock.NewStringResponse(404, `{"detail":"Not found."}`), nil
	})
	var items, errs int
	for _, err := range pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}) {
		if err != nil {
			errs++
			continue // a well-behaved iterator ends after the error anyway
		}
		items++
	}
	if items != 10 || errs != 1 {
		t.Errorf("items %d, errors %d", items, errs)
	}
}

func TestAllCopiesTheQuery(t *testing.T) {
	c, mt := newCore(t)
	var seen []string
	arrayServer(t, mt, "things", 5, pagination.LimitOffset, &seen)
	q := url.Values{"search": {"a"}}
	seq := pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Query: q})
	q.Set("search", "changed")
	if _, err := collect(t, seq); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != "limit=1000&search=a" || seen[1] != "limit=1000&offset=5&search=a" {
		t.Errorf("queries = %q", seen)
	}
	if q.Get("limit") != "" {
		t.Error("All changed the caller's query")
	}
}

func TestListDecodesEveryShape(t *testing.T) {
	cases := map[string]struct {
		body    string
		key     string
		n       int
		count   *int
		next    string
		wantErr string
	}{
		"envelope":             {body: `{"count":3,"next":"` + base + `x?offset=2","previous":null,"results":[{"id":1},{"id":2}]}`, n: 2, count: ptr(3), next: base + "x?offset=2"},
		"array":                {body: ` [{"id":1}]`, n: 1},
		"items key":            {body: `{"workspaces":[{"id":1}]}`, key: "workspaces", n: 1},
		"missing results":      {body: `{"count":3}`, wantErr: `no "results"`},
		"null results":         {body: `{"count":3,"results":null}`, wantErr: `no "results"`},
		"missing items key":    {body: `{"results":[]}`, key: "workspaces", wantErr: `no "workspaces"`},
		"string":               {body: `"hello"`, wantErr: "must be a JSON array or object"},
		"truncated":            {body: `{"count":3,"results":[{"id":1},`, wantErr: "unexpected EOF"},
		"empty":                {body: ``, wantErr: "unexpected EOF"},
		"wrong item type":      {body: `[{"id":"one"}]`, wantErr: "cannot unmarshal"},
		"wrong count type":     {body: `{"count":"3","results":[]}`, wantErr: "cannot unmarshal"},
		"items key bad next":   {body: `{"workspaces":[],"next":3}`, key: "workspaces", wantErr: "next"},
		"null":                 {body: ` null`, wantErr: "must be a JSON array or object"},
		"array then more":      {body: `[{"id":1}] [{"id":2}]`, wantErr: "data after its JSON value"},
		"envelope then more":   {body: `{"results":[{"id":1}]}x`, wantErr: "data after its JSON value"},
		"items key then more":  {body: `{"workspaces":[]}{}`, key: "workspaces", wantErr: "data after its JSON value"},
		"trailing white space": {body: `[{"id":1}]` + "\n\t ", n: 1},
		"keys given twice":     {body: `{"count":5,"count":null,"next":"` + base + `x?offset=1","next":null,"results":[{"id":1}]}`, n: 1}, // the last counts, as in encoding/json
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newCore(t)
			mt.RegisterResponder("GET", base+"x", httpmock.NewStringResponder(200, tc.body))
			p, err := pagination.List[item](context.Background(), pagination.Spec{Client: c, Path: "x", ItemsKey: tc.key})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Results) != tc.n || p.Next != tc.next || (p.Count == nil) != (tc.count == nil) || (p.Count != nil && *p.Count != *tc.count) {
				t.Errorf("page = %+v", p)
			}
		})
	}
}

func ptr(n int) *int { return &n }

func TestAllWithNilContextIsAnError(t *testing.T) {
	c, mt := newCore(t)
	_, err := collect(t, pagination.All[item](nil, pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "nil context") {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestAllRefusesANextLinkBackToTheFirstPage(t *testing.T) {
	c, mt := newCore(t)
	// The first request is things?limit=1000&offset=0; page 2 links back to
	// it with its parameters in another order.
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "10" {
			return httpmock.NewStringResponse(200, `{"next":"`+base+`things?offset=0&limit=1000","results":`+items(10, 20)+`}`), nil
		}
		return httpmock.NewStringResponse(200, `{"next":"`+base+`things?offset=10&limit=1000","results":`+items(0, 10)+`}`), nil
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Position: ptr(0)}))
	if err == nil || !strings.Contains(err.Error(), "same next link twice") {
		t.Fatalf("err = %v", err)
	}
	if len(ids) != 20 {
		t.Errorf("yielded %d items before the error, want the 20 of the two distinct pages", len(ids))
	}
}

func TestAllStopsEndlessEnvelopesWithoutCount(t *testing.T) {
	defer pagination.SetMaxPagesWithoutCount(5)()
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		off, _ := strconv.Atoi(req.URL.Query().Get("offset"))
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"next":"%sthings?offset=%d","results":%s}`, base, off+1, items(off, off+1))), nil
	})
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "stopped after 5 pages") {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestAllRefusesAnOffsetThatWouldOverflow(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200, items(0, 100)))
	_, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Position: ptr(math.MaxInt - 50)}))
	if err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestAllStopsMidPageWhenTheContextEnds(t *testing.T) {
	c, mt := newCore(t)
	mt.RegisterResponder("GET", base+"things", httpmock.NewStringResponder(200, items(0, 10)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []int
	var last error
	for it, err := range pagination.All[item](ctx, pagination.Spec{Client: c, Path: "things"}) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, it.ID)
		if len(ids) == 3 {
			cancel()
		}
	}
	if len(ids) != 3 || !errors.Is(last, context.Canceled) {
		t.Fatalf("yielded %v then %v; want 3 items then context.Canceled", ids, last)
	}
}

// TestAllDoesNotTakeDifferentLinksForALoop: links that differ only in what
// url.ParseQuery would drop (a bad escape) or in where an escaped "=" sits are
// different pages; links that differ only in escaping or order are the same.
func TestAllDoesNotTakeDifferentLinksForALoop(t *testing.T) {
	c, mt := newCore(t)
	links := []string{
		base + "things?cursor=a%zz&offset=1", // a pair ParseQuery drops
		base + "things?cursor=b%zz&offset=1", // differs only in that pair
		base + "things?a%3Db=c&offset=1",     // key "a=b", value "c"
		base + "things?a=b%3Dc&offset=1",     // key "a", value "b=c"
		base + "things?offset=1&a=b%3Dc",     // the previous link reordered: a loop
	}
	var n int
	mt.RegisterResponder("GET", `=~^`+base+`things`, func(req *http.Request) (*http.Response, error) {
		body := fmt.Sprintf(`{"next":%q,"results":%s}`, links[n], items(n, n+1))
		n++
		return httpmock.NewStringResponse(200, body), nil
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "same next link twice") {
		t.Fatalf("err = %v", err)
	}
	if len(ids) != 5 {
		t.Errorf("yielded %d items before the loop was seen, want 5 (the repeat is the fifth link)", len(ids))
	}
}

// cappedServer answers a list whose page size it caps at maxSize, as Django
// REST framework caps limit and page_size at max_limit/max_page_size without
// saying so; as a bare array or an envelope with next links.
func cappedServer(mt *httpmock.MockTransport, path string, total, maxSize int, style pagination.Style, envelope bool, requests *atomic.Int32) {
	mt.RegisterResponder("GET", base+path, func(req *http.Request) (*http.Response, error) {
		requests.Add(1)
		q := req.URL.Query()
		sizeKey := map[pagination.Style]string{pagination.LimitOffset: "limit", pagination.PageNumber: "page_size"}[style]
		size, _ := strconv.Atoi(q.Get(sizeKey))
		if size <= 0 {
			size = 10
		}
		size = min(size, maxSize)
		var from int
		if style == pagination.PageNumber {
			page, _ := strconv.Atoi(q.Get("page"))
			from = (max(page, 1) - 1) * size
			q.Set("page", strconv.Itoa(max(page, 1)+1))
		} else {
			from, _ = strconv.Atoi(q.Get("offset"))
			q.Set("offset", strconv.Itoa(from+size))
			q.Set("limit", strconv.Itoa(size))
		}
		from = min(from, total)
		to := min(from+size, total)
		if !envelope {
			return httpmock.NewStringResponse(200, items(from, to)), nil
		}
		next := "null"
		if to < total {
			next = strconv.Quote(base + path + "?" + q.Encode())
		}
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"count":%d,"next":%s,"previous":null,"results":%s}`, total, next, items(from, to))), nil
	})
}

// TestAllYieldsEveryItemFromACappedServer: a server that serves fewer items
// per page than asked never ends a walk early, in either paging style, as a
// bare array or an envelope; a bare-array walk spends at most one request
// more than the pages.
func TestAllYieldsEveryItemFromACappedServer(t *testing.T) {
	for _, style := range []pagination.Style{pagination.LimitOffset, pagination.PageNumber} {
		for _, envelope := range []bool{false, true} {
			for _, total := range []int{0, 30, 40, 95, 120} {
				name := fmt.Sprintf("style %d, envelope %v, %d items", style, envelope, total)
				t.Run(name, func(t *testing.T) {
					c, mt := newCore(t)
					var requests atomic.Int32
					const maxSize = 40
					cappedServer(mt, "things", total, maxSize, style, envelope, &requests)
					ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Style: style, Size: ptr(5000)}))
					if err != nil {
						t.Fatal(err)
					}
					checkIDs(t, ids, total)
					pages := max((total+maxSize-1)/maxSize, 1)
					if n := int(requests.Load()); n > pages+1 {
						t.Errorf("%d requests for %d pages, want at most one more", n, pages)
					}
				})
			}
		}
	}
}

// TestFetchedAheadLastPageLinkIsChecked: the last page of a list fetched
// ahead must not link to another page, as on the page-after-page path.
func TestFetchedAheadLastPageLinkIsChecked(t *testing.T) {
	c, mt := newCore(t)
	const total = 100
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		off, _ := strconv.Atoi(req.URL.Query().Get("offset"))
		// Every page links onwards, the last one too.
		next := strconv.Quote(base + "things?limit=10&offset=" + strconv.Itoa(off+10))
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"count":%d,"next":%s,"previous":null,"results":%s}`, total, next, items(off, min(off+10, total)))), nil
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", Size: ptr(10)}))
	if err == nil || !strings.Contains(err.Error(), "links to another page after all 100 items") {
		t.Fatalf("%d items, err = %v", len(ids), err)
	}
	if len(ids) != 90 {
		t.Errorf("%d items yielded before the error, want 90 (the last page is refused whole)", len(ids))
	}
}

// linksOnlyServer answers limit/offset pages of total items carrying only
// the links lastPage renders: a paginator that counts nothing (to spare the
// database its COUNT) or a server whose last page differs from the others.
func linksOnlyServer(mt *httpmock.MockTransport, path string, total int, page func(next string, results string) string) {
	mt.RegisterResponder("GET", base+path, func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		size, _ := strconv.Atoi(q.Get("limit"))
		size = min(max(size, 1), 3) // the server's cap
		from, _ := strconv.Atoi(q.Get("offset"))
		to := min(from+size, total)
		next := ""
		if to < total {
			q.Set("offset", strconv.Itoa(to))
			q.Set("limit", strconv.Itoa(size))
			next = base + path + "?" + q.Encode()
		}
		return httpmock.NewStringResponse(200, page(next, items(from, to))), nil
	})
}

func TestAllWalksAPaginatorThatCountsNothing(t *testing.T) {
	link := func(next string) string {
		if next == "" {
			return "null"
		}
		return strconv.Quote(next)
	}
	for name, page := range map[string]func(next, results string) string{
		"next only": func(next, results string) string {
			return `{"next":` + link(next) + `,"results":` + results + `}`
		},
		"null count and previous at the end": func(next, results string) string {
			if next == "" {
				return `{"count":null,"next":null,"previous":null,"results":` + results + `}`
			}
			return `{"next":` + link(next) + `,"previous":null,"results":` + results + `}`
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newCore(t)
			linksOnlyServer(mt, "things", 14, page)
			ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
			if err != nil {
				t.Fatalf("after %v: %v", ids, err)
			}
			checkIDs(t, ids, 14)
			if n := mt.GetTotalCallCount(); n != 5 {
				t.Errorf("%d requests, want 5 (one per page of 3)", n)
			}
		})
	}
}

func TestAllStopsWhenLinksVanishMidWalk(t *testing.T) {
	c, mt := newCore(t)
	linksOnlyServer(mt, "things", 14, func(next, results string) string {
		if strings.Contains(next, "offset=6") {
			return `{"results":` + results + `}` // the second page: no links at all
		}
		return `{"next":` + strconv.Quote(next) + `,"results":` + results + `}`
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things"}))
	if err == nil || !strings.Contains(err.Error(), "page 2 has no count or links after pages that had them") {
		t.Fatalf("err = %v", err)
	}
	checkIDs(t, ids, 6) // both pages' items, none twice
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestAllAsksItsOwnBaseForLinksNamingAnotherAddress: a relative next link
// is read against its page; a server behind a proxy writes next links for
// the address it is reached at internally (another host or port, http where
// the proxy ends TLS, a path prefix the proxy strips), and the walk asks the
// client's base URL for the page such a link names (its own query, with the
// link's paging parameters and nothing else of the link), with or without
// fetching ahead, says so once per client in the log, and never sends
// anything to the link's host (the mock answers only the base URL).
func TestAllAsksItsOwnBaseForLinksNamingAnotherAddress(t *testing.T) {
	for name, tc := range map[string]struct {
		next  string
		warns bool // the link names another address
	}{
		"absolute path":          {"/api/things?limit=10&offset=10&q=mine", false},
		"query only":             {"?limit=10&offset=10&q=mine", false},
		"relative path":          {"things?limit=10&offset=10&q=mine", false},
		"plain http":             {"http://api.test/api/things?limit=10&offset=10", true},
		"internal host and port": {"http://web:8000/api/things?limit=10&offset=10", true},
		"other host":             {"https://evil.test/api/things?limit=10&offset=10", true},
		"prefix stripped":        {"https://api.test/things?limit=10&offset=10", true},
		"other base path":        {"https://api.test/other/things?limit=10&offset=10", true},
		"dot segments":           {"https://api.test/api/../admin/things?limit=10&offset=10", true},
		"other parameters":       {"http://web:8000/api/things?format=api&limit=10&junk=a b&offset=10&q=other", true},
	} {
		for _, ahead := range []int{-1, 10} {
			t.Run(fmt.Sprintf("%s, prefetch %d", name, ahead), func(t *testing.T) {
				c, mt, logs := newLoggedCore(t)
				var second []string // the queries asked for the second page
				mt.RegisterResponder("GET", base+"things", func(r *http.Request) (*http.Response, error) {
					if r.URL.Query().Get("offset") == "10" {
						second = append(second, r.URL.RawQuery)
						return httpmock.NewStringResponse(200, `{"count":20,"next":null,"previous":null,"results":`+items(10, 20)+`}`), nil
					}
					return httpmock.NewStringResponse(200, `{"count":20,"next":`+strconv.Quote(tc.next)+`,"previous":null,"results":`+items(0, 10)+`}`), nil
				})
				spec := pagination.Spec{Client: c, Path: "things", Size: ptr(10), Query: url.Values{"q": {"mine"}}, Options: []requestconfig.Option{prefetch(ahead)}}
				for range 2 { // two walks on one client: one warning
					ids, err := collect(t, pagination.All[item](context.Background(), spec))
					if err != nil {
						t.Fatal(err)
					}
					checkIDs(t, ids, 20)
				}
				if n := mt.GetTotalCallCount(); n != 4 {
					t.Errorf("%d requests, want 4", n)
				}
				for _, q := range second {
					if q != "limit=10&offset=10&q=mine" {
						t.Errorf("second page asked with %q, want the walk's own query at the link's position", q)
					}
				}
				want := 0
				if tc.warns {
					want = 1
				}
				if got := strings.Count(logs.String(), "next links name another address"); got != want || strings.Contains(logs.String(), "offset=10") {
					t.Errorf("log %q: want %d lines saying so, without the link's query", logs.String(), want)
				}
			})
		}
	}
}

// TestAllAsksItsOwnBaseForCursorLinks: Django REST framework's
// CursorPagination names a page by its cursor; a cursor link naming another
// address keeps its cursor when asked on the base URL. Links naming a new
// address on every page (pods behind a proxy) give one warning.
func TestAllAsksItsOwnBaseForCursorLinks(t *testing.T) {
	c, mt, logs := newLoggedCore(t)
	var queries []string
	mt.RegisterResponder("GET", base+"things", func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		switch r.URL.Query().Get("cursor") {
		case "":
			return httpmock.NewStringResponse(200, `{"next":"http://pod-0.internal/api/things?cursor=c10","previous":null,"results":`+items(0, 10)+`}`), nil
		case "c10":
			return httpmock.NewStringResponse(200, `{"next":"http://pod-1.internal/api/things?cursor=c20","previous":"http://pod-1.internal/api/things?cursor=p0","results":`+items(10, 20)+`}`), nil
		}
		return httpmock.NewStringResponse(200, `{"next":null,"previous":"http://pod-2.internal/api/things?cursor=p1","results":`+items(20, 25)+`}`), nil
	})
	ids, err := collect(t, pagination.All[item](context.Background(), pagination.Spec{Client: c, Path: "things", ServerSized: true}))
	if err != nil {
		t.Fatalf("after %d items: %v", len(ids), err)
	}
	checkIDs(t, ids, 25)
	if want := []string{"", "cursor=c10", "cursor=c20"}; !slices.Equal(queries, want) {
		t.Errorf("queries %q, want %q", queries, want)
	}
	if got := strings.Count(logs.String(), "next links name another address"); got != 1 {
		t.Errorf("%d warnings, want 1: %s", got, logs.String())
	}
}
