// Command quickstart lists a few workspaces and countries and shows the
// current user's configuration.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it talks
// to that API. Otherwise it starts the in-memory test server, accountstest, in
// this process. Standard error says which server it uses.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/workspaces"
)

func main() { exampleclient.Main("quickstart", run) }

// run is the program: args are the command-line arguments after the program
// name (it takes none but -h). It writes its report to out and notes to
// errOut.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	if err := exampleclient.Parse(fs, "usage: quickstart", args, 0, errOut); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	client, done, err := exampleclient.New(errOut)
	if err != nil {
		return err
	}
	defer done()

	cfg, err := client.UserConfig.Get(ctx)
	if err != nil {
		return fmt.Errorf("user config: %w", err)
	}
	fmt.Fprintf(out, "Active workspace type: %s; available actions: %v\n", cfg.CompanyType, cfg.AvailableActions)

	// One page, with the total count.
	page, err := client.Workspaces.List(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(5)}})
	if err != nil {
		return fmt.Errorf("workspaces: %w", err)
	}
	total := 0
	if page.Count != nil {
		total = *page.Count
	}
	fmt.Fprintf(out, "You belong to %d workspaces. The first %d:\n", total, len(page.Results))
	for _, ws := range page.Results {
		fmt.Fprintf(out, "  #%d %s (%s)\n", ws.ID, ws.Name, ws.Type)
	}

	// Every item across pages, with typed filters.
	opts2 := workspaces.Where(
		workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial),
		workspaces.Country.In("NL", "BE"),
		workspaces.OrderBy(workspaces.FieldName.Asc()),
	)
	n := 0
	for ws, err := range client.Workspaces.All(ctx, opts2) {
		if err != nil {
			return fmt.Errorf("workspaces: %w", err)
		}
		if n < 3 {
			fmt.Fprintf(out, "  active or trial in NL/BE: %s\n", ws.Name)
		}
		n++
	}
	fmt.Fprintf(out, "Active or trial workspaces in the Netherlands or Belgium: %d\n", n)

	nl, err := client.Countries.Get(ctx, "NL")
	if err != nil {
		return fmt.Errorf("country: %w", err)
	}
	fmt.Fprintf(out, "Country NL: %s (%s, %s)\n", nl.Name, nl.Alpha3, nl.Numeric)
	return nil
}
