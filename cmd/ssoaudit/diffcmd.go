package main

import (
	"os"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/diff"
)

func (e *env) diff(args []string) int {
	fs := e.newFlags("diff", `Usage: ssoaudit diff OLD.json NEW.json [--format table|json|markdown]
                     [--fail-on SEVERITY]

Compares two JSON reports (ssoaudit scan --format json), per target and rule:
every change of status has its kind — new failures, newly erroring, no longer
checked (pass or fail → skip or error: not a fix), new warnings, still failing,
resolved, attested by a person, now checked, no longer reported. Exits 1 when
NEW has a fail or error at or above --fail-on that OLD did not have, else 0.
`)
	format := fs.String("format", "table", "`FORMAT`: "+strings.Join(diff.Formats, ", "))
	failOn := fs.String("fail-on", "high", "exit 1 on a new fail or error at or above this `SEVERITY`")
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return e.fail(audit.ExitUsage, "diff takes two JSON reports: OLD.json NEW.json")
	}
	sev, err := audit.ParseSeverity(*failOn)
	if err != nil {
		return e.fail(audit.ExitUsage, "--fail-on: %v", err)
	}
	switch *format {
	case "table", "json", "markdown":
	default:
		return e.fail(audit.ExitUsage, "unknown --format %s for diff (want one of %s)", audit.Shown(*format), strings.Join(diff.Formats, ", "))
	}
	for _, p := range pos {
		// A token given instead of a report is not echoed in "open …".
		if _, err := os.Stat(p); err != nil && audit.LooksLikeSecret(p) {
			return e.fail(audit.ExitUsage, "diff: %s is not a file", audit.Shown(p))
		}
	}
	oldRep, err := diff.Load(pos[0])
	if err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	newRep, err := diff.Load(pos[1])
	if err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	d := diff.Compare(oldRep, newRep, sev)
	d.Old = diff.Side{File: pos[0], GeneratedAt: oldRep.GeneratedAt}
	d.New = diff.Side{File: pos[1], GeneratedAt: newRep.GeneratedAt}
	if err := diff.WriteRedacted(e.stdout, *format, d, e.width(), e.secrets); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	return d.ExitCode
}
