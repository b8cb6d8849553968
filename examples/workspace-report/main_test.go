package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, main) }

// entry is one line of a table: a label and its count.
type entry struct {
	label string
	n     int
}

// report is the parsed output of run.
type report struct {
	filters   string
	byType    []entry
	byCountry []entry
	total     int
}

// parseReport reads run's output, failing the test on any line it does not
// expect.
func parseReport(t *testing.T, s string) report {
	t.Helper()
	var r report
	var table *[]entry
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		switch f := strings.Fields(line); {
		case strings.HasPrefix(line, "Filters: "):
			r.filters = strings.TrimPrefix(line, "Filters: ")
		case line == "By type":
			table = &r.byType
		case line == "By country":
			table = &r.byCountry
		case line == "":
			table = nil
		case line == "  (no workspaces)" && table == &r.byCountry:
		case len(f) == 2 && f[0] == "Total" && table == nil:
			r.total, _ = strconv.Atoi(f[1])
		case len(f) == 2 && table != nil && strings.HasPrefix(line, "  "):
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("line %d: %q", i+1, line)
			}
			*table = append(*table, entry{f[0], n})
		default:
			t.Fatalf("unexpected line %d: %q\n%s", i+1, line, s)
		}
	}
	return r
}

// expected computes the report from a fresh default server's workspaces (the
// owner token sees them all), keeping those keep accepts; types are the type
// rows to show, in order.
func expected(filters string, types []string, keep func(accountstest.Workspace) bool) report {
	srv := accountstest.NewServer()
	defer srv.Close()
	byType, byCountry := map[string]int{}, map[string]int{}
	r := report{filters: filters}
	for _, ws := range srv.Workspaces() {
		if !keep(ws) {
			continue
		}
		byType[ws.Type]++
		c := "(none)"
		if ws.Country != nil {
			c = *ws.Country
		}
		byCountry[c]++
		r.total++
	}
	for _, ty := range types {
		r.byType = append(r.byType, entry{ty, byType[ty]})
	}
	for c, n := range byCountry {
		r.byCountry = append(r.byCountry, entry{c, n})
	}
	sort.Slice(r.byCountry, func(i, j int) bool {
		a, b := r.byCountry[i], r.byCountry[j]
		return a.n > b.n || a.n == b.n && a.label < b.label
	})
	return r
}

func check(t *testing.T, args []string, want report) {
	t.Helper()
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "using the in-memory test server") {
		t.Errorf("stderr does not say it uses accountstest: %q", errOut.String())
	}
	got := parseReport(t, out.String())
	if got.filters != want.filters {
		t.Errorf("filters line %q, want %q", got.filters, want.filters)
	}
	if !slices.Equal(got.byType, want.byType) {
		t.Errorf("by type:\n got %v\nwant %v", got.byType, want.byType)
	}
	if !slices.Equal(got.byCountry, want.byCountry) {
		t.Errorf("by country:\n got %v\nwant %v", got.byCountry, want.byCountry)
	}
	if got.total != want.total {
		t.Errorf("total %d, want %d", got.total, want.total)
	}
	if !strings.HasSuffix(out.String(), fmt.Sprintf("\nTotal %15d\n", want.total)) {
		t.Errorf("output does not end with the total:\n%s", out.String())
	}
}

var allTypes = []string{"active", "inactive", "test", "demo", "trial", "stakeholder"}

func TestReportEveryWorkspace(t *testing.T) {
	want := expected("none", allTypes, func(accountstest.Workspace) bool { return true })
	if want.total != accountstest.DefaultWorkspaceCount {
		t.Fatalf("expected %d workspaces, computed %d", accountstest.DefaultWorkspaceCount, want.total)
	}
	if want.byCountry[0].n == want.byCountry[len(want.byCountry)-1].n {
		t.Fatal("every country has the same count; the ordering is not tested")
	}
	if !slices.ContainsFunc(want.byCountry, func(e entry) bool { return e.label == "(none)" }) {
		t.Fatal("no workspace without a country; (none) is not tested")
	}
	check(t, nil, want)
}

func TestReportFiltered(t *testing.T) {
	want := expected("type in active,trial; country in NL,BE", []string{"active", "trial"}, func(ws accountstest.Workspace) bool {
		return (ws.Type == "active" || ws.Type == "trial") && ws.Country != nil && (*ws.Country == "NL" || *ws.Country == "BE")
	})
	if want.total == 0 || len(want.byCountry) != 2 {
		t.Fatalf("the filter selects too little to test: %+v", want)
	}
	// Lower case, spaces and repeats are accepted; types are shown in the
	// API's order.
	check(t, []string{"-country", "NL, be,nl", "-type", " trial,active"}, want)
}

func TestReportByName(t *testing.T) {
	want := expected(`name contains "GREEN"`, allTypes, func(ws accountstest.Workspace) bool {
		return strings.Contains(strings.ToLower(ws.Name), "green")
	})
	if want.total == 0 || want.total == accountstest.DefaultWorkspaceCount {
		t.Fatalf("the filter selects %d workspaces; pick another word", want.total)
	}
	check(t, []string{"-name", "GREEN"}, want)
}

func TestReportNothingMatches(t *testing.T) {
	check(t, []string{"-country", "XX"}, report{filters: "country in XX", byType: []entry{
		{"active", 0}, {"inactive", 0}, {"test", 0}, {"demo", 0}, {"trial", 0}, {"stakeholder", 0},
	}})
}

func TestReportRefusesBadArguments(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-type", "active,bogus"}, `-type: unknown workspace type "bogus"`},
		{[]string{"extra"}, "unexpected arguments"},
		// An empty item would quietly mean no filter at all.
		{[]string{"-type", ","}, `-type: empty item in ","`},
		{[]string{"-type", " "}, `-type: empty item in " "`},
		{[]string{"-type", "active,,trial"}, `-type: empty item in "active,,trial"`},
		{[]string{"-type", "active,"}, `-type: empty item in "active,"`},
		{[]string{"-type", ", active"}, `-type: empty item in ", active"`},
		{[]string{"-country", ","}, `-country: empty item in ","`},
		{[]string{"-country", "NL, ,BE"}, `-country: empty item in "NL, ,BE"`},
		// Not two-letter codes: the server would match nothing, quietly.
		{[]string{"-country", "NLD"}, `-country: "NLD" is not a two-letter country code`},
		{[]string{"-country", "NL,BEL"}, `-country: "BEL" is not a two-letter country code`},
		{[]string{"-country", "N"}, `-country: "N" is not a two-letter country code`},
		{[]string{"-country", "N1"}, `-country: "N1" is not a two-letter country code`},
		{[]string{"-country", "NÉ"}, `-country: "NÉ" is not a two-letter country code`},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, &out, &errOut)
		var usageErr *exampleclient.UsageError
		if err == nil || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
			t.Errorf("%q: err = %v, output %q", tc.args, err, out.String())
		} else if !errors.As(err, &usageErr) {
			t.Errorf("%q: %v is not a usage error (exit status 2)", tc.args, err)
		}
		if errOut.Len() != 0 {
			t.Errorf("%q: stderr %q: refused before a client is built", tc.args, errOut.String())
		}
	}
}

func TestReportCommandLine(t *testing.T) {
	exampletest.CheckCommandLine(t, "usage: workspace-report", "stray")
	res := exampletest.Run(t, "", nil, "-country", "NLD")
	if res.Code != 2 || res.Stdout != "" || strings.Count(res.Stderr, `"NLD" is not a two-letter country code`) != 1 {
		t.Errorf("-country NLD: exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}
}
