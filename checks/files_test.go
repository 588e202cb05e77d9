package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

// ruleFile is the file a rule lives in: its ID with dots and dashes made
// underscores (zlint names every file after its lint), so
// cross.certificate-match is in cross_certificate_match.go, its test beside
// it in cross_certificate_match_test.go.
func ruleFile(id string) string {
	return strings.NewReplacer(".", "_", "-", "_").Replace(id) + ".go"
}

// ruleGroups are the first words of rule IDs. A file named after one of them
// is a rule's file; helpers shared by several rules take other names
// (helpers.go, certificates.go, profile.go, …).
var ruleGroups = []string{"okta_", "druva_", "cross_"}

// TestRuleFilesNamedAfterIDs keeps the catalog findable: every registered
// rule has its own file named after its ID, with a test beside it; a file
// registers at most one rule; a helper file is not named like a rule's.
func TestRuleFilesNamedAfterIDs(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	registeredIn := map[string]string{} // rule ID → file
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		ids := registeredIDs(t, name)
		if len(ids) > 1 {
			t.Errorf("%s registers %d rules (%s); give each its own file", name, len(ids), strings.Join(ids, ", "))
		}
		for _, id := range ids {
			registeredIn[id] = name
			if want := ruleFile(id); name != want {
				t.Errorf("rule %s is registered in %s; move it to %s (git mv, with its test)", id, name, want)
			}
		}
		if len(ids) == 0 {
			for _, g := range ruleGroups {
				if strings.HasPrefix(name, g) {
					t.Errorf("%s is named like a rule's file but registers no rule; name helpers after what they hold", name)
				}
			}
		}
	}
	for _, r := range All() {
		file, ok := registeredIn[r.ID]
		if !ok {
			t.Errorf("rule %s: no file registers it with a literal ID", r.ID)
			continue
		}
		test := strings.TrimSuffix(file, ".go") + "_test.go"
		if _, err := os.Stat(test); err != nil {
			t.Errorf("rule %s has no test beside it: %s", r.ID, test)
		}
	}
	if len(registeredIn) != len(All()) {
		t.Errorf("found %d register calls with literal IDs, the catalog has %d rules", len(registeredIn), len(All()))
	}
}

// registeredIDs returns the IDs of the rules a file registers: the ID field
// of each register(&audit.Rule{…}) call.
func registeredIDs(t *testing.T, name string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "register" {
			return true
		}
		arg := call.Args[0]
		if u, ok := arg.(*ast.UnaryExpr); ok {
			arg = u.X
		}
		lit, ok := arg.(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
				if s, ok := kv.Value.(*ast.BasicLit); ok && s.Kind == token.STRING {
					if id, err := strconv.Unquote(s.Value); err == nil {
						ids = append(ids, id)
					}
				}
			}
		}
		return true
	})
	return ids
}

// TestFactsDeclaredWell: the catalog's fact declarations form no cycle and
// compute no target fact from a deployment fact (audit.NewPlan would panic).
func TestFactsDeclaredWell(t *testing.T) {
	if err := audit.CheckFacts(All()); err != nil {
		t.Error(err)
	}
}
