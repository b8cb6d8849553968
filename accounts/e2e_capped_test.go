package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/users"
	"github.com/coolset-go/sdk/workspaces"
)

// countAll walks seq and returns how many items it yielded, failing the test
// on an error or a repeated key.
func countAll[T any](t *testing.T, seq func(func(*T, error) bool), key func(*T) any) int {
	t.Helper()
	seen := map[any]bool{}
	for v, err := range seq {
		if err != nil {
			t.Fatalf("after %d items: %v", len(seen), err)
		}
		k := key(v)
		if seen[k] {
			t.Fatalf("%v yielded twice", k)
		}
		seen[k] = true
	}
	return len(seen)
}

// TestE2EACappedServerYieldsEveryItem: a server that caps page sizes below
// what the SDK asks (as Django REST framework's max_limit does, silently)
// never makes a walk end early: bare arrays and envelopes, limit/offset and
// page/page_size alike.
func TestE2EACappedServerYieldsEveryItem(t *testing.T) {
	const maxPage = 50
	srv := accountstest.NewServer(accountstest.WithMaxPageSize(maxPage), accountstest.WithUserCount(130), accountstest.WithWorkspaceCount(260))
	t.Cleanup(srv.Close)
	c := clientFor(t, srv, accountstest.OwnerToken)
	ctx := context.Background()
	asked := accounts.Ptr(200)
	// The same data without a cap, read in one page, says how many users the
	// list holds (the fake's Users() also lists users the owner cannot see).
	plain := accountstest.NewServer(accountstest.WithMaxPageSize(0), accountstest.WithUserCount(130), accountstest.WithWorkspaceCount(260))
	t.Cleanup(plain.Close)
	page, err := clientFor(t, plain, accountstest.OwnerToken).Users.List(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10000)}})
	if err != nil {
		t.Fatal(err)
	}
	wantUsers := len(page.Results)

	t.Run("countries, bare array, limit/offset", func(t *testing.T) {
		n := countAll(t, c.Countries.All(ctx, nil), func(v *countries.Country) any { return v.Alpha2 })
		if want := len(srv.Countries()); n != want || want <= maxPage {
			t.Errorf("%d countries, want %d", n, want)
		}
	})
	t.Run("users, bare array, limit/offset", func(t *testing.T) {
		n := countAll(t, c.Users.All(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: asked}}), func(v *users.User) any { return [3]any{v.ID, v.UUID, v.Email} })
		if want := wantUsers; n != want || want <= maxPage {
			t.Errorf("%d users, want %d", n, want)
		}
	})
	t.Run("users, envelope, page/page_size", func(t *testing.T) {
		n := countAll(t, c.Users.All(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{PageSize: asked}}), func(v *users.User) any { return [3]any{v.ID, v.UUID, v.Email} })
		if want := wantUsers; n != want {
			t.Errorf("%d users, want %d", n, want)
		}
	})
	t.Run("workspaces, envelope, limit/offset", func(t *testing.T) {
		n := countAll(t, c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5000)}}), func(v *workspaces.Workspace) any { return v.ID })
		if want := len(srv.Workspaces()); n != want {
			t.Errorf("%d workspaces, want %d", n, want)
		}
	})
	t.Run("memberships, object without count, limit/offset", func(t *testing.T) {
		n := countAll(t, c.Workspaces.AllMemberships(ctx, &workspaces.MembershipListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5000)}}), func(v *workspaces.Membership) any { return v.WorkspaceID })
		if want := len(srv.MembershipsOf(accountstest.OwnerToken)); n != want || want <= maxPage {
			t.Errorf("%d memberships, want %d", n, want)
		}
	})
}

// TestE2EAGatewayProblemIsReadAndRetried: a gateway's problem+json 502 is
// retried for a GET, and for a POST comes back with the gateway's detail,
// not its members as field errors.
func TestE2EAGatewayProblemIsReadAndRetried(t *testing.T) {
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	c := clientFor(t, srv, accountstest.OwnerToken)
	srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{accountstest.FaultGatewayProblem}, Only: firstOnly("GET", "/api/accounts/countries/NL")})
	if _, err := c.Countries.Get(context.Background(), "NL"); err != nil {
		t.Fatalf("GET after a gateway 502: %v", err)
	}
	srv.SetFaults(accountstest.Faults{Rate: 1, Kinds: []accountstest.Fault{accountstest.FaultGatewayProblem}})
	_, err := c.Workspaces.Switch(context.Background(), srv.Workspaces()[0].ID)
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || apiErr.Detail == "" || len(apiErr.FieldErrors) != 0 {
		t.Fatalf("err = %v (%+v)", err, apiErr)
	}
}
