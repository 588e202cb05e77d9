// Package diff compares two JSON reports: what newly fails, what was
// resolved, what still fails, so a nightly scan's history reads as changes.
package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Change kinds, in the order reports list them. Every change of a result's
// status is one of them, so nothing that stops being checked goes unseen.
const (
	NewFail         = "new-fail"          // fails now, did not before
	NewError        = "new-error"         // could not be evaluated now, and was not checked before either
	NoLongerChecked = "no-longer-checked" // passed, warned or failed before; skipped or errored now
	NewWarn         = "new-warn"          // warns now; passed, skipped or was absent before
	StillFailing    = "still-failing"     // failed (or errored) before and now
	Resolved        = "resolved"          // failed, errored or warned before; passes now (or warns where it failed)
	Attested        = "attested"          // not decidable before; a person's attestation passes it now (not a fix)
	NowChecked      = "now-checked"       // skipped before; the tool decides it now and it passes
	NoLongerFound   = "not-reported"      // failed or errored before, absent now (target or rule gone)
)

// Kinds lists the change kinds in report order.
var Kinds = []string{NewFail, NewError, NoLongerChecked, NewWarn, StillFailing, Resolved, Attested, NowChecked, NoLongerFound}

// Schema identifies the JSON diff format.
const Schema = "ssoaudit.diff/v1"

// Change is one (target, rule) whose standing changed, or stayed bad.
type Change struct {
	Kind   string `json:"change"`
	Target string `json:"target"`
	// Deployment is set when Target names a deployment (docs/deployments.md),
	// whose results diff pairs by name.
	Deployment bool           `json:"deployment,omitempty"`
	Rule       string         `json:"rule"`
	Severity   audit.Severity `json:"severity"`
	OldStatus  audit.Status   `json:"old_status,omitempty"`
	NewStatus  audit.Status   `json:"new_status,omitempty"`
	Suppressed bool           `json:"suppressed"`
	// OldSuppressed is the old result's suppression: a finding suppressed
	// in both reports says so rather than reading as newly suppressed.
	OldSuppressed bool   `json:"old_suppressed"`
	Message       string `json:"message"`
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

func overlap(oldKeys, newKeys []string) bool {
	for _, k := range oldKeys {
		if strings.HasPrefix(k, "new:") {
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
	switch {
	case rep.Schema == "":
		// SARIF, a saved table, any other JSON: no schema at all. Say
		// what the file is not, not that a field is empty.
		return nil, fmt.Errorf("%s: not a JSON report from ssoaudit scan --format json (diff compares two of those; SARIF, JUnit and the other formats cannot be compared)", path)
	case rep.Schema != audit.Schema:
		return nil, fmt.Errorf("%s: schema is %q, want %q (a report from ssoaudit scan --format json)", path, rep.Schema, audit.Schema)
	}
	return &rep, nil
}

// key identifies one rule on one target (or deployment) across two reports.
type key struct{ target, rule string }

// deploymentKey prefixes a deployment's name in a key; target keys start
// with old: or new:.
const deploymentKey = "deployment:"

// pairTargets decides which target of old each target of new is. Targets
// pair by name; a target left over pairs by app ID when exactly one on each
// side has it, so snapshots saved under dated directories
// (evidence/2026-11-26, evidence/2026-11-27) still line up while two targets
// of one app in a fleet stay apart. It returns a key per target of each
// report and the name to show per key.
func pairTargets(oldRep, newRep *audit.Report) (oldKeys, newKeys []string, names map[string]string) {
	names = map[string]string{}
	oldKeys = make([]string, len(oldRep.Targets))
	newKeys = make([]string, len(newRep.Targets))
	byName := map[string]int{}
	for i, t := range oldRep.Targets {
		oldKeys[i] = "old:" + t.Name
		names[oldKeys[i]] = t.Name
		byName[t.Name] = i
	}
	paired := map[int]bool{}
	for i, t := range newRep.Targets {
		newKeys[i] = "new:" + t.Name
		names[newKeys[i]] = t.Name
		if j, ok := byName[t.Name]; ok && !paired[j] {
			paired[j] = true
			oldKeys[j] = newKeys[i]
		}
	}
	count := func(ts []audit.TargetReport, keys []string, prefix, id string) (n, at int) {
		for i, t := range ts {
			if t.App.ID == id && strings.HasPrefix(keys[i], prefix) {
				n, at = n+1, i
			}
		}
		return n, at
	}
	for i, t := range newRep.Targets {
		if t.App.ID == "" {
			continue
		}
		if _, ok := byName[t.Name]; ok {
			continue
		}
		nn, _ := count(newRep.Targets, newKeys, "new:", t.App.ID)
		on, j := count(oldRep.Targets, oldKeys, "old:", t.App.ID)
		if nn == 1 && on == 1 && !paired[j] {
			paired[j] = true
			oldKeys[j] = newKeys[i]
		}
	}
	return oldKeys, newKeys, names
}

// pairDeployments decides which deployment of old each deployment of new is,
// returning a key per deployment of each report. Deployments pair by name,
// the console file as given. One left over on each side pairs when its
// targets are exactly the other's (as pairTargets paired them) and no other
// left-over deployment has them: a nightly scan of dated snapshot
// directories (evidence/2026-12-01/…/druva.yaml, evidence/2026-12-02/…)
// names its deployment anew every night, and without this every deployment
// finding would show as new each morning.
func pairDeployments(oldRep, newRep *audit.Report, oldKeys, newKeys []string) (oldDep, newDep []string) {
	oldDep = make([]string, len(oldRep.Deployments))
	newDep = make([]string, len(newRep.Deployments))
	byName := map[string]int{}
	for i, d := range oldRep.Deployments {
		oldDep[i] = deploymentKey + d.Name
		byName[d.Name] = i
	}
	paired := map[int]bool{}
	var leftNew []int
	for i, d := range newRep.Deployments {
		newDep[i] = deploymentKey + d.Name
		if j, ok := byName[d.Name]; ok && !paired[j] {
			paired[j] = true
			continue
		}
		leftNew = append(leftNew, i)
	}
	// members is a deployment's targets as pair keys, sorted and joined.
	members := func(d audit.DeploymentReport, ts []audit.TargetReport, keys []string) string {
		var out []string
		for _, name := range d.Targets {
			for i, t := range ts {
				if t.Name == name {
					out = append(out, keys[i])
				}
			}
		}
		slices.Sort(out)
		return strings.Join(out, "\x00")
	}
	oldBy := map[string][]int{}
	for j, d := range oldRep.Deployments {
		if !paired[j] {
			m := members(d, oldRep.Targets, oldKeys)
			oldBy[m] = append(oldBy[m], j)
		}
	}
	newBy := map[string]int{}
	for _, i := range leftNew {
		newBy[members(newRep.Deployments[i], newRep.Targets, newKeys)]++
	}
	for _, i := range leftNew {
		m := members(newRep.Deployments[i], newRep.Targets, newKeys)
		if m == "" || newBy[m] != 1 || len(oldBy[m]) != 1 {
			continue
		}
		oldDep[oldBy[m][0]] = newDep[i]
	}
	return oldDep, newDep
}

func bad(s audit.Status) bool { return s == audit.StatusFail || s == audit.StatusError }

// checked reports whether the tool decided a result (as opposed to skipping
// it or failing to evaluate it).
func checked(r audit.Result) bool {
	switch r.Status {
	case audit.StatusPass:
		return !r.Attested
	case audit.StatusWarn, audit.StatusFail:
		return true
	}
	return false
}

// classify names the change from o (nil when the rule or target is new) to
// n, or "" when nothing changed that a reader must see (pass → pass, warn
// → warn, a new target's passes and skips).
func classify(o *audit.Result, n audit.Result) string {
	switch n.Status {
	case audit.StatusFail:
		if o != nil && o.Status == audit.StatusFail {
			return StillFailing
		}
		return NewFail
	case audit.StatusError:
		switch {
		case o != nil && o.Status == audit.StatusError:
			return StillFailing
		case o != nil && checked(*o):
			return NoLongerChecked
		}
		return NewError
	case audit.StatusSkip:
		switch {
		case o == nil:
			return ""
		case checked(*o) || o.Status == audit.StatusPass:
			return NoLongerChecked
		case o.Status == audit.StatusError:
			return Resolved
		}
		return ""
	case audit.StatusWarn:
		switch {
		case o != nil && o.Status == audit.StatusWarn:
			return ""
		case o != nil && bad(o.Status):
			return Resolved
		}
		return NewWarn
	case audit.StatusPass:
		switch {
		case n.Attested && (o == nil || o.Status != audit.StatusPass || !o.Attested):
			return Attested
		case o == nil:
			return ""
		case bad(o.Status) || o.Status == audit.StatusWarn:
			return Resolved
		case o.Status == audit.StatusSkip:
			return NowChecked
		}
	}
	return ""
}

// gates reports whether a change of this kind can fail the diff's gate: a
// new fail or error, or a checked rule that now errors (the run could not
// verify what it verified before).
func gates(c Change) bool {
	switch c.Kind {
	case NewFail, NewError:
		return true
	case NoLongerChecked:
		return c.NewStatus == audit.StatusError
	}
	return false
}

// Compare finds what changed from old to new. The gate (exit 1) trips when
// new has an unsuppressed fail or error at or above failOn that old did not.
func Compare(oldRep, newRep *audit.Report, failOn audit.Severity) *Result {
	oldKeys, newKeys, names := pairTargets(oldRep, newRep)
	index := func(rep *audit.Report, keys, depKeys []string) (map[key]audit.Result, []key) {
		m := map[key]audit.Result{}
		var order []key
		for i, t := range rep.Targets {
			for _, r := range t.Results {
				k := key{keys[i], r.Rule}
				if _, dup := m[k]; !dup {
					order = append(order, k)
				}
				m[k] = r
			}
		}
		// Deployments pair by name (the console file as given), else as
		// pairDeployments decides.
		for i, d := range rep.Deployments {
			for _, r := range d.Results {
				k := key{depKeys[i], r.Rule}
				if _, dup := m[k]; !dup {
					order = append(order, k)
				}
				m[k] = r
			}
		}
		return m, order
	}
	oldDep, newDep := pairDeployments(oldRep, newRep, oldKeys, newKeys)
	olds, oldOrder := index(oldRep, oldKeys, oldDep)
	news, newOrder := index(newRep, newKeys, newDep)
	res := &Result{Schema: Schema, Summary: map[string]int{}, FailOn: failOn, Changes: []Change{}}
	if len(oldRep.Targets) > 0 && len(newRep.Targets) > 0 && !overlap(oldKeys, newKeys) {
		res.Warnings = append(res.Warnings, "the two reports have no target in common (by name, else by app ID): every finding shows as new or gone")
	}
	for _, kind := range Kinds {
		res.Summary[kind] = 0
	}
	add := func(kind string, k key, o, n *audit.Result) {
		c := Change{Kind: kind, Target: names[k.target], Rule: k.rule}
		if name, ok := strings.CutPrefix(k.target, deploymentKey); ok {
			c.Target, c.Deployment = name, true
		}
		if o != nil {
			c.OldStatus, c.Severity, c.Message, c.OldSuppressed = o.Status, o.Severity, o.Message, o.Suppressed
		}
		if n != nil {
			c.NewStatus, c.Severity, c.Message, c.Suppressed = n.Status, n.Severity, n.Message, n.Suppressed
		}
		res.Changes = append(res.Changes, c)
		res.Summary[kind]++
		if gates(c) && !c.Suppressed && c.Severity.AtLeast(failOn) {
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
		if kind := classify(op, n); kind != "" {
			add(kind, k, op, &n)
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
