package endpoints

import (
	"strings"
	"testing"
)

// TestOperationsTable checks the table's own consistency: numbers 1 to
// len(Operations) in order, one operation per method and path, every
// operation with at least one SDK call, every path template naming at most
// one identifier, and a kind for every write and no other.
func TestOperationsTable(t *testing.T) {
	seen := map[string]int{}
	for i, op := range Operations {
		if op.N != i+1 {
			t.Errorf("operation %d is listed as number %d", i+1, op.N)
		}
		if prev, dup := seen[op.String()]; dup {
			t.Errorf("operations %d and %d are both %s", prev, op.N, op)
		}
		seen[op.String()] = op.N
		if len(op.Calls) == 0 {
			t.Errorf("operation %d (%s) has no SDK call", op.N, op)
		}
		if strings.Count(op.Path, "{") > 1 || strings.HasPrefix(op.Path, "/") {
			t.Errorf("operation %d: path %q is not a relative template with at most one identifier", op.N, op.Path)
		}
		if p := op.Param(); p != "" && p != "id" && p != "uuid" {
			t.Errorf("operation %d: identifier {%s}, want {id} or {uuid}", op.N, p)
		}
		switch {
		case op.Method == "GET" && (op.Kind != 0 || op.How != ""):
			t.Errorf("operation %d (%s) is a read with a write's kind %s", op.N, op, op.Kind)
		case op.Method != "GET" && (op.Kind < Repeat || op.Kind > Never || op.How == ""):
			t.Errorf("operation %d (%s) is a write without a kind and its How: say what a lost answer does", op.N, op)
		case (op.Method == "PUT" || op.Method == "DELETE") && op.Kind != Repeat:
			t.Errorf("operation %d is a %s, which is always repeatable, but its kind is %s", op.N, op.Method, op.Kind)
		}
	}
}

// TestMatchFindsEveryOperation checks that each operation's concrete path,
// with identifiers that look like other paths, matches that operation and
// gives the identifier back. ("me" is not among them: accounts/users/me/ is
// operation 9, as TestMatchRefuses checks.)
func TestMatchFindsEveryOperation(t *testing.T) {
	for _, op := range Operations {
		for _, id := range []string{"NL", "current", "../x", "a/b", "%2E", "increment"} {
			got, gotID, ok := Match(op.Method, op.Expand(id))
			want := id
			if op.Param() == "" {
				want = ""
			}
			if !ok || got.N != op.N || gotID != want {
				t.Errorf("Match(%s, %q) = %d, %q, %v; want %d, %q", op.Method, op.Expand(id), got.N, gotID, ok, op.N, want)
			}
		}
	}
}

func TestMatchRefuses(t *testing.T) {
	for _, tc := range []struct {
		method, rel string
		want        int // 0: no operation
	}{
		{"GET", "accounts/users/me/", 9},
		{"DELETE", "accounts/users/me/", 0}, // the literal path wins over accounts/users/{uuid}/
		{"GET", "accounts/users/abc/", 32},
		{"GET", "accounts/users/abc", 0},
		{"GET", "accounts/users//", 0},
		{"GET", "accounts/countries/", 0},
		{"GET", "accounts/countries", 1},
		{"POST", "accounts/countries", 0},
		{"GET", "accounts/countries/a/b", 0},
		{"POST", "accounts/organizations/x/increment/", 29},
		{"POST", "accounts/organizations/x/y/increment/", 0},
		{"GET", "accounts/organizations/%zz/", 0},
		{"GET", "/accounts/countries", 0},
	} {
		op, _, ok := Match(tc.method, tc.rel)
		if ok != (tc.want != 0) || op.N != tc.want {
			t.Errorf("Match(%s, %q) = %d, %v; want %d", tc.method, tc.rel, op.N, ok, tc.want)
		}
	}
	if ops, _ := AtPath("accounts/users/me/"); len(ops) != 1 || ops[0].N != 9 {
		t.Errorf("AtPath(accounts/users/me/) = %v, want operation 9 alone", ops)
	}
	if ops, id := AtPath("accounts/invite/u1/"); len(ops) != 3 || id != "u1" {
		t.Errorf("AtPath(accounts/invite/u1/) = %v, %q; want operations 19 to 21 and u1", ops, id)
	}
}
