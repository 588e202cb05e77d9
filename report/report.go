// Package report renders an audit.Report for people (table, html), machines
// (json) and CI systems (sarif, junit, markdown). Writers only render: every
// status, suppression and the exit code arrive already decided.
package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// DefaultWidth is the table's width when the terminal's is unknown (output
// to a file or a pipe, and no $COLUMNS): wide enough for the four-column
// table, narrow enough for a CI log.
const DefaultWidth = 100

// Options tune how a report is rendered.
type Options struct {
	// Color turns on ANSI colour in the table. The CLI decides (a terminal
	// and no NO_COLOR); writers never look at the environment themselves.
	Color bool
	// NoColor records --no-color: the CLI then leaves Color off.
	NoColor bool
	// Catalog is the rule set, so SARIF can describe every rule, including
	// ones that passed. May be nil: rules are then described from results.
	Catalog []*audit.Rule
	// Width is the terminal width the table must fit (0: DefaultWidth).
	Width int
	// ShowPassed makes the table list passed rules as rows, not only count
	// them. Skipped rules are listed under "Not checked" either way.
	ShowPassed bool
	// Rows is the terminal's height: the table's findings block is capped
	// at Rows-4 lines, so the last screen holds the worst findings and the
	// verdict (0: DefaultRows).
	Rows int
	// Statuses, when set, are the only statuses the table shows (details
	// and findings block); the counts and the verdict still cover all.
	Statuses []audit.Status
	// Compact makes the table the findings block alone, uncapped, and the
	// verdict: every finding one a line.
	Compact bool
	// WorkDir is the directory the report's relative paths are relative to
	// (the command's working directory), and SourceRoot the repository
	// root that SARIF locations are given relative to. The command fills
	// both; when they are empty, paths are taken as relative to the root.
	WorkDir, SourceRoot string
	// Secrets are the secrets the run holds: no piece of one is written,
	// in any format (edgeReport). nil still hides Druva-shaped tokens and
	// URL credentials.
	Secrets *redact.Set
}

// Verdict is the report's one-line summary: what was counted, what the gate
// counted and its verdict. The CLI prints it on stderr when the reports go
// to files.
func Verdict(rep *audit.Report) string { return summaryText(rep) }

// Write renders rep in format to w, through the format's writer and the
// output edge it asks for (see writers).
func Write(w io.Writer, format string, rep *audit.Report, opts Options) error {
	if rep == nil {
		return errors.New("report: nil report")
	}
	fw, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if rep.Streamed() && !fw.streams {
		// A writer that ranges over the report's lists gets them held:
		// only the streaming writers keep a large run's memory flat.
		held, err := materialize(rep)
		if err != nil {
			return err
		}
		rep = held
	}
	src := rep
	switch fw.edge {
	case edgeMachines:
		rep = edgeReport(rep, opts.Secrets, false)
	case edgePeople:
		rep = edgeReport(rep, opts.Secrets, true)
	}
	if err := fw.write(w, rep, opts); err != nil {
		return err
	}
	return src.Err()
}

// materialize is a streamed report with its targets and deployments held.
func materialize(rep *audit.Report) (*audit.Report, error) {
	out := &audit.Report{}
	*out = *rep
	out.SetStream(nil)
	out.Targets = slices.Collect(rep.EachTarget())
	out.Deployments = slices.Collect(rep.EachDeployment())
	return out, rep.Err()
}

// sortedResults returns a copy of results worst first: by status, then
// severity, then rule ID, so people read what needs doing before what is fine.
func sortedResults(results []audit.Result) []audit.Result {
	out := slices.Clone(results)
	slices.SortStableFunc(out, func(a, b audit.Result) int {
		if d := a.Status.Rank() - b.Status.Rank(); d != 0 {
			return d
		}
		if d := b.Severity.Level() - a.Severity.Level(); d != 0 {
			return d
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return out
}

// isFinding reports whether a result asks for attention: everything that is
// neither a pass nor a skip.
func isFinding(r audit.Result) bool {
	return r.Status == audit.StatusFail || r.Status == audit.StatusError || r.Status == audit.StatusWarn
}

// inputsText lists the inputs a rule reads.
func inputsText(r *audit.Rule) string {
	if len(r.Needs) == 0 {
		return "(none)"
	}
	parts := make([]string, len(r.Needs))
	for i, in := range r.Needs {
		parts[i] = string(in)
	}
	return strings.Join(parts, ", ")
}

// deploymentHeading introduces a deployment's section (docs/deployments.md):
// the console and the targets whose apps sign into it.
func deploymentHeading(d audit.DeploymentReport) string {
	word := "targets"
	if len(d.Targets) == 1 {
		word = "target"
	}
	return fmt.Sprintf("Deployment %s (platform %s%s) · %s %s", d.Name, orNone(d.Platform), deploymentPlatformWord(d.PlatformSource), word, strings.Join(d.Targets, ", "))
}

// deploymentPlatformWord says where a deployment's platform came from when
// its apps decided it (docs/platforms.md, A deployment's platform); a
// stated platform is named in its targets' headings already.
func deploymentPlatformWord(source string) string {
	switch source {
	case audit.PlatformFromInferred:
		return ", inferred from its apps"
	case audit.PlatformFromDefault:
		return ", by default"
	}
	return ""
}

// deploymentAsTarget dresses a deployment as a target for the writers that
// place results by target (HTML sections, SARIF locations): its console is
// where its results are about, its name names it.
func deploymentAsTarget(d audit.DeploymentReport) audit.TargetReport {
	return audit.TargetReport{Name: d.Name, Source: audit.SourceDeployment, Platform: d.Platform, PlatformSource: d.PlatformSource,
		Console: d.Console, ConsoleSHA256: d.ConsoleSHA256, Results: d.Results, Summary: d.Summary}
}

// platformWord says in a word or two where a target's platform came from,
// for headings: "from druva.yaml", "inferred", "default"; "" for a report
// that does not record it.
func platformWord(source string) string {
	switch source {
	case audit.PlatformFromFlag:
		return "from --platform"
	case audit.PlatformFromConsole:
		return "from druva.yaml"
	case audit.PlatformFromConfig:
		return "from the config"
	case audit.PlatformFromInferred:
		return "inferred from the app"
	case audit.PlatformFromDefault:
		return "by default"
	}
	return ""
}

// platformLabel is the platform with where it came from: "dcp (inferred
// from the app)", "insync-cloud (by default)".
func platformLabel(platform, source string) string {
	if w := platformWord(source); w != "" {
		return orNone(platform) + " (" + w + ")"
	}
	return orNone(platform)
}

// platformDetail explains an inferred or defaulted platform: the values it
// was read from, or why none fit; "" for a stated one.
func platformDetail(t audit.TargetReport) string {
	in := t.PlatformInference
	if in == nil || audit.PlatformStated(t.PlatformSource) {
		return ""
	}
	what := in.From()
	switch {
	case t.PlatformSource == audit.PlatformFromInferred && len(in.Deployment) > 0:
		return fmt.Sprintf("Platform %s: what the console's apps are set up for (%s)", t.Platform, strings.Join(in.Deployment, ", "))
	case t.PlatformSource == audit.PlatformFromInferred:
		return fmt.Sprintf("Platform %s: read from the app, %s", t.Platform, what)
	case in.Conflict:
		return fmt.Sprintf("Platform %s, the default: the console's apps are set up for different platforms (%s); state one", t.Platform, strings.Join(in.Deployment, ", "))
	case len(in.Matches) > 1:
		return fmt.Sprintf("Platform %s, the default: the app's values fit several platforms (%s); state one", t.Platform, strings.Join(in.Matches, ", "))
	case in.Audience == "" && in.ACSURL == "" && !appRead(t):
		// Nothing to state a platform about yet: the app itself is the
		// problem, and the fix block says so.
		return fmt.Sprintf("Platform %s, the default: the app could not be read", t.Platform)
	case in.Audience == "" && in.ACSURL == "":
		return fmt.Sprintf("Platform %s, the default: nothing states one and the app does not say; state one", t.Platform)
	}
	return fmt.Sprintf("Platform %s, the default: the app's values (%s) fit no Druva platform; state one", t.Platform, strings.TrimPrefix(what, "its "))
}

// appRead reports whether any Okta rule of the target judged its app (pass,
// fail or warn): false when every one ended in error, the app unread.
func appRead(t audit.TargetReport) bool {
	for _, r := range t.Results {
		if !strings.HasPrefix(r.Rule, "okta.") {
			continue
		}
		switch r.Status {
		case audit.StatusPass, audit.StatusFail, audit.StatusWarn:
			return true
		}
	}
	return false
}
