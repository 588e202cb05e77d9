package scan

// A deployment's platform (docs/platforms.md, A deployment's platform): the
// apps of one Druva console share its platform. When nothing states one,
// each target was first judged on what its own app infers (platformOf);
// once the deployment's apps are all known, they share the one platform
// every app that infers one infers, or — when they infer different
// platforms — are judged against the default, each failing platform rule
// naming the conflicting apps. A stated platform is never overridden.
//
// An MSC app (Druva's Managed Services Center) is a console of its own: it
// never joins a deployment of other platforms' apps. And the apps
// --discover finds with --druva FILE are the tool's guess at that console's
// apps: one set up for another platform family than the console's is left
// out of it too. An app left out is judged without that console, as a
// deployment of its own, and -v says so (Request.Verbose).

import (
	"fmt"
	"slices"

	"github.com/ssoaudit/ssoaudit/audit"
)

// sharePlatform decides a deployment's platform from its targets (in the
// run's order, already judged), re-judging those whose platform changes.
// It returns the targets that stay in the deployment, those left out (each
// now a deployment of its own, judged without the console), and the
// deployment's platform and where it came from.
func (req Request) sharePlatform(name string, g []*kept) (in, out []*kept, platform, source string) {
	stated := -1
	for i, k := range g {
		if audit.PlatformStated(k.target.PlatformSource) {
			stated = i
			break
		}
	}
	family := ""
	if stated >= 0 {
		family = audit.FamilyOf(g[stated].target.Platform)
	} else {
		for _, k := range g {
			if f := audit.FamilyOf(k.target.Inference.Platform()); f != "" && (family == "" || family == "msc") {
				family = f
			}
		}
	}
	for _, k := range g {
		if req.leftOut(k, family, stated >= 0) {
			out = append(out, k)
		} else {
			in = append(in, k)
		}
	}
	for _, k := range out {
		req.leaveOut(k, name, family, stated >= 0)
	}
	if len(in) == 0 {
		// Cannot happen (the family is some member's), but a deployment
		// needs a target.
		in, out = g, nil
	}
	if stated >= 0 {
		return in, out, g[stated].target.Platform, g[stated].target.PlatformSource
	}
	if len(in) == 1 {
		return in, out, in[0].target.Platform, in[0].target.PlatformSource
	}

	// Nothing states the platform: what the apps infer.
	var inferred []string // distinct, in the run's order
	var apps []string     // "target (platform)" for each app that infers one
	for _, k := range in {
		if p := k.target.Inference.Platform(); p != "" {
			apps = append(apps, fmt.Sprintf("%s (%s)", k.report.Name, p))
			if !slices.Contains(inferred, p) {
				inferred = append(inferred, p)
			}
		}
	}
	switch len(inferred) {
	case 0:
		return in, out, audit.DefaultPlatform, audit.PlatformFromDefault
	case 1:
		p := inferred[0]
		for _, k := range in {
			if k.target.Platform == p && k.target.PlatformSource == audit.PlatformFromInferred {
				continue
			}
			inf := *k.target.Inference
			inf.Deployment = apps
			k.target.Inference = &inf
			req.rejudge(k, p, audit.PlatformFromInferred)
		}
		return in, out, p, audit.PlatformFromInferred
	}
	for _, k := range in {
		inf := *k.target.Inference
		inf.Deployment, inf.Conflict = apps, true
		k.target.Inference = &inf
		req.rejudge(k, audit.DefaultPlatform, audit.PlatformFromDefault)
	}
	return in, out, audit.DefaultPlatform, audit.PlatformFromDefault
}

// leftOut reports whether a target's app stays out of a deployment whose
// platform family is family ("" when neither a statement nor an app says):
// an MSC app never shares a console with another family's apps, and an app
// --discover found for a console that states its platform stays out when it
// is set up for another family.
func (req Request) leftOut(k *kept, family string, stated bool) bool {
	own := audit.FamilyOf(k.target.Inference.Platform())
	if own == "" || family == "" || own == family {
		return false
	}
	if own == "msc" || family == "msc" {
		return true
	}
	spec := req.Specs[k.spec]
	return stated && spec.Okta != nil && spec.Okta.Discover
}

// leaveOut judges a target left out of deployment name without its
// console: it is a deployment of its own. Its platform is decided again
// without the console's statement.
func (req Request) leaveOut(k *kept, name, family string, stated bool) {
	t := k.target
	own := t.Inference.Platform()
	why := fmt.Sprintf("its app is set up for %s (%s), and a console of the %s family has no %s apps", own, t.Inference.From(), family, audit.FamilyOf(own))
	if audit.FamilyOf(own) == "msc" {
		why = fmt.Sprintf("its app is set up for msc (%s): the Managed Services Center is a console of its own, with its own SSO token", t.Inference.From())
		if !stated {
			why += fmt.Sprintf(" (if %s is the Managed Services Center's console, state platform: msc in it)", name)
		}
	} else if family == "msc" {
		why = fmt.Sprintf("its app is set up for %s (%s), and the console's apps are the Managed Services Center's, a console of its own", own, t.Inference.From())
	}
	t.Console = nil
	t.Missing(audit.InputConsole, fmt.Sprintf("this app was left out of deployment %s: %s. To check its console, name that console's druva.yaml for this app alone (a config target with its own druva:)", name, why))
	k.report.Console, k.report.ConsoleSHA256 = "", ""
	spec := req.Specs[k.spec]
	spec.Druva, spec.Snapshot = "", ""
	platform, source := req.platformOf(t, spec)
	req.rejudge(k, platform, source)
	if req.Verbose != nil {
		label := ""
		if t.App != nil {
			label = fmt.Sprintf(" (app %s)", t.App.ID)
		}
		req.Verbose(fmt.Sprintf("left out of deployment %s: %s%s: %s; judged without that console", name, k.report.Name, label, why))
	}
}

// rejudge judges a kept target again against another platform: its facts
// were computed once (the streamed users are gone), and the per-target
// rules read only them and the target.
func (req Request) rejudge(k *kept, platform, source string) {
	t := k.target
	p, err := audit.LookupPlatform(platform)
	if err != nil {
		return
	}
	t.Platform, t.PlatformSource = p.Name, source
	t.Expect = p.Expectations(req.expectOver(req.Specs[k.spec]))
	k.report.Platform, k.report.PlatformSource, k.report.PlatformInference = t.Platform, t.PlatformSource, t.Inference
	if t.App == nil {
		// Unreadable: its errors are one cause (oneCause), which no
		// platform changes.
		return
	}
	results := req.plan.Judge(t)
	req.locateLines(results, targetFiles(t))
	k.report.Results = results
}

// expectOver is what the config overrides of a spec's platform values: the
// target's own expect: keys, else the top level's.
func (req Request) expectOver(spec Spec) audit.Expectations {
	over := spec.Expect
	if req.Config != nil {
		over = over.Or(req.Config.Expect)
	}
	return over
}
