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

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ssoaudit/ssoaudit/audit"
)

// informationURI is where the tool lives: its module path.
const informationURI = "https://github.com/ssoaudit/ssoaudit"

// fingerprintKey names our partial fingerprint. Versioned, so a change to
// what it hashes can never be mistaken for the old one.
const fingerprintKey = "ssoauditFinding/v1"

// securitySeverity maps severities to GitHub's security-severity scores,
// which GitHub buckets as critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low.
var securitySeverity = map[audit.Severity]string{
	audit.Critical: "9.5",
	audit.High:     "8.0",
	audit.Medium:   "5.5",
	audit.Low:      "3.0",
	audit.Info:     "1.0",
}

// writeSARIF writes one SARIF 2.1.0 run for code-scanning dashboards.
//
// Only findings become results: fail, warn and error. Passes and skips are
// left out because GitHub turns every uploaded result into an alert, and
// leaving a rule out of the next upload is how an alert gets closed.
//
// Levels: a fail maps by severity (critical/high → error, medium → warning,
// low/info → note); a warn is at most a warning, as it is not broken yet; an
// error (could not evaluate) is a warning whatever the severity, since
// nothing wrong was observed, only that the rule could not look.
func writeSARIF(w io.Writer, rep *audit.Report, opts Options) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	driver := sarif.NewVersionedDriver(toolName(rep), rep.Tool.Version).WithInformationURI(informationURI)
	driver.Rules = sarifRules(rep, opts.Catalog)
	run := sarif.NewRun(*sarif.NewTool(driver))

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

	for _, t := range rep.Targets {
		for _, r := range t.Results {
			if !isFinding(r) {
				continue
			}
			run.AddResult(sarifResult(t, r))
		}
	}
	doc.AddRun(run)
	if err := doc.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
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

// sarifRules describes every rule: the catalog's, in catalog order, then any
// rule a result names that the catalog lacks (sorted), so that every result's
// ruleIndex points at a descriptor.
func sarifRules(rep *audit.Report, catalog []*audit.Rule) []*sarif.ReportingDescriptor {
	seen := map[string]bool{}
	var out []*sarif.ReportingDescriptor
	for _, r := range catalog {
		if r == nil || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, sarifRule(r))
	}
	var extra []*audit.Rule
	for _, t := range rep.Targets {
		for _, res := range t.Results {
			if seen[res.Rule] {
				continue
			}
			seen[res.Rule] = true
			// Results carry all of a rule's metadata but its rationale.
			extra = append(extra, &audit.Rule{ID: res.Rule, Title: res.Title, Severity: res.Severity, Remediation: res.Remediation, Reference: res.Reference})
		}
	}
	slices.SortFunc(extra, func(a, b *audit.Rule) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range extra {
		out = append(out, sarifRule(r))
	}
	if out == nil {
		out = []*sarif.ReportingDescriptor{}
	}
	return out
}

func sarifRule(r *audit.Rule) *sarif.ReportingDescriptor {
	title := r.Title
	if title == "" {
		title = r.ID
	}
	d := sarif.NewRule(r.ID).
		WithName(ruleName(r.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(title))
	if r.Rationale != "" {
		d.WithFullDescription(sarif.NewMultiformatMessageString(r.Rationale))
	}
	if text, md := ruleHelp(r); text != "" {
		d.WithTextHelp(text).WithMarkdownHelp(md)
	}
	if isWebURL(r.Reference) {
		d.WithHelpURI(r.Reference)
	}
	d.WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: sarifLevel(audit.StatusFail, r.Severity)})
	props := sarif.Properties{
		"tags":     ruleTags(r.ID),
		"severity": string(r.Severity),
	}
	if s, ok := securitySeverity[r.Severity]; ok {
		props["security-severity"] = s
	}
	d.WithProperties(props)
	return d
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

// sarifLevel maps a finding to a SARIF level (see writeSARIF).
func sarifLevel(st audit.Status, sev audit.Severity) string {
	switch st {
	case audit.StatusError:
		return "warning"
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

func sarifResult(t audit.TargetReport, r audit.Result) *sarif.Result {
	res := sarif.NewRuleResult(r.Rule).
		WithLevel(sarifLevel(r.Status, r.Severity)).
		WithMessage(sarif.NewTextMessage(sarifMessage(r))).
		WithPartialFingerPrints(map[string]interface{}{fingerprintKey: findingHash(t.Name, r.Rule)})
	loc := sarifLocation(t, r.Rule)
	res.AddLocation(loc)
	props := sarif.Properties{
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

func sarifMessage(r audit.Result) string {
	var b strings.Builder
	if r.Status == audit.StatusError {
		b.WriteString("Could not evaluate: ")
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

// sarifLocation points at the file the finding is about: the Druva console's
// druva.yaml for the console's own rules, else where the target came from.
// GitHub code scanning rejects results without a physical location, so one
// is always given.
func sarifLocation(t audit.TargetReport, rule string) *sarif.Location {
	uri := artifactURI(t)
	if strings.HasPrefix(rule, "druva.") && t.Console != "" {
		uri = pathURI(t.Console)
	}
	phys := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).
		WithRegion(sarif.NewRegion().WithStartLine(1))
	app := t.App.ID
	if app == "" {
		app = t.Name
	}
	logical := sarif.NewLogicalLocation().
		WithName(app).
		WithFullyQualifiedName(t.Name + "/" + app).
		WithKind("resource")
	return sarif.NewLocationWithPhysicalLocation(phys).WithLogicalLocations([]*sarif.LogicalLocation{logical})
}

// artifactURI turns a target's origin (a path or a URL) into a URI
// reference: URLs as they are, paths with forward slashes and escaping.
func artifactURI(t audit.TargetReport) string {
	origin := t.Origin
	if origin == "" {
		origin = t.Name
	}
	if origin == "" {
		origin = "ssoaudit"
	}
	if u, err := url.Parse(origin); err == nil && u.Scheme != "" && u.Host != "" {
		return origin
	}
	return pathURI(origin)
}

// pathURI turns a file path into a URI reference.
func pathURI(origin string) string {
	p := filepath.ToSlash(origin)
	if vol := filepath.VolumeName(origin); vol != "" {
		// A Windows drive path is only a URI as a file URL.
		return "file:///" + (&url.URL{Path: p}).EscapedPath()
	}
	return (&url.URL{Path: p}).EscapedPath()
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
