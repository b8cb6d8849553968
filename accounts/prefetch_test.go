package accounts_test

import (
	"context"
	"slices"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/coolset-go/sdk/workspaces"
)

func TestWithPrefetchRule(t *testing.T) {
	for n, want := range map[int]int{-5: 0, -1: 0, 0: 0, 1: 1, 3: 3, 32: 32} {
		if got := requestconfig.Apply([]requestconfig.Option{accounts.WithPrefetch(n)}).Ahead(10); got != want {
			t.Errorf("WithPrefetch(%d) fetches %d pages ahead, want %d", n, got, want)
		}
	}
	if got := requestconfig.Apply(nil).Ahead(10); got != 10 {
		t.Errorf("without the option %d pages ahead, want the default", got)
	}
}

// TestE2EWorkspacesAllWithPrefetch reads the 1,200 seeded workspaces with
// fetching ahead off, on by default and at several depths: the same items in
// the same order every time.
func TestE2EWorkspacesAllWithPrefetch(t *testing.T) {
	c, _ := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	ids := func(opts ...accounts.RequestOption) []int {
		t.Helper()
		all, err := accounts.Collect(c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(25)}}, opts...))
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int, len(all))
		for i, w := range all {
			out[i] = w.ID
		}
		return out
	}
	want := ids(accounts.WithPrefetch(0))
	if len(want) < 1000 {
		t.Fatalf("%d workspaces", len(want))
	}
	for _, opts := range [][]accounts.RequestOption{nil, {accounts.WithPrefetch(1)}, {accounts.WithPrefetch(4)}, {accounts.WithPrefetch(-1)}} {
		if got := ids(opts...); !slices.Equal(got, want) {
			t.Fatalf("with %d options: %d workspaces, not the same as one page at a time", len(opts), len(got))
		}
	}
}
