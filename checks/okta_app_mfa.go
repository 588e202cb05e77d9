package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "okta.app.mfa",
		Title:    "Signing in to the Druva app takes two factors",
		Severity: audit.High,
		Rationale: "The Druva console holds every laptop's backup, and once single sign-on is on, Druva leaves authentication to Okta: " +
			"Druva's own multi-factor authentication then covers only the failsafe administrators. Whether a password alone opens Druva " +
			"is decided by the app's authentication policy in Okta — every active rule that allows access, the catch-all rule included. " +
			"This goes beyond Druva's guide, which does not mention MFA.",
		Remediation: "1. Okta admin console: Applications > Applications > (the Druva app) > Sign On > User authentication: note the authentication policy " +
			"(or Security > Authentication Policies > that policy).\n" +
			"2. For each rule that allows access with one factor (the failing rule is named above), Edit > \"User must authenticate with\": " +
			"\"Any 2 factor types\" (or \"Password + Another factor\"); for an authentication method chain, add a second step to every chain. " +
			"Or set \"Access is\" to Denied for that rule.\n" +
			"3. Check the catch-all rule too: it applies to everyone no other rule matched.\n" +
			"4. Save, and take a new snapshot (okta/policy-rules.json) or scan live.",
		Reference: "Okta, Authentication policies (Identity Engine): rule actions appSignOn.verificationMethod — ASSURANCE factorMode 1FA/2FA, " +
			"AUTH_METHOD_CHAIN chains and next steps; Druva: once SSO is enabled, Druva's MFA applies to failsafe administrators only",
		Location:  audit.Location{Input: audit.InputApp, Key: "_links.accessPolicy"},
		Needs:     []audit.Input{audit.InputApp, audit.InputPolicyRules},
		Terraform: "set authentication_policy to a policy whose okta_app_signon_policy_rule resources use factor_mode = \"2FA\" (or access = \"DENY\"), the catch-all rule included",
		Check:     checkAppMFA,
	})
}

// ruleVerdict is how strongly one policy rule makes people sign in.
type ruleVerdict int

const (
	verdictStrong  ruleVerdict = iota // denies, or two factors
	verdictUnknown                    // cannot tell: fail closed to error
	verdictWeak                       // lets people in with one factor
)

// judgePolicyRule decides one active rule and says why in words.
func judgePolicyRule(r audit.PolicyRule) (ruleVerdict, string) {
	switch r.Access {
	case "DENY":
		return verdictStrong, "denies access"
	case "ALLOW":
	case "":
		return verdictUnknown, "has no actions.appSignOn.access"
	default:
		return verdictUnknown, fmt.Sprintf("has access %q, neither ALLOW nor DENY", r.Access)
	}
	vm := r.Verification
	if vm == nil {
		return verdictUnknown, "allows access with no verificationMethod"
	}
	switch vm.Type {
	case "ASSURANCE", "":
		switch vm.FactorMode {
		case "2FA":
			return verdictStrong, "requires two factors (ASSURANCE, factorMode 2FA)"
		case "1FA":
			return verdictWeak, "allows access with one factor (ASSURANCE, factorMode 1FA)"
		case "":
			return verdictUnknown, "allows access with no factorMode"
		}
		return verdictUnknown, fmt.Sprintf("allows access with factorMode %q", vm.FactorMode)
	case "AUTH_METHOD_CHAIN":
		if len(vm.Chains) == 0 {
			return verdictUnknown, "is an authentication method chain with no chains"
		}
		for i, c := range vm.Chains {
			if !hasSecondStep(c) {
				return verdictWeak, fmt.Sprintf("allows access with one step: chain %d (%s) has no second step", i+1, chainMethods(c))
			}
		}
		return verdictStrong, "requires a second step in every authentication method chain"
	}
	return verdictUnknown, fmt.Sprintf("allows access with verification method %q, which ssoaudit cannot judge", vm.Type)
}

// hasSecondStep reports whether every way through a chain takes at least
// two steps, each naming at least one authenticator.
func hasSecondStep(c audit.AuthChain) bool {
	if len(c.Methods) == 0 || len(c.Next) == 0 {
		return false
	}
	for _, n := range c.Next {
		if len(n.Methods) == 0 {
			return false
		}
	}
	return true
}

func chainMethods(c audit.AuthChain) string {
	if len(c.Methods) == 0 {
		return "no authenticator"
	}
	return strings.Join(c.Methods, " or ")
}

// ruleLabel names a rule for messages: its name, and "the catch-all rule"
// for the policy's system rule.
func ruleLabel(r audit.PolicyRule) string {
	s := fmt.Sprintf("%q", r.Name)
	if r.System {
		s += " (the catch-all rule)"
	}
	if r.Conditions != "" {
		s += " for " + r.Conditions
	}
	return s
}

func checkAppMFA(t *audit.Target) audit.Result {
	policy := t.App.AccessPolicyID()
	if policy == "" {
		return audit.Skip("no authentication policy (no _links.accessPolicy): a Classic Engine org, whose sign-on policy "+
			"(not read) decides MFA", audit.Evidence{}.Add("engine", "classic"))
	}
	rules := slices.Clone(t.PolicyRules)
	slices.SortStableFunc(rules, func(a, b audit.PolicyRule) int {
		// Okta keeps the catch-all rule last whatever its number says.
		if a.System != b.System {
			if a.System {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Priority, b.Priority)
	})
	var judged []any
	var weak, unknown []string
	var firstWeak, firstUnknown *audit.PolicyRule
	inactive := 0
	for i, r := range rules {
		if r.Status != "ACTIVE" {
			inactive++
			continue
		}
		v, why := judgePolicyRule(r)
		judged = append(judged, audit.Evidence{}.Add("rule", r.Name).Add("id", r.ID).Add("priority", r.Priority).
			Add("catch_all", r.System).Add("verdict", why))
		switch v {
		case verdictWeak:
			weak = append(weak, ruleLabel(r)+" "+why)
			if firstWeak == nil {
				firstWeak = &rules[i]
			}
		case verdictUnknown:
			unknown = append(unknown, ruleLabel(r)+" "+why)
			if firstUnknown == nil {
				firstUnknown = &rules[i]
			}
		}
	}
	ev := audit.Evidence{}.Add("policy", policy).Add("rules", judged)
	if inactive > 0 {
		ev = ev.Add("inactive_rules_ignored", inactive)
	}
	switch {
	case len(judged) == 0:
		return audit.Error(fmt.Sprintf("authentication policy %s has no active rule (Okta always keeps an active catch-all rule): the rules read are not the whole policy", policy), ev)
	case firstWeak != nil:
		ev = ev.Add("weakest_rule", firstWeak.Name)
		msg := fmt.Sprintf("authentication policy %s lets people sign in to Druva with a single factor: rule %s", policy, weak[0])
		if len(weak) > 1 {
			msg += fmt.Sprintf("; also %s", strings.Join(weak[1:], "; "))
		}
		return audit.Fail(msg+". A stolen password then opens every laptop's backup", ev)
	case firstUnknown != nil:
		return audit.Error(fmt.Sprintf("authentication policy %s: rule %s, so whether it lets people in with one factor cannot be verified", policy, unknown[0]), ev)
	}
	var last audit.PolicyRule
	for _, r := range rules {
		if r.Status == "ACTIVE" {
			last = r
		}
	}
	return audit.Pass(fmt.Sprintf("every active rule of authentication policy %s requires two factors or denies access, the last one applied being %s",
		policy, ruleLabel(last)), ev.Add("weakest_rule", last.Name))
}
