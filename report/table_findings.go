package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
)

// DefaultRows is the findings block's room when there is no terminal to
// measure (a pipe, a file, CI): the block is capped at it minus 4.
const DefaultRows = 50

// findingLine is one line of the findings block: one fail, warn or error
// cause of one target or deployment.
type findingLine struct {
	r      audit.Result
	rules  int // rules an error cause blocked
	target string
}

// findingLines are the findings of the run (notes apart), most severe
// first: unsuppressed before suppressed, then severity, then status
// (fail, error, warn), then rule and target. Errors of one target that
// share a cause are one line. With limit > 0 only the first limit lines
// are returned, and counted those that were not; the lines are never held
// all at once, so a run of thousands of targets costs the block no more
// than a run of a few.
func findingLines(rep *audit.Report, keep func(audit.Result) bool, limit int) (lines []findingLine, notes []findingLine, count lineCount) {
	type ordered struct {
		findingLine
		seq int
	}
	var top []ordered
	seq := 0
	cmp := func(a, b ordered) int {
		if a.r.Suppressed != b.r.Suppressed {
			if a.r.Suppressed {
				return 1
			}
			return -1
		}
		if d := b.r.Severity.Level() - a.r.Severity.Level(); d != 0 {
			return d
		}
		if d := a.r.Status.Rank() - b.r.Status.Rank(); d != 0 {
			return d
		}
		if c := strings.Compare(a.r.Rule, b.r.Rule); c != 0 {
			return c
		}
		if c := strings.Compare(a.target, b.target); c != 0 {
			return c
		}
		return a.seq - b.seq
	}
	trim := func() {
		slices.SortFunc(top, cmp)
		if limit > 0 && len(top) > limit {
			top = top[:limit]
		}
	}
	// One cause is one line: errors of the same target (or deployment
	// of it) with the same message and fix — a source that could not be
	// read at all — count their rules together. They are held until the
	// end (a deployment comes after every target); the other lines only
	// while they may still be among the first limit.
	var errs []ordered
	seen := map[string]int{}
	line := func(fl findingLine) {
		if fl.r.Status == audit.StatusError {
			key := fl.target + "\x00" + fl.r.Message + "\x00" + fl.r.Remediation
			if i, ok := seen[key]; ok {
				errs[i].rules += fl.rules
				if fl.r.Severity.Level() > errs[i].r.Severity.Level() {
					errs[i].r.Severity = fl.r.Severity
				}
				return
			}
			seen[key] = len(errs)
			errs = append(errs, ordered{fl, seq})
			seq++
			return
		}
		count.add(fl)
		top = append(top, ordered{fl, seq})
		seq++
		if limit > 0 && len(top) > 2*limit+64 {
			trim()
		}
	}
	add := func(name string, results []audit.Result) {
		for _, it := range fixItems(sortedResults(results)) {
			r := it.First()
			if !keep(r) {
				continue
			}
			fl := findingLine{r: r, rules: len(it.Results), target: name}
			if r.Note {
				notes = append(notes, fl)
				continue
			}
			line(fl)
		}
	}
	cs := sharedCauses(rep)
	for t := range rep.EachTarget() {
		// A cause several targets share is one line, naming them all.
		for _, g := range cs.startingAt(t.Name) {
			if keep(g.results[0]) {
				line(findingLine{r: g.results[0], rules: len(g.results), target: strings.Join(g.names, "+")})
			}
		}
		add(t.Name, cs.without(t.Results))
	}
	for d := range rep.EachDeployment() {
		// A deployment is named by its targets: its own name is the
		// console file's path, too long for a column.
		add(strings.Join(d.Targets, "+"), cs.without(d.Results))
	}
	for _, e := range errs {
		count.add(e.findingLine)
	}
	top = append(top, errs...)
	trim()
	lines = make([]findingLine, len(top))
	for i, o := range top {
		lines[i] = o.findingLine
	}
	return lines, notes, count
}

// lineCount counts the findings block's lines by status, and the
// suppressed ones apart.
type lineCount struct {
	all, suppressed int
	status          map[audit.Status]int
}

func (c *lineCount) add(f findingLine) {
	c.all++
	if f.r.Suppressed {
		c.suppressed++
		return
	}
	if c.status == nil {
		c.status = map[audit.Status]int{}
	}
	c.status[f.r.Status]++
}

// ruleText is a line's rule column: the rule, or the first of the rules an
// error cause blocked and how many more.
func (f findingLine) ruleText() string {
	if f.rules > 1 {
		return fmt.Sprintf("%s +%d", f.r.Rule, f.rules-1)
	}
	return f.r.Rule
}

// maxTargetColumn bounds the target column of the findings block.
const maxTargetColumn = 24

// findingsBlock writes every finding as one line — severity, status, rule,
// target, the message cut to the width — most severe first, at most max
// lines (0: no cap); past the cap, the last line says how many more there
// are and which flag lists them. Then the notes, one a line.
func (l layout) findingsBlock(w io.Writer, rep *audit.Report, capLines int) {
	limit := 0
	if capLines > 0 {
		// What the cap shows, and one more to know it is past the cap.
		limit = max(capLines, 3)
	}
	lines, notes, count := findingLines(rep, l.keep, limit)
	if count.all > 0 {
		counts, supp := count.status, count.suppressed
		var parts []string
		for _, st := range []audit.Status{audit.StatusFail, audit.StatusError, audit.StatusWarn} {
			if n := counts[st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, st))
			}
		}
		if supp > 0 {
			parts = append(parts, fmt.Sprintf("%d suppressed", supp))
		}
		fmt.Fprintln(w, l.p.paint(ansiBold, fmt.Sprintf("Findings (%s), most severe first:", strings.Join(parts, ", "))))
		shown := lines
		if capLines > 0 && count.all > capLines-1 {
			shown = lines[:max(1, capLines-2)]
		}
		ruleW, targetW, statusW := 0, 0, len("error")
		for _, f := range shown {
			ruleW = max(ruleW, utf8.RuneCountInString(f.ruleText()))
			targetW = max(targetW, utf8.RuneCountInString(f.target))
		}
		targetW = min(targetW, maxTargetColumn)
		for _, f := range shown {
			sev := fmt.Sprintf("%-8s", f.r.Severity)
			st := fmt.Sprintf("%-*s", statusW, f.r.Status)
			head := fmt.Sprintf("  %s %s %-*s %-*s ", sev, st, ruleW, f.ruleText(), targetW, cutRunes(f.target, targetW))
			msg := f.r.Message
			if f.r.Suppressed {
				msg = "(suppressed) " + msg
			}
			room := l.width - utf8.RuneCountInString(head)
			line := head
			if room >= 8 {
				line += oneLine(msg, room)
			}
			line = strings.TrimRight(line, " ")
			// Colour the status word only, after measuring.
			line = strings.Replace(line, st, l.p.status(f.r.Status, st), 1)
			fmt.Fprintln(w, line)
		}
		if rest := count.all - len(shown); rest > 0 {
			l.hanging(w, "  ", "    ", fmt.Sprintf("%d more: --compact lists them all, one a line; --status fail, the fails", rest))
		}
	}
	// A note is one line: its message is in full under How to fix.
	for _, n := range notes {
		head := fmt.Sprintf("Note: %s %s %s %s: ", n.r.Status, n.r.Severity, n.r.Rule, n.target)
		if room := l.width - utf8.RuneCountInString(head); room >= 8 {
			head += oneLine(n.r.Message, room)
		}
		line := strings.Replace(strings.TrimRight(head, " "), string(n.r.Status), l.p.status(n.r.Status, string(n.r.Status)), 1)
		fmt.Fprintln(w, line)
	}
}

// cutRunes cuts s to n runes, the last an ellipsis.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// keep reports whether the table shows a result under --status.
func (l layout) keep(r audit.Result) bool {
	return len(l.statuses) == 0 || slices.Contains(l.statuses, r.Status)
}
