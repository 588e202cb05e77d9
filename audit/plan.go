package audit

import (
	"fmt"
	"strings"
)

// Plan is the runner's view of one run's rules: which are enabled, which
// per-target facts to compute while each target's inputs are there, and
// which per-target rules wait for the target's deployment because they read
// a deployment fact. The scan drives it: Judge as each target is read,
// JudgeDeployment once a deployment's targets are all judged.
type Plan struct {
	overrides map[string]Override
	// targetRules are the enabled per-target rules in catalog order: the
	// order of every target's results.
	targetRules []*Rule
	// late[i] is true when targetRules[i] reads a deployment fact.
	late            []bool
	deploymentRules []*Rule
	// targetFacts are the per-target facts some enabled rule needs,
	// directly or through another fact, dependencies first.
	targetFacts []interface{ computeOn(*Target) }
}

// NewPlan plans a run of the enabled rules (those overrides do not
// disable), in the order given. It panics when the rules' facts are
// declared wrongly (a cycle, a per-target fact computed from a deployment
// fact): a mistake in the catalog, which CheckFacts reports to its tests.
func NewPlan(rules []*Rule, overrides map[string]Override) *Plan {
	if err := CheckFacts(rules); err != nil {
		panic(err)
	}
	p := &Plan{overrides: overrides}
	seen := map[FactType]bool{}
	var visit func(f FactType)
	visit = func(f FactType) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, d := range f.requires() {
			visit(d)
		}
		if tf, ok := f.(interface{ computeOn(*Target) }); ok {
			p.targetFacts = append(p.targetFacts, tf)
		}
	}
	for _, r := range rules {
		if overrides[r.ID].Disabled {
			continue
		}
		for _, f := range r.Requires {
			visit(f)
		}
		if r.OnDeployment() {
			p.deploymentRules = append(p.deploymentRules, r)
			continue
		}
		p.targetRules = append(p.targetRules, r)
		p.late = append(p.late, readsScope(r.Requires, PerDeployment))
	}
	return p
}

// computeOn computes the fact for the runner: a Compute that panics is kept
// as such, for the rules that read it to end in error.
func (f *TargetFact[T]) computeOn(t *Target) {
	t.facts.ensure(f, func() any { return f.Compute(t) })
}

// readsScope reports whether any of fs, or any fact they are computed
// from, has the scope.
func readsScope(fs []FactType, s Scope) bool {
	for _, f := range fs {
		if f.FactScope() == s || readsScope(f.requires(), s) {
			return true
		}
	}
	return false
}

// CheckFacts reports what is wrong in the rules' fact declarations: a fact
// that requires itself, or a per-target or org fact computed from a
// deployment fact (a target's facts are computed before its deployment is
// known).
func CheckFacts(rules []*Rule) error {
	var errs []string
	state := map[FactType]int{} // 1 visiting, 2 done
	var visit func(f FactType, path []string)
	visit = func(f FactType, path []string) {
		path = append(path, f.FactName())
		switch state[f] {
		case 1:
			errs = append(errs, "facts form a cycle: "+strings.Join(path, " → "))
			return
		case 2:
			return
		}
		state[f] = 1
		for _, d := range f.requires() {
			if f.FactScope() != PerDeployment && d.FactScope() == PerDeployment {
				errs = append(errs, fmt.Sprintf("%s fact %q requires deployment fact %q", f.FactScope(), f.FactName(), d.FactName()))
			}
			visit(d, path)
		}
		state[f] = 2
	}
	for _, r := range rules {
		for _, f := range r.Requires {
			if f == nil {
				errs = append(errs, "rule "+r.ID+" requires a nil fact")
				continue
			}
			visit(f, []string{r.ID})
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("audit: %s", strings.Join(errs, "; "))
	}
	return nil
}

// TargetRules are the enabled per-target rules, in the order of every
// target's results.
func (p *Plan) TargetRules() []*Rule { return p.targetRules }

// DeploymentRules are the enabled deployment rules.
func (p *Plan) DeploymentRules() []*Rule { return p.deploymentRules }

// WaitingRules are the rules judged once a target's deployment is known
// (JudgeDeployment): the per-target rules that read a deployment fact, then
// the deployment rules.
func (p *Plan) WaitingRules() []*Rule {
	var out []*Rule
	for i, r := range p.targetRules {
		if p.late[i] {
			out = append(out, r)
		}
	}
	return append(out, p.deploymentRules...)
}

// Waits reports whether anything waits for a target's deployment: a rule
// that reads a deployment fact, or a deployment rule. When nothing does,
// a judged target need not be kept.
func (p *Plan) Waits() bool {
	if len(p.deploymentRules) > 0 {
		return true
	}
	for _, l := range p.late {
		if l {
			return true
		}
	}
	return false
}

// Judge computes the target's facts and judges every enabled per-target
// rule that needs no deployment fact. The results are in TargetRules order;
// a rule that waits for the deployment has a zero Result (Rule "") in its
// place, which JudgeDeployment fills. Once Judge returns, the target's
// streamed inputs have been read: it drops them (Users), so that a target
// kept for its deployment holds no stream.
func (p *Plan) Judge(t *Target) []Result {
	for _, f := range p.targetFacts {
		f.computeOn(t)
	}
	out := make([]Result, len(p.targetRules))
	for i, r := range p.targetRules {
		if !p.late[i] {
			out[i] = p.evaluate(r, t)
		}
	}
	t.Users = nil
	return out
}

// JudgeDeployment judges what waited for the deployment: on each of its
// targets the rules that read a deployment fact, filling results[i] (the
// results Judge returned for d.Targets[i]) in place, then the deployment
// rules, whose results it returns.
func (p *Plan) JudgeDeployment(d *Deployment, results [][]Result) []Result {
	for i, t := range d.Targets {
		for j, r := range p.targetRules {
			if p.late[j] {
				results[i][j] = p.evaluate(r, t)
			}
		}
	}
	out := make([]Result, 0, len(p.deploymentRules))
	for _, r := range p.deploymentRules {
		out = append(out, p.override(EvaluateDeployment(r, d)))
	}
	return out
}

func (p *Plan) evaluate(r *Rule, t *Target) Result { return p.override(Evaluate(r, t)) }

// override applies the config's severity for the rule.
func (p *Plan) override(res Result) Result {
	if o := p.overrides[res.Rule]; o.Severity != "" && o.Severity != res.Severity {
		res.DefaultSeverity, res.Severity = res.Severity, o.Severity
	}
	return res
}

// Run judges one target alone, as a deployment of one, with every enabled
// per-target rule: for a caller with one target and no deployment rules
// (a rule's tests, a report's fixture).
func Run(t *Target, rules []*Rule, overrides map[string]Override) []Result {
	p := NewPlan(rules, overrides)
	res := p.Judge(t)
	if t.deployment == nil {
		NewDeployment(t.Name, t.Console, t.Platform, t.Now, []*Target{t})
	}
	for j, r := range p.targetRules {
		if p.late[j] {
			res[j] = p.evaluate(r, t)
		}
	}
	return res
}
