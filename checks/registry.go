// Package checks is the rule catalog: one rule per file, each registering
// itself with its metadata, so `ssoaudit rules`, the README's catalog and the
// reports are all generated from the same place.
package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/docs"
)

var registry = map[string]*audit.Rule{}

// register adds a rule to the catalog, with its prose and controls from its
// page docs/rules/<id>.md. It panics on a duplicate ID, missing metadata, or
// a page that is missing, does not parse or disagrees with the code, so a
// broken catalog fails every test at start-up.
func register(r *audit.Rule) {
	if err := fromPage(r); err != nil {
		panic("checks: " + err.Error())
	}
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

// fromPage fills a rule's prose and controls from its page. The prose lives
// only there; the page's title and reference must be the code's (the
// reference is the code's because part of it is built from the platform
// profiles).
func fromPage(r *audit.Rule) error {
	if r.Rationale != "" || r.Remediation != "" {
		return fmt.Errorf("rule %q sets Rationale or Remediation in code: they live in docs/rules/%s.md", r.ID, r.ID)
	}
	p, ok, err := docs.Rule(r.ID)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("rule %q has no page docs/rules/%s.md (go run ./internal/cmd/newrule scaffolds one)", r.ID, r.ID)
	case p.Title != r.Title:
		return fmt.Errorf("docs/rules/%s.md: title %q, the code says %q", r.ID, p.Title, r.Title)
	}
	r.Rationale, r.Remediation = p.Rationale, p.Remediation
	r.Controls = make([]audit.Control, len(p.Controls))
	for i, c := range p.Controls {
		r.Controls[i] = audit.Control{Framework: c.Framework, ID: c.ID, Title: c.Title, Why: c.Why}
	}
	// Frameworks in their order, controls in each framework's.
	rank := func(key string) int {
		return slices.IndexFunc(docs.Frameworks, func(f docs.Framework) bool { return f.Key == key })
	}
	slices.SortStableFunc(r.Controls, func(a, b audit.Control) int {
		if d := rank(a.Framework) - rank(b.Framework); d != 0 {
			return d
		}
		return docs.CompareControls(a.ID, b.ID)
	})
	return nil
}
