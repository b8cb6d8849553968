package accounts_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sampleDocs are the Markdown files, relative to the module root, whose
// ```go blocks TestDocSamplesCompile type-checks; docs/*.md is added to them.
var sampleDocs = []string{"README.md", "CONTRIBUTING.md", "SECURITY.md"}

// sampleOptOut, as the first line of a ```go block, leaves the block out of
// TestDocSamplesCompile: for a sample that is deliberately incomplete.
const sampleOptOut = "// not compiled"

// samplePreamble declares, at package level, the names the samples use without
// declaring them: the variables a reader is assumed to have, and stand-ins for
// the reader's own functions and for packages outside this module. A name that
// a top-level sample declares itself is left out of the preamble for it.
var samplePreamble = []struct{ name, decl string }{
	{"ctx", "var ctx context.Context"},
	{"client", "var client *accounts.Client"},
	{"err", "var err error"},
	{"key", "var key string"},
	{"id", "var id int"},
	{"clientID", "var clientID string"},
	{"secret", "var secret string"},
	{"tokenURL", "var tokenURL string"},
	{"role", "var role invitations.Role"},
	{"opts", "var opts *workspaces.ListOptions"},
	{"t", "var t *testing.T"},
	{"done", "func done(*workspaces.Workspace) bool { return false }"},
	{"activeIn", "func activeIn(context.Context, *accounts.Client, string) ([]string, error) { return nil, nil }"},
	// go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp, which this module does not require.
	{"otelhttp", "var otelhttp struct{ NewTransport func(http.RoundTripper) http.RoundTripper }"},
}

// samplePreambleImports are the packages samplePreamble uses.
var samplePreambleImports = []string{
	"context", "net/http", "testing",
	"github.com/coolset-go/sdk/accounts",
	"github.com/coolset-go/sdk/invitations",
	"github.com/coolset-go/sdk/workspaces",
}

// sampleImports maps each package name a sample may use without importing it
// to its import path. A sample that uses another package must import it, or
// the name is added here.
var sampleImports = map[string]string{
	"context":           "context",
	"errors":            "errors",
	"fmt":               "fmt",
	"http":              "net/http",
	"log":               "log",
	"net":               "net",
	"os":                "os",
	"slices":            "slices",
	"slog":              "log/slog",
	"strings":           "strings",
	"testing":           "testing",
	"time":              "time",
	"clientcredentials": "golang.org/x/oauth2/clientcredentials",
	"accounts":          "github.com/coolset-go/sdk/accounts",
	"accountstest":      "github.com/coolset-go/sdk/accounts/accountstest",
	"countries":         "github.com/coolset-go/sdk/countries",
	"invitations":       "github.com/coolset-go/sdk/invitations",
	"organizations":     "github.com/coolset-go/sdk/organizations",
	"paging":            "github.com/coolset-go/sdk/paging",
	"users":             "github.com/coolset-go/sdk/users",
	"workspaces":        "github.com/coolset-go/sdk/workspaces",
}

// docSample is one ```go block of a Markdown file.
type docSample struct {
	file string // relative to the module root
	line int    // of the block's first line of code
	code string
}

// elidedBody is the placeholder samples use for a body left to the reader,
// as in "if err != nil { ... }"; it is compiled as an empty block.
var elidedBody = regexp.MustCompile(`\{ *\.\.\. *\}`)

// TestDocSamplesCompile type-checks every ```go block of README.md,
// CONTRIBUTING.md, SECURITY.md and docs/*.md against the module's current
// API, so that a sample cannot go stale silently. A block is a fragment: one
// that starts with package, func or type is a file's top level; any other is
// statements, compiled as a function's body (one returning an error), after
// its leading import declarations, if any, are moved to the top level.
// "{ ... }" stands for an elided body. The names the samples use undeclared
// are declared by samplePreamble; the packages they use unimported are
// imported through sampleImports. Each block is checked on its own, and
// "declared and not used" and "imported and not used" are not errors, since
// a fragment shows calls, not a program. A block whose first line is
// sampleOptOut is skipped.
func TestDocSamplesCompile(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	docs := slices.Clone(sampleDocs)
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		rel, err := filepath.Rel(root, m)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, filepath.ToSlash(rel))
	}
	var samples []docSample
	for _, doc := range docs {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, goSamples(doc, string(text))...)
	}
	if len(samples) == 0 {
		t.Fatal("no ```go block found: the extraction is broken")
	}

	fset := token.NewFileSet()
	imp := exportDataImporter(t, fset)
	// The files are named after this directory, inside the module, so that
	// the importer resolves the module's packages; positions are reported
	// in the Markdown files through //line directives.
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, s := range samples {
		if first, _, _ := strings.Cut(strings.TrimSpace(s.code), "\n"); strings.HasPrefix(strings.TrimSpace(first), sampleOptOut) {
			t.Logf("%s:%d: skipped (%s)", s.file, s.line, sampleOptOut)
			continue
		}
		for _, e := range checkSample(fset, imp, filepath.Join(dir, fmt.Sprintf("docsample%d", i)), root, s) {
			t.Errorf("%s", e)
		}
		checked++
	}
	t.Logf("%d ```go blocks type-checked", checked)
}

// exportDataImporter returns an importer that reads the compiler's export
// data for the packages the samples may use and their dependencies, which
// "go list -export" builds (or finds in the build cache). It is much faster
// than type-checking all of them from source.
func exportDataImporter(t *testing.T, fset *token.FileSet) types.Importer {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command to build export data: %v", err)
	}
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	for _, p := range sampleImports {
		args = append(args, p)
	}
	args = append(args, samplePreambleImports...)
	cmd := exec.Command("go", args...)
	cmd.Stderr = new(strings.Builder)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export: %v\n%s", err, cmd.Stderr)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q: add it to sampleImports", path)
		}
		return os.Open(file)
	})
}

// goSamples returns the ```go blocks of a Markdown file's text.
func goSamples(file, text string) []docSample {
	var out []docSample
	var cur *docSample
	var body []string
	for n, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```go":
			cur = &docSample{file: file, line: n + 2}
			body = body[:0]
		case cur != nil && trimmed == "```":
			cur.code = strings.Join(body, "\n")
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	return out
}

// checkSample type-checks one sample, with the preamble, as a package of two
// files named base+"_block.go" and base+"_preamble.go", and returns its errors
// as "file:line: message", positioned in the Markdown file (file relative to
// root).
func checkSample(fset *token.FileSet, imp types.Importer, base, root string, s docSample) []string {
	code := elidedBody.ReplaceAllString(s.code, "{}")
	lines := strings.Split(code, "\n")
	docPath := filepath.Join(root, s.file)
	lineDirective := func(n int) string { return fmt.Sprintf("//line %s:%d\n", docPath, s.line+n) }

	// Leading blank lines, comments and import declarations go to the top level.
	start := 0
	var head strings.Builder
	for start < len(lines) {
		l := strings.TrimSpace(lines[start])
		switch {
		case l == "" || strings.HasPrefix(l, "//"):
			start++
			continue
		case strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "import("):
			end := start
			if strings.HasSuffix(l, "(") {
				for end < len(lines)-1 && strings.TrimSpace(lines[end]) != ")" {
					end++
				}
			}
			head.WriteString(lineDirective(start))
			head.WriteString(strings.Join(lines[start:end+1], "\n") + "\n")
			start = end + 1
			continue
		}
		break
	}
	rest := strings.Join(lines[start:], "\n")
	first := strings.Fields(strings.TrimSpace(rest) + " ")
	topLevel := false
	if len(first) > 0 {
		switch first[0] {
		case "package", "func", "type":
			topLevel = true
		}
	}

	pkgName := "docsample"
	if topLevel && first[0] == "package" && len(first) > 1 {
		pkgName = strings.TrimSuffix(first[1], ";")
	}
	// assemble writes the file, with import declarations for the paths in
	// extra after its package clause.
	assemble := func(extra []string) string {
		var src strings.Builder
		body, at := rest, start
		if topLevel && first[0] == "package" {
			// A whole file: its package clause comes first.
			clause, after, _ := strings.Cut(rest, "\n")
			src.WriteString(clause + "\n")
			body = after
			at += strings.Count(rest, "\n") - strings.Count(after, "\n")
		} else {
			src.WriteString("package " + pkgName + "\n")
		}
		for _, p := range extra {
			fmt.Fprintf(&src, "import %q\n", p)
		}
		src.WriteString(head.String())
		if !topLevel {
			src.WriteString("func _() error {\n")
		}
		src.WriteString(lineDirective(at))
		src.WriteString(body + "\n")
		if !topLevel {
			// On a line of its own, after the sample's last line.
			src.WriteString("return nil\n}\n")
		}
		return src.String()
	}
	blockName := base + "_block.go"
	f, err := parser.ParseFile(fset, blockName, assemble(nil), parser.SkipObjectResolution)
	if err != nil {
		return []string{strings.TrimPrefix(err.Error(), root+string(filepath.Separator))}
	}
	// Import the packages the sample names without importing them.
	imported := map[string]bool{}
	for _, spec := range f.Imports {
		path := strings.Trim(spec.Path.Value, `"`)
		name := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imported[name] = true
	}
	declared := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				declared[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					declared[spec.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						declared[n.Name] = true
					}
				}
			}
		}
	}
	var missing []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok {
				if path, ok := sampleImports[x.Name]; ok && !imported[x.Name] && !declared[x.Name] {
					imported[x.Name] = true
					missing = append(missing, path)
				}
			}
		}
		return true
	})
	if len(missing) > 0 {
		if f, err = parser.ParseFile(fset, blockName, assemble(missing), parser.SkipObjectResolution); err != nil {
			return []string{strings.TrimPrefix(err.Error(), root+string(filepath.Separator))}
		}
	}

	var pre strings.Builder
	pre.WriteString("package " + pkgName + "\n\n")
	for _, p := range samplePreambleImports {
		fmt.Fprintf(&pre, "import %q\n", p)
	}
	for _, p := range samplePreamble {
		if !declared[p.name] {
			pre.WriteString(p.decl + "\n")
		}
	}
	pf, err := parser.ParseFile(fset, base+"_preamble.go", pre.String(), parser.SkipObjectResolution)
	if err != nil {
		return []string{"preamble: " + err.Error()}
	}

	var errs []string
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			msg := err.Error()
			if strings.Contains(msg, "declared and not used") || strings.Contains(msg, "imported and not used") {
				return
			}
			msg = strings.TrimPrefix(msg, root+string(filepath.Separator))
			errs = append(errs, msg)
		},
	}
	conf.Check(pkgName, fset, []*ast.File{pf, f}, nil) // errors reach conf.Error
	return errs
}
