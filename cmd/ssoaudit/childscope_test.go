package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSuppressionChildScope: target: NAME/child is checked once the
// entry's apps are known. For an entry that yields one app (a snapshot) a
// child that does not exist is a configuration error naming the file and
// line (exit 2) — it was accepted and suppressed nothing. For an entry
// that matches several (a Terraform plan), a stderr warning, and the run
// goes on.
func TestSuppressionChildScope(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	plan := filepath.Join(snap("good"), "..", "..", "terraform", "plan.json")
	write := func(target string) {
		os.WriteFile(".ssoaudit.yaml", []byte(`targets:
  - name: prod
    snapshot: `+snap("broken")+`
  - name: tf
    terraform: `+plan+`
suppress:
  - rule: okta.saml.response-signed
    target: `+target+`
    reason: accepted risk, ticket SEC-1
    expires: 2099-01-01
`), 0o644)
	}
	cl := newCLI(t)

	write("prod/anything")
	if code := cl.run("scan", "--format", "json"); code != 2 {
		t.Fatalf("prod/anything: exit %d, want 2\n%s", code, cl.stderr.String())
	}
	if !strings.Contains(cl.stderr.String(), ".ssoaudit.yaml:7:") || !strings.Contains(cl.stderr.String(), `"prod/anything"`) {
		t.Errorf("the error does not name the file and line:\n%s", cl.stderr.String())
	}

	write("tf/renamed-in-okta")
	if code := cl.run("scan", "--format", "json"); code == 2 {
		t.Fatalf("tf/renamed-in-okta: exit 2\n%s", cl.stderr.String())
	}
	if !strings.Contains(cl.stderr.String(), "warning: ") || !strings.Contains(cl.stderr.String(), `"tf/renamed-in-okta"`) {
		t.Errorf("no warning:\n%s", cl.stderr.String())
	}

	write("prod")
	if code := cl.run("scan", "--format", "json"); code == 2 || strings.Contains(cl.stderr.String(), "names no app") {
		t.Errorf("prod: exit %d\n%s", code, cl.stderr.String())
	}
}
