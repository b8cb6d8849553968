package accounts_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
)

func TestE2EAnalysts(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	var want []string
	for _, u := range srv.Users() {
		if u.Analyst {
			want = append(want, u.UUID)
		}
	}
	var got []string
	for a, err := range c.Analysts.All(ctx, &accounts.AnalystListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(6)}}) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := a.Extra["email"]; !ok {
			t.Fatalf("analyst %s lost its undocumented members: %+v", a.UserUUID, a)
		}
		got = append(got, a.UserUUID)
	}
	if len(want) < 13 || !slices.Equal(got, want) {
		t.Fatalf("All gave %d analysts, want %d", len(got), len(want))
	}
	page, err := c.Analysts.List(ctx, &accounts.AnalystListOptions{Search: "owner@"})
	if err != nil || *page.Count != 1 || len(page.Results) != 1 {
		t.Fatalf("search = %+v, %v", page, err)
	}

	me, _ := srv.TokenUser(accountstest.OwnerToken)
	cur, err := c.Analysts.Me(ctx)
	if err != nil || cur.UserUUID != me.UUID || cur.ConsentGiven {
		t.Fatalf("current = %+v, %v", cur, err)
	}
	cur, err = c.Analysts.PatchMe(ctx, &accounts.AnalystPatchRequest{ConsentGiven: accounts.Ptr(true)})
	if err != nil || !cur.ConsentGiven {
		t.Fatalf("patched = %+v, %v", cur, err)
	}
	if cur, err = c.Analysts.Me(ctx); err != nil || !cur.ConsentGiven {
		t.Fatalf("consent not kept: %+v, %v", cur, err)
	}
}

func TestE2EGroups(t *testing.T) {
	c, _ := newServerClient(t, accountstest.OwnerToken, accountstest.WithPageSize(2))
	ctx := context.Background()
	groups, err := accounts.Collect(c.Groups.All(ctx, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 || groups[0].ID != accountstest.GroupOwner || groups[1].Name != "ADMIN" || groups[2].Name != "MEMBER" {
		t.Fatalf("groups = %+v", groups)
	}
	if _, ok := groups[0].Extra["permissions"]; !ok {
		t.Error("the undocumented permissions member was dropped")
	}
	page, err := c.Groups.List(ctx, &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(2)}})
	if err != nil || len(page.Results) != 1 || page.Next != "" || page.Previous == "" {
		t.Fatalf("page 2 = %+v, %v", page, err)
	}
	if _, err := c.Groups.List(ctx, &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(3)}}); !errors.Is(err, accounts.ErrNotFound) {
		t.Fatalf("page past the end: %v", err)
	}
}

func TestE2ELoginURL(t *testing.T) {
	c, _ := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	p, err := c.LoginURL(ctx, "owner@accountstest.invalid")
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(p.Params)
	if err != nil || q.Get("account_identifier") != "owner@accountstest.invalid" || q.Get("login_hint") == "" {
		t.Fatalf("params = %q (%v)", p.Params, err)
	}
	shared, err := c.LoginURL(ctx, accountstest.SharedEmail)
	if err != nil || shared.Params != accountstest.ManualEntryParams {
		t.Fatalf("shared email: %+v, %v", shared, err)
	}
	// An address Django's validator refuses (a one-letter top-level domain)
	// is refused by the SDK before sending; the server's own answer to it is
	// tested in accountstest.
	_, err = c.LoginURL(ctx, "one.letter@example.c")
	var inErr *accounts.InputError
	if !errors.As(err, &inErr) || inErr.Field != "email" {
		t.Fatalf("invalid email: %v", err)
	}
}

func TestE2EPortal(t *testing.T) {
	c, _ := newServerClient(t, accountstest.AdminToken)
	got, err := c.Portal(context.Background())
	if err != nil || got.StatusCode != 302 || got.Location != accountstest.PortalURL {
		t.Fatalf("admin portal = %+v, %v", got, err)
	}
	c, _ = newServerClient(t, accountstest.MemberToken)
	got, err = c.Portal(context.Background())
	if err != nil || got.StatusCode != 200 || got.Location != "" {
		t.Fatalf("member portal = %+v, %v", got, err)
	}
}
