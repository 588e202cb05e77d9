package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// --rule and --skip-rule choose the run's rules: exact IDs and prefixes
// ending in *, repeatable; the report counts only those and says what the
// command line chose; a pattern that matches nothing is a usage error with
// a did-you-mean.
func TestRuleFlags(t *testing.T) {
	chdir(t, t.TempDir())
	ruleIDs := func(cl *cli) []string {
		t.Helper()
		var rep struct {
			Targets []struct {
				Results []struct{ Rule string }
			}
			Deployments []struct {
				Results []struct{ Rule string }
			}
			Selection string `json:"rule_selection"`
		}
		if err := json.Unmarshal(cl.stdout.Bytes(), &rep); err != nil {
			t.Fatalf("%v\n%s", err, cl.dump())
		}
		var ids []string
		for _, tr := range rep.Targets {
			for _, r := range tr.Results {
				ids = append(ids, r.Rule)
			}
		}
		for _, d := range rep.Deployments {
			for _, r := range d.Results {
				ids = append(ids, r.Rule)
			}
		}
		return append(ids, "selection="+rep.Selection)
	}
	cl := newCLI(t)
	cl.run("scan", "--snapshot", snap("broken"), "--format", "json", "--rule", "okta.saml.*", "--rule", "druva.admin.failsafe", "--skip-rule", "okta.saml.sha256")
	got := strings.Join(ruleIDs(cl), " ")
	for _, want := range []string{"okta.saml.relay-state", "druva.admin.failsafe", "selection=--rule okta.saml.* --rule druva.admin.failsafe --skip-rule okta.saml.sha256 (10 of 27 rules)"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s: %s", want, got)
		}
	}
	ran, _, _ := strings.Cut(got, "selection=")
	for _, not := range []string{"okta.saml.sha256", "cross.", "okta.app.", "druva.admin.sign-in-path"} {
		if strings.Contains(ran, not) {
			t.Errorf("ran %s: %s", not, got)
		}
	}
	// Only the chosen rules gate: broken's fails outside them do not count.
	if code := cl.run("scan", "--snapshot", snap("broken"), "--rule", "okta.saml.sha256"); code != 0 {
		t.Errorf("a medium fail alone: exit %d, want 0", code)
	}
	if !strings.Contains(cl.stdout.String(), "Rules chosen: --rule okta.saml.sha256 (1 of 27 rules)") {
		t.Errorf("the table does not say which rules ran:\n%s", cl.stdout.String())
	}
	for _, tc := range []struct{ args, want string }{
		{"--rule okta.saml.relaystate", "--rule okta.saml.relaystate: no such rule; did you mean okta.saml.relay-state?"},
		{"--skip-rule okta.sam.*", "--skip-rule okta.sam.*: no such rule; did you mean okta.saml.*?"},
		{"--rule okta.saml", "--rule okta.saml: no such rule; did you mean okta.saml.* (every okta.saml rule)?"},
		{"--skip-rule cross.", "--skip-rule cross.: no such rule; did you mean cross.* (every cross rule)?"},
	} {
		args := append([]string{"scan", "--snapshot", snap("broken")}, strings.Fields(tc.args)...)
		if code := cl.run(args...); code != 2 || !strings.Contains(cl.stderr.String(), tc.want) {
			t.Errorf("%s: exit %d\n%s", tc.args, code, cl.stderr.String())
		}
	}
}
