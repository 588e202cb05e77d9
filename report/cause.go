package report

// One cause, several targets: the error results that share a Cause (an
// Okta org that could not be reached) are shown once in people's formats —
// one findings line, one fix naming every target and rule it blocked —
// while JSON, SARIF, JUnit and CSV keep each rule of each target.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// causeGroup is one cause shared by several targets (and the deployments
// made of them).
type causeGroup struct {
	key string
	// results has one error result per rule it blocked, most severe
	// first; members names each target (with its config entry's line)
	// and deployment it blocked, in report order.
	results []audit.Result
	names   []string // targets' names, for a findings line
	members []string
	first   string // the first target's name: the group is shown there
}

// causes are a report's shared causes, by Cause.
type causes map[string]*causeGroup

// sharedCauses groups the errors of the report whose Cause two targets or
// more share; a cause of one target is shown as any other error.
func sharedCauses(rep *audit.Report) causes {
	targets := map[string][]audit.TargetReport{}
	var order []string
	for t := range rep.EachTarget() {
		for _, r := range t.Results {
			if r.Status == audit.StatusError && r.Cause != "" {
				if _, ok := targets[r.Cause]; !ok {
					order = append(order, r.Cause)
				}
				targets[r.Cause] = append(targets[r.Cause], t)
				break
			}
		}
	}
	out := causes{}
	for _, key := range order {
		ts := targets[key]
		if len(ts) < 2 {
			continue
		}
		g := &causeGroup{key: key, first: ts[0].Name}
		seen := map[string]bool{}
		var all []audit.Result
		for _, t := range ts {
			g.names = append(g.names, t.Name)
			// Each at its config entry's line, as every format locates
			// its results (Result.File, else the entry).
			m := t.Name
			for _, r := range t.Results {
				if r.Cause == key && r.File != "" {
					m += fmt.Sprintf(" (%s:%d)", r.File, max(r.Line, 1))
					break
				}
			}
			if m == t.Name && rep.Config != "" && t.ConfigLine > 0 {
				m += fmt.Sprintf(" (%s:%d)", rep.Config, t.ConfigLine)
			}
			g.members = append(g.members, m)
			all = append(all, t.Results...)
		}
		for d := range rep.EachDeployment() {
			for _, r := range d.Results {
				if r.Status == audit.StatusError && r.Cause == key {
					g.members = append(g.members, "deployment "+d.Name)
					all = append(all, d.Results...)
					break
				}
			}
		}
		for _, r := range sortedResults(all) {
			if r.Status == audit.StatusError && r.Cause == key && !seen[r.Rule] {
				seen[r.Rule] = true
				// Located per target, in members: the block names no
				// one file:line of its own.
				r.File, r.Line = "", 0
				g.results = append(g.results, r)
			}
		}
		out[key] = g
	}
	return out
}

// shared reports whether r is shown in its cause's group.
func (c causes) shared(r audit.Result) bool {
	return r.Status == audit.StatusError && r.Cause != "" && c[r.Cause] != nil
}

// without is results less those shown in a shared cause's group.
func (c causes) without(results []audit.Result) []audit.Result {
	if len(c) == 0 {
		return results
	}
	out := make([]audit.Result, 0, len(results))
	for _, r := range results {
		if !c.shared(r) {
			out = append(out, r)
		}
	}
	return out
}

// startingAt is the group shown before the target of that name: the
// groups whose first target it is.
func (c causes) startingAt(name string) []*causeGroup {
	var out []*causeGroup
	for _, g := range c {
		if g.first == name {
			out = append(out, g)
		}
	}
	return out
}

// of is the group a target's errors belong to, if any.
func (c causes) of(t audit.TargetReport) *causeGroup {
	for _, r := range t.Results {
		if c.shared(r) {
			return c[r.Cause]
		}
	}
	return nil
}

// heading is the group's section title.
func (g *causeGroup) heading() string {
	return fmt.Sprintf("One cause blocked %s: %s", plural(len(g.names), "target", "targets"), strings.Join(g.names, ", "))
}

// asTarget is the group in a target's clothes, for the renderers of a
// target's results.
func (g *causeGroup) asTarget() audit.TargetReport {
	return audit.TargetReport{Name: strings.Join(g.names, ", "), Results: g.results}
}

// membersText lists every target (with its config line) and deployment
// the cause blocked.
func (g *causeGroup) membersText() string { return strings.Join(g.members, ", ") }

// blockedText stands, in a target's or deployment's section, for the
// errors shown with the cause it shares with other targets.
const blockedText = "Its other errors are one cause with other targets, shown above."

// shownErrors are the errors each target's section showed, by target, so
// that a deployment's error repeating one of its targets' — the deployment
// of a target that could not be read fails for the same reason — is not
// shown a second time: the deployment's section says where it is.
type shownErrors map[string]map[string]bool

// errorKey is what makes two errors the same for a reader: what they say,
// the fix, and their suppression.
func errorKey(r audit.Result) string {
	return strings.Join([]string{r.Message, r.Remediation, suppressionText(r), fmt.Sprint(r.Suppressed)}, "\x00")
}

// add records the errors of t among results, the ones its section shows.
func (s shownErrors) add(name string, results []audit.Result) {
	for _, r := range results {
		if r.Status != audit.StatusError {
			continue
		}
		if s[name] == nil {
			s[name] = map[string]bool{}
		}
		s[name][errorKey(r)] = true
	}
}

// unshown is d's results less the errors one of its targets' sections
// showed, and the names of those targets.
func (s shownErrors) unshown(d audit.DeploymentReport) ([]audit.Result, []string) {
	if len(s) == 0 {
		return d.Results, nil
	}
	var out []audit.Result
	var of []string
	for _, r := range d.Results {
		shown := ""
		if r.Status == audit.StatusError {
			for _, name := range d.Targets {
				if s[name][errorKey(r)] {
					shown = name
					break
				}
			}
		}
		if shown == "" {
			out = append(out, r)
		} else if !slices.Contains(of, shown) {
			of = append(of, shown)
		}
	}
	return out, of
}

// shownText stands, in a deployment's section, for the errors shown in its
// targets' sections; all says they are every result the section has.
func shownText(of []string, all bool) string {
	who := "target "
	if len(of) > 1 {
		who = "targets "
	}
	who += strings.Join(of, ", ")
	if all {
		return "Its rules are blocked by the error of " + who + ", shown above."
	}
	return "Its other errors are those of " + who + ", shown above."
}
