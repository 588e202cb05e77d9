package audit

import (
	"fmt"
	"iter"
	"runtime/debug"
	"time"
)

// A deployment (PRODUCT.md section 10) is one Druva console and the Okta
// apps of a run that sign into it: the targets judged against the same
// druva.yaml content. Deployment rules judge it once, the way go/analysis
// passes facts between packages: each target's run leaves a Member — what
// it learnt of its app — and the deployment rule reads those, never the
// targets themselves (whose users have been streamed away by then).

// Deployment is what a deployment rule reads.
type Deployment struct {
	// Name is the console file as given (a config target's druva:, --druva,
	// or a snapshot's own druva.yaml); a target judged without a console is
	// a deployment of one named after the target.
	Name     string
	Console  *Console
	Platform string
	Now      time.Time
	Members  []Member

	gaps map[Input]Gap
}

// Member is what one target's run learnt of its app, for deployment rules.
type Member struct {
	Target string
	App    AppRef
	// AppGap, when set, is why the app could not be read: it might be the
	// app a deployment rule looks for.
	AppGap string
	// RelayState is the app's Default RelayState; nil when the app has no
	// SAML settings to read it from.
	RelayState *string
	// SSOURLs are the app's IdP sign-on URLs (the metadata's
	// SingleSignOnService locations).
	SSOURLs []string
	// Assigned says whether anyone is assigned to the app: nil when the
	// run did not learn it, and AssignedGap then says why.
	Assigned    *bool
	AssignedGap string
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

// DeploymentView is what a per-target rule may know of the target's
// deployment: the other apps signing into the same console. The scan sets
// it before judging, so rules stay pure functions of one target.
type DeploymentView struct {
	Name     string
	Siblings []Member
}

// EvaluateDeployment applies one deployment rule, as Evaluate does a rule
// to a target: unavailable inputs become skip or error, a panic an error.
func EvaluateDeployment(r *Rule, d *Deployment) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = r.complete(Error(fmt.Sprintf("internal error in rule %s: %v (please report this with the input that caused it)", r.ID, p), Evidence{}.Add("stack", string(debug.Stack()))))
		}
	}()
	if res, ok := r.gapResult(d, ""); ok {
		return r.complete(res)
	}
	return r.complete(r.CheckDeployment(d))
}

// RunDeployment applies every enabled deployment rule to the deployment,
// with overrides applied: each yields exactly one result.
func RunDeployment(d *Deployment, rules []*Rule, overrides map[string]Override) []Result {
	var out []Result
	for _, r := range rules {
		o := overrides[r.ID]
		if o.Disabled || !r.OnDeployment() {
			continue
		}
		res := EvaluateDeployment(r, d)
		if o.Severity != "" && o.Severity != res.Severity {
			res.DefaultSeverity, res.Severity = res.Severity, o.Severity
		}
		out = append(out, res)
	}
	if out == nil {
		out = []Result{}
	}
	return out
}

// DeploymentReport is one deployment's results.
type DeploymentReport struct {
	Name string `json:"name"`
	// Console is the druva.yaml the deployment's targets were judged
	// against ("" when they had none), ConsoleSHA256 its bytes' hash.
	Console       string   `json:"console"`
	ConsoleSHA256 string   `json:"console_sha256,omitempty"`
	Platform      string   `json:"platform,omitempty"`
	Targets       []string `json:"targets"`
	Results       []Result `json:"results"`
	Summary       Summary  `json:"summary"`
}

// Results yields every result of the report: each target's, then each
// deployment's. Summaries and the gate count them all.
func (r *Report) Results() iter.Seq[Result] {
	return func(yield func(Result) bool) {
		for _, t := range r.Targets {
			for _, res := range t.Results {
				if !yield(res) {
					return
				}
			}
		}
		for _, d := range r.Deployments {
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
		switch {
		case r.Status == StatusError:
			return ExitIncomplete
		case g.Trips(r):
			code = ExitGateFailed
		}
	}
	return code
}

// WithoutUsers is a copy of the target without its users (a stream already
// consumed) and without what rules memoised from them, kept by the scan to
// judge the rules that read the deployment once it is known.
func (t *Target) WithoutUsers() *Target {
	return &Target{Name: t.Name, Source: t.Source, Platform: t.Platform, Origin: t.Origin, Expect: t.Expect, Now: t.Now,
		App: t.App, Keys: t.Keys, Metadata: t.Metadata, Console: t.Console, PolicyRules: t.PolicyRules,
		Deployment: t.Deployment, gaps: t.gaps}
}
