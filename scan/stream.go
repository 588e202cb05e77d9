package scan

// How a run holds what it judged until the reports are written: the targets
// of a deployment are kept in memory until it can be judged (deploy.go); a
// target that is a deployment of its own (no console file, no
// deployment:) is judged whole as it comes and its reports go to a spill
// (spill.go), so that a Terraform plan of thousands of apps holds a few
// targets at a time, not all of them.

import (
	"errors"
	"iter"
	"strings"
	"sync/atomic"

	"github.com/ssoaudit/ssoaudit/audit"
)

// spillBudget is how many more values the spills that share it may hold
// in memory.
type spillBudget struct{ left atomic.Int64 }

func newBudget(n int) *spillBudget {
	b := &spillBudget{}
	b.left.Store(int64(n))
	return b
}

// take reports whether one more value may be held in memory.
func (b *spillBudget) take() bool { return b == nil || b.left.Add(-1) >= 0 }

// specOut is what one spec yielded: the reports of targets kept for their
// deployment (reports[i] is kept[i]'s), or, for a spec whose targets are
// each a deployment of its own, every target judged whole (alone); and
// the name each target gets, in order.
type specOut struct {
	reports []audit.TargetReport
	kept    []*kept
	alone   *spill[judged]
	names   []nameRef
	err     error
}

// judged is a target judged whole as a deployment of its own, before it
// is named and suppressions apply (assemble).
type judged struct {
	Target     audit.TargetReport
	Deployment audit.DeploymentReport
}

// nameRef is what naming a target needs (nameTargets).
type nameRef struct {
	name, label, id string
	source          audit.Source
}

func (o *specOut) len() int { return len(o.names) }

func (o *specOut) close() {
	if o.alone != nil {
		o.alone.close()
	}
}

// add judges one target of spec index: whole when it is a deployment of
// its own and nothing judged for its deployment can read its name (alone),
// else kept for its deployment. fix, when set, adjusts its reports first.
func (o *specOut) add(req Request, index int, t *audit.Target, spec Spec, fix func(*audit.TargetReport)) {
	tr := req.judge(t)
	tr.ConfigLine = spec.Line
	ref := nameRef{name: t.Name, source: t.Source}
	if t.App != nil {
		ref.label, ref.id = t.App.Label, t.App.ID
	}
	o.names = append(o.names, ref)
	if fix != nil {
		fix(&tr)
	}
	if !req.alone(index) {
		o.reports = append(o.reports, tr)
		o.kept = append(o.kept, &kept{target: t, spec: index})
		return
	}
	d := audit.NewDeployment(t.Name, nil, t.Platform, req.Now, []*audit.Target{t})
	if gap, ok := t.Gap(audit.InputConsole); ok {
		if gap.Failed {
			d.Failed(audit.InputConsole, gap.Reason)
		} else {
			d.Missing(audit.InputConsole, gap.Reason)
		}
	}
	dr := audit.DeploymentReport{Platform: d.Platform, PlatformSource: t.PlatformSource}
	dr.Results = req.plan.JudgeDeployment(d, [][]audit.Result{tr.Results})
	oneCauseOn(tr.Results, dr.Results)
	if o.alone == nil {
		o.alone = newSpill[judged](req.budget)
	}
	o.alone.add(judged{Target: tr, Deployment: dr})
}

// alone reports whether the targets of spec index are judged whole as they
// come: each is a deployment of its own (the spec names no console file
// and no deployment:), and every rule judged for a deployment reads the
// console, which such a target lacks, so no result can depend on the
// target's name, which is only known once the spec's targets are all read.
func (req Request) alone(index int) bool {
	if req.groups.of[index] >= 0 {
		return false
	}
	for _, r := range req.plan.WaitingRules() {
		needsConsole := false
		for _, in := range r.Needs {
			needsConsole = needsConsole || in == audit.InputConsole
		}
		if !needsConsole {
			return false
		}
	}
	return true
}

// nameAll names the spec's targets (nameTargets) and the kept reports.
func (o *specOut) nameAll(spec Spec) {
	if len(o.names) > 0 {
		ts := make([]*audit.Target, len(o.names))
		for i, n := range o.names {
			ts[i] = &audit.Target{Name: n.name, Source: n.source}
			if n.id != "" || n.label != "" {
				ts[i].App = &audit.App{ID: n.id, Label: n.label}
			}
		}
		nameTargets(spec, ts)
		for i := range ts {
			o.names[i].name = ts[i].Name
		}
	}
	o.applyNames()
}

func (o *specOut) applyNames() {
	for i := range o.reports {
		o.reports[i].Name = o.names[i].name
	}
}

// oneCauseOn is oneCauseAfterAll for a target judged alone: the errors
// judged with its deployment, and the deployment's, get the cause of the
// target's (its source could not be read, or its org reached).
func oneCauseOn(target, deployment []audit.Result) {
	for _, c := range target {
		if c.Status != audit.StatusError || !(strings.HasPrefix(c.Message, unreadableMessage) || c.Cause != "") {
			continue
		}
		for _, results := range [][]audit.Result{target, deployment} {
			for i := range results {
				if r := &results[i]; r.Status == audit.StatusError {
					r.Message, r.Remediation, r.Evidence, r.Cause = c.Message, c.Remediation, c.Evidence, c.Cause
					r.File, r.Line = c.File, c.Line
				}
			}
		}
		return
	}
}

// runOut is the run's targets and deployments in the report's order,
// named and suppressed, with what the run decides from them.
type runOut struct {
	targets         *spill[audit.TargetReport]
	deployments     *spill[audit.DeploymentReport]
	names           []string // the targets'
	deploymentNames []string
	summary         audit.Summary
	exit            int
	err             error
}

// assemble puts the run's reports in order: each spec's targets, each
// deployment where its first target is. The targets judged alone are
// named and their suppressions applied here, once; the summary and the
// exit code are counted as they pass.
func (req Request) assemble(slots []specOut, deps []audit.DeploymentReport, firstSpec []int) (*runOut, error) {
	out := &runOut{
		targets:     newSpill[audit.TargetReport](newBudget(spillKeep)),
		deployments: newSpill[audit.DeploymentReport](newBudget(spillKeep)),
	}
	gate := audit.Gate{FailOn: req.FailOn, FailOnWarn: req.FailOnWarn}
	count := func(results []audit.Result) {
		for _, r := range results {
			out.summary.AddResult(r)
			out.exit = gate.Next(out.exit, r)
		}
	}
	// The targets kept for a deployment were held whole until now, and
	// stay so; those judged alone may go to the spill.
	addTarget := func(tr audit.TargetReport, held bool) {
		out.names = append(out.names, tr.Name)
		count(tr.Results)
		if held {
			out.targets.addMem(tr)
		} else {
			out.targets.add(tr)
		}
	}
	addDeployment := func(d audit.DeploymentReport, held bool) {
		out.deploymentNames = append(out.deploymentNames, d.Name)
		count(d.Results)
		if held {
			out.deployments.addMem(d)
		} else {
			out.deployments.add(d)
		}
	}
	di := 0
	for i := range slots {
		s := &slots[i]
		for _, tr := range s.reports {
			addTarget(tr, true)
		}
		for ; di < len(deps) && firstSpec[di] == i; di++ {
			addDeployment(deps[di], true)
		}
		if s.alone == nil {
			continue
		}
		var err error
		k := 0
		for j := range s.alone.all(&err) {
			name := s.names[k].name
			k++
			tr, dr := j.Target, j.Deployment
			tr.Name = name
			req.suppress(&tr)
			addTarget(tr, false)
			dr.Name, dr.Targets = name, []string{name}
			req.finishDeployment(&dr)
			addDeployment(dr, false)
		}
		if err == nil && k != s.alone.len() {
			err = errors.New("reading back the spilled reports: records missing")
		}
		if err != nil {
			out.close()
			return nil, err
		}
		s.close()
	}
	for ; di < len(deps); di++ {
		addDeployment(deps[di], true)
	}
	return out, nil
}

func (o *runOut) Targets() iter.Seq[audit.TargetReport] { return o.targets.all(&o.err) }
func (o *runOut) Deployments() iter.Seq[audit.DeploymentReport] {
	return o.deployments.all(&o.err)
}
func (o *runOut) NumTargets() int     { return o.targets.len() }
func (o *runOut) NumDeployments() int { return o.deployments.len() }
func (o *runOut) Err() error          { return o.err }
func (o *runOut) Close() error {
	return errors.Join(o.targets.close(), o.deployments.close())
}
func (o *runOut) close() { o.Close() }
