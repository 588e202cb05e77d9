package okta_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

func TestParsePolicyRules(t *testing.T) {
	rules := fixture.PolicyRules(t, "two-factors.json")
	if len(rules) != 2 {
		t.Fatalf("%d rules, want 2", len(rules))
	}
	chain := rules[0]
	if chain.Name != "Druva administrators: phishing-resistant" || chain.Status != "ACTIVE" || chain.System || chain.Access != "ALLOW" ||
		chain.Conditions != "members of 1 group(s)" || chain.Verification == nil || chain.Verification.Type != "AUTH_METHOD_CHAIN" {
		t.Errorf("chain rule: %+v", chain)
	}
	if c := chain.Verification.Chains; len(c) != 1 || c[0].Methods[0] != "okta_password/password" || len(c[0].Next) != 1 || c[0].Next[0].Methods[0] != "webauthn/webauthn" {
		t.Errorf("chains: %+v", c)
	}
	catchAll := rules[1]
	if !catchAll.System || catchAll.Priority != 1 || catchAll.Verification.Type != "ASSURANCE" || catchAll.Verification.FactorMode != "2FA" || catchAll.Conditions != "" {
		t.Errorf("catch-all: %+v", catchAll)
	}

	for _, c := range []struct{ name, doc, want string }{
		{"empty", "", "empty file"},
		{"null", "null", "null instead of an array"},
		{"object", `{"id":"r"}`, "wrong JSON type"},
		{"truncated", `[{"id":"r",`, "truncated JSON"},
		{"no id", `[{"name":"x"}]`, `rule 0 has no "id"`},
		{"other policy type", `[{"id":"r","name":"Default Rule","type":"SIGN_ON"}]`, `type "SIGN_ON", not an authentication policy`},
		{"chain too deep", `[{"id":"r","actions":{"appSignOn":{"verificationMethod":{"chains":[` + strings.Repeat(`{"next":[`, 20) + strings.Repeat(`]}`, 20) + `]}}}}]`, "deeper than 8 steps"},
	} {
		_, err := okta.ParsePolicyRules(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestSnapshotPolicyRules(t *testing.T) {
	load := func(dir string) *audit.Target {
		t.Helper()
		tg, err := okta.LoadSnapshot(dir)
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	t.Run("identity engine", func(t *testing.T) {
		tg := load(fixture.IdentityEngineDir(t, "two-factors.json"))
		if tg.App.AccessPolicyID() != fixture.PolicyID || len(tg.PolicyRules) != 2 {
			t.Errorf("policy %q, %d rules", tg.App.AccessPolicyID(), len(tg.PolicyRules))
		}
		if g, ok := tg.Gap(audit.InputPolicyRules); ok {
			t.Errorf("gap: %+v", g)
		}
	})
	t.Run("absent file", func(t *testing.T) {
		g, ok := load(fixture.IdentityEngineDir(t, "")).Gap(audit.InputPolicyRules)
		if !ok || g.Failed || !strings.Contains(g.Reason, "GET /api/v1/policies/"+fixture.PolicyID+"/rules") {
			t.Errorf("gap %+v, %v", g, ok)
		}
	})
	t.Run("malformed file", func(t *testing.T) {
		dir := fixture.IdentityEngineDir(t, "")
		os.WriteFile(filepath.Join(dir, "okta", "policy-rules.json"), []byte(`[{"id":`), 0o600)
		g, ok := load(dir).Gap(audit.InputPolicyRules)
		if !ok || !g.Failed || !strings.Contains(g.Reason, "truncated JSON") {
			t.Errorf("gap %+v, %v", g, ok)
		}
	})
	t.Run("classic engine ignores the file", func(t *testing.T) {
		tg := load(fixture.GoodDir())
		if _, ok := tg.Gap(audit.InputPolicyRules); ok || tg.PolicyRules != nil {
			t.Errorf("classic engine: gap %v, rules %v", ok, tg.PolicyRules)
		}
	})
}
