package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/words"
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

// maxTableWidth bounds the table in a very wide terminal: beyond it,
// message lines get too long to read comfortably.
const maxTableWidth = 140

// minMessageWidth is the narrowest message column the four-column table
// accepts; below it the rule ID goes above its message instead, so an
// 80-column terminal still gets 50-odd columns of message.
const minMessageWidth = 36

// layout is how a table report is laid out: its width, colours and
// whether passed and skipped rules get rows.
type layout struct {
	width      int
	p          painter
	showPassed bool
	statuses   []audit.Status
	locs       map[string]audit.Location
	// causes are the run's shared causes (cause.go): each is shown once.
	causes causes
}

func newLayout(opts Options) layout {
	w := opts.Width
	if w <= 0 {
		w = DefaultWidth
	}
	w = min(max(w, 40), maxTableWidth)
	return layout{width: w, p: painter(opts.Color), showPassed: opts.ShowPassed, statuses: opts.Statuses, locs: catalogLocations(opts.Catalog)}
}

// writeTable renders the report for a person at a terminal, in the same
// order whether stdout is one or a pipe: the details first — per target and
// deployment a heading, how to fix each finding (its message, steps and
// evidence) and what was not checked — then the findings block, every
// finding one line, most severe first, then the config's changes and the
// verdict. The findings block is capped at the terminal's rows minus 4, so
// the last screen always holds the worst findings and the verdict. Every
// line fits opts.Width.
func writeTable(w io.Writer, rep *audit.Report, opts Options) error {
	bw := bufio.NewWriter(w)
	l := newLayout(opts)
	// Which build judged, and when: a saved table is evidence too.
	l.hanging(bw, "", "  ", l.p.paint(ansiDim, fmt.Sprintf("%s %s · %s", toolName(rep), orNone(rep.Tool.Version), rep.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))))
	// The headline speaks for the whole run — every target and every
	// deployment — so a finding in a later section is never hidden behind
	// an early "nothing to fix".
	if h := headline(rep); h != "" {
		l.hanging(bw, "", "  ", l.p.paint(ansiBold, h))
	}
	l.causes = sharedCauses(rep)
	if !opts.Compact {
		// The consoles the targets' headings name, for the deployments'.
		shown := map[string]bool{}
		errs := shownErrors{}
		for t := range rep.EachTarget() {
			if t.Console != "" && t.ConsoleSHA256 != "" {
				shown[t.ConsoleSHA256] = true
			}
			// A cause several targets share comes once, before the
			// first of them.
			for _, g := range l.causes.startingAt(t.Name) {
				if !l.keep(g.results[0]) {
					continue
				}
				fmt.Fprintln(bw)
				l.hanging(bw, "", "  ", l.p.paint(ansiBold, g.heading()))
				l.writeFixes(bw, g.asTarget(), g.results)
			}
			fmt.Fprintln(bw)
			l.targetHeading(bw, t)
			if err := l.section(bw, t, t.Results); err != nil {
				return err
			}
			errs.add(t.Name, l.causes.without(slices.DeleteFunc(slices.Clone(t.Results), func(r audit.Result) bool { return !l.keep(r) })))
		}
		for d := range rep.EachDeployment() {
			fmt.Fprintln(bw)
			l.deploymentHeading(bw, d, d.ConsoleSHA256 != "" && shown[d.ConsoleSHA256])
			results, of := errs.unshown(d)
			if len(l.causes.without(results)) == 0 && len(d.Results) > 0 {
				if len(of) > 0 {
					l.hanging(bw, "", "  ", shownText(of, true))
				} else {
					l.hanging(bw, "", "  ", "Its rules are blocked by the one cause above.")
				}
				continue
			}
			if err := l.section(bw, deploymentAsTarget(d), results); err != nil {
				return err
			}
			if len(of) > 0 {
				l.hanging(bw, "", "  ", shownText(of, false))
			}
		}
	}
	if rep.NumTargets() > 0 || rep.NumDeployments() > 0 {
		fmt.Fprintln(bw)
	}
	capLines := 0
	if !opts.Compact {
		rows := opts.Rows
		if rows <= 0 {
			rows = DefaultRows
		}
		capLines = max(rows-4, 3)
	}
	l.findingsBlock(bw, rep, capLines)
	// The config's changes go just above the verdict, where a reader at a
	// terminal looks: on one line when they fit, else one kind a line.
	if c := configText(rep); c != "" {
		if head, parts := configParts(rep); utf8.RuneCountInString(c) > l.width {
			l.hanging(bw, "", "  ", head)
			for _, part := range parts {
				l.hanging(bw, "  ", "    ", part)
			}
		} else {
			fmt.Fprintln(bw, c)
		}
	}
	l.verdict(bw, rep)
	return bw.Flush()
}

// verdict prints the summary line, wrapped, with the gate's word coloured.
func (l layout) verdict(w io.Writer, rep *audit.Report) {
	g := gateOf(rep)
	// "gate: passed" and its detail stay on one line: glue their words
	// with a private-use character while wrapping.
	const glue = "\ue000"
	line := summaryLine(rep, g.String())
	if i := strings.LastIndex(line, "gate: "); i >= 0 {
		line = line[:i] + strings.ReplaceAll(line[i:], " ", glue)
	}
	lines := words.Wrap(line, l.width)
	for i := range lines {
		lines[i] = strings.ReplaceAll(lines[i], glue, " ")
	}
	last := len(lines) - 1
	if i := strings.LastIndex(lines[last], g.Word); i >= 0 && l.p {
		lines[last] = lines[last][:i] + l.p.gate(gate{Word: g.Word, Class: g.Class}) + lines[last][i+len(g.Word):]
	}
	for _, line := range lines {
		fmt.Fprintln(w, line)
	}
}

func (l layout) targetHeading(w io.Writer, t audit.TargetReport) {
	for i, line := range words.Wrap(targetHeading(t), l.width) {
		if i > 0 {
			line = "  " + line
		}
		fmt.Fprintln(w, l.p.paint(ansiBold, line))
	}
	if t.Origin != "" {
		origin := originText(t)
		if l.causes.of(t) != nil {
			origin = "Could not read from " + t.Origin + " (the one cause above)"
		}
		l.hanging(w, "", "  ", origin)
	}
	if t.Console != "" {
		l.hanging(w, "", "  ", fmt.Sprintf("Druva console settings from %s (sha256 %s)", t.Console, short(t.ConsoleSHA256)))
	}
	if d := platformDetail(t); d != "" {
		l.hanging(w, "", "  ", d)
	}
}

func (l layout) deploymentHeading(w io.Writer, d audit.DeploymentReport, consoleShown bool) {
	// Continuation lines are indented two columns: wrap two narrower.
	for i, line := range words.Wrap(deploymentHeading(d), max(20, l.width-2)) {
		if i > 0 {
			line = "  " + line
		}
		fmt.Fprintln(w, l.p.paint(ansiBold, line))
	}
	// The heading names the console file as the user gave it (a config's
	// druva: is relative to the config): spelling it again relative to
	// the working directory would look like a second file.
	if d.Console != "" && !consoleShown {
		l.hanging(w, "", "  ", fmt.Sprintf("Druva console settings: the file named above (sha256 %s)", short(d.ConsoleSHA256)))
	}
}

// originText says where a target was read from — or, when the Okta rules
// (which read the origin) ended in error and none could judge, that it could
// not be read from there. The console rules read druva.yaml, not the origin.
func originText(t audit.TargetReport) string {
	var errs, judged int
	for _, r := range t.Results {
		if !strings.HasPrefix(r.Rule, "okta.") {
			continue
		}
		switch r.Status {
		case audit.StatusError:
			errs++
		case audit.StatusPass, audit.StatusFail, audit.StatusWarn:
			judged++
		}
	}
	if errs > 0 && judged == 0 {
		return "Could not read from " + t.Origin + " (see the errors below)"
	}
	return "Read from " + t.Origin
}

// section renders one set of results — a target's — as a table of what
// needs doing, a line for what passed, how to fix each finding and what was
// not checked. It knows nothing of where the results come from, so other
// sets of results (a deployment's) can be rendered the same way.
func (l layout) section(w io.Writer, t audit.TargetReport, results []audit.Result) error {
	sorted := sortedResults(results)
	if len(sorted) == 0 {
		fmt.Fprintln(w, "No rules were run for this target.")
		return nil
	}
	if l.statuses != nil {
		sorted = slices.DeleteFunc(sorted, func(r audit.Result) bool { return !l.keep(r) })
	}
	if err := l.resultTable(w, l.rows(sorted)); err != nil {
		return err
	}
	l.passLine(w, sorted)
	// A cause several targets share has its own block (cause.go).
	l.writeFixes(w, t, l.causes.without(sorted))
	l.writeNotChecked(w, sorted)
	return nil
}

func targetHeading(t audit.TargetReport) string {
	var b strings.Builder
	// The platform and where it came from: "insync-cloud from druva.yaml",
	// "dcp inferred from the app" (the line stays within 100 columns).
	platform := "platform " + orNone(t.Platform)
	if w := platformWord(t.PlatformSource); w != "" {
		platform = orNone(t.Platform) + " " + w
	}
	fmt.Fprintf(&b, "Target %s (%s, %s)", t.Name, orNone(string(t.Source)), platform)
	fmt.Fprintf(&b, " · app %s", appText(t.App))
	return b.String()
}

// appText names an app the way Okta's admin UI does: label, then ID. The
// label arrives escaped (edgeReport), so it is quoted as it is: %q would
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

// row is one line of the results table, before layout.
type row struct {
	status   audit.Status
	suppress bool
	severity string // may hold "\n(was …)"
	rule     string
	message  string
}

// rows are the table's rows under --show-passed: every pass, with its
// message. Findings are not rows: each has its block under How to fix, and
// one line in the findings block at the end.
func (l layout) rows(sorted []audit.Result) []row {
	if !l.showPassed {
		return nil
	}
	var out []row
	for _, r := range sorted {
		if r.Status == audit.StatusPass {
			out = append(out, row{status: r.Status, suppress: r.Suppressed, severity: severityCell(r), rule: r.Rule, message: r.Message})
		}
	}
	return out
}

// severityCell shows a severity the config changed with the catalog's on a
// second line: "info" then "(was critical)", so the column stays narrow.
func severityCell(r audit.Result) string {
	sev := string(r.Severity)
	if lbl := severityLabel(r); lbl != sev {
		sev += "\n" + strings.TrimPrefix(lbl, sev+" ")
	}
	return sev
}

// resultTable lays the rows out in the width: STATUS, SEVERITY, RULE and
// MESSAGE when the message keeps minMessageWidth columns, else the rule ID
// on the first line of the message cell. Cells are wrapped here (words
// longer than the column are broken), so no line outgrows the width.
func (l layout) resultTable(w io.Writer, rows []row) error {
	if len(rows) == 0 {
		return nil
	}
	statusW, sevW, ruleW := len("STATUS"), len("SEVERITY"), len("RULE")
	for _, r := range rows {
		statusW = max(statusW, len(r.status))
		if r.suppress {
			statusW = max(statusW, len("(suppressed)"))
		}
		for _, s := range strings.Split(r.severity, "\n") {
			sevW = max(sevW, utf8.RuneCountInString(s))
		}
		for _, s := range strings.Split(r.rule, "\n") {
			ruleW = max(ruleW, utf8.RuneCountInString(s))
		}
	}
	// A box-drawn table of n columns spends 3n+1 columns on borders and
	// padding.
	msgW := l.width - (3*4 + 1) - statusW - sevW - ruleW
	stacked := msgW < minMessageWidth
	if stacked {
		msgW = max(l.width-(3*3+1)-statusW-sevW, 20)
	}
	table := newTable(w)
	if stacked {
		table.Header("STATUS", "SEVERITY", "RULE / MESSAGE")
	} else {
		table.Header("STATUS", "SEVERITY", "RULE", "MESSAGE")
	}
	for _, r := range rows {
		status := l.p.status(r.status, string(r.status))
		if r.suppress {
			status += "\n(suppressed)"
		}
		var cells []string
		if stacked {
			msg := words.Wrap(r.message, msgW-2)
			for i := range msg {
				msg[i] = "  " + msg[i]
			}
			cells = []string{status, r.severity, strings.Join(append(words.Wrap(r.rule, msgW), msg...), "\n")}
		} else {
			cells = []string{status, r.severity, strings.Join(words.Wrap(r.rule, ruleW), "\n"), strings.Join(words.Wrap(r.message, msgW), "\n")}
		}
		if err := table.Append(cells); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

// onlyRule is the rule of a report with one result.
func onlyRule(rep *audit.Report) string {
	for t := range rep.EachTarget() {
		for _, r := range t.Results {
			return r.Rule
		}
	}
	for d := range rep.EachDeployment() {
		for _, r := range d.Results {
			return r.Rule
		}
	}
	return "the one rule"
}

// passLine says in one line what passed (and that skips follow), unless
// the table already lists them.
func (l layout) passLine(w io.Writer, sorted []audit.Result) {
	if l.showPassed {
		return
	}
	var pass, skip, findings int
	var one string // the rule that passed, when it is the only one
	for _, r := range sorted {
		switch {
		case r.Status == audit.StatusPass:
			pass++
			one = r.Rule
		case r.Status == audit.StatusSkip:
			skip++
		default:
			findings++
		}
	}
	how := " (--show-passed lists them)"
	if pass == 1 {
		how = " (--show-passed shows it)"
	}
	// Whether there is anything to fix is the run's headline's to say: this
	// line counts this section only.
	var s string
	switch {
	case pass == 0:
		return
	case findings == 0 && skip == 0 && pass == 1:
		// Its name says more than "the one rule" (a deployment's
		// section has one rule so far).
		s = "Passed: " + one + how + "."
	case findings == 0 && skip == 0:
		s = fmt.Sprintf("Passed: all %d rules%s.", pass, how)
	case findings == 0:
		s = fmt.Sprintf("Passed: %s%s; %d not checked, listed below.", plural(pass, "rule", "rules"), how, skip)
	default:
		s = fmt.Sprintf("Passed: %s%s.", plural(pass, "rule", "rules"), how)
	}
	if findings > 0 {
		fmt.Fprintln(w)
	}
	l.hanging(w, "", "  ", s)
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
// a cause get one block: the cause once, every rule it blocked, then the fix
// for the data (never the rules' set-up fixes).
func (l layout) writeFixes(w io.Writer, t audit.TargetReport, results []audit.Result) {
	items := fixItems(results)
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, "\nHow to fix:")
	const indent = "      "
	shown := map[string]bool{}
	for i, it := range items {
		r := it.First()
		// A blank line between fixes, not under the heading.
		if i > 0 {
			fmt.Fprintln(w)
		}
		if it.IsError() {
			head := errorLabel(r)
			if len(it.Results) == 1 {
				head += fmt.Sprintf(" — %s [%s] %s", r.Rule, severityLabel(r), r.Title)
			} else {
				head += fmt.Sprintf(" — one cause, %d rules", len(it.Results))
			}
			l.hangingStatus(w, r.Status, errorLabel(r), "  ", indent, head)
			l.indented(w, indent, r.Message)
			if g := l.causes[r.Cause]; g != nil && l.causes.shared(r) {
				l.packed(w, indent, "Targets it blocked: ", g.members)
			}
			if len(it.Results) > 1 {
				l.packed(w, indent, "Rules it blocked: ", it.Rules())
			}
			if r.File != "" {
				l.indented(w, indent, "At "+placeText(l.locs, t, r))
			}
		} else {
			head := fmt.Sprintf("%s %s [%s] %s", statusLabel(r), r.Rule, severityLabel(r), r.Title)
			l.hangingStatus(w, r.Status, statusLabel(r), "  ", indent, head)
			// What is wrong, in full: the findings block at the end has
			// it on one line, cut to the width.
			if r.Message != "" {
				l.indented(w, indent, r.Message)
			}
			if at := placeText(l.locs, t, r); at != "" {
				l.indented(w, indent, "At "+at)
			}
		}
		if note := suppressionText(r); note != "" {
			l.indented(w, indent, note)
		}
		switch {
		case it.IsError() && shown[r.Remediation]:
			// Causes differ, the fix for the data does not: say it once.
			l.indented(w, indent, "Fix: as for the error above.")
		case r.Remediation != "":
			l.indented(w, indent, r.Remediation)
			if it.IsError() {
				shown[r.Remediation] = true
			}
		case it.IsError():
			l.indented(w, indent, "Make the missing input available and run the scan again.")
		}
		// A rule's reference is where its set-up requirement comes from:
		// beside the point while the rule could not even look. At a
		// terminal it is one line pointing at explain, which prints it
		// whole: the full text (two long Druva URLs) was a dozen lines of
		// an 80-column screen. Markdown, HTML and the machine formats keep
		// it in full.
		if r.Reference != "" && !it.IsError() {
			l.indented(w, indent, "Reference: ssoaudit explain "+r.Rule)
		}
		if it.SharedEvidence() {
			l.writeEvidence(w, indent, r.Evidence)
			continue
		}
		for _, m := range it.Results {
			if len(m.Evidence) > 0 {
				fmt.Fprintf(w, "%s%s:\n", indent, m.Rule)
				l.writeEvidence(w, indent+"  ", m.Evidence)
			}
		}
	}
}

// hangingStatus is hanging with the status word at the start of text
// coloured.
func (l layout) hangingStatus(w io.Writer, st audit.Status, word, first, rest, text string) {
	for i, line := range words.Wrap(text, l.width-len(rest)) {
		if i == 0 {
			if strings.HasPrefix(line, word) {
				line = l.p.status(st, word) + line[len(word):]
			}
			fmt.Fprintln(w, first+line)
			continue
		}
		fmt.Fprintln(w, rest+line)
	}
}

// packed prints a label and a list of items, the items packed into lines
// under the width and never split.
func (l layout) packed(w io.Writer, indent, label string, items []string) {
	pad := strings.Repeat(" ", utf8.RuneCountInString(label))
	for i, line := range packList(items, l.width-len(indent)-len(pad)) {
		if i == 0 {
			fmt.Fprintln(w, indent+label+line)
			continue
		}
		fmt.Fprintln(w, indent+pad+line)
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

// maxEvidenceLines is how many lines one evidence value may take.
const maxEvidenceLines = 4

// writeEvidence lists evidence one fact a line. A list is shown one element
// a line (at most maxEvidenceItems), so that, say, the users a rule names
// are all readable rather than cut off; a long value or element wraps, up
// to maxEvidenceLines lines, then is cut.
func (l layout) writeEvidence(w io.Writer, indent string, ev audit.Evidence) {
	if len(ev) == 0 {
		return
	}
	fmt.Fprintf(w, "%sEvidence:\n", indent)
	for _, f := range ev {
		items, ok := evidenceList(f.Value)
		if !ok || len(items) == 0 {
			// A value wraps under its key (fingerprints stay whole to
			// compare) up to maxEvidenceLines lines, then is cut.
			prefix := fmt.Sprintf("%s  %s: ", indent, f.Key)
			cont := indent + "    "
			lines := words.Wrap(oneLine(evidenceValue(f.Value), 1<<20), l.width-len(cont))
			if first := words.Wrap(lines[0], l.width-utf8.RuneCountInString(prefix)); len(first) > 1 || len(lines) > 1 {
				// Start the value on its own line when it does not fit
				// beside the key.
				fmt.Fprintf(w, "%s\n", strings.TrimRight(prefix, " "))
				if len(lines) > maxEvidenceLines {
					lines = lines[:maxEvidenceLines]
					last := []rune(lines[maxEvidenceLines-1])
					lines[maxEvidenceLines-1] = string(last[:len(last)-1]) + "…"
				}
				for _, line := range lines {
					fmt.Fprintf(w, "%s%s\n", cont, line)
				}
				continue
			}
			fmt.Fprintf(w, "%s%s\n", prefix, lines[0])
			continue
		}
		fmt.Fprintf(w, "%s  %s:\n", indent, f.Key)
		room := max(l.width-len(indent)-6, 20)
		for i, item := range items {
			if i == maxEvidenceItems {
				fmt.Fprintf(w, "%s    … %d more\n", indent, len(items)-i)
				break
			}
			// Each item whole — a user's email, a JSON object — wrapped
			// under its dash up to maxEvidenceLines lines, then cut.
			lines := words.Wrap(oneLine(item, 1<<20), room)
			if len(lines) > maxEvidenceLines {
				lines = lines[:maxEvidenceLines]
				last := []rune(lines[maxEvidenceLines-1])
				lines[maxEvidenceLines-1] = string(last[:len(last)-1]) + "…"
			}
			for j, line := range lines {
				if j == 0 {
					fmt.Fprintf(w, "%s    - %s\n", indent, line)
					continue
				}
				fmt.Fprintf(w, "%s      %s\n", indent, line)
			}
		}
	}
}

// writeNotChecked prints, after the fixes, the rules that were skipped,
// grouped by reason: a skipped check is not a passed one. The passes a
// person's attestation gave follow, apart from those ssoaudit decided.
func (l layout) writeNotChecked(w io.Writer, results []audit.Result) {
	l.writeSkipped(w, results)
	first := true
	for _, r := range results {
		if !r.Attested || r.Attestation == nil {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nAttested by a person (not decided by ssoaudit):")
			first = false
		}
		fmt.Fprintf(w, "  %s — %s\n", l.p.status(audit.StatusPass, "pass"), r.Rule)
		l.indented(w, "      ", attestationText(r.Attestation))
	}
}

// writeSkipped prints the skipped rules, grouped by reason.
func (l layout) writeSkipped(w io.Writer, results []audit.Result) {
	groups := skipGroups(results)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\nNot checked:")
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		lines := packList(skippedRuleList(g, plain), l.width-len("  skip — "))
		for i, line := range lines {
			if i == 0 {
				fmt.Fprintf(w, "  %s — %s\n", l.p.status(audit.StatusSkip, "skip"), line)
				continue
			}
			fmt.Fprintf(w, "         %s\n", line)
		}
		l.indented(w, "      ", g.Message)
	}
}

// hanging wraps text to the width, the first line after first and the rest
// after rest.
func (l layout) hanging(w io.Writer, first, rest, text string) {
	for i, line := range words.Wrap(text, l.width-len(rest)) {
		if i == 0 {
			fmt.Fprintln(w, first+line)
			continue
		}
		fmt.Fprintln(w, rest+line)
	}
}

// indented wraps text to the width after indent, keeping blank lines.
func (l layout) indented(w io.Writer, indent, text string) {
	for _, line := range words.Wrap(text, l.width-len(indent)) {
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

// headline sums up the whole run in one sentence — targets and deployments
// alike, with the summary's counts — leading with what needs looking at and
// naming the rules that skipped because an input was absent, with the
// --require that would gate on them: "Nothing to fix" never hides an
// unchecked critical rule.
func headline(rep *audit.Report) string {
	counts := map[audit.Status]int{}
	var any, look, pass, attested, skip, absent, hidden, notes, suppressed int
	var inputs, names []string
	for r := range rep.Results() {
		any++
		switch {
		case r.Status == audit.StatusPass && r.Attested:
			// A person's word, not the tool's: counted apart.
			attested++
		case r.Status == audit.StatusPass:
			pass++
		case r.Status == audit.StatusSkip:
			skip++
			if r.SkipKind == audit.SkipNotExposed {
				hidden++
				continue
			}
			if r.SkipKind != audit.SkipInputAbsent {
				continue
			}
			absent++
			if in := string(r.Absent); in != "" && !slices.Contains(inputs, in) {
				inputs = append(inputs, in)
			}
			if n := audit.RequireName(r.Absent); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		case isFinding(r) && r.Suppressed:
			suppressed++
		case isFinding(r) && r.Note:
			notes++
		case isFinding(r):
			look++
			counts[r.Status]++
		}
	}
	// Errors count as the findings block lists them: one per cause (a
	// source that could not be read blocks many rules, an unreachable org
	// many targets), with the results they left unevaluated.
	causes := 0
	if counts[audit.StatusError] > 0 {
		_, _, count := findingLines(rep, func(audit.Result) bool { return true }, 1)
		causes = count.status[audit.StatusError]
	}
	var parts []string
	for _, st := range []audit.Status{audit.StatusFail, audit.StatusError, audit.StatusWarn} {
		n := counts[st]
		switch {
		case n == 0:
		case st == audit.StatusError && causes > 0 && causes < n:
			look -= n - causes
			parts = append(parts, fmt.Sprintf("%d %s, %d results not evaluated", causes, st, n))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	var notChecked string
	if absent > 0 {
		notChecked = plural(absent, "rule", "rules") + " not checked"
		if len(inputs) > 0 {
			slices.Sort(inputs)
			notChecked += " (inputs absent: " + strings.Join(inputs, ", ") + ")"
		}
		if len(names) > 0 {
			slices.Sort(names)
			notChecked += " — use --require " + strings.Join(names, ",") + " to gate on them"
		}
	}
	if any == 0 {
		return ""
	}
	var s string
	switch {
	case look > 0:
		s = fmt.Sprintf("%d to look at (%s), listed below", look, strings.Join(parts, ", "))
		if pass > 0 {
			s += fmt.Sprintf("; %d passed", pass)
		}
	case absent > 0:
		// Not "nothing to fix": what was not looked at may be broken.
		s = fmt.Sprintf("Nothing failed, but %s; %d passed", notChecked, pass)
		notChecked = ""
	case skip+notes+suppressed+attested == 0 && pass == 1:
		s = "Nothing to fix: " + onlyRule(rep) + " passed"
	case skip+notes+suppressed+attested == 0:
		s = fmt.Sprintf("Nothing to fix: all %d rules passed", pass)
	default:
		s = fmt.Sprintf("Nothing to fix: %d passed", pass)
	}
	if attested > 0 {
		s += fmt.Sprintf("; %d attested by a person", attested)
	}
	if other := skip - absent - hidden; other > 0 {
		s += fmt.Sprintf("; %d not applicable", other)
	}
	// Not "not applicable": the setting matters, and no API shows it.
	if hidden > 0 {
		s += fmt.Sprintf("; %d only a person can verify", hidden)
	}
	if notChecked != "" {
		s += "; " + notChecked
	}
	// What the counts above leave out is counted too: every result of
	// the run is accounted for in the headline.
	if suppressed > 0 {
		s += fmt.Sprintf("; %d suppressed", suppressed)
	}
	if notes > 0 {
		s += "; " + plural(notes, "note", "notes") + " at the end"
	}
	return s + "."
}
