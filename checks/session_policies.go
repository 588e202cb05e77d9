package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// sessionStep is one reachable rule of a global session policy.
type sessionStep struct {
	policy audit.SessionPolicy
	rule   audit.SessionRule
	why    string
}

func (s *sessionStep) label() string {
	return fmt.Sprintf("%q, rule %q", s.policy.Name, s.rule.Name)
}

// who words whom the policy and its rule apply to. The Default Policy
// (system) applies to everyone whatever group it names (Okta: "All orgs
// have a default Global Session Policy that applies to all users").
func (s *sessionStep) who() string {
	if s.policy.System {
		return who(s.rule.Conditions)
	}
	return who(append(slices.Clone(s.policy.Conditions), s.rule.Conditions...))
}

// sessionWalk is what the org's global session policies say about MFA for
// a SAML sign-in.
type sessionWalk struct {
	mfa      []sessionStep // reachable rules that require a factor
	deny     []sessionStep // reachable rules that deny a session
	ignored  []sessionStep // rules for other entry points (RADIUS, LDAP interface)
	open     *sessionStep  // the first reachable rule that allows a session without MFA
	unknown  *sessionStep  // the first reachable rule ssoaudit cannot judge
	inactive int           // inactive policies and rules, not evaluated by Okta
	policies int           // active policies walked
}

// walkSessionPolicies judges every active global session policy's rules as
// Okta evaluates them: in priority order, each policy's walk ending at its
// first unconditional rule. Every policy is walked, whoever it is assigned
// to: a person can fall under any of them. Okta's "MFA Required"
// (requireFactor, or a CHALLENGE rule) counts as MFA whatever factor the
// org enrols, a deliberate exception to counting factor types; DENY starts
// no session; rules for RADIUS or the LDAP interface do not apply to a SAML
// sign-in through the browser.
func walkSessionPolicies(policies []audit.SessionPolicy) sessionWalk {
	var w sessionWalk
	policies = slices.Clone(policies)
	slices.SortStableFunc(policies, func(a, b audit.SessionPolicy) int { return ruleOrder(a.System, b.System, a.Priority, b.Priority) })
	for _, p := range policies {
		if p.Status != "ACTIVE" {
			w.inactive++
			continue
		}
		w.policies++
		rules := slices.Clone(p.Rules)
		slices.SortStableFunc(rules, func(a, b audit.SessionRule) int { return ruleOrder(a.System, b.System, a.Priority, b.Priority) })
		for _, r := range rules {
			if r.Status != "ACTIVE" {
				w.inactive++
				continue
			}
			st := sessionStep{policy: p, rule: r}
			if r.AuthType == "RADIUS" || r.AuthType == "LDAP_INTERFACE" {
				st.why = "applies to " + r.AuthType + " sign-ins only, not to a SAML sign-in"
				w.ignored = append(w.ignored, st)
				continue
			}
			switch {
			case r.Access == "DENY":
				st.why = "denies a session"
				w.deny = append(w.deny, st)
			case r.Access == "CHALLENGE":
				st.why = "challenges for a factor (access CHALLENGE)"
				w.mfa = append(w.mfa, st)
			case r.Access == "ALLOW" && r.RequireFactor != nil && *r.RequireFactor:
				st.why = "requires a factor (requireFactor: true"
				if r.FactorPromptMode != "" {
					st.why += ", factorPromptMode " + r.FactorPromptMode
				}
				st.why += ")"
				w.mfa = append(w.mfa, st)
			case r.Access == "ALLOW":
				st.why = "allows a session without MFA (requireFactor not true)"
				if w.open == nil {
					w.open = &st
				}
			default:
				st.why = fmt.Sprintf("has access %q, which ssoaudit cannot judge", r.Access)
				if w.unknown == nil {
					w.unknown = &st
				}
			}
			if r.Unconditional() {
				break
			}
		}
	}
	return w
}

// mfaList names the rules that require MFA, a few of them.
func (w sessionWalk) mfaList() string {
	var parts []string
	for i, s := range w.mfa {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(w.mfa)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("global session policy %s %s", s.label(), s.why))
	}
	return strings.Join(parts, "; ")
}

func (w sessionWalk) evidence() []any {
	var out []any
	add := func(s sessionStep, verdict string) {
		out = append(out, audit.Evidence{}.Add("policy", s.policy.Name).Add("policy_id", s.policy.ID).Add("rule", s.rule.Name).
			Add("rule_id", s.rule.ID).Add("applies_to", s.who()).Add("verdict", verdict+": "+s.why))
	}
	for _, s := range w.mfa {
		add(s, "mfa")
	}
	for _, s := range w.deny {
		add(s, "no session")
	}
	if w.open != nil {
		add(*w.open, "no mfa")
	}
	if w.unknown != nil {
		add(*w.unknown, "unknown")
	}
	for _, s := range w.ignored {
		add(s, "not applicable")
	}
	return out
}
