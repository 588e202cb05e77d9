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
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// Formats lists the report formats: table json sarif junit markdown html prometheus.
var Formats = []string{"table", "json", "sarif", "junit", "markdown", "html", "prometheus"}

// Extensions maps an --output file's extension to the format written there
// (PRODUCT.md section 7). It is the one place a format's extension is named:
// a format that has no entry cannot be chosen by extension.
var Extensions = map[string]string{
	".json":  "json",
	".sarif": "sarif",
	".xml":   "junit",
	".md":    "markdown",
	".html":  "html",
	".prom":  "prometheus",
}

// FormatForFile is the format an --output file's extension names, and
// whether it names one. The extension is matched case-insensitively.
func FormatForFile(path string) (string, bool) {
	f, ok := Extensions[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

// ExtensionList lists the known extensions, sorted, for messages.
func ExtensionList() string {
	exts := make([]string, 0, len(Extensions))
	for e := range Extensions {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return strings.Join(exts, " ")
}

// DefaultWidth is the table's width when the terminal's is unknown (output
// to a file or a pipe, and no $COLUMNS): wide enough for the four-column
// table, narrow enough for a CI log.
const DefaultWidth = 100

// Options tune how a report is rendered.
type Options struct {
	// Color turns on ANSI colour in the table. The CLI decides (a terminal
	// and no NO_COLOR); writers never look at the environment themselves.
	Color bool
	// Catalog is the rule set, so SARIF can describe every rule, including
	// ones that passed. May be nil: rules are then described from results.
	Catalog []*audit.Rule
	// Width is the terminal width the table must fit (0: DefaultWidth).
	Width int
	// ShowPassed makes the table list passed rules as rows, not only count
	// them. Skipped rules are listed under "Not checked" either way.
	ShowPassed bool
	// WorkDir is the directory the report's relative paths are relative to
	// (the command's working directory), and SourceRoot the repository
	// root that SARIF locations are given relative to. The command fills
	// both; when they are empty, paths are taken as relative to the root.
	WorkDir, SourceRoot string
	// Secrets are the secrets the run holds: no piece of one is written,
	// in any format (edgeReport). nil still hides Druva-shaped tokens and
	// URL credentials.
	Secrets *redact.Set
}

// Verdict is the report's one-line summary: what was counted, what the gate
// counted and its verdict. The CLI prints it on stderr when the reports go
// to files.
func Verdict(rep *audit.Report) string { return summaryText(rep) }

// Write renders rep in format to w.
func Write(w io.Writer, format string, rep *audit.Report, opts Options) error {
	if rep == nil {
		return errors.New("report: nil report")
	}
	if format != "json" {
		// JSON is redacted target by target as it is written (writeJSON),
		// so that a fleet's report is not held twice.
		// People's formats also cut each value to MaxValueRunes, in the
		// same pass: one copy of the model, not two.
		people := format == "table" || format == "markdown" || format == "html"
		rep = edgeReport(rep, opts.Secrets, people)
	}
	switch format {
	case "table":
		return writeTable(w, rep, opts)
	case "json":
		return writeJSON(w, rep, opts.Secrets.String)
	case "sarif":
		return writeSARIF(w, rep, opts)
	case "junit":
		return writeJUnit(w, rep)
	case "markdown":
		return writeMarkdown(w, rep)
	case "html":
		return writeHTML(w, rep)
	case "prometheus":
		return writePrometheus(w, rep)
	}
	return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// edgeReport is the copy of rep a writer for people renders, made at the
// edge in one pass over every string of the model (JSON does the first
// half target by target, in writeJSON):
//
//   - in every format, each string goes through the run's redaction layer
//     (redact.Set.String): no piece of a secret the run knows, no
//     Druva-shaped token, no URL credential reaches a report, whichever
//     field of whichever input it was found in;
//   - in every format but JSON, which is read by a person (a terminal, a
//     browser, a code-scanning UI), each string is then made visible
//     (escape.Line; escape.Text for the multi-line remediation steps), so a
//     value cannot start a terminal escape sequence, reorder text with a
//     bidi override, or break a line where one is expected. Each writer
//     then escapes what its own medium interprets (Markdown and HTML
//     markup, XML). JSON keeps values as read;
//   - with truncate (the table, Markdown and HTML), each value is then cut
//     to MaxValueRunes.
func edgeReport(rep *audit.Report, secrets *redact.Set, truncate bool) *audit.Report {
	return escape.Strings(rep, func(field, s string) string {
		s = visibleField(field, secrets.String(s))
		if truncate {
			s = truncateValue(s)
		}
		return s
	})
}

// MaxValueRunes bounds one value (a message, an evidence item, a name) in
// the formats people read — table, Markdown, HTML — so that no single value
// read from Okta or a file can make an unbounded report (a 1 MB username
// made a 60 MB table). The JSON report keeps every value whole.
const MaxValueRunes = 4096

// truncateValue cuts s to MaxValueRunes, the last one an ellipsis, saying
// how much was left out and where the whole value is.
func truncateValue(s string) string {
	if len(s) <= MaxValueRunes || utf8.RuneCountInString(s) <= MaxValueRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxValueRunes-1 {
			return s[:i] + fmt.Sprintf("… (%d more characters: see the JSON report)", utf8.RuneCountInString(s[i:]))
		}
		n++
	}
	return s
}

// visibleField escapes one string of a model: the fields the tool writes as
// several lines keep their line breaks.
func visibleField(field, s string) string {
	switch field {
	case "Remediation", "Rationale":
		return escape.Text(s)
	}
	return escape.Line(s)
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
	if len(rep.Targets) == 1 {
		return plural(n, "rule", "rules")
	}
	if len(rep.Deployments) > 0 {
		return fmt.Sprintf("%s across %s and %s", plural(n, "result", "results"), plural(len(rep.Targets), "target", "targets"),
			plural(len(rep.Deployments), "deployment", "deployments"))
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
	if head == "" {
		return ""
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

// fixItem is one block of a "How to fix" section: a single fail or warn, or
// every error result of a target that shares one cause (same message, same
// remediation, same suppression). Errors say what kept a rule from looking,
// and many rules that read the same data fail to read it the same way: one
// block per cause, with the fix for the data, reads better than fifteen
// copies of it.
type fixItem struct {
	Results []audit.Result
}

// First is the result that heads the item.
func (f fixItem) First() audit.Result { return f.Results[0] }

// IsError reports whether the item is a could-not-evaluate block.
func (f fixItem) IsError() bool { return f.Results[0].Status == audit.StatusError }

// Rules lists the item's rule IDs in report order.
func (f fixItem) Rules() []string {
	out := make([]string, len(f.Results))
	for i, r := range f.Results {
		out[i] = r.Rule
	}
	return out
}

// SharedEvidence reports whether every result of the item has the same
// evidence, so it can be shown once.
func (f fixItem) SharedEvidence() bool {
	first, err := json.Marshal(f.Results[0].Evidence)
	if err != nil {
		return false
	}
	for _, r := range f.Results[1:] {
		b, err := json.Marshal(r.Evidence)
		if err != nil || string(b) != string(first) {
			return false
		}
	}
	return true
}

// fixItems turns sorted results into the blocks of a "How to fix" section:
// findings only, in the order given, errors grouped by cause at the place
// of the group's first result.
func fixItems(sorted []audit.Result) []fixItem {
	var out []fixItem
	groups := map[string]int{}
	for _, r := range sorted {
		if !isFinding(r) {
			continue
		}
		if r.Status != audit.StatusError {
			out = append(out, fixItem{Results: []audit.Result{r}})
			continue
		}
		key := strings.Join([]string{r.Message, r.Remediation, suppressionText(r), fmt.Sprint(r.Suppressed)}, "\x00")
		if i, ok := groups[key]; ok {
			out[i].Results = append(out[i].Results, r)
			continue
		}
		groups[key] = len(out)
		out = append(out, fixItem{Results: []audit.Result{r}})
	}
	return out
}

// errorLabel is the status of an error block: "error (could not evaluate)".
func errorLabel(r audit.Result) string {
	if r.Suppressed {
		return "error (suppressed; could not evaluate)"
	}
	return "error (could not evaluate)"
}

// maxGroupRules is how many rule IDs an error block's heading names before
// it elides the rest (they are all in the table above it).
const maxGroupRules = 3

// groupRules names an error block's rules for its heading:
// "a, b, c, … (15 rules)"; quote wraps each ID (Markdown code spans).
func groupRules(ids []string, quote func(string) string) string {
	if len(ids) == 1 {
		return quote(ids[0])
	}
	shown := ids
	if len(ids) > maxGroupRules+1 {
		shown = ids[:maxGroupRules]
	}
	parts := make([]string, 0, len(shown)+1)
	for _, id := range shown {
		parts = append(parts, quote(id))
	}
	if len(shown) < len(ids) {
		parts = append(parts, "…")
	}
	return fmt.Sprintf("%s (%d rules)", strings.Join(parts, ", "), len(ids))
}

// skipGroup is the skipped results of a target that share one reason.
type skipGroup struct {
	Message string
	Results []audit.Result
}

// skipGroups groups a target's skips by message, in the order of the sorted
// results given (so the most severe unchecked rule leads).
func skipGroups(sorted []audit.Result) []skipGroup {
	var out []skipGroup
	idx := map[string]int{}
	for _, r := range sorted {
		if r.Status != audit.StatusSkip {
			continue
		}
		i, ok := idx[r.Message]
		if !ok {
			i = len(out)
			idx[r.Message] = i
			out = append(out, skipGroup{Message: r.Message})
		}
		out[i].Results = append(out[i].Results, r)
	}
	return out
}

// skippedRules names a skip group's rules with their severities, every one
// of them: a reader must see that a critical check was not made.
func skippedRules(g skipGroup, quote func(string) string) string {
	return strings.Join(skippedRuleList(g, quote), ", ")
}

func skippedRuleList(g skipGroup, quote func(string) string) []string {
	parts := make([]string, len(g.Results))
	for i, r := range g.Results {
		parts[i] = fmt.Sprintf("%s (%s)", quote(r.Rule), r.Severity)
	}
	return parts
}

func plain(s string) string { return s }

// maxEvidenceItems is how many elements of an evidence list the table and
// Markdown show before saying how many more there are.
const maxEvidenceItems = 10

// evidenceList returns the elements of a list-valued piece of evidence, each
// as text (see evidenceValue), and whether v is a list at all. Types that
// choose their own form (audit.Evidence is a slice but an object in JSON)
// and byte slices are not lists here.
func evidenceList(v any) ([]string, bool) {
	switch v.(type) {
	case nil, string, []byte, encoding.TextMarshaler, json.Marshaler:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]string, rv.Len())
	for i := range out {
		out[i] = evidenceValue(rv.Index(i).Interface())
	}
	return out, true
}

// deploymentHeading introduces a deployment's section (PRODUCT.md section
// 10): the console and the targets whose apps sign into it.
func deploymentHeading(d audit.DeploymentReport) string {
	word := "targets"
	if len(d.Targets) == 1 {
		word = "target"
	}
	return fmt.Sprintf("Deployment %s (platform %s) · %s %s", d.Name, orNone(d.Platform), word, strings.Join(d.Targets, ", "))
}

// deploymentAsTarget dresses a deployment as a target for the writers that
// place results by target (HTML sections, SARIF locations): its console is
// where its results are about, its name names it.
func deploymentAsTarget(d audit.DeploymentReport) audit.TargetReport {
	return audit.TargetReport{Name: d.Name, Source: "deployment", Platform: d.Platform,
		Console: d.Console, ConsoleSHA256: d.ConsoleSHA256, Results: d.Results, Summary: d.Summary}
}
