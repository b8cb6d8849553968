package accounts_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/users"
)

// wantIDs returns the ids of the server's users of a workspace.
func wantIDs(srv *accountstest.Server, workspace int) []int {
	var ids []int
	for _, u := range srv.UsersOfWorkspace(workspace) {
		ids = append(ids, u.ID)
	}
	return ids
}

func collectIDs(t *testing.T, seq func(yield func(*users.User, error) bool)) []int {
	t.Helper()
	var ids []int
	for u, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

func TestE2EUsersMe(t *testing.T) {
	c, srv := newServerClient(t, accountstest.AdminToken)
	ctx := context.Background()
	me, err := c.Users.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := srv.TokenUser(accountstest.AdminToken)
	active, _ := srv.ActiveWorkspace(accountstest.AdminToken)
	if me.ID != rec.ID || me.Email != rec.Email || me.Company == nil || me.Company.ID != active.ID || me.Company.Name != active.Name ||
		me.AuthGroup == nil || me.AuthGroup.Name != "ADMIN" || !me.HasPermission("view_user") || me.UserCompany == nil {
		t.Fatalf("me = %+v", me)
	}
	if n, err := me.UserCompany.CompanyID.Int(); err != nil || n != active.ID {
		t.Errorf("user_company.company_id = %q", me.UserCompany.CompanyID)
	}
	legacy, err := c.Users.Current(ctx)
	if err != nil || legacy.ID != me.ID || legacy.Email != me.Email {
		t.Fatalf("deprecated current = %+v, %v", legacy, err)
	}
}

func TestE2EUsersListBothShapes(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	want := wantIDs(srv, 1)
	if len(want) < 200 {
		t.Fatalf("the server's first workspace has %d users; the test needs several pages", len(want))
	}

	t.Run("limit/offset walks bare arrays", func(t *testing.T) {
		got := collectIDs(t, c.Users.All(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(40)}}))
		if !slices.Equal(got, want) {
			t.Fatalf("got %d users, want %d (first difference at %d)", len(got), len(want), firstDiff(got, want))
		}
		page, err := c.Users.List(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5), Offset: accounts.Ptr(10)}})
		if err != nil || page.Count != nil || len(page.Results) != 5 || page.Results[0].ID != want[10] || page.Results[0].Company == nil {
			t.Fatalf("bare page = %+v, %v", page, err)
		}
	})
	t.Run("page/page_size follows envelopes", func(t *testing.T) {
		got := collectIDs(t, c.Users.All(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(33)}}))
		if !slices.Equal(got, want) {
			t.Fatalf("got %d users, want %d (first difference at %d)", len(got), len(want), firstDiff(got, want))
		}
		page, err := c.Users.List(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(2), PageSize: accounts.Ptr(10)}})
		if err != nil || page.Count == nil || *page.Count != len(want) || page.Next == "" || page.Previous == "" ||
			page.Results[0].ID != want[10] || page.Results[0].UUID == "" || page.Results[0].IsActive == nil {
			t.Fatalf("envelope page = %+v, %v", page, err)
		}
	})
	t.Run("search", func(t *testing.T) {
		page, err := c.Users.List(ctx, &users.ListOptions{Search: "OWNER@accountstest"})
		if err != nil || len(page.Results) != 1 || page.Results[0].Email != "owner@accountstest.invalid" {
			t.Fatalf("search = %+v, %v", page, err)
		}
	})
}

func TestE2EUsersNeedViewUser(t *testing.T) {
	c, _ := newServerClient(t, accountstest.MemberToken)
	_, err := c.Users.List(context.Background(), nil)
	if !errors.Is(err, accounts.ErrForbidden) {
		t.Fatalf("member listing users: %v, want 403", err)
	}
	if _, err := c.Users.Me(context.Background()); err != nil {
		t.Fatalf("member reading their own profile: %v", err)
	}
}

func TestE2EUsersCRUD(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	created, err := c.Users.Create(ctx, &users.CreateRequest{Email: "new.person@example.com", FirstName: "New", LastName: "Person", Groups: []int{accountstest.GroupMember}})
	if err != nil {
		t.Fatal(err)
	}
	if created.UUID == "" || created.Email != "new.person@example.com" || created.IsActive == nil || !*created.IsActive {
		t.Fatalf("created = %+v", created)
	}
	got, err := c.Users.Get(ctx, created.UUID)
	if err != nil || got.ID != created.ID {
		t.Fatalf("get = %+v, %v", got, err)
	}
	patched, err := c.Users.Patch(ctx, created.UUID, &users.PatchRequest{IsActive: accounts.Ptr(false), Groups: &[]int{accountstest.GroupAdmin}})
	if err != nil || *patched.IsActive || len(patched.Groups) != 1 || patched.Groups[0] != accountstest.GroupAdmin || patched.FirstName != "New" {
		t.Fatalf("patch = %+v, %v", patched, err)
	}
	updated, err := c.Users.Update(ctx, created.UUID, &users.UpdateRequest{Email: "renamed@example.com", FirstName: "Re", LastName: "Named"})
	if err != nil || updated.Email != "renamed@example.com" || updated.FirstName != "Re" || len(updated.Groups) != 0 {
		t.Fatalf("update = %+v, %v", updated, err)
	}
	if !slices.Contains(wantIDs(srv, 1), created.ID) {
		t.Error("the new user is not in the caller's active workspace")
	}

	// The server's own checks, past the SDK's: an unknown group.
	_, err = c.Users.Patch(ctx, created.UUID, &users.PatchRequest{Groups: &[]int{99}})
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["groups"]) != 1 {
		t.Fatalf("unknown group: %v", err)
	}

	if err := c.Users.Delete(ctx, created.UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(ctx, created.UUID); !errors.Is(err, accounts.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if slices.Contains(wantIDs(srv, 1), created.ID) {
		t.Error("the deleted user is still listed")
	}
}

func TestE2EUsersMemberCannotCreate(t *testing.T) {
	c, srv := newServerClient(t, accountstest.MemberToken)
	before := len(srv.Users())
	_, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: "x@example.com"})
	if !errors.Is(err, accounts.ErrForbidden) || len(srv.Users()) != before {
		t.Fatalf("member creating a user: %v", err)
	}
}
