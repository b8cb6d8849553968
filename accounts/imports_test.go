package accounts_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the package graph one-way: accounts imports the
// resource packages, they import only internal packages and paging (the
// paging parameters their options embed), paging imports only internal
// packages, internal packages import no public package (but internal/sdktest,
// the tests' helpers, which builds clients and which no library code
// imports), and accountstest imports no SDK package but the endpoint table.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/coolset-go/sdk/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	kind := func(p string) string {
		switch rel := strings.TrimPrefix(p, mod); {
		case !strings.HasPrefix(p, mod):
			return "external"
		case rel == "accounts":
			return "root"
		case rel == "accounts/accountstest":
			return "server"
		case rel == "internal/sdktest":
			return "testhelper"
		case rel == "paging":
			return "paging"
		case strings.HasPrefix(rel, "internal/"):
			return "internal"
		case strings.HasPrefix(rel, "examples/"):
			return "example"
		default:
			return "resource"
		}
	}
	allowed := map[string]map[string]bool{
		"root":     {"resource": true, "paging": true, "internal": true},
		"resource": {"paging": true, "internal": true},
		"paging":   {"internal": true},
		"internal": {"internal": true},
		"server":   {},
		// imported by tests only: go list's Imports leaves test imports out,
		// so no package may import it
		"testhelper": {"root": true, "resource": true, "paging": true, "internal": true},
		"example":    {"root": true, "resource": true, "paging": true, "server": true, "example": true},
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 5 {
		t.Fatalf("go list found only %d packages", len(lines))
	}
	for _, line := range lines {
		f := strings.Fields(line)
		from := f[0]
		for _, to := range f[1:] {
			k := kind(to)
			if k == "external" {
				continue
			}
			if kind(from) == "server" && to == mod+"internal/endpoints" {
				continue
			}
			if !allowed[kind(from)][k] {
				t.Errorf("%s imports %s (%s -> %s is not allowed)", from, to, kind(from), k)
			}
		}
	}
}
