package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, main) }

// invitees covers every outcome: good rows, a header, spaces, blank lines, a
// duplicate (pending), an owner, an existing member, an unknown group, and rows
// refused before sending.
const invitees = `email,auth_group
ana@example.com,3
  ben@example.com , 2

` + "   \n" + `ana@example.com,3
carl@example.com,1
not-an-email,3
dina@example.com,admin
eve@example.com,3,extra
owner@accountstest.invalid,3
fay@example.com,0
gus@example.com,9
`

const uuidRE = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`

// wantSent is one pattern per output line of a real run over invitees.
var wantSent = []string{
	`row 2  ana@example\.com  invited  ` + uuidRE,
	`row 3  ben@example\.com  invited  ` + uuidRE,
	`row 6  ana@example\.com  already invited`,
	`row 7  carl@example\.com  failed  refused by the server \(400\): auth_group: Owners cannot be invited; they are created through the onboarding flow\.`,
	`row 8  not-an-email  failed  invalid email: must be an email address like name@example\.com`,
	`row 9  dina@example\.com  failed  auth_group "admin" is not an integer`,
	`row 10  eve@example\.com  failed  expected 2 columns \(email,auth_group\), got 3`,
	`row 11  owner@accountstest\.invalid  already a member`,
	`row 12  fay@example\.com  failed  invalid auth_group: must be a positive integer, got 0`,
	`row 13  gus@example\.com  failed  refused by the server \(400\): auth_group: Invalid pk "9" - object does not exist\.`,
}

func checkLines(t *testing.T, got string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != len(want) {
		t.Errorf("got %d lines, want %d:\n%s", len(lines), len(want), got)
	}
	for i := range min(len(lines), len(want)) {
		if !regexp.MustCompile("^" + want[i] + "$").MatchString(lines[i]) {
			t.Errorf("line %d = %q\nwant match %q", i+1, lines[i], want[i])
		}
	}
}

func TestInviteFromStdin(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, strings.NewReader(invitees), &out, &errOut)
	if err == nil || err.Error() != "6 of 10 rows failed (rows 7, 8, 9, 10, 12, 13)" {
		t.Errorf("err = %v", err)
	}
	checkLines(t, out.String(), wantSent)
	if !strings.Contains(errOut.String(), "using the in-memory test server") {
		t.Errorf("stderr does not say it uses accountstest: %q", errOut.String())
	}
	for _, want := range []string{"[1/10] row 2\n", "[10/10] row 13\n", "done: 10 rows: 2 invited, 1 already invited, 1 already a member, 6 failed\n"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}

// TestInviteCancelledBetweenRowsSendsNoMore: a context cancelled before a row
// is sent stops the run there, saying the row was not sent; rows refused
// before sending are still reported.
func TestInviteCancelledBetweenRowsSendsNoMore(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err := run(ctx, nil, strings.NewReader("not-an-email,3\nana@example.com,3\nben@example.com,3\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "stopped before row 2, which was not sent") || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	checkLines(t, out.String(), []string{`row 1  not-an-email  failed  invalid email: must be an email address like name@example\.com`})
}

func TestInviteFromFileAllGood(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	path := filepath.Join(t.TempDir(), "invitees.csv")
	// No header; a quoted field; CRLF line ends.
	if err := os.WriteFile(path, []byte("\"ana@example.com\",3\r\nben@example.com,2\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{path}, strings.NewReader("ignored,3\n"), &out, &errOut); err != nil {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	checkLines(t, out.String(), []string{
		`row 1  ana@example\.com  invited  ` + uuidRE,
		`row 2  ben@example\.com  invited  ` + uuidRE,
	})
}

func TestInviteDryRunSendsNothing(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-dry-run", "-"}, strings.NewReader(invitees), &out, &errOut)
	if err == nil || err.Error() != "4 of 10 rows failed (rows 8, 9, 10, 12)" {
		t.Errorf("err = %v", err)
	}
	checkLines(t, out.String(), []string{
		`row 2  ana@example\.com  would invite  as group 3`,
		`row 3  ben@example\.com  would invite  as group 2`,
		`row 6  ana@example\.com  would invite  as group 3`,
		`row 7  carl@example\.com  would invite  as group 1`,
		wantSent[4], wantSent[5], wantSent[6],
		`row 11  owner@accountstest\.invalid  would invite  as group 3`,
		wantSent[8],
		`row 13  gus@example\.com  would invite  as group 9`,
	})
	// A dry run builds no client: no test server is started, so nothing can
	// have been sent.
	if strings.Contains(errOut.String(), "in-memory test server") {
		t.Errorf("dry run started a server:\n%s", errOut.String())
	}
	if !strings.Contains(errOut.String(), "done: 6 of 10 rows valid, 4 failed\n") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
}

func TestInviteBadCSVRowDoesNotStopTheOthers(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-dry-run"}, strings.NewReader("a@example.com,3\n\"bad\"quote,3\nb@example.com,3\n"), &out, &errOut)
	if err == nil || err.Error() != "1 of 3 rows failed (rows 2)" {
		t.Errorf("err = %v", err)
	}
	checkLines(t, out.String(), []string{
		`row 1  a@example\.com  would invite  as group 3`,
		`row 2  \(no email\)  failed  bad CSV: extraneous or missing " in quoted-field`,
		`row 3  b@example\.com  would invite  as group 3`,
	})
}

func TestInviteUsageErrors(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"a.csv", "b.csv"}, `unexpected arguments ["b.csv"]`},
		{[]string{filepath.Join(t.TempDir(), "missing.csv")}, "open CSV: "},
		{[]string{"-no-such-flag"}, "flag provided but not defined"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
			t.Errorf("%q: err = %v, output %q", tc.args, err, out.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, strings.NewReader(""), &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err = %v", err)
	}
	if !strings.Contains(errOut.String(), "usage: invite-from-csv [-dry-run] [file.csv | -]") {
		t.Errorf("-h: stderr = %q", errOut.String())
	}
	exampletest.CheckCommandLine(t, "usage: invite-from-csv", "a.csv", "b.csv")
}

// serverEnv starts an accountstest server that outlives one run, and returns
// it with the environment that points the program at it as its owner.
func serverEnv(t *testing.T) (*accountstest.Server, []string) {
	t.Helper()
	srv := accountstest.NewServer()
	t.Cleanup(srv.Close)
	return srv, []string{accounts.EnvAPIKey + "=" + accountstest.OwnerToken, accounts.EnvBaseURL + "=" + srv.URL()}
}

// TestInviteRunAgain runs the program twice over the same file against the
// same server, as an automation would after a run that stopped half-way:
// the second run sends nothing new, reports every row as already invited
// (or already a member), and exits 0; a row added to the file is invited.
func TestInviteRunAgain(t *testing.T) {
	srv, env := serverEnv(t)
	member := srv.UsersOfWorkspace(1)[3].Email
	file := "email,auth_group\nana@example.com,3\nben@example.com,2\n"
	first := exampletest.Run(t, file, env)
	if first.Code != 0 {
		t.Fatalf("first run: exit %d\n%s%s", first.Code, first.Stdout, first.Stderr)
	}
	file += member + ",3\ncarl@example.com,3\n"
	again := exampletest.Run(t, file, env, "-")
	if again.Code != 0 || !strings.HasSuffix(again.Stderr, "done: 4 rows: 1 invited, 2 already invited, 1 already a member, 0 failed\n") {
		t.Errorf("second run: exit %d, stderr:\n%s", again.Code, again.Stderr)
	}
	checkLines(t, again.Stdout, []string{
		`row 2  ana@example\.com  already invited`,
		`row 3  ben@example\.com  already invited`,
		`row 4  ` + regexp.QuoteMeta(member) + `  already a member`,
		`row 5  carl@example\.com  invited  ` + uuidRE,
	})
	if n := len(srv.EmailInvitations()); n != 3 {
		t.Errorf("the server holds %d invitations, want 3", n)
	}
}

// TestInviteWhenAnswersAreLost: against a server that loses one answer in
// five after acting, every row is invited exactly once and the run exits 0.
func TestInviteWhenAnswersAreLost(t *testing.T) {
	srv, env := serverEnv(t)
	srv.SetFaults(accountstest.Faults{Rate: 0.2, Seed: 3, Kinds: accountstest.AfterActingFaults()})
	const n = 50
	var file strings.Builder
	want := make([]string, n)
	for i := range n {
		fmt.Fprintf(&file, "invitee%02d@example.com,3\n", i)
		want[i] = fmt.Sprintf(`row %d  invitee%02d@example\.com  invited  (%s|\(answer lost; pending on the server\))`, i+1, i, uuidRE)
	}
	res := exampletest.Run(t, file.String(), env)
	fc := srv.FaultCounts()
	srv.SetFaults(accountstest.Faults{})
	if res.Code != 0 || !strings.HasSuffix(res.Stderr, fmt.Sprintf("done: %d rows: %d invited, 0 already invited, 0 already a member, 0 failed\n", n, n)) {
		t.Errorf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
	checkLines(t, res.Stdout, want)
	held := map[string]int{}
	for _, inv := range srv.EmailInvitations() {
		held[inv.Email]++
	}
	for i := range n {
		if email := fmt.Sprintf("invitee%02d@example.com", i); held[email] != 1 {
			t.Errorf("%s invited %d times", email, held[email])
		}
	}
	if fc.LostWrites == 0 || !strings.Contains(res.Stdout, "answer lost") {
		t.Fatalf("no answer was lost (faults %+v); the test proves nothing", fc)
	}
}

// TestInviteStopsWhenTheServerIsUnreachable: against a server that refuses
// connections, the run stops after the first row instead of trying every
// row, says why and how many rows were not sent, and prints the error once.
func TestInviteStopsWhenTheServerIsUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/api/"
	srv.Close() // nothing listens there any more
	res := exampletest.Run(t, "not-an-email,3\nana@example.com,3\nben@example.com,3\ncarl@example.com,3\n",
		[]string{accounts.EnvAPIKey + "=test-key", accounts.EnvBaseURL + "=" + base})
	if res.Code != 1 || strings.Contains(res.Stderr, "[3/4]") ||
		strings.Count(res.Stderr, "stopped at row 2: the server cannot be reached; the 2 rows after it were not sent (run again to send them): ") != 1 ||
		!strings.Contains(res.Stderr, "connection refused") || strings.Contains(res.Stderr, "test-key") {
		t.Errorf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
	checkLines(t, res.Stdout, []string{
		`row 1  not-an-email  failed  invalid email: must be an email address like name@example\.com`,
		`row 2  ana@example\.com  failed  .*connection refused`,
	})
}

func TestInviteEmptyInput(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-dry-run"}, strings.NewReader("email,auth_group\n\n"), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "done: 0 of 0 rows valid, 0 failed") {
		t.Errorf("output %q, stderr %q", out.String(), errOut.String())
	}
}

// TestInviteIgnoresByteOrderMark reads files as Excel saves them ("CSV
// UTF-8"), with and without a header: the mark hides neither the header nor
// is it part of the first email.
func TestInviteIgnoresByteOrderMark(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"\uFEFFemail,auth_group\r\nana@example.com,3\r\n", []string{`row 2  ana@example\.com  would invite  as group 3`}},
		{"\uFEFFana@example.com,3\nbob@example.com,2\n", []string{
			`row 1  ana@example\.com  would invite  as group 3`,
			`row 2  bob@example\.com  would invite  as group 2`,
		}},
		{"\uFEFF\"email\",auth_group\n\"ana@example.com\",3\n", []string{`row 2  ana@example\.com  would invite  as group 3`}},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"-dry-run"}, strings.NewReader(tc.in), &out, &errOut); err != nil {
			t.Errorf("%q: err = %v\n%s", tc.in, err, out.String())
		}
		checkLines(t, out.String(), tc.want)
	}
}

// TestInviteUnclosedQuote: a quoted field that is never closed is reported on
// the line it starts, and the rows before and after it are still read.
func TestInviteUnclosedQuote(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, tc := range []struct {
		in, err string
		want    []string
	}{
		{"\"ana@example.com,3\nbob@example.com,3\ncarl@example.com,3\n", "1 of 3 rows failed (rows 1)", []string{
			`row 1  \(no email\)  failed  bad CSV: a quoted field that starts on this line is never closed; reading went on with line 2`,
			`row 2  bob@example\.com  would invite  as group 3`,
			`row 3  carl@example\.com  would invite  as group 3`,
		}},
		// In a later field, after a header, on the last line.
		{"email,auth_group\r\nana@example.com,3\r\nbob@example.com,\"3\r\ncarl@example.com,3\r\n", "1 of 3 rows failed (rows 3)", []string{
			`row 2  ana@example\.com  would invite  as group 3`,
			`row 3  \(no email\)  failed  bad CSV: a quoted field that starts on this line is never closed; reading went on with line 4`,
			`row 4  carl@example\.com  would invite  as group 3`,
		}},
		{"ana@example.com,3\n\"bob@example.com,3\n", "1 of 2 rows failed (rows 2)", []string{
			`row 1  ana@example\.com  would invite  as group 3`,
			`row 2  \(no email\)  failed  bad CSV: a quoted field that starts on this line is never closed`,
		}},
		// A quoted field over several lines that is closed is one row; a
		// stray quote after a closed one is an ordinary bad record, which
		// says where it ends.
		{"\"ana@example.com\n\",3\n\"bob\n\"x,3\ncarl@example.com,3\n", "1 of 3 rows failed (rows 3)", []string{
			`row 1  ana@example\.com  would invite  as group 3`,
			`row 3  \(no email\)  failed  bad CSV: extraneous or missing " in quoted-field, in the record that runs from this line to line 4`,
			`row 5  carl@example\.com  would invite  as group 3`,
		}},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"-dry-run"}, strings.NewReader(tc.in), &out, &errOut)
		if err == nil || err.Error() != tc.err {
			t.Errorf("%q: err = %v", tc.in, err)
		}
		checkLines(t, out.String(), tc.want)
	}
}

// TestInviteQuotesUnprintableValues: values with line breaks, control
// characters, escape sequences or bytes that are not UTF-8 are printed quoted,
// so that each row keeps to one line; other values, accents included, are
// printed as they are.
func TestInviteQuotesUnprintableValues(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	in := "email,auth_group\n" +
		"\"ana@example.com\n=cmd\",3\n" + // line 2, a quoted line break
		"\"b\x1b[2J\x1b[31m@example.com\",3\n" + // line 4, terminal escapes
		"c\xff@example.com,3\n" + // line 5, not UTF-8
		"d\u202e@example.com,3\n" + // line 6, a right-to-left override
		"ana@zoë.example.com,3\n" // line 7, printable as it is (an accented domain is valid)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-dry-run"}, strings.NewReader(in), &out, &errOut)
	if err == nil || err.Error() != "4 of 5 rows failed (rows 2, 4, 5, 6)" {
		t.Errorf("err = %v", err)
	}
	checkLines(t, out.String(), []string{
		`row 2  "ana@example\.com\\n=cmd"  failed  invalid email: must be an email address like name@example\.com`,
		`row 4  "b\\x1b\[2J\\x1b\[31m@example\.com"  failed  invalid email: must be an email address like name@example\.com`,
		`row 5  "c\\xff@example\.com"  failed  invalid email: is not valid UTF-8 text`,
		`row 6  "d\\u202e@example\.com"  failed  invalid email: must be an email address like name@example\.com`,
		`row 7  ana@zoë\.example\.com  would invite  as group 3`,
	})
}

// TestInviteQuotesUnprintableServerText: the server's reasons are shown the
// same way.
func TestInviteQuotesUnprintableServerText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/accounts/invitations/" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"email":["\u001b[2Jnope\nrow 9  x@example.com  invited  0b7c"]}`))
	}))
	defer srv.Close()
	t.Setenv(accounts.EnvAPIKey, "test-key")
	t.Setenv(accounts.EnvBaseURL, srv.URL+"/api/")
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, strings.NewReader("ana@example.com,3\n"), &out, &errOut)
	if err == nil || err.Error() != "1 of 1 rows failed (rows 1)" {
		t.Errorf("err = %v", err)
	}
	checkLines(t, out.String(), []string{
		`row 1  ana@example\.com  failed  "refused by the server \(400\): email: \\x1b\[2Jnope\\nrow 9  x@example\.com  invited  0b7c"`,
	})
}

// TestInviteLostAnswerThenAnUnknownRefusal: the first answer is lost (a
// proxy's 502) and the server refuses the second send in words the SDK does
// not know (its language is Dutch): the row fails as "may have been sent",
// not as a plain refusal of the input.
func TestInviteLostAnswerThenAnUnknownRefusal(t *testing.T) {
	var sends atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sends.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"email":["Er is al een uitnodiging voor dit e-mailadres."]}`))
	}))
	defer srv.Close()
	t.Setenv(accounts.EnvAPIKey, "test-key")
	t.Setenv(accounts.EnvBaseURL, srv.URL+"/api/")
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, strings.NewReader("ana@example.com,3\n"), &out, &errOut)
	if err == nil || err.Error() != "1 of 1 rows failed (rows 1)" || sends.Load() != 2 {
		t.Errorf("err = %v after %d sends", err, sends.Load())
	}
	checkLines(t, out.String(), []string{
		`row 1  ana@example\.com  failed  may have been sent \(its answer was lost, and sending again was answered: refused by the server \(400\): email: Er is al een uitnodiging voor dit e-mailadres\.\)`,
	})
}
