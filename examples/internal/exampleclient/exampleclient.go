// Package exampleclient builds the client every example program uses: the
// API named by ACCOUNTS_API_KEY and ACCOUNTS_BASE_URL when the key is set,
// otherwise an in-memory accountstest server started in this process.
package exampleclient

import (
	"fmt"
	"io"
	"os"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
)

// New returns a client and a function that releases what it started. When it
// falls back to accountstest it says so on notes.
func New(notes io.Writer) (*accounts.Client, func(), error) {
	if os.Getenv(accounts.EnvAPIKey) != "" {
		c, err := accounts.NewClient(accounts.WithEnv())
		return c, func() {}, err
	}
	srv := accountstest.NewServer()
	fmt.Fprintf(notes, "%s is not set: using the in-memory test server at %s\n", accounts.EnvAPIKey, srv.URL())
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}
