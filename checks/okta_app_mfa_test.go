package checks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// parsedSessions parses the global session policies of one of
// testdata/mfa's scenarios.
func parsedSessions(tb testing.TB, scenario string) []audit.SessionPolicy {
	tb.Helper()
	f, err := os.Open(filepath.Join(fixture.MFADir(), scenario, "okta", "session-policies.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	ps, err := okta.ParseSessionPolicies(f)
	if err != nil {
		tb.Fatal(err)
	}
	return ps
}

// setSessions moves the target to an org of its own whose global session
// policies are ps.
func setSessions(tg *audit.Target, ps []audit.SessionPolicy) {
	tg.Org = audit.NewOrg("test")
	audit.SessionPolicies.Load(tg.Org, func() ([]audit.SessionPolicy, error) { return ps, nil })
}

// sessionsGap moves the target to an org of its own whose global session
// policies could not be loaded: err is audit.Absent, audit.Refused, or
// any other error (unreadable).
func sessionsGap(tg *audit.Target, err error) {
	tg.Org = audit.NewOrg("test")
	audit.SessionPolicies.Load(tg.Org, func() ([]audit.SessionPolicy, error) { return nil, err })
}

// TestAppMFAScenarios: each scenario of testdata/mfa, read from its
// snapshot, gets the verdict its expect.json names.
func TestAppMFAScenarios(t *testing.T) {
	rule, _ := Lookup("okta.app.mfa")
	for _, sc := range fixture.MFAScenarios(t) {
		t.Run(sc.Name, func(t *testing.T) {
			tg, err := okta.LoadSnapshot(sc.Dir)
			if err != nil {
				t.Fatal(err)
			}
			r := audit.Evaluate(rule, tg)
			if string(r.Status) != sc.Status || r.SkipKind != sc.SkipKind {
				t.Fatalf("%s (%s), want %s (%s): %s", r.Status, r.SkipKind, sc.Status, sc.SkipKind, r.Message)
			}
			for _, s := range sc.Says {
				if !strings.Contains(r.Message, s) {
					t.Errorf("message lacks %q: %s", s, r.Message)
				}
			}
		})
	}
}

func TestAppMFA(t *testing.T) {
	// ie moves the good snapshot to an Identity Engine org whose app policy
	// (testdata/policy/two-factors.json) requires two factor types and whose
	// global session policy does not require MFA, then applies the named
	// mutation to the app policy's rules.
	ie := func(mutate func(rules []audit.PolicyRule) []audit.PolicyRule) func(*audit.Target) {
		return func(tg *audit.Target) {
			fixture.IdentityEngine(t, tg)
			setSessions(tg, parsedSessions(t, "session-without-mfa"))
			if mutate != nil {
				tg.PolicyRules = mutate(tg.PolicyRules)
			}
		}
	}
	// weakCatchAll is ie with a password-only catch-all, and then the named
	// mutation of the session policies.
	weakCatchAll := func(session string, mutate func(ps []audit.SessionPolicy) []audit.SessionPolicy) func(*audit.Target) {
		return func(tg *audit.Target) {
			fixture.IdentityEngine(t, tg)
			tg.PolicyRules = fixture.PolicyRules(t, "catch-all-one-factor.json")
			ps := parsedSessions(t, session)
			if mutate != nil {
				ps = mutate(ps)
			}
			setSessions(tg, ps)
		}
	}
	defaultRule := func(f func(r *audit.SessionRule)) func([]audit.SessionPolicy) []audit.SessionPolicy {
		return func(ps []audit.SessionPolicy) []audit.SessionPolicy {
			rules := ps[0].Rules
			f(&rules[len(rules)-1])
			return ps
		}
	}
	catchAll := func(f func(r *audit.PolicyRule)) func([]audit.PolicyRule) []audit.PolicyRule {
		return func(rules []audit.PolicyRule) []audit.PolicyRule { f(&rules[1]); return rules }
	}
	admins := func(f func(r *audit.PolicyRule)) func([]audit.PolicyRule) []audit.PolicyRule {
		return func(rules []audit.PolicyRule) []audit.PolicyRule { f(&rules[0]); return rules }
	}
	oneFactor := func(r *audit.PolicyRule) { r.Verification = &audit.Verification{Type: "ASSURANCE", FactorMode: "1FA"} }
	chain := func(methods ...audit.AuthMethod) *audit.Verification {
		c := audit.AuthChain{Methods: methods[:1]}
		if len(methods) > 1 {
			c.Next = []audit.AuthChain{{Methods: methods[1:2]}}
		}
		return &audit.Verification{Type: "AUTH_METHOD_CHAIN", Chains: []audit.AuthChain{c}}
	}
	oneFactorWith := func(cs ...audit.Constraint) func(r *audit.PolicyRule) {
		return func(r *audit.PolicyRule) {
			r.Verification = &audit.Verification{Type: "ASSURANCE", FactorMode: "1FA", Constraints: cs}
		}
	}
	verified := audit.Constraint{Possession: &audit.ConstraintClass{UserVerification: "REQUIRED"}}
	no := false
	weakest := func(name string) func(*testing.T, audit.Result) {
		return func(t *testing.T, r audit.Result) {
			if got := evidence(t, r, "weakest_rule"); got != name {
				t.Errorf("weakest_rule = %v, want %q", got, name)
			}
		}
	}
	groupPolicy := func(ps []audit.SessionPolicy) []audit.SessionPolicy {
		// A policy for contractors, above the default one, without MFA.
		p := ps[0]
		p.ID, p.Name, p.System, p.Priority = "00pContractors", "Contractors", false, 0
		p.Conditions = []audit.Condition{{Key: "people", Detail: "members of 1 group"}}
		p.Rules = []audit.SessionRule{{ID: "0prC", Name: "Contractors: password", Status: "ACTIVE", Access: "ALLOW"}}
		return append([]audit.SessionPolicy{p}, ps...)
	}

	runCases(t, "okta.app.mfa", []ruleCase{
		{name: "two factor types everywhere", mutate: ie(nil), want: audit.StatusPass,
			message: `requires two factor types or denies access, the last being "Catch-all Rule" (the catch-all rule, for everyone), which requires two factor types`, check: weakest("Catch-all Rule")},
		{name: "catch-all allows one factor, session without MFA", want: audit.StatusFail, mutate: weakCatchAll("session-without-mfa", nil),
			message: `rule "Catch-all Rule" (the catch-all rule, for everyone) of authentication policy ` + fixture.PolicyID + ` allows access with any one factor`,
			check:   weakest("Catch-all Rule")},
		{name: "catch-all allows one factor, session requires MFA", want: audit.StatusPass, mutate: weakCatchAll("upgraded-org", nil),
			message: `every session needs MFA, which gives the second factor: global session policy "Default Policy", rule "Default Rule" requires a factor (requireFactor: true, factorPromptMode ALWAYS)`},
		{name: "RADIUS rule without MFA does not apply to SAML", want: audit.StatusPass, mutate: weakCatchAll("upgraded-org", nil),
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(evidenceString(r), "applies to RADIUS sign-ins only") {
					t.Errorf("evidence does not show the RADIUS rule ignored: %s", evidenceString(r))
				}
			}},
		{name: "the same RADIUS rule for every entry point lets people in", want: audit.StatusFail,
			mutate: weakCatchAll("upgraded-org", func(ps []audit.SessionPolicy) []audit.SessionPolicy {
				ps[0].Rules[0].AuthType, ps[0].Rules[0].Conditions = "", nil
				return ps
			}),
			message: `session rule "VPN (RADIUS): password only") lets in everyone with one factor`},
		{name: "session rule denying access starts no session", want: audit.StatusPass,
			mutate: weakCatchAll("session-without-mfa", func(ps []audit.SessionPolicy) []audit.SessionPolicy {
				deny := audit.SessionRule{ID: "0prD", Name: "Block outside", Status: "ACTIVE", Access: "DENY",
					Conditions: []audit.Condition{{Key: "network", Detail: "network zone"}}}
				ps[0].Rules = append([]audit.SessionRule{deny}, ps[0].Rules...)
				return defaultRule(func(r *audit.SessionRule) { yes := true; r.RequireFactor = &yes })(ps)
			})},
		{name: "session rule that challenges counts as MFA", want: audit.StatusPass,
			mutate:  weakCatchAll("session-without-mfa", defaultRule(func(r *audit.SessionRule) { r.Access = "CHALLENGE" })),
			message: "challenges for a factor (access CHALLENGE)"},
		{name: "session rule of unknown access", want: audit.StatusError,
			mutate:  weakCatchAll("session-without-mfa", defaultRule(func(r *audit.SessionRule) { r.Access = "MAYBE" })),
			message: `has access "MAYBE", which ssoaudit cannot judge`},
		{name: "a group's session policy without MFA above the default one", want: audit.StatusFail,
			mutate:  weakCatchAll("upgraded-org", groupPolicy),
			message: `global session policy "Contractors", rule "Contractors: password" lets a session start without MFA`},
		{name: "an inactive session policy without MFA is not evaluated", want: audit.StatusPass,
			mutate: weakCatchAll("upgraded-org", func(ps []audit.SessionPolicy) []audit.SessionPolicy {
				ps = groupPolicy(ps)
				ps[0].Status = "INACTIVE"
				return ps
			})},
		{name: "no active session policy", want: audit.StatusFail,
			mutate:  weakCatchAll("upgraded-org", func([]audit.SessionPolicy) []audit.SessionPolicy { return []audit.SessionPolicy{} }),
			message: "no active global session policy has a rule that applies to a SAML sign-in"},
		{name: "session policies unreadable", want: audit.StatusError,
			mutate: func(tg *audit.Target) {
				weakCatchAll("upgraded-org", nil)(tg)
				sessionsGap(tg, errors.New("malformed JSON at byte offset 12"))
			},
			message: "the global session policies could not be read"},
		{name: "session policies not in the snapshot", want: audit.StatusFail,
			mutate: func(tg *audit.Target) {
				weakCatchAll("upgraded-org", nil)(tg)
				sessionsGap(tg, audit.Absent("not in the snapshot"))
			},
			message: "A global session policy requiring MFA for every session would cover it, but the session policies are unknown (not in the snapshot): add okta/session-policies.json"},
		{name: "session policies refused live", want: audit.StatusSkip,
			mutate: func(tg *audit.Target) {
				weakCatchAll("upgraded-org", nil)(tg)
				tg.Source = "okta"
				sessionsGap(tg, audit.Refused("okta.policies.read", errors.New("HTTP 403")))
			},
			message: "okta.policies.read",
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent || r.Absent != audit.InputSessionPolicies {
					t.Errorf("skip kind %q, absent %q", r.SkipKind, r.Absent)
				}
			}},
		{name: "every app rule strong needs no session policy", want: audit.StatusPass,
			mutate: func(tg *audit.Target) { ie(nil)(tg); sessionsGap(tg, audit.Absent("not in the snapshot")) }},
		{name: "group rule allows one factor", mutate: ie(admins(oneFactor)), want: audit.StatusFail,
			message: `rule "Druva administrators: phishing-resistant" (for members of 1 group) of authentication policy`,
			check:   weakest("Druva administrators: phishing-resistant")},
		{name: "two weak rules: both named, the first by priority weakest", want: audit.StatusFail,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				oneFactor(&rules[0])
				oneFactor(&rules[1])
				return rules
			}),
			message: `; also "Catch-all Rule" (the catch-all rule, for everyone)`,
			check:   weakest("Druva administrators: phishing-resistant")},
		{name: "a weak rule below an unconditional one is never reached", want: audit.StatusPass,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				rules[0].Conditions = nil
				oneFactor(&rules[1])
				return rules
			}),
			message: "1 rule(s) below it are never reached",
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(evidenceString(r), "unreachable_rules") {
					t.Errorf("evidence does not list the unreachable rule: %s", evidenceString(r))
				}
			}},
		{name: "an unknown condition key keeps the rules below reachable", want: audit.StatusFail,
			mutate: ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
				rules[0].Conditions = []audit.Condition{{Key: "futureSignal", Detail: `a condition "futureSignal" that ssoaudit does not know`}}
				oneFactor(&rules[1])
				return rules
			}),
			check: weakest("Catch-all Rule")},
		{name: "catch-all denies", mutate: ie(catchAll(func(r *audit.PolicyRule) { r.Access, r.Verification = "DENY", nil })),
			want: audit.StatusPass},
		{name: "rule denying one factor is fine", mutate: ie(admins(func(r *audit.PolicyRule) { oneFactor(r); r.Access = "DENY" })),
			want: audit.StatusPass},
		{name: "1FA with user verification on a possession authenticator in every constraint", want: audit.StatusPass,
			mutate:  ie(catchAll(oneFactorWith(verified, verified))),
			message: "which Okta counts as two factor types: possession and inherence"},
		{name: "1FA with one constraint of two verifying the user", want: audit.StatusFail,
			mutate:  ie(catchAll(oneFactorWith(verified, audit.Constraint{Possession: &audit.ConstraintClass{UserVerification: "OPTIONAL"}}))),
			message: "constraint 2 does not require user verification on its possession authenticator"},
		{name: "1FA whose verifying possession authenticator is not required", want: audit.StatusFail,
			mutate:  ie(catchAll(oneFactorWith(audit.Constraint{Possession: &audit.ConstraintClass{UserVerification: "REQUIRED", Required: &no}}))),
			message: "constraint 1's possession authenticator is not required"},
		{name: "1FA with a knowledge constraint only", want: audit.StatusFail,
			mutate:  ie(catchAll(oneFactorWith(audit.Constraint{Knowledge: &audit.ConstraintClass{}}))),
			message: "constraint 1 asks for a knowledge factor (any) alone"},
		{name: "chain without a second step", want: audit.StatusFail,
			mutate:  ie(admins(func(r *audit.PolicyRule) { r.Verification.Chains[0].Next = nil })),
			message: `chain 1 (okta_password/password), which gives knowledge only`},
		{name: "chain of password then security question is one factor type twice", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification = chain(audit.AuthMethod{Key: "okta_password", Method: "password"}, audit.AuthMethod{Key: "security_question", Method: "security_question"})
			})),
			message: "(okta_password/password then security_question/security_question), which gives knowledge only"},
		{name: "one step of WebAuthn with user verification is two factor types", want: audit.StatusPass,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification = chain(audit.AuthMethod{Key: "webauthn", Method: "webauthn", UserVerification: "REQUIRED"})
			}))},
		{name: "Okta Verify's TOTP never verifies the user", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification = chain(audit.AuthMethod{Key: "okta_verify", Method: "totp", UserVerification: "REQUIRED"})
			})),
			message: "(okta_verify/totp), which gives possession only"},
		{name: "one of two chains without a second step", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification.Chains = append(r.Verification.Chains, audit.AuthChain{Methods: []audit.AuthMethod{{Key: "okta_verify", Method: "push"}}})
			})),
			message: `chain 2 (okta_verify/push), which gives possession only`},
		{name: "chain whose second step names nothing", want: audit.StatusFail,
			mutate: ie(admins(func(r *audit.PolicyRule) { r.Verification.Chains[0].Next[0].Methods = nil }))},
		{name: "an authenticator key the table does not know", want: audit.StatusError,
			mutate: ie(admins(func(r *audit.PolicyRule) {
				r.Verification.Chains[0].Next[0].Methods = []audit.AuthMethod{{Key: "future_key", Method: "beam"}}
			})),
			message: `names authenticator key "future_key": ssoaudit's table of factor types does not know it`},
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
		{name: "an unknown rule is not covered by session MFA", want: audit.StatusError,
			mutate: func(tg *audit.Target) {
				ie(func(rules []audit.PolicyRule) []audit.PolicyRule {
					rules[0].Verification = nil
					oneFactor(&rules[1])
					return rules
				})(tg)
				setSessions(tg, parsedSessions(t, "upgraded-org"))
			},
			message: "allows access with no verificationMethod"},
		{name: "no active rule", want: audit.StatusError, message: "has no active rule",
			mutate: ie(func([]audit.PolicyRule) []audit.PolicyRule { return nil })},
		{name: "classic engine without the session policies", want: audit.StatusSkip, message: "Classic Engine",
			mutate: func(tg *audit.Target) { sessionsGap(tg, audit.Absent("not in the snapshot")) },
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent || r.Absent != audit.InputSessionPolicies {
					t.Errorf("skip kind %q, absent %q", r.SkipKind, r.Absent)
				}
			}},
		{name: "classic engine, MFA for every session", want: audit.StatusPass,
			mutate:  func(tg *audit.Target) { setSessions(tg, parsedSessions(t, "upgraded-org")) },
			message: "a Classic Engine org whose Okta sign-on policy requires MFA for every session"},
		{name: "classic engine, sessions without MFA", want: audit.StatusSkip,
			mutate:  func(tg *audit.Target) { setSessions(tg, parsedSessions(t, "session-without-mfa")) },
			message: "verify it there",
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipNotExposed {
					t.Errorf("skip kind %q", r.SkipKind)
				}
			}},
		{name: "classic engine, session policies unreadable", want: audit.StatusError,
			mutate: func(tg *audit.Target) { sessionsGap(tg, errors.New("malformed JSON at byte offset 12")) }},
		{name: "the good snapshot: classic engine, MFA for every session", want: audit.StatusPass,
			message: `global session policy "Default Policy", rule "Default Rule" requires a factor`},
		{name: "policy rules absent", mutate: func(tg *audit.Target) { ie(nil)(tg); missing(audit.InputPolicyRules)(tg) },
			want: audit.StatusSkip, message: "okta/policy-rules.json (the app's authentication policy rules) not available"},
		{name: "policy rules unreadable", mutate: func(tg *audit.Target) { ie(nil)(tg); failed(audit.InputPolicyRules)(tg) },
			want: audit.StatusError, message: "could not read okta/policy-rules.json"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
