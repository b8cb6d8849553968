package countries_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/countries"
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

// Look a country up by its alpha-2 code. OfficialName and Flag are nil when
// the data has none; an unknown code is a 404.
func ExampleService_Get() {
	client, done := newClient()
	defer done()
	ctx := context.Background()

	nl, err := client.Countries.Get(ctx, "NL")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(nl.Name, nl.Alpha3, nl.Numeric, *nl.OfficialName, *nl.Flag)

	_, err = client.Countries.Get(ctx, "XX")
	fmt.Println(errors.Is(err, accounts.ErrNotFound))
	// Output:
	// Netherlands NLD 528 Kingdom of the Netherlands 🇳🇱
	// true
}

// The country list is a bare JSON array, without a count: All walks it page
// by page, and Collect gathers it into a slice.
func ExampleService_All() {
	client, done := newClient()
	defer done()

	all, err := accounts.Collect(client.Countries.All(context.Background(), &countries.ListOptions{Search: "guinea"}))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range all {
		fmt.Println(c.Alpha2, c.Name)
	}
	// Output:
	// GN Guinea
	// GW Guinea-Bissau
	// GQ Equatorial Guinea
	// PG Papua New Guinea
}
