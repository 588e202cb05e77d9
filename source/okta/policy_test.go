package okta_test

import (
	"os"
	"path/filepath"
	"reflect"
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
		chain.Verification == nil || chain.Verification.Type != "AUTH_METHOD_CHAIN" || chain.Unconditional() {
		t.Errorf("chain rule: %+v", chain)
	}
	if want := []audit.Condition{{Key: "people", Detail: "members of 1 group"}}; !reflect.DeepEqual(chain.Conditions, want) {
		t.Errorf("conditions %+v, want %+v", chain.Conditions, want)
	}
	if c := chain.Verification.Chains; len(c) != 1 || c[0].Methods[0].String() != "okta_password/password" || len(c[0].Next) != 1 ||
		c[0].Next[0].Methods[0] != (audit.AuthMethod{Key: "webauthn", Method: "webauthn", UserVerification: "REQUIRED"}) {
		t.Errorf("chains: %+v", c)
	}
	catchAll := rules[1]
	if !catchAll.System || catchAll.Priority != 1 || catchAll.Verification.Type != "ASSURANCE" || catchAll.Verification.FactorMode != "2FA" || !catchAll.Unconditional() {
		t.Errorf("catch-all: %+v", catchAll)
	}
	if c := catchAll.Verification.Constraints; len(c) != 1 || c[0].Possession == nil || c[0].Knowledge != nil {
		t.Errorf("constraints: %+v", c)
	}

	for _, c := range []struct{ name, doc, want string }{
		{"empty", "", "empty file"},
		{"null", "null", "null instead of an array"},
		{"object", `{"id":"r"}`, "wrong JSON type"},
		{"truncated", `[{"id":"r",`, "truncated JSON"},
		{"no id", `[{"name":"x"}]`, `rule 0 has no "id"`},
		{"other policy type", `[{"id":"r","name":"Default Rule","type":"SIGN_ON"}]`, `type "SIGN_ON", not an authentication policy`},
		{"a condition of the wrong shape", `[{"id":"r","conditions":{"network":{"connection":7}}}]`, `conditions.network: wrong JSON type`},
		{"a value too large", `[{"id":"r","name":"` + strings.Repeat("x", okta.MaxValueSize+1) + `"}]`, "a JSON value larger than"},
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

// TestPolicyConditions: each condition key Okta documents, at its match-all
// value, leaves a rule unconditional; any other value, or a key ssoaudit
// does not know, is a condition, worded.
func TestPolicyConditions(t *testing.T) {
	for _, c := range []struct{ conditions, want string }{
		{`null`, ""},
		{`{}`, ""},
		{`{"people":{"users":{"exclude":[]}},"network":{"connection":"ANYWHERE"},"riskScore":{"level":"ANY"},"userType":{"include":[],"exclude":[]},` +
			`"platform":{"include":[],"exclude":[]},"device":{"registered":false},"elCondition":{"condition":" "},"authContext":{"authType":"ANY"},` +
			`"risk":{"behaviors":[]},"identityProvider":{"provider":"ANY"},"unknownButNull":null}`, ""},
		{`{"platform":{"include":[{"type":"ANY","os":{"type":"ANY"}}]}}`, ""},
		{`{"people":{"users":{"exclude":["00u1"]}}}`, "people: except 1 user"},
		{`{"people":{"groups":{"include":["00g1","00g2"],"exclude":["00g3"]}}}`, "people: members of 2 groups, except 1 group"},
		{`{"network":{"connection":"ZONE","include":["nzo1"]}}`, "network: network zone in 1 zone"},
		{`{"riskScore":{"level":"LOW"}}`, "riskScore: risk LOW"},
		{`{"userType":{"include":["oty1"],"exclude":[]}}`, "userType: 1 user type"},
		{`{"device":{"registered":true,"managed":true}}`, "device: registered devices, managed"},
		{`{"device":{"assurance":{"include":["dae1"]}}}`, "device: 1 device assurance policy"},
		{`{"platform":{"include":[{"type":"DESKTOP","os":{"type":"MACOS"}}],"exclude":[]}}`, "platform: platform DESKTOP/MACOS"},
		{`{"elCondition":{"condition":"user.profile.department == 'IT'"}}`, "elCondition: an Okta Expression Language condition"},
		{`{"somethingNew":{"x":1}}`, `somethingNew: a condition "somethingNew" that ssoaudit does not know (counted as narrowing the rule)`},
	} {
		doc := `[{"id":"r","type":"ACCESS_POLICY","conditions":` + c.conditions + `}]`
		rules, err := okta.ParsePolicyRules(strings.NewReader(doc))
		if err != nil {
			t.Errorf("%s: %v", c.conditions, err)
			continue
		}
		var got []string
		for _, cond := range rules[0].Conditions {
			got = append(got, cond.Key+": "+cond.Detail)
		}
		if strings.Join(got, "; ") != c.want || rules[0].Unconditional() != (c.want == "") {
			t.Errorf("%s: conditions %q, want %q", c.conditions, got, c.want)
		}
	}
}

func TestParseSessionPolicies(t *testing.T) {
	f, err := os.Open(filepath.Join(fixture.MFADir(), "upgraded-org", "okta", "session-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := okta.ParseSessionPolicies(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Name != "Default Policy" || !ps[0].System || ps[0].Status != "ACTIVE" || len(ps[0].Rules) != 2 {
		t.Fatalf("policies: %+v", ps)
	}
	radius, def := ps[0].Rules[0], ps[0].Rules[1]
	if radius.AuthType != "RADIUS" || radius.Access != "ALLOW" || radius.RequireFactor == nil || *radius.RequireFactor || radius.Unconditional() {
		t.Errorf("RADIUS rule: %+v", radius)
	}
	if def.Name != "Default Rule" || !def.System || def.AuthType != "" || def.RequireFactor == nil || !*def.RequireFactor ||
		def.FactorPromptMode != "ALWAYS" || def.PrimaryFactor != "PASSWORD_IDP" || !def.Unconditional() {
		t.Errorf("default rule: %+v", def)
	}

	for _, c := range []struct{ name, doc, want string }{
		{"empty", "", "empty file"},
		{"null", "null", "null instead of an array of global session policies"},
		{"an app policy", `[{"id":"rst1","type":"ACCESS_POLICY","_embedded":{"rules":[]}}]`, `not a global session policy (OKTA_SIGN_ON)`},
		{"rules not saved", `[{"id":"00p1","name":"Default Policy","type":"OKTA_SIGN_ON"}]`, `has no _embedded.rules`},
		{"an app policy rule inside", `[{"id":"00p1","type":"OKTA_SIGN_ON","_embedded":{"rules":[{"id":"r","type":"ACCESS_POLICY"}]}}]`,
			`not a global session policy (SIGN_ON) rule`},
		{"no id", `[{"type":"OKTA_SIGN_ON","_embedded":{"rules":[]}}]`, `policy 0 has no "id"`},
	} {
		_, err := okta.ParseSessionPolicies(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	// An org without policies is an empty list, not an absent one.
	if ps, err := okta.ParseSessionPolicies(strings.NewReader("[]")); err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("[]: %v, %v", ps, err)
	}
}
