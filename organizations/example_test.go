package organizations_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/organizations"
)

// An organization's life: create, rename, record usage, delete. The server's
// refusal of a taken slug names the field.
func Example() {
	srv := accountstest.NewServer()
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	orgs := client.Organizations

	org, err := orgs.Create(ctx, &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", org.Name, org.Slug)

	org, err = orgs.Patch(ctx, org.UUID, &organizations.PatchRequest{Name: accounts.Ptr("Green Harbor BV")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("renamed", org.Name)

	usage, err := orgs.Increment(ctx, org.UUID, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("usage", usage.Usage, "of", usage.Limit, "remaining", usage.Remaining)

	_, err = orgs.Create(ctx, &organizations.CreateRequest{Name: "Another", Slug: "green-harbor"})
	var apiErr *accounts.Error
	if errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.StatusCode, apiErr.FieldErrors["slug"])
	}

	if err := orgs.Delete(ctx, org.UUID); err != nil {
		log.Fatal(err)
	}
	_, err = orgs.Get(ctx, org.UUID)
	fmt.Println("deleted:", errors.Is(err, accounts.ErrNotFound))
	// Output:
	// created Green Harbor green-harbor
	// renamed Green Harbor BV
	// usage 5 of 1000 remaining 995
	// refused: 400 [organization with this slug already exists.]
	// deleted: true
}

// List returns one page of organizations, with the count of all of them;
// All would walk every page.
func ExampleService_List() {
	srv := accountstest.NewServer()
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Organizations.List(context.Background(), &organizations.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(2)}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d organizations, a next page: %v\n", *page.Count, page.Next != "")
	for _, o := range page.Results {
		fmt.Println(o.Slug)
	}
	// Output:
	// 25 organizations, a next page: true
	// rapid-energy-1
	// coastal-farms-2
}
