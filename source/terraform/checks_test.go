package terraform_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
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
	for _, r := range checks.ForTargets() {
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
			"okta.app.assigned":           "assigned users",
			"cross.assertion-encryption":  "no attribute for assertion encryption",
		}},
		{"state.json", map[string]string{
			"okta.users.username-current": "assigned users",
			"okta.app.mfa":                "authentication policy",
			"okta.app.assigned":           "assigned users",
			"cross.assertion-encryption":  "no attribute for assertion encryption",
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
	for _, r := range checks.ForTargets() {
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

// stateWith is state.json with attributes of the root okta_app_saml resource
// replaced, parsed into its target.
func stateWith(t *testing.T, attrs map[string]any) *audit.Target {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/terraform/state.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	res := doc["values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)
	for _, r := range res {
		r := r.(map[string]any)
		if r["type"] == "okta_app_saml" && r["name"] == "druva" {
			for k, v := range attrs {
				r["values"].(map[string]any)[k] = v
			}
		}
	}
	out, _ := json.Marshal(doc)
	targets, err := terraform.Parse("state.json", bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	tg := targets[0]
	p, _ := audit.LookupPlatform(audit.DefaultPlatform)
	tg.Platform, tg.Expect, tg.Now, tg.Console = p.Name, p.Expectations(audit.Expectations{}), fixture.Now, fixture.Console(t)
	return tg
}

// TestProviderAttributesJudged: the okta_app_saml attributes behind the
// issue's false passes are read, so a plan fails where a snapshot of the
// same app would.
func TestProviderAttributesJudged(t *testing.T) {
	tests := []struct {
		attrs   map[string]any
		rule    string
		want    audit.Status
		message string
	}{
		{map[string]any{"user_name_template_suffix": "@druva.acme"}, "okta.username.email", audit.StatusFail, `appends the suffix "@druva.acme"`},
		{map[string]any{"acs_endpoints": []string{"https://cloud.druva.com/wrsaml/consume", "http://cloud.druva.com/wrsaml/consume"}}, "okta.saml.acs-url", audit.StatusFail,
			`acsEndpoints[1] is "http://cloud.druva.com/wrsaml/consume"`},
		{map[string]any{"acs_endpoints_indices": []map[string]any{{"url": "https://evil.example.net/acs", "index": 3}}}, "okta.saml.acs-url", audit.StatusFail,
			`acsEndpoints[3] is "https://evil.example.net/acs"`},
		{map[string]any{"acs_endpoints": []string{"https://cloud.druva.com/wrsaml/consume"}}, "okta.saml.acs-url", audit.StatusPass, ""},
	}
	for _, tc := range tests {
		tg := stateWith(t, tc.attrs)
		r, _ := checks.Lookup(tc.rule)
		res := audit.Evaluate(r, tg)
		if res.Status != tc.want || !strings.Contains(res.Message, tc.message) {
			t.Errorf("%v: %s = %s: %s", tc.attrs, tc.rule, res.Status, res.Message)
		}
		if res.Status == audit.StatusFail && !strings.Contains(res.Remediation, "In Terraform") {
			t.Errorf("%s: no Terraform fix: %s", tc.rule, res.Remediation)
		}
	}
	tg := stateWith(t, map[string]any{"saml_signed_request_enabled": true, "inline_hook_id": "cal1hook"})
	so := tg.App.Settings.SignOn
	if !so.SAMLSignedRequestEnabled || len(so.InlineHooks) != 1 || so.InlineHooks[0].ID != "cal1hook" {
		t.Errorf("saml_signed_request_enabled / inline_hook_id not read: %+v", so)
	}
	if so.AssertionEncryption != nil || so.Has("assertionEncryption.enabled") || so.Has("ssoAcsUrlOverride") {
		t.Errorf("fields the provider lacks must read as not sent: %+v", so.Sent)
	}
}
