package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/docs"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

// CatalogSchema identifies the JSON written by WriteCatalog.
const CatalogSchema = "ssoaudit.rules/v1"

// catalogRule is one rule as `ssoaudit rules --format json` lists it.
type catalogRule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Rationale   string   `json:"rationale"`
	Remediation string   `json:"remediation"`
	Reference   string   `json:"reference"`
	Terraform   string   `json:"terraform,omitempty"`
	Inputs      []string `json:"inputs"`
	// Scope is "target" for a rule judged per target, "deployment" for one
	// judged once per deployment (docs/deployments.md).
	Scope string `json:"scope"`
	// Controls are the framework controls the rule's evidence supports.
	Controls []audit.Control `json:"controls"`
}

type catalogDoc struct {
	Schema string        `json:"schema"`
	Rules  []catalogRule `json:"rules"`
}

// WriteCatalog lists rules, in the order given, for `ssoaudit rules`:
// format "table" for people, "json" for scripts (an object with the schema
// name and a "rules" array).
func WriteCatalog(w io.Writer, format string, rules []*audit.Rule) error {
	switch format {
	case "table":
		return writeCatalogTable(w, rules)
	case "json":
		return writeCatalogJSON(w, rules)
	}
	return fmt.Errorf("unknown catalog format %q (want table or json)", format)
}

func writeCatalogJSON(w io.Writer, rules []*audit.Rule) error {
	doc := catalogDoc{Schema: CatalogSchema, Rules: []catalogRule{}}
	for _, r := range rules {
		if r == nil {
			continue
		}
		in := make([]string, len(r.Needs))
		for i, n := range r.Needs {
			in[i] = string(n)
		}
		doc.Rules = append(doc.Rules, catalogRule{
			ID: r.ID, Title: r.Title, Severity: string(r.Severity),
			Rationale: r.Rationale, Remediation: r.Remediation, Reference: r.Reference, Terraform: r.Terraform,
			Inputs: in, Scope: ruleScope(r), Controls: nonNil(r.Controls),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// CatalogWidth is the width `rules` and `explain` fit: an 80-column
// terminal, the narrowest in common use.
const CatalogWidth = 80

func writeCatalogTable(w io.Writer, rules []*audit.Rule) error {
	bw := bufio.NewWriter(w)
	table := newTable(bw)
	table.Header("RULE", "SEVERITY", "TITLE (AND WHAT IT READS)")
	idW := len("RULE")
	for _, r := range rules {
		if r != nil {
			idW = max(idW, len(r.ID))
		}
	}
	// Three columns: borders and padding take 10, the severity 8.
	titleW := max(CatalogWidth-10-len("SEVERITY")-idW, 24)
	n := 0
	for _, r := range rules {
		if r == nil {
			continue
		}
		n++
		reads := "reads " + strings.Join(inputsList(r), ", ")
		if r.OnDeployment() {
			reads = "once per deployment; " + reads
		}
		cell := append(words.Wrap(r.Title, titleW), words.Wrap(reads, titleW)...)
		if c := controlsLine(r.Controls); c != "" {
			cell = append(cell, words.Wrap(c, titleW)...)
		}
		row := []string{r.ID, string(r.Severity), strings.Join(cell, "\n")}
		if err := table.Append(row); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	l := layout{width: CatalogWidth}
	l.hanging(bw, "", "", fmt.Sprintf("%s. `ssoaudit explain RULE` shows why each matters and how to fix it.", plural(n, "rule", "rules")))
	return bw.Flush()
}

// nonNil keeps "controls" an array in JSON.
func nonNil(c []audit.Control) []audit.Control {
	if c == nil {
		return []audit.Control{}
	}
	return c
}

// controlsLine names a rule's controls in one line, by framework:
// "NIST IA-2(1), IA-2(2); CIS 6.3, 6.5".
func controlsLine(controls []audit.Control) string {
	var parts []string
	for _, f := range docs.Frameworks {
		var ids []string
		for _, c := range controls {
			if c.Framework == f.Key {
				ids = append(ids, c.ID)
			}
		}
		if len(ids) > 0 {
			parts = append(parts, f.Short+" "+strings.Join(ids, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// WriteFramework lists one framework's controls, for `ssoaudit rules
// --framework NAME`: each control the catalog's rules support, in the
// framework's order, with those rules.
func WriteFramework(w io.Writer, format string, f docs.Framework, rules []*audit.Rule) error {
	type entry struct {
		ID    string   `json:"id"`
		Title string   `json:"title"`
		Rules []string `json:"rules"`
	}
	var entries []*entry
	byID := map[string]*entry{}
	for _, r := range rules {
		for _, c := range r.Controls {
			if c.Framework != f.Key {
				continue
			}
			e := byID[c.ID]
			if e == nil {
				e = &entry{ID: c.ID, Title: c.Title}
				byID[c.ID] = e
				entries = append(entries, e)
			}
			e.Rules = append(e.Rules, r.ID)
		}
	}
	slices.SortFunc(entries, func(a, b *entry) int { return docs.CompareControls(a.ID, b.ID) })
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Schema    string   `json:"schema"`
			Framework string   `json:"framework"`
			Name      string   `json:"name"`
			Citation  string   `json:"citation"`
			Controls  []*entry `json:"controls"`
		}{FrameworkSchema, f.Key, f.Name, f.Citation, entries})
	case "table":
	default:
		return fmt.Errorf("unknown catalog format %q (want table or json)", format)
	}
	bw := bufio.NewWriter(w)
	l := layout{width: CatalogWidth}
	l.hanging(bw, "", "  ", f.Citation)
	for _, e := range entries {
		fmt.Fprintln(bw)
		l.hanging(bw, "", "  ", e.ID+" "+e.Title)
		for _, id := range e.Rules {
			fmt.Fprintf(bw, "  %s\n", id)
		}
	}
	fmt.Fprintln(bw)
	l.hanging(bw, "", "", fmt.Sprintf("%s of %s supported by %s. `ssoaudit explain RULE` says what in the rule's evidence supports each.", plural(len(entries), "control", "controls"), f.Name, plural(len(rules), "rule", "rules")))
	return bw.Flush()
}

// FrameworkSchema identifies the JSON written by WriteFramework.
const FrameworkSchema = "ssoaudit.framework/v1"

// ruleScope is what a rule judges: each target, or each deployment.
func ruleScope(r *audit.Rule) string {
	if r.OnDeployment() {
		return "deployment"
	}
	return "target"
}

func inputsList(r *audit.Rule) []string {
	if len(r.Needs) == 0 {
		return []string{"nothing"}
	}
	out := make([]string, len(r.Needs))
	for i, n := range r.Needs {
		out[i] = string(n)
	}
	return out
}

// WriteExplain describes one rule for `ssoaudit explain RULE`: what it
// checks, why it matters, how to fix a failure, where the requirement comes
// from, what each platform accepts, the controls its evidence supports and
// the inputs it reads. Each thing is said once: the Druva pages of the
// platform profiles are listed under the profile, not again in the
// reference, and a fix never points at this very page.
func WriteExplain(w io.Writer, r *audit.Rule) error {
	if r == nil {
		return errors.New("explain: nil rule")
	}
	bw := bufio.NewWriter(w)
	l := layout{width: CatalogWidth}
	l.hanging(bw, "", "  ", fmt.Sprintf("%s — %s", r.ID, r.Title))
	fmt.Fprintf(bw, "Severity: %s\n", r.Severity)
	if r.OnDeployment() {
		l.hanging(bw, "", "  ", "Judged once per deployment: over every Okta app of the run that signs into the same Druva console (the same druva.yaml).")
	}
	section := func(title, body string) {
		if body == "" {
			return
		}
		fmt.Fprintf(bw, "\n%s\n", title)
		l.steps(bw, "  ", body)
	}
	section("Why it matters", r.Rationale)
	section("How to fix", r.Remediation)
	if r.Terraform != "" {
		section("In Terraform (okta_app_saml)", withoutSelfReference(r.Terraform, r.ID))
	}
	ref := r.Reference
	if len(r.Profile) > 0 {
		if pages := audit.ProfileReference(r.Profile...); pages != "" && strings.Contains(ref, pages) {
			ref = strings.Replace(ref, pages, "the pages numbered under \"What each platform accepts\" below", 1)
		}
	}
	section("Reference", ref)
	if len(r.Profile) > 0 {
		fmt.Fprintf(bw, "\nWhat each platform accepts (from Druva's pages, numbered below)\n")
		writeProfile(bw, r.Profile)
	}
	if len(r.Controls) > 0 {
		fmt.Fprintf(bw, "\nControls its evidence supports\n")
		writeControls(bw, r.Controls)
	}
	section("Reads", inputsText(r))
	return bw.Flush()
}

// steps writes text under an indent, each line a paragraph; a numbered step
// ("2. Set …") hangs under its number.
func (l layout) steps(w io.Writer, indent, text string) {
	for _, para := range strings.Split(text, "\n") {
		if strings.HasPrefix(para, "    ") { // a snippet to paste: as written
			fmt.Fprintln(w, indent+para)
			continue
		}
		num, rest, ok := strings.Cut(para, ". ")
		if ok && num != "" && strings.Trim(num, "0123456789") == "" && len(num) <= 2 {
			first := indent + num + ". "
			l.hanging(w, first, strings.Repeat(" ", len(first)), rest)
			continue
		}
		l.indented(w, indent, para)
	}
}

// withoutSelfReference drops a pointer to `ssoaudit explain ID` from text
// printed by that very command.
func withoutSelfReference(text, id string) string {
	for _, p := range []string{"; see ssoaudit explain " + id, " (see ssoaudit explain " + id + ")", ", see ssoaudit explain " + id} {
		text = strings.ReplaceAll(text, p, "")
	}
	return text
}

// writeControls lists a rule's controls by framework, each with what in the
// rule's evidence supports it.
func writeControls(w io.Writer, controls []audit.Control) {
	l := layout{width: CatalogWidth}
	for _, f := range docs.Frameworks {
		first := true
		for _, c := range controls {
			if c.Framework != f.Key {
				continue
			}
			if first {
				fmt.Fprintf(w, "  %s\n", f.Name)
				first = false
			}
			text := c.ID + " " + c.Title
			if c.Why != "" {
				text += ": " + c.Why
			}
			l.hanging(w, "    ", "      ", text)
		}
	}
}

// writeProfile prints the platform profiles' accepted values for the rule's
// fields: one line per group of platforms that accept the same, each value
// with the number of the Druva page that documents it, then the pages and
// the reasons a weaker choice than the guide's is accepted.
func writeProfile(w io.Writer, fields []audit.ProfileField) {
	l := layout{width: CatalogWidth}
	var pages []string
	page := func(c audit.Citation) int {
		s := c.String()
		for i, p := range pages {
			if p == s {
				return i + 1
			}
		}
		pages = append(pages, s)
		return len(pages)
	}
	// Notes are gathered per value list, so a value accepted for several
	// reasons is named once, with each reason and its page.
	var notes []string
	noteValues := map[string][]string{}
	for _, f := range fields {
		fmt.Fprintf(w, "  %s\n", f.Name)
		var lines, order []string
		groups := map[string][]string{}
		for _, p := range audit.Platforms {
			var vals []string
			for _, a := range f.Get(p.Profile()) {
				vals = append(vals, fmt.Sprintf("%s [%d]", audit.ShowValue(a.Value), page(a.Source)))
				if a.Note != "" {
					n := fmt.Sprintf("%s [%d]", a.Note, page(a.Source))
					if _, ok := noteValues[n]; !ok {
						notes = append(notes, n)
					}
					if v := audit.ShowValue(a.Value); !containsString(noteValues[n], v) {
						noteValues[n] = append(noteValues[n], v)
					}
				}
			}
			line := strings.Join(vals, ", ")
			if _, ok := groups[line]; !ok {
				order = append(order, line)
			}
			groups[line] = append(groups[line], p.Name)
		}
		for _, line := range order {
			lines = append(lines, fmt.Sprintf("    %s: %s", strings.Join(groups[line], ", "), line))
		}
		for _, line := range lines {
			l.hanging(w, "    ", "        ", strings.TrimSpace(line))
		}
	}
	fmt.Fprintln(w, "  Pages")
	for i, p := range pages {
		first := fmt.Sprintf("    [%d] ", i+1)
		l.hanging(w, first, strings.Repeat(" ", len(first)), p)
	}
	if len(notes) > 0 {
		l.hanging(w, "  ", "    ", "Accepted with a reason (the rule says it when it passes on one of these)")
		var order []string
		byValues := map[string][]string{}
		for _, n := range notes {
			vals := strings.Join(noteValues[n], ", ")
			if _, ok := byValues[vals]; !ok {
				order = append(order, vals)
			}
			byValues[vals] = append(byValues[vals], n)
		}
		for _, vals := range order {
			l.hanging(w, "    ", "      ", "- "+vals+": "+strings.Join(byValues[vals], "; "))
		}
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
