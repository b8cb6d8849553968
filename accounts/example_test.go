package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/workspaces"
)

// exampleClient starts the in-memory server for an example; real programs
// use accounts.NewClient(accounts.WithAPIKey(key)) or accounts.WithEnv().
func exampleClient() (*accounts.Client, func()) {
	srv := accountstest.NewServer()
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

func ExampleNewClient() {
	srv := accountstest.NewServer()
	defer srv.Close()

	client, err := accounts.NewClient(
		accounts.WithBaseURL(srv.URL()),
		accounts.WithAPIKey(accountstest.OwnerToken), // sent as "Authorization: Bearer <key>"
	)
	if err != nil {
		log.Fatal(err)
	}
	nl, err := client.Countries.Get(context.Background(), "NL")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(nl.Name, nl.Alpha3)
	// Output: Netherlands NLD
}

// Gather every workspace that matches typed filters into a slice. Collect
// drains All, which follows the server's pages; use it when the whole list
// fits in memory, and range over All otherwise.
func ExampleCollect() {
	client, done := exampleClient()
	defer done()

	opts := workspaces.Where(
		workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial),
		workspaces.Country.In("NL", "BE"),
	)
	all, err := accounts.Collect(client.Workspaces.All(context.Background(), opts))
	if err != nil {
		log.Fatal(err)
	}
	ok := len(all) > 0
	for _, ws := range all {
		ok = ok && (ws.Type == workspaces.TypeActive || ws.Type == workspaces.TypeTrial) &&
			ws.Country != nil && (*ws.Country == "NL" || *ws.Country == "BE")
	}
	fmt.Println("every workspace matches:", ok)
	// Output: every workspace matches: true
}

// Tell a refused input, caught before sending, from an answer of the server.
func ExampleError() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	_, err := client.Workspaces.List(ctx, workspaces.Where(workspaces.Type.Exact("archived")))
	var inErr *accounts.InputError
	if errors.As(err, &inErr) {
		fmt.Println("refused before sending:", inErr.Field)
	}

	_, err = client.Countries.Get(ctx, "XX")
	var apiErr *accounts.Error
	if errors.As(err, &apiErr) {
		fmt.Println("server said:", apiErr.StatusCode, errors.Is(err, accounts.ErrNotFound))
	}
	// Output:
	// refused before sending: type
	// server said: 404 true
}

func ExampleUserConfigService_Patch() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	cfg, err := client.UserConfig.Patch(ctx, &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Config["stakeholder_agreement_signed"])
	// Output: true
}

// Portal reports the server's redirect instead of following it, so the
// credentials never go to the portal's host; open the Location in a browser.
func ExampleClient_Portal() {
	client, done := exampleClient()
	defer done()

	p, err := client.Portal(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.StatusCode, p.Location)
	// Output: 302 https://portal.accountstest.invalid/session
}

// Test code against a flaky API: accountstest answers a share of requests
// with 5xx and 429 errors, dropped connections and cut-short bodies, chosen
// from a seed so that a run replays. The SDK retries what is safe to retry,
// so a listing still yields every workspace once.
func Example_faultInjection() {
	srv := accountstest.NewServer(accountstest.WithFaults(accountstest.Faults{
		Rate: 0.5, Seed: 42,
		Kinds: []accountstest.Fault{accountstest.Fault502, accountstest.Fault503, accountstest.FaultTruncate},
	}))
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken),
		accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(10), MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	all, err := accounts.Collect(client.Workspaces.All(context.Background(), nil))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(all), "workspaces;", "faults injected:", srv.FaultCounts().Total() > 0)
	// Output: 1200 workspaces; faults injected: true
}
