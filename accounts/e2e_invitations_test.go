package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
)

func TestE2EEmailInvitations(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	sent, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "newcomer@example.com", AuthGroup: accountstest.GroupAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID == "" || sent.Email != "newcomer@example.com" || sent.AuthGroup != accountstest.GroupAdmin {
		t.Fatalf("sent = %+v", sent)
	}
	st, err := c.Invitations.Status(ctx, sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	active, _ := srv.ActiveWorkspace(accountstest.OwnerToken)
	if st.ID != sent.ID || st.Email != sent.Email || st.Company == nil || st.Company.ID != active.ID || st.AuthGroupID != "2" ||
		st.IsExistingUser || !isTrue(st.IsActive) || isTrue(st.IsMFAEnabled) != active.IsMFAEnabled {
		t.Fatalf("status = %+v", st)
	}

	var apiErr *accounts.Error
	cases := []struct {
		name   string
		token  string
		req    invitations.SendRequest
		status int
		field  string
	}{
		{"owners cannot be invited", accountstest.OwnerToken, invitations.SendRequest{Email: "boss@example.com", AuthGroup: accountstest.GroupOwner}, 400, "auth_group"},
		{"a pending invitation is not sent twice", accountstest.OwnerToken, invitations.SendRequest{Email: "NEWCOMER@example.com", AuthGroup: accountstest.GroupMember}, 400, "email"},
		{"a member of the workspace is not invited", accountstest.OwnerToken, invitations.SendRequest{Email: "owner@accountstest.invalid", AuthGroup: accountstest.GroupMember}, 400, "email"},
		{"an unknown group", accountstest.OwnerToken, invitations.SendRequest{Email: "x@example.com", AuthGroup: 42}, 400, "auth_group"},
		{"a member cannot invite an admin", accountstest.MemberToken, invitations.SendRequest{Email: "y@example.com", AuthGroup: accountstest.GroupAdmin}, 403, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cc := c
			if tc.token != accountstest.OwnerToken {
				cc = clientFor(t, srv, tc.token)
			}
			before := len(srv.EmailInvitations())
			_, err := cc.Invitations.Send(ctx, &tc.req)
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Fatalf("err = %v, want status %d", err, tc.status)
			}
			if tc.field != "" && len(apiErr.FieldErrors[tc.field]) != 1 {
				t.Errorf("field errors = %v, want one on %s", apiErr.FieldErrors, tc.field)
			}
			if tc.field == "" && apiErr.Detail == "" {
				t.Error("no detail in the error")
			}
			if n := len(srv.EmailInvitations()); n != before {
				t.Errorf("the server holds %d invitations, had %d", n, before)
			}
		})
	}
	// A member may invite a member.
	if _, err := clientFor(t, srv, accountstest.MemberToken).Invitations.Send(ctx, &invitations.SendRequest{Email: "peer@example.com", AuthGroup: accountstest.GroupMember}); err != nil {
		t.Fatalf("member inviting a member: %v", err)
	}
	if _, err := c.Invitations.Status(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, accounts.ErrNotFound) {
		t.Fatalf("unknown status: %v", err)
	}
}

// clientFor returns a client for srv with token. The client checks every
// exchange against openapi.yaml; opts relax that check for one test.
func clientFor(t *testing.T, srv *accountstest.Server, token string, opts ...contractOption) *accounts.Client {
	t.Helper()
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(token), accounts.WithRetryPolicy(fastRetries),
		accounts.WithHTTPClient(contractHTTPClient(t, srv.URL(), opts...)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Roles accountstest accepts by default. The SDK names no roles: the API's
// values are defined by each deployment.
const (
	fakeOwnerRole = invitations.Role("OWNER")
	fakeAdminRole = invitations.Role("ADMIN")
)

func TestE2EOrganizationInvitations(t *testing.T) {
	c, srv := newServerClient(t, accountstest.AdminToken)
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)
	const n = 23
	var created []string
	for i := range n {
		role := invitations.Role("MEMBER")
		if i%5 == 0 {
			role = fakeAdminRole
		}
		inv, err := c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: fmt.Sprintf("guest%02d@example.com", i), Role: role})
		if err != nil {
			t.Fatal(err)
		}
		me, _ := srv.TokenUser(accountstest.AdminToken)
		if inv.UUID == "" || inv.Role != role || inv.InvitedBy != me.UUID || inv.SentAt.Before(start) || !inv.ValidUntil.After(inv.SentAt) {
			t.Fatalf("created = %+v", inv)
		}
		created = append(created, inv.UUID)
	}

	// Full iteration of the page-based list.
	var got []string
	for inv, err := range c.Invitations.All(ctx, &invitations.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(4)}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, inv.UUID)
	}
	if fmt.Sprint(got) != fmt.Sprint(created) {
		t.Fatalf("All = %v\nwant %v", got, created)
	}
	page, err := c.Invitations.List(ctx, &invitations.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(2), PageSize: accounts.Ptr(10)}})
	if err != nil || *page.Count != n || len(page.Results) != 10 || page.Results[0].UUID != created[10] {
		t.Fatalf("page 2 = %+v, %v", page, err)
	}
	if _, err := url.Parse(page.Next); err != nil || page.Next == "" {
		t.Fatalf("next = %q", page.Next)
	}

	first, err := c.Invitations.Get(ctx, created[0])
	if err != nil || first.InviteeIdentifier != "guest00@example.com" {
		t.Fatalf("get = %+v, %v", first, err)
	}
	resent, err := c.Invitations.Resend(ctx, created[0])
	if err != nil || resent.SentAt.Before(first.SentAt) || srv.Invitations()[0].Sends != 2 {
		t.Fatalf("resend = %+v, %v", resent, err)
	}
	if err := c.Invitations.Revoke(ctx, created[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Invitations.Get(ctx, created[0]); !errors.Is(err, accounts.ErrNotFound) {
		t.Fatalf("get after revoke: %v", err)
	}
	if len(srv.Invitations()) != n-1 {
		t.Errorf("server holds %d invitations after a revoke", len(srv.Invitations()))
	}

	var apiErr *accounts.Error
	_, err = c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "guest01@example.com"})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["invitee_identifier"]) != 1 {
		t.Fatalf("duplicate pending: %v", err)
	}
	_, err = c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "boss@example.com", Role: fakeOwnerRole})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["role"]) != 1 {
		t.Fatalf("owner role: %v", err)
	}
	_, err = clientFor(t, srv, accountstest.MemberToken).Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "x@example.com", Role: fakeAdminRole})
	if !errors.Is(err, accounts.ErrForbidden) {
		t.Fatalf("member inviting an admin: %v", err)
	}
}

// isTrue reads a flag that must be a recognised boolean as one.
func isTrue(v invitations.BoolOrString) bool {
	b, ok := v.Bool()
	return b && ok
}
