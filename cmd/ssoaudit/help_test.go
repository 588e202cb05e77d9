package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// Every --help, rules, explain and diff fits an 80-column terminal.
func TestHelpAndCatalogFit80Columns(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	cl.env["COLUMNS"] = "80"
	runs := [][]string{{"help"}, {"rules"}}
	for _, c := range []string{"scan", "snapshot", "rules", "explain", "diff", "init"} {
		runs = append(runs, []string{c, "--help"})
	}
	for _, r := range checks.All() {
		runs = append(runs, []string{"explain", r.ID})
	}
	// diff of two real reports, the broken snapshot against the good.
	for _, s := range []string{"good", "broken"} {
		cl.run("scan", "--snapshot", snap(s), "--output", filepath.Join(dir, s+".json"))
	}
	runs = append(runs, []string{"diff", filepath.Join(dir, "good.json"), filepath.Join(dir, "broken.json")},
		[]string{"diff", filepath.Join(dir, "broken.json"), filepath.Join(dir, "good.json")})
	for _, args := range runs {
		cl.run(args...)
		out := cl.stdout.String() + cl.stderr.String()
		if out == "" {
			t.Errorf("%v: no output", args)
		}
		if w, line := maxWidth(out); w > 80 {
			t.Errorf("%v: a line of %d columns:\n%s", args, w, line)
		}
	}
}

// scan's errors fit an 80-column terminal too: each message is wrapped under
// a hanging indent, with its FILE:LINE prefix and its words whole.
func TestScanErrorsFit80Columns(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	cl.env["COLUMNS"] = "80"
	// init's own next steps fit, and leave a druva.yaml of placeholders.
	if code := cl.run("init"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, cl.stderr.String())
	}
	if w, line := maxWidth(cl.stdout.String() + cl.stderr.String()); w > 80 {
		t.Errorf("init: a line of %d columns:\n%s", w, line)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	unknown := write("unknown.yaml", "platform: druva\nsso_settings_from_the_console_of_druva: 1\n")
	badCfg := write("bad-config.yaml", "okta: [\n")
	good := snap("good")
	cases := []struct {
		args []string
		want []string // in the unwrapped message
	}{
		{[]string{"scan", "--snapshot", good, "--druva", "druva.yaml"},
			[]string{"ssoaudit: druva.yaml:", "still holds the placeholder from `ssoaudit init`", "(Druva console > Settings > Single Sign-On)"}},
		{[]string{"scan", "--snapshot", good, "--druva", unknown},
			[]string{"unknown.yaml:2: unknown key", "sso_settings_from_the_console_of_druva"}},
		{[]string{"scan", "--snapshot", good, "--config", badCfg},
			[]string{"bad-config.yaml:1:"}},
		{[]string{"scan", "--snapshot", good, "--output", filepath.Join(good, "druva.yaml")},
			[]string{"--output " + filepath.Join(good, "druva.yaml")}},
		{[]string{"scan", "--snapshot", good, "--format", "json", "--output", filepath.Join(good, "druva.yaml")},
			[]string{"an input of this scan"}},
		{[]string{"scan", "--snapshot", good, "--no-such-flag-of-any-length-at-all-in-this-tool"},
			[]string{"unknown flag --no-such-flag"}},
	}
	for _, c := range cases {
		if code := cl.run(c.args...); code == 0 {
			t.Errorf("%v: exit 0", c.args)
		}
		errs := cl.stderr.String()
		if w, line := maxWidth(errs); w > 80 {
			t.Errorf("%v: a line of %d columns:\n%s", c.args, w, line)
		}
		for _, want := range c.want {
			if !strings.Contains(unwrapped(errs), want) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, want, errs)
			}
		}
		// Each message starts at the margin; what continues it is indented.
		for _, line := range strings.Split(strings.TrimRight(errs, "\n"), "\n") {
			if !strings.HasPrefix(line, "ssoaudit") && !strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "Run ") {
				t.Errorf("%v: a line neither a message nor its continuation: %q", c.args, line)
			}
		}
	}
}

func TestHelpTellsTheTruth(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	// snapshot refuses --discover, so its help does not offer it…
	cl.run("snapshot", "--help")
	if strings.Contains(cl.stdout.String(), "discover") {
		t.Errorf("snapshot --help lists --discover:\n%s", cl.stdout.String())
	}
	// …and says why when it is given anyway.
	if code := cl.run("snapshot", "--okta-org", "https://acme.okta.com", "--discover", "--out", "x"); code != 2 || !strings.Contains(cl.stderr.String(), "snapshot saves one app") {
		t.Errorf("snapshot --discover: exit %d: %s", code, cl.stderr.String())
	}
	// A command without flags has no empty Flags: heading.
	cl.run("explain", "--help")
	if strings.Contains(cl.stdout.String(), "Flags:") {
		t.Errorf("explain --help has a Flags: heading:\n%s", cl.stdout.String())
	}
	// diff's help names every kind of change the diff reports, the ones
	// that are not fixes included.
	cl.run("diff", "--help")
	for _, want := range []string{"new failures", "newly erroring", "no longer checked", "new warnings", "still failing", "resolved", "attested", "now checked", "no longer reported"} {
		if !strings.Contains(unwrapped(cl.stdout.String()), want) {
			t.Errorf("diff --help lacks %q:\n%s", want, cl.stdout.String())
		}
	}
	cl.run("scan", "--help")
	for _, want := range []string{"--output FILE", "--fail-on-warn", "--require INPUTS", "--show-passed", "none to report only"} {
		if !strings.Contains(unwrapped(cl.stdout.String()), want) {
			t.Errorf("scan --help lacks %q", want)
		}
	}
	// One-letter flags are shown as the README spells them (-q, -v), and
	// every value placeholder is upper case.
	help := cl.stdout.String()
	for _, want := range []string{"\n  -q\n", "\n  -v\n", "\n  --timeout DURATION\n", "(skipped rules are"} {
		if !strings.Contains(help, want) {
			t.Errorf("scan --help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "--q\n") || strings.Contains(help, "--v\n") || strings.Contains(help, " duration") {
		t.Errorf("scan --help:\n%s", help)
	}
	// snapshot's --timeout is snapshot's, and the optional scope is named.
	cl.run("snapshot", "--help")
	if h := unwrapped(cl.stdout.String()); strings.Contains(h, "scan reports") || !strings.Contains(h, "snapshot stops and writes nothing") || !strings.Contains(h, "okta.policies.read") {
		t.Errorf("snapshot --help:\n%s", cl.stdout.String())
	}
	// A mistyped command gets a suggestion.
	for typo, want := range map[string]string{"scna": `did you mean "scan"?`, "snapshto": `did you mean "snapshot"?`, "expalin": `did you mean "explain"?`, "rule": `did you mean "rules"?`} {
		if code := cl.run(typo); code != 2 || !strings.Contains(cl.stderr.String(), want) {
			t.Errorf("%s: exit %d, stderr lacks %q:\n%s", typo, code, want, cl.stderr.String())
		}
	}
}

// No rule text shows a source-code escape such as \" to a reader: the
// catalog's prose has none, and the guide's quote in okta.username.email
// reaches explain, the table, Markdown, JUnit, HTML and the README's rule
// table without one. (Terraform fixes are HCL, where \" is the syntax.)
func TestNoBackslashEscapesInRuleText(t *testing.T) {
	for _, r := range checks.All() {
		for field, text := range map[string]string{"title": r.Title, "rationale": r.Rationale, "remediation": r.Remediation, "reference": r.Reference} {
			if strings.Contains(text, `\"`) {
				t.Errorf("%s's %s has a backslash escape: %s", r.ID, field, text)
			}
		}
	}
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	outs := map[string]string{}
	cl.run("explain", "okta.username.email")
	outs["explain"] = cl.stdout.String()
	// The table points at explain for a rule's reference; the other
	// formats quote it.
	for _, f := range []string{"markdown", "junit", "html"} {
		cl.run("scan", "--snapshot", snap("broken"), "--format", f)
		outs["scan broken "+f] = cl.stdout.String()
	}
	readme, err := os.ReadFile(filepath.Join(fixture.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	outs["README.md"] = string(readme)
	for name, out := range outs {
		if !strings.Contains(unwrapped(out), "format is set to 'Email' while") && name != "README.md" && !strings.Contains(out, "set to &#39;Email&#39;") && !strings.Contains(out, "set to &apos;Email&apos;") {
			t.Errorf("%s does not quote the guide's prerequisite", name)
		}
		if i := strings.Index(out, `\"Email`); i >= 0 {
			t.Errorf("%s shows a backslash escape: …%s…", name, out[max(i-40, 0):min(i+20, len(out))])
		}
	}
}

// A bad flag value is two lines — the error and where help is — not the
// error buried under the whole help.
func TestBadFlagValueIsTwoLines(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	for _, args := range [][]string{{"--format", "yaml"}, {"--require", "druva,user"}} {
		if code := cl.run(append([]string{"scan", "--snapshot", snap("good")}, args...)...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
		if s := cl.stderr.String(); strings.Count(s, "\n") != 2 || strings.Contains(s, "Flags:") || !strings.HasSuffix(s, "Run 'ssoaudit scan --help' for its flags.\n") {
			t.Errorf("%v: stderr:\n%s", args, s)
		}
	}
}

// explain wraps a rule's references without beginning a URL at the end of a
// line it cannot finish on.
func TestExplainURLsBeginTheirLine(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	for _, r := range checks.All() {
		cl.run("explain", r.ID)
		for _, line := range strings.Split(cl.stdout.String(), "\n") {
			if i := strings.Index(line, "<http"); i >= 0 && strings.TrimSpace(line[:i]) != "" && !strings.Contains(line[i:], ">") {
				t.Errorf("%s: explain begins a URL it cannot finish on the line: %q", r.ID, line)
			}
			if strings.HasPrefix(strings.TrimSpace(line), ";") {
				t.Errorf("%s: a line starts with ';': %q", r.ID, line)
			}
		}
	}
}
