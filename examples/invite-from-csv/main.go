// Command invite-from-csv sends an email invitation into the current workspace
// for every row of a CSV file.
//
// The CSV has two columns, email and auth_group (the id of the role the
// invitee gets: 2 ADMIN, 3 MEMBER; owners cannot be invited). A first row
// "email,auth_group" is taken as a header and skipped, spaces around values
// are trimmed and blank lines are skipped. The file is named by the argument;
// without one, or with "-", the CSV is read from standard input.
//
// Every row gets one line on standard output, numbered by its line in the
// file:
//
//	row 2  ana@example.com  invited  0b7c...
//	row 3  not-an-email  failed  invalid email: must be an email address like name@example.com
//	row 4  ana@example.com  failed  refused by the server (400): email: An invitation for this email address is already pending.
//
// A bad row (wrong number of columns, invalid email, auth_group that is not an
// integer, a refusal by the server) does not stop the others; the program
// exits non-zero when any row failed. Progress goes to standard error.
//
// With -dry-run it checks every row as the SDK would before sending
// (invitations.SendRequest.Validate) and prints "would invite" for the good
// ones, without contacting any server. The server's own rules (pending
// invitations, existing members, who may invite whom) are only checked when
// sending.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it
// talks to that API and sends real invitations. Otherwise it starts the
// in-memory test server, accountstest, in this process and says so.
//
//	go run ./examples/invite-from-csv invitees.csv
//	go run ./examples/invite-from-csv -dry-run - < invitees.csv
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/invitations"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "invite-from-csv:", err)
		os.Exit(1)
	}
}

// row is one record of the CSV: its line number, the email as written, and
// either the request to send or the reason the row cannot be sent.
type row struct {
	line  int
	email string
	req   *invitations.SendRequest
	err   error // set when the row is refused before sending
}

// run is the program: args are the command-line arguments after the program
// name, stdin is read when no file is named. It writes one line per row to out
// and progress to errOut, and returns an error when any row failed.
func run(ctx context.Context, args []string, stdin io.Reader, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("invite-from-csv", flag.ContinueOnError)
	fs.SetOutput(errOut)
	dryRun := fs.Bool("dry-run", false, "check every row without sending anything")
	fs.Usage = func() {
		fmt.Fprintln(errOut, "usage: invite-from-csv [-dry-run] [file.csv | -]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("expected at most one CSV file, got %d arguments", fs.NArg())
	}

	in, name := stdin, "standard input"
	if path := fs.Arg(0); path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("open CSV: %w", err)
		}
		defer f.Close()
		in, name = f, path
	}
	// Invitation lists are small: reading every row first gives the total
	// for the progress lines and reports a malformed file before anything
	// is sent.
	rows, err := readRows(in)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}

	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var client *accounts.Client
	if !*dryRun {
		c, done, err := exampleclient.New(errOut)
		if err != nil {
			return fmt.Errorf("client: %w", err)
		}
		defer done()
		client = c
	}

	var failed []string
	ok := 0
	for i, r := range rows {
		fmt.Fprintf(errOut, "[%d/%d] row %d\n", i+1, len(rows), r.line)
		email := r.email
		if email == "" {
			email = "(no email)"
		}
		err := r.err
		if err == nil {
			err = r.req.Validate()
		}
		if err == nil && *dryRun {
			fmt.Fprintf(out, "row %d  %s  would invite  as group %d\n", r.line, email, r.req.AuthGroup)
			ok++
			continue
		}
		if err == nil {
			var sent *invitations.EmailInvitation
			sent, err = client.Invitations.Send(ctx, r.req)
			if err == nil {
				fmt.Fprintf(out, "row %d  %s  invited  %s\n", r.line, email, sent.ID)
				ok++
				continue
			}
		}
		fmt.Fprintf(out, "row %d  %s  failed  %s\n", r.line, email, describe(err))
		failed = append(failed, strconv.Itoa(r.line))
		// Past these, every other row would fail the same way.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("stopped at row %d: %w", r.line, ctxErr)
		}
		if errors.Is(err, accounts.ErrUnauthorized) {
			return fmt.Errorf("stopped at row %d: %w", r.line, err)
		}
	}

	verb := "invited"
	if *dryRun {
		verb = "valid"
	}
	fmt.Fprintf(errOut, "done: %d of %d rows %s, %d failed\n", ok, len(rows), verb, len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d rows failed (rows %s)", len(failed), len(rows), strings.Join(failed, ", "))
	}
	return nil
}

// readRows reads every record of the CSV. A record that cannot become a
// request (wrong number of columns, unreadable CSV, auth_group not an integer)
// is kept with its error, so that it is reported in its place. The error
// returned is only for input that cannot be read at all.
func readRows(in io.Reader) ([]row, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1 // the column count is checked per row
	cr.TrimLeadingSpace = true
	var rows []row
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			// The reader goes on with the next record after a parse error.
			rows = append(rows, row{line: perr.StartLine, err: fmt.Errorf("bad CSV: %w", perr.Err)})
			first = false
			continue
		}
		if err != nil {
			return rows, err
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if strings.Join(rec, "") == "" {
			continue // a line of spaces (csv.Reader skips empty lines itself)
		}
		if first && len(rec) == 2 && strings.EqualFold(rec[0], "email") && strings.EqualFold(rec[1], "auth_group") {
			first = false
			continue
		}
		first = false
		r := row{line: line, email: rec[0]}
		if len(rec) != 2 {
			r.err = fmt.Errorf("expected 2 columns (email,auth_group), got %d", len(rec))
		} else if group, err := strconv.Atoi(rec[1]); err != nil {
			r.err = fmt.Errorf("auth_group %q is not an integer", rec[1])
		} else {
			r.req = &invitations.SendRequest{Email: rec[0], AuthGroup: group}
		}
		rows = append(rows, r)
	}
}

// describe renders why a row failed: the fields the SDK refused, or the
// server's detail and field errors, or the error itself.
func describe(err error) string {
	var apiErr *accounts.Error
	if errors.As(err, &apiErr) {
		var parts []string
		if apiErr.Detail != "" {
			parts = append(parts, apiErr.Detail)
		}
		keys := make([]string, 0, len(apiErr.FieldErrors))
		for k := range apiErr.FieldErrors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			msg := strings.Join(apiErr.FieldErrors[k], " ")
			if k != accounts.NonFieldErrors {
				msg = k + ": " + msg
			}
			parts = append(parts, msg)
		}
		if len(parts) == 0 {
			parts = append(parts, "no reason given")
		}
		return fmt.Sprintf("refused by the server (%d): %s", apiErr.StatusCode, strings.Join(parts, "; "))
	}
	// Validate joins one error per refused field.
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var parts []string
		for _, e := range joined.Unwrap() {
			parts = append(parts, describe(e))
		}
		return strings.Join(parts, "; ")
	}
	var inErr *accounts.InputError
	if errors.As(err, &inErr) {
		return "invalid " + inErr.Field + ": " + inErr.Reason
	}
	return err.Error()
}
