package accounts_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
	"github.com/coolset-go/sdk/workspaces"
)

// swapToken stands between the SDK and accountstest: it records every URL the
// SDK sends to and, when swap is set, replaces the canary token with one the
// server knows, so that calls succeed.
type swapToken struct {
	canary, real string
	swap         bool
	mu           sync.Mutex
	urls         []string
}

func (s *swapToken) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.urls = append(s.urls, req.URL.String())
	s.mu.Unlock()
	if s.swap && req.Header.Get("Authorization") == "Bearer "+s.canary {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+s.real)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// everyOperation calls each operation of endpoints.Operations once (the
// comments give their numbers), plus calls the SDK refuses before sending,
// and returns every error. TestCanaryCoversEveryOperation fails when an
// operation of the table is missing here.
func everyOperation(ctx context.Context, c *accounts.Client, srv *accountstest.Server) []error {
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	drain := func(err error) { keep(err) }
	org := srv.Organizations()[0].UUID
	member := srv.UsersOfWorkspace(1)[5].UUID

	_, err := c.Countries.List(ctx, nil) // 1
	keep(err)
	_, err = c.Countries.Get(ctx, "NL") // 2
	keep(err)
	_, err = c.UserConfig.Get(ctx) // 3
	keep(err)
	_, err = c.UserConfig.Patch(ctx, &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(true)}) // 4
	keep(err)
	_, err = c.Workspaces.List(ctx, workspaces.Where(workspaces.Name.IContains("green"))) // 5
	keep(err)
	sent, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "canary@example.com", AuthGroup: accountstest.GroupMember}) // 6
	keep(err)
	if sent != nil {
		_, err = c.Invitations.Status(ctx, sent.ID) // 7
		keep(err)
	}
	_, err = c.Users.List(ctx, &users.ListOptions{Search: "a", LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5)}}) // 8
	keep(err)
	_, err = c.Users.Me(ctx) // 9
	keep(err)
	_, err = c.Users.Current(ctx) // 10
	keep(err)
	_, err = c.Workspaces.ListMemberships(ctx, nil) // 11
	keep(err)
	_, err = c.Workspaces.Switch(ctx, 1) // 12
	keep(err)
	_, err = c.Analysts.List(ctx, nil) // 13
	keep(err)
	_, err = c.Analysts.Me(ctx) // 14
	keep(err)
	_, err = c.Analysts.PatchMe(ctx, &accounts.AnalystPatchRequest{ConsentGiven: accounts.Ptr(true)}) // 15
	keep(err)
	_, err = c.Groups.List(ctx, nil) // 16
	keep(err)
	_, err = c.Invitations.List(ctx, nil) // 17
	keep(err)
	inv, err := c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "canary@example.com"}) // 18
	keep(err)
	if inv != nil {
		_, err = c.Invitations.Get(ctx, inv.UUID) // 19
		keep(err)
		_, err = c.Invitations.Resend(ctx, inv.UUID) // 20
		keep(err)
		keep(c.Invitations.Revoke(ctx, inv.UUID)) // 21
	}
	_, err = c.LoginURL(ctx, "owner@accountstest.invalid") // 22
	keep(err)
	_, err = c.Organizations.List(ctx, nil) // 23
	keep(err)
	created, err := c.Organizations.Create(ctx, &organizations.CreateRequest{Name: "Canary", Slug: "canary"}) // 24
	keep(err)
	_, err = c.Organizations.Get(ctx, org) // 25
	keep(err)
	_, err = c.Organizations.Update(ctx, org, &organizations.UpdateRequest{Name: "Canary Two", Slug: "canary-two"}) // 26
	keep(err)
	_, err = c.Organizations.Patch(ctx, org, &organizations.PatchRequest{Name: accounts.Ptr("Canary Three")}) // 27
	keep(err)
	if created != nil {
		keep(c.Organizations.Delete(ctx, created.UUID)) // 28
	}
	_, err = c.Organizations.Increment(ctx, org, 1) // 29
	keep(err)
	_, err = c.Portal(ctx) // 30
	keep(err)
	u, err := c.Users.Create(ctx, &users.CreateRequest{Email: "canary.user@example.com"}) // 31
	keep(err)
	_, err = c.Users.Get(ctx, member) // 32
	keep(err)
	_, err = c.Users.Update(ctx, member, &users.UpdateRequest{Email: "renamed@example.com"}) // 33
	keep(err)
	_, err = c.Users.Patch(ctx, member, &users.PatchRequest{LastName: accounts.Ptr("Canary")}) // 34
	keep(err)
	if u != nil {
		keep(c.Users.Delete(ctx, u.UUID)) // 35
	}
	// Failing calls: refused input, a server refusal, a missing resource.
	_, err = c.Organizations.Get(ctx, "../secret")
	keep(err)
	_, err = c.Invitations.Send(ctx, &invitations.SendRequest{Email: "boss@example.com", AuthGroup: accountstest.GroupOwner})
	keep(err)
	_, err = c.Countries.Get(ctx, "XX")
	keep(err)
	for _, err := range c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(400)}}) {
		drain(err)
	}
	return errs
}

func TestTokenNeverLeaks(t *testing.T) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	canary := "canary-" + hex.EncodeToString(b[:])

	for _, tc := range []struct {
		name string
		swap bool // calls succeed (the server sees its own token) or all fail with 401
	}{{"calls that succeed, under faults", true}, {"calls the server refuses", false}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := accountstest.NewServer(accountstest.WithFaults(accountstest.Faults{Rate: 0.15, Seed: 3}))
			t.Cleanup(srv.Close)
			var logs bytes.Buffer
			rt := &swapToken{canary: canary, real: accountstest.OwnerToken, swap: tc.swap}
			c, err := accounts.NewClient(
				accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(canary), accounts.WithRetryPolicy(fastRetries),
				accounts.WithHTTPClient(&http.Client{Transport: rt}),
				accounts.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
			)
			if err != nil {
				t.Fatal(err)
			}
			errs := everyOperation(context.Background(), c, srv)

			leaks := 0
			check := func(where, s string) {
				if strings.Contains(s, canary) || strings.Contains(s, canary[7:]) {
					leaks++
					t.Errorf("the token appears in %s", where) // never print s itself
				}
			}
			for i, err := range errs {
				check(fmt.Sprintf("error %d", i), err.Error())
				check(fmt.Sprintf("error %d (%%+v)", i), fmt.Sprintf("%+v", err))
				check(fmt.Sprintf("error %d (%%#v)", i), fmt.Sprintf("%#v", err))
			}
			for _, line := range strings.Split(logs.String(), "\n") {
				check("a log line", line)
			}
			for _, u := range rt.urls {
				check("a request URL", u)
			}
			for _, r := range srv.Requests() {
				check("a URL the server received", r.Path+"?"+r.RawQuery)
			}
			lines := strings.Count(logs.String(), "\n")
			if len(rt.urls) < 30 || lines < 30 || len(errs) < 3 {
				t.Fatalf("too little happened to prove anything: %d requests, %d log lines, %d errors", len(rt.urls), lines, len(errs))
			}
			t.Logf("%d requests, %d log lines, %d errors, %d faults injected: no trace of the token", len(rt.urls), lines, len(errs), srv.FaultCounts().Total())
		})
	}
}

// answered records, by operation number, the operations that were answered
// with a status below 400.
type answered struct {
	base string // the client's base URL
	next http.RoundTripper
	mu   sync.Mutex
	ok   map[int]bool
}

func (a *answered) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	if err != nil || resp.StatusCode >= 400 {
		return resp, err
	}
	rel, _ := strings.CutPrefix(req.URL.String(), a.base)
	rel, _, _ = strings.Cut(rel, "?")
	if op, _, found := endpoints.Match(req.Method, rel); found {
		a.mu.Lock()
		a.ok[op.N] = true
		a.mu.Unlock()
	}
	return resp, nil
}

// TestCanaryCoversEveryOperation checks that everyOperation, the calls
// TestTokenNeverLeaks watches, makes every operation of endpoints.Operations
// with a successful answer, each exchange validated against openapi.yaml:
// so one line in everyOperation is a new operation's contract check too.
func TestCanaryCoversEveryOperation(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	rec := &answered{base: srv.URL(), next: contractHTTPClient(t, srv.URL()).Transport, ok: map[int]bool{}}
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken),
		accounts.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	everyOperation(context.Background(), c, srv)
	for _, op := range endpoints.Operations {
		if !rec.ok[op.N] {
			t.Errorf("operation %d (%s) is not made, with a successful answer, by everyOperation", op.N, op)
		}
	}
}
