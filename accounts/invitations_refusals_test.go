package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
)

// TestInvitationRefusalsAreRecognised answers Send and Create with the
// server's refusals and checks which of them errors.Is takes for "already
// a member" or "already pending", and that the *accounts.Error, its message
// and ErrInvalid are kept either way.
func TestInvitationRefusalsAreRecognised(t *testing.T) {
	const email, ident = "email", "invitee_identifier"
	cases := []struct {
		name   string
		field  string // the request's address field: which call answers
		status int
		body   string
		want   error // the sentinel that must match, or nil for neither
	}{
		// accountstest's messages (accounts/accountstest/invitations.go).
		{"member", email, 400, `{"email":["This user is already a member of this workspace."]}`, invitations.ErrAlreadyMember},
		{"pending email", email, 400, `{"email":["An invitation for this email address is already pending."]}`, invitations.ErrAlreadyPending},
		{"pending identifier", ident, 400, `{"invitee_identifier":["An invitation for this identifier is already pending."]}`, invitations.ErrAlreadyPending},
		// Other wordings and places of the same refusal.
		{"pending, other words", email, 400, `{"email":["A pending invitation for this email already exists."]}`, invitations.ErrAlreadyPending},
		{"non-field", email, 400, `{"non_field_errors":["This user is already a member of this workspace."]}`, invitations.ErrAlreadyMember},
		{"detail", ident, 400, `{"detail":"An invitation for this identifier is already pending."}`, invitations.ErrAlreadyPending},
		{"conflict", email, 409, `{"detail":"A pending invitation for this email already exists."}`, invitations.ErrAlreadyPending},
		{"upper case", email, 400, `{"email":["ALREADY A MEMBER OF THIS WORKSPACE"]}`, invitations.ErrAlreadyMember},
		// Refusals that are not "already done".
		{"owner", email, 400, `{"auth_group":["Owners cannot be invited; they are created through the onboarding flow."]}`, nil},
		{"invalid email", email, 400, `{"email":["Enter a valid email address."]}`, nil},
		{"pending and another field", email, 400, `{"email":["An invitation for this email address is already pending."],"auth_group":["Invalid pk \"9\" - object does not exist."]}`, nil},
		{"pending and another message", email, 400, `{"email":["An invitation for this email address is already pending.","Enter a valid email address."]}`, nil},
		{"member and pending at once", email, 400, `{"email":["This user is already a member of this workspace.","An invitation for this email address is already pending."]}`, nil},
		{"the other call's field", email, 400, `{"invitee_identifier":["An invitation for this identifier is already pending."]}`, nil},
		{"forbidden", email, 403, `{"detail":"This user is already a member of this workspace."}`, nil},
		{"server error", email, 500, `already pending invitation`, nil},
		{"no message", email, 400, `{}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t, accounts.WithRetryPolicy(accounts.RetryPolicy{MaxRetries: accounts.Ptr(0)}))
			ctx := context.Background()
			var err error
			if tc.field == email {
				expect(t, mt, want{method: "POST", path: "/api/accounts/invitations/", body: `{"email":"ana@example.com","auth_group":3}`}, tc.status, tc.body)
				_, err = c.Invitations.Send(ctx, &invitations.SendRequest{Email: "ana@example.com", AuthGroup: 3})
			} else {
				expect(t, mt, want{method: "POST", path: "/api/accounts/invite/", body: `{"invitee_identifier":"ana@example.com"}`}, tc.status, tc.body)
				_, err = c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "ana@example.com"})
			}
			checkRefusal(t, err, tc.status, tc.want)
		})
	}
}

// checkRefusal asserts that err is the server's refusal with status, that
// errors.Is matches want and no other sentinel of the invitations package,
// and that the refusal reads as the *accounts.Error it wraps.
func checkRefusal(t *testing.T, err error, status int, want error) {
	t.Helper()
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
		t.Fatalf("err = %v, want an *accounts.Error with status %d", err, status)
	}
	if err.Error() != apiErr.Error() {
		t.Errorf("message %q, want the server's error's %q", err.Error(), apiErr.Error())
	}
	for _, s := range []error{invitations.ErrAlreadyMember, invitations.ErrAlreadyPending} {
		if got := errors.Is(err, s); got != (s == want) {
			t.Errorf("errors.Is(err, %q) = %v; err = %v", s, got, err)
		}
	}
	if status == 400 && !errors.Is(err, accounts.ErrInvalid) {
		t.Errorf("a 400 refusal no longer matches ErrInvalid: %v", err)
	}
}

// TestE2EInvitationRefusalsAreRecognised sends the invitations accountstest
// refuses as already done, and one it refuses for another reason.
func TestE2EInvitationRefusalsAreRecognised(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	if _, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "newcomer@example.com", AuthGroup: accountstest.GroupMember}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "Newcomer@Example.com", AuthGroup: accountstest.GroupMember})
	checkRefusal(t, err, 400, invitations.ErrAlreadyPending)

	member := srv.UsersOfWorkspace(1)[5].Email
	_, err = c.Invitations.Send(ctx, &invitations.SendRequest{Email: member, AuthGroup: accountstest.GroupMember})
	checkRefusal(t, err, 400, invitations.ErrAlreadyMember)

	_, err = c.Invitations.Send(ctx, &invitations.SendRequest{Email: "boss@example.com", AuthGroup: accountstest.GroupOwner})
	checkRefusal(t, err, 400, nil)

	if _, err := c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "guest@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "guest@example.com", Role: fakeAdminRole})
	checkRefusal(t, err, 400, invitations.ErrAlreadyPending)
}
