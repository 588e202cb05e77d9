package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGateBypassByAppLabel reproduces issue 8's gate bypass through the
// CLI: a production app whose Okta label is "staging" was named after its
// label, received the suppressions written for the staging target, and the
// gate passed. Targets are named by their config entry (docs/cli.md, Target names).
func TestGateBypassByAppLabel(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	prod := withJSON(t, snapApp(t, "broken"), map[string]any{"id": "0oaProd0000000000001", "label": "staging"})
	staging := withJSON(t, snapApp(t, "broken"), map[string]any{"id": "0oaStaging00000000001", "label": "Druva inSync (staging)"})
	twin := withJSON(t, snapApp(t, "good"), map[string]any{"id": "0oaTwin0000000000001", "label": "staging"})
	o := startOrg(t, prod, staging, twin)
	druvaYAML := filepath.Join(snap("broken"), "druva.yaml")
	// Every finding of the broken app, accepted for staging only.
	var sup strings.Builder
	for _, r := range []string{"okta.username.email", "okta.users.username-current", "okta.saml.assertion-signed", "okta.saml.relay-state",
		"okta.saml.sha256", "okta.saml.token-literal", "druva.admin.failsafe", "druva.profile.sso", "cross.certificate-match"} {
		fmt.Fprintf(&sup, "  - {rule: %s, target: staging, reason: staging only, expires: 2099-01-01}\n", r)
	}
	cfg := fmt.Sprintf("suppress:\n%stargets:\n  - name: prod\n    druva: %s\n    okta: {org_url: %s, app_id: 0oaProd0000000000001}\n  - name: staging\n    druva: %s\n    okta: {org_url: %s, app_id: 0oaStaging00000000001}\n",
		sup.String(), druvaYAML, o.srv.URL, druvaYAML, o.srv.URL)
	os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
	cl := o.cli(t)
	if code := cl.run("scan", "--format", "json"); code != 1 {
		t.Fatalf("exit %d, want 1 (prod's findings are not staging's)\n%s", code, cl.dump())
	}
	rep := cl.report()
	var names []string
	for _, tg := range rep.Targets {
		names = append(names, tg.Name)
		for _, r := range tg.Results {
			if r.Suppressed != (tg.Name == "staging") && (r.Status == "fail" || r.Status == "warn") {
				t.Errorf("%s: %s suppressed=%v", tg.Name, r.Rule, r.Suppressed)
			}
		}
	}
	if !slices.Equal(names, []string{"prod", "staging"}) {
		t.Errorf("targets %q, want prod and staging", names)
	}

	// Discovery under an entry name: NAME/<label>, NAME/<app ID> where
	// labels collide; a suppression for the entry covers all its apps.
	// The deployment's result (docs/deployments.md) is reached only by a
	// suppression naming the deployment: its console file as written.
	cfg = fmt.Sprintf("suppress:\n%s  - {rule: druva.admin.sign-in-path, target: %s, reason: no admins yet, expires: 2099-01-01}\ntargets:\n  - name: fleet\n    druva: %s\n    okta: {org_url: %s, discover: true}\n",
		strings.ReplaceAll(sup.String(), "target: staging", "target: fleet"), druvaYAML, druvaYAML, o.srv.URL)
	os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
	if code := cl.run("scan", "--format", "json"); code != 0 {
		t.Fatalf("discover: exit %d, want 0 (all suppressed for fleet)\n%s", code, cl.dump())
	}
	names = nil
	for _, tg := range cl.report().Targets {
		names = append(names, tg.Name)
	}
	slices.Sort(names)
	if want := []string{"fleet/0oaProd0000000000001", "fleet/0oaTwin0000000000001", "fleet/Druva inSync (staging)"}; !slices.Equal(names, want) {
		t.Errorf("discovered %q, want %q", names, want)
	}

	// A suppression naming no target of the config: exit 2, file and line.
	os.WriteFile(".ssoaudit.yaml", []byte(strings.Replace(cfg, "target: fleet", "target: flet", 1)), 0o644)
	if code := cl.run("scan"); code != 2 || !strings.Contains(cl.stderr.String(), ".ssoaudit.yaml:2: suppress[0]: target \"flet\"") {
		t.Errorf("unknown suppression target: exit %d\n%s", code, cl.dump())
	}
	// Without targets: in the config, the run's names are checked.
	os.WriteFile(".ssoaudit.yaml", []byte("suppress:\n  - {rule: okta.saml.sha256, target: prod, reason: r, expires: 2099-01-01}\n"), 0o644)
	if code := cl.run(cl.live("0oaProd0000000000001", "--druva", druvaYAML)...); code != 2 || !strings.Contains(cl.stderr.String(), `.ssoaudit.yaml:2: suppress[0]: target "prod" is not a target of this run ("staging", `) {
		t.Errorf("suppression for no target of the run: exit %d\n%s", code, cl.dump())
	}
}
