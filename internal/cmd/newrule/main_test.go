package main

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/docs"
)

// root is the repository's top directory.
const root = "../../.."

// TestGenerate scaffolds a rule into an empty tree shaped like the
// repository and checks each file: named after the ID, a page that parses
// and says what the code says, Go that compiles inside the checks package.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"checks", "docs/rules"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files, err := generate(dir, "okta.saml.foo-bar")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"checks/okta_saml_foo_bar.go", "checks/okta_saml_foo_bar_test.go", "docs/rules/okta.saml.foo-bar.md"}
	for i, w := range want {
		if i >= len(files) || files[i] != filepath.Join(dir, w) {
			t.Fatalf("wrote %q, want %q under %s", files, want, dir)
		}
	}
	page, err := os.ReadFile(files[2])
	if err != nil {
		t.Fatal(err)
	}
	p, err := docs.ParsePage("okta.saml.foo-bar", string(page))
	if err != nil {
		t.Fatalf("the scaffolded page does not parse: %v", err)
	}
	code, _ := os.ReadFile(files[0])
	for _, s := range []string{`Title:     "` + p.Title + `"`, `Reference: "` + p.Reference + `"`, "func checkSamlFooBar(t *audit.Target) audit.Result", `audit.Error(`} {
		if !strings.Contains(string(code), s) {
			t.Errorf("the rule file lacks %q:\n%s", s, code)
		}
	}
	if strings.Contains(string(code), "audit.Pass(") {
		t.Error("a scaffolded rule must not pass before it judges anything")
	}
	test, _ := os.ReadFile(files[1])
	if !strings.Contains(string(test), "func TestSamlFooBar(t *testing.T)") {
		t.Errorf("the test file:\n%s", test)
	}
	for _, f := range files[:2] {
		if _, err := parser.ParseFile(token.NewFileSet(), f, nil, 0); err != nil {
			t.Error(err)
		}
	}

	// The Go files compile as part of the real checks package (an overlay
	// adds them without touching the work tree).
	abs, err := filepath.Abs(filepath.Join(root, "checks"))
	if err != nil {
		t.Fatal(err)
	}
	overlay := map[string]map[string]string{"Replace": {
		filepath.Join(abs, "okta_saml_foo_bar.go"):      files[0],
		filepath.Join(abs, "okta_saml_foo_bar_test.go"): files[1],
	}}
	ob, _ := json.Marshal(overlay)
	of := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(of, ob, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(t), "vet", "-overlay", of, "./checks")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the scaffolded rule does not build in checks: %v\n%s", err, out)
	}

	// Twice, or a bad ID: nothing written.
	if _, err := generate(dir, "okta.saml.foo-bar"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("second run: %v", err)
	}
	for _, bad := range []string{"okta", "saml.foo", "okta.Saml", "okta.saml.foo_bar", "okta..x", "okta.saml.-x"} {
		if _, err := generate(dir, bad); err == nil || !strings.Contains(err.Error(), "not a rule ID") {
			t.Errorf("generate(%q): %v", bad, err)
		}
	}
	if _, err := generate(t.TempDir(), "okta.saml.baz"); err == nil || !strings.Contains(err.Error(), "repository's root") {
		t.Errorf("outside the repository: %v", err)
	}
}

// goTool is the go command of the toolchain running the test.
func goTool(t *testing.T) string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no go command on PATH or in GOROOT: %v", err)
	}
	return p
}
