package main

import (
	"sort"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/docs"
	"github.com/ssoaudit/ssoaudit/internal/words"
	"github.com/ssoaudit/ssoaudit/report"
)

func (e *env) rules(args []string) int {
	fs := e.newFlags("rules", "Usage: ssoaudit rules [--format table|json] [--framework NAME]\n\nLists every rule: ID, severity, title, what it reads and the controls its\nevidence supports. With --framework (nist-800-53 or cis-v8), lists that\nframework's controls instead, each with the rules that support it.\n")
	format := fs.String("format", "table", "`FORMAT`: table or json")
	framework := fs.String("framework", "", "`NAME`: list this framework's controls with the rules supporting each ("+frameworkKeys()+")")
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
	if *framework != "" {
		f, found := docs.LookupFramework(*framework)
		if !found {
			keys := make([]string, len(docs.Frameworks))
			for i, f := range docs.Frameworks {
				keys[i] = f.Key
			}
			hint := ""
			near := words.Closest(strings.ToLower(*framework), keys)
			for _, k := range keys {
				if near == "" && strings.Contains(k, strings.ToLower(*framework)) {
					near = k
				}
			}
			if near != "" {
				hint = " (did you mean " + near + "?)"
			}
			return e.fail(audit.ExitUsage, "unknown --framework %q%s; want one of %s", *framework, hint, frameworkKeys())
		}
		if err := report.WriteFramework(e.stdout, *format, f, checks.All()); err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		return audit.ExitOK
	}
	if err := report.WriteCatalog(e.stdout, *format, checks.All()); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	return audit.ExitOK
}

// frameworkKeys lists the --framework names for help and messages.
func frameworkKeys() string {
	keys := make([]string, len(docs.Frameworks))
	for i, f := range docs.Frameworks {
		keys[i] = f.Key
	}
	return strings.Join(keys, ", ")
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
