package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/workspaces"
)

// retryableFaults are the faults the retry policy recovers from on a GET:
// all but 500, which the policy never retries.
var retryableFaults = []accountstest.Fault{
	accountstest.Fault502, accountstest.Fault503, accountstest.Fault503RetryAfter, accountstest.Fault429,
	accountstest.FaultDropBeforeRead, accountstest.FaultDropAfterRead, accountstest.FaultTruncate,
}

func TestFaultsListEveryWorkspaceOnceInOrder(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			srv := accountstest.NewServer()
			t.Cleanup(srv.Close)
			// More retries than the default: at a 20% fault rate, four faults
			// in a row on one page are likely somewhere in a long walk.
			c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken),
				accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: 8, MinWait: fastRetries.MinWait, MaxWait: fastRetries.MaxWait}))
			if err != nil {
				t.Fatal(err)
			}
			srv.SetFaults(accountstest.Faults{Rate: 0.2, Kinds: retryableFaults, Seed: seed})
			var got []int
			for ws, err := range c.Workspaces.All(context.Background(), &workspaces.ListOptions{Limit: accounts.Ptr(10)}) {
				if err != nil {
					t.Fatalf("after %d workspaces: %v", len(got), err)
				}
				got = append(got, ws.ID)
			}
			want := srv.Workspaces()
			if len(got) != len(want) {
				t.Fatalf("got %d workspaces, want %d", len(got), len(want))
			}
			for i, id := range got {
				if id != want[i].ID {
					t.Fatalf("workspace %d is %d, want %d", i, id, want[i].ID)
				}
			}
			fc := srv.FaultCounts()
			if fc.Total() == 0 {
				t.Fatal("no fault was injected; the test proves nothing")
			}
			t.Logf("items %d, pages %d, attempts %d, faults %d (%s), retries %d",
				len(got), len(want)/10, fc.Requests, fc.Total(), describe(fc), fc.Requests-len(want)/10)
		})
	}
}

func TestFaultsInvitationsAreNeverDuplicated(t *testing.T) {
	const n = 150
	c, srv := newServerClient(t, accountstest.OwnerToken)
	srv.SetFaults(accountstest.Faults{Rate: 0.2, Seed: 7}) // every kind of fault
	ctx := context.Background()
	sent := map[string]string{} // email -> invitation id
	failures := map[string]int{}
	for i := range n {
		email := fmt.Sprintf("invitee%03d@example.com", i)
		inv, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: email, AuthGroup: accountstest.GroupMember})
		if err != nil {
			var apiErr *accounts.Error
			switch {
			case errors.As(err, &apiErr) && apiErr.StatusCode < 500 && apiErr.StatusCode != 429:
				// A 4xx other than 429 would mean the SDK sent the
				// invitation twice and the server refused the copy.
				t.Errorf("%s: %v", email, err)
			case errors.As(err, &apiErr):
				failures[fmt.Sprint(apiErr.StatusCode)]++
			default:
				failures["transport or decoding"]++
			}
			if !strings.Contains(err.Error(), "accounts/invitations/") && !errors.As(err, &apiErr) {
				t.Errorf("the failure does not name the call: %v", err)
			}
			continue
		}
		sent[email] = inv.ID
	}
	onServer := map[string]int{}
	for _, inv := range srv.EmailInvitations() {
		onServer[inv.Email]++
	}
	for email, k := range onServer {
		if k > 1 {
			t.Errorf("%s invited %d times", email, k)
		}
	}
	for email, id := range sent {
		if onServer[email] != 1 {
			t.Errorf("%s reported sent (%s) but not on the server", email, id)
		}
	}
	reported := 0
	for _, k := range failures {
		reported += k
	}
	if len(sent)+reported != n || len(onServer) > n || len(onServer) < len(sent) {
		t.Errorf("sent %d + failed %d != %d, server holds %d", len(sent), reported, n, len(onServer))
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	fc := srv.FaultCounts()
	if fc.Total() == 0 || reported == 0 {
		t.Fatal("no fault was injected or none failed; the test proves nothing")
	}
	t.Logf("invitations %d: succeeded %d, failed %d %v; on the server %d (created but unreported: %d); attempts %d, retries %d; faults %d (%s)",
		n, len(sent), reported, failures, len(onServer), len(onServer)-len(sent), posts, posts-n, fc.Total(), describe(fc))
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
			for _, err := range c.Workspaces.All(context.Background(), &workspaces.ListOptions{Limit: accounts.Ptr(100)}) {
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
		_, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "cut@example.com", AuthGroup: accountstest.GroupMember})
		if err == nil || !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), "may have acted") {
			t.Fatalf("err = %v, want the cut answer reported", err)
		}
		if n := len(srv.Requests()); n != 1 || len(srv.EmailInvitations()) != 1 {
			t.Errorf("%d requests, %d invitations; want one of each", n, len(srv.EmailInvitations()))
		}
	})
}
