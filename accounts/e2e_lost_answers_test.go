package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
)

// These tests lose answers after the server acted, as a proxy that gives up
// on the upstream or a broken connection does, with the SDK's default retry
// policy: every create must be reported done exactly once, and a write whose
// repetition would act twice must never be repeated.

// lossyClient is a client with the SDK's defaults (retry policy, deadlines)
// talking to srv directly.
func lossyClient(t *testing.T, srv *accountstest.Server, token string) *accounts.Client {
	t.Helper()
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(token))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// lossRates are the fault settings every create runs under: answers lost
// after acting only (the case), and every kind of fault at once.
var lossRates = []struct {
	name  string
	kinds []accountstest.Fault
}{
	{"answers lost after acting", accountstest.AfterActingFaults()},
	{"every kind of fault", accountstest.AllFaults()},
}

// postsTo counts the POST requests the server received on path.
func postsTo(srv *accountstest.Server, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == path {
			n++
		}
	}
	return n
}

// checkLosses fails a test whose faults lost no write: it would prove nothing.
func checkLosses(t *testing.T, fc accountstest.FaultCounts, recovered int) {
	t.Helper()
	if fc.LostWrites == 0 || recovered == 0 {
		t.Fatalf("no write's answer was lost (faults: %s), or none was recovered (%d); the test proves nothing", describe(fc), recovered)
	}
	t.Logf("faults %s; lost writes %d; recovered %d", describe(fc), fc.LostWrites, recovered)
}

// createsUnderLoss runs n creates through a client with the SDK's defaults
// against a server that loses answers (each fault setting of lossRates), and
// checks that every create reports success and that the server holds each
// created key exactly once. create makes the k-th create and returns its key
// and whether it was recovered; held lists the keys the server holds of the
// objects the test created.
func createsUnderLoss(t *testing.T, token string, seed int64,
	create func(c *accounts.Client, k int) (key string, recovered bool, err error),
	held func(srv *accountstest.Server) []string) {
	const n = 200
	for i, rate := range lossRates {
		t.Run(rate.name, func(t *testing.T) {
			t.Parallel()
			srv := accountstest.NewServer()
			t.Cleanup(srv.Close)
			c := lossyClient(t, srv, token)
			srv.SetFaults(accountstest.Faults{Rate: 0.2, Seed: seed + int64(i), Kinds: rate.kinds})
			recovered := 0
			for k := range n {
				key, rec, err := create(c, k)
				if err != nil {
					t.Fatalf("create %d (%s): %v", k, key, err)
				}
				if rec {
					recovered++
				}
			}
			fc := srv.FaultCounts()
			srv.SetFaults(accountstest.Faults{})
			count := map[string]int{}
			for _, key := range held(srv) {
				count[key]++
			}
			if len(count) != n {
				t.Errorf("the server holds %d of the %d objects", len(count), n)
			}
			for key, k := range count {
				if k != 1 {
					t.Errorf("%s created %d times", key, k)
				}
			}
			checkLosses(t, fc, recovered)
		})
	}
}

func TestLostAnswersOrganizationInvitations(t *testing.T) {
	createsUnderLoss(t, accountstest.AdminToken, 11, func(c *accounts.Client, k int) (string, bool, error) {
		req := &invitations.CreateRequest{InviteeIdentifier: fmt.Sprintf("lost%03d@example.com", k)}
		if k%2 == 0 {
			req.Role = "MEMBER"
		}
		inv, err := c.Invitations.Create(context.Background(), req)
		if err != nil {
			return req.InviteeIdentifier, false, err
		}
		if inv.UUID == "" || inv.InviteeIdentifier != req.InviteeIdentifier || (req.Role != "" && inv.Role != req.Role) {
			return req.InviteeIdentifier, false, fmt.Errorf("created %+v", inv)
		}
		return req.InviteeIdentifier, inv.Recovered, nil
	}, func(srv *accountstest.Server) (keys []string) {
		for _, inv := range srv.Invitations() {
			if strings.HasPrefix(inv.InviteeIdentifier, "lost") {
				keys = append(keys, inv.InviteeIdentifier)
			}
		}
		return keys
	})
}

func TestLostAnswersUsers(t *testing.T) {
	createsUnderLoss(t, accountstest.OwnerToken, 21, func(c *accounts.Client, k int) (string, bool, error) {
		req := &users.CreateRequest{Email: fmt.Sprintf("lost.user%03d@example.com", k), FirstName: "Lost", LastName: fmt.Sprint(k)}
		if k%3 == 0 {
			req.Groups = []int{accountstest.GroupMember}
		}
		u, err := c.Users.Create(context.Background(), req)
		if err != nil {
			return req.Email, false, err
		}
		if u.Email != req.Email || u.LastName != req.LastName {
			return req.Email, false, fmt.Errorf("created %+v", u)
		}
		return req.Email, u.Recovered, nil
	}, func(srv *accountstest.Server) (keys []string) {
		for _, u := range srv.Users() {
			if strings.HasPrefix(u.Email, "lost.user") {
				keys = append(keys, u.Email)
			}
		}
		return keys
	})
}

func TestLostAnswersOrganizations(t *testing.T) {
	createsUnderLoss(t, accountstest.OwnerToken, 31, func(c *accounts.Client, k int) (string, bool, error) {
		req := &organizations.CreateRequest{Name: fmt.Sprintf("Lost %d", k), Slug: fmt.Sprintf("lost-%03d", k)}
		o, err := c.Organizations.Create(context.Background(), req)
		if err != nil {
			return req.Slug, false, err
		}
		if o.UUID == "" || o.Slug != req.Slug || o.Name != req.Name {
			return req.Slug, false, fmt.Errorf("created %+v", o)
		}
		return req.Slug, o.Recovered, nil
	}, func(srv *accountstest.Server) (keys []string) {
		for _, o := range srv.Organizations() {
			if strings.HasPrefix(o.Slug, "lost-") {
				keys = append(keys, o.Slug)
			}
		}
		return keys
	})
}

// TestLostAnswersWorkspaceInvitations: an email invitation has no lookup; the
// server's refusal of a second one proves the first arrived, and Send says
// the invitation is pending, without an id.
func TestLostAnswersWorkspaceInvitations(t *testing.T) {
	createsUnderLoss(t, accountstest.OwnerToken, 41, func(c *accounts.Client, k int) (string, bool, error) {
		req := &invitations.SendRequest{Email: fmt.Sprintf("lost.invitee%03d@example.com", k), AuthGroup: accountstest.GroupMember}
		inv, err := c.Invitations.Send(context.Background(), req)
		switch {
		case err != nil:
			return req.Email, false, err
		case inv.Recovered && (inv.ID != "" || inv.Email != req.Email || inv.AuthGroup != req.AuthGroup):
			return req.Email, false, fmt.Errorf("recovered as %+v", inv)
		case !inv.Recovered && inv.ID == "":
			return req.Email, false, fmt.Errorf("%+v: neither sent nor pending", inv)
		}
		return req.Email, inv.Recovered, nil
	}, func(srv *accountstest.Server) (keys []string) {
		for _, inv := range srv.EmailInvitations() {
			if strings.HasPrefix(inv.Email, "lost.invitee") {
				keys = append(keys, inv.Email)
			}
		}
		return keys
	})
}

// TestLostAnswersIncrementsAreNeverRepeated: usage grows by exactly the
// increments reported done, and each one reported failed says the server may
// have acted.
func TestLostAnswersIncrementsAreNeverRepeated(t *testing.T) {
	const n = 100
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	org := srv.Organizations()[0]
	path := "/api/accounts/organizations/" + org.UUID + "/increment/"
	srv.SetFaults(accountstest.Faults{Rate: 0.2, Seed: 5, Kinds: accountstest.AfterActingFaults()})
	ok, failed := 0, 0
	for k := range n {
		_, err := c.Organizations.Increment(context.Background(), org.UUID, 1)
		if err == nil {
			ok++
			continue
		}
		failed++
		if !errors.Is(err, accounts.ErrMayHaveActed) || !strings.Contains(err.Error(), "may have acted") {
			t.Errorf("increment %d: %v; want an error saying the server may have acted", k, err)
		}
	}
	srv.SetFaults(accountstest.Faults{})
	if posts := postsTo(srv, path); posts != n {
		t.Errorf("%d increments sent for %d calls: an increment was repeated", posts, n)
	}
	var after accountstest.Organization
	for _, o := range srv.Organizations() {
		if o.UUID == org.UUID {
			after = o
		}
	}
	if grew := after.Usage - org.Usage; grew != n {
		t.Errorf("usage grew by %d, want %d (every increment reached the server once)", grew, n)
	}
	if failed == 0 {
		t.Fatal("no increment failed; the test proves nothing")
	}
	t.Logf("%d increments: %d reported done, %d reported as may have acted (all %d done on the server)", n, ok, failed, n)
}

// TestLostAnswersDeleteEndingIn404IsSuccess: a DELETE that acted and lost
// its answer is sent again; the 404 it then gets is success.
func TestLostAnswersDeleteEndingIn404IsSuccess(t *testing.T) {
	for _, kind := range []accountstest.Fault{accountstest.Fault502AfterActing, accountstest.Fault504AfterActing, accountstest.FaultDropAfterRead} {
		t.Run(kind.String(), func(t *testing.T) {
			srv := accountstest.NewServer()
			t.Cleanup(srv.Close)
			c := lossyClient(t, srv, accountstest.OwnerToken)
			org := srv.Organizations()[0]
			path := "/api/accounts/organizations/" + org.UUID + "/"
			srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{kind}, Only: firstOnly(http.MethodDelete, path)})
			if err := c.Organizations.Delete(context.Background(), org.UUID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			deletes := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodDelete {
					deletes++
				}
			}
			if deletes != 2 || srv.FaultCounts().LostWrites != 1 {
				t.Errorf("%d deletes, faults %+v; want the lost one and its repeat", deletes, srv.FaultCounts())
			}
			// Without a lost answer, a 404 is still an error.
			err := c.Organizations.Delete(context.Background(), org.UUID)
			if !errors.Is(err, accounts.ErrNotFound) {
				t.Errorf("deleting again: %v, want ErrNotFound", err)
			}
		})
	}
}

// TestLostAnswersRepeatableWritesAreRetried: a write whose repetition changes
// nothing is sent again after its answer is lost, and reports success.
func TestLostAnswersRepeatableWritesAreRetried(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	ctx := context.Background()
	org := srv.Organizations()[0]
	ws := srv.Workspaces()[0]
	calls := []struct {
		method, path string
		call         func() error
	}{
		{"PATCH", "/api/accounts/organizations/" + org.UUID + "/", func() error {
			_, err := c.Organizations.Patch(ctx, org.UUID, &organizations.PatchRequest{Name: accounts.Ptr("Renamed")})
			return err
		}},
		{"PUT", "/api/accounts/organizations/" + org.UUID + "/", func() error {
			_, err := c.Organizations.Update(ctx, org.UUID, &organizations.UpdateRequest{Name: "Replaced", Slug: "replaced"})
			return err
		}},
		{"POST", "/api/accounts/users/me/switch-workspace/", func() error { _, err := c.Workspaces.Switch(ctx, ws.ID); return err }},
		{"POST", "/api/accounts/login_url/", func() error { _, err := c.LoginURL(ctx, "owner@example.com"); return err }},
		{"PATCH", "/api/accounts/user-config", func() error {
			_, err := c.UserConfig.Patch(ctx, &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(true)})
			return err
		}},
	}
	for _, tc := range calls {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{accountstest.Fault504AfterActing}, Only: firstOnly(tc.method, tc.path)})
			before := len(srv.Requests())
			if err := tc.call(); err != nil {
				t.Fatalf("err = %v", err)
			}
			if n := len(srv.Requests()) - before; n != 2 || srv.FaultCounts().Total() != 1 {
				t.Errorf("%d requests, faults %+v; want the lost one and its repeat", n, srv.FaultCounts())
			}
		})
	}
}

// TestLostAnswersRecoveryCanBeTurnedOff: WithoutRecovery returns the
// ambiguous failure as it is, after one request.
func TestLostAnswersRecoveryCanBeTurnedOff(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := lossyClient(t, srv, accountstest.OwnerToken)
	srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{accountstest.Fault502AfterActing}})
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Off", Slug: "off"}, accounts.WithoutRecovery())
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || !apiErr.MayHaveActed || !errors.Is(err, accounts.ErrMayHaveActed) {
		t.Fatalf("err = %v, want the 502 that may have acted", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
