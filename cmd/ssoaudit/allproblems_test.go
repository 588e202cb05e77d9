package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
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

// The problems of a config's different checks, and of every druva.yaml a
// config names, come in one run, each with its file and line: fixing one
// must not reveal the next (issue #10).
func TestEveryProblemAcrossStagesAndFiles(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good := snap("good")
	// A druva.yaml with three problems and a token, which must not show.
	broken := func(name string) {
		write(name, "platform: insync-cloud\nfoo: 1\nsso:\n  sso_token: "+fixture.Token+"\n  bar: 2\nadmins:\n  sso_enabled: maybe\n")
	}
	broken("one/druva.yaml")
	broken("two/druva.yaml")

	cases := []struct {
		name, config string
		want         []string
	}{
		{"an unknown key, a duplicate target and an unknown scope", `targets:
  - name: a
    snapshot: ` + good + `
    bogus: 1
  - name: a
    snapshot: ` + good + `
suppress:
  - rule: okta.saml.sha256
    target: zzz
    reason: x
    expires: 2027-01-01
`, []string{`dup.yaml:4: unknown key "bogus" in targets[0]`, `dup.yaml:5: targets[1]: duplicate target name "a"`, `dup.yaml:8: suppress[0]: target "zzz" is not one of the targets (a)`}},

		{"every target's broken druva.yaml", `targets:
  - name: a
    snapshot: ` + good + `
    druva: one/druva.yaml
  - name: b
    snapshot: ` + good + `
    druva: two/druva.yaml
  - name: c
    snapshot: ` + good + `
    druva: one/druva.yaml
`, []string{`one/druva.yaml:2: unknown key "foo"`, `one/druva.yaml:5: unknown key "bar"`, `one/druva.yaml:7: admins.sso_enabled`,
			`two/druva.yaml:2: unknown key "foo"`, `two/druva.yaml:5: unknown key "bar"`, `two/druva.yaml:7: admins.sso_enabled`}},

		{"a missing druva.yaml, at its druva: line, and the others' problems", `targets:
  - name: a
    snapshot: ` + good + `
    druva: nonexist.yaml
  - name: b
    snapshot: ` + good + `
    druva: two/druva.yaml
`, []string{`missing.yaml:4: target "a": druva: open ` + filepath.Join(dir, "nonexist.yaml") + `: no such file or directory`,
			`two/druva.yaml:2: unknown key "foo"`, `two/druva.yaml:5: unknown key "bar"`, `two/druva.yaml:7: admins.sso_enabled`}},

		{"the config's problems with its druva.yaml files' (a broken target's too)", `targets:
  - name: a
    snapshot: ` + good + `
    druva: one/druva.yaml
    bogus: 1
  - name: b
    snapshot: ` + good + `
    druva: nonexist.yaml
`, []string{`both.yaml:5: unknown key "bogus" in targets[0]`,
			`one/druva.yaml:2: unknown key "foo"`, `one/druva.yaml:5: unknown key "bar"`, `one/druva.yaml:7: admins.sso_enabled`,
			`both.yaml:8: target "b": druva: open `}},
	}
	files := []string{"dup.yaml", "fleet.yaml", "missing.yaml", "both.yaml"}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			write(files[i], c.config)
			cl := newCLI(t)
			if code := cl.run("scan", "--config", filepath.Join(dir, files[i])); code != 2 {
				t.Fatalf("exit %d, want 2:\n%s", code, cl.stderr.String())
			}
			checkLines(t, cl.stderr.String(), c.want...)
			if strings.Contains(cl.stderr.String(), fixture.Token[:12]) {
				t.Errorf("the token shows:\n%s", cl.stderr.String())
			}
		})
	}
}

// Problems of many files together are capped as one file's are.
func TestProblemsOfManyFilesAreCapped(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	var cfg strings.Builder
	cfg.WriteString("targets:\n")
	for i := range 30 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%d.yaml", i)), []byte("platform: insync-cloud\nfoo: 1\nbar: 2\n"), 0o644)
		fmt.Fprintf(&cfg, "  - name: t%d\n    snapshot: %s\n    druva: d%d.yaml\n", i, snap("good"), i)
	}
	os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(cfg.String()), 0o644)
	cl := newCLI(t)
	if code := cl.run("scan"); code != 2 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(cl.stderr.String()), "\n")
	if len(lines) != 51 || !strings.Contains(lines[0], "d0.yaml:2: unknown key") || !strings.Contains(lines[49], "d24.yaml:3: unknown key") || !strings.Contains(lines[50], "listing stopped after 50") {
		t.Errorf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}
