package scan

// Deployments (docs/deployments.md): the targets of a run that sign into
// one Druva console form one, and deployment rules judge it once. Targets
// are judged as they stream in (audit.Plan.Judge computes every per-target
// fact a rule of the run needs, then drops the streamed users); each is
// kept, without its users, until its deployment is known, and then the plan
// judges what waited for it: the per-target rules that read a deployment
// fact, in their place among the target's results, and the deployment
// rules.
//
// Which targets are one console is decided from what the user gave, before
// any target is read (groupSpecs): targets join when they name the same
// console file (links resolved), when the config puts them in one
// deployment:, or when their console files are identical and record the
// console's SSO token — a token belongs to one console, so the copies that
// `snapshot --druva` puts in each snapshot still group. Identical files
// without a token are not enough: a staging console copied into
// production's file must not let production borrow staging's apps.

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// kept is a judged target waiting for its deployment.
type kept struct {
	target *audit.Target // without Users: they were streamed and are gone
	spec   int           // index of the spec that yielded it
	report *audit.TargetReport
}

// specGroups says which deployment each spec's targets join.
type specGroups struct {
	// of[i] is the group of spec i, or -1 when each of its targets is a
	// deployment of its own (no console file, no deployment:).
	of []int
	// names[g] is group g's name: its deployment:, else its console file
	// as the user gave it.
	names []string
}

// groupSpecs groups the specs into deployments. A group whose targets name
// two deployment: names, or whose deployment: holds consoles that differ,
// is a usage error: one console is one deployment. Identical console files
// that stay apart for want of a token get a warning (req.Warn).
func (req Request) groupSpecs() (specGroups, error) {
	n := len(req.Specs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) { parent[find(a)] = find(b) }

	consoles := make([]*audit.Console, n)
	byName := map[string]int{}
	byFile := map[*audit.Console]int{} // the cache gives one *Console per file
	byToken := map[string]int{}
	for i, spec := range req.Specs {
		if path, err := consolePath(spec); err == nil && path != "" {
			// Read (and its problems reported) by checkConsoles already.
			consoles[i], _ = req.consoles.load(path)
		}
		joins := func(m map[string]int, key string) {
			if j, ok := m[key]; ok {
				union(i, j)
			} else {
				m[key] = i
			}
		}
		if spec.Deployment != "" {
			joins(byName, spec.Deployment)
		}
		if c := consoles[i]; c != nil {
			if j, ok := byFile[c]; ok {
				union(i, j)
			} else {
				byFile[c] = i
			}
			if recordsToken(c) {
				joins(byToken, c.SHA256)
			}
		}
	}

	g := specGroups{of: make([]int, n)}
	index := map[int]int{} // root → group
	var members [][]int
	for i, spec := range req.Specs {
		if spec.Deployment == "" && consoles[i] == nil {
			g.of[i] = -1
			continue
		}
		r := find(i)
		gi, ok := index[r]
		if !ok {
			gi = len(members)
			index[r] = gi
			members = append(members, nil)
		}
		g.of[i] = gi
		members[gi] = append(members[gi], i)
	}
	seen := map[string]bool{}
	for _, ms := range members {
		name, err := req.groupName(ms, consoles)
		if err != nil {
			return specGroups{}, err
		}
		if seen[name] {
			// A suppression naming it would reach both.
			return specGroups{}, fmt.Errorf("two deployments would be named %q (different consoles given under one name): give them deployment: names of their own", name)
		}
		seen[name] = true
		g.names = append(g.names, name)
	}
	req.warnLookAlikes(g, consoles)
	return g, nil
}

// groupName names a group of specs (members, in spec order), refusing a
// group that is not one console.
func (req Request) groupName(members []int, consoles []*audit.Console) (string, error) {
	named := -1
	for _, i := range members {
		d := req.Specs[i].Deployment
		switch {
		case d == "":
		case named < 0:
			named = i
		case req.Specs[named].Deployment != d:
			return "", fmt.Errorf("targets %q (deployment: %s) and %q (deployment: %s) sign into one console: their console files are the same file, "+
				"or identical files that record its SSO token; one console is one deployment: give them one deployment: name",
				specName(req.Specs[named]), req.Specs[named].Deployment, specName(req.Specs[i]), d)
		}
	}
	first, given := -1, -1
	for _, i := range members {
		c := consoles[i]
		if c == nil {
			continue
		}
		if first < 0 {
			first = i
		} else if c.SHA256 != consoles[first].SHA256 && named >= 0 {
			// (Only a deployment: joins files that differ.)
			return "", fmt.Errorf("deployment %q: its targets name different console settings (%s and %s): a deployment is one Druva console; give each console its own deployment: name",
				req.Specs[named].Deployment, consoles[first].File, c.File)
		}
		if given < 0 && req.Specs[i].Druva != "" {
			given = i
		}
	}
	switch {
	case named >= 0:
		return req.Specs[named].Deployment, nil
	case given >= 0:
		// The console file as the user gave it (druva:, --druva).
		return firstNonEmpty(req.Specs[given].DruvaName, req.Specs[given].Druva), nil
	}
	// A snapshot's own druva.yaml.
	return consoles[first].File, nil
}

// recordsToken reports whether the console file records the console's SSO
// token (sso_token or sso_token_sha256): then a byte-identical file is a
// copy of the same console's settings.
func recordsToken(c *audit.Console) bool {
	if c.SSO == nil {
		return false
	}
	if h := c.SSO.SSOTokenSHA256; h != nil && strings.TrimSpace(*h) != "" {
		return true
	}
	return c.SSO.SSOToken != nil && !c.SSO.SSOToken.Empty()
}

// warnLookAlikes says, once per content, that byte-identical console files
// without a token were judged as separate consoles.
func (req Request) warnLookAlikes(g specGroups, consoles []*audit.Console) {
	if req.Warn == nil {
		return
	}
	type look struct {
		files  []string
		groups map[int]bool
	}
	var order []string
	bySum := map[string]*look{}
	seen := map[*audit.Console]bool{}
	for i, c := range consoles {
		if c == nil || recordsToken(c) {
			continue
		}
		l := bySum[c.SHA256]
		if l == nil {
			l = &look{groups: map[int]bool{}}
			bySum[c.SHA256] = l
			order = append(order, c.SHA256)
		}
		l.groups[g.of[i]] = true
		if !seen[c] {
			seen[c] = true
			l.files = append(l.files, filepath.ToSlash(firstNonEmpty(req.Specs[i].DruvaName, req.Specs[i].Druva, c.File)))
		}
	}
	for _, sum := range order {
		if l := bySum[sum]; len(l.groups) > 1 {
			req.Warn(fmt.Sprintf("%s are identical but record no SSO token, so they are judged as separate consoles: if they are one console, name one `druva:` file or a `deployment:`",
				identicalFiles(l.files)))
		}
	}
}

// identicalFiles names the identical files of the warning: the first
// three, then how many more (a nightly fleet of hundreds of copies would
// otherwise be one line of kilobytes).
func identicalFiles(files []string) string {
	const named = 3
	if len(files) <= named {
		return strings.Join(files, " and ")
	}
	return fmt.Sprintf("%s and %d other copies", strings.Join(files[:named], ", "), len(files)-named)
}

// deployments groups the judged targets (specGroups), then judges what
// waited for each deployment, in the order the deployments first appear,
// and says which spec yielded each one's first target.
func (req Request) deployments(all []*kept) ([]audit.DeploymentReport, []int) {
	var groups [][]*kept
	var names []string
	var shared []bool // the group is a console's, not one target's
	index := map[string]int{}
	for _, k := range all {
		// Deployment facts name each app after its target.
		k.target.Name = k.report.Name
		key, name := "target:"+k.report.Name, k.report.Name
		if gi := req.groups.of[k.spec]; gi >= 0 {
			key, name = fmt.Sprint("group:", gi), req.groups.names[gi]
		}
		if i, ok := index[key]; ok {
			groups[i] = append(groups[i], k)
			continue
		}
		index[key] = len(groups)
		groups = append(groups, []*kept{k})
		names = append(names, name)
		shared = append(shared, req.groups.of[k.spec] >= 0)
	}
	out := make([]audit.DeploymentReport, 0, len(groups))
	first := make([]int, len(groups))
	for gi, g := range groups {
		first[gi] = g[0].spec
	}
	for gi := 0; gi < len(groups); gi++ {
		g := groups[gi]
		platform, source := g[0].target.Platform, g[0].target.PlatformSource
		if shared[gi] {
			// The apps share the console's platform; those left out
			// are deployments of their own, after this one.
			var left []*kept
			g, left, platform, source = req.sharePlatform(names[gi], g)
			groups[gi] = g
			for j, k := range left {
				groups = slices.Insert(groups, gi+1+j, []*kept{k})
				names = slices.Insert(names, gi+1+j, k.report.Name)
				shared = slices.Insert(shared, gi+1+j, false)
				// Placed after their console's deployment, as it is.
				first = slices.Insert(first, gi+1+j, first[gi])
			}
		}
		targets := make([]*audit.Target, len(g))
		results := make([][]audit.Result, len(g))
		members := make([]string, len(g))
		var console *audit.Console
		for i, k := range g {
			targets[i], results[i], members[i] = k.target, k.report.Results, k.report.Name
			if console == nil {
				console = k.target.Console
			}
		}
		d := audit.NewDeployment(names[gi], console, platform, req.Now, targets)
		if console == nil {
			if gap, ok := g[0].target.Gap(audit.InputConsole); ok {
				if gap.Failed {
					d.Failed(audit.InputConsole, gap.Reason)
				} else {
					d.Missing(audit.InputConsole, gap.Reason)
				}
			}
		}
		dr := audit.DeploymentReport{Name: d.Name, Platform: d.Platform, PlatformSource: source, Targets: members}
		if c := d.Console; c != nil {
			dr.Console, dr.ConsoleSHA256 = filepath.ToSlash(c.File), c.SHA256
		}
		dr.Results = req.plan.JudgeDeployment(d, results)
		if c := d.Console; c != nil && c.File != "" {
			req.locateLines(dr.Results, map[audit.Input]string{audit.InputConsole: c.File})
		}
		req.finishDeployment(&dr)
		out = append(out, dr)
	}
	return out, first
}

// finishDeployment applies --require, attestations and suppressions to a
// judged deployment's results and counts them.
func (req Request) finishDeployment(dr *audit.DeploymentReport) {
	audit.Require(dr.Results, req.Require)
	// An attestation covers a deployment's result only when its
	// target: names the deployment itself (docs/attestations.md).
	req.attest([]string{dr.Name}, dr.Results)
	if req.Config != nil {
		// Only a suppression naming the deployment reaches its
		// results, never one naming one of its targets.
		req.Config.ApplyDeployment(dr.Name, dr.Results, req.Now)
	}
	dr.Summary = audit.Summary{}
	for _, r := range dr.Results {
		dr.Summary.AddResult(r)
	}
}
