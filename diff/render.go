package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/redact"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

// Formats lists the diff output formats.
var Formats = []string{"table", "json", "markdown"}

var headings = map[string]string{
	NewFail:         "New failures",
	NewError:        "Newly erroring (could not be evaluated)",
	NoLongerChecked: "No longer checked (skipped or erroring now: not a fix)",
	NewWarn:         "New warnings",
	StillFailing:    "Still failing",
	Resolved:        "Resolved",
	Attested:        "Attested by a person (not decided by ssoaudit)",
	NowChecked:      "Now checked and passing",
	NoLongerFound:   "No longer reported (target or rule gone: not a fix)",
}

// counted names each kind in the closing count, singular and plural.
var counted = map[string][2]string{
	NewFail:         {"new failure", "new failures"},
	NewError:        {"newly erroring", "newly erroring"},
	NoLongerChecked: {"no longer checked", "no longer checked"},
	NewWarn:         {"new warning", "new warnings"},
	StillFailing:    {"still failing", "still failing"},
	Resolved:        {"resolved", "resolved"},
	Attested:        {"attested", "attested"},
	NowChecked:      {"now checked", "now checked"},
	NoLongerFound:   {"no longer reported", "no longer reported"},
}

// DefaultWidth is the table's width when the caller names none.
const DefaultWidth = 80

// maxWidth bounds the table in a very wide terminal.
const maxWidth = 120

// Write renders a diff as table, json or markdown, the table
// DefaultWidth columns wide.
func Write(w io.Writer, format string, d *Result) error {
	return WriteWidth(w, format, d, DefaultWidth)
}

// WriteWidth is Write with the table fitted to width columns (a terminal's).
func WriteWidth(w io.Writer, format string, d *Result, width int) error {
	return WriteRedacted(w, format, d, width, nil)
}

// WriteRedacted is WriteWidth with secrets the caller knows (the
// environment's Okta credentials) hidden too, besides what any diff hides
// (Druva-shaped tokens, URL credentials, JSON Web Tokens).
func WriteRedacted(w io.Writer, format string, d *Result, width int, secrets *redact.Set) error {
	if width <= 0 {
		width = DefaultWidth
	}
	width = min(max(width, 40), maxWidth)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(escape.Strings(d, func(_, s string) string { return secrets.String(s) }))
	case "table":
		return writeText(w, visible(d, secrets), false, width)
	case "markdown":
		return writeText(w, visible(d, secrets), true, width)
	}
	return fmt.Errorf("unknown diff format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// writeText renders the diff for people: per kind of change, worst
// severity first. The table puts each change on lines of its own (severity
// and rule, then target and statuses, then the message wrapped to width),
// so a long rule ID or target name never pushes a column out of line.
func writeText(w io.Writer, d *Result, md bool, width int) error {
	var b strings.Builder
	para := func(text string) {
		if md {
			b.WriteString(text + "\n")
			return
		}
		for _, line := range words.Wrap(text, width) {
			b.WriteString(line + "\n")
		}
	}
	if md {
		b.WriteString("### ssoaudit: changes since the previous scan\n\n")
	}
	para(fmt.Sprintf("Compared %s (%s) with %s (%s).", d.Old.File, d.Old.GeneratedAt.Format("2006-01-02 15:04 MST"), d.New.File, d.New.GeneratedAt.Format("2006-01-02 15:04 MST")))
	for _, w := range d.Warnings {
		b.WriteString("\n")
		para(fmt.Sprintf("Warning: %s.", w))
	}
	if len(d.Changes) == 0 {
		b.WriteString("\nNo result changed, and nothing fails or errors in either report.\n")
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
		sortChanges(rows)
		if md {
			fmt.Fprintf(&b, "\n#### %s (%d)\n\n| severity | rule | target | was | now | message |\n|---|---|---|---|---|---|\n", headings[kind], len(rows))
			for _, c := range rows {
				fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", cell(string(c.Severity)), strings.ReplaceAll(escape.MarkdownCode(c.Rule), "|", `\|`), cell(changeTarget(c)), cell(orDash(string(c.OldStatus))), cell(orDash(string(c.NewStatus))+suppressedMark(c)), cell(c.Message))
			}
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", headings[kind], len(rows))
		const indent = "            "
		for _, c := range rows {
			fmt.Fprintf(&b, "\n  %-8s  %s\n", c.Severity, c.Rule)
			for _, line := range words.Wrap(fmt.Sprintf("%s → %s%s · %s", orDash(string(c.OldStatus)), orDash(string(c.NewStatus)), suppressedMark(c), map[bool]string{false: "target ", true: ""}[c.Deployment]+changeTarget(c)), width-len(indent)) {
				b.WriteString(indent + line + "\n")
			}
			for _, line := range words.Wrap(c.Message, width-len(indent)) {
				b.WriteString(indent + line + "\n")
			}
		}
	}
	verdict := "gate: passed (nothing new at or above " + string(d.FailOn) + ")"
	if d.ExitCode != 0 {
		verdict = "gate: FAILED (a new fail or error at or above " + string(d.FailOn) + ")"
	}
	b.WriteString("\n")
	para(countLine(d) + " — " + verdict)
	_, err := io.WriteString(w, b.String())
	return err
}

// sortChanges orders changes worst first: by severity, then target, then
// rule, so the change that matters most leads its section.
func sortChanges(rows []Change) {
	slices.SortStableFunc(rows, func(a, b Change) int {
		if d := b.Severity.Level() - a.Severity.Level(); d != 0 {
			return d
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
}

// countLine counts the changes per kind, every kind that occurred plus the
// three a reader looks for first, each with its right plural.
func countLine(d *Result) string {
	var parts []string
	for _, kind := range Kinds {
		n := d.Summary[kind]
		if n == 0 && kind != NewFail && kind != StillFailing && kind != Resolved {
			continue
		}
		word := counted[kind][1]
		if n == 1 {
			word = counted[kind][0]
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	return strings.Join(parts, ", ")
}

func suppressedMark(c Change) string {
	switch {
	case c.Suppressed && c.OldSuppressed:
		return " (suppressed in both)"
	case c.Suppressed:
		return " (suppressed)"
	case c.OldSuppressed:
		return " (was suppressed)"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// visible is a copy of d whose every string (target names, messages, file
// names: all read from reports, so untrusted) is redacted — a diff knows no
// run's secrets, but the reports it reads may come from anywhere, so
// Druva-shaped tokens, URL credentials and the secrets given are hidden — and
// shows control and bidi characters escaped (escape.Line): the table goes to
// a terminal, and Markdown to a pull request.
func visible(d *Result, secrets *redact.Set) *Result {
	return escape.Strings(d, func(_, s string) string { return escape.Line(secrets.String(s)) })
}

// cell makes a value safe in a Markdown table cell: inert markup and link
// syntax (escape.Markdown), and | escaped so it cannot end the cell.
func cell(s string) string {
	return strings.ReplaceAll(escape.Markdown(s), "|", "\\|")
}

// changeTarget names what a change is on: a target, or a deployment.
func changeTarget(c Change) string {
	if c.Deployment {
		return "deployment " + c.Target
	}
	return c.Target
}
