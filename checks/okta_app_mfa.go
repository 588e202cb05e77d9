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
		Reference: "Okta, Policy API: authentication policy rules (appSignOn.verificationMethod: ASSURANCE factorMode and constraints, AUTH_METHOD_CHAIN) " +
			"and global session policy rules (signon.requireFactor), https://developer.okta.com/docs/reference/api/policy/, and its table of factor types per authenticator key, " +
			"https://developer.okta.com/docs/reference/api/policy/#authenticator-key-type-method-and-characteristic-relationships-for-constraints; " +
			"Okta, \"Multifactor authentication\" (factor types per authenticator), https://help.okta.com/oie/en-us/content/topics/identity-engine/authenticators/about-authenticators.htm; " +
			"Okta, \"Okta sign-on policies\" after the upgrade to Identity Engine (MFA stays Required in the global session policy), " +
			"https://help.okta.com/oie/en-us/content/topics/identity-engine-upgrade/okta-sign-on-policy-changes.htm; " +
			"Druva: once SSO is enabled, Druva's MFA applies to failsafe administrators only",
		Location: audit.Location{Input: audit.InputApp, Key: "_links.accessPolicy"},
		Needs:    []audit.Input{audit.InputApp, audit.InputPolicyRules},
		// The session policies are read, not needed: a weak app rule is
		// judged without them, saying what they would change.
		Requires:  []audit.FactType{audit.SessionPolicies},
		Terraform: "set authentication_policy to a policy whose okta_app_signon_policy_rule resources use factor_mode = \"2FA\" (or access = \"DENY\"), the catch-all rule included",
		Check:     checkAppMFA,
	})
}

// strength is how strongly one app policy rule makes people sign in.
type strength int

const (
	strong  strength = iota // denies, or two factor types
	unknown                 // cannot tell: fail closed to error
	weak                    // lets people in with one factor type
)

// judgedRule is one reachable app rule and the verdict on it.
type judgedRule struct {
	rule     audit.PolicyRule
	strength strength
	why      string
}

// judgePolicyRule decides one reachable active rule and says why in words.
func judgePolicyRule(r audit.PolicyRule) (strength, string) {
	switch r.Access {
	case "DENY":
		return strong, "denies access"
	case "ALLOW":
	case "":
		return unknown, "has no actions.appSignOn.access"
	default:
		return unknown, fmt.Sprintf("has access %q, neither ALLOW nor DENY", r.Access)
	}
	vm := r.Verification
	if vm == nil {
		return unknown, "allows access with no verificationMethod"
	}
	switch vm.Type {
	case "ASSURANCE", "":
		return judgeAssurance(vm)
	case "AUTH_METHOD_CHAIN":
		return judgeChains(vm.Chains)
	}
	return unknown, fmt.Sprintf("allows access with verification method %q, which ssoaudit cannot judge", vm.Type)
}

// judgeAssurance: 2FA is two factor types; 1FA is one, unless every
// constraint — they are alternatives, and a sign-in satisfies any one —
// asks for a possession authenticator with user verification, which Okta
// counts as possession and inherence.
func judgeAssurance(vm *audit.Verification) (strength, string) {
	switch vm.FactorMode {
	case "2FA":
		return strong, "requires two factor types (ASSURANCE, factorMode 2FA)"
	case "1FA":
	case "":
		return unknown, "allows access with no factorMode"
	default:
		return unknown, fmt.Sprintf("allows access with factorMode %q", vm.FactorMode)
	}
	if len(vm.Constraints) == 0 {
		return weak, "allows access with any one factor (ASSURANCE, factorMode 1FA, no constraints)"
	}
	for i, c := range vm.Constraints {
		p := c.Possession
		switch {
		case p == nil && c.Knowledge != nil:
			what := "any"
			if len(c.Knowledge.Types) > 0 {
				what = strings.ToLower(strings.Join(c.Knowledge.Types, " or "))
			}
			return weak, fmt.Sprintf("allows access with one factor (ASSURANCE, factorMode 1FA): constraint %d asks for a knowledge factor (%s) alone", i+1, what)
		case p == nil:
			return weak, fmt.Sprintf("allows access with one factor (ASSURANCE, factorMode 1FA): constraint %d asks for no possession authenticator", i+1)
		case p.Required != nil && !*p.Required:
			return weak, fmt.Sprintf("allows access with one factor (ASSURANCE, factorMode 1FA): constraint %d's possession authenticator is not required", i+1)
		case !strings.EqualFold(p.UserVerification, "REQUIRED"):
			return weak, fmt.Sprintf("allows access with one factor (ASSURANCE, factorMode 1FA): constraint %d does not require user verification on its possession authenticator", i+1)
		}
	}
	return strong, "allows one authenticator (ASSURANCE, factorMode 1FA), but every constraint asks for a possession authenticator with userVerification REQUIRED " +
		"(biometrics or a PIN), which Okta counts as two factor types: possession and inherence"
}

// judgeChains: every chain must give two factor types whichever of its
// authenticators a person picks at each step.
func judgeChains(chains []audit.AuthChain) (strength, string) {
	if len(chains) == 0 {
		return unknown, "is an authentication method chain with no chains"
	}
	for i, c := range chains {
		ways, bad := chainWays(c)
		if bad != "" {
			return unknown, fmt.Sprintf("allows access through chain %d, which names authenticator key %q: ssoaudit's table of factor types does not know it", i+1, bad)
		}
		least := factorType(0)
		first := true
		for f := range ways {
			if first || f.count() < least.count() || f.count() == least.count() && f < least {
				least, first = f, false
			}
		}
		if least.count() < 2 {
			return weak, fmt.Sprintf("allows access through chain %d (%s), which gives %s only", i+1, strings.Join(ways[least], " then "), least)
		}
	}
	return strong, "requires two factor types in every authentication method chain"
}

// chainWays maps each set of factor types some way through a chain gives to
// one such way (its methods in order); bad is the first authenticator key
// the table does not hold. A set has at most eight values, so this stays
// small however many alternatives a chain lists.
func chainWays(c audit.AuthChain) (ways map[factorType][]string, bad string) {
	rest := map[factorType][]string{0: nil}
	if len(c.Next) > 0 {
		rest = map[factorType][]string{}
		for _, n := range c.Next {
			sub, b := chainWays(n)
			if b != "" {
				return nil, b
			}
			for f, w := range sub {
				if _, ok := rest[f]; !ok {
					rest[f] = w
				}
			}
		}
	}
	steps := c.Methods
	if len(steps) == 0 {
		// A step that names no authenticator gives no factor.
		steps = []audit.AuthMethod{{Key: "(no authenticator)"}}
	}
	ways = map[factorType][]string{}
	for _, m := range steps {
		f, ok := factorsOf(m)
		if !ok && m.Key != "(no authenticator)" {
			return nil, m.Key
		}
		for g, w := range rest {
			if _, seen := ways[f|g]; !seen {
				ways[f|g] = append([]string{m.String()}, w...)
			}
		}
	}
	return ways, ""
}

// ruleOrder sorts policy rules as Okta evaluates them: by priority, with
// the catch-all (system) rule last whatever its number says.
func ruleOrder(aSystem, bSystem bool, a, b int) int {
	if aSystem != bSystem {
		if aSystem {
			return 1
		}
		return -1
	}
	return cmp.Compare(a, b)
}

// walkAppRules judges the app's active rules in Okta's order until the
// first unconditional one: Okta applies the first rule that matches, so
// rules below an unconditional rule are never reached.
func walkAppRules(rules []audit.PolicyRule) (judged []judgedRule, unreachable []audit.PolicyRule, inactive int) {
	rules = slices.Clone(rules)
	slices.SortStableFunc(rules, func(a, b audit.PolicyRule) int { return ruleOrder(a.System, b.System, a.Priority, b.Priority) })
	ended := false
	for _, r := range rules {
		switch {
		case r.Status != "ACTIVE":
			inactive++
		case ended:
			unreachable = append(unreachable, r)
		default:
			s, why := judgePolicyRule(r)
			judged = append(judged, judgedRule{rule: r, strength: s, why: why})
			ended = r.Unconditional()
		}
	}
	return judged, unreachable, inactive
}

// who words whom a rule's conditions let through: "everyone" when none.
func who(conds []audit.Condition) string {
	if len(conds) == 0 {
		return "everyone"
	}
	parts := make([]string, 0, len(conds))
	for _, c := range conds {
		parts = append(parts, c.Detail)
	}
	return strings.Join(parts, "; ")
}

// appRuleLabel names an app policy rule for messages.
func appRuleLabel(r audit.PolicyRule) string {
	if r.System {
		return fmt.Sprintf("%q (the catch-all rule, for %s)", r.Name, who(r.Conditions))
	}
	return fmt.Sprintf("%q (for %s)", r.Name, who(r.Conditions))
}

func checkAppMFA(t *audit.Target) audit.Result {
	policy := t.App.AccessPolicyID()
	if policy == "" {
		return classicEngineMFA(t)
	}
	judged, unreachable, inactive := walkAppRules(t.PolicyRules)
	var evRules []any
	var weakRules, unknownRules []judgedRule
	for _, j := range judged {
		evRules = append(evRules, audit.Evidence{}.Add("rule", j.rule.Name).Add("id", j.rule.ID).Add("priority", j.rule.Priority).
			Add("catch_all", j.rule.System).Add("applies_to", who(j.rule.Conditions)).Add("verdict", j.why))
		switch j.strength {
		case weak:
			weakRules = append(weakRules, j)
		case unknown:
			unknownRules = append(unknownRules, j)
		}
	}
	ev := audit.Evidence{}.Add("policy", policy).Add("rules", evRules)
	if len(unreachable) > 0 {
		var names []string
		for _, r := range unreachable {
			names = append(names, r.Name)
		}
		ev = ev.Add("unreachable_rules", names)
	}
	if inactive > 0 {
		ev = ev.Add("inactive_rules_ignored", inactive)
	}
	if len(judged) == 0 {
		return audit.Error(fmt.Sprintf("authentication policy %s has no active rule (Okta always keeps an active catch-all rule): the rules read are not the whole policy", policy), ev)
	}
	unknownErr := func() audit.Result {
		u := unknownRules[0]
		return audit.Error(fmt.Sprintf("authentication policy %s: rule %s %s, so whether it lets people in with one factor cannot be verified",
			policy, appRuleLabel(u.rule), u.why), ev)
	}
	if len(weakRules) == 0 {
		if len(unknownRules) > 0 {
			return unknownErr()
		}
		last := judged[len(judged)-1]
		msg := fmt.Sprintf("every rule of authentication policy %s that a sign-in can reach requires two factor types or denies access, the last being %s, which %s",
			policy, appRuleLabel(last.rule), last.why)
		if len(unreachable) > 0 {
			msg += fmt.Sprintf("; %d rule(s) below it are never reached", len(unreachable))
		}
		return audit.Pass(msg, ev.Add("weakest_rule", last.rule.Name))
	}

	w := weakRules[0]
	ev = ev.Add("weakest_rule", w.rule.Name)
	appPart := fmt.Sprintf("rule %s of authentication policy %s %s", appRuleLabel(w.rule), policy, w.why)
	if len(weakRules) > 1 {
		var also []string
		for _, o := range weakRules[1:] {
			also = append(also, appRuleLabel(o.rule))
		}
		appPart += "; also " + strings.Join(also, ", ")
	}

	sessions, g, absent := sessionPolicies(t)
	if absent {
		switch {
		case g.Failed:
			return audit.Error(fmt.Sprintf("%s, and the global session policies could not be read (%s), so whether every session requires MFA cannot be verified",
				appPart, g.Reason), ev.Add("input", string(audit.InputSessionPolicies)))
		case t.Source == audit.SourceOkta:
			return audit.SkipAbsent(audit.InputSessionPolicies, fmt.Sprintf("%s; whether the global session policy requires MFA for every session could not be read: %s",
				appPart, g.Reason), ev.Add("input", string(audit.InputSessionPolicies)))
		}
		return audit.Fail(fmt.Sprintf("%s. A global session policy requiring MFA for every session would cover it, but the session policies are unknown (%s): %s",
			appPart, g.Reason, addSessionPolicies), ev.Add("session_policies", "unknown"))
	}

	s := walkSessionPolicies(sessions)
	ev = ev.Add("session_policies", s.evidence())
	switch {
	case s.open != nil:
		return audit.Fail(fmt.Sprintf("%s, and global session policy %s lets a session start without MFA: the weakest path (app rule %q, then session rule %q) "+
			"lets in %s with one factor. One stolen factor (a password, a phone) then opens every laptop's backup",
			appPart, s.open.label(), w.rule.Name, s.open.rule.Name, bothWho(w.rule.Conditions, s.open)), ev)
	case s.unknown != nil:
		return audit.Error(fmt.Sprintf("%s, and global session policy %s %s, so whether every session requires MFA cannot be verified",
			appPart, s.unknown.label(), s.unknown.why), ev)
	case len(s.mfa) == 0:
		return audit.Fail(fmt.Sprintf("%s, and no active global session policy has a rule that applies to a SAML sign-in, so nothing is known to ask for a second factor. "+
			"One stolen factor (a password, a phone) then opens every laptop's backup", appPart), ev)
	case len(unknownRules) > 0:
		return unknownErr()
	}
	return audit.Pass(fmt.Sprintf("%s, but every session needs MFA, which gives the second factor: %s (Okta's \"MFA Required\" counts whichever factor the org enrols, "+
		"not two factor types)", appPart, s.mfaList()), ev)
}

// classicEngineMFA judges a Classic Engine org (no authentication policy):
// its global session (Okta sign-on) policy alone is visible; the app's own
// sign-on policy is not exposed by the API.
func classicEngineMFA(t *audit.Target) audit.Result {
	ev := audit.Evidence{}.Add("engine", "classic")
	const appRule = "the app's sign-on policy (Applications > (the Druva app) > Sign On > Sign On Policy: each rule's \"Prompt for factor\"), which Okta's API does not expose"
	sessions, g, absent := sessionPolicies(t)
	if absent {
		ev = ev.Add("input", string(audit.InputSessionPolicies))
		if g.Failed {
			return audit.Error(fmt.Sprintf("no authentication policy (a Classic Engine org), and the Okta sign-on policies could not be read: %s", g.Reason), ev)
		}
		return audit.SkipAbsent(audit.InputSessionPolicies, fmt.Sprintf("no authentication policy (a Classic Engine org): MFA is decided by the Okta sign-on policy, "+
			"which is not available (%s), and by %s. %s", g.Reason, appRule, howToAddSessionPolicies(t.Source)), ev)
	}
	s := walkSessionPolicies(sessions)
	ev = ev.Add("session_policies", s.evidence())
	switch {
	case s.open == nil && s.unknown == nil && len(s.mfa) > 0:
		return audit.Pass(fmt.Sprintf("a Classic Engine org whose Okta sign-on policy requires MFA for every session: %s", s.mfaList()), ev)
	case s.unknown != nil && s.open == nil:
		return audit.Error(fmt.Sprintf("a Classic Engine org: Okta sign-on policy %s %s, so whether every session requires MFA cannot be verified", s.unknown.label(), s.unknown.why), ev)
	}
	why := "no active Okta sign-on policy rule applies to a SAML sign-in"
	if s.open != nil {
		why = fmt.Sprintf("Okta sign-on policy %s lets %s start a session without MFA", s.open.label(), s.open.who())
	}
	r := audit.SkipHidden(fmt.Sprintf("a Classic Engine org: %s, so MFA for Druva rests on %s: verify it there", why, appRule), ev)
	return r
}

// sessionPolicies is the org's global session policies, or why they are
// not available.
func sessionPolicies(t *audit.Target) ([]audit.SessionPolicy, audit.Gap, bool) {
	if ps, ok := audit.SessionPolicies.Of(t); ok {
		return ps, audit.Gap{}, false
	}
	if g, ok := t.Gap(audit.InputSessionPolicies); ok {
		return nil, g, true
	}
	return nil, audit.Gap{Reason: "not read"}, true
}

// howToAddSessionPolicies says how to supply the org's global session
// policies to a run reading the given source.
func howToAddSessionPolicies(source audit.Source) string {
	if source == audit.SourceOkta {
		return "Grant the credential okta.policies.read (a service app's scope, or a role that includes it) to read them"
	}
	return strings.ToUpper(addSessionPolicies[:1]) + addSessionPolicies[1:]
}

// addSessionPolicies says how to supply the org's global session policies.
const addSessionPolicies = "add okta/session-policies.json to the snapshot (every page of GET /api/v1/policies?type=OKTA_SIGN_ON, " +
	"each policy with every page of GET /api/v1/policies/{id}/rules under its _embedded.rules; `ssoaudit snapshot` writes it), or scan live"

// bothWho words whom a path through an app rule and a session rule lets in.
func bothWho(app []audit.Condition, s *sessionStep) string {
	a, b := who(app), s.who()
	switch {
	case a == "everyone":
		return b
	case b == "everyone" || a == b:
		return a
	}
	return a + ", and " + b
}
