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
)

// operationsDoc is the table of every operation, generated from operations.
const operationsDoc = "../docs/OPERATIONS.md"

var updateOperations = flag.Bool("update-operations", false, "rewrite "+operationsDoc+" from the SDK's operation table (endpoints.Operations)")

// chosen notes a path the API's documents do not give (ENDPOINTS.md's
// "chosen" paths): an assumption, and a one-line change in internal/endpoints.
const chosen = "path chosen by the SDK"

// renderOperations writes docs/OPERATIONS.md's text.
func renderOperations() string {
	var b strings.Builder
	b.WriteString(`# Operations

Every operation of the Accounts API, with the SDK call that performs it. The numbers are the ones the
README uses (the package documentation names each call's method and path instead). Paths are relative to the base URL (by default
` + "`" + accounts.DefaultBaseURL + "`" + `) and written exactly as the server routes them, trailing slash or not;
` + "`{id}` and `{uuid}`" + ` are escaped as one path segment.

A path marked "chosen" is not given by the API's own documents, which describe the operation but not
its path: it is the SDK's assumption, and correcting it is a one-line change in
` + "`internal/endpoints`" + ` (with ` + "`openapi.yaml`" + `, which describes the same operations in full).

This file is generated from the SDK's operation table (` + "`endpoints.Operations`" + ` in
` + "`internal/endpoints`" + `); do not edit it by hand. After a change of a path or
a call, run ` + "`go test ./accounts -run '^TestOperationsDoc$' -update-operations`" + `;
` + "`TestOperationsDoc`" + ` fails while the file and the code disagree.

The last column says what the SDK does with a write whose answer is lost after its request may have
reached the server (a 500, a proxy's 502 or 504, a connection cut, a timeout); it comes from the same
table (each write's kind, which ` + "`internal/once`" + ` acts on), and the README's "Lost answers" section
explains it. Reads are always retried.

| # | method | path | SDK call | note | after a lost answer |
|---|---|---|---|---|---|
`)
	for _, op := range endpoints.Operations {
		calls := make([]string, len(op.Calls))
		for i, c := range op.Calls {
			calls[i] = "`" + c + "`"
		}
		var notes []string
		if op.Chosen {
			notes = append(notes, chosen)
		}
		if op.Note != "" {
			notes = append(notes, op.Note)
		}
		lost := "retried (a read)"
		if op.Kind != 0 {
			lost = "**" + op.Kind.String() + "**: " + op.How
		}
		fmt.Fprintf(&b, "| %d | %s | `%s` | %s | %s | %s |\n", op.N, op.Method, op.Path, strings.Join(calls, ", "), strings.Join(notes, "; "), lost)
	}
	return b.String()
}

// TestOperationsDoc checks that docs/OPERATIONS.md is the table generated
// from endpoints.Operations, and that every call the table names is a method
// of the client: an operation without its SDK method fails here.
func TestOperationsDoc(t *testing.T) {
	for _, op := range endpoints.Operations {
		for _, call := range op.Calls {
			if !clientHas(call) {
				t.Errorf("operation %d (%s): %s is not a method of the client", op.N, op, call)
			}
		}
	}
	if clientHas("client.Users.Nope") || clientHas("client.Nope.List") || clientHas("client.Nope") {
		t.Error("clientHas finds methods that do not exist")
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
