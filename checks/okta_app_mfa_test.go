package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestAppMFA(t *testing.T) {
	// ie moves the good snapshot to an Identity Engine org whose policy
	// (testdata/policy/two-factors.json) requires two factors, then
	// applies the named mutation to its rules.
	ie := func(mutate func(rules []audit.PolicyRule) []audit.PolicyRule) func(*audit.Target) {
		return func(tg *audit.Target) {
			fixture.IdentityEngine(t, tg)
			if mutate != nil {
				tg.PolicyRules = mutate(tg.PolicyRules)
			}
		}
	}
	catchAll := func(f func(r *audit.PolicyRule)) func([]audit.PolicyRule) []audit.PolicyRule {
		return func(rules []audit.PolicyRule) []audit.PolicyRule { f(&rules[1]); return rules }
	}
	admins := func(f func(r *audit.PolicyRule)) func([]audit.PolicyRule) []audit.PolicyRule {
		return func(rules []audit.PolicyRule) []audit.PolicyRule { f(&rules[0]); return rules }
	}
	oneFactor := func(r *audit.PolicyRule) { r.Verification = &audit.Verification{Type: "ASSURANCE", FactorMode: "1FA"} }
	weakest := func(name string) func(*testing.T, audit.Result) {
		return func(t *testing.T, r audit.Result) {
			if got := evidence(t, r, "weakest_rule"); got != name {
				t.Errorf("weakest_rule = %v, want %q", got, name)
			}
		}
	}

	runCases(t, "okta.app.mfa", []ruleCase{
		{name: "two factors everywhere", mutate: ie(nil), want: audit.StatusPass,
			message: `requires two factors or denies access`, check: weakest("Catch-all Rule")},
		{name: "catch-all allows one factor", want: audit.StatusFail,
			mutate: func(tg *audit.Target) {
				fixture.IdentityEngine(t, tg)
				tg.PolicyRules = fixture.PolicyRules(t, "catch-all-one-factor.json")
			},
			message: `rule "Catch-all Rule" (the catch-all rule) allows access with one factor (ASSURANCE, factorMode 1FA)`,
			check:   weakest("Catch-all Rule")},
		{name: "group rule allows one factor", mutate: ie(admins(oneFactor)), want: audit.StatusFail,
			message: `rule "Druva administrators: phishing-resistant" for members of 1 group(s) allows access with one factor`,
			check:   weakest("Druva administrators: phishing-resistant")},
		{name: "two weak rules: both named, the first by priority weakest", want: audit.StatusFail,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				oneFactor(&rules[0])
				oneFactor(&rules[1])
				return rules
			}),
			message: `; also "Catch-all Rule" (the catch-all rule) allows access with one factor`,
			check:   weakest("Druva administrators: phishing-resistant")},
		{name: "catch-all denies", mutate: ie(catchAll(func(r *audit.PolicyRule) { r.Access, r.Verification = "DENY", nil })),
			want: audit.StatusPass},
		{name: "rule denying one factor is fine", mutate: ie(admins(func(r *audit.PolicyRule) { oneFactor(r); r.Access = "DENY" })),
			want: audit.StatusPass},
		{name: "chain without a second step", want: audit.StatusFail,
			mutate:  ie(admins(func(r *audit.PolicyRule) { r.Verification.Chains[0].Next = nil })),
			message: `chain 1 (okta_password/password) has no second step`},
		{name: "one of two chains without a second step", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification.Chains = append(r.Verification.Chains, audit.AuthChain{Methods: []string{"okta_verify/push"}})
			})),
			message: `chain 2 (okta_verify/push) has no second step`},
		{name: "chain whose second step names nothing", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) { r.Verification.Chains[0].Next[0].Methods = nil }))},
		{name: "inactive one-factor rule is ignored", want: audit.StatusPass,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				r := rules[0]
				r.ID, r.Name, r.Status, r.Priority = "rulOld", "Old one-factor rule", "INACTIVE", 0
				oneFactor(&r)
				return append([]audit.PolicyRule{r}, rules...)
			}),
			check: func(t *testing.T, r audit.Result) {
				if n := evidence(t, r, "inactive_rules_ignored"); n != 1 {
					t.Errorf("inactive_rules_ignored = %v", n)
				}
			}},
		{name: "catch-all listed first is still judged last", want: audit.StatusFail,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				oneFactor(&rules[0])
				oneFactor(&rules[1])
				return []audit.PolicyRule{rules[1], rules[0]}
			}),
			check: weakest("Druva administrators: phishing-resistant")},
		{name: "unknown verification method", want: audit.StatusError,
			mutate:  ie(admins(func(r *audit.PolicyRule) { r.Verification = &audit.Verification{Type: "ID_PROOFING"} })),
			message: `verification method "ID_PROOFING", which ssoaudit cannot judge`},
		{name: "allow without verification method", want: audit.StatusError,
			mutate: ie(admins(func(r *audit.PolicyRule) { r.Verification = nil }))},
		{name: "one factor wins over an unknown rule", want: audit.StatusFail,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				rules[0].Verification = nil
				oneFactor(&rules[1])
				return rules
			})},
		{name: "no active rule", want: audit.StatusError, message: "has no active rule",
			mutate: ie(func([]audit.PolicyRule) []audit.PolicyRule { return nil })},
		{name: "classic engine", want: audit.StatusSkip, message: "Classic Engine"},
		{name: "policy rules absent", mutate: func(tg *audit.Target) { ie(nil)(tg); missing(audit.InputPolicyRules)(tg) },
			want: audit.StatusSkip, message: "okta/policy-rules.json (the app's authentication policy rules) not available"},
		{name: "policy rules unreadable", mutate: func(tg *audit.Target) { ie(nil)(tg); failed(audit.InputPolicyRules)(tg) },
			want: audit.StatusError, message: "could not read okta/policy-rules.json"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
