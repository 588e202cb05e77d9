package scan

// Deployments (docs/deployments.md): the targets of a run judged against
// the same console form one, and deployment rules judge it once. Targets
// are judged as they stream in (audit.Plan.Judge computes every per-target
// fact a rule of the run needs, then drops the streamed users); each is
// kept, without its users, until its deployment is known, and then the plan
// judges what waited for it: the per-target rules that read a deployment
// fact, in their place among the target's results, and the deployment
// rules.

import (
	"path/filepath"
	"slices"

	"github.com/ssoaudit/ssoaudit/audit"
)

// kept is a judged target waiting for its deployment.
type kept struct {
	target *audit.Target // without Users: they were streamed and are gone
	name   string        // the deployment's name when the target has a console
	// named is true when the user named the console (--druva, druva:),
	// false for a snapshot's own druva.yaml: a deployment takes its name
	// from a member that named it, where there is one.
	named  bool
	report *audit.TargetReport
}

// keep records a judged target for its deployment.
func keep(t *audit.Target, spec Spec) *kept {
	k := &kept{target: t}
	if t.Console != nil {
		k.name = firstNonEmpty(spec.DruvaName, spec.Druva, t.Console.File)
		k.named = spec.Druva != ""
	}
	return k
}

// deployments groups the judged targets by console, then judges what
// waited for each deployment, in the order the consoles first appear.
func (req Request) deployments(plan *audit.Plan, all []*kept) []audit.DeploymentReport {
	var groups [][]*kept
	index := map[string]int{}
	for _, k := range all {
		// Deployment facts name each app after its target.
		k.target.Name = k.report.Name
		key := "target:" + k.report.Name
		if c := k.target.Console; c != nil {
			// The same settings: the same bytes, wherever the file is.
			key = "console:" + c.SHA256
		}
		if i, ok := index[key]; ok {
			groups[i] = append(groups[i], k)
			continue
		}
		index[key] = len(groups)
		groups = append(groups, []*kept{k})
	}
	out := make([]audit.DeploymentReport, 0, len(groups))
	for _, g := range groups {
		first := g[0]
		name := first.report.Name
		if first.target.Console != nil {
			name = first.name
			if i := slices.IndexFunc(g, func(k *kept) bool { return k.named }); i >= 0 {
				name = g[i].name
			}
		}
		targets := make([]*audit.Target, len(g))
		results := make([][]audit.Result, len(g))
		names := make([]string, len(g))
		for i, k := range g {
			targets[i], results[i], names[i] = k.target, k.report.Results, k.report.Name
		}
		d := audit.NewDeployment(name, first.target.Console, first.target.Platform, req.Now, targets)
		if first.target.Console == nil {
			if gap, ok := first.target.Gap(audit.InputConsole); ok {
				if gap.Failed {
					d.Failed(audit.InputConsole, gap.Reason)
				} else {
					d.Missing(audit.InputConsole, gap.Reason)
				}
			}
		}
		dr := audit.DeploymentReport{Name: d.Name, Platform: d.Platform, Targets: names}
		if c := d.Console; c != nil {
			dr.Console, dr.ConsoleSHA256 = filepath.ToSlash(c.File), c.SHA256
		}
		dr.Results = plan.JudgeDeployment(d, results)
		audit.Require(dr.Results, req.Require)
		if req.Config != nil {
			// A suppression applies when its target: names the deployment
			// or any of its targets.
			req.Config.ApplyAny(append([]string{d.Name}, names...), dr.Results, req.Now)
		}
		for _, r := range dr.Results {
			dr.Summary.Add(r.Status)
		}
		out = append(out, dr)
	}
	return out
}
