package accounts_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/workspaces"
)

// benchCountry is the body of the one-object benchmarks.
const benchCountry = `{"name":"Netherlands","alpha_2":"NL","alpha_3":"NLD","numeric":"528","official_name":"Kingdom of the Netherlands","flag":"🇳🇱"}`

// benchWorkspacesPage renders a {count, next, previous, results} page of 100
// workspaces, the list benchmarks' body.
func benchWorkspacesPage() string {
	var b strings.Builder
	b.WriteString(`{"count":100,"next":null,"previous":null,"results":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"workspace_id":%d,"workspace_name":"Workspace %d","workspace_logo":"https://cdn.example.com/logos/%d.png",`+
			`"id":%d,"name":"Workspace %d","logo":null,"type":"active","country":"NL","member_count":%d,`+
			`"is_mfa_enabled":true,"created_at":"2019-08-24T14:15:22Z","updated_at":"2024-03-05T10:11:12.123456Z"}`, i, i, i, i, i, i%40)
	}
	b.WriteString(`]}`)
	return b.String()
}

// benchServer is a loopback server answering the country and the workspace
// page, and counting the connections it accepted.
type benchServer struct {
	*httptest.Server
	newConns atomic.Int64
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	mux := http.NewServeMux()
	for path, body := range map[string][]byte{
		"GET /api/accounts/countries/NL": []byte(benchCountry),
		"GET /api/accounts/workspaces":   []byte(benchWorkspacesPage()),
	} {
		length := strconv.Itoa(len(body))
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{"application/json"}
			w.Header()["Content-Length"] = []string{length}
			_, _ = w.Write(body)
		})
	}
	s := &benchServer{}
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	b.Cleanup(s.Close)
	return s
}

func benchClient(b *testing.B, s *benchServer) *accounts.Client {
	b.Helper()
	c, err := accounts.NewClient(accounts.WithBaseURL(s.URL+"/api/"), accounts.WithAPIKey("bench-key"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// rawClient is the baseline: plain net/http with a pooled transport like the
// SDK's, the same headers, and encoding/json decoding the body.
type rawClient struct {
	hc   *http.Client
	base string
}

func newRawClient(s *benchServer) *rawClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return &rawClient{hc: &http.Client{Transport: t}, base: s.URL + "/api/"}
}

func (c *rawClient) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer bench-key")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// BenchmarkGet compares one object fetched by the SDK with the same request
// made and decoded by hand. B/op and allocs/op count the whole process, the
// loopback server's share included; the server sub-benchmark measures that
// share alone. interleaved takes turns, call by call on one server, between
// three clients (hand-written net/http, the same bounding each request with
// context.WithTimeout as the SDK bounds each attempt, and the SDK) and reports
// their times and ratios, which background load on the machine skews less
// than separate runs.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	const path = "accounts/countries/NL"
	rawGet := func(ctx context.Context, rc *rawClient) error {
		var c countries.Country
		if err := rc.get(ctx, path, &c); err != nil {
			return err
		}
		if c.Alpha2 != "NL" {
			return errors.New("wrong country")
		}
		return nil
	}
	sdkGet := func(client *accounts.Client) error {
		c, err := client.Countries.Get(ctx, "NL")
		if err == nil && c.Alpha2 != "NL" {
			err = errors.New("wrong country")
		}
		return err
	}
	benchPair(b, path, rawGet, sdkGet)

	// With a context whose deadline comes before the attempt deadline, the
	// SDK needs no deadline of its own: what the per-attempt deadline costs.
	b.Run("sdk-caller-deadline", func(b *testing.B) {
		s := newBenchServer(b)
		client := benchClient(b, s)
		dctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		for b.Loop() {
			if c, err := client.Countries.Get(dctx, "NL"); err != nil || c.Alpha2 != "NL" {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkList compares one page of 100 workspaces listed by the SDK with the
// same request made and decoded by hand; its sub-benchmarks are BenchmarkGet's.
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	const path = "accounts/workspaces"
	rawList := func(ctx context.Context, rc *rawClient) error {
		var p struct {
			Count    *int                   `json:"count"`
			Next     *string                `json:"next"`
			Previous *string                `json:"previous"`
			Results  []workspaces.Workspace `json:"results"`
		}
		if err := rc.get(ctx, path, &p); err != nil {
			return err
		}
		if len(p.Results) != 100 {
			return errors.New("wrong page")
		}
		return nil
	}
	sdkList := func(client *accounts.Client) error {
		p, err := client.Workspaces.List(ctx, nil)
		if err == nil && len(p.Results) != 100 {
			err = errors.New("wrong page")
		}
		return err
	}
	benchPair(b, path, rawList, sdkList)
}

// benchPair runs the raw, sdk, server and interleaved sub-benchmarks of one
// request. raw makes the request by hand under the context it is given.
func benchPair(b *testing.B, path string, raw func(context.Context, *rawClient) error, sdk func(*accounts.Client) error) {
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		rc := newRawClient(newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			if err := raw(ctx, rc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		client := benchClient(b, newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			if err := sdk(client); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("server", func(b *testing.B) {
		wc, err := newWireClient(newBenchServer(b), path)
		if err != nil {
			b.Fatal(err)
		}
		defer wc.conn.Close()
		b.ReportAllocs()
		for b.Loop() {
			if err := wc.roundTrip(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("interleaved", func(b *testing.B) {
		s := newBenchServer(b)
		// Each client has its own connections; bounded is a second
		// hand-written client that gives every request the deadline the
		// SDK gives every attempt, so that what bounding a request costs
		// net/http is told apart from what the SDK adds.
		rc, bounded, client := newRawClient(s), newRawClient(s), benchClient(b, s)
		turns := []func() error{
			func() error { return raw(ctx, rc) },
			func() error {
				bctx, cancel := context.WithTimeout(ctx, accounts.DefaultAttemptTimeout)
				defer cancel()
				return raw(bctx, bounded)
			},
			func() error { return sdk(client) },
		}
		spent := interleave(b, turns)
		tRaw, tBounded, tSDK := spent[0], spent[1], spent[2]
		b.ReportMetric(float64(tRaw.Nanoseconds())/float64(b.N), "raw-ns/call")
		b.ReportMetric(float64(tSDK.Nanoseconds())/float64(b.N), "sdk-ns/call")
		b.ReportMetric(float64(tSDK)/float64(tRaw), "sdk/raw")
		b.ReportMetric(float64(tBounded)/float64(tRaw), "bounded/raw")
		b.ReportMetric(float64(tSDK)/float64(tBounded), "sdk/bounded")
	})
}

// interleave calls each of turns once per iteration, the first turn of each
// iteration going first, second, third... in rotation, and returns the time
// each turn spent in all.
func interleave(b *testing.B, turns []func() error) []time.Duration {
	spent := make([]time.Duration, len(turns))
	i := 0
	for b.Loop() {
		i++
		for turn := range turns {
			k := (i + turn) % len(turns)
			start := time.Now()
			err := turns[k]()
			spent[k] += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	return spent
}

// BenchmarkBounding measures what bounding a request costs net/http itself,
// with no SDK code: four hand-written clients take turns as in
// BenchmarkGet/interleaved, one plain, one giving each request a context
// that can be cancelled (context.WithCancel), one a context with a deadline
// (context.WithTimeout, as the SDK bounds each attempt), and one running a
// timer beside the request without giving it a context. Each ratio is
// against the plain client.
func BenchmarkBounding(b *testing.B) {
	ctx := context.Background()
	s := newBenchServer(b)
	get := func(ctx context.Context, rc *rawClient) error {
		var c countries.Country
		return rc.get(ctx, "accounts/countries/NL", &c)
	}
	plain, cancellable, deadline, timer := newRawClient(s), newRawClient(s), newRawClient(s), newRawClient(s)
	spent := interleave(b, []func() error{
		func() error { return get(ctx, plain) },
		func() error {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			return get(cctx, cancellable)
		},
		func() error {
			dctx, cancel := context.WithTimeout(ctx, accounts.DefaultAttemptTimeout)
			defer cancel()
			return get(dctx, deadline)
		},
		func() error {
			t := time.AfterFunc(accounts.DefaultAttemptTimeout, func() {})
			defer t.Stop()
			return get(ctx, timer)
		},
	})
	b.ReportMetric(float64(spent[1])/float64(spent[0]), "cancellable/plain")
	b.ReportMetric(float64(spent[2])/float64(spent[0]), "deadline/plain")
	b.ReportMetric(float64(spent[3])/float64(spent[0]), "timer/plain")
}

// wireClient sends one fixed HTTP/1.1 request over a kept-alive connection and
// reads the answer into reused buffers, allocating almost nothing itself, so
// that its allocations are the server's.
type wireClient struct {
	conn net.Conn
	br   *bufio.Reader
	req  []byte
	body []byte
}

func newWireClient(s *benchServer, path string) (*wireClient, error) {
	conn, err := net.Dial("tcp", s.Listener.Addr().String())
	if err != nil {
		return nil, err
	}
	req := "GET /api/" + path + " HTTP/1.1\r\nHost: " + s.Listener.Addr().String() +
		"\r\nAccept: application/json\r\nAuthorization: Bearer bench-key\r\nUser-Agent: bench\r\n\r\n"
	return &wireClient{conn: conn, br: bufio.NewReaderSize(conn, 64<<10), req: []byte(req), body: make([]byte, 0, 64<<10)}, nil
}

func (c *wireClient) roundTrip() error {
	if _, err := c.conn.Write(c.req); err != nil {
		return err
	}
	length := -1
	for first := true; ; first = false {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if first {
			if !bytes.HasPrefix(line, []byte("HTTP/1.1 200")) {
				return fmt.Errorf("status line %q", line)
			}
			continue
		}
		if len(line) == 0 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("no Content-Length")
	}
	_, err := io.ReadFull(c.br, c.body[:length])
	return err
}

// BenchmarkConnectionReuse makes 1,000 sequential calls (a Get and a List in
// turn) per iteration and reports how many connections the server accepted in
// all: 1 means every call reused the first connection.
func BenchmarkConnectionReuse(b *testing.B) {
	ctx := context.Background()
	s := newBenchServer(b)
	client := benchClient(b, s)
	for b.Loop() {
		for i := range 1000 {
			var err error
			if i%2 == 0 {
				_, err = client.Countries.Get(ctx, "NL")
			} else {
				_, err = client.Workspaces.List(ctx, nil)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(s.newConns.Load()), "new-conns")
}
