package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySnapshot copies the good snapshot's okta/ files (not its druva.yaml)
// to a new directory and applies edit to app.json's text.
func copySnapshot(t *testing.T, editApp func(string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snap")
	if err := os.MkdirAll(filepath.Join(dir, "okta"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"app.json", "keys.json", "metadata.xml", "users.json"} {
		b, err := os.ReadFile(filepath.Join(snap("good"), "okta", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "app.json" && editApp != nil {
			b = []byte(editApp(string(b)))
		}
		if err := os.WriteFile(filepath.Join(dir, "okta", f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// warnSnapshot has no druva.yaml and a token literal that is not shaped like
// the guide's: okta.saml.token-literal (critical) warns, the console and
// cross rules skip for want of druva.yaml.
func warnSnapshot(t *testing.T) string {
	return copySnapshot(t, func(s string) string {
		return strings.Replace(s, `A-48213-7730-qOItB6b7OuXBuBJ0oyhFIeIrKJlNbMUdLw7FP0IBBfI=`, `not-a-guide-shaped-token`, 1)
	})
}

// gateReport is the part of the JSON report the gate tests read.
type gateReport struct {
	Targets []struct {
		Results []struct {
			Rule     string `json:"rule"`
			Status   string `json:"status"`
			SkipKind string `json:"skip_kind"`
		} `json:"results"`
	} `json:"targets"`
	FailOnWarn bool     `json:"fail_on_warn"`
	Require    []string `json:"require"`
	ExitCode   int      `json:"exit_code"`
}

func (c *cli) gateReport() gateReport {
	c.t.Helper()
	var r gateReport
	if err := json.Unmarshal(c.stdout.Bytes(), &r); err != nil {
		c.t.Fatalf("json: %v\n%s", err, c.stdout.String())
	}
	return r
}

func (r gateReport) status(rule string) (status, kind string) {
	for _, t := range r.Targets {
		for _, res := range t.Results {
			if res.Rule == rule {
				return res.Status, res.SkipKind
			}
		}
	}
	return "", ""
}

func TestGateFlags(t *testing.T) {
	chdir(t, t.TempDir())
	warn := warnSnapshot(t)
	cases := []struct {
		name string
		args []string
		want int
		err  string // in stderr, when the run is refused
	}{
		{"a warn passes by default", []string{"scan", "--snapshot", warn}, 0, ""},
		{"--fail-on-warn fails on a critical warn", []string{"scan", "--snapshot", warn, "--fail-on-warn"}, 1, ""},
		{"--fail-on-warn still respects --fail-on", []string{"scan", "--snapshot", warn, "--fail-on-warn", "--fail-on", "critical"}, 1, ""},
		{"--fail-on none reports only", []string{"scan", "--snapshot", snap("broken"), "--fail-on", "none"}, 0, ""},
		{"--fail-on none with --fail-on-warn", []string{"scan", "--snapshot", warn, "--fail-on", "NONE", "--fail-on-warn"}, 0, ""},
		{"--fail-on none keeps exit 3", []string{"scan", "--snapshot", snap("malformed"), "--fail-on", "none"}, 3, ""},
		{"--require druva: its absence is an error", []string{"scan", "--snapshot", warn, "--require", "druva"}, 3, ""},
		{"--require users is met", []string{"scan", "--snapshot", warn, "--require", "users"}, 0, ""},
		{"--require repeats and takes lists", []string{"scan", "--snapshot", warn, "--require", "users,policy", "--require", "druva"}, 3, ""},
		{"--require unknown input", []string{"scan", "--snapshot", warn, "--require", "druva,keys"}, 2, `unknown input "keys"`},
		{"--require near miss", []string{"scan", "--snapshot", warn, "--require", "druva,user"}, 2, `unknown input "user" (want one of attested, domains, druva, platform, policy, users); did you mean users?` + "\nRun 'ssoaudit scan --help' for its flags.\n"},
		{"--require swapped letters", []string{"scan", "--snapshot", warn, "--require", "polciy"}, 2, "did you mean policy?"},
		{"--require druva with druva.yaml present", []string{"scan", "--snapshot", snap("good"), "--require", "druva,users"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := newCLI(t)
			if got := cl.run(c.args...); got != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, c.want, cl.stdout.String(), cl.stderr.String())
			}
			if c.err != "" && !strings.Contains(cl.stderr.String(), c.err) {
				t.Fatalf("stderr lacks %q: %s", c.err, cl.stderr.String())
			}
		})
	}
}

func TestSkipKindAndRequireInJSON(t *testing.T) {
	chdir(t, t.TempDir())
	warn := warnSnapshot(t)
	cl := newCLI(t)
	cl.run("scan", "--snapshot", warn, "--format", "json")
	rep := cl.gateReport()
	for rule, want := range map[string]string{"cross.certificate-match": "input_absent", "druva.sso.configured": "input_absent", "okta.saml.token-literal": ""} {
		st, kind := rep.status(rule)
		if kind != want {
			t.Errorf("%s: %s skip_kind %q, want %q", rule, st, kind, want)
		}
	}
	// A rule that does not apply is not_applicable, whatever --require says:
	// the broken snapshot's token literal is wrong, so token-match has no
	// token to compare.
	cl.run("scan", "--snapshot", snap("broken"), "--format", "json", "--require", "druva,users")
	rep = cl.gateReport()
	if st, kind := rep.status("cross.token-match"); st != "skip" || kind != "not_applicable" {
		t.Errorf("broken cross.token-match: %s %q, want skip not_applicable", st, kind)
	}

	if code := cl.run("scan", "--snapshot", warn, "--format", "json", "--require", "druva"); code != 3 {
		t.Fatalf("exit %d", code)
	}
	rep = cl.gateReport()
	st, kind := rep.status("cross.certificate-match")
	if st != "error" || kind != "" {
		t.Errorf("required druva: cross.certificate-match %s %q, want error", st, kind)
	}
	if len(rep.Require) != 1 || rep.Require[0] != "druva" {
		t.Errorf("require recorded as %v", rep.Require)
	}
	if !strings.Contains(cl.stdout.String(), "required input druva is absent") {
		t.Errorf("message does not say the required input is absent:\n%s", cl.stdout.String())
	}
}

func TestGateConfigKeys(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	warn := warnSnapshot(t)
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		config string
		args   []string
		want   int
	}{
		{"fail_on_warn: true\n", []string{"--snapshot", warn}, 1},
		{"fail_on_warn: true\n", []string{"--snapshot", warn, "--fail-on-warn=false"}, 0},
		{"fail_on: none\n", []string{"--snapshot", snap("broken")}, 0},
		{"fail_on: none\n", []string{"--snapshot", snap("broken"), "--fail-on", "high"}, 1},
		{"require: [druva]\n", []string{"--snapshot", warn}, 3},
		{"require: druva, users\n", []string{"--snapshot", warn}, 3},
		{"require: [druva]\n", []string{"--snapshot", warn, "--require", "users"}, 0},
		{"require: [keys]\n", []string{"--snapshot", warn}, 2},
		{"fail_on_warn: maybe\n", []string{"--snapshot", warn}, 2},
	}
	for _, c := range cases {
		write(c.config)
		cl := newCLI(t)
		if got := cl.run(append([]string{"scan"}, c.args...)...); got != c.want {
			t.Errorf("config %q, args %v: exit %d, want %d\n%s", c.config, c.args, got, c.want, cl.stderr.String())
		}
	}
}

func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	code := cl.run("scan", "--snapshot", snap("broken"), "--output", "r.json", "--output", "r.html", "--output", "r.md", "--output", "r.sarif", "--output", "r.xml")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, cl.stderr.String())
	}
	if cl.stdout.Len() != 0 {
		t.Errorf("stdout not empty with --output:\n%s", cl.stdout.String())
	}
	line := cl.stderr.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "gate: FAILED") || !strings.Contains(line, "wrote r.json, r.html, r.md, r.sarif, r.xml") {
		t.Errorf("stderr is not one line with the verdict and the files: %q", line)
	}
	for f, prefix := range map[string]string{"r.json": "{", "r.html": "<!DOCTYPE html>", "r.md": "## ssoaudit report", "r.sarif": "{", "r.xml": "<?xml"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(strings.TrimSpace(string(b)), prefix) {
			t.Errorf("%s starts %q, want %q", f, firstLine(string(b)), prefix)
		}
	}
	var sarif struct {
		Version string `json:"version"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "r.sarif"))
	if json.Unmarshal(b, &sarif); sarif.Version == "" {
		t.Errorf("r.sarif is not SARIF: %.80s", b)
	}

	refused := []struct {
		args []string
		err  string
	}{
		{[]string{"--output", "r.pdf"}, "--output r.pdf: unknown extension .pdf"},
		{[]string{"--output", "report"}, "unknown extension (none)"},
		{[]string{"--output", "a.json", "--output", "b.md", "--format", "json"}, "--format applies to a single --output"},
		{[]string{"--output", "a.json", "--output", "./a.json"}, "given twice"},
	}
	for _, c := range refused {
		cl := newCLI(t)
		if got := cl.run(append([]string{"scan", "--snapshot", snap("good")}, c.args...)...); got != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, got)
		}
		if !strings.Contains(cl.stderr.String(), c.err) {
			t.Errorf("%v: stderr lacks %q: %s", c.args, c.err, cl.stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); err == nil {
		t.Error("r.pdf was written")
	}

	// A single --output with --format: the format wins over the extension.
	cl = newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("good"), "--output", "report.txt", "--format", "table"); code != 0 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	b, _ = os.ReadFile(filepath.Join(dir, "report.txt"))
	if !strings.Contains(string(b), "gate: passed") || !strings.Contains(cl.stderr.String(), "wrote report.txt") {
		t.Errorf("report.txt:\n%s\nstderr: %s", b, cl.stderr.String())
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// --require policy: the app's authentication policy rules, absent from an
// Identity Engine snapshot, make okta.app.mfa an error; on a Classic Engine
// org (no accessPolicy link) the rule does not apply and stays a skip.
func TestRequirePolicy(t *testing.T) {
	chdir(t, t.TempDir())
	oie := copySnapshot(t, func(s string) string {
		return strings.Replace(s, `"_links": {`, `"_links": {
    "accessPolicy": {"href": "https://acme.okta.com/api/v1/policies/rst1abcdefGHIJKL0d7"},`, 1)
	})
	cl := newCLI(t)
	cl.run("scan", "--snapshot", oie, "--format", "json")
	if st, kind := cl.gateReport().status("okta.app.mfa"); st != "skip" || kind != "input_absent" {
		t.Fatalf("okta.app.mfa without policy-rules.json: %s %q, want skip input_absent", st, kind)
	}
	if code := cl.run("scan", "--snapshot", oie, "--format", "json", "--require", "policy"); code != 3 {
		t.Errorf("--require policy without policy-rules.json: exit %d, want 3", code)
	}
	if st, _ := cl.gateReport().status("okta.app.mfa"); st != "error" {
		t.Errorf("okta.app.mfa under --require policy: %s, want error", st)
	}
	// Classic Engine: judged on the global session policy, which the good
	// snapshot's org makes require MFA for every session.
	if code := cl.run("scan", "--snapshot", snap("good"), "--format", "json", "--require", "policy"); code != 0 {
		t.Errorf("--require policy on the good snapshot: exit %d", code)
	}
	if st, _ := cl.gateReport().status("okta.app.mfa"); st != "pass" {
		t.Errorf("okta.app.mfa on a Classic Engine org requiring MFA for every session: %s, want pass", st)
	}
	// Without okta/session-policies.json the rule could not look: "policy"
	// names the session policies too.
	classic := copySnapshot(t, func(s string) string { return s })
	os.Remove(filepath.Join(classic, "okta", "session-policies.json"))
	cl.run("scan", "--snapshot", classic, "--format", "json")
	if st, kind := cl.gateReport().status("okta.app.mfa"); st != "skip" || kind != "input_absent" {
		t.Errorf("okta.app.mfa on a Classic Engine org without session-policies.json: %s %q, want skip input_absent", st, kind)
	}
	if code := cl.run("scan", "--snapshot", classic, "--format", "json", "--require", "policy"); code != 3 {
		t.Errorf("--require policy without session-policies.json: exit %d, want 3", code)
	}
}
