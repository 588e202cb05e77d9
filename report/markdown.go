package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// statusIcon helps a reviewer scan a pull-request comment; the status word
// always follows, so nothing depends on the icon alone.
var statusIcon = map[audit.Status]string{
	audit.StatusFail:  "❌",
	audit.StatusError: "⛔",
	audit.StatusWarn:  "⚠️",
	audit.StatusPass:  "✅",
	audit.StatusSkip:  "⏭️",
}

// writeMarkdown writes a pull-request comment: the verdict first, then per
// target only what is not passing, with remediation folded away.
func writeMarkdown(w io.Writer, rep *audit.Report) error {
	bw := bufio.NewWriter(w)
	g := gateOf(rep)
	fmt.Fprint(bw, "## ssoaudit report\n\n")
	fmt.Fprintf(bw, "%s: %s — gate: **%s**%s\n\n", scopeText(rep), countsText(rep.Summary), g.Word, mdText(suffix(g.Detail)))
	fmt.Fprintf(bw, "<sub>%s %s · generated %s</sub>\n", mdText(toolName(rep)), mdText(rep.Tool.Version), rep.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))

	if findingCount(rep) == 0 {
		fmt.Fprintf(bw, "\nAll rules passed or were skipped on %s.\n", plural(len(rep.Targets), "target", "targets"))
		return bw.Flush()
	}
	for _, t := range rep.Targets {
		writeMarkdownTarget(bw, t)
	}
	return bw.Flush()
}

func findingCount(rep *audit.Report) int {
	n := 0
	for _, t := range rep.Targets {
		for _, r := range t.Results {
			if isFinding(r) {
				n++
			}
		}
	}
	return n
}

func writeMarkdownTarget(w io.Writer, t audit.TargetReport) {
	fmt.Fprintf(w, "\n### %s\n\n", mdText(t.Name))
	fmt.Fprintf(w, "App %s · source `%s` · platform `%s`", mdText(appText(t.App)), mdCode(t.Source), mdCode(t.Platform))
	if t.Origin != "" {
		fmt.Fprintf(w, " · from `%s`", mdCode(t.Origin))
	}
	fmt.Fprintln(w)

	var findings []audit.Result
	for _, r := range sortedResults(t.Results) {
		if isFinding(r) {
			findings = append(findings, r)
		}
	}
	if len(findings) == 0 {
		fmt.Fprintf(w, "\nAll %s passed or were skipped.\n", plural(len(t.Results), "rule", "rules"))
		return
	}

	fmt.Fprintln(w, "\n| Status | Severity | Rule | Message |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range findings {
		fmt.Fprintf(w, "| %s %s | %s | `%s` | %s |\n", statusIcon[r.Status], mdCell(statusLabel(r)), mdCell(string(r.Severity)), strings.ReplaceAll(mdCode(r.Rule), "|", `\|`), mdCell(r.Message))
	}
	if passed := t.Summary.Pass + t.Summary.Skip; passed > 0 {
		fmt.Fprintf(w, "\n%d passed, %d skipped.\n", t.Summary.Pass, t.Summary.Skip)
	}

	fmt.Fprintf(w, "\n<details>\n<summary>How to fix (%s)</summary>\n", plural(len(findings), "finding", "findings"))
	for _, r := range findings {
		fmt.Fprintf(w, "\n#### %s `%s` — %s\n\n", statusIcon[r.Status], mdCode(r.Rule), mdText(r.Title))
		fmt.Fprintf(w, "**%s** · %s · %s\n", mdText(statusLabel(r)), mdText(string(r.Severity)), mdText(r.Message))
		if note := suppressionText(r); note != "" {
			fmt.Fprintf(w, "\n> %s\n", mdText(note))
		}
		if r.Remediation != "" {
			fmt.Fprintf(w, "\n%s\n", mdText(r.Remediation))
		}
		if r.Reference != "" {
			fmt.Fprintf(w, "\nReference: %s\n", mdText(r.Reference))
		}
		if len(r.Evidence) > 0 {
			fmt.Fprintln(w, "\nEvidence:")
			for _, f := range r.Evidence {
				fmt.Fprintf(w, "- `%s`: `%s`\n", mdCode(f.Key), mdCode(oneLine(evidenceValue(f.Value), 200)))
			}
		}
	}
	fmt.Fprintln(w, "\n</details>")
}

// mdText escapes text for Markdown prose: GitHub renders raw HTML, so a
// message quoting <saml:Assertion> would otherwise vanish or inject markup.
var mdTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func mdText(s string) string { return mdTextEscaper.Replace(s) }

// mdCell escapes text for a table cell, where | ends the cell and a newline
// ends the row.
func mdCell(s string) string {
	s = strings.ReplaceAll(mdText(s), "|", `\|`)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// mdCode makes text safe inside a single-backtick code span: entities are
// not decoded there, so only backticks and line breaks need handling.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
