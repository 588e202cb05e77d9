package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
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
func writeMarkdown(w io.Writer, rep *audit.Report, locs map[string]audit.Location) error {
	bw := bufio.NewWriter(w)
	g := gateOf(rep)
	fmt.Fprint(bw, "## ssoaudit report\n\n")
	// The verdict goes in bold: render the line around a placeholder.
	// U+E000 (private use) passes mdText unchanged; the line holds no data.
	line := mdText(summaryLine(rep, "\ue000"))
	fmt.Fprintf(bw, "%s\n\n", strings.Replace(line, "\ue000", "**"+g.Word+"**"+mdText(suffix(g.Detail)), 1))
	if c := configText(rep); c != "" {
		fmt.Fprintf(bw, "%s\n\n", mdText(c))
	}
	fmt.Fprintf(bw, "<sub>%s %s · generated %s</sub>\n", mdText(toolName(rep)), mdText(rep.Tool.Version), rep.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	// The audit record's accepted risks: every suppression that matched,
	// so a reviewer sees what the verdict does not count.
	if sl := suppressionLines(rep); len(sl) > 0 {
		fmt.Fprint(bw, "\n**Suppressed (accepted risks):**\n\n")
		for _, l := range sl {
			fmt.Fprintf(bw, "- %s\n", mdText(l))
		}
	}

	if findingCount(rep) == 0 {
		fmt.Fprintf(bw, "\nAll rules passed or were skipped on %s.\n", plural(rep.NumTargets(), "target", "targets"))
		// Skips still need saying: a skipped check is not a passed one.
		for t := range rep.EachTarget() {
			if hasSkip(t.Results) || hasAttested(t.Results) {
				fmt.Fprintf(bw, "\n### %s\n", mdText(t.Name))
				writeMarkdownNotChecked(bw, sortedResults(t.Results))
			}
		}
		for d := range rep.EachDeployment() {
			if hasSkip(d.Results) || hasAttested(d.Results) {
				fmt.Fprintf(bw, "\n### Deployment %s\n", mdText(d.Name))
				writeMarkdownNotChecked(bw, sortedResults(d.Results))
			}
		}
		return bw.Flush()
	}
	cs := sharedCauses(rep)
	errs := shownErrors{}
	for t := range rep.EachTarget() {
		// A cause several targets share comes once, before the first.
		for _, g := range cs.startingAt(t.Name) {
			fmt.Fprintf(bw, "\n### %s\n\n", mdText(g.heading()))
			fmt.Fprintf(bw, "Targets it blocked: %s\n", mdText(g.membersText()))
			writeMarkdownResults(bw, g.asTarget(), locs, g.results, audit.Summary{})
		}
		all := len(t.Results)
		t.Results = cs.without(t.Results)
		writeMarkdownTarget(bw, t, locs)
		errs.add(t.Name, t.Results)
		if len(t.Results) < all {
			fmt.Fprintf(bw, "\n%s\n", mdText(blockedText))
		}
	}
	for d := range rep.EachDeployment() {
		all := len(d.Results)
		results, of := errs.unshown(d)
		d.Results = cs.without(results)
		writeMarkdownDeployment(bw, d, locs)
		if len(of) > 0 {
			fmt.Fprintf(bw, "\n%s\n", mdText(shownText(of, len(d.Results) == 0)))
		} else if len(d.Results) < all {
			fmt.Fprintf(bw, "\n%s\n", mdText(blockedText))
		}
	}
	return bw.Flush()
}

// writeMarkdownDeployment writes a deployment's section (docs/deployments.md)
// the way a target's is written.
func writeMarkdownDeployment(w io.Writer, d audit.DeploymentReport, locs map[string]audit.Location) {
	fmt.Fprintf(w, "\n### Deployment %s\n\n", mdText(d.Name))
	fmt.Fprintf(w, "Targets %s · platform `%s`%s", mdText(strings.Join(d.Targets, ", ")), mdCode(d.Platform), deploymentPlatformWord(d.PlatformSource))
	if d.Console != "" {
		fmt.Fprintf(w, " · console settings `%s`", mdCode(d.Console))
	}
	fmt.Fprintln(w)
	writeMarkdownResults(w, deploymentAsTarget(d), locs, d.Results, d.Summary)
}

func hasSkip(results []audit.Result) bool {
	for _, r := range results {
		if r.Status == audit.StatusSkip {
			return true
		}
	}
	return false
}

func findingCount(rep *audit.Report) int {
	n := 0
	for r := range rep.Results() {
		if isFinding(r) {
			n++
		}
	}
	return n
}

func writeMarkdownTarget(w io.Writer, t audit.TargetReport, locs map[string]audit.Location) {
	fmt.Fprintf(w, "\n### %s\n\n", mdText(t.Name))
	fmt.Fprintf(w, "App %s · source `%s` · platform `%s`", mdText(appText(t.App)), mdCode(string(t.Source)), mdCode(t.Platform))
	if w2 := platformWord(t.PlatformSource); w2 != "" {
		fmt.Fprintf(w, " (%s)", mdText(w2))
	}
	if t.Origin != "" {
		fmt.Fprintf(w, " · from `%s`", mdCode(t.Origin))
	}
	if t.Console != "" {
		fmt.Fprintf(w, " · console settings `%s`", mdCode(t.Console))
	}
	fmt.Fprintln(w)
	if d := platformDetail(t); d != "" {
		fmt.Fprintf(w, "\n%s\n", mdText(d))
	}
	writeMarkdownResults(w, t, locs, t.Results, t.Summary)
}

// writeMarkdownResults writes one set of results (a target's or a
// deployment's): the findings, how to fix them, what was not checked.
func writeMarkdownResults(w io.Writer, t audit.TargetReport, locs map[string]audit.Location, results []audit.Result, summary audit.Summary) {
	sorted := sortedResults(results)
	var findings []audit.Result
	for _, r := range sorted {
		if isFinding(r) {
			findings = append(findings, r)
		}
	}
	if len(findings) == 0 && len(results) == 0 {
		return
	}
	if len(findings) == 0 {
		fmt.Fprintf(w, "\nAll %s passed or were skipped.\n", plural(len(results), "rule", "rules"))
		writeMarkdownNotChecked(w, sorted)
		return
	}

	fmt.Fprintln(w, "\n| Status | Severity | Rule | Message |")
	fmt.Fprintln(w, "|---|---|---|---|")
	// One row per finding, and one per cause of errors (its rules are
	// listed under How to fix): not sixteen rows of one unreadable file.
	for _, it := range fixItems(sorted) {
		r := it.First()
		rule := "`" + strings.ReplaceAll(mdCode(r.Rule), "|", `\|`) + "`"
		if len(it.Results) > 1 {
			rule = strings.ReplaceAll(groupRules(it.Rules(), mdCodeSpan), "|", `\|`)
		}
		fmt.Fprintf(w, "| %s %s | %s | %s | %s |\n", statusIcon[r.Status], mdCell(statusLabel(r)), mdCell(severityLabel(r)), rule, mdCell(r.Message))
	}
	if passed := summary.Pass + summary.Skip; passed > 0 {
		fmt.Fprintf(w, "\n%d passed, %d skipped.\n", summary.Pass, summary.Skip)
	}

	fmt.Fprintf(w, "\n<details>\n<summary>How to fix (%s)</summary>\n", plural(len(findings), "finding", "findings"))
	shown := map[string]bool{}
	for _, it := range fixItems(sorted) {
		r := it.First()
		if it.IsError() {
			fmt.Fprintf(w, "\n#### %s %s — %s", statusIcon[r.Status], mdText(errorLabel(r)), mdText(groupRules(it.Rules(), mdCodeSpan)))
			if len(it.Results) == 1 {
				fmt.Fprintf(w, " — %s", mdText(r.Title))
			}
			fmt.Fprintf(w, "\n\n%s\n", mdText(r.Message))
			if len(it.Results) > maxGroupRules+1 {
				// The heading names a few: the cause blocked all of these.
				ids := make([]string, len(it.Results))
				for i, id := range it.Rules() {
					ids[i] = mdCodeSpan(id)
				}
				fmt.Fprintf(w, "\nRules it blocked: %s\n", strings.Join(ids, ", "))
			}
			if r.File != "" {
				fmt.Fprintf(w, "\nAt `%s`\n", mdCode(placeText(locs, t, r)))
			}
		} else {
			fmt.Fprintf(w, "\n#### %s `%s` — %s\n\n", statusIcon[r.Status], mdCode(r.Rule), mdText(r.Title))
			fmt.Fprintf(w, "**%s** · %s · %s\n", mdText(statusLabel(r)), mdText(severityLabel(r)), mdText(r.Message))
			if at := placeText(locs, t, r); at != "" {
				fmt.Fprintf(w, "\nAt `%s`\n", mdCode(at))
			}
		}
		if note := suppressionText(r); note != "" {
			fmt.Fprintf(w, "\n> %s\n", mdText(note))
		}
		switch {
		case it.IsError() && shown[r.Remediation]:
			fmt.Fprint(w, "\nFix: as for the error above.\n")
		case r.Remediation != "":
			fmt.Fprintf(w, "\n%s\n", mdText(r.Remediation))
			if it.IsError() {
				shown[r.Remediation] = true
			}
		}
		if r.Reference != "" && !it.IsError() {
			fmt.Fprintf(w, "\nReference: %s\n", mdReference(r.Reference))
		}
		if len(r.Controls) > 0 && !it.IsError() {
			fmt.Fprintf(w, "\nControls: %s\n", mdText(controlsText(r.Controls)))
		}
		if it.SharedEvidence() {
			writeMarkdownEvidence(w, "", r.Evidence)
			continue
		}
		for _, m := range it.Results {
			if len(m.Evidence) > 0 {
				fmt.Fprintf(w, "\n`%s`:\n", mdCode(m.Rule))
				writeMarkdownEvidence(w, "", m.Evidence)
			}
		}
	}
	fmt.Fprintln(w, "\n</details>")
	writeMarkdownNotChecked(w, sorted)
}

// writeMarkdownEvidence lists evidence as bullets, a list value as nested
// bullets (at most maxEvidenceItems).
func writeMarkdownEvidence(w io.Writer, indent string, ev audit.Evidence) {
	if len(ev) == 0 {
		return
	}
	fmt.Fprintln(w, "\nEvidence:")
	for _, f := range ev {
		items, ok := evidenceList(f.Value)
		if !ok || len(items) == 0 {
			fmt.Fprintf(w, "%s- `%s`: `%s`\n", indent, mdCode(f.Key), mdCode(oneLine(evidenceValue(f.Value), 200)))
			continue
		}
		fmt.Fprintf(w, "%s- `%s`:\n", indent, mdCode(f.Key))
		for i, item := range items {
			if i == maxEvidenceItems {
				fmt.Fprintf(w, "%s  - … %d more\n", indent, len(items)-i)
				break
			}
			fmt.Fprintf(w, "%s  - `%s`\n", indent, mdCode(oneLine(item, 200)))
		}
	}
}

// writeMarkdownNotChecked lists the skipped rules grouped by reason, then
// the passes a person's attestation gave, apart from those ssoaudit decided.
func writeMarkdownNotChecked(w io.Writer, sorted []audit.Result) {
	writeMarkdownSkipped(w, sorted)
	var attested []audit.Result
	for _, r := range sorted {
		if r.Attested && r.Attestation != nil {
			attested = append(attested, r)
		}
	}
	if len(attested) == 0 {
		return
	}
	fmt.Fprint(w, "\n**Attested by a person** (not decided by ssoaudit):\n\n")
	for _, r := range attested {
		fmt.Fprintf(w, "- %s `%s` — %s\n", statusIcon[audit.StatusPass], mdCode(r.Rule), mdText(oneLine(attestationText(r.Attestation), 1000)))
	}
}

// writeMarkdownSkipped lists the skipped rules grouped by reason.
func writeMarkdownSkipped(w io.Writer, sorted []audit.Result) {
	groups := skipGroups(sorted)
	if len(groups) == 0 {
		return
	}
	fmt.Fprint(w, "\n**Not checked:**\n\n")
	for _, g := range groups {
		fmt.Fprintf(w, "- %s skip — %s: %s\n", statusIcon[audit.StatusSkip], skippedRules(g, mdCodeSpan), mdText(oneLine(g.Message, 1000)))
	}
}

// mdCodeSpan wraps an identifier in a code span.
func mdCodeSpan(s string) string { return "`" + mdCode(s) + "`" }

// mdText escapes text for Markdown prose (escape.MarkdownText): GitHub
// renders raw HTML, so a message quoting <saml:Assertion> would otherwise
// vanish or inject markup, and link or image syntax in a value would become
// a link or an image every reader's browser fetches. Line breaks are kept
// for the remediation steps; every other field arrives single-line
// (edgeReport).
func mdText(s string) string { return escape.MarkdownText(s) }

// mdCell escapes text for a table cell, where | ends the cell and a newline
// ends the row.
func mdCell(s string) string {
	s = strings.ReplaceAll(mdText(s), "|", `\|`)
	return strings.ReplaceAll(s, "\n", "<br>")
}

// mdCode makes text safe inside a single-backtick code span
// (escape.MarkdownCode).
func mdCode(s string) string { return escape.MarkdownCode(s) }

// mdReference is a rule's reference: the catalog's text, not read data, so
// the links in it stay links (mdText breaks autolinks in values).
func mdReference(ref string) string {
	return strings.ReplaceAll(mdText(ref), ":&#8203;//", "://")
}
