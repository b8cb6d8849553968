package accounts_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// module is the module path, whose internal packages public aliases point
// into.
const module = "github.com/coolset-go/sdk"

// TestAliasDocsNameWhatGoDocHides checks that every public alias of a type in
// internal/ names, in its own doc comment, each exported field and method of
// the type: `go doc accounts.Error` shows only the alias and its comment, so
// whatever a user reads on the type must be written there.
func TestAliasDocsNameWhatGoDocHides(t *testing.T) {
	fset, files := sourceFiles(t, "..", "internal", "examples")
	checked := 0
	for _, f := range files {
		imports := map[string]string{}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := p[strings.LastIndex(p, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = p
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if !ts.Assign.IsValid() || !ts.Name.IsExported() {
					continue
				}
				expr := ts.Type
				if ix, ok := expr.(*ast.IndexExpr); ok {
					expr = ix.X
				}
				sel, ok := expr.(*ast.SelectorExpr)
				if !ok {
					continue
				}
				pkg, _ := sel.X.(*ast.Ident)
				if pkg == nil || !strings.HasPrefix(imports[pkg.Name], module+"/internal/") {
					continue
				}
				doc := ts.Doc.Text()
				if doc == "" {
					doc = gd.Doc.Text()
				}
				dir := filepath.Join("..", filepath.FromSlash(strings.TrimPrefix(imports[pkg.Name], module+"/")))
				names := memberNames(t, dir, sel.Sel.Name)
				for _, n := range names {
					if !regexp.MustCompile(`\b` + n + `\b`).MatchString(doc) {
						t.Errorf("%s: the doc of alias %s does not name %s.%s, which go doc hides", fset.Position(ts.Pos()), ts.Name.Name, sel.Sel.Name, n)
					}
				}
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked %d aliases; the walk is broken", checked)
	}
}

// plumbing are methods a user does not call by name: the error and JSON
// interfaces, reached through errors.Is/As, fmt and encoding/json.
var plumbing = map[string]bool{"Error": true, "Unwrap": true, "Is": true, "As": true, "UnmarshalJSON": true, "MarshalJSON": true, "String": true}

// memberNames returns the exported fields and methods of the type typeName
// declared in the package in dir.
func memberNames(t *testing.T, dir, typeName string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok || ts.Name.Name != typeName {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fld := range st.Fields.List {
						for _, n := range fld.Names {
							if n.IsExported() {
								names = append(names, n.Name)
							}
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || !d.Name.IsExported() || plumbing[d.Name.Name] {
					continue
				}
				rt := d.Recv.List[0].Type
				if st, ok := rt.(*ast.StarExpr); ok {
					rt = st.X
				}
				if ix, ok := rt.(*ast.IndexExpr); ok {
					rt = ix.X
				}
				if id, ok := rt.(*ast.Ident); ok && id.Name == typeName {
					names = append(names, d.Name.Name)
				}
			}
		}
	}
	return names
}
