package accounts_test

// Cases found by a review of the lost-answer recovery: objects that share a
// key, addresses that differ in case, values the server trims or stores as a
// set. Each test states the behaviour the README and godoc promise.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
)

// firstPostTo returns a Faults.Only that picks the first POST to path only.
func firstPostTo(path string) func(r *http.Request) bool {
	var n atomic.Int32
	return func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, path) && n.Add(1) == 1
	}
}

// faultFirstPost makes the server answer the first POST to path with fault k.
func faultFirstPost(srv *accountstest.Server, path string, k accountstest.Fault) {
	srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{k}, Only: firstPostTo(path)})
}

// TestRecoveryUserCreateSharedEmailIsNotAnotherUser: emails are not unique
// (accountstest.SharedEmail). A proxy's 502 that did nothing must not make
// Create return an existing user with the same email as "recovered": the
// caller asked for a new user, and none was created.
func TestRecoveryUserCreateSharedEmailIsNotAnotherUser(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	before := len(srv.Users())
	faultFirstPost(srv, "/accounts/users/", accountstest.Fault502) // nothing done
	u, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: accountstest.SharedEmail})
	srv.SetFaults(accountstest.Faults{})
	after := len(srv.Users())
	if err == nil && after == before {
		t.Fatalf("Create returned user id %d (Recovered=%v) as created, but the server holds no new user (%d users before and after)",
			u.ID, u.Recovered, before)
	}
}

// TestRecoveryUserCreateCaseOfEmail: the SDK matches the email ignoring case;
// an existing user whose address differs only in case is another user.
func TestRecoveryUserCreateCaseOfEmail(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	var existing accountstest.User
	for _, p := range srv.UsersOfWorkspace(1) {
		if p.ID > 3 && p.Email != accountstest.SharedEmail {
			existing = p
			break
		}
	}
	before := len(srv.Users())
	faultFirstPost(srv, "/accounts/users/", accountstest.Fault504) // nothing done
	u, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: strings.ToUpper(existing.Email)})
	srv.SetFaults(accountstest.Faults{})
	if err == nil && len(srv.Users()) == before {
		t.Fatalf("Create(%q) returned existing user id %d (email %q, Recovered=%v); no user was created",
			strings.ToUpper(existing.Email), u.ID, u.Email, u.Recovered)
	}
}

// TestRecoveryUserCreateTrimmedNameIsRecovered: the server trims names (DRF
// CharField trim_whitespace, and the fake does too), and the SDK accepts a
// name with surrounding spaces. A create that acted and lost its answer must
// be recovered, not reported as "could not tell" / other values.
func TestRecoveryUserCreateTrimmedNameIsRecovered(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	faultFirstPost(srv, "/accounts/users/", accountstest.Fault502AfterActing)
	u, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: "trim.test@example.com", FirstName: "Ann "})
	srv.SetFaults(accountstest.Faults{})
	n := 0
	for _, p := range srv.Users() {
		if p.Email == "trim.test@example.com" {
			n++
		}
	}
	if err != nil {
		t.Fatalf("server holds %d such users; Create: %v", n, err)
	}
	if !u.Recovered || n != 1 {
		t.Fatalf("Recovered=%v, server holds %d", u.Recovered, n)
	}
}

// TestRecoveryOrganizationCreateTrimmedNameIsRecovered: as above, for an
// organization's name.
func TestRecoveryOrganizationCreateTrimmedNameIsRecovered(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	faultFirstPost(srv, "/accounts/organizations/", accountstest.Fault504AfterActing)
	o, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: " Trim Harbor", Slug: "trim-harbor"})
	srv.SetFaults(accountstest.Faults{})
	n := 0
	for _, x := range srv.Organizations() {
		if x.Slug == "trim-harbor" {
			n++
		}
	}
	if err != nil {
		t.Fatalf("server holds %d such organizations; Create: %v", n, err)
	}
	if !o.Recovered || n != 1 {
		t.Fatalf("Recovered=%v, server holds %d", o.Recovered, n)
	}
}

// TestRecoveryInvitationCreateTrimmedIdentifierIsRecovered: the server trims
// invitee_identifier; the SDK compares it exactly, misses the invitation it
// created, sends again and reports the server's "already pending" refusal
// of its own first send as the call's failure.
func TestRecoveryInvitationCreateTrimmedIdentifierIsRecovered(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.AdminToken)
	faultFirstPost(srv, "/accounts/invite/", accountstest.Fault502AfterActing)
	inv, err := c.Invitations.Create(context.Background(), &invitations.CreateRequest{InviteeIdentifier: "trim.invite@example.com "})
	srv.SetFaults(accountstest.Faults{})
	if err != nil {
		t.Fatalf("Create: %v (ErrAlreadyPending: %v; posts: %d)", err, errors.Is(err, invitations.ErrAlreadyPending), postsTo(srv, "/api/accounts/invite/"))
	}
	if !inv.Recovered {
		t.Fatalf("not recovered: %+v", inv)
	}
}

var _ = accounts.ErrMayHaveActed

// TestRecoveryUserCreateDuplicateGroupIDs: the SDK accepts Groups with a
// repeated id; Django stores a many-to-many as a set, so the user holds
// each group once. The lookup's exact multiset comparison then calls the
// user it created "other values".
func TestRecoveryUserCreateDuplicateGroupIDs(t *testing.T) {
	const usersURL = "https://api.test/api/accounts/users/"
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", usersURL, sequence(answer(504, ``)))
	mt.RegisterResponder("GET", `=~^`+usersURL+`\?`, sequence(answer(200,
		`[{"id":9,"uuid":"`+userUUID+`","email":"dup.groups@example.com","first_name":"","last_name":"","groups":[2],"is_active":true}]`)))
	u, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: "dup.groups@example.com", Groups: []int{2, 2}})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !u.Recovered {
		t.Fatalf("not recovered: %+v", u)
	}
}

// TestRecoveryUserCreateDomainStoredInLowerCase: Django's create_user
// stores an email's domain in lower case. A create that acted and lost its
// answer is found by the address the server stored, not sent again (which
// would make a second user, emails not being unique).
func TestRecoveryUserCreateDomainStoredInLowerCase(t *testing.T) {
	const usersURL = "https://api.test/api/accounts/users/"
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", usersURL, sequence(answer(502, ``)))
	mt.RegisterResponder("GET", `=~^`+usersURL+`\?`, sequence(answer(200,
		`[{"id":9,"uuid":"`+userUUID+`","email":"Ana.Smith@example.com","first_name":"Ana","last_name":"","groups":[],"is_active":true}]`)))
	u, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: "Ana.Smith@Example.COM", FirstName: "Ana"})
	if err != nil || !u.Recovered || u.ID != 9 {
		t.Fatalf("Create = %+v, %v; want the stored user, recovered", u, err)
	}
	if n := mt.GetCallCountInfo()["POST "+usersURL]; n != 1 {
		t.Errorf("%d creates sent, want 1", n)
	}
}
