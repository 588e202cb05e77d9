package report

// The summary every human format shows: counts, the gate's verdict and
// what it counted, the config's changes, and the labels of a result.

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// totalResults is how many results the summary counts.
func totalResults(s audit.Summary) int {
	n := 0
	for _, st := range audit.Statuses {
		n += s.Count(st)
	}
	return n
}

// countsText lists the summary's counts in report order, each with how many
// of them were suppressed: "9 fail (6 suppressed), 1 error, …".
func countsText(s audit.Summary, supp map[audit.Status]int) string {
	parts := make([]string, 0, len(audit.Statuses))
	for _, st := range audit.Statuses {
		part := fmt.Sprintf("%d %s", s.Count(st), st)
		if n := supp[st]; n > 0 {
			part += fmt.Sprintf(" (%d suppressed)", n)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// suppressedCounts counts the suppressed results of every target and
// deployment by status.
func suppressedCounts(rep *audit.Report) map[audit.Status]int {
	out := map[audit.Status]int{}
	for r := range rep.Results() {
		if r.Suppressed {
			out[r.Status]++
		}
	}
	return out
}

// scopeText says what the counts cover: rules when there is one target,
// results across targets when there are several (rule sets may differ).
func scopeText(rep *audit.Report) string {
	n := totalResults(rep.Summary)
	if rep.NumTargets() == 1 {
		return plural(n, "rule", "rules")
	}
	if rep.NumDeployments() > 0 {
		return fmt.Sprintf("%s across %s and %s", plural(n, "result", "results"), plural(rep.NumTargets(), "target", "targets"),
			plural(rep.NumDeployments(), "deployment", "deployments"))
	}
	return fmt.Sprintf("%s across %s", plural(n, "result", "results"), plural(rep.NumTargets(), "target", "targets"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// gate is the verdict of the gate as the run decided it (rep.ExitCode).
type gate struct {
	// Word is "passed", "FAILED" or "incomplete"; Class the same in lower
	// case, for styling.
	Word, Class string
	// Detail qualifies the word, e.g. "(fail at or above high)".
	Detail string
}

func (g gate) String() string {
	if g.Detail == "" {
		return g.Word
	}
	return g.Word + " " + g.Detail
}

func gateOf(rep *audit.Report) gate {
	switch rep.ExitCode {
	case audit.ExitOK:
		g := gate{Word: "passed", Class: "passed"}
		if n := suppressedCounts(rep)[audit.StatusFail]; n > 0 {
			g.Detail = fmt.Sprintf("(%s suppressed)", plural(n, "fail", "fails"))
		}
		return g
	case audit.ExitGateFailed:
		g := gate{Word: "FAILED", Class: "failed"}
		switch {
		case rep.FailOn == "":
			g.Detail = "(a fail at or above the threshold)"
		case gateBasis(rep) == "":
			// No basis line says why: the verdict does.
			g.Detail = fmt.Sprintf("(%s at or above %s)", trippingWord(rep), rep.FailOn)
		}
		return g
	case audit.ExitIncomplete:
		return gate{Word: "incomplete", Class: "incomplete", Detail: "(exit 3)"}
	}
	return gate{Word: "error", Class: "incomplete", Detail: fmt.Sprintf("(exit %d)", rep.ExitCode)}
}

// trippingWord names what trips the gate: "fail", or "fail or warn" under
// --fail-on-warn.
func trippingWord(rep *audit.Report) string {
	if rep.FailOnWarn {
		return "fail or warn"
	}
	return "fail"
}

// gateBasis says what the gate counted, e.g. "3 unsuppressed fails at or
// above high", so a reader sees why it passed or failed and that suppressed
// results did not count. The verdict itself stays the run's (rep.ExitCode);
// this only counts the results that explain it. "" when there is nothing to
// say (no threshold recorded, or an exit code the gate does not produce).
func gateBasis(rep *audit.Report) string {
	g := audit.Gate{FailOn: rep.FailOn, FailOnWarn: rep.FailOnWarn}
	var errs, trips int
	for r := range rep.Results() {
		switch {
		case r.Suppressed:
		case r.Status == audit.StatusError:
			errs++
		case rep.FailOn != "" && g.Trips(r):
			trips++
		}
	}
	word := trippingWord(rep)
	failText := func() string {
		if rep.FailOn == audit.FailOnNone {
			return "report only (--fail-on none)"
		}
		if trips == 0 {
			return fmt.Sprintf("no unsuppressed %s at or above %s", word, rep.FailOn)
		}
		if trips != 1 {
			word = strings.ReplaceAll(word, "fail", "fails")
			word = strings.ReplaceAll(word, "warn", "warns")
		}
		return fmt.Sprintf("%d unsuppressed %s at or above %s", trips, word, rep.FailOn)
	}
	// The counts explain the verdict; should they ever disagree with it
	// (a report edited by hand), they are left out rather than shown
	// contradicting it.
	switch rep.ExitCode {
	case audit.ExitOK:
		if rep.FailOn != "" && trips == 0 {
			return failText()
		}
	case audit.ExitGateFailed:
		if rep.FailOn != "" && trips > 0 {
			return failText()
		}
	case audit.ExitIncomplete:
		if errs == 0 {
			return ""
		}
		s := plural(errs, "unsuppressed error", "unsuppressed errors") + " (could not evaluate)"
		if rep.FailOn != "" && rep.FailOn != audit.FailOnNone && trips > 0 {
			s += ", " + failText()
		}
		return s
	}
	return ""
}

// requireText says which inputs the run required, or "".
func requireText(rep *audit.Report) string {
	if len(rep.Require) == 0 {
		return ""
	}
	return "required inputs: " + strings.Join(rep.Require, ", ")
}

// summaryText is the one-line summary every human-facing format ends or
// starts with: what was counted, what the gate counted, the verdict.
func summaryText(rep *audit.Report) string {
	return summaryLine(rep, gateOf(rep).String())
}

// summaryLine is summaryText with the verdict already rendered, so the table
// can colour it and Markdown embolden it.
func summaryLine(rep *audit.Report, verdict string) string {
	s := fmt.Sprintf("%s: %s", scopeText(rep), countsText(rep.Summary, suppressedCounts(rep)))
	if b := gateBasis(rep); b != "" {
		s += " — " + b
	}
	if r := requireText(rep); r != "" {
		s += " — " + r
	}
	return s + " — gate: " + verdict
}

// configText states what the run's config changed, or "" when the run used
// none: "Config: PATH — disabled: a (critical); severity changed: b critical
// → info". Every human format shows it, so a disabled rule is never mistaken
// for one that passed.
func configText(rep *audit.Report) string {
	head, parts := configParts(rep)
	if head == "" || (rep.Config == "" && len(rep.Overrides) == 0) {
		return head
	}
	if len(parts) == 0 {
		return head + " — no rule disabled or re-rated"
	}
	return head + " — " + strings.Join(parts, "; ")
}

// configParts is configText in pieces: "Config: PATH", then "disabled: …"
// and "severity changed: …" when there are such overrides.
func configParts(rep *audit.Report) (head string, parts []string) {
	if rep.Config == "" && len(rep.Overrides) == 0 {
		if rep.Selection != "" {
			return "Rules chosen: " + rep.Selection, nil
		}
		return "", nil
	}
	path := rep.Config
	if path == "" {
		path = "(file not recorded)"
	}
	var disabled, changed []string
	for _, o := range rep.Overrides {
		switch {
		case o.Disabled:
			d := o.Rule
			if o.DefaultSeverity != "" {
				d += fmt.Sprintf(" (%s)", o.DefaultSeverity)
			}
			disabled = append(disabled, d)
		case o.Severity != "" && o.Severity != o.DefaultSeverity:
			from := string(o.DefaultSeverity)
			if from == "" {
				from = "?"
			}
			changed = append(changed, fmt.Sprintf("%s %s → %s", o.Rule, from, o.Severity))
		}
	}
	if len(disabled) > 0 {
		parts = append(parts, "disabled: "+strings.Join(disabled, ", "))
	}
	if len(changed) > 0 {
		parts = append(parts, "severity changed: "+strings.Join(changed, ", "))
	}
	if rep.Selection != "" {
		parts = append(parts, "rules chosen: "+rep.Selection)
	}
	return "Config: " + path, parts
}

// severityLabel is the severity as people read it: "info (was critical)"
// when the config changed it.
func severityLabel(r audit.Result) string {
	if r.DefaultSeverity != "" && r.DefaultSeverity != r.Severity {
		return fmt.Sprintf("%s (was %s)", r.Severity, r.DefaultSeverity)
	}
	return string(r.Severity)
}

// statusLabel is the status as people read it, marking suppressed results.
func statusLabel(r audit.Result) string {
	if r.Suppressed {
		return string(r.Status) + " (suppressed)"
	}
	return string(r.Status)
}

// suppressionText explains a suppression note in one sentence, or "" when
// there is none. An expired suppression is stated so nobody wonders why a
// finding they silenced is back.
func suppressionText(r audit.Result) string {
	n := r.Suppression
	if n == nil {
		if r.Suppressed {
			return "Suppressed."
		}
		return ""
	}
	var b strings.Builder
	switch {
	case n.Expired && n.Expires != "":
		fmt.Fprintf(&b, "Suppression expired on %s", n.Expires)
	case n.Expired:
		b.WriteString("Suppression expired")
	case n.Expires != "":
		fmt.Fprintf(&b, "Suppressed until %s", n.Expires)
	default:
		b.WriteString("Suppressed")
	}
	if n.Reason != "" {
		fmt.Fprintf(&b, ": %s", n.Reason)
	}
	if n.Expired && !r.Suppressed {
		b.WriteString(" (no longer suppressed)")
	}
	b.WriteString(".")
	return b.String()
}

// suppressionLines lists every suppression that matched a result of the
// run, one line each, for the audit record: where, which rule, its status,
// the reason, until when, and the config's file:line.
func suppressionLines(rep *audit.Report) []string {
	var out []string
	add := func(name string, results []audit.Result) {
		for _, r := range results {
			n := r.Suppression
			if n == nil {
				continue
			}
			until := "until " + n.Expires
			if n.Expired {
				until = "expired on " + n.Expires + ", no longer suppressed"
			}
			line := fmt.Sprintf("%s · %s (%s): %s — %s", name, r.Rule, r.Status, n.Reason, until)
			if n.File != "" && n.Line > 0 {
				line += fmt.Sprintf(" (%s:%d)", n.File, n.Line)
			}
			out = append(out, line)
		}
	}
	for t := range rep.EachTarget() {
		add(t.Name, t.Results)
	}
	for d := range rep.EachDeployment() {
		add(d.Name, d.Results)
	}
	return out
}
