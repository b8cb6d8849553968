package accountstest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// timeoutClient gives up on a request the server does not answer, so that a
// stuck server fails a test instead of hanging it. It does not follow
// redirects (the portal's lead out of the test server).
var timeoutClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// send is call for a server that may misbehave: a dropped connection or a
// request that gets no answer is an error, not a fatal one, and it may be
// called from any goroutine.
func send(s *Server, method, path, token, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, strings.TrimSuffix(s.URL(), "/api/")+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := timeoutClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// guardedServer is newTestServer for a server that may get stuck: it is closed
// with a time limit, so that a handler left holding the server fails the test
// rather than blocking Close for ever.
func guardedServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(func() {
		done := make(chan struct{})
		go func() { s.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Close blocked: a request is still being handled")
		}
	})
	return s
}

// TestHugePagingParameters sends offsets, limits, pages and page sizes near
// and past math.MaxInt to every list. Each must answer (a page, or 404
// "Invalid page." for a page that does not exist, as Django REST framework
// does), never drop the connection, and leave the server working.
func TestHugePagingParameters(t *testing.T) {
	maxInt := strconv.Itoa(math.MaxInt)
	nearMax := strconv.Itoa(math.MaxInt - 5)
	tooBig := "99999999999999999999" // past int64: Python reads it, Atoi does not
	countries := len(NewServer().Countries())
	inWorkspace1 := len(NewServer().UsersOfWorkspace(1))

	// Checks of an answer's body.
	array := func(n int) func([]byte) error {
		return func(b []byte) error {
			var a []json.RawMessage
			if err := json.Unmarshal(b, &a); err != nil || len(a) != n {
				return fmt.Errorf("want an array of %d: %v", n, err)
			}
			return nil
		}
	}
	type page struct {
		Count    int               `json:"count"`
		Next     *string           `json:"next"`
		Previous *string           `json:"previous"`
		Results  []json.RawMessage `json:"results"`
	}
	envelope := func(count, n int, next, prev string) func([]byte) error {
		return func(b []byte) error {
			var p page
			if err := json.Unmarshal(b, &p); err != nil || p.Results == nil {
				return fmt.Errorf("want an envelope: %v", err)
			}
			if p.Count != count || len(p.Results) != n {
				return fmt.Errorf("count %d with %d results, want %d with %d", p.Count, len(p.Results), count, n)
			}
			for _, l := range []struct {
				name string
				link *string
				want string
			}{{"next", p.Next, next}, {"previous", p.Previous, prev}} {
				switch {
				case l.want == "" && l.link != nil:
					return fmt.Errorf("%s = %q, want null", l.name, *l.link)
				case l.want != "" && (l.link == nil || !strings.Contains(*l.link, l.want)):
					return fmt.Errorf("%s = %v, want it to hold %q", l.name, l.link, l.want)
				}
			}
			return nil
		}
	}
	memberships := func(n int) func([]byte) error {
		return func(b []byte) error {
			var m struct {
				Workspaces []json.RawMessage `json:"workspaces"`
			}
			if err := json.Unmarshal(b, &m); err != nil || m.Workspaces == nil || len(m.Workspaces) != n {
				return fmt.Errorf("want %d memberships: %v", n, err)
			}
			return nil
		}
	}
	invalidPage := func(b []byte) error {
		if !strings.Contains(string(b), `"detail":"Invalid page."`) {
			return fmt.Errorf(`want "Invalid page."`)
		}
		return nil
	}

	cases := []struct {
		path   string
		status int
		check  func([]byte) error
	}{
		{"/api/accounts/countries?limit=" + maxInt + "&offset=1", 200, array(countries - 1)},
		{"/api/accounts/countries?offset=" + maxInt, 200, array(0)},
		{"/api/accounts/countries?offset=" + nearMax + "&limit=10", 200, array(0)},
		{"/api/accounts/countries?offset=" + tooBig, 200, array(0)},
		{"/api/accounts/countries?limit=" + tooBig, 200, array(countries)},

		{"/api/accounts/workspaces?offset=" + maxInt, 200, envelope(1200, 0, "", "offset="+strconv.Itoa(math.MaxInt-100))},
		{"/api/accounts/workspaces?offset=" + nearMax + "&limit=1000", 200, envelope(1200, 0, "", "offset="+strconv.Itoa(math.MaxInt-1005))},
		{"/api/accounts/workspaces?offset=1199&limit=" + maxInt, 200, envelope(1200, 1, "", "offset=199")},
		{"/api/accounts/workspaces?offset=" + tooBig, 200, envelope(1200, 0, "", "limit=100")},
		{"/api/accounts/workspaces?limit=" + tooBig, 200, envelope(1200, DefaultMaxPageSize, "offset=1000", "")},

		{"/api/accounts/users/me/workspaces/?offset=" + nearMax, 200, memberships(0)},
		{"/api/accounts/users/me/workspaces/?offset=" + maxInt + "&limit=" + maxInt, 200, memberships(0)},
		{"/api/accounts/users/me/workspaces/?offset=1&limit=" + maxInt, 200, memberships(DefaultMaxPageSize)},

		{"/api/accounts/users/?offset=" + nearMax, 200, array(0)},
		{"/api/accounts/users/?offset=" + maxInt + "&limit=" + maxInt, 200, array(0)},
		{"/api/accounts/users/?limit=" + maxInt, 200, array(inWorkspace1)},
		{"/api/accounts/users/?page_size=" + maxInt, 200, envelope(inWorkspace1, inWorkspace1, "", "")},
		{"/api/accounts/users/?page_size=" + tooBig + "&page=last", 200, envelope(inWorkspace1, inWorkspace1, "", "")},
		{"/api/accounts/users/?page=" + maxInt, 404, invalidPage},
		{"/api/accounts/users/?page=" + tooBig + "&page_size=" + maxInt, 404, invalidPage},
		{"/api/accounts/users/?page=-" + maxInt, 404, invalidPage},

		{"/api/accounts/organizations/?page=" + maxInt, 404, invalidPage},
		{"/api/accounts/organizations/?page=" + maxInt + "&page_size=" + maxInt, 404, invalidPage},
		{"/api/accounts/organizations/?page_size=" + maxInt, 200, envelope(DefaultOrganizationCount, DefaultOrganizationCount, "", "")},
		{"/api/accounts/organizations/?page=last&page_size=" + tooBig, 200, envelope(DefaultOrganizationCount, DefaultOrganizationCount, "", "")},

		{"/api/accounts/invite/?page=" + maxInt, 404, invalidPage},
		{"/api/accounts/invite/?page_size=" + maxInt, 200, envelope(0, 0, "", "")},

		{"/api/accounts/analysts/?page=" + nearMax + "&page_size=" + maxInt, 404, invalidPage},
		{"/api/accounts/analysts/?page_size=" + tooBig, 200, nil},

		{"/api/accounts/groups/?page=" + maxInt, 404, invalidPage},
		{"/api/accounts/groups/?page_size=" + maxInt, 200, envelope(len(groups), len(groups), "", "")},
	}
	for _, tc := range cases {
		t.Run(strings.TrimPrefix(tc.path, "/api/accounts/"), func(t *testing.T) {
			s := guardedServer(t)
			status, b, err := send(s, "GET", tc.path, OwnerToken, "")
			switch {
			case err != nil:
				t.Errorf("no answer: %v", err)
			case status != tc.status:
				t.Errorf("status %d, want %d: %.300s", status, tc.status, b)
			case tc.check != nil:
				if err := tc.check(b); err != nil {
					t.Errorf("%v: %.300s", err, b)
				}
			}
			// The server still answers, whatever happened to the request.
			if status, b, err := send(s, "GET", "/api/accounts/countries/NL", OwnerToken, ""); err != nil || status != 200 {
				t.Errorf("the next request: %d %v %.100s", status, err, b)
			}
		})
	}
}

// pageOf reads a list answer of any shape (an envelope, {"workspaces": [...]}
// or a bare array) and returns its number of items and its next link ("" for
// none or no link at all).
func pageOf(b []byte) (n int, next string, err error) {
	var a []json.RawMessage
	if json.Unmarshal(b, &a) == nil {
		return len(a), "", nil
	}
	var env struct {
		Next       *string           `json:"next"`
		Results    []json.RawMessage `json:"results"`
		Workspaces []json.RawMessage `json:"workspaces"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return 0, "", err
	}
	if env.Next != nil {
		next = *env.Next
	}
	return len(env.Results) + len(env.Workspaces), next, nil
}

// TestMaxPageSizeCapsEveryList asks every list for more than the cap, in
// both paging styles and in the bare arrays: each answers the cap, silently
// (200, no error), with next links that carry the size served for
// limit/offset and the size asked for page/page_size, as Django REST
// framework's paginators build them. The default page size is not capped.
func TestMaxPageSizeCapsEveryList(t *testing.T) {
	s := newTestServer(t, WithMaxPageSize(7), WithPageSize(9))
	cases := []struct {
		path     string
		n        int
		nextHas  string // "" for no next link expected
		unlinked bool   // a bare list: no links at all
	}{
		{"/api/accounts/countries?limit=50", 7, "", true},
		{"/api/accounts/countries?limit=50&offset=240", 7, "", true},
		{"/api/accounts/countries?offset=245", len(s.Countries()) - 245, "", true}, // no limit: every one left
		{"/api/accounts/workspaces?limit=50", 7, "limit=7&offset=7", false},
		{"/api/accounts/workspaces", 9, "limit=9&offset=9", false}, // the default, not capped
		{"/api/accounts/users/me/workspaces/?limit=50", 7, "", true},
		{"/api/accounts/users/me/workspaces/?offset=3", 9, "", true},
		{"/api/accounts/users/?limit=50", 7, "", true},
		{"/api/accounts/users/?page_size=50", 7, "page=2&page_size=50", false},
		{"/api/accounts/users/?page=2&page_size=50", 7, "page=3&page_size=50", false},
		{"/api/accounts/organizations/?page_size=50", 7, "page=2&page_size=50", false},
		{"/api/accounts/organizations/", 9, "page=2", false},
		{"/api/accounts/analysts/?page_size=50", 7, "page=2&page_size=50", false},
		{"/api/accounts/groups/?page_size=2", 2, "page=2&page_size=2", false},
	}
	for _, tc := range cases {
		status, b, err := send(s, "GET", tc.path, OwnerToken, "")
		if err != nil || status != 200 {
			t.Errorf("%s: %d %v %.200s", tc.path, status, err, b)
			continue
		}
		n, next, err := pageOf(b)
		if err != nil || n != tc.n {
			t.Errorf("%s: %d items (%v), want %d", tc.path, n, err, tc.n)
		}
		if (tc.nextHas == "") != (next == "") || !strings.Contains(next, tc.nextHas) {
			t.Errorf("%s: next = %q, want it to hold %q", tc.path, next, tc.nextHas)
		}
	}
}

// TestMaxPageSizeWalks walks a capped list both ways a client may: by the
// next links of an envelope, and by offsets (offset + items received) over a
// bare array. Both reach every item exactly once.
func TestMaxPageSizeWalks(t *testing.T) {
	s := newTestServer(t, WithMaxPageSize(100))
	host := strings.TrimSuffix(s.URL(), "/api/")

	total, pages := 0, 0
	for next := host + "/api/accounts/organizations/?page_size=1000"; next != ""; pages++ {
		status, b, err := send(s, "GET", strings.TrimPrefix(next, host), OwnerToken, "")
		if err != nil || status != 200 || pages > 100 {
			t.Fatalf("page %d: %d %v", pages, status, err)
		}
		var n int
		if n, next, err = pageOf(b); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != DefaultOrganizationCount || pages != (DefaultOrganizationCount+99)/100 {
		t.Errorf("organizations: %d items in %d pages, want %d", total, pages, DefaultOrganizationCount)
	}

	offset := 0
	for {
		status, b, err := send(s, "GET", fmt.Sprintf("/api/accounts/users/me/workspaces/?limit=1000&offset=%d", offset), OwnerToken, "")
		if err != nil || status != 200 {
			t.Fatalf("offset %d: %d %v", offset, status, err)
		}
		n, _, err := pageOf(b)
		if err != nil || n > 100 {
			t.Fatalf("offset %d: %d items, %v", offset, n, err)
		}
		if n == 0 {
			break
		}
		offset += n
	}
	if want := len(s.MembershipsOf(OwnerToken)); offset != want {
		t.Errorf("memberships: walked %d, want %d", offset, want)
	}
}

// TestMaxPageSizeDefaultAndOff: the default cap is DefaultMaxPageSize, and
// WithMaxPageSize(0) serves whatever size is asked, as max_limit = None does.
func TestMaxPageSizeDefaultAndOff(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want int
	}{{nil, DefaultMaxPageSize}, {[]Option{WithMaxPageSize(0)}, 1200}, {[]Option{WithMaxPageSize(-3)}, 1200}} {
		s := newTestServer(t, tc.opts...)
		for _, path := range []string{"/api/accounts/workspaces?limit=5000", "/api/accounts/users/me/workspaces/?limit=5000"} {
			status, b, err := send(s, "GET", path, OwnerToken, "")
			n, _, perr := pageOf(b)
			if err != nil || perr != nil || status != 200 || n != tc.want {
				t.Errorf("%d option(s), %s: %d, %d items, want %d (%v %v)", len(tc.opts), path, status, n, tc.want, err, perr)
			}
		}
	}
}

// TestLinkAddress: WithLinkAddress writes next and previous links for the
// given address, with or without the "/api/" prefix; a bad address is
// ignored.
func TestLinkAddress(t *testing.T) {
	for address, want := range map[string]string{
		"http://web:8000/api/": "http://web:8000/api/accounts/workspaces?",
		"http://web:8000":      "http://web:8000/accounts/workspaces?",
		"not a url":            "",
	} {
		s := newTestServer(t, WithLinkAddress(address))
		req, _ := http.NewRequest("GET", s.URL()+"accounts/workspaces?limit=10&offset=10", nil)
		req.Header.Set("Authorization", "Bearer "+OwnerToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Next, Previous string }
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			want = s.URL() + "accounts/workspaces?" // the request's own address
		}
		if !strings.HasPrefix(page.Next, want) || !strings.HasPrefix(page.Previous, want) || !strings.Contains(page.Next, "offset=20") {
			t.Errorf("%q: next %q, previous %q; want them at %q", address, page.Next, page.Previous, want)
		}
	}
}
