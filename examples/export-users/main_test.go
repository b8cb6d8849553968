package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
)

// expectedRows renders the users of workspace 1 of a fresh default server, the
// owner's active workspace and so what run exports, as the limit/offset list
// answers them: no uuid, no is_active.
func expectedRows(t *testing.T) [][]string {
	t.Helper()
	srv := accountstest.NewServer()
	defer srv.Close()
	var rows [][]string
	for _, u := range srv.UsersOfWorkspace(1) {
		rows = append(rows, []string{strconv.Itoa(u.ID), "", u.Email, u.FirstName, u.LastName, u.JobTitle, strconv.Itoa(u.Groups[0]), ""})
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
			if !strings.HasPrefix(out.String(), "id,uuid,email,first_name,last_name,job_title,auth_group,is_active\n") {
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
		if err := run(context.Background(), args, &out, &errOut); err == nil || out.Len() != 0 {
			t.Errorf("%q: err = %v, output %q", args, err, out.String())
		}
	}
}
