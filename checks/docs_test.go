package checks

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ssoaudit/ssoaudit/docs"
)

var update = flag.Bool("update", false, "rewrite the Reference section of each docs/rules page from the code")

// TestRulePagesMatchCatalog keeps docs/rules and the catalog in step: every
// rule has a page (register refuses one without) and every page a rule; each
// page's Reference is the code's; each rule maps to controls of both
// frameworks.
func TestRulePagesMatchCatalog(t *testing.T) {
	for _, id := range docs.RuleIDs() {
		if !Known(id) {
			t.Errorf("docs/rules/%s.md describes no rule of the catalog: remove it or register the rule", id)
		}
	}
	section := regexp.MustCompile(`(?s)\n## Reference\n\n.*?\n\n## Controls\n`)
	for _, r := range All() {
		p, ok, err := docs.Rule(r.ID)
		if !ok || err != nil {
			t.Errorf("%s: page %v %v", r.ID, ok, err)
			continue
		}
		if p.Reference != r.Reference {
			if *update {
				path := filepath.Join("..", "docs", "rules", r.ID+".md")
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				b = section.ReplaceAll(b, []byte("\n## Reference\n\n"+r.Reference+"\n\n## Controls\n"))
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				t.Errorf("docs/rules/%s.md: Reference is not the code's (go test ./checks -run RulePages -update rewrites it):\npage: %s\ncode: %s", r.ID, p.Reference, r.Reference)
			}
		}
		for _, f := range docs.Frameworks {
			n := 0
			for _, c := range r.Controls {
				if c.Framework == f.Key {
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s maps to no control of %s", r.ID, f.Name)
			}
		}
	}
}
