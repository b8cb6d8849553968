package invitations_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
)

// Send an email invitation, check its status, and read the server's refusal
// of an invitation its rules forbid.
func ExampleService_Send() {
	srv := accountstest.NewServer()
	defer srv.Close()
	client, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sent, err := client.Invitations.Send(ctx, &invitations.SendRequest{Email: "ben@example.com", AuthGroup: accountstest.GroupMember})
	if err != nil {
		log.Fatal(err)
	}
	status, err := client.Invitations.Status(ctx, sent.ID)
	if err != nil {
		log.Fatal(err)
	}
	active, _ := status.IsActive.Bool()
	fmt.Println(status.Email, active, status.IsExistingUser)

	_, err = client.Invitations.Send(ctx, &invitations.SendRequest{Email: "boss@example.com", AuthGroup: accountstest.GroupOwner})
	var apiErr *accounts.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.FieldErrors["auth_group"][0])
	}
	// Output:
	// ben@example.com true false
	// 400 Owners cannot be invited; they are created through the onboarding flow.
}
