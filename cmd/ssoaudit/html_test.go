package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The HTML report is what an auditor files: every pass with what it saw,
// and a record of how the gate was set and which inputs were judged.
func TestHTMLForAnAuditor(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("good"), "--format", "html", "--fail-on", "medium", "--fail-on-warn", "--require", "users"); code > 1 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	page := cl.stdout.String()
	cl.run("scan", "--snapshot", snap("good"), "--format", "json")
	passes := strings.Count(cl.stdout.String(), `"status": "pass"`)
	if got := strings.Count(page, `<article class="finding pass">`); got != passes || passes == 0 {
		t.Errorf("%d pass cards, want one per pass (%d)", got, passes)
	}
	for _, want := range []string{
		// A pass shows its evidence: the certificate's expiry and days left.
		`<th scope="row">days_left</th><td><code>`, `<th scope="row">not_after</th>`,
		"Audit record", "Gate threshold</dt><dd>a fail at or above medium fails the gate",
		"Warnings fail</dt><dd>yes", "Required inputs</dt><dd>users",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, f := range []string{"app.json", "keys.json", "metadata.xml", "users.json"} {
		b, err := os.ReadFile(filepath.Join(snap("good"), "okta", f))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if !strings.Contains(page, "<code>okta/"+f+"</code></td><td><code class=\"hash\">"+hex.EncodeToString(sum[:])) {
			t.Errorf("the audit record lacks okta/%s with its SHA-256", f)
		}
	}
}
