package testprog

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository's root.
const root = "../../.."

// TestNoTestSkipsOnItsOwn fails when a test anywhere in the repository
// calls Skip, Skipf or SkipNow itself: a skip goes through Need (a named
// outside program, listed in the README, a failure in CI), Short or Manual,
// so a fresh clone never skips a test silently.
func TestNoTestSkipsOnItsOwn(t *testing.T) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules":
				return filepath.SkipDir
			}
			if filepath.Clean(path) == filepath.Join(root, "internal", "testkit", "testprog") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkgs := map[string]bool{}
		for _, im := range f.Imports {
			name := strings.Trim(im.Path.Value, `"`)
			name = name[strings.LastIndex(name, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			pkgs[name] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && pkgs[id.Name] {
				return true // a package's function (audit.Skip builds a result)
			}
			switch sel.Sel.Name {
			case "Skip", "Skipf", "SkipNow":
				t.Errorf("%s: %s.%s: a test skips only through testprog.Need (an outside program), Short or Manual", fset.Position(sel.Pos()), exprString(sel.X), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func exprString(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "a test"
}

// TestREADMEListsPrograms: every program a test may need is named in the
// README's Development section with what installs it.
func TestREADMEListsPrograms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, name := range Names() {
		p := Programs[name]
		if !strings.Contains(readme, "`"+name+"`") || !strings.Contains(readme, p.Install) {
			t.Errorf("README does not list `%s` with its install line %q", name, p.Install)
		}
	}
}

// TestCIRequiresPrograms: .ci/run sets RequireEnv, so CI fails rather than
// skips a test whose program is missing.
func TestCIRequiresPrograms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "export "+RequireEnv+"=1") {
		t.Errorf(".ci/run does not export %s=1", RequireEnv)
	}
}

// TestREADMEListsManualTests: a test that skips unless a person asks for it
// (Manual) skips in every fresh clone, so the README names it beside the
// programs: "go test ./... skips only what the README lists" stays true.
func TestREADMEListsManualTests(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Manual" && exprString(sel.X) == "testprog" {
					if !strings.Contains(readme, "`"+fn.Name.Name+"`") {
						t.Errorf("%s: %s skips unless asked (testprog.Manual) but the README does not name it", path, fn.Name.Name)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
