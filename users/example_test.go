package users_test

import (
	"context"
	"fmt"
	"log"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/users"
)

// Read the current user's profile, then walk the workspace's users page by
// page with the page-based shape.
func ExampleService_All() {
	srv := accountstest.NewServer()
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	me, err := client.Users.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Email, me.AuthGroup.Name, me.HasPermission("view_user"))

	active := 0
	for u, err := range client.Users.All(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(50)}}) {
		if err != nil {
			log.Fatal(err)
		}
		if u.IsActive != nil && *u.IsActive {
			active++
		}
	}
	fmt.Println(active > 0)
	// Output:
	// owner@accountstest.invalid OWNER true
	// true
}
