// Command invite-from-csv sends an email invitation into the current workspace
// for every row of a CSV file.
//
// The CSV has two columns, email and auth_group (the id of the role the
// invitee gets: 2 ADMIN, 3 MEMBER; owners cannot be invited). A first row
// "email,auth_group" is taken as a header and skipped, spaces around values
// are trimmed and blank lines are skipped. A byte order mark at the start of
// the file, as Excel writes in "CSV UTF-8", is ignored. The file is named by
// the argument; without one, or with "-", the CSV is read from standard
// input.
//
// Every row gets one line on standard output, numbered by its line in the
// file:
//
//	row 2  ana@example.com  invited  0b7c...
//	row 3  not-an-email  failed  invalid email: must be an email address like name@example.com
//	row 4  dan@example.com  invited  (answer lost; pending on the server)
//	row 4  ana@example.com  already invited
//	row 5  ben@example.com  already a member
//	row 6  carl@example.com  failed  refused by the server (400): auth_group: Owners cannot be invited; they are created through the onboarding flow.
//
// An email or a reason with a line break, another control or invisible
// character, or bytes that are not UTF-8 is printed quoted, as Go writes a
// string (strconv.Quote), so that it stays on its line and no escape sequence
// reaches the terminal:
//
//	row 5  "ana@example.com\n\x1b[2J"  failed  invalid email: must be an email address like name@example.com
//
// It is safe to run again over the same file, say after a run that stopped
// half-way: an address that already has a pending invitation is reported as
// "already invited", one that is already a member of the workspace as
// "already a member", and neither is a failure. The SDK recognises those two
// refusals of the server (invitations.ErrAlreadyPending and
// invitations.ErrAlreadyMember). The program exits 0 when every row is
// invited or already was, and the summary on standard error counts each kind.
//
// An invitation whose answer was lost on the way back (a proxy's 502 or 504
// after the server acted, a connection cut) is neither sent twice nor
// reported failed: the SDK sends it again, the server's "already pending"
// refusal proves the first arrived, and the row says "invited (answer lost;
// pending on the server)" without an id, which the server never gave. When
// sending again is answered otherwise (a refusal in another language), the
// row fails as "may have been sent"; running again is safe.
//
// A bad row (wrong number of columns, invalid email, auth_group that is not an
// integer, malformed CSV, any other refusal by the server) does not stop the
// others; the program exits non-zero when any row failed. A quoted field that
// is never closed would run to the end of the file: the row it starts on is
// reported as bad and reading goes on with the next line. Progress goes to
// standard error.
//
// Some failures would repeat on every row, so the run stops at the first: a
// server that cannot be reached (its name does not resolve, or it refuses the
// connection), a server that does not answer within the row's time limit,
// and credentials the server does not accept (accounts.ErrUnauthorized). It says so, and which
// rows were not sent; run it again once the server is back.
//
// Each invitation has 30 seconds, retries included, so a long file is never
// cut short by a limit for the whole run. Ctrl-C during a send reports that
// row failed with the cancellation (the server may or may not have received
// it: a rerun may find it already pending); between rows it stops before the
// next one and says so. No later row is sent.
//
// With -dry-run it checks every row as the SDK would before sending
// (invitations.SendRequest.Validate) and prints "would invite" for the good
// ones, without contacting any server. The server's own rules (pending
// invitations, existing members, who may invite whom) are only checked when
// sending.
//
// With ACCOUNTS_API_KEY set (and ACCOUNTS_BASE_URL, if not production) it
// talks to that API and sends real invitations. Otherwise it starts the
// in-memory test server, accountstest, in this process. Standard error says
// which server it uses.
//
//	go run ./examples/invite-from-csv invitees.csv
//	go run ./examples/invite-from-csv -dry-run - < invitees.csv
package main

import (
	"bytes"
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
	"unicode/utf8"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/invitations"
)

func main() {
	exampleclient.Main("invite-from-csv", func(ctx context.Context, args []string, out, errOut io.Writer) error {
		return run(ctx, args, os.Stdin, out, errOut)
	})
}

// perInvitation bounds one invitation's call, its retries included.
const perInvitation = 30 * time.Second

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
	dryRun := fs.Bool("dry-run", false, "check every row without sending anything")
	if err := exampleclient.Parse(fs, "usage: invite-from-csv [-dry-run] [file.csv | -]", args, 1, errOut); err != nil {
		return err
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
	ok, pending, member := 0, 0, 0
	for i, r := range rows {
		fmt.Fprintf(errOut, "[%d/%d] row %d\n", i+1, len(rows), r.line)
		email := printable(r.email)
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
		if err == nil && ctx.Err() != nil {
			// Cancelled between rows: this one was never sent.
			return fmt.Errorf("stopped before row %d, which was not sent: %w", r.line, ctx.Err())
		}
		if err == nil {
			var sent *invitations.EmailInvitation
			// Each invitation gets its own time limit, retries included, so
			// that a long file is not cut short by one limit for the run.
			sent, err = client.Invitations.Send(ctx, r.req, accounts.WithTimeout(perInvitation))
			switch {
			case err == nil && sent.Recovered:
				fmt.Fprintf(out, "row %d  %s  invited  (answer lost; pending on the server)\n", r.line, email)
				ok++
				continue
			case err == nil:
				fmt.Fprintf(out, "row %d  %s  invited  %s\n", r.line, email, printable(sent.ID))
				ok++
				continue
			case errors.Is(err, invitations.ErrAlreadyPending):
				fmt.Fprintf(out, "row %d  %s  already invited\n", r.line, email)
				pending++
				continue
			case errors.Is(err, invitations.ErrAlreadyMember):
				fmt.Fprintf(out, "row %d  %s  already a member\n", r.line, email)
				member++
				continue
			}
		}
		fmt.Fprintf(out, "row %d  %s  failed  %s\n", r.line, email, printable(describe(err)))
		failed = append(failed, strconv.Itoa(r.line))
		// Past these, every other row would fail the same way.
		if why := hopeless(ctx, err); why != "" {
			notSent := ""
			switch left := len(rows) - i - 1; {
			case left == 1:
				notSent = "; the row after it was not sent (run again to send it)"
			case left > 1:
				notSent = fmt.Sprintf("; the %d rows after it were not sent (run again to send them)", left)
			}
			return fmt.Errorf("stopped at row %d: %s%s: %w", r.line, why, notSent, err)
		}
	}

	if *dryRun {
		fmt.Fprintf(errOut, "done: %d of %d rows valid, %d failed\n", ok, len(rows), len(failed))
	} else {
		fmt.Fprintf(errOut, "done: %d rows: %d invited, %d already invited, %d already a member, %d failed\n",
			len(rows), ok, pending, member, len(failed))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d rows failed (rows %s)", len(failed), len(rows), strings.Join(failed, ", "))
	}
	return nil
}

// hopeless says why, after err, every later row would fail the same way, or
// returns "" when the next row may well succeed.
func hopeless(ctx context.Context, err error) string {
	switch {
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return "cancelled"
	case exampleclient.Unreachable(err):
		return "the server cannot be reached"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("the server did not answer within %s", perInvitation)
	case errors.Is(err, accounts.ErrUnauthorized):
		return "the server does not accept the credentials"
	}
	return ""
}

// readRows reads every record of the CSV. A record that cannot become a
// request (wrong number of columns, unreadable CSV, auth_group not an integer)
// is kept with its error, so that it is reported in its place. The error
// returned is only for input that cannot be read at all.
func readRows(in io.Reader) ([]row, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	// Excel's "CSV UTF-8" starts the file with a byte order mark, which would
	// otherwise hide the header or become part of the first email.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := &csvReader{data: data}
	var rows []row
	first := true
	for {
		rec, line, err := cr.read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			rows = append(rows, row{line: line, err: err})
			first = false
			continue
		}
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

// csvReader reads the records of data as csv.Reader does, going on after a
// malformed record. csv.Reader itself goes on with the next line, except
// when a quoted field is never closed: then the field runs to the end of the
// input and every later row would be lost in that one error. csvReader
// reports that record and starts reading again at the line after the one it
// started on.
type csvReader struct {
	data []byte      // the input r reads
	base int         // the lines of the input before data
	r    *csv.Reader // nil until the first read and after a restart
}

// read returns the next record and the line it starts on; io.EOF at the end
// of the input; or, for a malformed record, an error that says why and the
// line it starts on.
func (c *csvReader) read() (rec []string, line int, err error) {
	if c.r == nil {
		c.r = newCSVReader(bytes.NewReader(c.data))
	}
	rec, err = c.r.Read()
	var perr *csv.ParseError
	if !errors.As(err, &perr) {
		if err != nil {
			return nil, 0, err
		}
		line, _ = c.r.FieldPos(0)
		return rec, c.base + line, nil
	}
	line = c.base + perr.StartLine
	start := lineOffset(c.data, perr.StartLine)
	if !errors.Is(perr.Err, csv.ErrQuote) || !unclosedQuote(c.data[start:]) {
		err = fmt.Errorf("bad CSV: %w", perr.Err)
		if perr.Line > perr.StartLine {
			// A quoted field over several lines: the lines between are
			// part of this record, not rows of their own.
			err = fmt.Errorf("%w, in the record that runs from this line to line %d", err, c.base+perr.Line)
		}
		return nil, line, err
	}
	c.data = c.data[lineOffset(c.data, perr.StartLine+1):]
	c.base = line
	c.r = nil
	err = errors.New("bad CSV: a quoted field that starts on this line is never closed")
	if len(c.data) > 0 {
		err = fmt.Errorf("%w; reading went on with line %d", err, line+1)
	}
	return nil, line, err
}

func newCSVReader(in io.Reader) *csv.Reader {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1 // the column count is checked per row
	cr.TrimLeadingSpace = true
	return cr
}

// lineOffset returns the offset in data of the start of line n (from 1), as
// csv.Reader counts lines; len(data) when data has fewer lines.
func lineOffset(data []byte, n int) int {
	off := 0
	for ; n > 1; n-- {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return len(data)
		}
		off += i + 1
	}
	return off
}

// unclosedQuote reports whether the record at the start of data is malformed
// only because a quoted field in it is still open at the end of data: with a
// closing quote added at the end, it reads as one record that takes all of
// data.
func unclosedQuote(data []byte) bool {
	cr := newCSVReader(io.MultiReader(bytes.NewReader(data), strings.NewReader(`"`)))
	if _, err := cr.Read(); err != nil {
		return false
	}
	_, err := cr.Read()
	return errors.Is(err, io.EOF)
}

// printable returns s as it is when every character of it prints as itself,
// and otherwise quoted with %q: a value from the file or the server that holds
// a line break, another control character, an invisible or format character
// (such as a terminal escape sequence or a bidirectional override) or bytes
// that are not UTF-8 must not break the one line per row or reach the
// terminal as they are.
func printable(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !strconv.IsPrint(r) }) {
		return strconv.Quote(s)
	}
	return s
}

// describe renders why a row failed: the fields the SDK refused, or the
// server's detail and field errors, or the error itself.
func describe(err error) string {
	var rec *accounts.RecoveryError
	if errors.As(err, &rec) {
		// The first answer was lost and sending again did not tell: the
		// invitation may be pending. Running again is safe: the server
		// refuses a second invitation to the same address.
		return "may have been sent (its answer was lost, and sending again was answered: " + describe(rec.LookupErr) + ")"
	}
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
