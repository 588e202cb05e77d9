// Package diff compares two JSON reports: what newly fails, what was
// resolved, what still fails, so a nightly scan's history reads as changes.
package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Change kinds, in the order reports list them.
const (
	NewFail       = "new-fail"      // fails now, did not before
	NewError      = "new-error"     // could not be evaluated now, could before
	StillFailing  = "still-failing" // failed (or errored) before and now
	Resolved      = "resolved"      // failed or errored before, passes, warns or skips now
	NoLongerFound = "not-reported"  // failed or errored before, absent now (target or rule gone)
)

// Kinds lists the change kinds in report order.
var Kinds = []string{NewFail, NewError, StillFailing, Resolved, NoLongerFound}

// Schema identifies the JSON diff format.
const Schema = "ssoaudit.diff/v1"

// Change is one (target, rule) whose standing changed, or stayed bad.
type Change struct {
	Kind       string         `json:"change"`
	Target     string         `json:"target"`
	Rule       string         `json:"rule"`
	Severity   audit.Severity `json:"severity"`
	OldStatus  audit.Status   `json:"old_status,omitempty"`
	NewStatus  audit.Status   `json:"new_status,omitempty"`
	Suppressed bool           `json:"suppressed"`
	Message    string         `json:"message"`
}

// Side describes one of the two reports compared.
type Side struct {
	File        string    `json:"file"`
	GeneratedAt time.Time `json:"generated_at"`
}

// Result is the comparison of two reports.
type Result struct {
	Schema   string         `json:"schema"`
	Old      Side           `json:"old"`
	New      Side           `json:"new"`
	Changes  []Change       `json:"changes"`
	Summary  map[string]int `json:"summary"`
	FailOn   audit.Severity `json:"fail_on"`
	ExitCode int            `json:"exit_code"`
	Warnings []string       `json:"warnings,omitempty"`
}

func overlap(a, b *audit.Report) bool {
	seen := map[string]bool{}
	for _, t := range a.Targets {
		seen[targetKey(t)] = true
	}
	for _, t := range b.Targets {
		if seen[targetKey(t)] {
			return true
		}
	}
	return false
}

// Load reads a JSON report written by `ssoaudit scan --format json`.
func Load(path string) (*audit.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rep audit.Report
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("%s: not a JSON report: %v", path, err)
	}
	if rep.Schema != audit.Schema {
		return nil, fmt.Errorf("%s: schema is %q, want %q (a report from ssoaudit scan --format json)", path, rep.Schema, audit.Schema)
	}
	return &rep, nil
}

// key identifies one rule on one target across two reports. A target is
// known by its app ID where it has one, so that snapshots saved under dated
// directories (evidence/2026-11-26, evidence/2026-11-27) still line up.
type key struct{ target, rule string }

func targetKey(t audit.TargetReport) string {
	if t.App.ID != "" {
		return "app:" + t.App.ID
	}
	return "name:" + t.Name
}

func bad(s audit.Status) bool { return s == audit.StatusFail || s == audit.StatusError }

// Compare finds what changed from old to new. The gate (exit 1) trips when
// new has an unsuppressed fail or error at or above failOn that old did not.
func Compare(oldRep, newRep *audit.Report, failOn audit.Severity) *Result {
	names := map[string]string{} // target key → the name to show (the new report's)
	index := func(rep *audit.Report) (map[key]audit.Result, []key) {
		m := map[key]audit.Result{}
		var order []key
		for _, t := range rep.Targets {
			names[targetKey(t)] = t.Name
			for _, r := range t.Results {
				k := key{targetKey(t), r.Rule}
				if _, dup := m[k]; !dup {
					order = append(order, k)
				}
				m[k] = r
			}
		}
		return m, order
	}
	olds, oldOrder := index(oldRep)
	news, newOrder := index(newRep)
	res := &Result{Schema: Schema, Summary: map[string]int{}, FailOn: failOn, Changes: []Change{}}
	if len(oldRep.Targets) > 0 && len(newRep.Targets) > 0 && !overlap(oldRep, newRep) {
		res.Warnings = append(res.Warnings, "the two reports have no target in common (by app ID, else by name): every finding shows as new or gone")
	}
	for _, kind := range Kinds {
		res.Summary[kind] = 0
	}
	add := func(kind string, k key, o, n *audit.Result) {
		c := Change{Kind: kind, Target: names[k.target], Rule: k.rule}
		if o != nil {
			c.OldStatus, c.Severity, c.Message = o.Status, o.Severity, o.Message
		}
		if n != nil {
			c.NewStatus, c.Severity, c.Message, c.Suppressed = n.Status, n.Severity, n.Message, n.Suppressed
		}
		res.Changes = append(res.Changes, c)
		res.Summary[kind]++
		if (kind == NewFail || kind == NewError) && !c.Suppressed && c.Severity.AtLeast(failOn) {
			res.ExitCode = 1
		}
	}
	for _, k := range newOrder {
		n := news[k]
		o, had := olds[k]
		var op *audit.Result
		if had {
			op = &o
		}
		switch {
		case n.Status == audit.StatusFail && (!had || o.Status != audit.StatusFail):
			add(NewFail, k, op, &n)
		case n.Status == audit.StatusError && (!had || o.Status != audit.StatusError):
			add(NewError, k, op, &n)
		case bad(n.Status):
			add(StillFailing, k, op, &n)
		case had && bad(o.Status):
			add(Resolved, k, op, &n)
		}
	}
	for _, k := range oldOrder {
		if o := olds[k]; bad(o.Status) {
			if _, still := news[k]; !still {
				add(NoLongerFound, k, &o, nil)
			}
		}
	}
	rank := map[string]int{}
	for i, k := range Kinds {
		rank[k] = i
	}
	sort.SliceStable(res.Changes, func(i, j int) bool {
		a, b := res.Changes[i], res.Changes[j]
		if rank[a.Kind] != rank[b.Kind] {
			return rank[a.Kind] < rank[b.Kind]
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.Rule < b.Rule
	})
	return res
}
