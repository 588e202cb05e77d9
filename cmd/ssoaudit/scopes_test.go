package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// docs/security.md's least-privilege table names, for each Okta scope, every
// rule that reads an input read with it: through Needs, or through an org
// fact (the session policies, the custom domains).
func TestScopesTableNamesEveryRule(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixture.Root(), "docs", "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(data), "<!-- scopes -->")
	table, _, ok2 := strings.Cut(table, "<!-- /scopes -->")
	if !ok || !ok2 {
		t.Fatal("docs/security.md has no <!-- scopes --> table")
	}
	rows := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`okta.") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = cells[3]
		}
	}
	scopeOf := map[audit.Input]string{}
	for _, in := range audit.OktaInputs() {
		info := in.Info()
		if info.Scope == "" {
			t.Fatalf("input %s has no scope", in)
		}
		scopeOf[in] = info.Scope
		if _, ok := rows[info.Scope]; !ok {
			t.Errorf("docs/security.md's scopes table has no row for %s (%s)", info.Scope, in)
		}
	}
	orgFacts := map[audit.FactType]audit.Input{audit.Domains: audit.InputDomains, audit.SessionPolicies: audit.InputSessionPolicies}
	for _, r := range checks.All() {
		ins := append([]audit.Input{}, r.Needs...)
		for _, f := range r.Requires {
			if in, ok := orgFacts[f]; ok {
				ins = append(ins, in)
			}
		}
		for _, in := range ins {
			scope, ok := scopeOf[in]
			if !ok {
				continue // not an Okta input
			}
			if !strings.Contains(rows[scope], "`"+r.ID+"`") {
				t.Errorf("docs/security.md: the %s row does not name %s, which reads %s", scope, r.ID, in)
			}
		}
	}
}
