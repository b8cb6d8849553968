// Command export-users writes every user of the active workspace to standard
// output as CSV, one row per user as it arrives, with the header
//
//	id,uuid,email,first_name,last_name,job_title,auth_group,is_active,groups
//
// Each column is one field of the API's answer, empty when the answer leaves
// it out:
//
//   - auth_group is the id of the user's role in the active workspace (the
//     answer's auth_group; the value invite-from-csv takes).
//   - groups is every group id of the answer's groups list, in the answer's
//     order, separated by single spaces: "2 3" for a user in groups 2 and 3.
//
// It walks the user list by limit and offset (client.Users.All without Page
// or PageSize), the workspace-centric shape, which answers full profiles: id,
// email, names, job title and auth_group are filled, but that shape carries
// no uuid, no is_active and no groups list, so those three columns are empty
// unless the server adds them (the organization-centric shape has uuid,
// is_active and groups, and no auth_group).
// Rows are streamed: each user is written as its page arrives, and the users
// are never gathered into one list.
// Progress and the final count go to standard error. Nothing is written to
// standard output before the first answer: a run refused at once (no
// view_user permission, no server) leaves the output empty, not a lone
// header.
//
// Names, email, job title and uuid come from the users themselves, so a cell
// could hold a spreadsheet formula such as =HYPERLINK(...) that runs when the
// file is opened in Excel, LibreOffice or Google Sheets (CSV or formula
// injection). Following OWASP's advice, a text cell that starts with =, +, -,
// @, a tab or a carriage return is written with a single quote ' in front, so
// that spreadsheets show it as text: the last name "-Smith" is exported as
// "'-Smith". Programs that read the file back should drop that one leading
// quote from such cells. The ids, auth_group, groups and is_active, which the
// program renders from numbers and booleans itself, are written unchanged.
//
// -page-size sets how many users each request asks for (the limit
// parameter). A server that caps the limit lower than asked serves fewer per
// page without ending the walk early: the SDK ends it only at an empty page
// or at one shorter than an earlier page (see Pagination in the README).
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it
// talks to that API; the key's user needs the view_user permission. Otherwise
// it starts the in-memory test server, accountstest, in this process.
// Standard error says which server it uses.
//
//	go run ./examples/export-users > users.csv
//	go run ./examples/export-users -page-size 50 > users.csv
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/users"
)

func main() { exampleclient.Main("export-users", run) }

// header is the CSV's first row.
var header = []string{"id", "uuid", "email", "first_name", "last_name", "job_title", "auth_group", "is_active", "groups"}

// progressEvery is how many rows pass between two progress lines.
const progressEvery = 100

// run is the program: args are the command-line arguments after the program
// name. It writes the CSV to out and progress to errOut.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("export-users", flag.ContinueOnError)
	pageSize := fs.Int("page-size", 100, "users per request (the limit parameter), at least 1")
	const usage = "usage: export-users [-page-size n] > users.csv"
	if err := exampleclient.Parse(fs, usage, args, 0, errOut); err != nil {
		return err
	}
	if *pageSize < 1 {
		return &exampleclient.UsageError{Err: fmt.Errorf("-page-size must be at least 1, got %d", *pageSize), Usage: usage}
	}
	opts := &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(*pageSize)}}
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("list options: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	client, done, err := exampleclient.New(errOut)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer done()

	// The header is written with the first user, or at the end of a walk
	// that found none: a run that fails on its first request (no
	// permission, no server) writes nothing to standard output, so that
	// "export-users > users.csv" leaves no file that looks like a result.
	w := csv.NewWriter(out)
	n := 0
	for u, err := range client.Users.All(ctx, opts) {
		if err != nil {
			w.Flush() // keep the rows already listed
			return fmt.Errorf("list users (after %d): %w", n, err)
		}
		if n == 0 {
			if err := w.Write(header); err != nil {
				return fmt.Errorf("write header: %w", err)
			}
		}
		if err := w.Write(record(u)); err != nil {
			return fmt.Errorf("write user %d: %w", u.ID, err)
		}
		n++
		if n%progressEvery == 0 {
			fmt.Fprintf(errOut, "... %d users\n", n)
		}
	}
	if n == 0 {
		if err := w.Write(header); err != nil {
			return fmt.Errorf("write header: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	fmt.Fprintf(errOut, "exported %d users\n", n)
	return nil
}

// record renders one user as a CSV row in header's order; fields the answer
// left out are empty. Text from the answer goes through safeCell.
func record(u *users.User) []string {
	group := ""
	if u.AuthGroup != nil {
		group = strconv.Itoa(u.AuthGroup.ID)
	}
	active := ""
	if u.IsActive != nil {
		active = strconv.FormatBool(*u.IsActive)
	}
	groups := make([]string, len(u.Groups))
	for i, g := range u.Groups {
		groups[i] = strconv.Itoa(g)
	}
	return []string{
		strconv.Itoa(u.ID), safeCell(u.UUID), safeCell(u.Email), safeCell(u.FirstName),
		safeCell(u.LastName), safeCell(u.JobTitle), group, active, strings.Join(groups, " "),
	}
}

// safeCell neutralises a text cell that a spreadsheet would run as a formula:
// one that starts with =, +, -, @, a tab or a carriage return gets a leading
// single quote, which makes spreadsheets treat the cell as text (OWASP's
// advice against CSV injection). Other text is returned unchanged.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
