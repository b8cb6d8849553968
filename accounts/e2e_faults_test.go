package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/workspaces"
)

// walkWorkspaces lists every workspace of srv through a client with the
// SDK's default settings, and reports whether the walk yielded every
// workspace once, in order; err is the walk's error.
func walkWorkspaces(c *accounts.Client, srv *accountstest.Server, opts *workspaces.ListOptions) (complete bool, err error) {
	var got []int
	for ws, err := range c.Workspaces.All(context.Background(), opts) {
		if err != nil {
			return false, err
		}
		got = append(got, ws.ID)
	}
	want := srv.Workspaces()
	if len(got) != len(want) {
		return false, fmt.Errorf("got %d workspaces, want %d", len(got), len(want))
	}
	for i, id := range got {
		if id != want[i].ID {
			return false, fmt.Errorf("workspace %d is %d, want %d", i, id, want[i].ID)
		}
	}
	return true, nil
}

// TestFaultsListEveryWorkspaceOnceInOrder: with every kind of fault the fake
// injects by default, and the SDK's default policy, a walk yields every
// workspace once, in order.
func TestFaultsListEveryWorkspaceOnceInOrder(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			srv := accountstest.NewServer(accountstest.WithFaults(accountstest.Faults{Rate: 0.2, Seed: seed}))
			t.Cleanup(srv.Close)
			c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := walkWorkspaces(c, srv, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10)}}); err != nil {
				t.Fatal(err)
			}
			fc := srv.FaultCounts()
			if fc.Total() == 0 {
				t.Fatal("no fault was injected; the test proves nothing")
			}
			t.Logf("attempts %d, faults %d (%s)", fc.Requests, fc.Total(), describe(fc))
		})
	}
}

// TestFaultsWalksSurviveAFailingServer is the retry policy's sizing: 100
// seeded walks of 25 pages (2,500 workspaces, pages of 100) through a server
// that fails 20% of requests, half with 503 and Retry-After: 0, half with
// Django's HTML 500 page, with the client's defaults. At least 99 must
// complete; the figure at 30% is reported (the README quotes both).
func TestFaultsWalksSurviveAFailingServer(t *testing.T) {
	if testing.Short() {
		t.Skip("200 walks of 25 pages with real backoff waits; run without -short")
	}
	for _, tc := range []struct {
		rate    float64
		atLeast int
	}{{0.2, 99}, {0.3, 90}} {
		t.Run(fmt.Sprintf("%.0f%%", tc.rate*100), func(t *testing.T) {
			t.Parallel()
			const trials = 100
			var complete, faults, requests atomic.Int32
			var firstErr sync.Once
			sem := make(chan struct{}, 50)
			var wg sync.WaitGroup
			for seed := range int64(trials) {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					srv := accountstest.NewServer(accountstest.WithWorkspaceCount(2500), accountstest.WithFaults(accountstest.Faults{
						Rate: tc.rate, Seed: seed + 1, RetryAfter: 0,
						Kinds: []accountstest.Fault{accountstest.Fault503RetryAfter, accountstest.Fault500},
					}))
					defer srv.Close()
					c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
					if err != nil {
						t.Error(err)
						return
					}
					defer c.CloseIdleConnections()
					ok, err := walkWorkspaces(c, srv, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(100)}})
					if ok {
						complete.Add(1)
					} else {
						firstErr.Do(func() { t.Logf("seed %d: %v", seed+1, err) })
					}
					fc := srv.FaultCounts()
					faults.Add(int32(fc.Total()))
					requests.Add(int32(fc.Requests))
				}()
			}
			wg.Wait()
			t.Logf("%.0f%% faults: %d of %d walks complete; %d requests, %d faults", tc.rate*100, complete.Load(), trials, requests.Load(), faults.Load())
			if n := int(complete.Load()); n < tc.atLeast {
				t.Errorf("%d of %d walks complete, want at least %d", n, trials, tc.atLeast)
			}
			if faults.Load() == 0 {
				t.Error("no fault was injected; the test proves nothing")
			}
		})
	}
}

// A page that stays broken through every retry is an error after the pages
// before it, never a short list.
func TestFaultsBrokenPagesAreErrors(t *testing.T) {
	for _, kind := range []accountstest.Fault{accountstest.FaultTruncate, accountstest.Fault500} {
		t.Run(kind.String(), func(t *testing.T) {
			c, srv := newServerClient(t, accountstest.OwnerToken)
			srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{kind}, Only: func(r *http.Request) bool {
				return r.URL.Query().Get("offset") == "200"
			}})
			n := 0
			var last error
			for _, err := range c.Workspaces.All(context.Background(), &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(100)}}) {
				if err != nil {
					last = err
					break
				}
				n++
			}
			if last == nil || n != 200 {
				t.Fatalf("got %d workspaces and err %v; want the first two pages then an error", n, last)
			}
			t.Logf("%d items, then: %v", n, last)
		})
	}
}

func TestFaultsMalformedBodyIsAnError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.test/api/accounts/workspaces", func(*http.Request) (*http.Response, error) {
		return answer(200, `{"count":3,"next":null,"previous":null,"results":[{"id":1},{"id":"two"}]}`), nil
	})
	got, err := accounts.Collect(c.Workspaces.All(context.Background(), nil))
	if err == nil || len(got) != 0 {
		t.Fatalf("got %d workspaces, err %v; want an error and no items from the broken page", len(got), err)
	}
}

// describe lists the faults injected, by kind.
func describe(fc accountstest.FaultCounts) string {
	var parts []string
	for k, v := range fc.Injected {
		parts = append(parts, fmt.Sprintf("%s: %d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// firstOnly returns a fault filter that picks the first request matching
// method and path, and no other.
func firstOnly(method, path string) func(*http.Request) bool {
	var mu sync.Mutex
	done := false
	return func(r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if done || r.Method != method || r.URL.Path != path {
			return false
		}
		done = true
		return true
	}
}

// The SDK's own transport sees a cut answer only when it decodes the body;
// these clients talk to the server directly (no contract-checking transport,
// which reads answers whole).
func TestFaultsCutShortAnswers(t *testing.T) {
	truncate := []accountstest.Fault{accountstest.FaultTruncate}
	plainClient := func(t *testing.T) (*accounts.Client, *accountstest.Server) {
		srv := accountstest.NewServer()
		t.Cleanup(srv.Close)
		c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken), accounts.WithRetryPolicy(fastRetries))
		if err != nil {
			t.Fatal(err)
		}
		return c, srv
	}
	t.Run("a GET is repeated", func(t *testing.T) {
		c, srv := plainClient(t)
		srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: truncate, Only: firstOnly("GET", "/api/accounts/countries/NL")})
		nl, err := c.Countries.Get(context.Background(), "NL")
		if err != nil || nl.Alpha3 != "NLD" {
			t.Fatalf("get = %+v, %v", nl, err)
		}
		if n := len(srv.Requests()); n != 2 || srv.FaultCounts().Injected[accountstest.FaultTruncate] != 1 {
			t.Errorf("%d requests, faults %+v; want the cut answer and one repeat", n, srv.FaultCounts())
		}
	})
	t.Run("a POST is not", func(t *testing.T) {
		c, srv := plainClient(t)
		srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: truncate, Only: firstOnly("POST", "/api/accounts/invitations/")})
		_, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "cut@example.com", AuthGroup: accountstest.GroupMember},
			accounts.WithoutRecovery())
		if !errors.Is(err, accounts.ErrMayHaveActed) || !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), "may have acted") {
			t.Fatalf("err = %v, want the cut answer reported", err)
		}
		if n := len(srv.Requests()); n != 1 || len(srv.EmailInvitations()) != 1 {
			t.Errorf("%d requests, %d invitations; want one of each", n, len(srv.EmailInvitations()))
		}
	})
	t.Run("a create is recovered", func(t *testing.T) {
		c, srv := plainClient(t)
		srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: truncate, Only: firstOnly("POST", "/api/accounts/invitations/")})
		sent, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "cut@example.com", AuthGroup: accountstest.GroupMember})
		if err != nil || !sent.Recovered || sent.ID != "" || sent.Email != "cut@example.com" {
			t.Fatalf("send = %+v, %v; want it recovered as pending", sent, err)
		}
		if n := len(srv.Requests()); n != 2 || len(srv.EmailInvitations()) != 1 {
			t.Errorf("%d requests, %d invitations; want the send, the refused repeat and one invitation", n, len(srv.EmailInvitations()))
		}
	})
}
