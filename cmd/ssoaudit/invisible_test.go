package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/report"
)

// TestInvisibleCharactersShownEverywhere: an app label holding invisible
// and format characters (U+200B, U+2060, U+00AD, a tag character, bidi)
// and noncharacters (U+FFFE, U+FFFF) reaches no human format raw: each is
// the same \u escape in every place (the HTML target header as in the
// evidence), and in Markdown an @team mention and a bare URL in it are
// inert. The JSON report keeps the value as read.
func TestInvisibleCharactersShownEverywhere(t *testing.T) {
	chdir(t, t.TempDir())
	label := "Druva\u200b in\u2060Sync\u00ad\U000E0041\u202e \ufffe\uffff @acme/security https://evil.example/x"
	good, _ := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	lb, _ := json.Marshal(label)
	dir := hostileSnapshot(t, "okta/app.json", bytes.Replace(good, []byte(`"label": "Druva inSync"`), []byte(`"label": `+string(lb)), 1))
	raw := []string{"\u200b", "\u2060", "\u00ad", "\U000E0041", "\u202e", "\ufffe", "\uffff"}
	escaped := []string{`\u200b`, `\u2060`, `\u00ad`, `\U000e0041`, `\u202e`, `\ufffe`, `\uffff`}
	cl := newCLI(t)
	for _, f := range report.Formats {
		if f == "json" {
			continue
		}
		cl.run("scan", "--snapshot", dir, "--format", f, "--show-passed")
		out := cl.stdout.String()
		for i, r := range raw {
			if strings.Contains(out, r) {
				t.Errorf("%s: %U raw in the report", f, []rune(r)[0])
			}
			if f != "prometheus" && f != "csv" && !strings.Contains(out, escaped[i]) {
				t.Errorf("%s: %s not shown", f, escaped[i])
			}
		}
		if f == "markdown" {
			// Code spans are literal in GitHub's Markdown: no mention, no link.
			prose := regexp.MustCompile("`[^`\n]*`").ReplaceAllString(out, "")
			if strings.Contains(prose, "@acme") || strings.Contains(prose, "https://evil") {
				t.Errorf("markdown: a live mention or autolink:\n%s", out)
			}
		}
	}
}

// TestQuotedSplitTokenHidden: the run's own token with U+200B every 7
// characters in the app label reaches no format, not even through a rule
// that quotes the label with %q (druva.admin.sign-in-path names each app of
// the deployment so), which writes each U+200B as the six characters
// \u200b before the redaction layer sees the text.
func TestQuotedSplitTokenHidden(t *testing.T) {
	chdir(t, t.TempDir())
	var split strings.Builder
	for i, r := range fixture.Token {
		if i > 0 && i%7 == 0 {
			split.WriteString("\u200b")
		}
		split.WriteRune(r)
	}
	good, _ := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	lb, _ := json.Marshal("Druva " + split.String())
	dir := hostileSnapshot(t, "okta/app.json", bytes.Replace(good, []byte(`"label": "Druva inSync"`), []byte(`"label": `+string(lb)), 1))
	cl := newCLI(t)
	for _, f := range report.Formats {
		cl.run("scan", "--snapshot", dir, "--format", f, "--show-passed")
		out := strings.NewReplacer(`\\u200b`, "", `\u200b`, "", "\u200b", "").Replace(cl.stdout.String() + cl.stderr.String())
		if !strings.Contains(out, "sign-in-path") {
			t.Fatalf("%s: no druva.admin.sign-in-path result:\n%s", f, out)
		}
		for i := 0; i+8 <= len(fixture.Token); i++ {
			if w := fixture.Token[i : i+8]; strings.Contains(out, w) {
				t.Errorf("%s: a piece of the token, %q, in the report", f, w)
				break
			}
		}
	}
}

// TestInitEscapesDirectoryName: init --dir with a directory name holding
// terminal escape sequences and invisible characters prints them escaped.
func TestInitEscapesDirectoryName(t *testing.T) {
	chdir(t, t.TempDir())
	name := "x\x1b]0;pwned\x07\x1b[2J\u200bdir"
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	if code := cl.run("init", "--dir", name); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.stderr.String())
	}
	out := cl.stdout.String() + cl.stderr.String()
	if strings.ContainsAny(out, "\x1b\x07\u200b") || !strings.Contains(out, `x\x1b]0;pwned\x07\x1b[2J\u200bdir`) {
		t.Errorf("raw or missing:\n%q", out)
	}
	// A second init names the existing file in an error: escaped too.
	cl.run("init", "--dir", name)
	if strings.ContainsAny(cl.stderr.String(), "\x1b\x07\u200b") {
		t.Errorf("raw in the error:\n%q", cl.stderr.String())
	}
}

// TestInvisibleCharactersSameWhenRedacting: an app label holding U+200B and
// the run's own token is shown the same way in every place of every human
// format — the heading, the messages that quote it, the evidence — the
// U+200B as \u200b and the token hidden: redacting the token does not drop
// the escape from some places and not others.
func TestInvisibleCharactersSameWhenRedacting(t *testing.T) {
	chdir(t, t.TempDir())
	good, _ := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	lb, _ := json.Marshal("Druva\u200b inSync " + fixture.Token)
	dir := hostileSnapshot(t, "okta/app.json", bytes.Replace(good, []byte(`"label": "Druva inSync"`), []byte(`"label": `+string(lb)), 1))
	cl := newCLI(t)
	for _, f := range report.Formats {
		if f == "json" || f == "prometheus" {
			continue
		}
		cl.run("scan", "--snapshot", dir, "--format", f, "--show-passed")
		out := cl.stdout.String()
		if strings.Contains(out, fixture.Token[8:16]) {
			t.Errorf("%s: the token is shown", f)
		}
		shown := strings.Count(out, `Druva\u200b inSync`) + strings.Count(out, `Druva\\u200b inSync`)
		if shown == 0 {
			t.Errorf("%s: the label is not shown with its escape", f)
		}
		if n := strings.Count(out, "Druva inSync [") + strings.Count(out, `Druva inSync \[`); n > 0 {
			t.Errorf("%s: the label lost its escape in %d of %d places", f, n, n+shown)
		}
	}
}
