package accounts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

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
	country, page := []byte(benchCountry), []byte(benchWorkspacesPage())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/accounts/countries/NL", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(country)
	})
	mux.HandleFunc("GET /api/accounts/workspaces", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	})
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
// made and decoded by hand.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		rc := newRawClient(newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			var c countries.Country
			if err := rc.get(ctx, "accounts/countries/NL", &c); err != nil || c.Alpha2 != "NL" {
				b.Fatal(err, c.Alpha2)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		client := benchClient(b, newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			c, err := client.Countries.Get(ctx, "NL")
			if err != nil || c.Alpha2 != "NL" {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkList compares one page of 100 workspaces listed by the SDK with the
// same request made and decoded by hand.
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		rc := newRawClient(newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			var p struct {
				Count    *int                   `json:"count"`
				Next     *string                `json:"next"`
				Previous *string                `json:"previous"`
				Results  []workspaces.Workspace `json:"results"`
			}
			if err := rc.get(ctx, "accounts/workspaces", &p); err != nil || len(p.Results) != 100 {
				b.Fatal(err, len(p.Results))
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		client := benchClient(b, newBenchServer(b))
		b.ReportAllocs()
		for b.Loop() {
			p, err := client.Workspaces.List(ctx, nil)
			if err != nil || len(p.Results) != 100 {
				b.Fatal(err)
			}
		}
	})
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
