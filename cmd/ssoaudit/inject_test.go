package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/report"
)

// injection is hostile text for every medium: an OSC 8 hyperlink and BEL, a
// screen clear, an SGR colour, CR, NUL, a C1 CSI, bidi overrides, Markdown
// link and image syntax, a newline starting a Markdown heading, and HTML.
const injection = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b[31mRED\rOK\x00\u009b2J \u202eevil\u2066 " +
	"[x](https://evil.example/a) ![i](https://evil.example/i.png)\n# Heading\n<b>bold</b>"

// sgr is the colour the table itself writes on a terminal.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// rawControl returns the first control, C1 or bidi character in out, other
// than LF (and TAB), or -1.
func rawControl(out string, colour bool) rune {
	if colour {
		out = sgr.ReplaceAllString(out, "")
	}
	for _, r := range out {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
			r == 0x2028, r == 0x2029, r == 0xfeff:
			return r
		}
	}
	return -1
}

// checkInert fails when out (in format) carries the injection live.
func checkInert(t *testing.T, what, format, out string, colour bool) {
	t.Helper()
	if format == "json" {
		if !json.Valid([]byte(out)) {
			t.Errorf("%s: invalid JSON", what)
		}
		return
	}
	text := out
	if format == "csv" {
		// RFC 4180 ends each record with CRLF: the format's own, like a
		// newline; a CR from the data is shown as \r.
		text = strings.ReplaceAll(out, "\r\n", "\n")
	}
	if r := rawControl(text, colour); r >= 0 {
		t.Errorf("%s: raw %U reached the output:\n%q", what, r, out)
	}
	if format == "markdown" {
		// Inside a code span nothing is interpreted.
		prose := regexp.MustCompile("`[^`\n]*`").ReplaceAllString(out, "")
		for _, live := range []string{"[x](", "![i](", "<b>"} {
			if strings.Contains(prose, live) {
				t.Errorf("%s: live Markdown %q:\n%s", what, live, out)
			}
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "# Heading") || strings.HasPrefix(line, "<b>bold") {
			t.Errorf("%s: a newline in the data started a line: %q", what, line)
		}
	}
	if format == "html" && strings.Contains(out, "<b>bold") {
		t.Errorf("%s: live HTML", what)
	}
}

// TestInjectionInert reproduces issue 8's terminal and Markdown injection:
// hostile text in an app label, SAML fields, druva.yaml and the snapshot's
// own directory name reaches no report, diff or error raw (docs/security.md).
func TestInjectionInert(t *testing.T) {
	work := t.TempDir()
	chdir(t, work)
	b, err := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	var app map[string]any
	json.Unmarshal(b, &app)
	app["label"] = "Druva " + injection
	so := app["settings"].(map[string]any)["signOn"].(map[string]any)
	so["defaultRelayState"] = injection
	so["audience"] = "druva-cloud" + injection
	so["recipient"] = "https://cloud.druva.com/wrsaml/consume?" + injection
	so["subjectNameIdTemplate"] = injection
	hostile, _ := json.Marshal(app)
	dir := filepath.Join(work, "snap\x1b[2J\u202e")
	if err := os.CopyFS(dir, os.DirFS(snap("good"))); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "okta", "app.json"), hostile, 0o644)
	dy, _ := os.ReadFile(filepath.Join(dir, "druva.yaml"))
	login, _ := json.Marshal(injection + " https://acme.okta.com/app/acme_druvainsync_1/exk8f3k2lcQTUZ6wj4d7/sso/saml")
	druva := strings.Replace(string(dy), "idp_login_url: https://acme.okta.com/app/acme_druvainsync_1/exk8f3k2lcQTUZ6wj4d7/sso/saml", "idp_login_url: "+strings.ReplaceAll(string(login), "\u009b", `\x9b`), 1)
	if druva == string(dy) {
		t.Fatal("the good druva.yaml's idp_login_url moved")
	}
	os.WriteFile(filepath.Join(dir, "druva.yaml"), []byte(druva), 0o644)

	cl := newCLI(t)
	cases := 0
	for _, f := range report.Formats {
		code := cl.run("scan", "--snapshot", dir, "--format", f)
		if code != 1 {
			t.Fatalf("%s: exit %d\n%s", f, code, cl.stderr.String())
		}
		checkInert(t, "scan "+f, f, cl.stdout.String(), false)
		checkInert(t, "scan "+f+" stderr", "table", cl.stderr.String(), false)
		out := filepath.Join(work, "r."+f)
		cl.run("scan", "--snapshot", dir, "--format", f, "--output", out)
		got, _ := os.ReadFile(out)
		checkInert(t, "scan --output "+f, f, string(got), false)
		checkInert(t, "scan --output "+f+" stderr", "table", cl.stderr.String(), false)
		cases += 2
	}
	// A terminal with colour: only the table's own SGR sequences.
	e := cl.newEnv()
	e.isTTY = func(w io.Writer) bool { return w == &cl.stdout }
	e.run(context.Background(), []string{"scan", "--snapshot", dir})
	checkInert(t, "scan table, colour", "table", cl.stdout.String(), true)
	if !sgr.MatchString(cl.stdout.String()) {
		t.Error("no colour on a terminal: the colour case tests nothing")
	}

	// diff of a clean report and the hostile one.
	cl.run("scan", "--snapshot", snap("good"), "--format", "json", "--output", "old.json")
	for _, f := range []string{"table", "markdown", "json"} {
		cl.run("diff", "old.json", filepath.Join(work, "r.json"), "--format", f)
		checkInert(t, "diff "+f, f, cl.stdout.String(), false)
		checkInert(t, "diff "+f+" stderr", "table", cl.stderr.String(), false)
		cases++
	}
	// A hand-made report whose rule, severity and status carry the
	// injection (diff reads reports from anywhere).
	rb, _ := os.ReadFile(filepath.Join(work, "r.json"))
	var doc map[string]any
	json.Unmarshal(rb, &doc)
	for _, tg := range doc["targets"].([]any) {
		for _, r := range tg.(map[string]any)["results"].([]any) {
			m := r.(map[string]any)
			if m["status"] == "fail" {
				m["rule"] = m["rule"].(string) + "`" + injection
				m["severity"] = injection
			}
		}
	}
	hb, _ := json.Marshal(doc)
	os.WriteFile("hostile.json", hb, 0o644)
	for _, f := range []string{"table", "markdown", "json"} {
		cl.run("diff", "old.json", "hostile.json", "--format", f)
		checkInert(t, "diff of a hand-made report, "+f, f, cl.stdout.String(), false)
		checkInert(t, "diff of a hand-made report, "+f+" stderr", "table", cl.stderr.String(), false)
		cases++
	}
	// Error paths that quote a path or value.
	for _, args := range [][]string{
		{"scan", "--snapshot", filepath.Join(work, "missing"+injection)},
		{"scan", "--snapshot", dir, "--druva", filepath.Join(work, "no"+injection+".yaml")},
		{"explain", injection},
		{"diff", injection, "old.json"},
	} {
		cl.run(args...)
		checkInert(t, strings.Join(args[:1], " ")+" error", "table", cl.stdout.String()+cl.stderr.String(), false)
		cases++
	}
	t.Logf("%d injection cases", cases)
}
