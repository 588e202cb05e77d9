// Reading an app's authentication policy rules (Identity Engine).

package okta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/ssoaudit/ssoaudit/audit"
)

// policyRulesPath is the list of an authentication policy's rules. The
// list is not paged: Okta returns every rule of the policy at once.
func policyRulesPath(policyID string) string { return "/api/v1/policies/" + policyID + "/rules" }

// rawPolicyRule is the part of an ACCESS_POLICY rule the MFA rule reads,
// with Okta's names. The SDK v2 models ASSURANCE rules only, so the raw
// body is decoded here, as the other documents are.
type rawPolicyRule struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Status     string         `json:"status"`
	Priority   int            `json:"priority"`
	System     bool           `json:"system"`
	Conditions *rawConditions `json:"conditions"`
	Actions    *struct {
		AppSignOn *struct {
			Access             string           `json:"access"`
			VerificationMethod *rawVerification `json:"verificationMethod"`
		} `json:"appSignOn"`
	} `json:"actions"`
}

type rawVerification struct {
	Type       string     `json:"type"`
	FactorMode string     `json:"factorMode"`
	Chains     []rawChain `json:"chains"`
}

type rawChain struct {
	AuthenticationMethods []struct {
		Key    string `json:"key"`
		Method string `json:"method"`
	} `json:"authenticationMethods"`
	Next []rawChain `json:"next"`
}

// rawConditions is what a message needs to say whom a rule applies to.
type rawConditions struct {
	People *struct {
		Groups *struct {
			Include []string `json:"include"`
			Exclude []string `json:"exclude"`
		} `json:"groups"`
		Users *struct {
			Include []string `json:"include"`
			Exclude []string `json:"exclude"`
		} `json:"users"`
	} `json:"people"`
	Network *struct {
		Connection string `json:"connection"`
	} `json:"network"`
}

// maxChainDepth bounds how deep next steps are followed: Okta allows three
// steps; a file nesting thousands would otherwise exhaust the stack.
const maxChainDepth = 8

// ParsePolicyRules decodes the rules of an authentication policy
// (GET /api/v1/policies/{policyId}/rules). A rule of another policy type is
// refused: its actions mean something else.
func ParsePolicyRules(r io.Reader) ([]audit.PolicyRule, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	var raw *[]rawPolicyRule
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(err)
	}
	if raw == nil {
		return nil, errors.New("null instead of an array of policy rules")
	}
	rules := make([]audit.PolicyRule, 0, len(*raw))
	for i, rr := range *raw {
		if rr.ID == "" {
			return nil, fmt.Errorf("rule %d has no \"id\": this is not a list of Okta policy rules", i)
		}
		if rr.Type != "" && rr.Type != "ACCESS_POLICY" {
			return nil, fmt.Errorf("rule %d (%q) is of type %q, not an authentication policy (ACCESS_POLICY) rule", i, rr.Name, rr.Type)
		}
		pr := audit.PolicyRule{ID: rr.ID, Name: rr.Name, Status: rr.Status, Priority: rr.Priority, System: rr.System,
			Conditions: describeConditions(rr.Conditions)}
		if rr.Actions != nil && rr.Actions.AppSignOn != nil {
			pr.Access = rr.Actions.AppSignOn.Access
			if vm := rr.Actions.AppSignOn.VerificationMethod; vm != nil {
				chains, err := convertChains(vm.Chains, 1)
				if err != nil {
					return nil, fmt.Errorf("rule %d (%q): %w", i, rr.Name, err)
				}
				pr.Verification = &audit.Verification{Type: vm.Type, FactorMode: vm.FactorMode, Chains: chains}
			}
		}
		rules = append(rules, pr)
	}
	return rules, nil
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
		ac := audit.AuthChain{}
		for _, m := range c.AuthenticationMethods {
			ac.Methods = append(ac.Methods, strings.Trim(m.Key+"/"+m.Method, "/"))
		}
		next, err := convertChains(c.Next, depth+1)
		if err != nil {
			return nil, err
		}
		ac.Next = next
		out = append(out, ac)
	}
	return out, nil
}

// describeConditions words whom a rule applies to; "" means everyone.
func describeConditions(c *rawConditions) string {
	if c == nil {
		return ""
	}
	var parts []string
	if p := c.People; p != nil {
		if p.Groups != nil && len(p.Groups.Include) > 0 {
			parts = append(parts, fmt.Sprintf("members of %d group(s)", len(p.Groups.Include)))
		}
		if p.Users != nil && len(p.Users.Include) > 0 {
			parts = append(parts, fmt.Sprintf("%d named user(s)", len(p.Users.Include)))
		}
	}
	if c.Network != nil && c.Network.Connection != "" && c.Network.Connection != "ANYWHERE" {
		parts = append(parts, "network "+strings.ToLower(c.Network.Connection))
	}
	return strings.Join(parts, ", ")
}
