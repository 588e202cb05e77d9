package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/redact"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
	"github.com/ssoaudit/ssoaudit/report"
)

// docs/security.md: the SSO token and the Okta API token never appear
// in any output, log or error; reports show at most the token's first 6
// characters and its SHA-256 fingerprint. TestSecretsNeverAppear puts known
// tokens everywhere a user might (the Okta literal, druva.yaml, the
// environment, the wrong field or flag), runs every command and format and
// every error path, and looks for any 8 characters of them, in any letter case, in
// everything the tool wrote.

// The good snapshot's own token literal: test data, but a token all the same.
const goodLiteralToken = "A-48213-7730-qOItB6b7OuXBuBJ0oyhFIeIrKJlNbMUdLw7FP0IBBfI="

// apiSecret is an Okta API token the fake does not accept.
const apiSecret = "00Zr8Kq2Lm5Np7Xv3Tw9Yb4Cd6Fg1Hj0Sk4QeW2"

var tokenShapes = []struct {
	name         string
	token, other string // other: a second token of the same shape (a rotated one)
}{
	{"guide shape", "A-16620-5232-Qm7xZ2pL9vK4nR8sT1wY6cF3hJ0dG5bE+aU/oI2tX8k=", "A-16620-5232-Hx4tB8cW2eR6yU0iO3pA7sD1fG5hJ9kL+zX/cV4bN2m="},
	{"DCP-like opaque", "dK3vQ9xZ7mP2wL8nR5tY4cB6hJ1fG0sAe", "pW8rT2yU6iO0pA4sD9fG3hJ7kL1zX5cVb"},
}

// guard finds secrets in what the tool wrote.
type guard struct {
	t       *testing.T
	secrets []string
}

// leak returns the first 8-character piece of a secret (redact.Window: not
// even 8 characters of a token may show) found in out, in any letter case
// and in any of the forms a report could carry it: as written,
// HTML-unescaped, and with the whitespace, box-drawing and table characters
// that wrapping in a table cell inserts taken out.
func (g *guard) leak(out string) (string, bool) {
	forms := []string{out, html.UnescapeString(out)}
	for _, f := range forms[:2] {
		forms = append(forms, strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '|' || r == '│' || (r >= 0x2500 && r <= 0x257f) {
				return -1
			}
			return r
		}, f))
	}
	for i := range forms {
		forms[i] = strings.ToLower(forms[i])
	}
	for _, s := range g.secrets {
		s = strings.ToLower(s)
		for i := 0; i+redact.Window <= len(s); i++ {
			piece := s[i : i+redact.Window]
			for _, f := range forms {
				if strings.Contains(f, piece) {
					return piece, true
				}
			}
		}
	}
	return "", false
}

func (g *guard) check(what, out string) {
	g.t.Helper()
	if piece, ok := g.leak(out); ok {
		g.t.Errorf("%s: a secret leaked (%q):\n%s", what, piece, out)
	}
}

// run runs one command and checks its stdout and stderr.
func (g *guard) run(cl interface {
	run(...string) int
}, stdout, stderr func() string, args ...string) int {
	g.t.Helper()
	code := cl.run(args...)
	g.check(fmt.Sprintf("%v: stdout", args), stdout())
	g.check(fmt.Sprintf("%v: stderr", args), stderr())
	return code
}

// checkFiles checks every file under dir.
func (g *guard) checkFiles(dir string) int {
	g.t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		g.check(p, string(b))
		return nil
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return n
}

// tokenSnapshot writes a snapshot: the good one's Okta files with the token
// attribute's values replaced, and the given druva.yaml (none when "").
func tokenSnapshot(t *testing.T, values []string, druvaYAML string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "okta"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"keys.json", "metadata.xml", "users.json"} {
		b, err := os.ReadFile(filepath.Join(snap("good"), "okta", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "okta", f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "okta", "app.json"), appWithValues(t, values), 0o644)
	if druvaYAML != "" {
		os.WriteFile(filepath.Join(dir, "druva.yaml"), []byte(druvaYAML), 0o644)
	}
	return dir
}

// appWithValues is the good app's JSON with the token attribute's values
// replaced.
func appWithValues(t *testing.T, values []string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	old := `[
            "\"` + goodLiteralToken + `\""
          ]`
	if !strings.Contains(string(b), old) {
		t.Fatal("the good app.json's token attribute moved")
	}
	vb, _ := json.Marshal(values)
	return []byte(strings.Replace(string(b), old, string(vb), 1))
}

// druvaWith is the good druva.yaml with its sso_token_sha256 line replaced
// by lines (indented under sso:), and further replacements made.
func druvaWith(t *testing.T, lines string, replace ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const hashLine = "  sso_token_sha256: d64b5840e2301d4ef94f461f9c0120564a9e3b0b4157728e586d93a2e453a07d\n"
	s := string(b)
	if !strings.Contains(s, hashLine) {
		t.Fatal("the good druva.yaml's sso_token_sha256 moved")
	}
	s = strings.Replace(s, hashLine, lines, 1)
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			t.Fatalf("druva.yaml has no %q", replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	return s
}

func TestSecretsNeverAppear(t *testing.T) {
	for _, shape := range tokenShapes {
		t.Run(shape.name, func(t *testing.T) {
			secretSweep(t, shape.token, shape.other)
		})
	}
}

func secretSweep(t *testing.T, tok, other string) {
	work := t.TempDir() // everything the tool writes, and nothing else
	chdir(t, work)
	g := &guard{t: t, secrets: []string{tok, other, apiSecret, goodLiteralToken}}
	cl := newCLI(t)
	run := func(args ...string) int {
		t.Helper()
		return g.run(cl, cl.stdout.String, cl.stderr.String, args...)
	}
	lit := `"` + tok + `"`
	ssoToken := "  sso_token: " + tok + "\n"
	formats := report.Formats
	if len(formats) < 6 {
		t.Fatalf("formats %v", formats)
	}

	// The token where it belongs: Okta's literal and druva.yaml's sso_token.
	good := tokenSnapshot(t, []string{lit}, druvaWith(t, ssoToken))
	for _, f := range formats {
		if code := run("scan", "--snapshot", good, "--format", f); code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, cl.stderr.String())
		}
		if code := run("scan", "--snapshot", good, "--format", f, "--output", filepath.Join(work, "good."+f)); code != 0 {
			t.Errorf("%s --output: exit %d: %s", f, code, cl.stderr.String())
		}
	}
	// The report does identify the token: its prefix and fingerprint.
	run("scan", "--snapshot", good, "--format", "json")
	if !strings.Contains(cl.stdout.String(), audit.Fingerprint(tok)) || !strings.Contains(cl.stdout.String(), audit.Prefix(tok)) {
		t.Errorf("the JSON report lacks the token's prefix and fingerprint:\n%s", cl.stdout.String())
	}
	run("rules")
	run("rules", "--format", "json")
	for _, r := range checks.All() {
		if code := run("explain", r.ID); code != 0 {
			t.Errorf("explain %s: exit %d", r.ID, code)
		}
	}

	// A scan of each way of getting it wrong: every one must run (exit 1
	// or 0, a report) and say what is wrong without quoting the token.
	type variant struct {
		name   string
		values []string // the Okta attribute's values
		druva  string   // druva.yaml
		want   int
	}
	variants := []variant{
		{"single quotes", []string{`'` + tok + `'`}, druvaWith(t, ssoToken), 0},
		{"mismatching tokens", []string{`"` + other + `"`}, druvaWith(t, ssoToken), 1},
		{"mismatch against the hash", []string{`"` + other + `"`}, druvaWith(t, "  sso_token_sha256: "+audit.Fingerprint(tok)+"\n"), 1},
		{"typographic quotes", []string{"“" + tok + "”"}, druvaWith(t, ssoToken), 1},
		{"typographic quote at one end", []string{`"` + tok + "”"}, druvaWith(t, ssoToken), 1},
		{"unquoted", []string{tok}, druvaWith(t, ssoToken), 1},
		{"space inside", []string{`"` + tok[:len(tok)/2] + " " + tok[len(tok)/2:] + `"`}, druvaWith(t, ssoToken), 1},
		{"newline inside", []string{`"` + tok[:len(tok)/2] + "\n" + tok[len(tok)/2:] + `"`}, druvaWith(t, ssoToken), 1},
		{"no closing quote", []string{`"` + tok}, druvaWith(t, ssoToken), 1},
		{"padded", []string{" " + lit + " "}, druvaWith(t, ssoToken), 0},
		{"concatenated", []string{lit + ` + "x"`}, druvaWith(t, ssoToken), 1},
		{"two values", []string{lit, `"` + other + `"`}, druvaWith(t, ssoToken), 1},
		{"console token in typographic quotes", []string{lit}, druvaWith(t, "  sso_token: “"+tok+"”\n"), 2}, // refused: quotes in sso_token
		{"console token with a space inside", []string{lit}, druvaWith(t, `  sso_token: "`+tok[:10]+" "+tok[10:]+"\"\n"), 1},
		{"console token rotated", []string{lit}, druvaWith(t, "  sso_token: "+other+"\n"), 1},
	}
	reports := map[string]string{}
	for _, v := range variants {
		dir := tokenSnapshot(t, v.values, v.druva)
		for _, f := range formats {
			out := filepath.Join(work, strings.ReplaceAll(v.name, " ", "-")+"."+f)
			if code := run("scan", "--snapshot", dir, "--format", f, "--output", out); code != v.want {
				t.Errorf("%s, %s: exit %d, want %d\n%s", v.name, f, code, v.want, cl.stderr.String())
			}
			if f == "json" {
				reports[v.name] = out
			}
		}
		run("scan", "--snapshot", dir)
	}
	{
		// The certificate field holds the token instead of a certificate.
		b, _ := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
		s := string(b)
		start := strings.Index(s, "  idp_certificate: |")
		end := strings.Index(s, "    -----END CERTIFICATE-----\n") + len("    -----END CERTIFICATE-----\n")
		s = s[:start] + "  idp_certificate: " + tok + "\n" + s[end:]
		s = strings.Replace(s, "  sso_token_sha256: d64b5840e2301d4ef94f461f9c0120564a9e3b0b4157728e586d93a2e453a07d\n", ssoToken, 1)
		dir := tokenSnapshot(t, []string{lit}, s)
		for _, f := range formats {
			if code := run("scan", "--snapshot", dir, "--format", f); code != 1 {
				t.Errorf("token as the certificate, %s: exit %d, want 1\n%s", f, code, cl.stderr.String())
			}
		}
	}

	// diff of reports that differ in their tokens.
	for _, pair := range [][2]string{{"single quotes", "mismatching tokens"}, {"unquoted", "single quotes"}, {"console token rotated", "typographic quotes"}} {
		for _, f := range []string{"table", "json", "markdown"} {
			run("diff", reports[pair[0]], reports[pair[1]], "--format", f)
		}
	}

	// druva.yaml that is wrong, with the token in it: a usage error (exit 2)
	// naming the file and line, never the token.
	bad := map[string]string{
		"token in a list":                   druvaWith(t, "  sso_token: ["+tok+"]\n"),
		"token in a mapping":                druvaWith(t, "  sso_token: {value: "+tok+"}\n"),
		"token as sso_token_sha256":         druvaWith(t, "  sso_token_sha256: "+tok+"\n"),
		"token and a hash of another":       druvaWith(t, ssoToken+"  sso_token_sha256: "+audit.Fingerprint(other)+"\n"),
		"token as an unknown key":           druvaWith(t, "  "+tok+": true\n"),
		"token as an unknown key, quoted":   druvaWith(t, `  "`+tok+"\": true\n"),
		"token as a top-level key":          druvaWith(t, ssoToken) + tok + ": x\n",
		"token on a line of its own":        druvaWith(t, ssoToken+"  "+tok+"\n"),
		"token with an unterminated quote":  druvaWith(t, `  sso_token: "`+tok+"\n"),
		"token twice":                       druvaWith(t, ssoToken+ssoToken),
		"token with a tag":                  druvaWith(t, "  sso_token: !!binary "+tok+"\n"),
		"token as a boolean":                druvaWith(t, ssoToken, "failsafe: true", "failsafe: "+tok),
		"token as the platform":             druvaWith(t, ssoToken, "platform: insync-cloud", "platform: "+tok),
		"token as a login mechanism":        druvaWith(t, ssoToken, "login_mechanism: sso", "login_mechanism: "+tok),
		"token as a profile's name, empty":  druvaWith(t, ssoToken, "  - name: Engineering\n", "  - name:\n"+"    "+tok+": x\n"),
		"token in a second document":        druvaWith(t, ssoToken) + "---\n" + tok + "\n",
		"token after a tab":                 druvaWith(t, "\tsso_token: "+tok+"\n"),
		"token as the value of an alias":    druvaWith(t, "  sso_token: &t "+tok+"\n  sso_token_sha256: *t\n"),
		"token in a bad indent":             druvaWith(t, " sso_token: "+tok+"\n"),
		"token behind a stray quote":        druvaWith(t, ssoToken, "failsafe: true", "failsafe: '"+tok),
		"token as a key with a colon value": druvaWith(t, "  sso_token: "+tok+": x\n"),
	}
	for name, yml := range bad {
		p := filepath.Join(t.TempDir(), "druva.yaml")
		os.WriteFile(p, []byte(yml), 0o644)
		if code := run("scan", "--snapshot", good, "--druva", p, "--format", "json"); code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s%s", name, code, cl.stdout.String(), cl.stderr.String())
		} else if !strings.Contains(cl.stderr.String(), p) {
			t.Errorf("%s: the error does not name the file: %s", name, cl.stderr.String())
		}
	}

	// (A token typed as the value of a flag -- --snapshot, --druva,
	// --platform, --format, explain's rule ID -- is echoed in the flag's error
	// like any other value: the user put it on the command line, in plain
	// sight. Not checked here.)

	// Live: the fake org serves the app with the token literal.
	app := snapApp(t, "good")
	app.JSON = appWithValues(t, []string{lit})
	o := startOrg(t, app)
	g.secrets = append(g.secrets, o.srv.Token)
	lc := o.cli(t)
	lrun := func(args ...string) int {
		t.Helper()
		return g.run(lc, lc.stdout.String, lc.stderr.String, args...)
	}
	druvaFile := filepath.Join(good, "druva.yaml")
	for _, f := range formats {
		if code := lrun(lc.live(goodAppID, "--druva", druvaFile, "--format", f)...); code != 0 {
			t.Errorf("live %s: exit %d\n%s", f, code, lc.stderr.String())
		}
		lrun(lc.live(goodAppID, "--druva", druvaFile, "--format", f, "--output", filepath.Join(work, "live."+f))...)
	}
	lc.tty = true
	lrun(lc.live(goodAppID, "--druva", druvaFile)...)
	lrun("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", druvaFile, "--out", filepath.Join(t.TempDir(), "snap"))
	lc.tty = false

	// A bad API token: refused (401), and never repeated.
	t.Setenv("OKTA_CLIENT_TOKEN", apiSecret)
	for _, f := range []string{"table", "json", "sarif"} {
		if code := lrun(lc.live(goodAppID, "--druva", druvaFile, "--format", f)...); code != 3 {
			t.Errorf("bad API token: exit %d, want 3\n%s", code, lc.stdout.String())
		}
	}
	if code := lrun("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", filepath.Join(work, "refused")); code != 3 {
		t.Errorf("snapshot with a bad API token: exit %d", code)
	}
	// The API token where it does not belong.
	host := strings.TrimPrefix(o.srv.URL, "https://")
	for _, args := range [][]string{
		{"scan", "--okta-org", "https://" + apiSecret + "@" + host, "--app-id", goodAppID},
		{"scan", "--okta-org", "https://admin:" + apiSecret + "@" + host, "--app-id", goodAppID},
		{"scan", "--okta-org", "http://" + host + "/?token=" + apiSecret, "--app-id", goodAppID},
	} {
		if code := lrun(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	t.Setenv("OKTA_CLIENT_REQUEST_TIMEOUT", "soon")
	if code := lrun(lc.live(goodAppID)...); code != 2 {
		t.Errorf("malformed OKTA_CLIENT_REQUEST_TIMEOUT: exit %d", code)
	}
	os.Unsetenv("OKTA_CLIENT_REQUEST_TIMEOUT")

	// In a child process, so that anything written to the real stdout and
	// stderr (by the Okta SDK, say) is seen too.
	stdout, stderr, code := runMain(t, work, []string{"OKTA_CLIENT_TOKEN=" + apiSecret, "SSL_CERT_FILE=" + writeCA(t, o.srv)},
		"scan", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", druvaFile, "--format", "json")
	if code != 3 || !strings.Contains(stdout, "authentication failed") {
		t.Errorf("child: exit %d\n%s\n%s", code, stdout, stderr)
	}
	g.check("child stdout", stdout)
	g.check("child stderr", stderr)

	if n := g.checkFiles(work); n < 3*len(formats) {
		t.Errorf("checked only %d files", n)
	}
}

func writeCA(t *testing.T, srv *oktatest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, srv.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSecretInIdPLoginURL: the SSO token pasted into the console's "ID
// Provider Login URL" field (druva.yaml sso.idp_login_url). The rules that
// judge that field quote it in their messages and evidence.
func TestSecretInIdPLoginURL(t *testing.T) {
	for _, shape := range tokenShapes {
		t.Run(shape.name, func(t *testing.T) {
			work := t.TempDir()
			chdir(t, work)
			tok := shape.token
			g := &guard{t: t, secrets: []string{tok}}
			cl := newCLI(t)
			dir := tokenSnapshot(t, []string{`"` + tok + `"`}, druvaWith(t, "  sso_token: "+tok+"\n",
				"idp_login_url: https://acme.okta.com/app/acme_druvainsync_1/exk8f3k2lcQTUZ6wj4d7/sso/saml", "idp_login_url: "+tok))
			for _, f := range report.Formats {
				if code := g.run(cl, cl.stdout.String, cl.stderr.String, "scan", "--snapshot", dir, "--format", f); code != 1 {
					t.Errorf("%s: exit %d, want 1", f, code)
				}
			}
		})
	}
}
