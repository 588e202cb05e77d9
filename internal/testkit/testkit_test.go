package testkit

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ssoaudit/ssoaudit/"

// TestToolNeverImportsTestkit: the test kits stay out of the binary. Only
// _test.go files and testkit's own packages (its commands included) may
// import internal/testkit.
func TestToolNeverImportsTestkit(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	kit := filepath.Dir(self)
	root := filepath.Join(kit, "..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") || path == kit {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, module+"internal/testkit") {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s imports %s: test kits are for _test.go files only", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files; is the walk rooted at the repository?", checked)
	}
}
