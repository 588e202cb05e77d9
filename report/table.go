package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Widths of the table's wrapped text: the message column keeps a four-column
// row within about 120 terminal columns; blocks under the table get more room
// because they are indented prose.
const (
	messageWidth  = 60
	blockWidth    = 90
	evidenceWidth = 100
	// evidenceItemWidth bounds one element of an evidence list.
	evidenceItemWidth = 160
)

// ANSI SGR sequences. Colour marks the status words and the verdict only:
// the table must stay legible on any theme and when colour is stripped.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
)

// painter colours text when enabled and is the identity otherwise, so no
// code path can leak an escape sequence into uncoloured output.
type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) status(st audit.Status, s string) string {
	switch st {
	case audit.StatusFail:
		return p.paint(ansiBold+ansiRed, s)
	case audit.StatusError:
		return p.paint(ansiBold+ansiMagenta, s)
	case audit.StatusWarn:
		return p.paint(ansiYellow, s)
	case audit.StatusPass:
		return p.paint(ansiGreen, s)
	case audit.StatusSkip:
		return p.paint(ansiDim, s)
	}
	return s
}

func (p painter) gate(g gate) string {
	switch g.Class {
	case "passed":
		return p.paint(ansiBold+ansiGreen, g.Word) + suffix(g.Detail)
	case "failed":
		return p.paint(ansiBold+ansiRed, g.Word) + suffix(g.Detail)
	}
	return p.paint(ansiBold+ansiMagenta, g.Word) + suffix(g.Detail)
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// writeTable renders the report for a person at a terminal: per target a
// header, the results worst first, then what to do about each finding.
func writeTable(w io.Writer, rep *audit.Report, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	for i, t := range rep.Targets {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		if err := writeTargetTable(bw, t, p); err != nil {
			return err
		}
	}
	if len(rep.Targets) > 0 {
		fmt.Fprintln(bw)
	}
	// The config's changes go just above the verdict, where a reader at a
	// terminal looks: on one line when they fit, else one kind a line.
	if c := configText(rep); c != "" {
		if head, parts := configParts(rep); utf8.RuneCountInString(c) > blockWidth+4 {
			fmt.Fprintln(bw, head)
			for _, part := range parts {
				writeHanging(bw, "  ", "    ", part, blockWidth+2)
			}
		} else {
			fmt.Fprintln(bw, c)
		}
	}
	fmt.Fprintln(bw, summaryLine(rep, p.gate(gateOf(rep))))
	return bw.Flush()
}

func targetHeading(t audit.TargetReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Target %s (source %s, platform %s)", t.Name, orNone(t.Source), orNone(t.Platform))
	fmt.Fprintf(&b, " · app %s", appText(t.App))
	return b.String()
}

// appText names an app the way Okta's admin UI does: label, then ID. The
// label arrives escaped (visibleReport), so it is quoted as it is: %q would
// escape its escapes a second time.
func appText(a audit.AppRef) string {
	switch {
	case a.Label != "" && a.ID != "":
		return `"` + a.Label + `" (` + a.ID + ")"
	case a.ID != "":
		return a.ID
	case a.Label != "":
		return `"` + a.Label + `"`
	}
	return "(unknown)"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func writeTargetTable(w io.Writer, t audit.TargetReport, p painter) error {
	fmt.Fprintln(w, p.paint(ansiBold, targetHeading(t)))
	if t.Origin != "" {
		fmt.Fprintf(w, "Read from %s\n", t.Origin)
	}
	if t.Console != "" {
		fmt.Fprintf(w, "Druva console settings from %s (sha256 %s)\n", t.Console, short(t.ConsoleSHA256))
	}
	results := sortedResults(t.Results)
	if len(results) == 0 {
		fmt.Fprintln(w, "No rules were run for this target.")
		return nil
	}
	table := newTable(w)
	table.Header("STATUS", "SEVERITY", "RULE", "MESSAGE")
	for _, r := range results {
		// The suppression marker goes on its own line so the status column
		// stays narrow.
		status := p.status(r.Status, string(r.Status))
		if r.Suppressed {
			status += "\n(suppressed)"
		}
		// Likewise a severity the config changed shows the catalog's on a
		// second line: "info" then "(was critical)".
		sev := string(r.Severity)
		if l := severityLabel(r); l != sev {
			sev += "\n" + strings.TrimPrefix(l, sev+" ")
		}
		row := []string{status, sev, r.Rule, strings.Join(wrap(r.Message, messageWidth), "\n")}
		if err := table.Append(row); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	writeFixes(w, results, p)
	writeNotChecked(w, results, p)
	return nil
}

// newTable configures tablewriter to print exactly the cells it is given:
// our own wrapping (deterministic, word-aware), no reformatting of headers,
// and East Asian width detection off so output does not depend on the locale.
func newTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Symbols: tw.NewSymbols(tw.StyleLight),
		})),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
}

// writeFixes prints, under the table, what to do about each finding: the
// table says what is wrong, this says how to put it right. Errors that share
// a cause get one block: the cause once, then the fix for the data (the
// result's own remediation, never the rule's set-up fix).
func writeFixes(w io.Writer, results []audit.Result, p painter) {
	items := fixItems(results)
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, "\nHow to fix:")
	const indent = "      "
	shown := map[string]bool{}
	for _, it := range items {
		r := it.First()
		if it.IsError() {
			head := errorLabel(r) + " — " + groupRules(it.Rules(), plain)
			if len(it.Results) == 1 {
				head += fmt.Sprintf(" [%s] %s", severityLabel(r), r.Title)
			}
			// Not wrapped: the heading names at most a few rules.
			fmt.Fprintf(w, "\n  %s%s\n", p.status(r.Status, errorLabel(r)), strings.TrimPrefix(head, errorLabel(r)))
			writeIndented(w, indent, r.Message, blockWidth)
		} else {
			fmt.Fprintf(w, "\n  %s %s [%s] %s\n", p.status(r.Status, statusLabel(r)), r.Rule, severityLabel(r), r.Title)
		}
		if note := suppressionText(r); note != "" {
			writeIndented(w, indent, note, blockWidth)
		}
		switch {
		case it.IsError() && shown[r.Remediation]:
			// Causes differ, the fix for the data does not: say it once.
			writeIndented(w, indent, "Fix: as for the error above.", blockWidth)
		case r.Remediation != "":
			writeIndented(w, indent, r.Remediation, blockWidth)
			if it.IsError() {
				shown[r.Remediation] = true
			}
		case it.IsError():
			writeIndented(w, indent, "Make the missing input available and run the scan again.", blockWidth)
		}
		// A rule's reference is where its set-up requirement comes from:
		// beside the point while the rule could not even look.
		if r.Reference != "" && !it.IsError() {
			writeIndented(w, indent, "Reference: "+r.Reference, blockWidth)
		}
		if it.SharedEvidence() {
			writeEvidence(w, indent, r.Evidence)
			continue
		}
		for _, m := range it.Results {
			if len(m.Evidence) > 0 {
				fmt.Fprintf(w, "%s%s:\n", indent, m.Rule)
				writeEvidence(w, indent+"  ", m.Evidence)
			}
		}
	}
}

// packList joins items with ", " into lines of at most width runes,
// breaking only between items (an item stays whole).
func packList(items []string, width int) []string {
	var out []string
	line := ""
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		switch {
		case line == "":
			line = it
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(it) > width:
			out = append(out, line)
			line = it
		default:
			line += " " + it
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// writeEvidence lists evidence one fact a line. A list is shown one element
// a line (at most maxEvidenceItems), so that, say, the users a rule names
// are all readable rather than cut off; a long scalar is cut to one line.
func writeEvidence(w io.Writer, indent string, ev audit.Evidence) {
	if len(ev) == 0 {
		return
	}
	fmt.Fprintf(w, "%sEvidence:\n", indent)
	for _, f := range ev {
		items, ok := evidenceList(f.Value)
		if !ok || len(items) == 0 {
			fmt.Fprintf(w, "%s  %s: %s\n", indent, f.Key, oneLine(evidenceValue(f.Value), evidenceWidth))
			continue
		}
		fmt.Fprintf(w, "%s  %s:\n", indent, f.Key)
		for i, item := range items {
			if i == maxEvidenceItems {
				fmt.Fprintf(w, "%s    … %d more\n", indent, len(items)-i)
				break
			}
			fmt.Fprintf(w, "%s    - %s\n", indent, oneLine(item, evidenceItemWidth))
		}
	}
}

// writeNotChecked prints, after the fixes, the rules that were skipped,
// grouped by reason: a skipped check is not a passed one.
func writeNotChecked(w io.Writer, results []audit.Result, p painter) {
	groups := skipGroups(results)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\nNot checked:")
	for _, g := range groups {
		fmt.Fprintln(w)
		lines := packList(skippedRuleList(g, plain), blockWidth+4-len("skip — "))
		for i, line := range lines {
			if i == 0 {
				fmt.Fprintf(w, "  %s — %s\n", p.status(audit.StatusSkip, "skip"), line)
				continue
			}
			fmt.Fprintf(w, "         %s\n", line)
		}
		writeIndented(w, "      ", g.Message, blockWidth)
	}
}

// writeHanging wraps text to width, the first line after first and the rest
// after rest.
func writeHanging(w io.Writer, first, rest, text string, width int) {
	for i, line := range wrap(text, width) {
		if i == 0 {
			fmt.Fprintln(w, first+line)
			continue
		}
		fmt.Fprintln(w, rest+line)
	}
}

func writeIndented(w io.Writer, indent, text string, width int) {
	for _, line := range wrap(text, width) {
		if line == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintln(w, indent+line)
	}
}

// short abbreviates a fingerprint for a header line; JSON keeps it whole.
func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
