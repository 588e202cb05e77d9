package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/checks"
)

// TestExplainEveryRule: each rule's page fits 80 columns, shows the
// controls its evidence supports, never points at itself, and says nothing
// twice (a Druva page listed under the profile is not listed again in the
// reference; a value accepted for several reasons is named once).
func TestExplainEveryRule(t *testing.T) {
	cl := newCLI(t)
	url := regexp.MustCompile(`<https?://[^>]+>`)
	for _, r := range checks.All() {
		if code := cl.run("explain", r.ID); code != 0 {
			t.Fatalf("explain %s: exit %d: %s", r.ID, code, cl.stderr.String())
		}
		out := cl.stdout.String()
		seen := map[string]bool{}
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("explain %s: line %d is %d columns: %q", r.ID, i+1, n, line)
			}
			if l := strings.TrimSpace(line); len(l) > 30 && seen[l] {
				t.Errorf("explain %s: line %q repeated", r.ID, l)
			} else {
				seen[l] = true
			}
		}
		if strings.Contains(out, "ssoaudit explain "+r.ID) {
			t.Errorf("explain %s refers to itself:\n%s", r.ID, out)
		}
		joined := regexp.MustCompile(`\n *`).ReplaceAllString(out, "")
		urls := map[string]int{}
		for _, u := range url.FindAllString(joined, -1) {
			urls[u]++
		}
		for u, n := range urls {
			if n > 1 {
				t.Errorf("explain %s lists %s %d times", r.ID, u, n)
			}
		}
		if !strings.Contains(out, "Controls its evidence supports") {
			t.Errorf("explain %s shows no controls:\n%s", r.ID, out)
		}
		for _, c := range r.Controls {
			if !strings.Contains(unwrapped(out), c.ID+" "+c.Title) {
				t.Errorf("explain %s lacks control %s %s:\n%s", r.ID, c.ID, c.Title, out)
			}
		}
	}
	cl.run("explain", "okta.saml.relay-state")
	if n := strings.Count(cl.stdout.String(), "(empty):"); n != 1 {
		t.Errorf("explain okta.saml.relay-state names (empty) with a reason %d times, want once:\n%s", n, cl.stdout.String())
	}
}

// TestRulesFramework: `rules --framework` lists a framework's controls, each
// with the rules whose evidence supports it; an unknown name is a usage
// error with a did-you-mean; `rules` shows every rule's controls.
func TestRulesFramework(t *testing.T) {
	cl := newCLI(t)
	if code := cl.run("rules", "--framework", "nist-800-53"); code != 0 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	out := cl.stdout.String()
	for _, want := range []string{"release 5.1.1", "IA-2(1) Multi-factor Authentication to Privileged Accounts\n  okta.app.mfa\n", "CM-6 Configuration Settings\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules --framework nist-800-53 lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "6.3 ") {
		t.Errorf("rules --framework nist-800-53 lists a CIS safeguard:\n%s", out)
	}
	if code := cl.run("rules", "--framework", "CIS-V8", "--format", "json"); code != 0 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	var fw struct {
		Framework string
		Controls  []struct {
			ID, Title string
			Rules     []string
		}
	}
	if err := json.Unmarshal(cl.stdout.Bytes(), &fw); err != nil || fw.Framework != "cis-v8" || len(fw.Controls) == 0 {
		t.Fatalf("rules --framework cis-v8 --format json: %v %+v", err, fw)
	}
	mfa := false
	for _, c := range fw.Controls {
		if c.ID == "6.4" {
			t.Errorf("CIS 6.4 is remote network access, which no rule supports: %+v", c)
		}
		if c.ID == "6.5" && slices.Contains(c.Rules, "okta.app.mfa") {
			mfa = true
		}
	}
	if !mfa {
		t.Errorf("CIS 6.5 does not list okta.app.mfa: %+v", fw.Controls)
	}
	if code := cl.run("rules", "--framework", "nist"); code != 2 || !strings.Contains(cl.stderr.String(), "did you mean nist-800-53?") {
		t.Errorf("rules --framework nist: exit %d, %s", code, cl.stderr.String())
	}
	if code := cl.run("rules"); code != 0 || !strings.Contains(cl.stdout.String(), "NIST IA-2(1), IA-2(2); CIS 6.3, 6.5") {
		t.Errorf("rules does not show okta.app.mfa's controls:\n%s", cl.stdout.String())
	}
	if code := cl.run("rules", "--format", "json"); code != 0 || !strings.Contains(cl.stdout.String(), `"controls": [`) {
		t.Errorf("rules --format json has no controls:\n%s", cl.stdout.String())
	}
}
