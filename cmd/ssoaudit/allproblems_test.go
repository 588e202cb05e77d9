package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every problem of a druva.yaml or a config is reported in one run, each
// with its file and line: fixing a file must not take a run per mistake.
func TestEveryFileProblemInOneRun(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	// init's druva.yaml holds three placeholders.
	if code := cl.run("init"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, cl.stderr.String())
	}
	if code := cl.run("scan", "--snapshot", snap("good"), "--druva", "druva.yaml"); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	errs := strings.Split(strings.TrimSpace(cl.stderr.String()), "\n")
	want := []string{"druva.yaml:19: sso.idp_login_url", "druva.yaml:24: sso.idp_certificate", "druva.yaml:34: sso.sso_token_sha256"}
	if len(errs) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(errs), len(want), cl.stderr.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i], "ssoaudit: "+w) {
			t.Errorf("problem %d: %q, want %q", i+1, errs[i], w)
		}
	}

	// A druva.yaml with a mistake in every section.
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(`platform: insync
sso:
  idp_login_url: https://acme.okta.com/app/x/sso/saml
  authn_requests_signed: maybe
admins:
  sso_enabled: true
  faisafe: true
profiles:
  - name: Engineering
    login_mechanism: password
  - nme: Contractors
    login_mechanism: sso
`), 0o644)
	cl.run("scan", "--snapshot", snap("good"), "--druva", "bad.yaml")
	checkLines(t, cl.stderr.String(), "bad.yaml:1: platform", "bad.yaml:4: sso.authn_requests_signed", `bad.yaml:7: unknown key "faisafe"`, "bad.yaml:10: profiles[0].login_mechanism", `bad.yaml:11: unknown key "nme"`)

	// A config with a mistake in every section.
	os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(`fail_on: severe
fail_on_warn: yes please
require: [druva, keys]
expect:
  cert_warn_days: -3
rules:
  okta.saml.nope: {enabled: false}
  okta.saml.sha256: {severity: urgent}
suppress:
  - rule: okta.saml.sha256
    reason: accepted
    expires: someday
`), 0o644)
	if code := cl.run("scan", "--snapshot", snap("good")); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	checkLines(t, cl.stderr.String(), ".ssoaudit.yaml:1: fail_on", ".ssoaudit.yaml:2: fail_on_warn", ".ssoaudit.yaml:3: require", ".ssoaudit.yaml:5: expect.cert_warn_days",
		".ssoaudit.yaml:7: rules: unknown rule", ".ssoaudit.yaml:8: rules.okta.saml.sha256.severity", ".ssoaudit.yaml:12: suppress[0].expires")
}

// checkLines checks that stderr has exactly the given problems, one a line,
// in order.
func checkLines(t *testing.T, stderr string, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(lines), len(want), stderr)
		return
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("problem %d: %q lacks %q", i+1, lines[i], w)
		}
	}
}

// A file with hundreds of problems lists the first ones and says there are
// more: the report stays bounded.
func TestFileProblemsAreCapped(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	var b strings.Builder
	b.WriteString("platform: insync-cloud\n")
	for i := range 500 {
		fmt.Fprintf(&b, "key%d: x\n", i)
	}
	os.WriteFile(filepath.Join(dir, "many.yaml"), []byte(b.String()), 0o644)
	cl := newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("good"), "--druva", "many.yaml"); code != 2 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(cl.stderr.String()), "\n")
	if len(lines) != 51 || !strings.Contains(lines[0], "many.yaml:2: unknown key") || !strings.Contains(lines[50], "listing stopped after 50") {
		t.Errorf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}
