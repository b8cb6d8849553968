package accounts_test

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/once"
)

// operationsDoc is the table of every operation, generated from operations.
const operationsDoc = "../docs/OPERATIONS.md"

var updateOperations = flag.Bool("update-operations", false, "rewrite "+operationsDoc+" from the SDK's path table")

// operation is one of the API's 35 operations as the SDK serves it.
type operation struct {
	n      int
	method string
	path   string   // relative to the base URL, from internal/endpoints, with {id} or {uuid}
	calls  []string // the SDK's calls, as "client.Service.Method" or "client.Method"
	note   string
}

// chosen notes a path the API's documents do not give (ENDPOINTS.md's
// "chosen" paths): an assumption, and a one-line change in internal/endpoints.
const chosen = "path chosen by the SDK"

// pathOf renders a path function of internal/endpoints as a template, with
// {name} where the identifier goes.
func pathOf(f func(string) string, name string) string {
	return strings.Replace(f("PLACEHOLDER"), "PLACEHOLDER", "{"+name+"}", 1)
}

// operations is every operation, by number: the paths come from
// internal/endpoints, so the table follows any change there.
var operations = []operation{
	{1, "GET", endpoints.Countries, []string{"client.Countries.List", "client.Countries.All"}, ""},
	{2, "GET", pathOf(endpoints.Country, "id"), []string{"client.Countries.Get"}, ""},
	{3, "GET", endpoints.UserConfig, []string{"client.UserConfig.Get"}, ""},
	{4, "PATCH", endpoints.UserConfig, []string{"client.UserConfig.Patch"}, ""},
	{5, "GET", endpoints.Workspaces, []string{"client.Workspaces.List", "client.Workspaces.All"}, ""},
	{6, "POST", endpoints.Invitations, []string{"client.Invitations.Send"}, chosen},
	{7, "GET", pathOf(endpoints.Invitation, "id"), []string{"client.Invitations.Status"}, chosen},
	{8, "GET", endpoints.Users, []string{"client.Users.List", "client.Users.All"}, "two answer shapes"},
	{9, "GET", endpoints.UsersMe, []string{"client.Users.Me"}, ""},
	{10, "GET", endpoints.CurrentUserLegacy, []string{"client.Users.Current"}, chosen + "; deprecated: use operation 9"},
	{11, "GET", endpoints.MyWorkspaces, []string{"client.Workspaces.ListMemberships", "client.Workspaces.AllMemberships"}, chosen},
	{12, "POST", endpoints.SwitchWorkspace, []string{"client.Workspaces.Switch"}, chosen},
	{13, "GET", endpoints.Analysts, []string{"client.Analysts.List", "client.Analysts.All"}, ""},
	{14, "GET", endpoints.CurrentAnalyst, []string{"client.Analysts.Current"}, ""},
	{15, "PATCH", endpoints.CurrentAnalyst, []string{"client.Analysts.PatchCurrent"}, ""},
	{16, "GET", endpoints.Groups, []string{"client.Groups.List", "client.Groups.All"}, ""},
	{17, "GET", endpoints.Invites, []string{"client.Invitations.List", "client.Invitations.All"}, ""},
	{18, "POST", endpoints.Invites, []string{"client.Invitations.Create"}, ""},
	{19, "GET", pathOf(endpoints.Invite, "uuid"), []string{"client.Invitations.Get"}, ""},
	{20, "POST", pathOf(endpoints.Invite, "uuid"), []string{"client.Invitations.Resend"}, ""},
	{21, "DELETE", pathOf(endpoints.Invite, "uuid"), []string{"client.Invitations.Revoke"}, ""},
	{22, "POST", endpoints.LoginURL, []string{"client.LoginURL"}, ""},
	{23, "GET", endpoints.Organizations, []string{"client.Organizations.List", "client.Organizations.All"}, ""},
	{24, "POST", endpoints.Organizations, []string{"client.Organizations.Create"}, ""},
	{25, "GET", pathOf(endpoints.Organization, "uuid"), []string{"client.Organizations.Get"}, ""},
	{26, "PUT", pathOf(endpoints.Organization, "uuid"), []string{"client.Organizations.Update"}, ""},
	{27, "PATCH", pathOf(endpoints.Organization, "uuid"), []string{"client.Organizations.Patch"}, ""},
	{28, "DELETE", pathOf(endpoints.Organization, "uuid"), []string{"client.Organizations.Delete"}, ""},
	{29, "POST", pathOf(endpoints.OrganizationIncrement, "uuid"), []string{"client.Organizations.Increment"}, ""},
	{30, "GET", endpoints.Portal, []string{"client.Portal"}, "a redirect is reported, not followed"},
	{31, "POST", endpoints.Users, []string{"client.Users.Create"}, ""},
	{32, "GET", pathOf(endpoints.User, "uuid"), []string{"client.Users.Get"}, ""},
	{33, "PUT", pathOf(endpoints.User, "uuid"), []string{"client.Users.Update"}, ""},
	{34, "PATCH", pathOf(endpoints.User, "uuid"), []string{"client.Users.Patch"}, ""},
	{35, "DELETE", pathOf(endpoints.User, "uuid"), []string{"client.Users.Delete"}, ""},
}

// renderOperations writes docs/OPERATIONS.md's text.
func renderOperations() string {
	var b strings.Builder
	b.WriteString(`# Operations

Every operation of the Accounts API, with the SDK call that performs it. The numbers are the ones the
README and the package documentation use. Paths are relative to the base URL (by default
` + "`" + accounts.DefaultBaseURL + "`" + `) and written exactly as the server routes them, trailing slash or not;
` + "`{id}` and `{uuid}`" + ` are escaped as one path segment.

A path marked "chosen" is not given by the API's own documents, which describe the operation but not
its path: it is the SDK's assumption, and correcting it is a one-line change in
` + "`internal/endpoints`" + ` (with ` + "`openapi.yaml`" + `, which describes the same operations in full).

This file is generated from the SDK's path table; do not edit it by hand. After a change of a path or
a call, run ` + "`go test ./accounts -run '^TestOperationsDoc$' -update-operations`" + `;
` + "`TestOperationsDoc`" + ` fails while the file and the code disagree.

The last column says what the SDK does with a write whose answer is lost after its request may have
reached the server (a 500, a proxy's 502 or 504, a connection cut, a timeout); it comes from the table
in ` + "`internal/once`" + `, and the README's "Lost answers" section explains it. Reads are always retried.

| # | method | path | SDK call | note | after a lost answer |
|---|---|---|---|---|---|
`)
	for _, op := range operations {
		calls := make([]string, len(op.calls))
		for i, c := range op.calls {
			calls[i] = "`" + c + "`"
		}
		lost := "retried (a read)"
		for _, w := range once.Table {
			if w.Op == op.n {
				lost = "**" + w.Kind.String() + "**: " + w.How
			}
		}
		fmt.Fprintf(&b, "| %d | %s | `%s` | %s | %s | %s |\n", op.n, op.method, op.path, strings.Join(calls, ", "), op.note, lost)
	}
	return b.String()
}

// TestOperationsDoc checks that docs/OPERATIONS.md is the table generated
// from the SDK's paths, that it numbers the 35 operations once each, and that
// every call it names is a method of the client.
func TestOperationsDoc(t *testing.T) {
	for i, op := range operations {
		if op.n != i+1 {
			t.Errorf("operation %d is listed as number %d", i+1, op.n)
		}
		for _, call := range op.calls {
			if !clientHas(call) {
				t.Errorf("operation %d: %s is not a method of the client", op.n, call)
			}
		}
	}
	if clientHas("client.Users.Nope") || clientHas("client.Nope.List") || clientHas("client.Nope") {
		t.Error("clientHas finds methods that do not exist")
	}
	if len(operations) != 35 {
		t.Errorf("%d operations, want 35", len(operations))
	}
	want := renderOperations()
	if *updateOperations {
		if err := os.WriteFile(operationsDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(operationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is not the table the code gives; run: go test ./accounts -run '^TestOperationsDoc$' -update-operations", operationsDoc)
	}
}

// clientHas reports whether call ("client.Service.Method" or
// "client.Method") names a method of *accounts.Client or of one of its
// services.
func clientHas(call string) bool {
	parts := strings.Split(call, ".")
	v := reflect.ValueOf(&accounts.Client{})
	switch {
	case len(parts) == 2 && parts[0] == "client":
		return v.MethodByName(parts[1]).IsValid()
	case len(parts) == 3 && parts[0] == "client":
		f := v.Elem().FieldByName(parts[1])
		return f.IsValid() && f.Kind() == reflect.Pointer && f.MethodByName(parts[2]).IsValid()
	}
	return false
}
