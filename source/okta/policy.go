// Reading Okta policies: an app's authentication policy rules (Identity
// Engine) and the org's global session policies with their rules.
//
// Shapes: Okta's management API reference (the Policy API: AccessPolicyRule,
// OktaSignOnPolicy, OktaSignOnPolicyRule and their conditions), checked
// against okta/terraform-provider-okta's recorded API responses. The SDK v2
// models lack primaryFactor, userVerification and required, so the raw JSON
// is decoded here.

package okta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// policyRulesPath is the list of a policy's rules. Okta pages it (Link
// rel="next"); every page is read.
func policyRulesPath(policyID string) string { return "/api/v1/policies/" + policyID + "/rules" }

// sessionPoliciesPath lists the org's global session policies (paged). Their
// rules are read with policyRulesPath, not ?expand=rules, which Okta stops
// at 20 rules.
const sessionPoliciesPath = "/api/v1/policies?type=OKTA_SIGN_ON"

// maxPolicyRules bounds the rules of one policy and maxSessionPolicies the
// org's global session policies: Okta allows 100 rules per authentication
// policy; far more is not Okta data and must not grow memory without end.
const (
	maxPolicyRules     = 5000
	maxSessionPolicies = 5000
)

// rawRule is the part of a policy rule the MFA rule reads, with Okta's
// names: ACCESS_POLICY rules carry actions.appSignOn, SIGN_ON rules (of
// global session policies) actions.signon.
type rawRule struct {
	ID         string                    `json:"id"`
	Name       string                    `json:"name"`
	Type       string                    `json:"type"`
	Status     string                    `json:"status"`
	Priority   int                       `json:"priority"`
	System     bool                      `json:"system"`
	Conditions map[string]jsontext.Value `json:"conditions"`
	Actions    *struct {
		AppSignOn *struct {
			Access             string           `json:"access"`
			VerificationMethod *rawVerification `json:"verificationMethod"`
		} `json:"appSignOn"`
		Signon *struct {
			Access           string `json:"access"`
			RequireFactor    *bool  `json:"requireFactor"`
			FactorPromptMode string `json:"factorPromptMode"`
			PrimaryFactor    string `json:"primaryFactor"`
		} `json:"signon"`
	} `json:"actions"`
}

type rawVerification struct {
	Type        string          `json:"type"`
	FactorMode  string          `json:"factorMode"`
	Constraints []rawConstraint `json:"constraints"`
	Chains      []rawChain      `json:"chains"`
}

type rawConstraint struct {
	Knowledge  *rawClass `json:"knowledge"`
	Possession *rawClass `json:"possession"`
}

type rawClass struct {
	Required              *bool       `json:"required"`
	UserVerification      string      `json:"userVerification"`
	Types                 []string    `json:"types"`
	AuthenticationMethods []rawMethod `json:"authenticationMethods"`
}

type rawMethod struct {
	Key              string `json:"key"`
	Method           string `json:"method"`
	UserVerification string `json:"userVerification"`
}

type rawChain struct {
	AuthenticationMethods []rawMethod `json:"authenticationMethods"`
	Next                  []rawChain  `json:"next"`
}

// rawSessionPolicy is a global session policy; in session-policies.json its
// rules are under _embedded.rules.
type rawSessionPolicy struct {
	ID         string                    `json:"id"`
	Name       string                    `json:"name"`
	Type       string                    `json:"type"`
	Status     string                    `json:"status"`
	Priority   int                       `json:"priority"`
	System     bool                      `json:"system"`
	Conditions map[string]jsontext.Value `json:"conditions"`
	Embedded   *struct {
		Rules *[]rawRule `json:"rules"`
	} `json:"_embedded"`
}

// maxChainDepth bounds how deep next steps are followed: Okta allows three
// steps; a file nesting thousands would otherwise exhaust the stack.
const maxChainDepth = 8

// readJSONDocument reads a whole document, bounded in size and in each
// value (MaxValueSize), and refuses an empty one.
func readJSONDocument(r io.Reader) ([]byte, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	return data, nil
}

// decodeArray decodes a JSON array of objects; null is refused (an Okta
// list is always an array).
func decodeArray[T any](data []byte, what string) ([]T, error) {
	var raw *[]T
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(err)
	}
	if raw == nil {
		return nil, fmt.Errorf("null instead of an array of %s", what)
	}
	return *raw, nil
}

// ParsePolicyRules decodes the rules of an authentication policy
// (GET /api/v1/policies/{policyId}/rules, every page joined). A rule of
// another policy type is refused: its actions mean something else.
func ParsePolicyRules(r io.Reader) ([]audit.PolicyRule, error) {
	data, err := readJSONDocument(r)
	if err != nil {
		return nil, err
	}
	raw, err := decodeArray[rawRule](data, "policy rules")
	if err != nil {
		return nil, err
	}
	return convertAccessRules(raw, 0)
}

// convertAccessRules converts ACCESS_POLICY rules; first is the index of
// the first one in the whole list, for messages.
func convertAccessRules(raw []rawRule, first int) ([]audit.PolicyRule, error) {
	if first+len(raw) > maxPolicyRules {
		return nil, fmt.Errorf("more than %d rules in one policy: not an Okta policy (Okta allows 100)", maxPolicyRules)
	}
	rules := make([]audit.PolicyRule, 0, len(raw))
	for i, rr := range raw {
		i += first
		if rr.ID == "" {
			return nil, fmt.Errorf("rule %d has no \"id\": this is not a list of Okta policy rules", i)
		}
		if rr.Type != "" && rr.Type != "ACCESS_POLICY" {
			return nil, fmt.Errorf("rule %d (%q) is of type %q, not an authentication policy (ACCESS_POLICY) rule", i, rr.Name, rr.Type)
		}
		conds, _, err := conditions(rr.Conditions)
		if err != nil {
			return nil, fmt.Errorf("rule %d (%q): %w", i, rr.Name, err)
		}
		pr := audit.PolicyRule{ID: rr.ID, Name: rr.Name, Status: rr.Status, Priority: rr.Priority, System: rr.System, Conditions: conds}
		if rr.Actions != nil && rr.Actions.AppSignOn != nil {
			pr.Access = rr.Actions.AppSignOn.Access
			if vm := rr.Actions.AppSignOn.VerificationMethod; vm != nil {
				chains, err := convertChains(vm.Chains, 1)
				if err != nil {
					return nil, fmt.Errorf("rule %d (%q): %w", i, rr.Name, err)
				}
				pr.Verification = &audit.Verification{Type: vm.Type, FactorMode: vm.FactorMode, Chains: chains,
					Constraints: convertConstraints(vm.Constraints)}
			}
		}
		rules = append(rules, pr)
	}
	return rules, nil
}

func convertConstraints(in []rawConstraint) []audit.Constraint {
	if len(in) == 0 {
		return nil
	}
	out := make([]audit.Constraint, 0, len(in))
	for _, c := range in {
		out = append(out, audit.Constraint{Knowledge: convertClass(c.Knowledge), Possession: convertClass(c.Possession)})
	}
	return out
}

func convertClass(c *rawClass) *audit.ConstraintClass {
	if c == nil {
		return nil
	}
	return &audit.ConstraintClass{Required: c.Required, UserVerification: c.UserVerification, Types: c.Types,
		AuthenticationMethods: convertMethods(c.AuthenticationMethods)}
}

func convertMethods(in []rawMethod) []audit.AuthMethod {
	if len(in) == 0 {
		return nil
	}
	out := make([]audit.AuthMethod, 0, len(in))
	for _, m := range in {
		out = append(out, audit.AuthMethod{Key: m.Key, Method: m.Method, UserVerification: m.UserVerification})
	}
	return out
}

func convertChains(in []rawChain, depth int) ([]audit.AuthChain, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if depth > maxChainDepth {
		return nil, fmt.Errorf("authentication method chain deeper than %d steps", maxChainDepth)
	}
	out := make([]audit.AuthChain, 0, len(in))
	for _, c := range in {
		next, err := convertChains(c.Next, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, audit.AuthChain{Methods: convertMethods(c.AuthenticationMethods), Next: next})
	}
	return out, nil
}

// ParseSessionPolicies decodes okta/session-policies.json: the org's global
// session policies (every page of GET /api/v1/policies?type=OKTA_SIGN_ON),
// each with every page of its rules under _embedded.rules. A policy without
// _embedded.rules is refused: its rules were not saved, and judging it as
// having none would miss a rule that lets people in with one factor.
func ParseSessionPolicies(r io.Reader) ([]audit.SessionPolicy, error) {
	data, err := readJSONDocument(r)
	if err != nil {
		return nil, err
	}
	raw, err := decodeArray[rawSessionPolicy](data, "global session policies")
	if err != nil {
		return nil, err
	}
	if len(raw) > maxSessionPolicies {
		return nil, fmt.Errorf("more than %d global session policies: not an Okta org's", maxSessionPolicies)
	}
	out := make([]audit.SessionPolicy, 0, len(raw))
	for i, rp := range raw {
		p, err := convertSessionPolicy(rp, i)
		if err != nil {
			return nil, err
		}
		if rp.Embedded == nil || rp.Embedded.Rules == nil {
			return nil, fmt.Errorf("policy %d (%q) has no _embedded.rules: save each policy's rules (every page of GET %s) under its _embedded.rules",
				i, rp.Name, policyRulesPath(rp.ID))
		}
		if p.Rules, err = convertSessionRules(*rp.Embedded.Rules, 0); err != nil {
			return nil, fmt.Errorf("policy %d (%q): %w", i, rp.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// parseSessionPolicyPage decodes one page of GET /api/v1/policies?type=OKTA_SIGN_ON;
// first is the index of its first policy in the whole list.
func parseSessionPolicyPage(data []byte, first int) ([]audit.SessionPolicy, error) {
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	raw, err := decodeArray[rawSessionPolicy](data, "global session policies")
	if err != nil {
		return nil, err
	}
	if first+len(raw) > maxSessionPolicies {
		return nil, fmt.Errorf("more than %d global session policies: not an Okta org's", maxSessionPolicies)
	}
	out := make([]audit.SessionPolicy, 0, len(raw))
	for i, rp := range raw {
		p, err := convertSessionPolicy(rp, first+i)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// parseSessionRulePage decodes one page of a global session policy's rules.
func parseSessionRulePage(data []byte, first int) ([]audit.SessionRule, error) {
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	raw, err := decodeArray[rawRule](data, "policy rules")
	if err != nil {
		return nil, err
	}
	return convertSessionRules(raw, first)
}

// parseAccessRulePage decodes one page of an authentication policy's rules.
func parseAccessRulePage(data []byte, first int) ([]audit.PolicyRule, error) {
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	raw, err := decodeArray[rawRule](data, "policy rules")
	if err != nil {
		return nil, err
	}
	return convertAccessRules(raw, first)
}

func convertSessionPolicy(rp rawSessionPolicy, i int) (audit.SessionPolicy, error) {
	if rp.ID == "" {
		return audit.SessionPolicy{}, fmt.Errorf("policy %d has no \"id\": this is not a list of Okta policies", i)
	}
	if rp.Type != "OKTA_SIGN_ON" {
		return audit.SessionPolicy{}, fmt.Errorf("policy %d (%q) is of type %q, not a global session policy (OKTA_SIGN_ON)", i, rp.Name, rp.Type)
	}
	if err := checkAppID(rp.ID); err != nil {
		return audit.SessionPolicy{}, fmt.Errorf("policy %d (%q): its id is not an Okta object ID", i, rp.Name)
	}
	conds, _, err := conditions(rp.Conditions)
	if err != nil {
		return audit.SessionPolicy{}, fmt.Errorf("policy %d (%q): %w", i, rp.Name, err)
	}
	return audit.SessionPolicy{ID: rp.ID, Name: rp.Name, Status: rp.Status, Priority: rp.Priority, System: rp.System, Conditions: conds}, nil
}

func convertSessionRules(raw []rawRule, first int) ([]audit.SessionRule, error) {
	if first+len(raw) > maxPolicyRules {
		return nil, fmt.Errorf("more than %d rules in one policy: not an Okta policy", maxPolicyRules)
	}
	out := make([]audit.SessionRule, 0, len(raw))
	for i, rr := range raw {
		i += first
		if rr.ID == "" {
			return nil, fmt.Errorf("rule %d has no \"id\": this is not a list of Okta policy rules", i)
		}
		if rr.Type != "SIGN_ON" {
			return nil, fmt.Errorf("rule %d (%q) is of type %q, not a global session policy (SIGN_ON) rule", i, rr.Name, rr.Type)
		}
		conds, authType, err := conditions(rr.Conditions)
		if err != nil {
			return nil, fmt.Errorf("rule %d (%q): %w", i, rr.Name, err)
		}
		sr := audit.SessionRule{ID: rr.ID, Name: rr.Name, Status: rr.Status, Priority: rr.Priority, System: rr.System,
			Conditions: conds, AuthType: authType}
		if rr.Actions != nil && rr.Actions.Signon != nil {
			s := rr.Actions.Signon
			sr.Access, sr.RequireFactor, sr.FactorPromptMode, sr.PrimaryFactor = s.Access, s.RequireFactor, s.FactorPromptMode, s.PrimaryFactor
		}
		out = append(out, sr)
	}
	return out, nil
}

// The shapes of the condition keys Okta documents for authentication
// policy rules, global session policies and their rules.
type (
	includeExclude struct {
		Include []jsontext.Value `json:"include"`
		Exclude []jsontext.Value `json:"exclude"`
	}
	peopleCondition struct {
		Groups *includeExclude `json:"groups"`
		Users  *includeExclude `json:"users"`
	}
	networkCondition struct {
		Connection string   `json:"connection"`
		Include    []string `json:"include"`
		Exclude    []string `json:"exclude"`
	}
	platformCondition struct {
		Include []struct {
			Type string `json:"type"`
			OS   *struct {
				Type       string `json:"type"`
				Expression string `json:"expression"`
			} `json:"os"`
		} `json:"include"`
		Exclude []jsontext.Value `json:"exclude"`
	}
	deviceCondition struct {
		Registered *bool `json:"registered"`
		Managed    *bool `json:"managed"`
		Assurance  *struct {
			Include []string `json:"include"`
		} `json:"assurance"`
	}
)

// conditionOrder is the order conditions are named in; keys ssoaudit does
// not know follow, sorted.
var conditionOrder = []string{"people", "userType", "network", "riskScore", "risk", "device", "platform", "elCondition", "authContext", "identityProvider"}

// conditions turns a rule's (or policy's) conditions into those that narrow
// it, each in words; a key at its match-all value is left out, and a key
// ssoaudit does not know always counts (its meaning unknown, the rule may
// not apply to everyone). It also returns authContext.authType when it is
// not ANY. A known key of the wrong shape is an error: the file is not
// Okta's.
func conditions(raw map[string]jsontext.Value) ([]audit.Condition, string, error) {
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(conditionOrder, a), slices.Index(conditionOrder, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	var out []audit.Condition
	authType := ""
	for _, k := range keys {
		v := raw[k]
		if v.Kind() == 'n' {
			continue
		}
		detail, err := condition(k, v, &authType)
		if err != nil {
			return nil, "", fmt.Errorf("conditions.%s: %w", k, jsonError(err))
		}
		if detail != "" {
			out = append(out, audit.Condition{Key: k, Detail: detail})
		}
	}
	return out, authType, nil
}

// condition words one condition key, or returns "" when it matches every
// sign-in.
func condition(key string, v jsontext.Value, authType *string) (string, error) {
	switch key {
	case "people":
		var p peopleCondition
		if err := json.Unmarshal(v, &p); err != nil {
			return "", err
		}
		var parts []string
		if p.Groups != nil {
			parts = appendCount(parts, len(p.Groups.Include), "members of %d group%s")
			parts = appendCount(parts, len(p.Groups.Exclude), "except %d group%s")
		}
		if p.Users != nil {
			parts = appendCount(parts, len(p.Users.Include), "%d named user%s")
			parts = appendCount(parts, len(p.Users.Exclude), "except %d user%s")
		}
		return strings.Join(parts, ", "), nil
	case "userType":
		var u includeExclude
		if err := json.Unmarshal(v, &u); err != nil {
			return "", err
		}
		parts := appendCount(nil, len(u.Include), "%d user type%s")
		parts = appendCount(parts, len(u.Exclude), "except %d user type%s")
		return strings.Join(parts, ", "), nil
	case "network":
		var n networkCondition
		if err := json.Unmarshal(v, &n); err != nil {
			return "", err
		}
		if (n.Connection == "" || n.Connection == "ANYWHERE") && len(n.Include) == 0 && len(n.Exclude) == 0 {
			return "", nil
		}
		parts := []string{"network " + strings.ToLower(n.Connection)}
		parts = appendCount(parts, len(n.Include), "in %d zone%s")
		parts = appendCount(parts, len(n.Exclude), "not in %d zone%s")
		return strings.Join(parts, " "), nil
	case "riskScore":
		var r struct {
			Level string `json:"level"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return "", err
		}
		if r.Level == "" || r.Level == "ANY" {
			return "", nil
		}
		return "risk " + r.Level, nil
	case "risk":
		var r struct {
			Behaviors []jsontext.Value `json:"behaviors"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return "", err
		}
		return strings.Join(appendCount(nil, len(r.Behaviors), "%d behavior%s"), ""), nil
	case "device":
		var d deviceCondition
		if err := json.Unmarshal(v, &d); err != nil {
			return "", err
		}
		// Okta offers "any device" or "registered" (then managed or not):
		// registered false is any device.
		var parts []string
		if d.Registered != nil && *d.Registered {
			parts = append(parts, "registered devices")
		}
		if d.Managed != nil {
			parts = append(parts, map[bool]string{true: "managed", false: "not managed"}[*d.Managed])
		}
		if d.Assurance != nil {
			parts = appendCount(parts, len(d.Assurance.Include), "%d device assurance polic%s")
		}
		return strings.Join(parts, ", "), nil
	case "platform":
		var p platformCondition
		if err := json.Unmarshal(v, &p); err != nil {
			return "", err
		}
		var named []string
		for _, pl := range p.Include {
			os := ""
			if pl.OS != nil {
				os = pl.OS.Type
			}
			if pl.Type == "ANY" && (os == "" || os == "ANY") {
				continue
			}
			named = append(named, strings.Trim(pl.Type+"/"+os, "/"))
		}
		parts := appendCount(nil, len(p.Exclude), "except %d platform%s")
		if len(named) > 0 {
			parts = append([]string{"platform " + strings.Join(named, " or ")}, parts...)
		}
		return strings.Join(parts, ", "), nil
	case "elCondition":
		var e struct {
			Condition string `json:"condition"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return "", err
		}
		if strings.TrimSpace(e.Condition) == "" {
			return "", nil
		}
		return "an Okta Expression Language condition", nil
	case "authContext":
		var a struct {
			AuthType string `json:"authType"`
		}
		if err := json.Unmarshal(v, &a); err != nil {
			return "", err
		}
		if a.AuthType == "" || a.AuthType == "ANY" {
			return "", nil
		}
		*authType = a.AuthType
		return "sign-ins through " + a.AuthType, nil
	case "identityProvider":
		var p struct {
			Provider string `json:"provider"`
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return "", err
		}
		if p.Provider == "" || p.Provider == "ANY" {
			return "", nil
		}
		return "identity provider " + p.Provider, nil
	}
	return fmt.Sprintf("a condition %q that ssoaudit does not know (counted as narrowing the rule)", key), nil
}

// appendCount appends format (with the count and a plural "s") when n > 0.
func appendCount(parts []string, n int, format string) []string {
	if n == 0 {
		return parts
	}
	s := "s"
	if n == 1 {
		s = ""
		if strings.HasSuffix(format, "polic%s") {
			s = "y"
		}
	} else if strings.HasSuffix(format, "polic%s") {
		s = "ies"
	}
	return append(parts, fmt.Sprintf(format, n, s))
}
