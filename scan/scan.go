// Package scan is the pipeline: it turns what the user asked for (flags or
// the config's targets) into audit targets, runs the catalog over them and
// assembles the report. It decides nothing itself: sources read, rules judge.
package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/internal/redact"
	"github.com/ssoaudit/ssoaudit/internal/yamlfile"
	"github.com/ssoaudit/ssoaudit/source/druva"
	"github.com/ssoaudit/ssoaudit/source/okta"
	"github.com/ssoaudit/ssoaudit/source/terraform"
)

// Spec says where one target (or, for Terraform and discovery, several) comes from.
type Spec struct {
	Name      string // "" = derived from the source
	Snapshot  string
	Terraform string
	Okta      *config.OktaSpec
	Druva     string // druva.yaml; "" = the snapshot's own, if any
	Platform  string // "" = druva.yaml's, else the config's, else the app's, else the default
	// Expect is the target's own expect: (its keys win over the config's
	// top level); OktaDomains its own okta_domains: (nil = the top level's).
	Expect      audit.Expectations
	OktaDomains []string
	// Line is the config line that declared the target (0 for flags).
	Line int
	// DruvaLine is the config line of the target's druva: (0 for flags),
	// where a druva.yaml that cannot be read at all is reported.
	DruvaLine int
	// SourceLine is the config line of the target's snapshot:,
	// terraform: or okta: (0 for flags): where a source that cannot be
	// read is reported.
	SourceLine int
	// DruvaName is Druva as the user wrote it (a config's druva: before
	// it is resolved against the config's directory): the name of the
	// deployment (docs/deployments.md). "" means Druva.
	DruvaName string
	// Deployment is the config's deployment: for the target (""
	// when unset): its targets form one deployment of that name.
	Deployment string
}

// LiveLoader reads live Okta targets and hands each to found as soon as it
// is read, in a deterministic order, so that it is judged (and its users
// streamed) while the source goes on: a discovery never holds the org's
// apps, and a deadline never finds finished apps waiting to be judged. The
// command supplies it so that this package needs no credentials. An error
// after some targets were found leaves those in the report.
type LiveLoader func(ctx context.Context, spec Spec, found func(*audit.Target)) error

// Request is one scan.
type Request struct {
	Specs    []Spec
	Config   *config.Config // nil when there is none
	Platform string         // --platform: wins over every other source
	FailOn   audit.Severity
	// FailOnWarn makes a warn at or above FailOn fail the gate.
	FailOnWarn bool
	// Require names inputs (audit.ParseRequire) whose absence is an error.
	Require []string
	Rules   []*audit.Rule
	// Certificates reads a target's certificate expiry dates for the
	// reports (checks.Certificates); nil records none.
	Certificates func(*audit.Target) []audit.CertExpiry
	Now          time.Time
	Version      string
	Live         LiveLoader
	// Fleet is true when the targets come from the config: a target that
	// cannot be read then gives error results instead of stopping the run.
	Fleet bool
	// OrgParallel bounds how many targets of one Okta org are read and
	// judged at once (default DefaultOrgParallel). Orgs run side by side:
	// each has its own rate limits and concurrency limit.
	OrgParallel int
	// LocalParallel bounds how many snapshot and Terraform targets are
	// read and judged at once (default GOMAXPROCS).
	LocalParallel int
	// Secrets collects the secrets each target holds (druva.yaml's
	// sso_token, the token attribute's values…) as targets are read, for
	// the redaction layer every report and error goes through. May be nil.
	Secrets *redact.Set

	// Warn, when set, is given each warning of the run (one line, not
	// escaped) for stderr: consoles judged apart that look like one.
	Warn func(string)
	// Verbose, when set (-v), is given each line a person debugging the
	// run's grouping may want (one line, not escaped): an app --discover
	// found that was left out of its console's deployment.
	Verbose func(string)

	consoles *consoleCache    // set by Run
	plan     *audit.Plan      // set by Run
	groups   specGroups       // set by Run
	attested *config.Attested // set by Run, with a config
	budget   *spillBudget     // set by Run: targets judged alone held in memory
}

// DefaultOrgParallel is how many targets of one Okta org are read at once,
// each one request at a time. Okta allows an org 35 (Integrator Free) to
// 75 concurrent requests, shared with every other integration of the org,
// and says that even large bulk loads rarely need more than 10; the
// request rate within that is paced by the org's rate-limit headers.
const DefaultOrgParallel = 8

// UsageError is a problem with what the user gave: a bad flag value, a
// missing snapshot directory, an invalid file a person writes. Exit 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usage(err error) error { return &UsageError{err} }

// Run builds the targets, judges them and returns the report.
func Run(ctx context.Context, req Request) (*audit.Report, error) {
	req.consoles = &consoleCache{}
	var over map[string]audit.Override
	if req.Config != nil {
		over = req.Config.Overrides()
	}
	req.plan = audit.NewPlan(req.Rules, over)
	if err := req.someSnapshotExists(); err != nil {
		return nil, err
	}
	if req.Config != nil {
		req.attested = req.Config.NewAttested()
	}
	if err := req.checkConsoles(); err != nil {
		return nil, err
	}
	groups, err := req.groupSpecs()
	if err != nil {
		return nil, usage(err)
	}
	req.groups = groups
	req.budget = newBudget(spillKeep)
	// Each spec's reports go to its own slot, so the report's order is
	// the specs' whatever the scheduling.
	slots := make([]specOut, len(req.Specs))
	done := false
	defer func() {
		if !done {
			for i := range slots {
				slots[i].close()
			}
		}
	}()
	var wg sync.WaitGroup
	for _, l := range req.lanes() {
		var next atomic.Int64
		for range min(l.parallel, len(l.specs)) {
			wg.Go(func() {
				for {
					j := int(next.Add(1)) - 1
					if j >= len(l.specs) {
						return
					}
					i := l.specs[j]
					slots[i] = req.runSpec(ctx, i)
				}
			})
		}
	}
	wg.Wait()
	rep := &audit.Report{
		Schema:      audit.Schema,
		Tool:        audit.Tool{Name: "ssoaudit", Version: req.Version},
		GeneratedAt: req.Now.UTC(),
		FailOn:      req.FailOn,
		FailOnWarn:  req.FailOnWarn,
		Require:     req.Require,
		Targets:     []audit.TargetReport{},
	}
	if req.Config != nil {
		rep.Config = req.Config.File
		rep.Overrides = overrides(req.Config, req.Rules)
	}
	for _, s := range slots {
		if s.err != nil {
			return nil, s.err
		}
	}
	// The targets kept for a deployment (held in memory, as every one of
	// them is needed to judge it) are judged now; a target that is a
	// deployment of its own was judged whole as it came (runSpec, early).
	var all []*kept
	for i := range slots {
		for j, k := range slots[i].kept {
			k.report = &slots[i].reports[j]
			all = append(all, k)
		}
	}
	deps, firstSpec := req.deployments(all)
	held := &audit.Report{Targets: []audit.TargetReport{}, Deployments: deps}
	for i := range slots {
		held.Targets = append(held.Targets, slots[i].reports...)
	}
	oneCauseAfterAll(held)
	for i := range slots {
		for j := range slots[i].reports {
			// Every target's results are in: the rules that waited for
			// the deployment too.
			req.suppress(&slots[i].reports[j])
		}
	}
	out, err := req.assemble(slots, deps, firstSpec)
	if err != nil {
		return nil, err
	}
	defer func() {
		if !done {
			out.close()
		}
	}()
	rep.ExitCode = out.exit
	rep.Summary = out.summary
	if req.Config != nil && len(req.Config.Targets) > 0 {
		// NAME/child scopes, now that each entry's apps are known.
		warnings, err := req.Config.CheckChildScopes(out.names)
		if err != nil {
			return nil, usage(err)
		}
		for _, w := range warnings {
			if req.Warn != nil {
				req.Warn(w)
			}
		}
	}
	if req.Config != nil && len(req.Config.Targets) == 0 {
		names := append(slices.Clone(out.names), out.deploymentNames...)
		if err := req.Config.CheckScopes(names); err != nil {
			return nil, usage(err)
		}
	}
	if req.Config != nil {
		for _, w := range req.Config.Unused(req.attested) {
			if req.Warn != nil {
				req.Warn(w)
			}
		}
	}
	for i := range slots {
		slots[i].close()
	}
	if out.targets.spilled() || out.deployments.spilled() {
		rep.SetStream(out)
	} else {
		rep.Targets = append(rep.Targets, out.targets.mem...)
		rep.Deployments = out.deployments.mem
		if rep.Deployments == nil {
			rep.Deployments = deps[:0:0]
		}
	}
	done = true
	return rep, nil
}

// lane is the specs that share a limit: the targets of one Okta org (its
// rate limits and concurrent-request limit), or the local files.
type lane struct {
	specs    []int // indexes into Request.Specs, in order
	parallel int
}

// lanes groups the specs by Okta org (the org URL as given, case aside;
// "" is the environment's org) and puts snapshots and Terraform plans in
// one local lane. Lanes run side by side, with a few workers each: never a
// goroutine per target.
// OrgKey is the one spelling of an Okta org URL that tells orgs apart:
// https://ACME.okta.com/ and https://acme.okta.com are one org, one
// rate-limit budget, one set of org-wide data.
func OrgKey(orgURL string) string { return strings.ToLower(strings.TrimRight(orgURL, "/")) }

func (req Request) lanes() []*lane {
	orgPar, localPar := req.OrgParallel, req.LocalParallel
	if orgPar < 1 {
		orgPar = DefaultOrgParallel
	}
	if localPar < 1 {
		localPar = runtime.GOMAXPROCS(0)
	}
	byKey := map[string]*lane{}
	var out []*lane
	for i, spec := range req.Specs {
		key, par := "local", localPar
		if spec.Okta != nil {
			key, par = "okta "+OrgKey(spec.Okta.OrgURL), orgPar
		}
		l := byKey[key]
		if l == nil {
			l = &lane{parallel: par}
			byKey[key] = l
			out = append(out, l)
		}
		l.specs = append(l.specs, i)
	}
	return out
}

// overrides lists what the config changed in the catalog, so that a report
// says which rules were off and which severities were not the catalog's.
func overrides(cfg *config.Config, rules []*audit.Rule) []audit.RuleOverride {
	var out []audit.RuleOverride
	configured := cfg.Overrides()
	for _, r := range rules {
		o, ok := configured[r.ID]
		if !ok || (!o.Disabled && (o.Severity == "" || o.Severity == r.Severity)) {
			continue
		}
		ro := audit.RuleOverride{Rule: r.ID, Disabled: o.Disabled, DefaultSeverity: r.Severity}
		if o.Severity != r.Severity {
			ro.Severity = o.Severity
		}
		out = append(out, ro)
	}
	return out
}

// runSpec reads and judges the targets of one spec, each as soon as it is
// read. A spec that cannot be read becomes a target whose Okta rules are in
// error, so that the report still lists it (a fleet's other targets, or the
// one target of a run that hit --timeout, are never lost); only a usage
// error outside a fleet ends the run. Targets read before a failure (a
// discovery that listed some apps, then failed) stay, and the spec adds the
// error target after them: an app not listed might have been a Druva app.
func (req Request) runSpec(ctx context.Context, index int) specOut {
	spec := req.Specs[index]
	var o specOut
	var prepErr error
	found := func(t *audit.Target) {
		if prepErr != nil {
			return
		}
		if err := req.prepare(t, spec); err != nil {
			prepErr = err
			return
		}
		o.add(req, index, t, spec, nil)
	}
	err := req.load(ctx, spec, found)
	if prepErr != nil {
		o.close()
		return specOut{err: prepErr}
	}
	if err == nil {
		o.nameAll(spec)
		return o
	}
	var ue *UsageError
	if !req.Fleet && errors.As(err, &ue) {
		o.close()
		return specOut{err: err}
	}
	o.nameAll(spec)
	t := unreadable(spec, err)
	if n := o.len(); n > 0 {
		// Some apps were read before the failure: the spec yields
		// several targets, each named under the spec's name.
		if n == 1 {
			o.names[0].name = joinName(spec.Name, firstNonEmpty(o.names[0].label, o.names[0].id, o.names[0].name))
		}
		t.Name = joinName(spec.Name, "discovery")
	}
	if err := req.prepare(t, spec); err != nil {
		o.close()
		return specOut{err: err}
	}
	o.add(req, index, t, spec, func(tr *audit.TargetReport) {
		req.oneCause(tr, spec, err)
		if cause, ok := okta.Unreachable(err); ok && spec.Okta != nil {
			orgCause(tr, spec.Okta.OrgURL, cause)
		}
	})
	o.applyNames()
	return o
}

// orgCause makes the errors of a target whose Okta org could not be
// reached (TLS, a refused or reset connection) the org's cause: the same
// message, fix, evidence and Cause for every target of that org, so that
// people's formats show one row and one fix naming every target and rule
// it blocked, while each rule stays in each target's results.
func orgCause(tr *audit.TargetReport, org, cause string) {
	org = strings.TrimRight(org, "/")
	msg := fmt.Sprintf("could not connect to the Okta org %s: %s", org, cause)
	for i := range tr.Results {
		if r := &tr.Results[i]; r.Status == audit.StatusError {
			r.Message, r.Remediation = msg, unreachableFix
			r.Evidence = audit.Evidence{}.Add("org", org)
			r.Cause = "connect " + OrgKey(org)
		}
	}
}

// unreachableFix is the fix for an org that could not be reached.
const unreachableFix = "Check that this machine can reach the Okta org over HTTPS, then scan again: the org URL, " +
	"the network path (proxy, firewall, DNS) and the certificate: behind a TLS-inspecting proxy or a private CA, set " +
	"SSL_CERT_FILE to its CA certificate (PEM). Every target of the org is blocked by it; the other targets of the run " +
	"are reported as usual."

// oneCause makes the errors of a target whose source could not be read at
// all one cause: the same message — what failed, and the config line that
// named the source — and the same fix, so every report shows one row (one
// line of the findings block, one fix block naming every rule it blocked),
// not one per input file.
func (req Request) oneCause(tr *audit.TargetReport, spec Spec, err error) {
	msg := err.Error()
	line := cmp.Or(spec.SourceLine, spec.Line)
	var file string
	if req.Config != nil && line > 0 {
		file = req.Config.File
		msg = fmt.Sprintf("%s (%s, line %d)", msg, file, line)
	}
	fix := audit.InputRemediation
	if spec.Snapshot != "" {
		fix = "Check the target's snapshot: path in the config (its line is named above): the directory must exist and hold " +
			"okta/app.json, okta/keys.json and okta/metadata.xml. For a nightly's dated path (${NAME} in the config), check that " +
			"the night's snapshot was written. The other targets of the run are reported as usual."
	}
	for i := range tr.Results {
		if r := &tr.Results[i]; r.Status == audit.StatusError {
			r.Message, r.Remediation = unreadableMessage+msg, fix
			r.Evidence = audit.Evidence{}.Add("source", tr.Origin)
			// Located at the config entry that named the source, not
			// at files that were never read.
			if file != "" {
				r.File, r.Line = file, line
			}
		}
	}
}

// oneCauseAfterAll extends oneCause to the results judged later (the
// rules that waited for the deployment) and to a deployment made only of
// unreadable targets: one cause, one row.
func oneCauseAfterAll(rep *audit.Report) {
	cause := map[string]audit.Result{}
	for _, t := range rep.Targets {
		for _, r := range t.Results {
			if r.Status == audit.StatusError && (strings.HasPrefix(r.Message, unreadableMessage) || r.Cause != "") {
				cause[t.Name] = r
				break
			}
		}
	}
	if len(cause) == 0 {
		return
	}
	apply := func(results []audit.Result, c audit.Result) {
		for i := range results {
			if r := &results[i]; r.Status == audit.StatusError {
				r.Message, r.Remediation, r.Evidence, r.Cause = c.Message, c.Remediation, c.Evidence, c.Cause
				r.File, r.Line = c.File, c.Line
			}
		}
	}
	for i := range rep.Targets {
		if c, ok := cause[rep.Targets[i].Name]; ok {
			apply(rep.Targets[i].Results, c)
		}
	}
	for i := range rep.Deployments {
		d := &rep.Deployments[i]
		if c, ok := sharedCause(d.Targets, cause); ok {
			apply(d.Results, c)
		}
	}
}

// sharedCause is the cause of a deployment whose targets could none be
// read, for one reason: its one target's, or the org cause (Cause) all of
// them share.
func sharedCause(targets []string, cause map[string]audit.Result) (audit.Result, bool) {
	if len(targets) == 0 {
		return audit.Result{}, false
	}
	c, ok := cause[targets[0]]
	if !ok {
		return audit.Result{}, false
	}
	if len(targets) == 1 {
		return c, true
	}
	for _, name := range targets[1:] {
		if o, ok := cause[name]; !ok || c.Cause == "" || o.Cause != c.Cause {
			return audit.Result{}, false
		}
	}
	return c, true
}

// unreadableMessage starts the message of every error of a target whose
// source could not be read at all (oneCause).
const unreadableMessage = "could not read the target: "

// snapshotErr says where to write the directory above a snapshot's okta/
// folder given in its place: the --snapshot flag, or the config's
// snapshot: line (never the flag for a config's mistake).
func (req Request) snapshotErr(spec Spec, err error) error {
	var ofe *okta.OktaFolderError
	if !errors.As(err, &ofe) {
		return err
	}
	if req.Config != nil && cmp.Or(spec.SourceLine, spec.Line) > 0 {
		// oneCause (fleet) or the caller adds the config's file and line.
		return fmt.Errorf("snapshot: %s is the okta/ folder of a snapshot: write the snapshot directory above it (snapshot: %s)",
			asWritten(req.Config.File, ofe.Dir), asWritten(req.Config.File, ofe.Parent))
	}
	return fmt.Errorf("%s is the okta/ folder of a snapshot: give the snapshot directory above it (--snapshot %s)", ofe.Dir, ofe.Parent)
}

// asWritten is path p as the config at file writes it: relative paths in
// a config are relative to its directory (config.Load joins them), so a
// hint for a config in another directory must be too, or following it
// names another directory ("snapshot: good" in sub/c.yaml is sub/good).
func asWritten(file, p string) string {
	if file == "" {
		return p
	}
	dir := filepath.Dir(file)
	if filepath.IsAbs(p) != filepath.IsAbs(dir) {
		return p
	}
	if rel, err := filepath.Rel(dir, p); err == nil {
		return rel
	}
	return p
}

// someSnapshotExists fails a fleet run in which every target is a snapshot
// and none can be read — its directory does not exist, or it is a
// snapshot's okta/ folder: nothing could be audited, which is a
// configuration mistake (exit 2, each entry's file and line), not a report
// of errors. When some can, each other one is one error row of its target
// (oneCause) and the rest are reported.
func (req Request) someSnapshotExists() error {
	if !req.Fleet || len(req.Specs) == 0 {
		return nil
	}
	var missing []string
	file := ""
	if req.Config != nil {
		file = req.Config.File
	}
	for _, spec := range req.Specs {
		if spec.Snapshot == "" {
			return nil
		}
		where := ""
		if req.Config != nil && cmp.Or(spec.SourceLine, spec.Line) > 0 {
			where = fmt.Sprintf("%s:%d: ", req.Config.File, cmp.Or(spec.SourceLine, spec.Line))
		}
		_, err := os.Stat(spec.Snapshot)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, fmt.Sprintf("%starget %q: snapshot directory %s does not exist", where, spec.Name, spec.Snapshot))
		case err == nil && okta.IsOktaFolder(spec.Snapshot):
			missing = append(missing, fmt.Sprintf("%starget %q: snapshot: %s is the okta/ folder of a snapshot: write the snapshot directory above it (snapshot: %s)",
				where, spec.Name, asWritten(file, spec.Snapshot), asWritten(file, filepath.Dir(filepath.Clean(spec.Snapshot)))))
		default:
			return nil
		}
	}
	return usage(fmt.Errorf("no target's snapshot can be read:\n%s", strings.Join(missing, "\n")))
}

func joinName(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "/" + child
}

// unreadable is a target whose source could not be read at all: every Okta
// input failed, so every rule that reads Okta data ends in error.
func unreadable(spec Spec, err error) *audit.Target {
	t := &audit.Target{Name: specName(spec), Source: specSource(spec), Origin: specOrigin(spec)}
	for _, in := range audit.OktaInputs() {
		t.Failed(in, err)
	}
	if spec.Druva == "" && spec.Snapshot != "" {
		// The console settings would have come from the same snapshot.
		t.Failed(audit.InputConsole, err)
	}
	return t
}

func (req Request) load(ctx context.Context, spec Spec, found func(*audit.Target)) error {
	switch {
	case spec.Snapshot != "":
		t, err := okta.LoadSnapshot(spec.Snapshot)
		if err != nil {
			return usage(req.snapshotErr(spec, err))
		}
		found(t)
		return nil
	case spec.Terraform != "":
		// Each target goes on as soon as it is built: the plan is checked
		// whole before the first, so its errors come before any target (a
		// failed read in the second pass is runSpec's failure after some).
		err := terraform.Stream(spec.Terraform, nil, func(t *audit.Target) error {
			found(t)
			return nil
		})
		if err != nil {
			return usage(err)
		}
		return nil
	case spec.Okta != nil:
		if req.Live == nil {
			return usage(errors.New("live Okta targets are not available in this build"))
		}
		return req.Live(ctx, spec, found)
	}
	return usage(errors.New("a target needs a snapshot, a Terraform file or an Okta app"))
}

// prepare attaches the Druva console, resolves the platform and what it
// expects, and sets the clock.
func (req Request) prepare(t *audit.Target, spec Spec) error {
	if err := req.attachConsole(t, spec); err != nil {
		return err
	}
	name, source := req.platformOf(t, spec)
	p, err := audit.LookupPlatform(name)
	if err != nil {
		return usage(err)
	}
	over := req.expectOver(spec)
	t.Platform, t.PlatformSource = p.Name, source
	t.OktaDomains = spec.OktaDomains
	if t.OktaDomains == nil && req.Config != nil {
		t.OktaDomains = req.Config.OktaDomains
	}
	t.Expect = p.Expectations(over)
	t.Now = req.Now
	AddSecrets(req.Secrets, t)
	return nil
}

// attachConsole reads druva.yaml: the spec's, else the snapshot's own. An
// invalid druva.yaml is a usage error (a person wrote it); an absent one
// makes the console rules skip.
func (req Request) attachConsole(t *audit.Target, spec Spec) error {
	if g, ok := t.Gap(audit.InputConsole); ok && g.Failed {
		return nil
	}
	path, err := consolePath(spec)
	if err != nil {
		return usage(err)
	}
	if path == "" {
		how := "pass --druva FILE (in a config: druva: under the target)"
		if spec.Snapshot != "" {
			how = "add druva.yaml to the snapshot, or pass --druva FILE"
		}
		t.Missing(audit.InputConsole, "no druva.yaml was given: "+how+" to check the Druva console's settings")
		return nil
	}
	c, err := req.consoles.load(path)
	if err != nil {
		return usage(req.consoleErr(spec, err))
	}
	t.Console = c
	return nil
}

// consolePath is the druva.yaml a spec's targets are judged against: the
// spec's, else the snapshot's own; "" when there is none.
func consolePath(spec Spec) (string, error) {
	if spec.Druva != "" || spec.Snapshot == "" {
		return spec.Druva, nil
	}
	// A snapshot that is missing or not a directory has no druva.yaml
	// to check: reading it says what is wrong with the path itself.
	if st, err := os.Stat(spec.Snapshot); err != nil || !st.IsDir() {
		return "", nil
	}
	candidate := filepath.Join(spec.Snapshot, "druva.yaml")
	_, err := os.Stat(candidate)
	switch {
	case err == nil:
		return candidate, nil
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	}
	return "", fmt.Errorf("%s: %w", candidate, err)
}

// checkConsoles reads every druva.yaml the specs name before any target is
// read, and reports the problems of all of them together (each file's in
// line order, capped as one file's are): a person fixing a fleet's files
// sees every problem in one run, not the first file's, and no Okta
// request is spent before a file that must be fixed anyway.
func (req Request) checkConsoles() error {
	var errs []error
	seen := map[string]bool{}
	for _, spec := range req.Specs {
		path, err := consolePath(spec)
		if err == nil && path == "" {
			continue
		}
		if err == nil {
			key := filepath.Clean(path)
			if seen[key] {
				continue
			}
			seen[key] = true
			if _, err = req.consoles.load(path); err != nil {
				err = req.consoleErr(spec, err)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return usage(yamlfile.Join(errs...))
}

// CheckConsoles reads every druva.yaml the specs name and returns their
// problems together, as Run does before it reads any target: for a caller
// that stops before Run (a config with problems of its own) and reports
// these with its own in one run.
func CheckConsoles(specs []Spec, cfg *config.Config) error {
	req := Request{Specs: specs, Config: cfg, consoles: &consoleCache{}}
	return req.checkConsoles()
}

// consoleErr places a druva.yaml that could not be read at all (missing, a
// directory) at the config's druva: line that named it, so the person
// knows which entry to fix; problems inside the file keep their own file
// and line.
func (req Request) consoleErr(spec Spec, err error) error {
	var fe *yamlfile.FileError
	var many yamlfile.Errors
	if errors.As(err, &fe) || errors.As(err, &many) || req.Config == nil || spec.DruvaLine == 0 || spec.Druva == "" {
		return err
	}
	// druva.Load's own prefix would repeat what druva: already says.
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	return &yamlfile.FileError{File: req.Config.File, Line: spec.DruvaLine, Msg: fmt.Sprintf("target %q: druva: %v", spec.Name, err)}
}

// consoleCache parses each druva.yaml once per run. A fleet's targets often
// name one console file (that is what makes them a deployment), and a
// parsed copy per target multiplied it by the fleet's size. Rules only
// read a console, so its targets share it.
type consoleCache struct {
	mu sync.Mutex
	m  map[string]consoleEntry
}

type consoleEntry struct {
	c   *audit.Console
	err error
}

func (cc *consoleCache) load(path string) (*audit.Console, error) {
	if cc == nil {
		return druva.Load(path)
	}
	// One file, one *Console, whatever path names it: a deployment is the
	// targets that name the same console file (deployments).
	key := fileKey(path)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if e, ok := cc.m[key]; ok {
		return e.c, e.err
	}
	c, err := druva.Load(path)
	if cc.m == nil {
		cc.m = map[string]consoleEntry{}
	}
	cc.m[key] = consoleEntry{c, err}
	return c, err
}

// fileKey names the file at path once links are resolved, so that two
// paths to one file are one key; a path that cannot be resolved (it does
// not exist: reading it will say so) is its absolute form.
func fileKey(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// judge runs the rules over one target with the config's overrides. The
// rules that read the target's deployment wait for it (deployments), and
// the suppressions for the target's final name (suppress).
func (req Request) judge(t *audit.Target) audit.TargetReport {
	results := req.plan.Judge(t)
	req.locateLines(results, targetFiles(t))
	tr := audit.TargetReport{Name: t.Name, Source: t.Source, Platform: t.Platform, PlatformSource: t.PlatformSource,
		PlatformInference: t.Inference, Origin: t.Origin, Results: results}
	if req.Certificates != nil {
		tr.Certificates = req.Certificates(t)
	}
	if t.App != nil {
		tr.App = audit.AppRef{ID: t.App.ID, Label: t.App.Label}
	}
	if t.Console != nil {
		tr.Console, tr.ConsoleSHA256 = filepath.ToSlash(t.Console.File), t.Console.SHA256
	}
	// After the rules: users.json is hashed as they stream it.
	tr.Inputs = t.InputFiles()
	return tr
}

// readsPlatform reports whether the rule of that ID judges against the
// platform's values.
func (req Request) readsPlatform(id string) bool {
	for _, r := range req.Rules {
		if r.ID == id {
			return r.ReadsPlatform
		}
	}
	return false
}

// suppress applies the config's suppressions to a named target's results,
// once all are judged, and counts them. Before suppressions, a required
// input's absence becomes an error, and errors are never suppressed.
//
// Attestations come between: a not_exposed skip a person verified becomes
// an attested pass (docs/attestations.md).
func (req Request) suppress(tr *audit.TargetReport) {
	audit.Require(tr.Results, req.Require)
	audit.RequirePlatform(tr.Results, tr.Platform, tr.PlatformSource, tr.PlatformInference, req.Require, req.readsPlatform)
	req.attest([]string{tr.Name}, tr.Results)
	if req.Config != nil {
		req.Config.Apply(tr.Name, tr.Results, req.Now)
	}
	tr.Summary = audit.Summary{}
	for _, r := range tr.Results {
		tr.Summary.AddResult(r)
	}
}

// attest applies the config's attestations to results belonging to names;
// under --require attested, a not_exposed skip none covers is an error,
// with or without a config.
func (req Request) attest(names []string, results []audit.Result) {
	c := req.Config
	if c == nil {
		c = &config.Config{}
	}
	c.Attestations(names, results, req.Now, slices.Contains(req.Require, audit.RequireAttested), req.attested)
}

// platformOf decides the platform a target is judged against and where it
// came from (docs/platforms.md): --platform, else druva.yaml's platform:,
// else the config's (the target's, else the top level's), else the one
// platform the app's values fit, else the default. The app's inference is
// kept whatever decides, so a failing rule can say which platform the app
// is set up for.
func (req Request) platformOf(t *audit.Target, spec Spec) (string, string) {
	t.Inference = audit.Infer(t.App)
	switch {
	case req.Platform != "":
		return req.Platform, audit.PlatformFromFlag
	case consolePlatform(t.Console) != "":
		return consolePlatform(t.Console), audit.PlatformFromConsole
	case spec.Platform != "":
		return spec.Platform, audit.PlatformFromConfig
	case configPlatform(req.Config) != "":
		return configPlatform(req.Config), audit.PlatformFromConfig
	case t.Inference.Platform() != "":
		return t.Inference.Platform(), audit.PlatformFromInferred
	}
	return audit.DefaultPlatform, audit.PlatformFromDefault
}

func consolePlatform(c *audit.Console) string {
	if c == nil {
		return ""
	}
	return c.Platform
}

func configPlatform(c *config.Config) string {
	if c == nil {
		return ""
	}
	return c.Platform
}

func specName(s Spec) string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Snapshot != "":
		return filepath.Base(filepath.Clean(s.Snapshot))
	case s.Terraform != "":
		return filepath.Base(s.Terraform)
	case s.Okta != nil:
		return firstNonEmpty(s.Okta.AppID, s.Okta.AppLabel, "discover")
	}
	return "target"
}

func specSource(s Spec) audit.Source {
	switch {
	case s.Terraform != "":
		return audit.SourceTerraform
	case s.Okta != nil:
		return audit.SourceOkta
	}
	return audit.SourceSnapshot
}

func specOrigin(s Spec) string {
	switch {
	case s.Snapshot != "":
		return filepath.ToSlash(s.Snapshot)
	case s.Terraform != "":
		return filepath.ToSlash(s.Terraform)
	case s.Okta != nil:
		return s.Okta.OrgURL
	}
	return ""
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
