package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// maxWidth is the widest line of s, in runes (the table draws with
// single-width box characters).
func maxWidth(s string) (int, string) {
	w, widest := 0, ""
	for _, line := range strings.Split(s, "\n") {
		if n := utf8.RuneCountInString(line); n > w {
			w, widest = n, line
		}
	}
	return w, widest
}

func TestTableFitsTheTerminal(t *testing.T) {
	chdir(t, t.TempDir())
	for _, cols := range []string{"80", "100", "132", "200", "60"} {
		for _, s := range []string{"good", "broken", "malformed"} {
			cl := newCLI(t)
			cl.env["COLUMNS"] = cols
			cl.run("scan", "--snapshot", snap(s))
			limit := map[string]int{"80": 80, "100": 100, "132": 132, "200": 140, "60": 60}[cols]
			if w, line := maxWidth(cl.stdout.String()); w > limit {
				t.Errorf("%s at COLUMNS=%s: a line of %d columns:\n%s", s, cols, w, line)
			}
			cl.run("scan", "--snapshot", snap(s), "--show-passed")
			if w, line := maxWidth(cl.stdout.String()); w > limit {
				t.Errorf("%s --show-passed at COLUMNS=%s: a line of %d columns:\n%s", s, cols, w, line)
			}
		}
	}
	// A real terminal's width wins over $COLUMNS.
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"
	e := cl.newEnv()
	e.termWidth = func(io.Writer) (int, bool) { return 72, true }
	e.run(context.Background(), []string{"scan", "--snapshot", snap("broken")})
	if w, line := maxWidth(cl.stdout.String()); w > 72 || w < 60 {
		t.Errorf("a 72-column terminal with COLUMNS=200: widest line %d:\n%s", w, line)
	}
	// stdout piped (ssoaudit scan | less), stderr a 64-column terminal.
	cl = newCLI(t)
	e = cl.newEnv()
	e.termWidth = func(w io.Writer) (int, bool) {
		if w == e.stderr {
			return 64, true
		}
		return 0, false
	}
	e.run(context.Background(), []string{"scan", "--snapshot", snap("broken")})
	if w, line := maxWidth(cl.stdout.String()); w > 64 || w < 56 {
		t.Errorf("stdout piped, stderr a 64-column terminal: widest line %d:\n%s", w, line)
	}
	// Both piped (ssoaudit scan 2>&1 | less): the controlling terminal's
	// width; $COLUMNS still wins over it.
	for _, tc := range []struct {
		columns  string
		min, max int
	}{{"", 60, 68}, {"120", 110, 120}} {
		cl = newCLI(t)
		cl.env["COLUMNS"] = tc.columns
		e = cl.newEnv()
		e.termWidth = func(io.Writer) (int, bool) { return 0, false }
		e.ttyWidth = func() (int, bool) { return 68, true }
		e.run(context.Background(), []string{"scan", "--snapshot", snap("broken")})
		if w, line := maxWidth(cl.stdout.String()); w > tc.max || w < tc.min {
			t.Errorf("both piped, a 68-column /dev/tty, COLUMNS=%q: widest line %d:\n%s", tc.columns, w, line)
		}
	}
}

func TestGoodSnapshotFitsOneScreen(t *testing.T) {
	// From the repository's root, as the README runs it: the paths in the
	// headings are then the same wherever the repository is checked out.
	chdir(t, fixture.Root())
	// The whole output, deployment section and verdict included: the good
	// snapshot is one app of a console that enables SSO for administrators,
	// so its deployment of one warns (docs/deployments.md) and that
	// warning's fix block is part of what a first run shows: 50 lines at
	// 80 columns, with the message, the remediation steps and the evidence.
	for _, c := range []struct {
		cols     string
		maxLines int
	}{{"80", 50}, {"100", 44}} {
		cl := newCLI(t)
		cl.env["COLUMNS"] = c.cols
		cl.run("scan", "--snapshot", filepath.Join("testdata", "snapshots", "good"))
		out := cl.stdout.String()
		if !strings.Contains(out, "\nDeployment ") || !strings.Contains(out, "druva.admin.sign-in-path") {
			t.Errorf("COLUMNS=%s: no deployment section with its warning:\n%s", c.cols, out)
		}
		if n := strings.Count(out, "\n"); n > c.maxLines {
			t.Errorf("COLUMNS=%s: the good snapshot takes %d lines, more than %d:\n%s", c.cols, n, c.maxLines, out)
		}
		if !strings.Contains(out, "Passed: all 26 rules (--show-passed") || strings.Contains(out, "│ pass") {
			t.Errorf("passes not summarised in one line:\n%s", out)
		}
		// The fix block points at explain for the reference, which
		// prints it whole; the steps stay.
		if !strings.Contains(out, "Reference: ssoaudit explain druva.admin.sign-in-path\n") || strings.Contains(out, "docs.druva.com") ||
			!strings.Contains(unwrapped(out), "2. Assign the Druva administrators (a group) to it.") {
			t.Errorf("COLUMNS=%s: fix block:\n%s", c.cols, out)
		}
	}
	cl := newCLI(t)
	cl.run("explain", "druva.admin.sign-in-path")
	if u := unwrapped(cl.stdout.String()); !strings.Contains(u, "Reference") || !strings.Contains(u, "docs.druva.com") || !strings.Contains(u, "help.druva.com") {
		t.Errorf("explain lacks the full reference:\n%s", cl.stdout.String())
	}
}

// The headline under the tool line speaks for the whole run: a deployment's
// warning below the target's section is counted, the counts are the
// summary's, and rules skipped for want of an input are never "nothing to
// fix".
func TestTableHeadlineCoversTheRun(t *testing.T) {
	chdir(t, t.TempDir())
	for _, tc := range []struct {
		snap, want string
		code       int
	}{
		// The single-app warning is a note, counted apart (it stays a warn).
		{"good", "Nothing to fix: 26 passed; 1 note at the end.", 0},
		// A Classic Engine org's MFA is judged on its global session
		// policies, which these snapshots do not hold.
		{"dcp-catalog", "Nothing failed, but 1 rule not checked (inputs absent: okta/session-policies.json) — use --require policy to gate on them; 17 passed; 9 only a person can verify.", 0},
		{"admin", "Nothing failed, but 9 rules not checked (inputs absent: druva.yaml, okta/session-policies.json) — use --require druva,policy to gate on them; 18 passed.", 0},
		{"broken", "10 to look at (9 fail, 1 warn), listed below; 14 passed; 1 not applicable; 2 only a person can verify.", 1},
	} {
		cl := newCLI(t)
		cl.env["COLUMNS"] = "300"
		if code := cl.run("scan", "--snapshot", snap(tc.snap)); code != tc.code {
			t.Errorf("%s: exit %d, want %d", tc.snap, code, tc.code)
		}
		lines := strings.Split(cl.stdout.String(), "\n")
		// The headline, with any line it wraps onto.
		headline := lines[1]
		for _, l := range lines[2:] {
			if !strings.HasPrefix(l, "  ") {
				break
			}
			headline += " " + strings.TrimSpace(l)
		}
		if len(lines) < 2 || headline != tc.want {
			t.Errorf("%s: headline\n %q\nwant\n %q", tc.snap, headline, tc.want)
		}
		if strings.Contains(cl.stdout.String(), "Nothing to fix") && strings.Contains(cl.stdout.String(), "Findings (") {
			t.Errorf("%s: nothing to fix beside a warning:\n%s", tc.snap, cl.stdout.String())
		}
	}
}

func TestTableLeadsWithFindings(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	cl.run("scan", "--snapshot", snap("broken"))
	out := cl.stdout.String()
	if strings.Contains(out, "│ pass") || !strings.Contains(out, "Passed: 14 rules (--show-passed lists them") {
		t.Errorf("passes are rows, or not counted:\n%s", out)
	}
	// Worst first, in the details and in the findings block at the end:
	// the critical fails before the high, the high before the medium.
	order := []string{"cross.certificate-match", "okta.saml.token-literal", "druva.admin.failsafe", "okta.username.email", "druva.profile.sso", "okta.saml.sha256"}
	table := out[strings.Index(out, "Findings ("):]
	last := -1
	for _, id := range order {
		i := strings.Index(table, id)
		if i < last {
			t.Errorf("%s out of order in:\n%s", id, table)
		}
		last = i
	}
	// The skip is not a row but is listed with its reason.
	if strings.Contains(table, "│ skip") || !strings.Contains(out, "Not checked:\n  skip — cross.token-match (critical)") {
		t.Errorf("skips:\n%s", out)
	}

	cl.run("scan", "--snapshot", snap("broken"), "--show-passed")
	out = cl.stdout.String()
	// Skips are listed once, under Not checked, with or without the flag.
	if strings.Count(out, "│ pass") != 14 || strings.Count(out, "│ skip") != 0 || !strings.Contains(out, "Not checked:\n  skip — cross.token-match (critical)") || strings.Contains(out, "--show-passed lists") {
		t.Errorf("--show-passed does not list every pass, or lists a skip twice:\n%s", out)
	}
}

func TestInputErrorShownOnceWithItsRules(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	cl.env["COLUMNS"] = "80"
	if code := cl.run("scan", "--snapshot", snap("malformed")); code != 3 {
		t.Fatalf("exit %d", code)
	}
	out := cl.stdout.String()
	cause := "/settings/signOn/responseSigned: got string, want boolean"
	if n := strings.Count(unwrapped(out), cause); n != 1 {
		t.Errorf("the app.json cause appears %d times in full, want once (its fix block):\n%s", n, out)
	}
	// users.json's truncation blocks two rules: one line of the findings
	// block naming the first and counting the other, one fix block.
	tail, block, _ := strings.Cut(out, "Findings (")
	if n := strings.Count(block, "could not read every ass"); n != 1 || !strings.Contains(block, "okta.app.assigned +1") {
		t.Errorf("the users.json cause has %d lines in the findings block, want one naming +1:\n%s", n, out)
	}
	if n := strings.Count(unwrapped(tail), "could not read every assigned user"); n != 1 {
		t.Errorf("the users.json cause has %d fix blocks, want one:\n%s", n, out)
	}
	fixes := unwrapped(out[strings.Index(out, "How to fix:"):])
	for _, want := range []string{
		"error (could not evaluate) — one cause, 2", // 20 or more rules
		"Rules it blocked: cross.certificate-match, cross.token-match, okta.cert.validity,",
		"okta.saml.assertion-signed, okta.saml.inline-hook, okta.saml.sha256",
		// An unreadable file gets how to fetch it again…
		"Save okta/app.json again, verbatim from the Okta API: GET /api/v1/apps/{appId}",
		"Save okta/metadata.xml again, verbatim from the Okta API: GET /api/v1/apps/{appId}/sso/saml/metadata",
		// …and a truncated users.json is not a username problem.
		"Save okta/users.json again, verbatim from the Okta API: every page of GET /api/v1/apps/{appId}/users?expand=user",
	} {
		if !strings.Contains(fixes, want) {
			t.Errorf("How to fix lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(fixes, "Update Now") || strings.Contains(fixes, "Assignments > the pencil") {
		t.Errorf("a truncated users.json gets the username fix steps:\n%s", out)
	}
	// Markdown too: one table row and one fix block for the cause.
	cl.run("scan", "--snapshot", snap("malformed"), "--format", "markdown")
	md := cl.stdout.String()
	if n := strings.Count(md, cause); n != 2 {
		t.Errorf("markdown: the app.json cause appears %d times, want twice (one row, one fix block):\n%s", n, md)
	}
	if !strings.Contains(md, "Rules it blocked: `cross.certificate-match`") {
		t.Errorf("markdown does not list the blocked rules:\n%s", md)
	}
}

// unwrapped is text with line breaks, box borders and runs of spaces made
// single spaces, so a test can look for a sentence the table wrapped.
func unwrapped(s string) string {
	s = strings.NewReplacer("│", " ", "┌", " ", "┐", " ", "└", " ", "┘", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func TestDiffSortedBySeverity(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	for _, s := range []string{"good", "broken"} {
		cl.run("scan", "--snapshot", snap(s), "--output", s+".json")
	}
	cl.env["COLUMNS"] = "80"
	if code := cl.run("diff", "good.json", "broken.json"); code != 1 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	level := map[string]int{"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}
	last, n := 99, 0
	for _, line := range strings.Split(cl.stdout.String(), "\n") {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			if strings.HasSuffix(line, "):") { // a new section
				last = 99
			}
			continue
		}
		f := strings.Fields(line)
		l, ok := level[f[0]]
		if !ok {
			continue
		}
		n++
		if l > last {
			t.Errorf("%q after a less severe change:\n%s", line, cl.stdout.String())
		}
		last = l
	}
	if n < 9 {
		t.Errorf("found %d changes, want the 9 new failures:\n%s", n, cl.stdout.String())
	}
}

// Evidence lists show each item whole (wrapped under its dash, within a
// bound), so a user's email is never cut off mid-word.
func TestEvidenceItemsWhole(t *testing.T) {
	chdir(t, t.TempDir())
	for _, cols := range []string{"80", "100"} {
		cl := newCLI(t)
		cl.env["COLUMNS"] = cols
		cl.run("scan", "--snapshot", snap("broken"))
		out := cl.stdout.String()
		for _, email := range []string{`"email":"marcus.oyelaran@acme.example"}`, `"email":"tomas.alvarez@acme.example"}`} {
			if !strings.Contains(out, email) {
				t.Errorf("COLUMNS=%s: %s is not whole on a line:\n%s", cols, email, out)
			}
		}
		if strings.Contains(out, "acme.exampl…") {
			t.Errorf("COLUMNS=%s: an email is cut:\n%s", cols, out)
		}
	}
}

// The findings block is capped at the terminal's rows minus 4 ($LINES
// here), its last line naming the flags that list the rest; --compact lists
// every finding, uncapped, and nothing else; --status keeps only the
// statuses asked for (the counts and the verdict still cover the run).
func TestFindingsBlockCapAndFilters(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	cl.env["COLUMNS"], cl.env["LINES"] = "80", "10"
	cl.run("scan", "--snapshot", snap("broken"))
	out := cl.stdout.String()
	block := out[strings.Index(out, "Findings ("):strings.Index(out, "27 rules:")]
	if n := strings.Count(block, "\n"); n > 6 || !strings.Contains(block, "6 more: --compact lists them all, one a line") {
		t.Errorf("capped block (%d lines):\n%s", n, block)
	}

	cl.run("scan", "--snapshot", snap("broken"), "--compact")
	out = cl.stdout.String()
	if strings.Contains(out, "How to fix") || strings.Contains(out, "Not checked") || strings.Count(out, " broken ") != 10 || strings.Contains(out, "more:") {
		t.Errorf("--compact:\n%s", out)
	}

	cl.run("scan", "--snapshot", snap("broken"), "--status", "warn,skip")
	out = cl.stdout.String()
	if strings.Contains(out, " fail ") || !strings.Contains(out, "Not checked:") || !strings.Contains(out, "Findings (1 warn)") || !strings.Contains(out, "gate: FAILED") {
		t.Errorf("--status warn,skip:\n%s", out)
	}
	if code := cl.run("scan", "--snapshot", snap("broken"), "--status", "fial"); code != 2 || !strings.Contains(cl.stderr.String(), "did you mean fail?") {
		t.Errorf("--status fial: exit %d\n%s", code, cl.stderr.String())
	}
}

// A fleet whose one dated snapshot is missing still reports the rest (exit
// 3), the missing target as one error row naming its directory and config
// line; a fleet none of whose snapshots exists is a configuration error
// (exit 2) naming each entry's file and line.
func TestFleetMissingSnapshot(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cfg := "targets:\n  - {name: users, snapshot: " + snap("good") + "}\n  - {name: admins, snapshot: nightly/2026-12-07/admins}\n"
	if err := os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"
	if code := cl.run("scan"); code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, cl.dump())
	}
	out := cl.stdout.String()
	block := out[strings.Index(out, "Findings ("):]
	want := "admins could not read the target: snapshot directory nightly/2026-12-07/admins does not exist"
	if !strings.HasPrefix(block, "Findings (1 error)") || strings.Count(block, "could not read") != 1 || !strings.Contains(block, want) ||
		!strings.Contains(unwrapped(out), "does not exist (.ssoaudit.yaml, line 3)") {
		t.Errorf("findings block:\n%s", block)
	}
	if !strings.Contains(out, "Target users") || !strings.Contains(out, "26 pass") {
		t.Errorf("the other target is not reported:\n%s", out)
	}
	// An app that could not be read gives no platform advice: "state one"
	// would send the reader after the wrong fix.
	if !strings.Contains(out, "Platform insync-cloud, the default: the app could not be read") || strings.Contains(out, "the app does not say") {
		t.Errorf("the unreadable target's platform line:\n%s", out)
	}

	cfg = "targets:\n  - {name: users, snapshot: nightly/x/users}\n  - {name: admins, snapshot: nightly/x/admins}\n"
	if err := os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := cl.run("scan"); code != 2 || !strings.Contains(cl.stderr.String(), ".ssoaudit.yaml:3: target \"admins\": snapshot directory nightly/x/admins does not exist") {
		t.Errorf("exit %d\n%s", code, cl.stderr.String())
	}
}

// A suppression is in sight: the headline counts it, the Markdown and HTML
// audit records list it with its reason, expiry and config line, the JSON
// carries its file and line, and the finding stays in its section, marked.
func TestSuppressionsInSight(t *testing.T) {
	chdir(t, t.TempDir())
	cfg := "suppress:\n  - rule: okta.saml.sha256\n    target: broken\n    reason: legacy tenant, SEC-1\n    expires: 2099-01-31\ntargets:\n  - {name: broken, snapshot: " + snap("broken") + "}\n"
	if err := os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"
	cl.run("scan")
	out := cl.stdout.String()
	if !strings.Contains(strings.SplitN(out, "\n", 3)[1], "; 1 suppressed") || !strings.Contains(out, "(suppressed) ") {
		t.Errorf("table:\n%s", out)
	}
	want := "broken · okta.saml.sha256 (fail): legacy tenant, SEC-1 — until 2099-01-31 (.ssoaudit.yaml:2)"
	for _, f := range []string{"markdown", "html"} {
		cl.run("scan", "--format", f)
		if !strings.Contains(cl.stdout.String(), want) {
			t.Errorf("%s audit record lacks %q", f, want)
		}
	}
	cl.run("scan", "--format", "json")
	if !strings.Contains(cl.stdout.String(), `"file": ".ssoaudit.yaml"`) || !strings.Contains(cl.stdout.String(), `"line": 2`) {
		t.Errorf("json suppression lacks its file and line")
	}
}

// TestSnapshotMistakes: a snapshot path the tool cannot read gets one
// message and a hint that does not loop — the okta/ folder on the command
// line names --snapshot and the directory above it; the same in a config
// names the config's file:line and the directory above it (never the flag);
// a missing directory in a config alone is exit 2 at its line; in a fleet
// whose other targets exist, either is one input-error row (exit 3). The
// hint, followed, is a snapshot.
func TestSnapshotMistakes(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	good, folder := snap("good"), filepath.Join(snap("good"), "okta")
	write := func(cfg string) {
		t.Helper()
		if err := os.WriteFile("fleet.yaml", []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cl := newCLI(t)
	cl.env["COLUMNS"] = "400"
	cases := []struct {
		name, cfg string // no cfg: --snapshot okta/
		code      int
		stderr    string
		stdout    []string
	}{
		{name: "the okta/ folder on the command line", code: 2,
			stderr: folder + " is the okta/ folder of a snapshot: give the snapshot directory above it (--snapshot " + good + ")"},
		{name: "the okta/ folder in a config", cfg: "targets:\n  - name: users\n    snapshot: " + folder + "\n", code: 2,
			stderr: "fleet.yaml:3: target \"users\": snapshot: " + folder + " is the okta/ folder of a snapshot: write the snapshot directory above it (snapshot: " + good + ")"},
		{name: "the okta/ folder in a fleet", cfg: "targets:\n  - name: admins\n    snapshot: " + good + "\n  - name: users\n    snapshot: " + folder + "\n", code: 3,
			stdout: []string{"Findings (1 error)", "could not read the target: snapshot: " + folder + " is the okta/ folder of a snapshot: write the snapshot directory above it (snapshot: " + good + ") (fleet.yaml, line 5)"}},
		{name: "a missing directory in a config", cfg: "targets:\n  - name: users\n    snapshot: nope/dir\n", code: 2,
			stderr: "fleet.yaml:3: target \"users\": snapshot directory nope/dir does not exist"},
		{name: "a missing directory in a fleet", cfg: "targets:\n  - name: admins\n    snapshot: " + good + "\n  - name: users\n    snapshot: nope/dir\n", code: 3,
			stdout: []string{"Findings (1 error)", "could not read the target: snapshot directory nope/dir does not exist (fleet.yaml, line 5)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"scan", "--snapshot", folder}
			if c.cfg != "" {
				write(c.cfg)
				args = []string{"scan", "--config", "fleet.yaml"}
			}
			code := cl.run(args...)
			out, errOut := cl.stdout.String(), cl.stderr.String()
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, cl.dump())
			}
			if c.stderr != "" && !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, errOut)
			}
			for _, w := range c.stdout {
				if !strings.Contains(unwrapped(out), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if c.cfg != "" && strings.Contains(out+errOut, "--snapshot") {
				t.Errorf("a config's mistake names the --snapshot flag:\n%s", cl.dump())
			}
			if strings.Contains(out+errOut, "is not a snapshot directory") {
				t.Errorf("the hint loops:\n%s", cl.dump())
			}
			if c.code == 3 {
				if n := strings.Count(out[strings.Index(out, "Findings ("):], "could not read the target"); n != 1 {
					t.Errorf("%d findings lines for the unreadable target, want 1", n)
				}
			}
		})
	}
	// The directory the hints name is a snapshot: no loop.
	if code := cl.run("scan", "--snapshot", good); code != 0 {
		t.Errorf("the hinted directory: exit %d\n%s", code, cl.dump())
	}
}

// TestIssueDiffAndIndentThroughTheCLI: the diff of the two bundled examples
// lists the rules that stopped being checked (pass → skip) with a count, in
// the table, JSON and Markdown; a finding suppressed in both runs says so;
// a mis-indented config line is named by its own line.
func TestIssueDiffAndIndentThroughTheCLI(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"
	cl.run("scan", "--snapshot", snap("good"), "--output", "good.json")
	cl.run("scan", "--snapshot", snap("broken"), "--output", "broken.json")
	cl.run("diff", "good.json", "broken.json")
	table := cl.stdout.String()
	for _, want := range []string{"No longer checked (skipped or erroring now: not a fix) (3):", "cross.token-match", "pass → skip · target broken",
		"9 new failures, 3 no longer checked, 0 still failing, 0 resolved"} {
		if !strings.Contains(table, want) {
			t.Errorf("diff table lacks %q:\n%s", want, table)
		}
	}
	cl.run("diff", "good.json", "broken.json", "--format", "json")
	var d struct {
		Summary map[string]int
		Changes []struct{ Rule, Kind string }
	}
	if err := json.Unmarshal(cl.stdout.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Summary["no-longer-checked"] != 3 || d.Summary["new-fail"] != 9 {
		t.Errorf("diff JSON summary %v", d.Summary)
	}
	cl.run("diff", "good.json", "broken.json", "--format", "markdown")
	if !strings.Contains(cl.stdout.String(), "No longer checked (skipped or erroring now: not a fix) (3)") {
		t.Errorf("diff Markdown:\n%s", cl.stdout.String())
	}

	// Suppressed in both runs.
	sup := "suppress:\n  - rule: druva.admin.failsafe\n    reason: accepted until the migration\n    expires: 2099-01-01\n"
	if err := os.WriteFile("sup.yaml", []byte(sup), 0o644); err != nil {
		t.Fatal(err)
	}
	cl.run("scan", "--snapshot", snap("broken"), "--config", "sup.yaml", "--output", "a.json")
	cl.run("scan", "--snapshot", snap("broken"), "--config", "sup.yaml", "--output", "b.json")
	if code := cl.run("diff", "a.json", "b.json"); code != 0 || !strings.Contains(cl.stdout.String(), "fail → fail (suppressed in both) · target broken") {
		t.Errorf("suppressed in both: exit %d\n%s", code, cl.stdout.String())
	}

	// A YAML indentation mistake on line 8.
	bad := "fail_on: high\ntargets:\n  - name: users\n    snapshot: good\n    okta:\n      org_url: https://a.okta.com\n      app_id: x\n     app_label: y\n"
	if err := os.WriteFile("bad.yaml", []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := cl.run("scan", "--config", "bad.yaml"); code != 2 || !strings.Contains(cl.stderr.String(), "bad.yaml:8: not valid YAML") {
		t.Errorf("indent error: exit %d\n%s", code, cl.stderr.String())
	}
}
