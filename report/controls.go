package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/docs"
)

// controlName is a control as one-line lists show it: "NIST IA-2(1)".
func controlName(c audit.Control) string {
	if f, ok := docs.LookupFramework(c.Framework); ok {
		return f.Short + " " + c.ID
	}
	return c.Framework + " " + c.ID
}

// controlsText lists the controls a result is evidence for, each with its
// title: "NIST IA-2(1) Multi-factor Authentication to Privileged Accounts;
// CIS 6.5 Require MFA for Administrative Access".
func controlsText(cs []audit.Control) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = controlName(c)
		if c.Title != "" {
			parts[i] += " " + c.Title
		}
	}
	return strings.Join(parts, "; ")
}

// controlTags are SARIF tags for a rule's controls ("nist-800-53/IA-2(1)",
// "cis-v8/6.3"), so code scanning can filter alerts by control.
func controlTags(cs []audit.Control) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Framework + "/" + c.ID
	}
	return out
}

// controlSummary is one control with the results that are evidence for it,
// for the audit record: which rules, and how they ended.
type controlSummary struct {
	Framework, Name, Title string
	Rules                  []string
	Counts                 audit.Summary
}

// Text is the summary's counts: "3 pass, 1 fail".
func (c controlSummary) Text() string {
	var parts []string
	for _, st := range audit.Statuses {
		if n := c.Counts.Count(st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	return strings.Join(parts, ", ")
}

// controlSummaries groups every result of rep (targets and deployments) by
// the controls it is evidence for, in the frameworks' order and each
// framework's control order.
func controlSummaries(rep *audit.Report) []controlSummary {
	type key struct{ framework, id string }
	byKey := map[key]*controlSummary{}
	var keys []key
	for r := range rep.Results() {
		for _, c := range r.Controls {
			k := key{c.Framework, c.ID}
			s, ok := byKey[k]
			if !ok {
				s = &controlSummary{Framework: c.Framework, Name: controlName(c), Title: c.Title}
				byKey[k] = s
				keys = append(keys, k)
			}
			if !slices.Contains(s.Rules, r.Rule) {
				s.Rules = append(s.Rules, r.Rule)
			}
			s.Counts.Add(r.Status)
		}
	}
	order := func(f string) int {
		for i, fw := range docs.Frameworks {
			if fw.Key == f {
				return i
			}
		}
		return len(docs.Frameworks)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if d := order(a.framework) - order(b.framework); d != 0 {
			return d
		}
		if a.framework != b.framework {
			return strings.Compare(a.framework, b.framework)
		}
		return docs.CompareControls(a.id, b.id)
	})
	out := make([]controlSummary, len(keys))
	for i, k := range keys {
		s := byKey[k]
		slices.Sort(s.Rules)
		out[i] = *s
	}
	return out
}
