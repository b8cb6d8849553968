package pagination_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/pagination"
)

// fuzzItem has fields of several kinds, so that wrong types in an item have
// something to collide with.
type fuzzItem struct {
	ID   int            `json:"id"`
	Name string         `json:"name"`
	Tags []string       `json:"tags"`
	Meta map[string]int `json:"meta"`
}

type fuzzTransport func(*http.Request) (*http.Response, error)

func (f fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fuzzPages is how many requests get the fuzzed body; later ones get an empty
// list, so that a walk over a body that always looks full still ends.
const fuzzPages = 3

// itemsIn counts the items a list body holds, read independently of the
// engine: the elements of a bare array, or of the array under key. ok is false
// when the body holds no such array.
func itemsIn(body []byte, key string) (n int, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return 0, false
	}
	var items []json.RawMessage
	switch trimmed[0] {
	case '[':
		if dec.Decode(&items) != nil {
			return 0, false
		}
		return len(items), true
	case '{':
	default:
		return 0, false
	}
	if key == "" || key == "results" {
		// encoding/json matches keys without regard to case; so does the
		// engine, which decodes into a struct.
		var env struct {
			Results *[]json.RawMessage `json:"results"`
		}
		if dec.Decode(&env) != nil || env.Results == nil {
			return 0, false
		}
		return len(*env.Results), true
	}
	var obj map[string]json.RawMessage
	if dec.Decode(&obj) != nil {
		return 0, false
	}
	if json.Unmarshal(obj[key], &items) != nil || items == nil {
		return 0, false
	}
	return len(items), true
}

// underBase reports whether a request URL stays on the base URL once a server
// has decoded and normalised its path: dot segments, also escaped ones, would
// take the token elsewhere on the host.
func underBase(u *url.URL) bool {
	if u.Scheme != "https" || !strings.EqualFold(u.Host, "api.test") || u.User != nil {
		return false
	}
	p := strings.ReplaceAll(u.Path, "\\", "/")
	return strings.HasPrefix(path.Clean(p)+"/", "/api/")
}

// FuzzListDecode serves a fuzzed body as a list answer (an envelope, a bare
// array or an object with the items under "workspaces") and reads it through
// the real path, List and All over core.Client. List either fails or returns
// exactly the items the body holds. All yields the same first page, never more
// items than the pages served hold (nor than a stated count), yields at most
// one error and only last, and ends.
func FuzzListDecode(f *testing.F) {
	f.Add([]byte(`{"count":3,"next":"https://api.test/api/things?offset=2","previous":null,"results":[{"id":1},{"id":2}]}`), uint8(0))
	f.Add([]byte(` [{"id":1,"name":"a","tags":["x"],"meta":{"k":1}}]`), uint8(0))
	f.Add([]byte(`{"workspaces":[{"id":1}],"next":null}`), uint8(2))
	f.Add([]byte(`{"count":"ten","results":[]}`), uint8(1))
	f.Add([]byte(`{"count":1,"results":{"id":1}}`), uint8(0))
	f.Add([]byte(`[{"id":"one"}]`), uint8(3))
	f.Add([]byte(`{"Results":[{"id":1}],"results":[]}`), uint8(0))
	f.Add([]byte(`{"count":-1,"next":"https://api.test/api/things?page=2","results":[{"id":1}]}`), uint8(3))
	f.Add([]byte(`{"count":99999999999999999999,"results":[]}`), uint8(0))
	f.Add([]byte(`[{"id":1e3}]`), uint8(0))
	f.Add([]byte(`{"next":"https://evil.test/api/things","results":[{"id":1}]}`), uint8(0))
	f.Add([]byte(`{"next":"https://api.test/api/../x","results":[{"id":1}]}`), uint8(0))
	f.Add([]byte(``), uint8(0))
	f.Fuzz(func(t *testing.T, body []byte, shape uint8) {
		key := [...]string{"", "results", "workspaces"}[shape%3]
		style := pagination.LimitOffset
		if shape/3%2 == 1 {
			style = pagination.PageNumber
		}
		var requests atomic.Int32
		rt := fuzzTransport(func(req *http.Request) (*http.Response, error) {
			if !underBase(req.URL) {
				t.Errorf("a request left the base URL: %s", req.URL.Redacted())
			}
			b := body
			if requests.Add(1) > fuzzPages {
				b = []byte(`[]`)
			}
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: req}, nil
		})
		u, _ := url.Parse(base)
		c, err := core.New(core.Config{BaseURL: u, HTTPClient: &http.Client{Transport: rt}, Retry: core.RetryPolicy{MaxRetries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		spec := pagination.Spec{Client: c, Path: "things", ItemsKey: key, Style: style}
		ctx := context.Background()

		page, listErr := pagination.List[fuzzItem](ctx, spec)
		n, ok := itemsIn(body, key)
		if listErr == nil {
			if page == nil {
				t.Fatal("List returned neither a page nor an error")
			}
			if !ok {
				t.Fatalf("List accepted a body holding no list: %q", body)
			}
			if len(page.Results) != n {
				t.Fatalf("List returned %d items of a body holding %d", len(page.Results), n)
			}
		} else if page != nil {
			t.Fatal("List returned a page with its error")
		}

		requests.Store(0)
		var got []fuzzItem
		var errs int
		for it, err := range pagination.All[fuzzItem](ctx, spec) {
			if errs > 0 {
				t.Fatal("All yielded after an error")
			}
			if err != nil {
				if it != nil {
					t.Fatal("All yielded an item with its error")
				}
				errs++
				continue
			}
			got = append(got, *it)
			if len(got) > fuzzPages*n {
				t.Fatalf("All yielded %d items from %d pages of %d", len(got), fuzzPages, n)
			}
		}
		if r := requests.Load(); r > fuzzPages+1 {
			t.Fatalf("All sent %d requests", r)
		}
		if listErr != nil {
			if len(got) != 0 || errs != 1 {
				t.Fatalf("List failed (%v) but All yielded %d items and %d errors", listErr, len(got), errs)
			}
			return
		}
		if page.Count != nil && len(got) > max(*page.Count, 0) {
			t.Fatalf("All yielded %d items past the count of %d", len(got), *page.Count)
		}
		first := got[:min(len(got), len(page.Results))]
		if len(first) > 0 && !reflect.DeepEqual(first, page.Results[:len(first)]) {
			t.Fatal("All's first page differs from List's")
		}
	})
}
