package docs

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ssoaudit/ssoaudit/"

// forbidden is the import table of ARCHITECTURE.md ("Packages, and what each
// may import") as the edges it rules out: data flows one way, sources →
// target → rules → results → reports, and no room reaches into another's.
// A key or a value ending in "/" stands for every package under it.
var forbidden = map[string][]string{
	"audit":             {"checks", "source/", "scan", "report", "config", "diff", "cmd/", "internal/"},
	"checks":            {"source/", "scan", "report", "config", "diff", "cmd/"},
	"source/":           {"checks", "scan", "report", "config", "diff", "cmd/"},
	"config":            {"checks", "source/", "scan", "report", "diff", "cmd/"},
	"report":            {"checks", "source/", "scan", "config", "diff", "cmd/"},
	"diff":              {"checks", "source/", "scan", "report", "config", "cmd/"},
	"scan":              {"report", "diff", "cmd/"},
	"docs":              {"audit", "checks", "source/", "scan", "report", "config", "diff", "cmd/", "internal/"},
	"internal/escape":   {"checks", "source/", "scan", "report", "config", "diff", "cmd/"},
	"internal/redact":   {"checks", "source/", "scan", "report", "config", "diff", "cmd/"},
	"internal/words":    {"checks", "source/", "scan", "report", "config", "diff", "cmd/"},
	"internal/yamlfile": {"checks", "source/", "scan", "report", "config", "diff", "cmd/"},
}

// TestImportsFlowOneWay fails on a non-test file importing what its
// package's row of ARCHITECTURE.md rules out.
func TestImportsFlowOneWay(t *testing.T) {
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "testdata" || (strings.HasPrefix(n, ".") && p != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := filepath.ToSlash(rel)
		rules := rulesFor(pkg)
		if len(rules) == 0 {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			dep, ok := strings.CutPrefix(path, module)
			if !ok {
				continue
			}
			for _, no := range rules {
				if matches(no, dep) {
					t.Errorf("%s imports %s: package %s may not import %s (docs/ARCHITECTURE.md)", filepath.ToSlash(filepath.Join(rel, filepath.Base(p))), dep, pkg, no)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func rulesFor(pkg string) []string {
	var out []string
	for k, v := range forbidden {
		if matches(k, pkg) {
			out = append(out, v...)
		}
	}
	return out
}

// matches reports whether pattern ("report", or "source/" for every package
// under source) names pkg.
func matches(pattern, pkg string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(pkg, pattern)
	}
	return pkg == pattern || strings.HasPrefix(pkg, pattern+"/")
}
