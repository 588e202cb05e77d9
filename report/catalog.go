package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
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
			Inputs: in, Scope: ruleScope(r),
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
// from and which inputs it reads.
func WriteExplain(w io.Writer, r *audit.Rule) error {
	if r == nil {
		return errors.New("explain: nil rule")
	}
	bw := bufio.NewWriter(w)
	l := layout{width: CatalogWidth}
	l.hanging(bw, "", "  ", fmt.Sprintf("%s — %s", r.ID, r.Title))
	fmt.Fprintf(bw, "Severity: %s\n", r.Severity)
	section := func(title, body string) {
		if body == "" {
			return
		}
		fmt.Fprintf(bw, "\n%s\n", title)
		l.indented(bw, "  ", body)
	}
	section("Why it matters", r.Rationale)
	section("How to fix", r.Remediation)
	if r.Terraform != "" {
		section("In Terraform (okta_app_saml)", r.Terraform)
	}
	section("Reference", r.Reference)
	if len(r.Profile) > 0 {
		fmt.Fprintf(bw, "\nWhat each platform accepts (from Druva's pages, numbered below)\n")
		writeProfile(bw, r.Profile)
	}
	if r.OnDeployment() {
		section("Judged", "once per deployment: over every Okta app of the run that signs into the same Druva console (the same druva.yaml)")
	}
	section("Reads", inputsText(r))
	return bw.Flush()
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
					if _, ok := noteValues[a.Note]; !ok {
						notes = append(notes, a.Note)
					}
					if v := audit.ShowValue(a.Value); !containsString(noteValues[a.Note], v) {
						noteValues[a.Note] = append(noteValues[a.Note], v)
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
		for _, n := range notes {
			l.hanging(w, "    ", "      ", "- "+strings.Join(noteValues[n], ", ")+": "+n)
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
