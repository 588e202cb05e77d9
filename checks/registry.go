// Package checks is the rule catalog: one rule per file, each registering
// itself with its metadata, so `ssoaudit rules`, the README's catalog and the
// reports are all generated from the same place.
package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

var registry = map[string]*audit.Rule{}

// register adds a rule to the catalog. It panics on a duplicate ID or
// missing metadata, so a broken catalog fails every test at start-up.
func register(r *audit.Rule) {
	switch {
	case r.ID == "" || r.Title == "" || r.Rationale == "" || r.Remediation == "" || r.Reference == "" || (r.Check == nil) == (r.CheckDeployment == nil):
		panic(fmt.Sprintf("checks: rule %q is missing metadata (or has both or neither of Check and CheckDeployment)", r.ID))
	case r.Severity.Level() == 0:
		panic(fmt.Sprintf("checks: rule %q has unknown severity %q", r.ID, r.Severity))
	case !slices.Contains(r.Needs, r.Location.Input):
		panic(fmt.Sprintf("checks: rule %q is located at %q, which it does not read (Location.Input must be one of Needs)", r.ID, r.Location.Input))
	case registry[r.ID] != nil:
		panic(fmt.Sprintf("checks: rule %q registered twice", r.ID))
	}
	registry[r.ID] = r
}

// groupOrder puts Okta rules first, then the Druva console's, then the
// cross-checks between them: the order in which an admin fixes things.
var groupOrder = []string{"okta.app", "okta.username", "okta.users", "okta.saml", "okta.cert", "okta.metadata", "druva", "cross"}

func groupRank(id string) int {
	for i, g := range groupOrder {
		if strings.HasPrefix(id, g+".") {
			return i
		}
	}
	return len(groupOrder)
}

// All returns every rule in catalog order.
func All() []*audit.Rule {
	out := make([]*audit.Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *audit.Rule) int {
		if d := groupRank(a.ID) - groupRank(b.ID); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// ForTargets returns the per-target rules, in catalog order.
func ForTargets() []*audit.Rule {
	return slices.DeleteFunc(All(), (*audit.Rule).OnDeployment)
}

// ForDeployments returns the deployment rules (docs/deployments.md), in
// catalog order.
func ForDeployments() []*audit.Rule {
	return slices.DeleteFunc(All(), func(r *audit.Rule) bool { return !r.OnDeployment() })
}

// Lookup finds a rule by ID.
func Lookup(id string) (*audit.Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// Known reports whether id names a rule.
func Known(id string) bool { _, ok := registry[id]; return ok }
