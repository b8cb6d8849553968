package pagination_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/paging"
	"github.com/jarcoal/httpmock"
)

// bothOptions pages a list either way, like users.ListOptions, and carries
// parameters by name, like workspaces.ListOptions.
type bothOptions struct {
	Search string `url:"search,omitempty"`
	paging.LimitOffset
	paging.PageNumber
	Lookups url.Values `url:"-"`
}

func (o *bothOptions) Validate() error {
	if o == nil {
		return nil
	}
	if o.Search == "refuse" {
		return errors.New("refused")
	}
	return errors.Join(o.LimitOffset.Validate(), o.PageNumber.Validate())
}

type pageOnlyOptions struct{ paging.PageOnly }

func (o *pageOnlyOptions) Validate() error {
	if o == nil {
		return nil
	}
	return o.PageOnly.Validate()
}

var bothList = pagination.Endpoint[item, *bothOptions]{
	Path: "things", Style: pagination.LimitOffset,
	Extra: func(o *bothOptions) url.Values { return o.Lookups },
}

// recordQueries answers a bare array of total items, by limit/offset or
// page/page_size, and records each request's query.
func recordQueries(t *testing.T, mt *httpmock.MockTransport, total int) *[]string {
	var mu sync.Mutex
	seen := &[]string{}
	mt.RegisterResponder("GET", base+"things", func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		*seen = append(*seen, req.URL.RawQuery)
		mu.Unlock()
		q := req.URL.Query()
		size, from := atoiOr(q.Get("limit"), 0), atoiOr(q.Get("offset"), 0)
		if ps := q.Get("page_size"); ps != "" || q.Get("page") != "" {
			size = atoiOr(ps, 10)
			from = (atoiOr(q.Get("page"), 1) - 1) * size
		}
		if size == 0 {
			size = 10
		}
		return httpmock.NewStringResponse(200, items(min(from, total), min(from+size, total))), nil
	})
	return seen
}

func TestEndpointReadsTheEmbeddedPaging(t *testing.T) {
	cases := []struct {
		name string
		opts *bothOptions
		want []string
	}{
		{"nil options", nil, []string{"limit=1000", "limit=1000&offset=25"}},
		{"limit and offset", &bothOptions{LimitOffset: paging.LimitOffset{Limit: ptr(10), Offset: ptr(5)}},
			[]string{"limit=10&offset=5", "limit=10&offset=15", "limit=10&offset=25"}},
		{"page number", &bothOptions{Search: "a", PageNumber: paging.PageNumber{Page: ptr(2), PageSize: ptr(10)}},
			[]string{"page=2&page_size=10&search=a", "page=3&page_size=10&search=a"}}, // a page shorter than the first ends the list
		{"lookups travel once", &bothOptions{Lookups: url.Values{"x__gte": {"1"}}},
			[]string{"limit=1000&x__gte=1", "limit=1000&offset=25&x__gte=1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newCore(t)
			seen := recordQueries(t, mt, 25)
			if _, err := collect(t, bothList.All(context.Background(), c, tc.opts, nil)); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*seen, tc.want) {
				t.Errorf("queries %q, want %q", *seen, tc.want)
			}
		})
	}
}

func TestEndpointListSendsWhatTheCallerSet(t *testing.T) {
	c, mt := newCore(t)
	seen := recordQueries(t, mt, 25)
	opts := &bothOptions{LimitOffset: paging.LimitOffset{Offset: ptr(0)}}
	if _, err := bothList.List(context.Background(), c, opts, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bothList.List(context.Background(), c, nil, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"offset=0", ""}; !reflect.DeepEqual(*seen, want) {
		t.Errorf("queries %q, want %q", *seen, want)
	}
}

func TestEndpointRefusesBeforeSending(t *testing.T) {
	c, _ := newCore(t) // any request fails the test
	for _, opts := range []*bothOptions{
		{Search: "refuse"},
		{LimitOffset: paging.LimitOffset{Limit: ptr(-1)}},
		{PageNumber: paging.PageNumber{Page: ptr(0)}},
	} {
		if _, err := bothList.List(context.Background(), c, opts, nil); err == nil {
			t.Errorf("%+v: List accepted", opts)
		}
		if _, err := collect(t, bothList.All(context.Background(), c, opts, nil)); err == nil {
			t.Errorf("%+v: All accepted", opts)
		}
	}
}

func TestEndpointServerSizedAsksNoPageSize(t *testing.T) {
	c, mt := newCore(t)
	seen := recordQueries(t, mt, 25)
	groups := pagination.Endpoint[item, *pageOnlyOptions]{Path: "things", Style: pagination.PageNumber, ServerSized: true}
	ids, err := collect(t, groups.All(context.Background(), c, &pageOnlyOptions{paging.PageOnly{Page: ptr(2)}}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 15 || ids[0] != 10 {
		t.Errorf("got %d items from %v", len(ids), ids)
	}
	for _, q := range *seen {
		if strings.Contains(q, "page_size") {
			t.Errorf("query %q asks a page size", q)
		}
	}
}

// TestEndpointAllCopiesTheOptions: changing the options, their paging
// included, after All is called changes nothing the loop sends.
func TestEndpointAllCopiesTheOptions(t *testing.T) {
	c, mt := newCore(t)
	seen := recordQueries(t, mt, 25)
	opts := &bothOptions{Search: "a", LimitOffset: paging.LimitOffset{Limit: ptr(10), Offset: ptr(20)}}
	seq := bothList.All(context.Background(), c, opts, nil)
	opts.Search, *opts.Limit, *opts.Offset = "b", 3, 0
	if _, err := collect(t, seq); err != nil {
		t.Fatal(err)
	}
	if want := []string{"limit=10&offset=20&search=a", "limit=10&offset=25&search=a"}; !reflect.DeepEqual(*seen, want) {
		t.Errorf("queries %q, want %q", *seen, want)
	}
}
