// Command organizations walks through an organization's life: create it,
// rename it, record usage, list organizations, delete it.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it talks
// to that API and changes real data. Otherwise it starts the in-memory test
// server, accountstest, in this process and says so.
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
	"os"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/organizations"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "organizations:", err)
		os.Exit(1)
	}
}

// run is the program: args are the command-line arguments after the program
// name. It writes each step to out and notes to errOut.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("organizations", flag.ContinueOnError)
	fs.SetOutput(errOut)
	slug := fs.String("slug", "sdk-example-org", "slug of the organization to create (letters, digits, - and _)")
	fs.Usage = func() {
		fmt.Fprintln(errOut, "usage: organizations [-slug slug]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %q", fs.Args())
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

	org, err = orgs.Patch(ctx, org.UUID, &organizations.PatchRequest{Name: accounts.Ptr("SDK Example, renamed")})
	if err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	fmt.Fprintf(out, "renamed  %s\n", org.Name)

	usage, err := orgs.Increment(ctx, org.UUID, 3)
	if err != nil {
		return fmt.Errorf("increment: %w", err)
	}
	fmt.Fprintf(out, "usage    %d of %d (%d remaining)\n", usage.Usage, usage.Limit, usage.Remaining)

	n := 0
	for o, err := range orgs.All(ctx, &organizations.ListOptions{PageSize: accounts.Ptr(50)}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if o.UUID == org.UUID {
			fmt.Fprintf(out, "listed   %s among the organizations\n", o.Slug)
		}
		n++
	}
	fmt.Fprintf(out, "total    %d organizations\n", n)

	if err := orgs.Delete(ctx, org.UUID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	_, err = orgs.Get(ctx, org.UUID)
	if !errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("the organization is still there after delete (%v)", err)
	}
	fmt.Fprintf(out, "deleted  %s\n", org.UUID)
	return nil
}
