// Command organizations walks through an organization's life: create it,
// rename it, record usage, list organizations, delete it.
//
// When a step after the create fails, or the run is cancelled, it still
// deletes the organization it created before it exits, says so on standard
// error, and reports it when even that delete fails, so that a failed run
// leaves nothing behind.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it talks
// to that API and changes real data. Otherwise it starts the in-memory test
// server, accountstest, in this process. Standard error says which server it
// uses.
//
//	go run ./examples/organizations
//	go run ./examples/organizations -slug my-test-org
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/organizations"
)

func main() { exampleclient.Main("organizations", run) }

// run is the program: args are the command-line arguments after the program
// name. It writes each step to out and notes to errOut. Once the organization
// is created, it is deleted before run returns, whichever step fails.
func run(ctx context.Context, args []string, out, errOut io.Writer) (err error) {
	fs := flag.NewFlagSet("organizations", flag.ContinueOnError)
	slug := fs.String("slug", "sdk-example-org", "slug of the organization to create (letters, digits, - and _)")
	if err := exampleclient.Parse(fs, "usage: organizations [-slug slug]", args, 0, errOut); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	client, done, err := exampleclient.New(errOut)
	if err != nil {
		return err
	}
	defer done()
	orgs := client.Organizations

	org, err := orgs.Create(ctx, &organizations.CreateRequest{Name: "SDK Example", Slug: *slug})
	if err != nil {
		var apiErr *accounts.Error
		if errors.As(err, &apiErr) && len(apiErr.FieldErrors["slug"]) > 0 {
			return fmt.Errorf("slug %q refused: %s", *slug, apiErr.FieldErrors["slug"][0])
		}
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(out, "created  %s (%s) %s\n", org.Name, org.Slug, org.UUID)
	id := org.UUID

	// From here on the organization exists: whatever fails, or when ctx is
	// cancelled, it is deleted on the way out.
	deleted := false
	defer func() {
		if !deleted {
			err = errors.Join(err, cleanUp(ctx, orgs, id, errOut))
		}
	}()

	org, err = orgs.Patch(ctx, id, &organizations.PatchRequest{Name: accounts.Ptr("SDK Example, renamed")})
	if err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	fmt.Fprintf(out, "renamed  %s\n", org.Name)

	usage, err := orgs.Increment(ctx, id, 3)
	if err != nil {
		return fmt.Errorf("increment: %w", err)
	}
	fmt.Fprintf(out, "usage    %d of %d (%d remaining)\n", usage.Usage, usage.Limit, usage.Remaining)

	n := 0
	for o, err := range orgs.All(ctx, &organizations.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(50)}}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if o.UUID == id {
			fmt.Fprintf(out, "listed   %s among the organizations\n", o.Slug)
		}
		n++
	}
	fmt.Fprintf(out, "total    %d organizations\n", n)

	if err := orgs.Delete(ctx, id); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	deleted = true
	_, err = orgs.Get(ctx, id)
	if !errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("the organization is still there after delete (%v)", err)
	}
	fmt.Fprintf(out, "deleted  %s\n", id)
	return nil
}

// cleanupTimeout bounds the delete that cleans up after a failed run.
const cleanupTimeout = 15 * time.Second

// cleanUp deletes the organization id that a failed or cancelled run left
// behind and says so on errOut. It uses a context of its own, without ctx's
// cancellation or deadline, so that it still runs when ctx is done. An
// organization that is already gone counts as deleted; any other failure is
// returned, naming the organization to delete by hand.
func cleanUp(ctx context.Context, orgs *organizations.Service, id string, errOut io.Writer) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if err := orgs.Delete(ctx, id); err != nil && !errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("cleanup: the organization %s is left behind (delete it by hand): %w", id, err)
	}
	fmt.Fprintf(errOut, "cleanup: deleted the organization %s\n", id)
	return nil
}
