package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// Formats lists the diff output formats.
var Formats = []string{"table", "json", "markdown"}

var headings = map[string]string{
	NewFail:       "New failures",
	NewError:      "Newly erroring (could not be evaluated)",
	StillFailing:  "Still failing",
	Resolved:      "Resolved",
	NoLongerFound: "No longer reported (target or rule gone: not a fix)",
}

// Write renders a diff as table, json or markdown.
func Write(w io.Writer, format string, d *Result) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(escape.Strings(d, func(_, s string) string { return noSecrets.String(s) }))
	case "table":
		return writeText(w, visible(d), false)
	case "markdown":
		return writeText(w, visible(d), true)
	}
	return fmt.Errorf("unknown diff format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

func writeText(w io.Writer, d *Result, md bool) error {
	var b strings.Builder
	if md {
		b.WriteString("### ssoaudit: changes since the previous scan\n\n")
	}
	fmt.Fprintf(&b, "Compared %s (%s) with %s (%s).\n", d.Old.File, d.Old.GeneratedAt.Format("2006-01-02 15:04 MST"), d.New.File, d.New.GeneratedAt.Format("2006-01-02 15:04 MST"))
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "\nWarning: %s.\n", w)
	}
	if len(d.Changes) == 0 {
		b.WriteString("\nNothing fails or errors in either report.\n")
	}
	for _, kind := range Kinds {
		var rows []Change
		for _, c := range d.Changes {
			if c.Kind == kind {
				rows = append(rows, c)
			}
		}
		if len(rows) == 0 {
			continue
		}
		if md {
			fmt.Fprintf(&b, "\n#### %s (%d)\n\n| target | rule | severity | was | now | message |\n|---|---|---|---|---|---|\n", headings[kind], len(rows))
			for _, c := range rows {
				fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", cell(c.Target), c.Rule, c.Severity, orDash(string(c.OldStatus)), orDash(string(c.NewStatus))+suppressedMark(c), cell(c.Message))
			}
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", headings[kind], len(rows))
		for _, c := range rows {
			fmt.Fprintf(&b, "  %-9s %-30s %-24s %s -> %s%s\n      %s\n", c.Severity, c.Target, c.Rule, orDash(string(c.OldStatus)), orDash(string(c.NewStatus)), suppressedMark(c), c.Message)
		}
	}
	verdict := "gate: passed (nothing new at or above " + string(d.FailOn) + ")"
	if d.ExitCode != 0 {
		verdict = "gate: FAILED (a new fail or error at or above " + string(d.FailOn) + ")"
	}
	fmt.Fprintf(&b, "\n%d new failures, %d newly erroring, %d still failing, %d resolved, %d no longer reported — %s\n",
		d.Summary[NewFail], d.Summary[NewError], d.Summary[StillFailing], d.Summary[Resolved], d.Summary[NoLongerFound], verdict)
	_, err := io.WriteString(w, b.String())
	return err
}

func suppressedMark(c Change) string {
	if c.Suppressed {
		return " (suppressed)"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// noSecrets is the redaction a diff can do: it holds no secret of its own,
// but the reports it reads may come from anywhere, so Druva-shaped tokens
// and URL credentials in them are hidden.
var noSecrets *redact.Set

// visible is a copy of d whose every string (target names, messages, file
// names: all read from reports, so untrusted) is redacted (noSecrets) and
// shows control and bidi characters escaped (escape.Line): the table goes to
// a terminal, and Markdown to a pull request.
func visible(d *Result) *Result {
	return escape.Strings(d, func(_, s string) string { return escape.Line(noSecrets.String(s)) })
}

// cell makes a value safe in a Markdown table cell: inert markup and link
// syntax (escape.Markdown), and | escaped so it cannot end the cell.
func cell(s string) string {
	return strings.ReplaceAll(escape.Markdown(s), "|", "\\|")
}
