package accountstest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"slices"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/workspaces"
)

// activeIn is the code under test: a function of your program that takes the
// SDK's client, so that a test can hand it one pointed at accountstest.
func activeIn(ctx context.Context, c *accounts.Client, country string) ([]string, error) {
	opts := workspaces.Where(
		workspaces.Type.Exact(workspaces.TypeActive),
		workspaces.Country.Exact(country),
		workspaces.OrderBy(workspaces.FieldID.Asc()),
	)
	var names []string
	for ws, err := range c.Workspaces.All(ctx, opts) {
		if err != nil {
			return nil, fmt.Errorf("active workspaces in %s: %w", country, err)
		}
		names = append(names, ws.Name)
	}
	return names, nil
}

// Test your own code against the in-memory server. The expected answer is
// computed from the server's own data (Workspaces), so the test does not
// depend on what the seed generates; Requests shows what your code sent; a
// user's token gives that user's rights. In a _test.go file the same lines go
// in a func TestActiveIn(t *testing.T), with t.Fatal where this has
// log.Fatal.
func Example_testYourCode() {
	srv := accountstest.NewServer()
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	got, err := activeIn(ctx, client, "BE")
	if err != nil {
		log.Fatal(err)
	}
	var want []string
	for _, ws := range srv.Workspaces() { // the owner belongs to every workspace
		if ws.Type == string(workspaces.TypeActive) && ws.Country != nil && *ws.Country == "BE" {
			want = append(want, ws.Name)
		}
	}
	fmt.Println("found them all:", len(got) > 0 && slices.Equal(got, want))
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.RawQuery)
		fmt.Println(r.Method, r.Path, "type="+q.Get("type"), "country="+q.Get("country"))
	}

	// The member's token: fewer workspaces, and no right to list users.
	member, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.MemberToken))
	if err != nil {
		log.Fatal(err)
	}
	_, err = member.Users.List(ctx, nil)
	fmt.Println("member lists users:", errors.Is(err, accounts.ErrForbidden))
	// Output:
	// found them all: true
	// GET /api/accounts/workspaces type=active country=BE
	// member lists users: true
}
