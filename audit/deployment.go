package audit

import (
	"fmt"
	"iter"
	"runtime/debug"
	"time"
)

// A deployment (docs/deployments.md) is one Druva console and the Okta apps
// of a run that sign into it. Deployment rules judge it once, over the
// facts (fact.go) its targets' runs left: each rule lists the per-target
// facts it reads, the runner computes them while each target's inputs are
// there, and the rule reads them of every target of the deployment.

// Deployment is what a deployment rule reads.
type Deployment struct {
	// Name is the deployment's name: the config's deployment:, else the
	// console file as given; a target judged without a console is a
	// deployment of one named after the target.
	Name     string
	Console  *Console
	Platform string
	Now      time.Time
	// Targets are the deployment's targets, in the run's order. Their
	// streamed inputs (Users) are gone by the time the deployment is
	// judged: read what a deployment needs of them through facts.
	Targets []*Target

	gaps  map[Input]Gap
	facts factMemo
}

// NewDeployment makes the deployment of targets and tells each target it
// belongs to it, so that its rules can read the deployment's facts.
func NewDeployment(name string, c *Console, platform string, now time.Time, targets []*Target) *Deployment {
	d := &Deployment{Name: name, Console: c, Platform: platform, Now: now, Targets: targets}
	for _, t := range targets {
		t.deployment = d
	}
	return d
}

// Missing marks a deployment input as absent; rules that need it skip.
func (d *Deployment) Missing(in Input, reason string) { d.setGap(in, Gap{Reason: reason}) }

// Failed marks a deployment input as unreadable; rules that need it error.
func (d *Deployment) Failed(in Input, reason string) { d.setGap(in, Gap{Failed: true, Reason: reason}) }

func (d *Deployment) setGap(in Input, g Gap) {
	if d.gaps == nil {
		d.gaps = map[Input]Gap{}
	}
	d.gaps[in] = g
}

// Gap reports whether a deployment input is unavailable, and why.
func (d *Deployment) Gap(in Input) (Gap, bool) {
	g, ok := d.gaps[in]
	return g, ok
}

// gapper is what the runner asks about unavailable inputs: a target or a
// deployment.
type gapper interface {
	Gap(Input) (Gap, bool)
}

// EvaluateDeployment applies one deployment rule, as Evaluate does a rule
// to a target: unavailable inputs become skip or error, a panic an error.
func EvaluateDeployment(r *Rule, d *Deployment) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = r.complete(Error(fmt.Sprintf("internal error in rule %s: %v (please report this with the input that caused it)", r.ID, p), Evidence{}.Add("stack", string(debug.Stack()))))
		}
	}()
	d.facts.push(r)
	defer d.facts.pop()
	if res, ok := r.gapResult(d, ""); ok {
		return r.complete(res)
	}
	return r.complete(r.CheckDeployment(d))
}

// DeploymentReport is one deployment's results.
type DeploymentReport struct {
	Name string `json:"name"`
	// Console is the druva.yaml the deployment's targets were judged
	// against ("" when they had none), ConsoleSHA256 its bytes' hash.
	Console       string `json:"console"`
	ConsoleSHA256 string `json:"console_sha256,omitempty"`
	Platform      string `json:"platform,omitempty"`
	// PlatformSource says where Platform came from (audit.PlatformFrom…).
	PlatformSource string   `json:"platform_source,omitempty"`
	Targets        []string `json:"targets"`
	Results        []Result `json:"results"`
	Summary        Summary  `json:"summary"`
}

// Results yields every result of the report: each target's, then each
// deployment's. Summaries and the gate count them all.
func (r *Report) Results() iter.Seq[Result] {
	return func(yield func(Result) bool) {
		for t := range r.EachTarget() {
			for _, res := range t.Results {
				if !yield(res) {
					return
				}
			}
		}
		for d := range r.EachDeployment() {
			for _, res := range d.Results {
				if !yield(res) {
					return
				}
			}
		}
	}
}

// ExitCodeOf decides the gate over any results: 3 when any rule could not
// be evaluated (never suppressible: unread data must not pass), else 1 when a
// result trips the gate, else 0.
func (g Gate) ExitCodeOf(results iter.Seq[Result]) int {
	code := ExitOK
	for r := range results {
		if code = g.Next(code, r); code == ExitIncomplete {
			return code
		}
	}
	return code
}

// Next is the exit code once r is added to results whose code is code: a
// run that counts its results as they pass (a streamed report) decides
// the gate as ExitCodeOf does.
func (g Gate) Next(code int, r Result) int {
	switch {
	case code == ExitIncomplete || r.Status == StatusError:
		return ExitIncomplete
	case g.Trips(r):
		return ExitGateFailed
	}
	return code
}
