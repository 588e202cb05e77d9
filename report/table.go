package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

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
	fmt.Fprintf(bw, "%s: %s — gate: %s\n", scopeText(rep), countsText(rep.Summary), p.gate(gateOf(rep)))
	return bw.Flush()
}

func targetHeading(t audit.TargetReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Target %s (source %s, platform %s)", t.Name, orNone(t.Source), orNone(t.Platform))
	fmt.Fprintf(&b, " · app %s", appText(t.App))
	return b.String()
}

// appText names an app the way Okta's admin UI does: label, then ID.
func appText(a audit.AppRef) string {
	switch {
	case a.Label != "" && a.ID != "":
		return fmt.Sprintf("%q (%s)", a.Label, a.ID)
	case a.ID != "":
		return a.ID
	case a.Label != "":
		return fmt.Sprintf("%q", a.Label)
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
		row := []string{status, string(r.Severity), r.Rule, strings.Join(wrap(r.Message, messageWidth), "\n")}
		if err := table.Append(row); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	writeFixes(w, results, p)
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
// table says what is wrong, this says how to put it right.
func writeFixes(w io.Writer, results []audit.Result, p painter) {
	first := true
	for _, r := range results {
		if !isFinding(r) {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nHow to fix:")
			first = false
		}
		fmt.Fprintf(w, "\n  %s %s [%s] %s\n", p.status(r.Status, statusLabel(r)), r.Rule, r.Severity, r.Title)
		indent := "      "
		if note := suppressionText(r); note != "" {
			writeIndented(w, indent, note, blockWidth)
		}
		if r.Remediation != "" {
			writeIndented(w, indent, r.Remediation, blockWidth)
		} else if r.Status == audit.StatusError {
			writeIndented(w, indent, "Make the missing input available and run the scan again.", blockWidth)
		}
		if r.Reference != "" {
			writeIndented(w, indent, "Reference: "+r.Reference, blockWidth)
		}
		if len(r.Evidence) > 0 {
			fmt.Fprintf(w, "%sEvidence:\n", indent)
			for _, f := range r.Evidence {
				fmt.Fprintf(w, "%s  %s: %s\n", indent, f.Key, oneLine(evidenceValue(f.Value), evidenceWidth))
			}
		}
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
