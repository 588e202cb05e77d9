// Package report renders an audit.Report for people (table, html), machines
// (json) and CI systems (sarif, junit, markdown). Writers only render: every
// status, suppression and the exit code arrive already decided.
package report

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Formats lists the report formats: table json sarif junit markdown html.
var Formats = []string{"table", "json", "sarif", "junit", "markdown", "html"}

// Options tune how a report is rendered.
type Options struct {
	// Color turns on ANSI colour in the table. The CLI decides (a terminal
	// and no NO_COLOR); writers never look at the environment themselves.
	Color bool
	// Catalog is the rule set, so SARIF can describe every rule, including
	// ones that passed. May be nil: rules are then described from results.
	Catalog []*audit.Rule
}

// Write renders rep in format to w.
func Write(w io.Writer, format string, rep *audit.Report, opts Options) error {
	if rep == nil {
		return errors.New("report: nil report")
	}
	switch format {
	case "table":
		return writeTable(w, rep, opts)
	case "json":
		return writeJSON(w, rep)
	case "sarif":
		return writeSARIF(w, rep, opts)
	case "junit":
		return writeJUnit(w, rep)
	case "markdown":
		return writeMarkdown(w, rep)
	case "html":
		return writeHTML(w, rep)
	}
	return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
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

// totalResults is how many results the summary counts.
func totalResults(s audit.Summary) int {
	n := 0
	for _, st := range audit.Statuses {
		n += s.Count(st)
	}
	return n
}

// countsText lists the summary's counts in report order: "3 fail, 1 error, …".
func countsText(s audit.Summary) string {
	parts := make([]string, 0, len(audit.Statuses))
	for _, st := range audit.Statuses {
		parts = append(parts, fmt.Sprintf("%d %s", s.Count(st), st))
	}
	return strings.Join(parts, ", ")
}

// scopeText says what the counts cover: rules when there is one target,
// results across targets when there are several (rule sets may differ).
func scopeText(rep *audit.Report) string {
	n := totalResults(rep.Summary)
	if len(rep.Targets) == 1 {
		return plural(n, "rule", "rules")
	}
	return fmt.Sprintf("%s across %s", plural(n, "result", "results"), plural(len(rep.Targets), "target", "targets"))
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
		return gate{Word: "passed", Class: "passed"}
	case audit.ExitGateFailed:
		d := "(a fail at or above the threshold)"
		if rep.FailOn != "" {
			d = fmt.Sprintf("(fail at or above %s)", rep.FailOn)
		}
		return gate{Word: "FAILED", Class: "failed", Detail: d}
	case audit.ExitIncomplete:
		return gate{Word: "incomplete", Class: "incomplete", Detail: "(exit 3)"}
	}
	return gate{Word: "error", Class: "incomplete", Detail: fmt.Sprintf("(exit %d)", rep.ExitCode)}
}

// summaryText is the one-line summary every human-facing format ends or
// starts with.
func summaryText(rep *audit.Report) string {
	return fmt.Sprintf("%s: %s — gate: %s", scopeText(rep), countsText(rep.Summary), gateOf(rep))
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

// evidenceValue renders one evidence value as text: strings as they are,
// values with a text form (time.Time, audit.Secret) in that form, anything
// else as JSON. Secrets therefore only ever show their redacted form.
func evidenceValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case encoding.TextMarshaler:
		if b, err := x.MarshalText(); err == nil {
			return string(b)
		}
	case json.Marshaler:
		// A type that chose its JSON form (nested audit.Evidence keeps its
		// key order this way) knows best how to show itself.
		if b, err := x.MarshalJSON(); err == nil {
			return string(b)
		}
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(unprintable %T: %v)", v, err)
	}
	return string(b)
}

// oneLine squeezes text onto one line of at most max runes, for places
// (terminal blocks) where a long evidence value would drown the finding.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// wrap breaks text into lines of at most width runes at spaces, keeping the
// text's own line breaks. A word longer than width stays whole (URLs must
// stay copyable).
func wrap(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := words[0]
		for _, w := range words[1:] {
			if utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			line += " " + w
		}
		out = append(out, line)
	}
	return out
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
