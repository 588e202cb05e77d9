package report

// Grouping for the "How to fix" and "Not checked" sections: one block per
// finding, errors grouped by cause, skips grouped by reason.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

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
