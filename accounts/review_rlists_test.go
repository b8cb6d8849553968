package accounts_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/users"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/workspaces"
)

// TestReviewPrefetchTwoFetchesTheNextPage: WithPrefetch(2) is documented as
// keeping "the next page coming while the loop reads the current one". While
// the loop reads page k (k >= 1), page k+1 must have been requested.
func TestReviewPrefetchTwoFetchesTheNextPage(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	const size = 25
	opts := &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(size)}}
	i := 0
	for _, err := range c.Workspaces.All(ctx, opts, accounts.WithPrefetch(2)) {
		if err != nil {
			t.Fatal(err)
		}
		if i%size == 0 && i/size >= 1 && i/size <= 3 {
			k := i / size
			deadline := time.Now().Add(2 * time.Second)
			for len(srv.Requests()) < k+2 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if n := len(srv.Requests()); n < k+2 {
				t.Errorf("reading page %d with WithPrefetch(2): %d requests sent, want %d (page %d fetched ahead)", k, n, k+2, k+1)
			}
		}
		i++
		if i > 5*size {
			break
		}
	}
}

// TestReviewResponseIntoOnAllIsRaceFree: WithResponseInto given to All is
// documented ("*dst holds the answer of the last page fetched"); the pages
// fetched ahead write *dst from their own goroutines while the loop may read
// it. Run with -race.
func TestReviewResponseIntoOnAllIsRaceFree(t *testing.T) {
	c, _ := newServerClient(t, accountstest.OwnerToken)
	var resp accounts.Response
	opts := &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10)}}
	n := 0
	for _, err := range c.Workspaces.All(context.Background(), opts, accounts.WithResponseInto(&resp)) {
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 { // the caller reads the answer's status while looping
			t.Fatalf("status %d", resp.StatusCode)
		}
		if n++; n == 200 {
			break
		}
	}
}

// TestReviewCappedWalksFromEveryStart: All on capped servers, every paging
// start a caller can give, yields exactly the items from that start to the
// end, as one uncapped page read from the same start says.
func TestReviewCappedWalksFromEveryStart(t *testing.T) {
	ctx := context.Background()
	p := accounts.Ptr[int]
	type lo = accounts.LimitOffset
	type pn = accounts.PageNumber
	for _, capN := range []int{0, 7, 50} {
		srv := accountstest.NewServer(accountstest.WithMaxPageSize(capN), accountstest.WithUserCount(130), accountstest.WithWorkspaceCount(130))
		t.Cleanup(srv.Close)
		plain := accountstest.NewServer(accountstest.WithMaxPageSize(0), accountstest.WithUserCount(130), accountstest.WithWorkspaceCount(130))
		t.Cleanup(plain.Close)
		c := clientFor(t, srv, accountstest.OwnerToken)
		pc := clientFor(t, plain, accountstest.OwnerToken)
		for _, l := range []lo{{}, {Limit: p(0)}, {Limit: p(3)}, {Limit: p(100)}, {Offset: p(5)}, {Offset: p(5), Limit: p(3)}, {Offset: p(129)}, {Offset: p(500)}} {
			name := fmt.Sprintf("cap %d limit %v offset %v", capN, deref(l.Limit), deref(l.Offset))
			off := 0
			if l.Offset != nil {
				off = *l.Offset
			}
			// workspaces: envelope, limit/offset
			want, err := pc.Workspaces.List(ctx, &workspaces.ListOptions{LimitOffset: lo{Limit: p(100000), Offset: p(off)}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := accounts.Collect(c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: l}))
			if err != nil || len(got) != len(want.Results) {
				t.Errorf("workspaces %s: %d items, err %v; want %d", name, len(got), err, len(want.Results))
			}
			// memberships: object without count
			wm, err := pc.Workspaces.ListMemberships(ctx, &workspaces.MembershipListOptions{LimitOffset: lo{Limit: p(100000), Offset: p(off)}})
			if err != nil {
				t.Fatal(err)
			}
			gm, err := accounts.Collect(c.Workspaces.AllMemberships(ctx, &workspaces.MembershipListOptions{LimitOffset: l}))
			if err != nil || len(gm) != len(wm.Results) {
				t.Errorf("memberships %s: %d items, err %v; want %d", name, len(gm), err, len(wm.Results))
			}
			// users: bare array, limit/offset
			wu, err := pc.Users.List(ctx, &users.ListOptions{LimitOffset: lo{Limit: p(100000), Offset: p(off)}})
			if err != nil {
				t.Fatal(err)
			}
			gu, err := accounts.Collect(c.Users.All(ctx, &users.ListOptions{LimitOffset: l}))
			if err != nil || len(gu) != len(wu.Results) {
				t.Errorf("users %s: %d items, err %v; want %d", name, len(gu), err, len(wu.Results))
			}
			// countries: bare array
			wc, err := pc.Countries.List(ctx, &countries.ListOptions{LimitOffset: lo{Limit: p(100000), Offset: p(off)}})
			if err != nil {
				t.Fatal(err)
			}
			gc, err := accounts.Collect(c.Countries.All(ctx, &countries.ListOptions{LimitOffset: l}))
			if err != nil || len(gc) != len(wc.Results) {
				t.Errorf("countries %s: %d items, err %v; want %d", name, len(gc), err, len(wc.Results))
			}
		}
		for _, q := range []pn{{PageSize: p(3)}, {Page: p(2)}, {Page: p(2), PageSize: p(3)}, {Page: p(40), PageSize: p(3)}, {Page: p(1000)}} {
			name := fmt.Sprintf("cap %d page %v size %v", capN, deref(q.Page), deref(q.PageSize))
			size := 1000 // All's default
			if q.PageSize != nil {
				size = *q.PageSize
			}
			if capN > 0 {
				size = min(size, capN)
			}
			if q.Page != nil && *q.Page > 1 && q.PageSize == nil {
				size = accountstest.DefaultPageSize // the page List names: the server's default size
			}
			start := 0
			if q.Page != nil {
				start = (*q.Page - 1) * size
			}
			all, err := pc.Users.List(ctx, &users.ListOptions{PageNumber: pn{PageSize: p(100000)}})
			if err != nil {
				t.Fatal(err)
			}
			want := max(len(all.Results)-start, 0)
			got, err := accounts.Collect(c.Users.All(ctx, &users.ListOptions{PageNumber: q}))
			if len(got) != want {
				t.Errorf("users %s: %d items, err %v; want %d", name, len(got), err, want)
			}
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// TestReviewAllStartsAtTheListsPage: "A list's All starts where the options
// say; its List fetches the one page they name" (package paging). Page 2
// without a page size names the server's second page (items 100 to 199 with
// the server's default size of 100); All, which asks for pages of 1,000 when
// no size is set, must still start at that page's first item, not at item
// 1,000.
func TestReviewAllStartsAtTheListsPage(t *testing.T) {
	c, _ := newServerClient(t, accountstest.OwnerToken, accountstest.WithPageSize(100), accountstest.WithUserCount(1500))
	ctx := context.Background()
	for _, opts := range []*users.ListOptions{
		{PageNumber: accounts.PageNumber{Page: accounts.Ptr(2)}},
	} {
		page, err := c.Users.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Results) == 0 {
			t.Fatal("empty page")
		}
		for u, err := range c.Users.All(ctx, opts) {
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != page.Results[0].ID {
				t.Errorf("List(page 2) starts with user %d, All(page 2) with user %d: All skipped items", page.Results[0].ID, u.ID)
			}
			break
		}
	}
}
