package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/workspaces"
	"github.com/jarcoal/httpmock"
)

// hostileKey is the API key of the clients in this file; no server other than
// the client's own may ever see it.
const hostileKey = "hostile-key-987"

// maxErrorBody is the documented bound on what is read of an error answer (1 MiB).
const maxErrorBody = 1 << 20

// workspaceItems renders n workspaces from id 1 as JSON objects.
func workspaceItems(n int) string { return workspaceItemsFrom(1, n) }

// workspaceItemsFrom renders n workspaces with ids from first on.
func workspaceItemsFrom(first, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"workspace_id":%[1]d,"workspace_name":"W%[1]d","id":%[1]d,"name":"W%[1]d","type":"active","member_count":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}`, first+i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// recorder is an httptest server that records the path and Authorization of
// every request it gets.
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
	auths []string
}

func newRecorder(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.paths = append(rec.paths, r.URL.EscapedPath())
		rec.auths = append(rec.auths, r.Header.Get("Authorization"))
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) seen() (paths, auths []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.paths...), append([]string(nil), r.auths...)
}

// TestAllNeverFollowsNextLinksAwayFromTheBaseURL: a next link that names
// another address is either asked on the client's own base URL (a link to
// the same list on another host, scheme or prefix, as a server behind a
// proxy writes) or refused with a RedirectError that quotes no secret; the
// other host never gets a request, and the token goes nowhere else.
func TestAllNeverFollowsNextLinksAwayFromTheBaseURL(t *testing.T) {
	stranger := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"count":20,"next":null,"previous":null,"results":` + workspaceItems(10) + `}`))
	})
	var next string // set per case, read by the handler
	var mu sync.Mutex
	home := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		link := next
		mu.Unlock()
		if r.URL.Path != "/api/accounts/workspaces" {
			http.Error(w, "not the list", http.StatusTeapot)
			return
		}
		if r.URL.Query().Get("offset") == "10" {
			_, _ = fmt.Fprintf(w, `{"count":20,"next":null,"previous":null,"results":%s}`, workspaceItemsFrom(11, 10))
			return
		}
		_, _ = fmt.Fprintf(w, `{"count":20,"next":%q,"previous":null,"results":%s}`, link, workspaceItems(10))
	})
	homeURL, _ := url.Parse(home.URL)
	cases := map[string]struct {
		link  string
		asked bool // asked on the base URL rather than refused
	}{
		"other host":      {stranger.URL + "/api/accounts/workspaces?offset=10&secret=s1", true},
		"other scheme":    {"https://" + homeURL.Host + "/api/accounts/workspaces?offset=10&secret=s1", true},
		"other host name": {"http://localhost:" + homeURL.Port() + "/api/accounts/workspaces?offset=10&secret=s1", true},
		"other path":      {home.URL + "/other/accounts/workspaces?offset=10&secret=s1", true},
		"dot segments":    {home.URL + "/api/../other/workspaces?offset=10&secret=s1", false},
		"escaped dots":    {home.URL + "/api/%2e%2e/other/workspaces?offset=10&secret=s1", false},
		"escaped slash":   {home.URL + "/api/accounts/..%2F..%2Fother?offset=10&secret=s1", false},
		"user info":       {"http://user:pw@" + homeURL.Host + "/api/accounts/workspaces?offset=10&secret=s1", false},
		"scheme-relative": {"//" + strings.TrimPrefix(stranger.URL, "http://") + "/api/accounts/workspaces?secret=s1", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mu.Lock()
			next = tc.link
			mu.Unlock()
			beforeHome, _ := home.seen()
			c, err := accounts.NewClient(accounts.WithBaseURL(home.URL+"/api/"), accounts.WithAPIKey(hostileKey), accounts.WithRetryPolicy(fastRetries))
			if err != nil {
				t.Fatal(err)
			}
			var n int
			var gotErr error
			for ws, err := range c.Workspaces.All(context.Background(), nil) {
				if err != nil {
					gotErr = err
					break
				}
				if ws.WorkspaceID != n+1 {
					t.Errorf("item %d has id %d", n, ws.WorkspaceID)
				}
				n++
			}
			afterHome, _ := home.seen()
			asked := afterHome[len(beforeHome):]
			if tc.asked {
				if gotErr != nil || n != 20 || len(asked) != 2 || asked[1] != "/api/accounts/workspaces" {
					t.Fatalf("err = %v after %d items, home asked %q; want both pages from the base URL", gotErr, n, asked)
				}
				return
			}
			var fe *accounts.RedirectError
			if !errors.As(gotErr, &fe) || !fe.NextLink {
				t.Fatalf("err = %v, want a RedirectError for a next link", gotErr)
			}
			if n != 10 {
				t.Errorf("yielded %d items before the error, want the first page's 10", n)
			}
			for _, leak := range []string{"secret", "s1", "pw", hostileKey} {
				if strings.Contains(gotErr.Error(), leak) {
					t.Errorf("error quotes a secret: %s", strings.ReplaceAll(gotErr.Error(), leak, "<LEAKED>"))
				}
			}
			if len(asked) != 1 {
				t.Errorf("home got %d requests, want only the first page: %q", len(asked), asked)
			}
		})
	}
	if paths, _ := stranger.seen(); len(paths) != 0 {
		t.Errorf("the other host got %d requests", len(paths))
	}
}

func TestRedirectsAwayNeverCarryTheToken(t *testing.T) {
	stranger := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"message":"stolen"}`))
	})
	home := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/api/accounts/users/me/switch-workspace/": // POST, 307 keeps method and body
			http.Redirect(w, r, stranger.URL+"/steal?from=post", http.StatusTemporaryRedirect)
		case "/api/accounts/countries/NL":
			http.Redirect(w, r, "/api/accounts/countries/BE", http.StatusFound) // then BE hops away
		case "/api/accounts/countries/BE":
			http.Redirect(w, r, stranger.URL+"/api/accounts/countries/BE", http.StatusPermanentRedirect)
		case "/api/accounts/countries/DE":
			w.Header().Set("Location", "/api/%2e%2e/steal")
			w.WriteHeader(http.StatusFound)
		default:
			http.Error(w, "unexpected", http.StatusTeapot)
		}
	})
	// A caller's CheckRedirect that allows everything must not widen the
	// SDK's own rule.
	permissive := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c, err := accounts.NewClient(accounts.WithBaseURL(home.URL+"/api/"), accounts.WithAPIKey(hostileKey),
		accounts.WithHTTPClient(permissive), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"POST 307 to another host": func() error { _, err := c.Workspaces.Switch(ctx, 7); return err },
		"same host, then away":     func() error { _, err := c.Countries.Get(ctx, "NL"); return err },
		"escaped dot segments":     func() error { _, err := c.Countries.Get(ctx, "DE"); return err },
	}
	for name, call := range calls {
		err := call()
		var re *accounts.RedirectError
		if !errors.As(err, &re) {
			t.Errorf("%s: err = %v, want a RedirectError", name, err)
			continue
		}
		if strings.Contains(err.Error(), "from=post") || strings.Contains(err.Error(), hostileKey) {
			t.Errorf("%s: error quotes the query or the key: %s", name, strings.ReplaceAll(err.Error(), hostileKey, "<LEAKED KEY>"))
		}
	}
	if paths, auths := stranger.seen(); len(paths) != 0 {
		t.Errorf("the other host got requests %q (with Authorization: %v)", paths, auths[0] != "")
	}
	paths, auths := home.seen()
	for i, p := range paths {
		if !strings.HasPrefix(p, "/api/accounts/") {
			t.Errorf("home got a request outside the base path: %s", p)
		}
		if auths[i] != "Bearer "+hostileKey {
			t.Errorf("request %d to home lacks the credentials", i)
		}
	}
	if len(paths) != 4 { // switch, NL, BE, DE: each once, none retried
		t.Errorf("home got %d requests, want 4: %q", len(paths), paths)
	}
	if permissive.Transport != nil {
		t.Error("the caller's client was changed")
	}
}

// endlessBody yields size bytes of filler without holding them, and counts
// what was read and whether it was closed.
type endlessBody struct {
	left   int64
	read   *atomic.Int64
	closed *atomic.Int32
}

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > b.left {
		n = b.left
	}
	for i := range p[:n] {
		p[i] = 'x'
	}
	if len(p) > 0 && b.left == 20<<20 {
		p[0] = '{' // the body starts like JSON and never ends well
	}
	b.left -= n
	b.read.Add(n)
	return int(n), nil
}

func (b *endlessBody) Close() error { b.closed.Add(1); return nil }

func TestHugeErrorBodiesAreReadOnlyUpToTheBound(t *testing.T) {
	const size = 20 << 20 // 20 MiB per answer
	const drain = 4 << 10 // what the SDK reads of a body it discards, so the connection can be reused
	cases := []struct {
		name     string
		status   int
		attempts int
		call     func(c *accounts.Client) error
	}{
		{"GET 500, retried three times", 500, 4, func(c *accounts.Client) error { _, err := c.UserConfig.Get(context.Background()); return err }},
		{"POST 500, not retried", 500, 1, increment},
		{"GET 503, retried three times", 503, 4, func(c *accounts.Client) error {
			_, err := c.Workspaces.List(context.Background(), workspaces.Where(workspaces.Search("x")))
			return err
		}},
		{"POST 400", 400, 1, increment},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var read atomic.Int64
			var closed, sent atomic.Int32
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				sent.Add(1)
				return &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {"application/json"}},
					Body: &endlessBody{left: size, read: &read, closed: &closed}, ContentLength: -1, Request: req}, nil
			})
			c, err := accounts.NewClient(accounts.WithBaseURL(testBase), accounts.WithAPIKey(testKey),
				accounts.WithHTTPClient(&http.Client{Transport: mt}), accounts.WithRetryPolicy(fastRetries))
			if err != nil {
				t.Fatal(err)
			}
			err = tc.call(c)
			var apiErr *accounts.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Fatalf("err = %v, want an *accounts.Error with status %d", err, tc.status)
			}
			if len(apiErr.Body) != maxErrorBody {
				t.Errorf("kept %d bytes of the body, want %d", len(apiErr.Body), maxErrorBody)
			}
			if n := int(sent.Load()); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			// Each discarded attempt costs at most the drain; the last one the
			// bound plus the drain.
			if n, limit := read.Load(), int64(maxErrorBody+tc.attempts*drain); n > limit {
				t.Errorf("read %d bytes of %d answers of %d, want at most %d", n, tc.attempts, size, limit)
			}
			if int(closed.Load()) != tc.attempts {
				t.Errorf("closed %d of %d bodies", closed.Load(), tc.attempts)
			}
			if len(err.Error()) > 1024 {
				t.Errorf("error message of %d bytes", len(err.Error()))
			}
		})
	}
}

func TestListAnswersOfUnexpectedShapeAreErrors(t *testing.T) {
	ws := `{"workspace_id":1,"workspace_name":"W","id":1,"name":"W","type":"active","member_count":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}`
	ctx := context.Background()
	type call func(c *accounts.Client) (items int, err error)
	list := func(c *accounts.Client) (int, error) {
		p, err := c.Workspaces.List(ctx, nil)
		if p != nil {
			return len(p.Results), err
		}
		return 0, err
	}
	all := func(c *accounts.Client) (int, error) {
		n := 0
		for _, err := range c.Workspaces.All(ctx, nil) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	memberships := func(c *accounts.Client) (int, error) {
		p, err := c.Workspaces.ListMemberships(ctx, nil)
		if p != nil {
			return len(p.Results), err
		}
		return 0, err
	}
	countriesAll := func(c *accounts.Client) (int, error) {
		n := 0
		for _, err := range c.Countries.All(ctx, nil) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	orgs := func(c *accounts.Client) (int, error) {
		p, err := c.Organizations.List(ctx, nil)
		if p != nil {
			return len(p.Results), err
		}
		return 0, err
	}
	cases := []struct {
		name string
		url  string
		body string
		call call
		want string
	}{
		{"count a word", "accounts/workspaces", `{"count":"ten","next":null,"previous":null,"results":[` + ws + `]}`, list, "cannot unmarshal"},
		{"results an object", "accounts/workspaces", `{"count":1,"next":null,"previous":null,"results":` + ws + `}`, list, "cannot unmarshal"},
		{"results a string", "accounts/workspaces", `{"count":1,"next":null,"previous":null,"results":"[]"}`, all, "cannot unmarshal"},
		{"results missing", "accounts/workspaces", `{"count":1,"next":null,"previous":null,"data":[` + ws + `]}`, all, `no "results"`},
		{"item id a word", "accounts/workspaces", `{"count":1,"next":null,"previous":null,"results":[` + strings.Replace(ws, `"workspace_id":1`, `"workspace_id":"one"`, 1) + `]}`, list, "cannot unmarshal"},
		{"item date a number", "accounts/workspaces", `{"count":1,"next":null,"previous":null,"results":[` + strings.Replace(ws, `"2024-01-01T00:00:00Z"`, `5`, 1) + `]}`, all, "not a JSON string"},
		{"second item wrong", "accounts/workspaces", `{"count":2,"next":null,"previous":null,"results":[` + ws + `,{"member_count":[]}]}`, all, "cannot unmarshal"},
		{"next a number", "accounts/workspaces", `{"count":1,"next":2,"previous":null,"results":[` + ws + `]}`, list, "cannot unmarshal"},
		{"memberships an object", "accounts/users/me/workspaces/", `{"workspaces":{"workspace_id":7}}`, memberships, "cannot unmarshal"},
		{"memberships key missing", "accounts/users/me/workspaces/", `{"results":[{"workspace_id":7}]}`, memberships, `no "workspaces"`},
		{"memberships count a word", "accounts/users/me/workspaces/", `{"workspaces":[],"count":"many"}`, memberships, "count"},
		{"countries item a number", "accounts/countries", `[{"name":"Netherlands","alpha_2":"NL"},7]`, countriesAll, "cannot unmarshal"},
		{"countries a number", "accounts/countries", `42`, countriesAll, "must be a JSON array or object"},
		{"organizations uuid a number", "accounts/organizations/", `{"count":1,"next":null,"previous":null,"results":[{"uuid":5,"name":"x","slug":"x"}]}`, orgs, "cannot unmarshal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", "=~^"+testBase+tc.url+`(\?.*)?$`, httpmock.NewStringResponder(200, tc.body))
			n, err := tc.call(c)
			if err == nil {
				t.Fatalf("no error; %d items", n)
			}
			if n != 0 {
				t.Errorf("%d items came with the error", n)
			}
			if !strings.Contains(err.Error(), "decoding the answer") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a decoding error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestBadSecondPageEndsAllWithAnError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "=~^"+testBase+`accounts/workspaces(\?.*)?$`, func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "" {
			return httpmock.NewStringResponse(200, `{"count":20,"next":"`+testBase+`accounts/workspaces?offset=10","previous":null,"results":`+workspaceItems(10)+`}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count":20,"next":null,"previous":null,"results":{"workspace_id":11}}`), nil
	})
	got, err := accounts.Collect(c.Workspaces.All(context.Background(), nil))
	if err == nil || !strings.Contains(err.Error(), "decoding the answer") {
		t.Fatalf("err = %v after %d items; a bad second page must not end the list quietly", err, len(got))
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestUnparseableLinksAreNotQuoted: a next link or a redirect Location that
// does not parse is an error, and the error quotes neither its query string
// nor anything after it (a session id, an email).
func TestUnparseableLinksAreNotQuoted(t *testing.T) {
	var base string
	home := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/api/accounts/workspaces":
			fmt.Fprintf(w, `{"count":5,"next":"%s/api/accounts/workspaces?search=ana%%40example.com&session=SECRET-1\u0000","previous":null,"results":%s}`, base, workspaceItems(1))
		case "/api/accounts/countries/NL":
			w.Header().Set("Location", "/api/%zz?email=ana@example.com&session=SECRET-2")
			w.WriteHeader(http.StatusFound)
		default:
			http.Error(w, "unexpected", http.StatusTeapot)
		}
	})
	base = home.URL
	c, err := accounts.NewClient(accounts.WithBaseURL(home.URL+"/api/"), accounts.WithAPIKey(hostileKey), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	_, err = accounts.Collect(c.Workspaces.All(context.Background(), nil))
	if err == nil || !strings.Contains(err.Error(), "unreadable next link") || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "example.com") {
		t.Errorf("next link: err = %v", err)
	}
	_, err = c.Countries.Get(context.Background(), "NL")
	if err == nil || !strings.Contains(err.Error(), "Location") || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "example.com") {
		t.Errorf("redirect: err = %v", err)
	}
}

// TestRedirectsThatWouldMisleadAreRefusedOnce: a POST redirected with 302 on
// the same host would reach the target as a GET (net/http changes the method)
// and report success for an act never done; a redirect loop never ends. Both
// are a *RedirectError, on the first attempt, never retried.
func TestRedirectsThatWouldMisleadAreRefusedOnce(t *testing.T) {
	home := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/api/accounts/organizations/3f1c0a52-7b8e-4c1d-9a6e-2b5d8c9e0f11/increment/":
			http.Redirect(w, r, "/api/accounts/organizations/3f1c0a52-7b8e-4c1d-9a6e-2b5d8c9e0f11/", http.StatusFound)
		case "/api/accounts/countries/NL":
			http.Redirect(w, r, "/api/accounts/countries/NL", http.StatusFound) // itself, forever
		default:
			_, _ = io.WriteString(w, `{"uuid":"3f1c0a52-7b8e-4c1d-9a6e-2b5d8c9e0f11","name":"x","slug":"x"}`)
		}
	})
	c, err := accounts.NewClient(accounts.WithBaseURL(home.URL+"/api/"), accounts.WithAPIKey(hostileKey), accounts.WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	var re *accounts.RedirectError
	_, err = c.Organizations.Increment(context.Background(), "3f1c0a52-7b8e-4c1d-9a6e-2b5d8c9e0f11", 1)
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "POST into a GET") {
		t.Fatalf("POST redirected with 302: err = %v, want a RedirectError", err)
	}
	if paths, _ := home.seen(); len(paths) != 1 {
		t.Errorf("requests %v, want only the POST", paths)
	}

	_, err = c.Countries.Get(context.Background(), "NL")
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "stopped after 10 redirects") {
		t.Fatalf("redirect loop: err = %v, want a RedirectError", err)
	}
	if paths, _ := home.seen(); len(paths) != 1+10 {
		t.Errorf("%d requests in all, want the POST, then the GET and the 9 redirects one attempt follows", len(paths))
	}
}
