package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

var update = flag.Bool("update", false, "rewrite the README's generated sections")

// cli runs the command in-process at the fixture clock, from dir.
type cli struct {
	t      *testing.T
	env    map[string]string
	stdout bytes.Buffer
	stderr bytes.Buffer
}

func newCLI(t *testing.T) *cli { return &cli{t: t, env: map[string]string{}} }

// newEnv is a fresh environment writing to the cli's buffers (emptied) at the
// fixture clock, with no terminal.
func (c *cli) newEnv() *env {
	c.stdout.Reset()
	c.stderr.Reset()
	return &env{
		stdout: &c.stdout,
		stderr: &c.stderr,
		now:    func() time.Time { return fixture.Now },
		getenv: func(k string) string { return c.env[k] },
		isTTY:  func(io.Writer) bool { return false },
	}
}

func (c *cli) run(args ...string) int {
	c.t.Helper()
	code := c.newEnv().run(context.Background(), args)
	checkReports(c.t, args, code, c.stdout.Bytes())
	return code
}

func snap(name string) string { return filepath.Join(fixture.Root(), "testdata", "snapshots", name) }

func TestScanExitCodes(t *testing.T) {
	chdir(t, t.TempDir()) // no stray .ssoaudit.yaml
	cases := []struct {
		name string
		args []string
		want int
		out  []string // in stdout
		err  []string // in stderr
	}{
		{"good snapshot passes", []string{"scan", "--snapshot", snap("good")}, 0, []string{fmt.Sprintf("%d rules", len(checks.All())), "gate: passed"}, nil},
		{"broken snapshot fails the gate", []string{"scan", "--snapshot", snap("broken")}, 1, []string{"okta.saml.token-literal", "cross.certificate-match", "druva.admin.failsafe"}, nil},
		{"broken at --fail-on critical still fails", []string{"scan", "--snapshot", snap("broken"), "--fail-on", "critical"}, 1, nil, nil},
		{"malformed snapshot is incomplete", []string{"scan", "--snapshot", snap("malformed")}, 3, []string{"responseSigned", "DOCTYPE"}, nil},
		{"missing snapshot dir", []string{"scan", "--snapshot", snap("nope")}, 2, nil, []string{"does not exist"}},
		{"the okta/ folder given as the snapshot", []string{"scan", "--snapshot", filepath.Join(snap("good"), "okta")}, 2, nil, []string{"is the okta/ folder of a snapshot: give the snapshot directory above it (--snapshot " + snap("good") + ")"}},
		{"a file given as the snapshot", []string{"scan", "--snapshot", filepath.Join(snap("good"), "druva.yaml")}, 2, nil, []string{"druva.yaml is not a directory (want a directory with okta/app.json"}},
		{"bad flag", []string{"scan", "--snapshotz", "x"}, 2, nil, []string{"unknown flag --snapshotz (did you mean --snapshot?)", "ssoaudit scan --help"}},
		{"transposed flag", []string{"scan", "--fromat", "json"}, 2, nil, []string{"did you mean --format?"}},
		{"bad format", []string{"scan", "--snapshot", snap("good"), "--format", "yaml"}, 2, nil, []string{"ssoaudit scan: unknown --format \"yaml\" (want one of table, json, sarif, junit, markdown, html, prometheus, csv)\nRun 'ssoaudit scan --help' for its flags.\n"}},
		{"bad platform", []string{"scan", "--snapshot", snap("good"), "--platform", "insync"}, 2, nil, []string{"unknown platform"}},
		{"bad fail-on", []string{"scan", "--snapshot", snap("good"), "--fail-on", "urgent"}, 2, nil, []string{"unknown severity"}},
		{"nothing to scan", []string{"scan"}, 2, nil, []string{"nothing to scan"}},
		{"positional instead of flag", []string{"scan", snap("good")}, 2, nil, []string{"did you mean --snapshot"}},
		{"extra argument", []string{"scan", "--snapshot", snap("good"), "extra"}, 2, nil, []string{`scan takes no arguments (got "extra")`}},
		{"output directory missing", []string{"scan", "--snapshot", snap("good"), "--output", "nodir/x.json"}, 2, nil, []string{"directory nodir does not exist"}},
		// The did-you-mean and one line pointing at help: exactly two lines,
		// so the suggestion is not scrolled away by the whole usage.
		{"unknown command", []string{"scna"}, 2, nil, []string{"ssoaudit: unknown command \"scna\" (did you mean \"scan\"?)\nRun 'ssoaudit help' for the commands.\n"}},
		{"help", []string{"help"}, 0, []string{"Usage:"}, nil},
		{"scan --help", []string{"scan", "--help"}, 0, []string{"-snapshot", "Examples:"}, nil},
		{"platform flag wins", []string{"scan", "--snapshot", snap("good"), "--platform", "dcp"}, 1, []string{"okta.saml.acs-url"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := newCLI(t)
			if got := cl.run(c.args...); got != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, c.want, cl.stdout.String(), cl.stderr.String())
			}
			for _, s := range c.out {
				if !strings.Contains(cl.stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, cl.stdout.String())
				}
			}
			for _, s := range c.err {
				if !strings.Contains(cl.stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, cl.stderr.String())
				}
			}
		})
	}
}

func TestInvalidDruvaYAMLNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	p := filepath.Join(dir, "druva.yaml")
	os.WriteFile(p, []byte("platform: insync-cloud\nadmins:\n  sso_enabled: true\n  faisafe: true\n"), 0o644)
	cl := newCLI(t)
	if got := cl.run("scan", "--snapshot", snap("good"), "--druva", p); got != 2 {
		t.Fatalf("exit %d\n%s", got, cl.stderr.String())
	}
	if !strings.Contains(cl.stderr.String(), "druva.yaml:4:") || !strings.Contains(cl.stderr.String(), `"failsafe"`) {
		t.Fatalf("stderr: %s", cl.stderr.String())
	}
}

func TestInvalidConfigNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte("fail_on: high\nrules:\n  okta.saml.nope: {enabled: false}\n"), 0o644)
	cl := newCLI(t)
	if got := cl.run("scan", "--snapshot", snap("good")); got != 2 {
		t.Fatalf("exit %d\n%s", got, cl.stderr.String())
	}
	if !strings.Contains(cl.stderr.String(), ".ssoaudit.yaml:3:") {
		t.Fatalf("stderr: %s", cl.stderr.String())
	}
}

func TestJSONReportEveryRuleOnce(t *testing.T) {
	chdir(t, t.TempDir())
	for _, s := range []string{"good", "broken", "malformed"} {
		cl := newCLI(t)
		code := cl.run("scan", "--snapshot", snap(s), "--format", "json")
		var rep audit.Report
		if err := json.Unmarshal(cl.stdout.Bytes(), &rep); err != nil {
			t.Fatalf("%s: %v\n%s", s, err, cl.stdout.String())
		}
		if rep.ExitCode != code || rep.Schema != audit.Schema || len(rep.Targets) != 1 {
			t.Fatalf("%s: exit %d, report %d %q", s, code, rep.ExitCode, rep.Schema)
		}
		seen := map[string]int{}
		for _, r := range rep.Targets[0].Results {
			seen[r.Rule]++
		}
		if len(seen) != len(checks.ForTargets()) {
			t.Errorf("%s: %d rules reported, want %d", s, len(seen), len(checks.ForTargets()))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s reported %d times", s, id, n)
			}
		}
	}
}

func TestOutputFileAndFormats(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	for _, f := range []string{"table", "json", "sarif", "junit", "markdown", "html"} {
		out := filepath.Join(dir, "report."+f)
		cl := newCLI(t)
		if code := cl.run("scan", "--snapshot", snap("broken"), "--format", f, "--output", out); code != 1 {
			t.Fatalf("%s: exit %d: %s", f, code, cl.stderr.String())
		}
		if cl.stdout.Len() != 0 {
			t.Errorf("%s: wrote to stdout with --output", f)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v", f, err)
		}
		if strings.Contains(string(b), "\x1b[") {
			t.Errorf("%s: colour in a file", f)
		}
	}
}

func TestFormatFromOutputExtension(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	for ext, want := range map[string]string{".html": "<!DOCTYPE html>", ".json": `"schema": "ssoaudit.report/v1"`, ".sarif": `"version": "2.1.0"`, ".xml": "<testsuites", ".md": "ssoaudit"} {
		out := filepath.Join(dir, "report"+ext)
		cl.run("scan", "--snapshot", snap("good"), "--output", out)
		if b, _ := os.ReadFile(out); !strings.Contains(string(b), want) {
			t.Errorf("%s: %.200s", ext, b)
		}
	}
	// --format wins over the extension.
	out := filepath.Join(dir, "r.json")
	cl.run("scan", "--snapshot", snap("good"), "--output", out, "--format", "table")
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "Nothing to fix: 26 passed") {
		t.Errorf("--format table: %.200s", b)
	}
	// …with a one-line warning when the extension names another format.
	if got, want := cl.stderr.String(), "ssoaudit: warning: --output "+out+" gets table (--format table), though its extension names json\n"; !strings.HasPrefix(got, want) {
		t.Errorf("stderr:\n%s\nwant it to start with\n%s", got, want)
	}
	cl.run("scan", "--snapshot", snap("good"), "--output", filepath.Join(dir, "r.html"), "--format", "html")
	if strings.Contains(cl.stderr.String(), "warning") {
		t.Errorf("a matching extension warns: %s", cl.stderr.String())
	}
}

func TestNoColorUnlessTerminal(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	cl.run("scan", "--snapshot", snap("broken"))
	if strings.Contains(cl.stdout.String(), "\x1b[") {
		t.Fatal("colour on a pipe")
	}
}

func TestRulesAndExplain(t *testing.T) {
	cl := newCLI(t)
	if cl.run("rules") != 0 || !strings.Contains(cl.stdout.String(), "okta.saml.token-literal") {
		t.Fatal(cl.stdout.String(), cl.stderr.String())
	}
	if cl.run("rules", "--format", "json") != 0 || !json.Valid(cl.stdout.Bytes()) {
		t.Fatal(cl.stdout.String())
	}
	if cl.run("explain", "okta.saml.response-signed") != 0 || !strings.Contains(cl.stdout.String(), "Response") {
		t.Fatal(cl.stdout.String())
	}
	if cl.run("explain", "token") != 2 || !strings.Contains(cl.stderr.String(), "did you mean") {
		t.Fatal(cl.stderr.String())
	}
	// A rule that judges by the platform profiles prints what each platform
	// accepts, each value with the Druva page it comes from.
	if cl.run("explain", "okta.saml.relay-state") != 0 {
		t.Fatal(cl.stderr.String())
	}
	for _, want := range []string{
		"What each platform accepts",
		"dcp, dcp-govcloud, dcp-dell: (empty) [2], webrestore [3], browserrestore [3], deviceactivate [3]",
		"insync-cloud, insync-govcloud: (empty) [1], browseractivate [1]",
		"[1] Druva: Single Sign-On (SSO) FAQs",
		"https://help.druva.com/en/articles/8806061-",
		"disagree",
	} {
		// explain fits 80 columns: a sentence may be wrapped, a URL broken.
		out := cl.stdout.String()
		if !strings.Contains(unwrapped(out), want) && !strings.Contains(regexp.MustCompile(`\n *`).ReplaceAllString(out, ""), want) {
			t.Errorf("explain okta.saml.relay-state lacks %q:\n%s", want, out)
		}
	}
	if cl.run("explain", "okta.saml.nameid-email") != 0 || !strings.Contains(cl.stdout.String(), "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified [") {
		t.Errorf("explain okta.saml.nameid-email does not show GovCloud's Unspecified:\n%s", cl.stdout.String())
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	if code := cl.run("init"); code != 0 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	for _, f := range []string{".ssoaudit.yaml", "druva.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(filepath.Join(dir, "druva.yaml"))
	if code := cl.run("init"); code != 2 || !strings.Contains(cl.stderr.String(), "already exists") {
		t.Fatalf("second init: exit %d: %s", code, cl.stderr.String())
	}
	after, _ := os.ReadFile(filepath.Join(dir, "druva.yaml"))
	if !bytes.Equal(before, after) {
		t.Fatal("init overwrote druva.yaml")
	}
	// The config template works as written; the druva.yaml template must be
	// filled in first: its placeholders are refused, not judged.
	if code := cl.run("scan", "--snapshot", snap("good"), "--druva", "druva.yaml"); code != 2 || !strings.Contains(cl.stderr.String(), "placeholder from `ssoaudit init`") {
		t.Fatalf("scan with the unedited templates: exit %d: %s%s", code, cl.stdout.String(), cl.stderr.String())
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	cl.run("scan", "--snapshot", snap("good"), "--format", "json", "--output", "good.json")
	cl.run("scan", "--snapshot", snap("broken"), "--format", "json", "--output", "broken.json")
	if code := cl.run("diff", "good.json", "broken.json"); code != 1 || !strings.Contains(cl.stdout.String(), "New failures") {
		t.Fatalf("exit %d\n%s%s", code, cl.stdout.String(), cl.stderr.String())
	}
	if code := cl.run("diff", "broken.json", "good.json", "--format", "json"); code != 0 || !strings.Contains(cl.stdout.String(), `"resolved"`) {
		t.Fatalf("exit %d\n%s%s", code, cl.stdout.String(), cl.stderr.String())
	}
	if code := cl.run("diff", "good.json"); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := cl.run("diff", "good.json", "missing.json"); code != 2 || !strings.Contains(cl.stderr.String(), "missing.json") {
		t.Fatalf("exit %d %s", code, cl.stderr.String())
	}
	// A SARIF file is JSON without our schema: say what it is not.
	cl.run("scan", "--snapshot", snap("good"), "--output", "r.sarif")
	if code := cl.run("diff", "good.json", "r.sarif"); code != 2 || !strings.Contains(cl.stderr.String(), "r.sarif: not a JSON report from ssoaudit scan --format json") || strings.Contains(cl.stderr.String(), `schema is ""`) {
		t.Fatalf("exit %d %s", code, cl.stderr.String())
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}
