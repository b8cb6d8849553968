package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/organizations"
)

func TestE2EOrganizations(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()

	// Full iteration of a page-based list, in small pages.
	var got []string
	for o, err := range c.Organizations.All(ctx, &organizations.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(7)}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.UUID)
	}
	want := srv.Organizations()
	if len(got) != len(want) || len(want) < 20 {
		t.Fatalf("All gave %d organizations, server has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].UUID {
			t.Fatalf("organization %d = %s, want %s", i, got[i], want[i].UUID)
		}
	}

	org, err := c.Organizations.Create(ctx, &organizations.CreateRequest{Name: "Test Org", Slug: "test-org"})
	if err != nil {
		t.Fatal(err)
	}
	if org.UUID == "" || org.Slug != "test-org" || org.AccountPortalURL == "" {
		t.Errorf("created %+v", org)
	}
	got1, err := c.Organizations.Get(ctx, org.UUID)
	if err != nil || *got1 != *org {
		t.Fatalf("get after create = %+v, %v; want %+v", got1, err, org)
	}
	_, err = c.Organizations.Create(ctx, &organizations.CreateRequest{Name: "Other", Slug: "test-org"})
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["slug"]) != 1 {
		t.Errorf("duplicate slug: %v", err)
	}

	renamed, err := c.Organizations.Patch(ctx, org.UUID, &organizations.PatchRequest{Name: accounts.Ptr("Renamed Org")})
	if err != nil || renamed.Name != "Renamed Org" || renamed.Slug != "test-org" {
		t.Fatalf("patch: %+v, %v", renamed, err)
	}
	replaced, err := c.Organizations.Update(ctx, org.UUID, &organizations.UpdateRequest{Name: "Replaced", Slug: "replaced"})
	if err != nil || replaced.Name != "Replaced" || replaced.Slug != "replaced" {
		t.Fatalf("update: %+v, %v", replaced, err)
	}
	page, err := c.Organizations.List(ctx, &organizations.ListOptions{Slug: "replaced"})
	if err != nil || *page.Count != 1 || page.Results[0].UUID != org.UUID {
		t.Fatalf("list by slug: %+v, %v", page, err)
	}

	u, err := c.Organizations.Increment(ctx, org.UUID, 400)
	if err != nil || u.Usage != 400 || u.Remaining != accountstest.DefaultUsageLimit-400 || u.Overridden {
		t.Fatalf("increment: %+v, %v", u, err)
	}
	_, err = c.Organizations.Increment(ctx, org.UUID, accountstest.DefaultUsageLimit)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["usage"]) != 1 {
		t.Errorf("increment past the limit: %v", err)
	}

	member, _ := newServerClient(t, accountstest.MemberToken)
	if _, err := member.Organizations.Create(ctx, &organizations.CreateRequest{Name: "M", Slug: "m"}); !errors.Is(err, accounts.ErrForbidden) {
		t.Errorf("member create: %v", err)
	}

	if err := c.Organizations.Delete(ctx, org.UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Organizations.Get(ctx, org.UUID); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := c.Organizations.List(ctx, &organizations.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(99)}}); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("page past the end: %v", err)
	}
}
