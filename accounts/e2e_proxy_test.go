package accounts_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
)

// TestE2EWalksBehindAProxyThatHidesTheAddress: a Django server behind a
// proxy writes its next links for the address it is reached at inside (an
// internal host over http, with or without the prefix the proxy strips).
// With the SDK's defaults, and without fetching ahead, a walk still lists
// every workspace once, asks only the client's base URL (the fake would
// answer nothing at web:8000, which does not exist), and logs one warning.
func TestE2EWalksBehindAProxyThatHidesTheAddress(t *testing.T) {
	for _, address := range []string{"http://web:8000/api/", "http://web:8000/"} {
		for _, opts := range [][]accounts.RequestOption{nil, {accounts.WithPrefetch(0)}} {
			t.Run(address, func(t *testing.T) {
				srv := accountstest.NewServer(accountstest.WithLinkAddress(address), accountstest.WithMaxPageSize(100))
				t.Cleanup(srv.Close)
				var logs strings.Builder
				c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken),
					accounts.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
				if err != nil {
					t.Fatal(err)
				}
				seen := map[int]bool{}
				for ws, err := range c.Workspaces.All(context.Background(), nil, opts...) {
					if err != nil {
						t.Fatalf("after %d workspaces: %v", len(seen), err)
					}
					if seen[ws.WorkspaceID] {
						t.Fatalf("workspace %d twice", ws.WorkspaceID)
					}
					seen[ws.WorkspaceID] = true
				}
				if len(seen) != len(srv.Workspaces()) {
					t.Errorf("%d workspaces, want %d", len(seen), len(srv.Workspaces()))
				}
				if n := strings.Count(logs.String(), "next links name another address"); n != 1 {
					t.Errorf("%d warnings, want 1: %s", n, logs.String())
				}
			})
		}
	}
}
