package report

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"io"
	"iter"
	"regexp"
	"strings"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// writeHTML writes one self-contained page an auditor can open, archive or
// print: inline CSS only, no scripts, no external resources. html/template
// escapes every value, so nothing from a target can inject markup.
func writeHTML(w io.Writer, rep *audit.Report, locs map[string]audit.Location) error {
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, htmlModel(rep, locs)); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlPage struct {
	Tool        string
	Version     string
	Schema      string
	GeneratedAt string
	Gate        gate
	Scope       string
	// Basis says what the gate counted; Config what the config changed.
	Basis   string
	Config  string
	Summary string
	Counts  []htmlCount
	// Targets yields each section (every shared cause, target and
	// deployment) as it is rendered, so that the page never holds every
	// section: the template ranges over it twice (findings, then passes).
	Targets iter.Seq2[int, htmlTarget]
	// Record is what an auditor files: how the gate was set, what was
	// checked and from which inputs.
	Record htmlRecord
	// passes is whether any section lists passes (htmlTargetOf's Passes).
	passes bool
}

// HasPasses reports whether any section has passes to list (after every
// finding: a reader lands on what to fix, not on what is fine).
func (p htmlPage) HasPasses() bool { return p.passes }

// htmlRecord is the page's audit record.
type htmlRecord struct {
	Threshold, Warns, Required, ConfigFile string
	Overrides                              []string
	Checked                                string
	Inputs                                 []htmlInput
	// Attestations are the passes people vouched for (docs/attestations.md),
	// one line each: where, which rule, who, what, until when.
	Attestations []string
	// Controls are the framework controls the results are evidence for,
	// each with its rules and their results.
	Controls []controlSummary
	// Suppressions are the accepted risks that matched a result, one line
	// each: where, which rule, the reason, until when, the config's line.
	Suppressions []string
}

// htmlInput is one input file of the run with its SHA-256.
type htmlInput struct{ Target, Path, SHA256 string }

type htmlCount struct {
	Status     audit.Status
	N          int
	Suppressed int
}

type htmlTarget struct {
	audit.TargetReport
	// Kind is "Target", "Deployment" for a deployment's section
	// (docs/deployments.md), or "One cause" for a cause several targets
	// share (cause.go); the last two's AppText lists their targets.
	Kind    string
	AppText string
	// Blocked says that the section's errors are shown with the cause
	// they share with other targets (cause.go).
	Blocked string
	// PlatformText is the platform and where it came from; PlatformDetail
	// what an inferred or defaulted one was read from.
	PlatformText, PlatformDetail string
	Counts                       []htmlCount
	// Rows are the findings, one per result, for the overview table; Cards
	// the details, one per finding or per shared cause of errors.
	Rows  []htmlRow
	Cards []htmlCard
	// NotChecked are the skips grouped by reason.
	NotChecked []htmlSkips
	// Attested are the passes a person's attestation gave, listed apart
	// from the passes ssoaudit decided.
	Attested []htmlRow
	// Passes are the passing results with their evidence: an auditor needs
	// what each check saw (certificate expiry, days left), not a bare pass.
	Passes []htmlRow
	// Others are the passing and skipped results, listed compactly.
	Others []audit.Result
}

type htmlRow struct {
	audit.Result
	SeverityText string
	// Fields is the result's evidence (passes only).
	Fields []htmlField
	// Anchor links the row to the card that explains it.
	Anchor string
	// ControlsText names the controls the result is evidence for.
	ControlsText string
}

type htmlCard struct {
	Anchor string
	Status audit.Status
	Label  string
	// Rules are the card's rules; Group marks a card for several errors.
	Rules        []string
	Group        bool
	Title        string
	SeverityText string
	Message      string
	Note         string
	Remediation  string
	Reference    string
	ControlsText string
	// At is the file:line the finding is located at, as SARIF says.
	At       string
	Evidence []htmlField
	// RuleEvidence is per-rule evidence of a group whose evidence differs.
	RuleEvidence []htmlRuleEvidence
}

type htmlRuleEvidence struct {
	Rule     string
	Evidence []htmlField
}

type htmlSkips struct {
	Message string
	Results []audit.Result
}

type htmlField struct {
	Key, Value string
	// Empty marks a value that is the empty string, shown as such rather
	// than as a blank cell a reader could take for a rendering fault.
	Empty bool
}

func htmlModel(rep *audit.Report, locs map[string]audit.Location) htmlPage {
	supp := suppressedCounts(rep)
	p := htmlPage{
		Tool:    toolName(rep),
		Version: rep.Tool.Version,
		Schema:  rep.Schema,
		Gate:    gateOf(rep),
		Scope:   scopeText(rep),
		Basis:   gateBasis(rep),
		Config:  configText(rep),
		Summary: summaryText(rep),
		Counts:  counts(rep.Summary, supp),
	}
	if !rep.GeneratedAt.IsZero() {
		p.GeneratedAt = rep.GeneratedAt.UTC().Format(time.RFC3339)
	}
	p.Record = htmlRecordOf(rep)
	for r := range rep.Results() {
		if r.Status == audit.StatusPass && !(r.Attested && r.Attestation != nil) {
			p.passes = true
			break
		}
	}
	cs := sharedCauses(rep)
	p.Targets = func(yield func(int, htmlTarget) bool) {
		k := 0
		errs := shownErrors{}
		emit := func(ht htmlTarget) bool {
			ok := yield(k, ht)
			k++
			return ok
		}
		i := 0
		for t := range rep.EachTarget() {
			// A cause several targets share is one section, before the
			// first of them; their own sections keep the rest.
			for j, g := range cs.startingAt(t.Name) {
				ht := htmlTargetOf(fmt.Sprintf("c%d-%d", i+1, j+1), g.asTarget(), locs)
				ht.Kind, ht.Name, ht.AppText = "One cause", strings.TrimPrefix(g.heading(), "One cause "), g.membersText()
				var sum audit.Summary
				for _, r := range g.results {
					sum.AddResult(r)
				}
				ht.Counts = counts(sum, suppressedOf(g.results))
				if !emit(ht) {
					return
				}
			}
			full := t.Results
			g := cs.of(t)
			t.Results = cs.without(t.Results)
			ht := htmlTargetOf(fmt.Sprintf("t%d", i+1), t, locs)
			errs.add(t.Name, t.Results)
			ht.Counts = counts(t.Summary, suppressedOf(full))
			if g != nil {
				ht.Blocked = blockedText
			}
			if !emit(ht) {
				return
			}
			i++
		}
		i = 0
		for d := range rep.EachDeployment() {
			all := len(d.Results)
			results, of := errs.unshown(d)
			d.Results = cs.without(results)
			ht := htmlTargetOf(fmt.Sprintf("d%d", i+1), deploymentAsTarget(d), locs)
			if len(of) > 0 {
				ht.Blocked = shownText(of, len(d.Results) == 0)
			} else if len(d.Results) < all {
				ht.Blocked = blockedText
			}
			ht.Kind, ht.AppText = "Deployment", strings.Join(d.Targets, ", ")
			if !emit(ht) {
				return
			}
			i++
		}
	}
	return p
}

// htmlTargetOf is one section of the page: a target's results, or a
// deployment's in a target's clothes. prefix makes its anchors unique.
func htmlTargetOf(prefix string, t audit.TargetReport, locs map[string]audit.Location) htmlTarget {
	ht := htmlTarget{TargetReport: t, Kind: "Target", AppText: appText(t.App), Counts: counts(t.Summary, suppressedOf(t.Results)),
		PlatformText: platformLabel(t.Platform, t.PlatformSource), PlatformDetail: platformDetail(t)}
	if t.Source == audit.SourceDeployment {
		// Its apps decided, not one app (docs/platforms.md, A deployment's platform).
		ht.PlatformText = orNone(t.Platform) + deploymentPlatformWord(t.PlatformSource)
	}
	sorted := sortedResults(t.Results)
	anchorOf := map[string]string{}
	for _, it := range fixItems(sorted) {
		r := it.First()
		c := htmlCard{
			Anchor: fmt.Sprintf("%s-f%d", prefix, len(ht.Cards)+1),
			Status: r.Status, Label: statusLabel(r), Rules: it.Rules(),
			Group: len(it.Results) > 1, Title: r.Title, SeverityText: severityLabel(r),
			Message: r.Message, Note: suppressionText(r), Remediation: r.Remediation,
		}
		if it.IsError() {
			c.Label = errorLabel(r)
			if r.File != "" {
				c.At = placeText(locs, t, r)
			}
		} else {
			c.Reference = r.Reference
			c.ControlsText = controlsText(r.Controls)
			c.At = placeText(locs, t, r)
		}
		if it.SharedEvidence() {
			c.Evidence = htmlEvidence(r.Evidence)
		} else {
			for _, m := range it.Results {
				if len(m.Evidence) > 0 {
					c.RuleEvidence = append(c.RuleEvidence, htmlRuleEvidence{Rule: m.Rule, Evidence: htmlEvidence(m.Evidence)})
				}
			}
		}
		for _, id := range c.Rules {
			anchorOf[id] = c.Anchor
		}
		ht.Cards = append(ht.Cards, c)
	}
	for _, r := range sorted {
		switch {
		case isFinding(r):
			ht.Rows = append(ht.Rows, htmlRow{Result: r, SeverityText: severityLabel(r), Anchor: anchorOf[r.Rule]})
		case r.Status == audit.StatusPass && r.Attested && r.Attestation != nil:
			ht.Attested = append(ht.Attested, htmlRow{Result: r, SeverityText: attestationText(r.Attestation), Fields: htmlEvidence(r.Evidence)})
		case r.Status == audit.StatusPass:
			ht.Passes = append(ht.Passes, htmlRow{Result: r, SeverityText: severityLabel(r), Fields: htmlEvidence(r.Evidence), ControlsText: controlsText(r.Controls)})
		}
	}
	for _, g := range skipGroups(sorted) {
		ht.NotChecked = append(ht.NotChecked, htmlSkips(g))
	}
	return ht
}

// suppressedOf counts the suppressed results by status.
func suppressedOf(results []audit.Result) map[audit.Status]int {
	out := map[audit.Status]int{}
	for _, r := range results {
		if r.Suppressed {
			out[r.Status]++
		}
	}
	return out
}

// htmlRecordOf is the audit record: the gate as set, the config, what was
// checked, and every input file with its SHA-256.
func htmlRecordOf(rep *audit.Report) htmlRecord {
	r := htmlRecord{Threshold: "(not recorded)", Warns: "no", Required: "none", ConfigFile: "none"}
	switch rep.FailOn {
	case "":
	case audit.FailOnNone:
		r.Threshold = "none: report only (exit 0 unless usage error or incomplete)"
	default:
		r.Threshold = fmt.Sprintf("a fail at or above %s fails the gate", rep.FailOn)
	}
	if rep.FailOnWarn {
		r.Warns = "yes: a warn at or above the threshold fails the gate"
	}
	if len(rep.Require) > 0 {
		r.Required = strings.Join(rep.Require, ", ") + " (absent ⇒ error, exit 3)"
	}
	if rep.Config != "" {
		r.ConfigFile = rep.Config
	}
	if _, parts := configParts(rep); len(parts) > 0 {
		r.Overrides = parts
	}
	rules := map[string]bool{}
	for t := range rep.EachTarget() {
		for _, res := range t.Results {
			rules[res.Rule] = true
		}
		for _, in := range t.Inputs {
			r.Inputs = append(r.Inputs, htmlInput{Target: t.Name, Path: in.Path, SHA256: in.SHA256})
		}
		if t.Console != "" {
			r.Inputs = append(r.Inputs, htmlInput{Target: t.Name, Path: t.Console, SHA256: t.ConsoleSHA256})
		}
	}
	for _, a := range attestationList(rep) {
		r.Attestations = append(r.Attestations, fmt.Sprintf("%s · %s: %s", a.Target, a.Rule, attestationText(&a.AttestationNote)))
	}
	r.Suppressions = suppressionLines(rep)
	r.Checked = fmt.Sprintf("%s on %s", plural(len(rules), "rule", "rules"), plural(rep.NumTargets(), "target", "targets"))
	if n := rep.NumDeployments(); n > 0 {
		r.Checked += fmt.Sprintf(", deployment rules on %s", plural(n, "deployment", "deployments"))
	}
	r.Checked += "; every result is below, passes with their evidence"
	r.Controls = controlSummaries(rep)
	return r
}

// htmlEvidence renders evidence for the page: in full (the page is the
// archive), a list one element a line.
func htmlEvidence(ev audit.Evidence) []htmlField {
	var out []htmlField
	for _, e := range ev {
		v := evidenceValue(e.Value)
		if items, ok := evidenceList(e.Value); ok && len(items) > 0 {
			v = strings.Join(items, "\n")
		}
		out = append(out, htmlField{Key: e.Key, Value: v, Empty: v == ""})
	}
	return out
}

func counts(s audit.Summary, supp map[audit.Status]int) []htmlCount {
	out := make([]htmlCount, len(audit.Statuses))
	for i, st := range audit.Statuses {
		out[i] = htmlCount{Status: st, N: s.Count(st), Suppressed: supp[st]}
	}
	return out
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"links": htmlLinks}).Parse(htmlSource))

// urlInText finds the https URLs of a reference text.
var urlInText = regexp.MustCompile(`https://[^\s<>"'` + "`" + `]+`)

// htmlLinks renders text (a rule's reference: prose citing pages) with each
// https URL a link. Everything else, and the URL itself, is HTML-escaped;
// punctuation that ends a sentence is not part of the link.
func htmlLinks(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range urlInText.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		for end > start && strings.ContainsRune(".,;:)]}", rune(text[end-1])) {
			end--
		}
		b.WriteString(html.EscapeString(text[last:start]))
		u := html.EscapeString(text[start:end])
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, u, u)
		last = end
	}
	b.WriteString(html.EscapeString(text[last:]))
	return template.HTML(b.String())
}

// htmlSource is the page. The stylesheet is part of the template text (not a
// value passed in), so html/template leaves it as written.
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Tool}} report{{with .GeneratedAt}} — {{.}}{{end}}</title>
<style>
:root { --fail: #b42318; --error: #7a2e8e; --warn: #a15c07; --pass: #067647; --skip: #667085; --line: #d0d5dd; --muted: #475467; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #101828; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .25rem; padding-top: 1rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .35rem; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.meta { color: var(--muted); margin: 0; }
.verdict { display: inline-block; margin: 1rem 0 .5rem; padding: .4rem .8rem; border-radius: 6px; font-weight: 600; border: 2px solid currentColor; }
.verdict.passed { color: var(--pass); }
.verdict.failed { color: var(--fail); }
.verdict.incomplete { color: var(--error); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
.scroll { overflow-x: auto; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f2f4f7; }
table.counts { width: auto; }
table.counts td, table.counts th { text-align: center; min-width: 4.5rem; }
dl.target-meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem 1rem; margin: .5rem 0; }
dl.target-meta dt { color: var(--muted); }
dl.target-meta dd { margin: 0; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.fail { background: var(--fail); }
.badge.error { background: var(--error); }
.badge.warn { background: var(--warn); }
.badge.pass { background: var(--pass); }
.badge.skip { background: var(--skip); }
.badge.suppressed { background: #fff; color: var(--muted); border: 1px solid var(--muted); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; break-inside: avoid; page-break-inside: avoid; }
.finding.fail { border-left-color: var(--fail); }
.finding.error { border-left-color: var(--error); }
.finding.warn { border-left-color: var(--warn); }
.finding.pass { border-left-color: var(--pass); padding: .5rem 1rem; }
.record { margin-top: 1rem; }
table.inputs, table.controls { width: auto; max-width: 100%; font-size: 13px; }
p.controls { color: var(--muted); font-size: 13px; }
table.controls td:first-child code { white-space: nowrap; }
code.hash { overflow-wrap: anywhere; word-break: break-all; }
.finding p { margin: .35rem 0; }
.label { font-weight: 600; margin: .6rem 0 .2rem; }
.note { background: #f9fafb; border-left: 3px solid var(--muted); padding: .3rem .6rem; }
.remediation, .message { white-space: pre-line; }
.message, .remediation, .note, h4, dl.target-meta dd, ul.others li { overflow-wrap: break-word; }
/* Long tokens — URLs in references, console paths in headings, hashes and
   subjects in evidence — wrap anywhere rather than widen a phone's page. */
.reference, h2, h3, pre, table.evidence td { overflow-wrap: anywhere; }
table.findings td.rule code { white-space: nowrap; }
table.findings td.title { min-width: 9rem; }
table.findings td.message { min-width: 16rem; }
a { color: inherit; }
table.evidence { width: auto; max-width: 100%; font-size: 13px; }
table.evidence th { background: none; color: var(--muted); font-weight: 500; white-space: nowrap; }
table.evidence td { white-space: pre-wrap; word-break: break-word; }
table.evidence .empty { color: var(--muted); font-style: italic; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  table.evidence th { white-space: normal; overflow-wrap: anywhere; }
  table.counts td, table.counts th { min-width: 0; padding: .35rem .3rem; }
  table.findings thead { display: none; }
  table.findings tbody, table.findings tr, table.findings td { display: block; min-width: 0; }
  table.findings tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.findings td { border: none; padding: .1rem 0; overflow-wrap: anywhere; }
  table.findings td:first-child, table.findings td:nth-child(2) { display: inline-block; margin-right: .5rem; }
  table.findings td.title { font-weight: 600; }
  table.findings td.title, table.findings td.message { min-width: 0; }
  table.inputs thead { display: none; }
  table.inputs tbody, table.inputs tr, table.inputs td { display: block; }
  table.inputs tr { border-bottom: 1px solid var(--line); padding: .3rem 0; }
  table.inputs td { border: none; padding: .05rem 0; overflow-wrap: anywhere; }
}
ul.others { list-style: none; padding: 0; margin: .25rem 0; columns: 2 24rem; }
ul.others li { margin: .15rem 0; break-inside: avoid; }
ul.others .why, ul.notchecked .why { color: var(--muted); }
ul.notchecked { padding-left: 0; list-style: none; margin: .25rem 0; }
ul.notchecked li { margin: .3rem 0; overflow-wrap: break-word; }
.config { background: #fffaeb; border-left: 3px solid var(--warn); padding: .3rem .6rem; overflow-wrap: break-word; }
.supp { color: var(--muted); font-size: 12px; }
footer { margin-top: 3rem; color: var(--muted); font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-before: page; page-break-before: always; border-top: none; }
  h2.first { break-before: auto; page-break-before: auto; }
  .badge, .verdict, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  ul.others { columns: 1; }
  .scroll { overflow: visible; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { text-decoration: none; }
}
</style>
</head>
<body>
<header>
<h1>{{.Tool}} report</h1>
<p class="meta">Generated {{if .GeneratedAt}}<time datetime="{{.GeneratedAt}}">{{.GeneratedAt}}</time>{{else}}(time not recorded){{end}} by {{.Tool}} {{.Version}}{{with .Schema}} · schema {{.}}{{end}}</p>
<div class="verdict {{.Gate.Class}}">Gate: {{.Gate}}</div>
<p>{{.Scope}}{{with .Basis}} — {{.}}{{end}}</p>
{{- with .Config}}
<p class="config">{{.}}</p>
{{- end}}
<table class="counts">
<thead><tr>{{range .Counts}}<th>{{.Status}}</th>{{end}}</tr></thead>
<tbody><tr>{{range .Counts}}<td>{{.N}}{{with .Suppressed}}<br><span class="supp">({{.}} suppressed)</span>{{end}}</td>{{end}}</tr></tbody>
</table>
</header>
<main>
{{range $i, $t := .Targets}}
<section class="target">
<h2{{if eq $i 0}} class="first"{{end}}>{{$t.Kind}} {{$t.Name}}</h2>
<dl class="target-meta">
{{- if eq $t.Kind "Deployment" "One cause"}}
<dt>Targets</dt><dd>{{$t.AppText}}</dd>
{{- else}}
<dt>App</dt><dd>{{$t.AppText}}</dd>
<dt>Source</dt><dd>{{$t.Source}}</dd>
{{- end}}
{{- if ne $t.Kind "One cause"}}
<dt>Platform</dt><dd>{{$t.PlatformText}}{{with $t.PlatformDetail}}<br><small>{{.}}</small>{{end}}</dd>
{{- end}}
{{- with $t.Origin}}
<dt>Read from</dt><dd><code>{{.}}</code></dd>
{{- end}}
{{- with $t.Console}}
<dt>Druva console</dt><dd><code>{{.}}</code> <small>sha256 {{$t.ConsoleSHA256}}</small></dd>
{{- end}}
<dt>Results</dt><dd>{{range $j, $c := $t.Counts}}{{if $j}} · {{end}}{{$c.N}} {{$c.Status}}{{with $c.Suppressed}} ({{.}} suppressed){{end}}{{end}}</dd>
</dl>
{{if $t.Rows}}
<h3>Findings</h3>
<div class="scroll">
<table class="findings">
<thead><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Title</th><th>Message</th></tr></thead>
<tbody>
{{- range $t.Rows}}
<tr><td><span class="badge {{.Status}}">{{.Status}}</span>{{if .Suppressed}} <span class="badge suppressed">suppressed</span>{{end}}</td><td>{{.SeverityText}}</td><td class="rule"><a href="#{{.Anchor}}"><code>{{.Rule}}</code></a></td><td class="title">{{.Title}}</td><td class="message">{{.Message}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{range $t.Cards}}
<article class="finding {{.Status}}" id="{{.Anchor}}">
{{- if eq .Status "error"}}
<h4><span class="badge {{.Status}}">{{.Label}}</span> {{range $k, $r := .Rules}}{{if $k}}, {{end}}<code>{{$r}}</code>{{end}}{{if .Group}} ({{len .Rules}} rules){{else}} — {{.Title}}{{end}}</h4>
<p class="message">{{.Message}}</p>
{{- with .At}}
<p class="at">At <code>{{.}}</code></p>
{{- end}}
{{- else}}
<h4><span class="badge {{.Status}}">{{.Label}}</span> <code>{{index .Rules 0}}</code> — {{.Title}}</h4>
<p class="message">{{.SeverityText}} · {{.Message}}</p>
{{- with .At}}
<p class="at">At <code>{{.}}</code></p>
{{- end}}
{{- end}}
{{- with .Note}}
<p class="note">{{.}}</p>
{{- end}}
{{- if .Evidence}}
<p class="label">Evidence</p>
<table class="evidence"><tbody>
{{- range .Evidence}}
<tr><th scope="row">{{.Key}}</th><td>{{if .Empty}}<span class="empty">(empty)</span>{{else}}<code>{{.Value}}</code>{{end}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- range .RuleEvidence}}
<p class="label">Evidence for <code>{{.Rule}}</code></p>
<table class="evidence"><tbody>
{{- range .Evidence}}
<tr><th scope="row">{{.Key}}</th><td>{{if .Empty}}<span class="empty">(empty)</span>{{else}}<code>{{.Value}}</code>{{end}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- with .Remediation}}
<p class="label">How to fix</p>
<p class="remediation">{{.}}</p>
{{- end}}
{{- with .Reference}}
<p class="label">Reference</p>
<p class="reference">{{links .}}</p>
{{- end}}
{{- with .ControlsText}}
<p class="label">Controls</p>
<p class="controls">{{.}}</p>
{{- end}}
</article>
{{- end}}
{{else if $t.Blocked}}
<p>{{$t.Blocked}}</p>
{{else}}
<p>No findings: every rule passed or was skipped.</p>
{{end}}
{{- if $t.NotChecked}}
<h3>Not checked</h3>
<ul class="notchecked">
{{- range $t.NotChecked}}
<li><span class="badge skip">skip</span> {{range $k, $r := .Results}}{{if $k}}, {{end}}<code>{{$r.Rule}}</code> ({{$r.Severity}}){{end}} <span class="why">— {{.Message}}</span></li>
{{- end}}
</ul>
{{- end}}
{{- if $t.Attested}}
<h3>Attested by a person ({{len $t.Attested}}), not decided by ssoaudit</h3>
<ul class="notchecked">
{{- range $t.Attested}}
<li><span class="badge pass">pass</span> <code>{{.Rule}}</code> <span class="why">— attested {{.SeverityText}}</span></li>
{{- end}}
</ul>
{{- end}}
</section>
{{end}}
</main>
<section class="record">
<h3>Audit record</h3>
<dl class="target-meta">
<dt>Tool</dt><dd>{{.Tool}} {{.Version}}</dd>
<dt>Generated</dt><dd>{{if .GeneratedAt}}{{.GeneratedAt}}{{else}}(not recorded){{end}}</dd>
<dt>Checked</dt><dd>{{.Record.Checked}}</dd>
<dt>Gate threshold</dt><dd>{{.Record.Threshold}}</dd>
<dt>Warnings fail</dt><dd>{{.Record.Warns}}</dd>
<dt>Required inputs</dt><dd>{{.Record.Required}}</dd>
<dt>Gate basis</dt><dd>{{if .Basis}}{{.Basis}}{{else}}(none recorded){{end}} — verdict: {{.Gate}}</dd>
<dt>Config</dt><dd><code>{{.Record.ConfigFile}}</code>{{range .Record.Overrides}}<br>{{.}}{{end}}</dd>
{{- if .Record.Attestations}}
<dt>Attested by a person</dt><dd>{{range $i, $a := .Record.Attestations}}{{if $i}}<br>{{end}}{{$a}}{{end}}</dd>
{{- end}}
{{- if .Record.Suppressions}}
<dt>Suppressed (accepted risks)</dt><dd>{{range $i, $a := .Record.Suppressions}}{{if $i}}<br>{{end}}{{$a}}{{end}}</dd>
{{- end}}
</dl>
{{- if .Record.Inputs}}
<div class="scroll">
<table class="inputs">
<thead><tr><th>Target</th><th>Input</th><th>SHA-256</th></tr></thead>
<tbody>
{{- range .Record.Inputs}}
<tr><td>{{.Target}}</td><td><code>{{.Path}}</code></td><td><code class="hash">{{.SHA256}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- if .Record.Controls}}
<p class="label">Results per control (the rules' evidence, by framework control; docs/rules/&lt;rule&gt;.md says why each applies)</p>
<div class="scroll">
<table class="controls">
<thead><tr><th>Control</th><th>Title</th><th>Rules</th><th>Results</th></tr></thead>
<tbody>
{{- range .Record.Controls}}
<tr><td><code>{{.Name}}</code></td><td>{{.Title}}</td><td>{{range $k, $r := .Rules}}{{if $k}}, {{end}}<code>{{$r}}</code>{{end}}</td><td>{{.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
</section>
{{- if .HasPasses}}
<section class="passes">
<h2>Passed checks, with what each saw</h2>
{{- range $i, $t := .Targets}}
{{- if $t.Passes}}
<h3>{{$t.Kind}} {{$t.Name}}: passed ({{len $t.Passes}})</h3>
{{- range $t.Passes}}
<article class="finding pass">
<h4><span class="badge pass">pass</span> <code>{{.Rule}}</code> — {{.Title}}</h4>
<p class="message">{{.SeverityText}} · {{.Message}}</p>
{{- with .ControlsText}}
<p class="controls">Controls: {{.}}</p>
{{- end}}
{{- if .Fields}}
<table class="evidence"><tbody>
{{- range .Fields}}
<tr><th scope="row">{{.Key}}</th><td>{{if .Empty}}<span class="empty">(empty)</span>{{else}}<code>{{.Value}}</code>{{end}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
</article>
{{- end}}
{{- end}}
{{- end}}
</section>
{{- end}}
<footer>{{.Summary}}</footer>
</body>
</html>
`
