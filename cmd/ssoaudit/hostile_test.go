package main

import (
	"bytes"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileSnapshot copies the good snapshot into a temp dir and replaces one
// file with hostile content.
func hostileSnapshot(t *testing.T, file string, content []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snap")
	if err := os.CopyFS(dir, os.DirFS(snap("good"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), content, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func repeat(s string, n int) []byte { return bytes.Repeat([]byte(s), n) }

// TestHostileFiles: no input makes the tool pass, panic, hang or balloon.
// Okta data ends in error results (exit 3); files a person writes in a usage
// error naming the file and line (exit 2).
func TestHostileFiles(t *testing.T) {
	chdir(t, t.TempDir())
	good, _ := os.ReadFile(filepath.Join(snap("good"), "okta", "app.json"))
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol2;"/>`
	aliasBomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	cases := []struct {
		name, file string
		content    []byte
		exit       int
		want       string // in stdout (exit 3) or stderr (exit 2)
	}{
		{"30 MB app.json", "okta/app.json", append([]byte(`{"id":"0oa1","label":"`), append(repeat("A", 30<<20), `"}`...)...), 3, "larger than 4 MiB"},
		{"deeply nested app.json", "okta/app.json", append([]byte(`{"id":"a","x":`), append(repeat("[", 100000), repeat("]", 100000)...)...), 3, "okta/app.json"},
		{"responseSigned as a string", "okta/app.json", bytes.Replace(good, []byte(`"responseSigned": true`), []byte(`"responseSigned": "true"`), 1), 3, "/settings/signOn/responseSigned"},
		{"binary app.json", "okta/app.json", []byte("\x00\x01\x02\xff\xfe\x7f"), 3, "malformed JSON"},
		{"keys.json an object", "okta/keys.json", []byte(`{"keys":[]}`), 3, "okta/keys.json"},
		{"billion laughs", "okta/metadata.xml", []byte(laughs), 3, "DOCTYPE"},
		{"XXE", "okta/metadata.xml", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`), 3, "DOCTYPE"},
		{"HTML instead of metadata", "okta/metadata.xml", []byte(`<html><body>Sign in</body></html>`), 3, "EntityDescriptor"},
		{"users.json truncated", "okta/users.json", []byte(`[{"id":"00u1","credentials":{"userName":"a@x"},"_embedded":{"user":{"profile":{"email":"a@x"}}}},{"id"`), 3, "truncated"},
		{"users.json wrong type", "okta/users.json", []byte(`[{"id":"00u1","credentials":{"userName":["a@x"]}}]`), 3, "wrong JSON type"},
		{"druva.yaml alias bomb", "druva.yaml", []byte(aliasBomb), 2, "druva.yaml:1:"},
		{"druva.yaml binary", "druva.yaml", []byte("\x00\x01\x02"), 2, "not a text file"},
		{"druva.yaml 2 MB", "druva.yaml", append([]byte("platform: insync-cloud\n#"), repeat("x", 2<<20)...), 2, "1 MiB"},
		{"druva.yaml wrong type", "druva.yaml", []byte("admins:\n  failsafe: [true]\n"), 2, "druva.yaml:2:"},
		{"druva.yaml deep nesting", "druva.yaml", append(repeat("[", 20000), repeat("]", 20000)...), 2, "druva.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := hostileSnapshot(t, c.file, c.content)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			cl := newCLI(t)
			code := cl.run("scan", "--snapshot", dir, "--format", "json")
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if code != c.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.exit, cl.stdout.String(), cl.stderr.String())
			}
			out := cl.stdout.String()
			if c.exit == 2 {
				out = cl.stderr.String()
				if !strings.Contains(out, filepath.Base(c.file)) {
					t.Errorf("the error does not name the file: %s", out)
				}
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, out)
			}
			if strings.Contains(cl.stdout.String(), `"exit_code": 0`) {
				t.Error("a hostile input passed the gate")
			}
			if elapsed > 5*time.Second*race.Factor {
				t.Errorf("took %v", elapsed)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 300<<20*race.Factor {
				t.Errorf("allocated %d MiB", grown>>20)
			}
		})
	}
}

// TestHostileConfig: the tool's own config is a file a person writes: exit 2
// with file and line, never a scan on half a config.
func TestHostileConfig(t *testing.T) {
	for name, body := range map[string]string{
		"alias bomb":             "fail_on: &a high\nplatform: *a\n",
		"unknown rule":           "rules:\n  okta.saml.response-signd: {enabled: false}\n",
		"suppression w/o reason": "suppress:\n  - rule: okta.saml.sha256\n    expires: 2027-01-01\n",
		"binary":                 "\x00\xff",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			chdir(t, dir)
			os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(body), 0o644)
			cl := newCLI(t)
			if code := cl.run("scan", "--snapshot", snap("good")); code != 2 || !strings.Contains(cl.stderr.String(), ".ssoaudit.yaml") {
				t.Fatalf("exit %d: %s", code, cl.stderr.String())
			}
		})
	}
}
