package accounts_test

// Reproducers from review 1 of the lost-answer recovery (h-review1). Each
// test states the behaviour the README and godoc promise; a failure is a bug.

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

// TestReview1UserCreateSharedEmailIsNotAnotherUser: emails are not unique
// (accountstest.SharedEmail). A proxy's 502 that did nothing must not make
// Create return an existing user with the same email as "recovered": the
// caller asked for a new user, and none was created.
func TestReview1UserCreateSharedEmailIsNotAnotherUser(t *testing.T) {
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

// TestReview1UserCreateCaseOfEmail: the SDK matches the email ignoring case;
// an existing user whose address differs only in case is another user.
func TestReview1UserCreateCaseOfEmail(t *testing.T) {
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

// TestReview1UserCreateTrimmedNameIsRecovered: the server trims names (DRF
// CharField trim_whitespace, and the fake does too), and the SDK accepts a
// name with surrounding spaces. A create that acted and lost its answer must
// be recovered, not reported as "could not tell" / other values.
func TestReview1UserCreateTrimmedNameIsRecovered(t *testing.T) {
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

// TestReview1OrganizationCreateTrimmedNameIsRecovered: as above, for an
// organization's name.
func TestReview1OrganizationCreateTrimmedNameIsRecovered(t *testing.T) {
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

// TestReview1InvitationCreateTrimmedIdentifierIsRecovered: the server trims
// invitee_identifier; the SDK compares it exactly, misses the invitation it
// created, sends again and reports the server's "already pending" refusal
// of its own first send as the call's failure.
func TestReview1InvitationCreateTrimmedIdentifierIsRecovered(t *testing.T) {
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

// TestReview1OrganizationCreateExistingSlugIsNotRecovered: an organization
// that existed before the call is not the call's creation. A proxy 502 that
// did nothing must not turn "slug already taken" into a success marked
// Recovered.
func TestReview1OrganizationCreateExistingSlugIsNotRecovered(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	existing := srv.Organizations()[0]
	req := &organizations.CreateRequest{Name: existing.Name, Slug: existing.Slug}
	_, plainErr := c.Organizations.Create(context.Background(), req)
	if plainErr == nil {
		t.Fatal("without a fault the create of an existing slug succeeded; the test proves nothing")
	}
	faultFirstPost(srv, "/accounts/organizations/", accountstest.Fault502) // nothing done
	o, err := c.Organizations.Create(context.Background(), req)
	srv.SetFaults(accountstest.Faults{})
	if err == nil {
		t.Fatalf("without a fault: %v; after a 502 that did nothing: success, Recovered=%v, uuid %s (the organization that already existed)",
			plainErr, o.Recovered, o.UUID)
	}
}

// TestReview1InvitationSendExistingPendingIsNotRecovered: an email
// invitation pending before the call is not proof that this call's first
// send arrived; without a fault the call is ErrAlreadyPending.
func TestReview1InvitationSendExistingPendingIsNotRecovered(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.AdminToken)
	req := &invitations.SendRequest{Email: "pending.before@example.com", AuthGroup: accountstest.GroupMember}
	if _, err := c.Invitations.Send(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	faultFirstPost(srv, "/accounts/invitations/", accountstest.Fault502) // nothing done
	inv, err := c.Invitations.Send(context.Background(), req)
	srv.SetFaults(accountstest.Faults{})
	if err == nil {
		t.Fatalf("second Send of an already pending address: success, Recovered=%v; want ErrAlreadyPending as without a fault", inv.Recovered)
	}
}

// TestReview1RecoveredCreateFillsResponseInto: WithResponseInto's doc says
// dst holds the successful answer and is "left as it was when the call
// fails". A recovered create succeeds (err nil) yet leaves dst untouched: a
// caller reading resp.StatusCode or a request id sees the zero Response.
func TestReview1RecoveredCreateFillsResponseInto(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, ``)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200,
		`{"count":1,"next":null,"previous":null,"results":[`+orgJSON+`]}`, "X-Request-Id", "lookup-1")))
	var resp accounts.Response
	o, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"},
		accounts.WithResponseInto(&resp))
	if err != nil || !o.Recovered {
		t.Fatalf("create = %+v, %v", o, err)
	}
	if resp.StatusCode == 0 {
		t.Errorf("Create succeeded (Recovered) but WithResponseInto holds the zero Response %+v", resp)
	}
}

// TestReview1UserCreateDuplicateGroupIDs: the SDK accepts Groups with a
// repeated id; Django stores a many-to-many as a set, so the user holds
// each group once. The lookup's exact multiset comparison then calls the
// user it created "other values".
func TestReview1UserCreateDuplicateGroupIDs(t *testing.T) {
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
