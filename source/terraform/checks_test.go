package terraform_test

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/fixture"
	"github.com/ssoaudit/ssoaudit/source/terraform"
)

// evaluate runs the whole catalog on one target of a testdata document, as
// the CLI would: default platform, the test clock, the good druva.yaml.
func evaluate(t *testing.T, file, address string) map[string]audit.Result {
	t.Helper()
	targets, err := terraform.Load("../../testdata/terraform/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var tg *audit.Target
	for _, x := range targets {
		if x.Name == address {
			tg = x
		}
	}
	if tg == nil {
		t.Fatalf("%s: no target %s", file, address)
	}
	p, _ := audit.LookupPlatform(audit.DefaultPlatform)
	tg.Platform, tg.Expect, tg.Now, tg.Console = p.Name, p.Expectations(audit.Expectations{}), fixture.Now, fixture.Console(t)
	out := map[string]audit.Result{}
	for _, r := range checks.All() {
		out[r.ID] = audit.Evaluate(r, tg)
	}
	return out
}

// TestRootPassesTheCatalog: the root resource of plan.json and state.json
// carries the good snapshot's settings, so every rule passes, except those
// whose data the document lacks, which skip with the reason.
func TestRootPassesTheCatalog(t *testing.T) {
	tests := []struct {
		file string
		skip map[string]string // rule → text of the reason
	}{
		{"plan.json", map[string]string{
			"okta.users.username-current": "assigned users",
			"okta.cert.validity":          "plan has no signing certificate",
			"okta.cert.strength":          "plan has no signing certificate",
			"okta.metadata.consistent":    "plan has no",
			"cross.certificate-match":     "plan has no signing certificate",
			"cross.login-url-match":       "plan has no",
			"okta.app.mfa":                "authentication policy",
		}},
		{"state.json", map[string]string{
			"okta.users.username-current": "assigned users",
			"okta.app.mfa":                "authentication policy",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			results := evaluate(t, tc.file, "okta_app_saml.druva")
			for id, res := range results {
				if reason, ok := tc.skip[id]; ok {
					if res.Status != audit.StatusSkip || !strings.Contains(res.Message, reason) {
						t.Errorf("%s = %s %q, want skip: %s", id, res.Status, res.Message, reason)
					}
					continue
				}
				if res.Status != audit.StatusPass {
					t.Errorf("%s = %s: %s", id, res.Status, res.Message)
				}
			}
			for id := range tc.skip {
				if _, ok := results[id]; !ok {
					t.Errorf("rule %s is not in the catalog", id)
				}
			}
		})
	}
}

// TestLegacyFails: the child module's app has the plan's problems, and the
// rules find each of them.
func TestLegacyFails(t *testing.T) {
	results := evaluate(t, "plan.json", "module.legacy.okta_app_saml.druva_old")
	for _, id := range []string{"okta.saml.response-signed", "okta.saml.sha256", "okta.saml.token-literal", "okta.username.email"} {
		if r, ok := results[id]; !ok || r.Status != audit.StatusFail {
			t.Errorf("%s = %s %q, want fail", id, r.Status, r.Message)
		}
	}
	for id, r := range results {
		if r.Status == audit.StatusError {
			t.Errorf("%s = error: %s", id, r.Message)
		}
	}
}

// TestUnknownIsNeverAPass: an attribute decided only at apply makes the
// app's rules error (exit 3), never pass.
func TestUnknownIsNeverAPass(t *testing.T) {
	targets, err := terraform.Parse("plan.json", strings.NewReader(`{
	  "format_version": "1.2",
	  "planned_values": {"root_module": {"resources": [{
	    "address": "okta_app_saml.druva", "mode": "managed", "type": "okta_app_saml", "name": "druva",
	    "values": {"label": "Druva inSync", "status": "ACTIVE", "response_signed": true}
	  }]}},
	  "resource_changes": [{"address": "okta_app_saml.druva", "mode": "managed", "type": "okta_app_saml",
	    "change": {"actions": ["create"], "after_unknown": {"sso_url": true, "audience": true}}}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	tg := targets[0]
	p, _ := audit.LookupPlatform(audit.DefaultPlatform)
	tg.Platform, tg.Expect, tg.Now = p.Name, p.Expectations(audit.Expectations{}), fixture.Now
	for _, r := range checks.All() {
		res := audit.Evaluate(r, tg)
		if res.Status == audit.StatusPass || res.Status == audit.StatusFail {
			if needsApp(r) {
				t.Errorf("%s = %s, want error: the app's settings are not known", r.ID, res.Status)
			}
		}
		if r.ID == "okta.saml.acs-url" && (res.Status != audit.StatusError || !strings.Contains(res.Message, "sso_url, audience")) {
			t.Errorf("%s = %s %q", r.ID, res.Status, res.Message)
		}
	}
}

func needsApp(r *audit.Rule) bool {
	for _, in := range r.Needs {
		if in == audit.InputApp {
			return true
		}
	}
	return false
}
