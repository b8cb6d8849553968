package workspaces_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/workspaces"
)

// newClient starts the in-memory server for an example; real programs use
// accounts.NewClient(accounts.WithAPIKey(key)) or accounts.WithEnv().
func newClient() (*accounts.Client, func()) {
	srv := accountstest.NewServer()
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

// Filter with the typed builders, one per parameter: the server selects, and
// List returns the first page with the count of every match.
func ExampleWhere() {
	client, done := newClient()
	defer done()

	opts := workspaces.Where(
		workspaces.Name.IContains("green"),                                       // name__icontains=green
		workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial),          // type__in=active,trial
		workspaces.Country.In("NL", "BE", "DE"),                                  // country__in=NL,BE,DE
		workspaces.OrderBy(workspaces.FieldName.Asc(), workspaces.FieldID.Asc()), // ordering=name,id
	)
	opts.Limit = accounts.Ptr(3)
	page, err := client.Workspaces.List(context.Background(), opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("matches:", *page.Count)
	for _, ws := range page.Results {
		fmt.Printf("%s (%s, %s)\n", ws.Name, ws.Type, *ws.Country)
	}
	// Output:
	// matches: 7
	// Bright Green Ltd (active, BE)
	// Clear Green BV (active, BE)
	// Evergreen Bakery bv (active, DE)
}

// Leave a type out, and walk every match with All: it follows the pages,
// fetching ahead, and stops when the loop does.
func ExampleTypeLookups_Exclude() {
	client, done := newClient()
	defer done()

	opts := workspaces.Where(
		workspaces.Type.Exclude(workspaces.TypeTest),
		workspaces.Country.Exact("NL"),
	)
	byType := map[workspaces.WorkspaceType]int{}
	for ws, err := range client.Workspaces.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		byType[ws.Type]++
	}
	for _, t := range workspaces.Types() {
		fmt.Printf("%-12s %d\n", t, byType[t])
	}
	// Output:
	// active       5
	// inactive     10
	// test         0
	// demo         3
	// trial        2
	// stakeholder  1
}

// Order by several fields, largest first where Desc says so.
func ExampleOrderBy() {
	client, done := newClient()
	defer done()

	opts := workspaces.Where(
		workspaces.Name.IStartsWith("blue"),
		workspaces.OrderBy(workspaces.FieldMemberCount.Desc(), workspaces.FieldID.Asc()),
	)
	opts.Limit = accounts.Ptr(3)
	page, err := client.Workspaces.List(context.Background(), opts)
	if err != nil {
		log.Fatal(err)
	}
	for _, ws := range page.Results {
		fmt.Println(ws.MemberCount, ws.Name)
	}
	// Output:
	// 250 Blue Energy bv
	// 243 Blue Coffee Oy
	// 240 Blue Dairy AB
}

// Lookup carries a lookup the typed builders do not cover. A parameter that
// has a typed field is refused, so that its checks cannot be bypassed, and
// nothing is sent.
func ExampleLookup() {
	client, done := newClient()
	defer done()

	_, err := client.Workspaces.List(context.Background(), workspaces.Where(workspaces.Lookup("offset", "-5")))
	var inErr *accounts.InputError
	if errors.As(err, &inErr) {
		fmt.Println("refused before sending:", inErr.Field)
	}
	// Output:
	// refused before sending: offset
}
