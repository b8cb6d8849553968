// Command workspace-report counts the workspaces the user belongs to by type
// and by country.
//
// The flags restrict the count with the API's filters, built with the typed
// builders of package workspaces, so the server does the selection:
//
//	-type active,trial   workspaces.Type.In (type__in)
//	-country NL,BE       workspaces.Country.In (country__in; two-letter codes, upper-cased)
//	-name green          workspaces.Name.IContains (name__icontains)
//
// Spaces around the items of -type and -country are ignored, but an empty
// item is refused (-type , or -type active,,trial), so that a stray comma
// cannot quietly turn the filter off; leave the flag out to count every type
// or country. So is an unknown type, and a country that is not a two-letter
// ISO 3166-1 code (-country NLD would match nothing and count 0): each such
// command line exits with status 2 before anything is sent.
//
// It then walks every matching workspace once with client.Workspaces.All and
// prints the filters, a table by type (the API's order: the requested types,
// or all six, including those with no workspace), a table by country (most
// workspaces first, then by code; a workspace without a country counts as
// "(none)"), and the total.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it
// talks to that API. Otherwise it starts the in-memory test server,
// accountstest, in this process. Standard error says which server it uses.
//
//	go run ./examples/workspace-report
//	go run ./examples/workspace-report -country NL,BE -type active,trial -name green
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/workspaces"
)

func main() { exampleclient.Main("workspace-report", run) }

// noCountry labels workspaces whose country is null.
const noCountry = "(none)"

// run is the program: args are the command-line arguments after the program
// name. It writes the report to out and notes to errOut.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("workspace-report", flag.ContinueOnError)
	typeFlag := fs.String("type", "", "count only these workspace types, comma-separated (e.g. active,trial)")
	countryFlag := fs.String("country", "", "count only these country codes, comma-separated (e.g. NL,BE)")
	nameFlag := fs.String("name", "", "count only workspaces whose name contains this text, ignoring case")
	const usage = "usage: workspace-report [-type t1,t2] [-country C1,C2] [-name text]"
	if err := exampleclient.Parse(fs, usage, args, 0, errOut); err != nil {
		return err
	}

	types, countries, err := parseFilters(*typeFlag, *countryFlag)
	if err != nil {
		return &exampleclient.UsageError{Err: err, Usage: usage}
	}
	name := strings.TrimSpace(*nameFlag)

	// Walk in id order, so that the offsets stay stable from page to page.
	filters := []workspaces.Filter{workspaces.OrderBy(workspaces.FieldID.Asc())}
	var desc []string
	if len(types) > 0 {
		filters = append(filters, workspaces.Type.In(types...))
		desc = append(desc, "type in "+joinTypes(types))
	}
	if len(countries) > 0 {
		filters = append(filters, workspaces.Country.In(countries...))
		desc = append(desc, "country in "+strings.Join(countries, ","))
	}
	if name != "" {
		filters = append(filters, workspaces.Name.IContains(name))
		desc = append(desc, fmt.Sprintf("name contains %q", name))
	}
	opts := workspaces.Where(filters...)
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("filters: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	client, done, err := exampleclient.New(errOut)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer done()

	byType := map[workspaces.WorkspaceType]int{}
	byCountry := map[string]int{}
	total := 0
	for ws, err := range client.Workspaces.All(ctx, opts) {
		if err != nil {
			return fmt.Errorf("list workspaces (after %d): %w", total, err)
		}
		byType[ws.Type]++
		country := noCountry
		if ws.Country != nil && *ws.Country != "" {
			country = *ws.Country
		}
		byCountry[country]++
		total++
	}

	if len(desc) == 0 {
		desc = []string{"none"}
	}
	fmt.Fprintf(out, "Filters: %s\n", strings.Join(desc, "; "))

	// The requested types, or every type, in the API's order; then any type
	// the server knows and this SDK does not, by name.
	shown := types
	if len(shown) == 0 {
		shown = workspaces.Types()
	}
	var other []workspaces.WorkspaceType
	for t := range byType {
		if !slices.Contains(shown, t) {
			other = append(other, t)
		}
	}
	slices.Sort(other)
	fmt.Fprintln(out, "\nBy type")
	for _, t := range append(shown, other...) {
		fmt.Fprintf(out, "  %-12s %6d\n", t, byType[t])
	}

	codes := make([]string, 0, len(byCountry))
	for c := range byCountry {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(byCountry[b], byCountry[a]), cmp.Compare(a, b))
	})
	fmt.Fprintln(out, "\nBy country")
	if len(codes) == 0 {
		fmt.Fprintln(out, "  (no workspaces)")
	}
	for _, c := range codes {
		fmt.Fprintf(out, "  %-12s %6d\n", c, byCountry[c])
	}
	fmt.Fprintf(out, "\nTotal %15d\n", total)
	return nil
}

// parseFilters reads the values of -type and -country: the types asked, in
// the API's order, and the country codes, upper-cased and each once. A type
// the SDK does not know, or a country that is not two letters (an ISO 3166-1
// alpha-2 code, such as NL; not NLD), is refused: the server would match
// nothing and the report would quietly count 0.
func parseFilters(typeFlag, countryFlag string) (types []workspaces.WorkspaceType, countries []string, err error) {
	typeList, err := splitList(typeFlag)
	if err != nil {
		return nil, nil, fmt.Errorf("-type: %w", err)
	}
	countryList, err := splitList(countryFlag)
	if err != nil {
		return nil, nil, fmt.Errorf("-country: %w", err)
	}
	var asked []workspaces.WorkspaceType
	for _, t := range typeList {
		wt := workspaces.WorkspaceType(strings.ToLower(t))
		if !wt.Known() {
			return nil, nil, fmt.Errorf("-type: unknown workspace type %q (want one of %s)", t, joinTypes(workspaces.Types()))
		}
		asked = append(asked, wt)
	}
	for _, t := range workspaces.Types() {
		if slices.Contains(asked, t) {
			types = append(types, t)
		}
	}
	for _, c := range countryList {
		if !isAlpha2(c) {
			return nil, nil, fmt.Errorf("-country: %q is not a two-letter country code (ISO 3166-1 alpha-2, such as NL)", c)
		}
		if c = strings.ToUpper(c); !slices.Contains(countries, c) {
			countries = append(countries, c)
		}
	}
	return types, countries, nil
}

// isAlpha2 reports whether s is two ASCII letters, either case.
func isAlpha2(s string) bool {
	return len(s) == 2 && !strings.ContainsFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') })
}

// splitList splits a comma-separated flag value, trimming spaces. An empty
// value is an empty list; an empty item in a value that is not is an error.
func splitList(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	items := strings.Split(s, ",")
	for i, item := range items {
		if items[i] = strings.TrimSpace(item); items[i] == "" {
			return nil, fmt.Errorf("empty item in %q (separate the items with single commas, or leave the flag out for no filter)", s)
		}
	}
	return items, nil
}

func joinTypes(types []workspaces.WorkspaceType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}
