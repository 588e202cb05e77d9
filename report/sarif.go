package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ssoaudit/ssoaudit/audit"
)

// informationURI is where the tool lives: its module path.
const informationURI = "https://github.com/ssoaudit/ssoaudit"

// rulesHelpURI is the README's rule table, the help of every rule whose
// reference is not itself a web page.
const rulesHelpURI = informationURI + "#rules"

// fingerprintKey names our own full-length partial fingerprint. Versioned,
// so a change to what it hashes can never be mistaken for the old one.
// GitHub reads only primaryLocationLineHash (githubFingerprintKey).
const (
	fingerprintKey       = "ssoauditFinding/v1"
	githubFingerprintKey = "primaryLocationLineHash"
)

// incompleteRuleID is the rule of every result that could not be evaluated
// (status error). It is not a security rule: no security-severity, level
// note. Under the original rule, GitHub would raise "could not read
// okta/app.json" as a critical security alert, because it takes an
// alert's security severity from the rule, never from the result.
const incompleteRuleID = "ssoaudit.could-not-evaluate"

// securitySeverity maps severities to GitHub's security-severity scores,
// which GitHub buckets as critical > 9.0, high ≥ 7.0, medium ≥ 4.0, low ≥ 0.1.
var securitySeverity = map[audit.Severity]string{
	audit.Critical: "9.5",
	audit.High:     "8.0",
	audit.Medium:   "5.5",
	audit.Low:      "3.0",
	audit.Info:     "1.0",
}

// GitHub code scanning's limits on rule texts (SARIF support for code
// scanning, reportingDescriptor object).
const (
	maxRuleName        = 255
	maxRuleDescription = 1024
)

// writeSARIF writes one SARIF 2.1.0 run for code scanning, shaped by what
// GitHub documents it reads ("SARIF support for code scanning"):
//
//   - Only findings become results: fail, warn and error. GitHub turns every
//     uploaded result into an alert, and leaving a rule out of the next
//     upload is how an alert gets closed.
//   - Every result has one location relative to the repository root
//     (uriBaseId %SRCROOT%, see sarifPath): the file the finding is about,
//     or for a live target its entry in the config file.
//   - partialFingerprints.primaryLocationLineHash, the only fingerprint
//     GitHub uses, hashes the target's name and the rule, nothing that
//     changes between runs, so one finding stays one alert.
//   - A rule's properties.security-severity is its severity in this run
//     (after the config re-rated it): GitHub reads it from the rule, not
//     from the invocation's ruleConfigurationOverrides.
//   - A result that could not be evaluated is a note of the non-security
//     rule ssoaudit.could-not-evaluate plus a tool execution notification
//     naming the rule it is about, never an alert at that rule's severity.
//   - automationDetails.id is a category per config (or per target set), so
//     several scans of one commit upload side by side.
//
// Levels: a fail maps by severity (critical/high → error, medium → warning,
// low/info → note); a warn is at most a warning, as it is not broken yet.
func writeSARIF(w io.Writer, rep *audit.Report, opts Options) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	sw := newSARIFWriter(rep, opts)
	semver := semanticVersion(rep.Tool.Version)
	driver := sarif.NewVersionedDriver(toolName(rep), semver).WithInformationURI(informationURI)
	driver.SemanticVersion = &semver
	driver.Rules = sw.rules
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.OriginalUriBaseIDs = map[string]*sarif.ArtifactLocation{
		// No absolute uri: it would be this machine's checkout path, and
		// the report must not differ between checkouts. GitHub resolves
		// relative URIs against the repository it is uploaded to.
		srcRoot: {Description: sarif.NewTextMessage("The root of the repository the scan ran in: locations are relative to it.")},
	}
	category := sw.category()
	run.AutomationDetails = &sarif.RunAutomationDetails{ID: &category}

	ok := rep.ExitCode != audit.ExitIncomplete
	inv := run.AddInvocation(ok)
	code := rep.ExitCode
	inv.ExitCode = &code
	if !rep.GeneratedAt.IsZero() {
		end := rep.GeneratedAt.UTC()
		inv.EndTimeUTC = &end
	}

	if c := configText(rep); c != "" {
		// The config's changes to the catalog travel with the run: a
		// disabled rule leaves no result, and a dashboard must be able to
		// tell that from a rule that passed.
		props := sarif.Properties{"config": rep.Config, "configSummary": c}
		if len(rep.Overrides) > 0 {
			props["overrides"] = rep.Overrides
		}
		run.Properties = props
		inv.RuleConfigurationOverrides = sarifOverrides(rep, driver.Rules)
	}
	// Attested passes are not results (no pass is), but an auditor reading
	// the SARIF must see that a person, not the tool, vouched for them.
	if att := attestationList(rep); len(att) > 0 {
		if run.Properties == nil {
			run.Properties = sarif.Properties{}
		}
		run.Properties["attestations"] = att
	}
	if ps := sarifPlatforms(rep); len(ps) > 0 {
		// Which platform each target was judged against, and where that
		// came from: a finding about an ACS URL means nothing without it.
		if run.Properties == nil {
			run.Properties = sarif.Properties{}
		}
		run.Properties["platforms"] = ps
	}

	// A deployment's results are located like a target's console rules:
	// at the druva.yaml its targets were judged against.
	// Only findings are kept: a run's document grows with what needs
	// fixing, not with the targets that passed.
	section := func(t audit.TargetReport) {
		for _, r := range t.Results {
			if !isFinding(r) {
				continue
			}
			run.AddResult(sw.result(t, r))
			if r.Status == audit.StatusError {
				inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sw.notification(t, r))
			}
		}
	}
	for t := range rep.EachTarget() {
		section(t)
	}
	for d := range rep.EachDeployment() {
		section(deploymentAsTarget(d))
	}
	doc.AddRun(run)
	if err := doc.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// sarifWriter holds what every result of a run needs: the rule
// descriptors and their indexes, and what each rule reads.
type sarifWriter struct {
	rep   *audit.Report
	opts  Options
	rules []*sarif.ReportingDescriptor
	index map[string]uint
	locs  map[string]audit.Location
	// asGiven keeps a path outside the repository as given (see file).
	asGiven bool
}

func newSARIFWriter(rep *audit.Report, opts Options) *sarifWriter {
	sw := &sarifWriter{rep: rep, opts: opts, index: map[string]uint{}, locs: map[string]audit.Location{}}
	for _, r := range opts.Catalog {
		if r != nil {
			sw.locs[r.ID] = r.Location
		}
	}
	sw.rules = sarifRules(rep, opts.Catalog)
	for i, d := range sw.rules {
		sw.index[d.ID] = uint(i)
	}
	return sw
}

// category is automationDetails.id, "category/" with no run ID: GitHub
// keeps one analysis per category and tool, so two scans with different
// configs (or, without one, of different targets) do not replace each
// other's alerts, while the same scan run again does.
func (sw *sarifWriter) category() string {
	if sw.rep.Config != "" {
		cfg, ok := sarifPath(sw.opts, sw.rep.Config)
		if !ok {
			cfg = filepath.Base(sw.rep.Config)
		}
		return "ssoaudit/" + cfg + "/"
	}
	names := make([]string, 0, sw.rep.NumTargets())
	for t := range sw.rep.EachTarget() {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	id := strings.Join(names, ",")
	if len(id) > 100 {
		sum := sha256.Sum256([]byte(id))
		id = fmt.Sprintf("%d-targets-%x", len(names), sum[:6])
	}
	return "ssoaudit/" + id + "/"
}

// sarifOverrides states the config's changes the SARIF way, as the
// invocation's rule configuration overrides: a disabled rule is not
// enabled, a re-rated one has the level a fail of its new severity gets.
func sarifOverrides(rep *audit.Report, rules []*sarif.ReportingDescriptor) []*sarif.ConfigurationOverride {
	index := map[string]uint{}
	for i, d := range rules {
		index[d.ID] = uint(i)
	}
	var out []*sarif.ConfigurationOverride
	for _, o := range rep.Overrides {
		conf := &sarif.ReportingConfiguration{}
		switch {
		case o.Disabled:
			off := false
			conf.Enabled = &off
		case o.Severity != "":
			conf.Level = sarifLevel(audit.StatusFail, o.Severity)
			conf.Properties = sarif.Properties{"severity": string(o.Severity), "default_severity": string(o.DefaultSeverity)}
		default:
			continue
		}
		id := o.Rule
		ref := &sarif.ReportingDescriptorReference{Id: &id}
		if i, ok := index[o.Rule]; ok {
			ref.Index = &i
		}
		out = append(out, &sarif.ConfigurationOverride{Configuration: conf, Descriptor: ref})
	}
	return out
}

func toolName(rep *audit.Report) string {
	if rep.Tool.Name != "" {
		return rep.Tool.Name
	}
	return "ssoaudit"
}

// semanticVersion is the tool's version as SemVer 2.0 (audit.SemanticVersion).
// GitHub reads semanticVersion in preference to version to tell a tool
// change from a code change; both carry it, since the SARIF multitool warns
// (SARIF2005) on a version that does not start with a digit.
func semanticVersion(v string) string { return audit.SemanticVersion(v) }

// sarifRules describes every rule: the catalog's, in catalog order, then any
// rule a result names that the catalog lacks (sorted), so that every result's
// ruleIndex points at a descriptor, and last the could-not-evaluate rule.
// Each has the severity it has in this run.
func sarifRules(rep *audit.Report, catalog []*audit.Rule) []*sarif.ReportingDescriptor {
	effective := map[string]audit.Severity{}
	for _, o := range rep.Overrides {
		if o.Severity != "" {
			effective[o.Rule] = o.Severity
		}
	}
	seen := map[string]bool{incompleteRuleID: true}
	var out []*sarif.ReportingDescriptor
	for _, r := range catalog {
		if r == nil || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, sarifRule(r, effective[r.ID]))
	}
	var extra []*audit.Rule
	for res := range rep.Results() {
		if seen[res.Rule] {
			continue
		}
		seen[res.Rule] = true
		// Results carry all of a rule's metadata but its rationale, and
		// their severity is already the effective one.
		def := res.DefaultSeverity
		if def == "" {
			def = res.Severity
		}
		extra = append(extra, &audit.Rule{ID: res.Rule, Title: res.Title, Severity: def, Remediation: res.Remediation, Reference: res.Reference})
		if res.Severity != def {
			effective[res.Rule] = res.Severity
		}
	}
	slices.SortFunc(extra, func(a, b *audit.Rule) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range extra {
		out = append(out, sarifRule(r, effective[r.ID]))
	}
	return append(out, incompleteRule())
}

// sarifRule describes one rule at severity sev ("" = its default).
func sarifRule(r *audit.Rule, sev audit.Severity) *sarif.ReportingDescriptor {
	if sev == "" {
		sev = r.Severity
	}
	title := r.Title
	if title == "" {
		title = r.ID
	}
	full := r.Rationale
	if full == "" {
		full = title
	}
	d := sarif.NewRule(r.ID).
		WithName(truncateRunes(ruleName(r.ID), maxRuleName)).
		WithShortDescription(sarif.NewMultiformatMessageString(truncateRunes(title, maxRuleDescription))).
		WithFullDescription(sarif.NewMultiformatMessageString(truncateRunes(full, maxRuleDescription)))
	text, md := ruleHelp(r)
	if text == "" {
		text, md = title, title
	}
	d.WithTextHelp(text).WithMarkdownHelp(md)
	help := rulesHelpURI
	if isWebURL(r.Reference) && strings.HasPrefix(r.Reference, "https://") {
		// A plain http page is left out: code scanning links it from
		// every alert, and the README's rule table is served over https.
		help = r.Reference
	}
	d.WithHelpURI(help)
	// The rule as this run judged it: GitHub reads the level and the
	// security severity from here, whatever the invocation's overrides say.
	d.WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: sarifLevel(audit.StatusFail, sev)})
	props := sarif.Properties{
		"tags":     append(ruleTags(r.ID), controlTags(r.Controls)...),
		"severity": string(sev),
	}
	if sev != r.Severity {
		props["default_severity"] = string(r.Severity)
	}
	if s, ok := securitySeverity[sev]; ok {
		props["security-severity"] = s
	}
	d.WithProperties(props)
	return d
}

// incompleteRule is the descriptor of ssoaudit.could-not-evaluate.
func incompleteRule() *sarif.ReportingDescriptor {
	const why = "A rule could not read the data it judges (missing, unreadable or refused), so nothing is known about what it checks. " +
		"This is not a finding about the set-up: the scan is incomplete (exit code 3) until the data can be read."
	return sarif.NewRule(incompleteRuleID).
		WithName("CouldNotEvaluate").
		WithShortDescription(sarif.NewMultiformatMessageString("A rule could not be evaluated")).
		WithFullDescription(sarif.NewMultiformatMessageString(why)).
		WithTextHelp(why + "\n\nHow to fix: make the data the message names readable, then scan again.").
		WithMarkdownHelp(why + "\n\n**How to fix:** make the data the message names readable, then scan again.").
		WithHelpURI(informationURI + "#exit-codes").
		WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: "note"}).
		WithProperties(sarif.Properties{"tags": []string{"sso", "incomplete"}, "problem.severity": "recommendation"})
}

// truncateRunes cuts s to at most max runes, marking the cut.
func truncateRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max-1]) + "…"
}

// ruleHelp is the rule's help in text and Markdown: why, how to fix, where
// the requirement comes from.
func ruleHelp(r *audit.Rule) (text, md string) {
	var t, m []string
	if r.Rationale != "" {
		t = append(t, "Why it matters: "+r.Rationale)
		m = append(m, "**Why it matters**\n\n"+r.Rationale)
	}
	if r.Remediation != "" {
		t = append(t, "How to fix: "+r.Remediation)
		m = append(m, "**How to fix**\n\n"+r.Remediation)
	}
	if r.Reference != "" {
		t = append(t, "Reference: "+r.Reference)
		m = append(m, "**Reference:** "+r.Reference)
	}
	if len(r.Needs) > 0 {
		t = append(t, "Reads: "+inputsText(r))
		m = append(m, "**Reads:** `"+strings.ReplaceAll(inputsText(r), ", ", "`, `")+"`")
	}
	return strings.Join(t, "\n\n"), strings.Join(m, "\n\n")
}

// ruleName turns "okta.saml.response-signed" into "OktaSamlResponseSigned":
// SARIF wants an identifier-like name distinct from the opaque ID.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ruleTags lets dashboards filter by which side a rule looks at.
func ruleTags(id string) []string {
	tags := []string{"security", "sso", "saml"}
	if area, _, ok := strings.Cut(id, "."); ok && area != "" {
		tags = append(tags, area)
	}
	return tags
}

// isWebURL accepts only a bare URL: references are often prose that merely
// mentions one ("https://… (step 3)"), which is not a usable helpUri.
func isWebURL(s string) bool {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// sarifLevel maps a finding to a SARIF level (see writeSARIF). An error
// (could not evaluate) is a note: nothing wrong was observed, only that the
// rule could not look, and the gate's exit code 3 already says so.
func sarifLevel(st audit.Status, sev audit.Severity) string {
	switch st {
	case audit.StatusError:
		return "note"
	case audit.StatusWarn:
		if sev.AtLeast(audit.Medium) {
			return "warning"
		}
		return "note"
	}
	switch {
	case sev.AtLeast(audit.High):
		return "error"
	case sev == audit.Medium:
		return "warning"
	}
	return "note"
}

// result is one finding as a SARIF result.
func (sw *sarifWriter) result(t audit.TargetReport, r audit.Result) *sarif.Result {
	ruleID := r.Rule
	kind := "finding"
	if r.Status == audit.StatusError {
		ruleID, kind = incompleteRuleID, "could-not-evaluate"
	}
	res := sarif.NewRuleResult(ruleID).
		WithLevel(sarifLevel(r.Status, r.Severity)).
		WithMessage(sarif.NewTextMessage(sarifMessage(r))).
		WithPartialFingerPrints(map[string]interface{}{
			githubFingerprintKey: lineHash(kind, t.Name, r.Rule),
			fingerprintKey:       findingHash(t.Name, r.Rule),
		})
	if i, ok := sw.index[ruleID]; ok {
		res.RuleIndex = &i
	}
	loc := sw.location(t, r)
	res.AddLocation(loc)
	props := sarif.Properties{
		"rule":     r.Rule,
		"status":   string(r.Status),
		"severity": string(r.Severity),
		"target":   t.Name,
		"evidence": r.Evidence,
	}
	if r.DefaultSeverity != "" {
		props["default_severity"] = string(r.DefaultSeverity)
	}
	if r.Suppression != nil {
		props["suppression"] = r.Suppression
	}
	res.Properties = props
	if r.Suppressed {
		// go-sarif writes status, guid and location as null when unset,
		// which the SARIF schema rejects, so all three are filled in.
		s := sarif.NewSuppression("external").
			WithStatus("accepted").
			WithGuid(findingGUID(t.Name, r.Rule)).
			WithLocation(loc)
		if r.Suppression != nil && r.Suppression.Reason != "" {
			s.WithJustifcation(r.Suppression.Reason)
		} else {
			s.WithJustifcation("suppressed in the ssoaudit configuration")
		}
		res.AddSuppression(s)
	}
	return res
}

// notification records, for the tool's own status, that a rule could not
// be evaluated on a target: the rule it is about, why, where.
func (sw *sarifWriter) notification(t audit.TargetReport, r audit.Result) *sarif.Notification {
	id := r.Rule
	ref := &sarif.ReportingDescriptorReference{Id: &id}
	if i, ok := sw.index[r.Rule]; ok {
		ref.Index = &i
	}
	n := sarif.NewNotification()
	n.Level = "error"
	n.AssociatedRule = ref
	n.Message = sarif.NewTextMessage(fmt.Sprintf("%s could not be evaluated on %s: %s", r.Rule, t.Name, r.Message))
	n.Locations = []*sarif.Location{sw.location(t, r)}
	return n
}

func sarifMessage(r audit.Result) string {
	var b strings.Builder
	if r.Status == audit.StatusError {
		fmt.Fprintf(&b, "Could not evaluate %s: ", r.Rule)
	}
	b.WriteString(r.Message)
	if r.Remediation != "" {
		b.WriteString("\n\nHow to fix: ")
		b.WriteString(r.Remediation)
	}
	if r.Suppression != nil && r.Suppression.Expired {
		b.WriteString("\n\n")
		b.WriteString(suppressionText(r))
	}
	return b.String()
}

// lineHash is primaryLocationLineHash: GitHub's shape ("hex:occurrence")
// over the finding's identity across runs — what kind of result, which
// target, which rule — and nothing that moves between runs (paths, lines,
// messages, evidence).
func lineHash(kind, target, rule string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + target + "\x00" + rule))
	return hex.EncodeToString(sum[:8]) + ":1"
}

// findingHash identifies a finding across runs (target + rule), so GitHub
// keeps one alert per finding rather than opening a new one per scan.
func findingHash(target, rule string) string {
	sum := sha256.Sum256([]byte(target + "\x00" + rule))
	return hex.EncodeToString(sum[:])
}

// findingGUID is a stable RFC 4122 (version 5 style) GUID for a finding.
func findingGUID(target, rule string) string {
	sum := sha256.Sum256([]byte("ssoaudit-suppression\x00" + target + "\x00" + rule))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// sarifPlatform is one target's (or deployment's) platform in the run's
// properties.
type sarifPlatform struct {
	Target     string           `json:"target,omitempty"`
	Deployment string           `json:"deployment,omitempty"`
	Platform   string           `json:"platform"`
	Source     string           `json:"platform_source,omitempty"`
	Inference  *audit.Inference `json:"platform_inference,omitempty"`
}

// sarifPlatforms lists each target's platform and where it came from, then
// each deployment's (docs/platforms.md, A deployment's platform).
func sarifPlatforms(rep *audit.Report) []sarifPlatform {
	var out []sarifPlatform
	for t := range rep.EachTarget() {
		out = append(out, sarifPlatform{Target: t.Name, Platform: t.Platform, Source: t.PlatformSource, Inference: t.PlatformInference})
	}
	for d := range rep.EachDeployment() {
		out = append(out, sarifPlatform{Deployment: d.Name, Platform: d.Platform, Source: d.PlatformSource})
	}
	return out
}
