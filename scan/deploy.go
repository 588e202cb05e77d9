package scan

// Deployments (PRODUCT.md section 10): the targets of a run judged against
// the same console settings form one, and deployment rules judge it once.
// Targets are judged as they stream in, so what a deployment needs of each
// is kept as it goes (kept): the facts of its app (audit.Member) and the
// target without its users, for the per-target rules that read the
// deployment and are judged once it is known.

import (
	"path/filepath"
	"slices"

	"github.com/ssoaudit/ssoaudit/audit"
)

// kept is what the scan keeps of one judged target for its deployment.
type kept struct {
	target *audit.Target // without Users: they were streamed and are gone
	member audit.Member  // Target is filled in from report, once named
	name   string        // the deployment's name when the target has a console
	// named is true when the user named the console (--druva, druva:),
	// false for a snapshot's own druva.yaml: a deployment takes its name
	// from a member that named it, where there is one.
	named  bool
	report *audit.TargetReport
}

func readsDeployment(r *audit.Rule) bool { return r.ReadsDeployment }

// teeUsers watches the target's users as the rules stream them, to learn
// whether anyone is assigned without reading them a second time. It
// returns what it learnt once the rules have run.
func teeUsers(t *audit.Target) func() (*bool, string) {
	if g, ok := t.Gap(audit.InputUsers); ok {
		return func() (*bool, string) { return nil, g.Reason }
	}
	if t.Users == nil {
		return func() (*bool, string) { return nil, "no assigned users were read" }
	}
	orig := t.Users
	var seen, done bool
	var failed error
	t.Users = func(yield func(audit.User, error) bool) {
		for u, err := range orig {
			if err != nil {
				failed = err
				yield(u, err)
				return
			}
			seen = true
			if !yield(u, nil) {
				return
			}
		}
		done = true
	}
	return func() (*bool, string) {
		switch {
		case seen:
			return ptr(true), ""
		case done:
			return ptr(false), ""
		case failed != nil:
			return nil, failed.Error()
		}
		return nil, "no rule of this run read the assigned users"
	}
}

func ptr[T any](v T) *T { return &v }

// keepTarget records what the deployment needs of a judged target.
func keepTarget(t *audit.Target, spec Spec, assigned func() (*bool, string)) *kept {
	m := audit.Member{}
	if t.App != nil {
		m.App = audit.AppRef{ID: t.App.ID, Label: t.App.Label}
	}
	if g, ok := t.Gap(audit.InputApp); ok || t.App == nil {
		m.AppGap = g.Reason
		if m.AppGap == "" {
			m.AppGap = "the app was not read"
		}
	} else if so := t.App.Settings.SignOn; so != nil && t.App.SignOnMode == "SAML_2_0" {
		m.RelayState = ptr(so.DefaultRelayState)
	}
	if t.Metadata != nil {
		for _, s := range t.Metadata.SSOServices {
			if s.Location != "" && !slices.Contains(m.SSOURLs, s.Location) {
				m.SSOURLs = append(m.SSOURLs, s.Location)
			}
		}
	}
	m.Assigned, m.AssignedGap = assigned()
	k := &kept{target: t.WithoutUsers(), member: m}
	if t.Console != nil {
		k.name = firstNonEmpty(spec.DruvaName, spec.Druva, t.Console.File)
		k.named = spec.Druva != ""
	}
	return k
}

// deployments groups the judged targets by console, judges the rules that
// read the deployment on each target, then the deployment rules on each
// deployment, in the order the consoles first appear.
func (req Request) deployments(all []*kept) []audit.DeploymentReport {
	var groups [][]*kept
	index := map[string]int{}
	for _, k := range all {
		k.member.Target = k.report.Name
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
	var overrides map[string]audit.Override
	if req.Config != nil {
		overrides = req.Config.Overrides()
	}
	late := slices.DeleteFunc(slices.Clone(req.Rules), func(r *audit.Rule) bool { return !r.ReadsDeployment })
	out := make([]audit.DeploymentReport, 0, len(groups))
	for _, g := range groups {
		first := g[0]
		d := &audit.Deployment{Name: first.report.Name, Console: first.target.Console, Platform: first.target.Platform, Now: req.Now}
		if first.target.Console != nil {
			d.Name = first.name
			if i := slices.IndexFunc(g, func(k *kept) bool { return k.named }); i >= 0 {
				d.Name = g[i].name
			}
		} else if gap, ok := first.target.Gap(audit.InputConsole); ok {
			if gap.Failed {
				d.Failed(audit.InputConsole, gap.Reason)
			} else {
				d.Missing(audit.InputConsole, gap.Reason)
			}
		}
		names := make([]string, len(g))
		for i, k := range g {
			names[i] = k.report.Name
			d.Members = append(d.Members, k.member)
		}
		// One buffer for every target's siblings: a view is read only
		// while its target's late rules run, and a slice per target held
		// n² members (200 MB for a deployment of 1,000 targets).
		siblings := make([]audit.Member, 0, len(g))
		for i, k := range g {
			siblings = siblings[:0]
			for j, o := range g {
				if j != i {
					siblings = append(siblings, o.member)
				}
			}
			k.target.Deployment = &audit.DeploymentView{Name: d.Name, Siblings: siblings}
			req.judgeLate(k, late, overrides)
			k.target.Deployment = nil
		}
		dr := audit.DeploymentReport{Name: d.Name, Platform: d.Platform, Targets: names}
		if c := d.Console; c != nil {
			dr.Console, dr.ConsoleSHA256 = filepath.ToSlash(c.File), c.SHA256
		}
		dr.Results = audit.RunDeployment(d, req.Rules, overrides)
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

// judgeLate judges the rules that read the deployment on one target and
// puts their results where the catalog order has them.
func (req Request) judgeLate(k *kept, late []*audit.Rule, overrides map[string]audit.Override) {
	if len(late) == 0 {
		return
	}
	res := audit.Run(k.target, late, overrides)
	audit.Require(res, req.Require)
	if req.Config != nil {
		req.Config.Apply(k.report.Name, res, req.Now)
	}
	pos := map[string]int{}
	for i, r := range req.Rules {
		pos[r.ID] = i
	}
	tr := k.report
	tr.Results = append(tr.Results, res...)
	slices.SortStableFunc(tr.Results, func(a, b audit.Result) int { return pos[a.Rule] - pos[b.Rule] })
	tr.Summary = audit.Summary{}
	for _, r := range tr.Results {
		tr.Summary.Add(r.Status)
	}
}
