package main

import (
	"sort"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/words"
	"github.com/ssoaudit/ssoaudit/report"
)

func (e *env) rules(args []string) int {
	fs := e.newFlags("rules", "Usage: ssoaudit rules [--format table|json]\n\nLists every rule: ID, severity, title and the guide step it comes from.\n")
	format := fs.String("format", "table", "`FORMAT`: table or json")
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return e.fail(audit.ExitUsage, "rules takes no arguments")
	}
	if *format != "table" && *format != "json" {
		return e.fail(audit.ExitUsage, "unknown --format %s for rules (want table or json)", audit.Shown(*format))
	}
	if err := report.WriteCatalog(e.stdout, *format, checks.All()); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	return audit.ExitOK
}

func (e *env) explain(args []string) int {
	fs := e.newFlags("explain", "Usage: ssoaudit explain RULE\n\nShows why a rule matters, how to fix a failure in the Okta admin console and\nthe Druva console, and the step of Druva's guide it comes from.\n")
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return e.fail(audit.ExitUsage, "explain takes one rule ID; see 'ssoaudit rules'")
	}
	r, found := checks.Lookup(pos[0])
	if !found {
		return e.fail(audit.ExitUsage, "no rule %s%s; see 'ssoaudit rules'", audit.Shown(pos[0]), suggest(pos[0]))
	}
	if err := report.WriteExplain(e.stdout, r); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	return audit.ExitOK
}

// suggest names the rule IDs that contain what the user typed.
func suggest(id string) string {
	var near []string
	needle := strings.ToLower(id)
	for _, r := range checks.All() {
		if strings.Contains(r.ID, needle) {
			near = append(near, r.ID)
		}
	}
	if len(near) == 0 {
		ids := make([]string, 0, len(checks.All()))
		for _, r := range checks.All() {
			ids = append(ids, r.ID)
		}
		if s := words.Closest(id, ids); s != "" {
			near = append(near, s)
		}
	}
	sort.Strings(near)
	if len(near) == 0 || len(near) > 12 {
		return ""
	}
	return " (did you mean " + strings.Join(near, ", ") + "?)"
}
