package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

// selectRules applies --rule and --skip-rule (docs/cli.md) to the catalog:
// with any --rule, only the rules it names run; then every --skip-rule is
// left out. A pattern is a rule ID, or a prefix ending in "*"
// (okta.saml.*). A pattern that matches no rule is a usage error with the
// closest rule ID, so a typo never silently runs nothing — or everything.
// The config's rules: section still applies to what is left.
func selectRules(all []*audit.Rule, include, exclude []string) ([]*audit.Rule, string, error) {
	if len(include) == 0 && len(exclude) == 0 {
		return all, "", nil
	}
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID
	}
	check := func(flag string, pats []string) error {
		for _, p := range pats {
			if !slices.ContainsFunc(ids, func(id string) bool { return ruleMatches(p, id) }) {
				msg := fmt.Sprintf("%s %s: no such rule (ssoaudit rules lists them)", flag, p)
				known := ids
				if strings.HasSuffix(p, "*") {
					known = prefixes(ids)
				}
				if c := words.Closest(p, known); c != "" {
					msg = fmt.Sprintf("%s %s: no such rule; did you mean %s?", flag, p, c)
				}
				// A group's name without the * (okta.saml, okta.saml.)
				// means the group: say so rather than guess a rule.
				if g := strings.TrimSuffix(p, ".") + ".*"; !strings.HasSuffix(p, "*") && slices.Contains(prefixes(ids), g) {
					msg = fmt.Sprintf("%s %s: no such rule; did you mean %s (every %s rule)?", flag, p, g, strings.TrimSuffix(g, ".*"))
				}
				return &planError{msg: msg, pointer: true}
			}
		}
		return nil
	}
	if err := check("--rule", include); err != nil {
		return nil, "", err
	}
	if err := check("--skip-rule", exclude); err != nil {
		return nil, "", err
	}
	var out []*audit.Rule
	for _, r := range all {
		in := len(include) == 0 || slices.ContainsFunc(include, func(p string) bool { return ruleMatches(p, r.ID) })
		if in && !slices.ContainsFunc(exclude, func(p string) bool { return ruleMatches(p, r.ID) }) {
			out = append(out, r)
		}
	}
	var parts []string
	for _, p := range include {
		parts = append(parts, "--rule "+p)
	}
	for _, p := range exclude {
		parts = append(parts, "--skip-rule "+p)
	}
	return out, fmt.Sprintf("%s (%d of %d rules)", strings.Join(parts, " "), len(out), len(all)), nil
}

// ruleMatches reports whether a --rule pattern names id: exactly, or as a
// prefix when the pattern ends in "*".
func ruleMatches(pattern, id string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(id, p)
	}
	return pattern == id
}

// prefixes lists the prefix patterns the rule IDs offer, "okta.*" and
// "okta.saml.*" for okta.saml.acs-url, for a mistyped prefix's did-you-mean.
func prefixes(ids []string) []string {
	var out []string
	for _, id := range ids {
		for i := range len(id) {
			if id[i] == '.' && !slices.Contains(out, id[:i+1]+"*") {
				out = append(out, id[:i+1]+"*")
			}
		}
	}
	return out
}
