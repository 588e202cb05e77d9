package consumer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SARIF checks a SARIF log against the OASIS SARIF 2.1.0 JSON schema and
// GitHub code scanning's documented upload rules (GitHubProblems).
func SARIF(tb testing.TB, data []byte) {
	tb.Helper()
	SARIFSchemaValid(tb, data)
	if problems := GitHubProblems(data); len(problems) > 0 {
		tb.Fatalf("GitHub code scanning would refuse or mishandle this SARIF:\n  %s\n--- report ---\n%s", strings.Join(problems, "\n  "), data)
	}
	Counts.add(GitHubSARIF)
}

var sarifSchema struct {
	once sync.Once
	sch  *jsonschema.Schema
	err  error
}

// SARIFSchemaValid validates data against testdata/ref/sarif-schema-2.1.0.json
// (draft-04, errata 01), with format assertions on. The schema is compiled
// once per test process and never fetched: its references are internal.
func SARIFSchemaValid(tb testing.TB, data []byte) {
	tb.Helper()
	path := Ref(tb, "sarif-schema-2.1.0.json")
	sarifSchema.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			sarifSchema.err = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			sarifSchema.err = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		c.AssertFormat()
		const loc = "file:///sarif-schema-2.1.0.json"
		if err := c.AddResource(loc, doc); err != nil {
			sarifSchema.err = err
			return
		}
		sarifSchema.sch, sarifSchema.err = c.Compile(loc)
	})
	if sarifSchema.err != nil {
		tb.Fatalf("SARIF schema %s: %v", path, sarifSchema.err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sarifSchema.sch.Validate(inst); err != nil {
		tb.Fatalf("SARIF fails the OASIS 2.1.0 schema: %v\n--- report ---\n%s", err, data)
	}
	Counts.add(SARIFSchema)
}

// githubLog is the part of a SARIF log GitHub code scanning reads.
type githubLog struct {
	Schema  *string `json:"$schema"`
	Version string  `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string         `json:"name"`
				Version         *string        `json:"version"`
				SemanticVersion *string        `json:"semanticVersion"`
				Rules           []githubRule   `json:"rules"`
				Properties      map[string]any `json:"properties"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails *struct {
			ID *string `json:"id"`
		} `json:"automationDetails"`
		Results []githubResult `json:"results"`
	} `json:"runs"`
}

type githubRule struct {
	ID                   string  `json:"id"`
	Name                 *string `json:"name"`
	ShortDescription     *struct{ Text string }
	FullDescription      *struct{ Text string }
	Help                 *struct{ Text string }
	HelpURI              *string `json:"helpUri"`
	DefaultConfiguration *struct {
		Level *string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type githubResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     *string
	Message   struct{ Text string }
	Locations []struct {
		PhysicalLocation *struct {
			ArtifactLocation *struct {
				URI       string  `json:"uri"`
				URIBaseID *string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine *int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

// semver is Semantic Versioning 2.0.0's own regular expression.
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// GitHubProblems lists what GitHub code scanning would refuse or mishandle
// in a SARIF log, by the rules of its "SARIF support for code scanning"
// page (docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
// and the limits it links to:
//
//   - $schema, version 2.1.0, 1–20 runs; each run's tool.driver has a
//     name, a SemVer 2.0 semanticVersion (read instead of version) and at
//     most 25,000 rules; at most 25,000 results.
//   - each rule: a unique id, a name of at most 255 characters, a
//     shortDescription.text and fullDescription.text of 1–1,024
//     characters, help.text, a helpUri, defaultConfiguration.level one of
//     note, warning, error, at most 20 tags, and security-severity, when
//     present, a string scoring above 0.0 up to 10.0.
//   - each result: a ruleId (and ruleIndex, when given, pointing at that
//     rule), message.text, 1–10 locations whose first has a
//     physicalLocation with an artifactLocation.uri relative to the
//     repository root (no scheme, no leading /, no ..) with uriBaseId
//     %SRCROOT%, and region.startLine; partialFingerprints with
//     primaryLocationLineHash, the only fingerprint GitHub uses, unique per
//     rule so two findings are never merged into one alert.
//   - automationDetails.id set, so uploads of different scans of one
//     commit are told apart.
//
// ssoaudit's own rule for GitHub: a result that could not be evaluated
// (properties.status "error") is never a security result, since GitHub
// would raise it at the security severity of its rule.
func GitHubProblems(data []byte) []string {
	var log githubLog
	if err := json.Unmarshal(data, &log); err != nil {
		return []string{fmt.Sprintf("not a SARIF log: %v", err)}
	}
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if log.Schema == nil || *log.Schema == "" {
		add("$schema is required")
	}
	if log.Version != "2.1.0" {
		add("version %q: code scanning supports only 2.1.0", log.Version)
	}
	if n := len(log.Runs); n < 1 || n > 20 {
		add("%d runs: a file must have 1 to 20", n)
	}
	for ri, run := range log.Runs {
		d := run.Tool.Driver
		if d.Name == "" {
			add("run %d: tool.driver.name is required", ri)
		}
		if d.SemanticVersion == nil || !semver.MatchString(*d.SemanticVersion) {
			add("run %d: tool.driver.semanticVersion %v is not SemVer 2.0", ri, deref(d.SemanticVersion))
		}
		// The SARIF multitool's SARIF2005: a version that does not start
		// with a digit cannot be compared (a warning GitHub's ingestion
		// rules keep).
		if d.Version != nil && (*d.Version == "" || (*d.Version)[0] < '0' || (*d.Version)[0] > '9') {
			add("run %d: tool.driver.version %q does not start with a digit (SARIF2005)", ri, *d.Version)
		}
		if run.AutomationDetails == nil || run.AutomationDetails.ID == nil || *run.AutomationDetails.ID == "" {
			add("run %d: automationDetails.id is not set", ri)
		}
		if len(d.Rules) > 25000 || len(run.Results) > 25000 {
			add("run %d: %d rules, %d results: at most 25,000 each", ri, len(d.Rules), len(run.Results))
		}
		rules := map[string]githubRule{}
		for _, r := range d.Rules {
			checkRule(r, rules, add)
			rules[r.ID] = r
		}
		seen := map[string]bool{}
		for i, res := range run.Results {
			checkResult(fmt.Sprintf("run %d result %d (%s)", ri, i, res.RuleID), res, d.Rules, rules, seen, add)
		}
	}
	return p
}

func checkRule(r githubRule, seen map[string]githubRule, add func(string, ...any)) {
	where := fmt.Sprintf("rule %q", r.ID)
	if r.ID == "" {
		add("a rule has no id")
	}
	if _, dup := seen[r.ID]; dup {
		add("%s: id used twice", where)
	}
	if r.Name != nil && utf8.RuneCountInString(*r.Name) > 255 {
		add("%s: name longer than 255 characters", where)
	}
	for _, f := range []struct {
		name string
		text *struct{ Text string }
	}{{"shortDescription", r.ShortDescription}, {"fullDescription", r.FullDescription}} {
		switch {
		case f.text == nil || f.text.Text == "":
			add("%s: %s.text is required", where, f.name)
		case utf8.RuneCountInString(f.text.Text) > 1024:
			add("%s: %s.text longer than 1,024 characters", where, f.name)
		}
	}
	if r.Help == nil || r.Help.Text == "" {
		add("%s: help.text is required", where)
	}
	if r.HelpURI == nil {
		add("%s: no helpUri", where)
	} else if u, err := url.Parse(*r.HelpURI); err != nil || u.Scheme != "https" || u.Host == "" {
		add("%s: helpUri %q is not an https URL", where, *r.HelpURI)
	}
	if c := r.DefaultConfiguration; c != nil && c.Level != nil && !oneOf(*c.Level, "note", "warning", "error") {
		add("%s: defaultConfiguration.level %q is not note, warning or error", where, *c.Level)
	}
	if raw, ok := r.Properties["tags"]; ok {
		var tags []string
		if err := json.Unmarshal(raw, &tags); err != nil || len(tags) > 20 {
			add("%s: properties.tags must be at most 20 strings", where)
		}
	}
	if raw, ok := r.Properties["security-severity"]; ok {
		if _, ok := securityScore(raw); !ok {
			add("%s: security-severity %s is not a string scoring above 0.0 up to 10.0", where, raw)
		}
	}
}

// securityScore reads a security-severity as GitHub does: a string holding
// a number above 0.0 up to 10.0.
func securityScore(raw json.RawMessage) (float64, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 10 {
		return 0, false
	}
	return f, true
}

// bucket is how GitHub names a security-severity score: over 9.0
// critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low.
func bucket(score float64) string {
	switch {
	case score >= 9.0:
		return "critical"
	case score >= 7.0:
		return "high"
	case score >= 4.0:
		return "medium"
	}
	return "low"
}

// githubBucket is the bucket a severity of ssoaudit's must land in (GitHub
// has no "info": it is low).
func githubBucket(sev string) string {
	if sev == "info" {
		return "low"
	}
	return sev
}

func checkResult(where string, res githubResult, list []githubRule, rules map[string]githubRule, seen map[string]bool, add func(string, ...any)) {
	rule, ok := rules[res.RuleID]
	if res.RuleID == "" || !ok {
		add("%s: ruleId names no rule of the driver", where)
	}
	if res.RuleIndex != nil && (*res.RuleIndex < 0 || *res.RuleIndex >= len(list) || list[*res.RuleIndex].ID != res.RuleID) {
		add("%s: ruleIndex %d does not point at rule %q", where, *res.RuleIndex, res.RuleID)
	}
	if res.Level != nil && !oneOf(*res.Level, "none", "note", "warning", "error") {
		add("%s: level %q", where, *res.Level)
	}
	if res.Message.Text == "" {
		add("%s: message.text is required", where)
	}
	if n := len(res.Locations); n < 1 || n > 10 {
		add("%s: %d locations: GitHub shows a result only with 1 to 10", where, n)
	} else if pl := res.Locations[0].PhysicalLocation; pl == nil || pl.ArtifactLocation == nil {
		add("%s: locations[0] has no physicalLocation.artifactLocation", where)
	} else {
		checkURI(where, pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, add)
		if pl.Region == nil || pl.Region.StartLine == nil || *pl.Region.StartLine < 1 {
			add("%s: locations[0] has no region.startLine", where)
		}
	}
	fp := res.PartialFingerprints["primaryLocationLineHash"]
	if fp == "" {
		add("%s: partialFingerprints.primaryLocationLineHash is required (GitHub uses no other)", where)
	} else if key := res.RuleID + "\x00" + fp; seen[key] {
		add("%s: primaryLocationLineHash %s repeats within rule %s: GitHub would merge the two into one alert", where, fp, res.RuleID)
	} else {
		seen[key] = true
	}
	// ssoaudit's results state their effective severity: the rule's
	// security-severity, which GitHub shows, must fall in its bucket.
	if sev, ok := res.Properties["severity"].(string); ok && res.Properties["status"] != "error" {
		if raw, ok := rule.Properties["security-severity"]; ok {
			if score, ok := securityScore(raw); ok && bucket(score) != githubBucket(sev) {
				add("%s: severity %s, but rule %s's security-severity %s is GitHub's %s", where, sev, res.RuleID, raw, bucket(score))
			}
		}
	}
	if res.Properties["status"] == "error" {
		if _, security := rule.Properties["security-severity"]; security {
			add("%s: a result that could not be evaluated belongs to a security rule (%s): GitHub would raise it at that rule's security severity", where, res.RuleID)
		}
	}
}

// checkURI requires a path relative to the repository root, as GitHub
// matches it against the checked-out files.
func checkURI(where, uri string, base *string, add func(string, ...any)) {
	u, err := url.Parse(uri)
	switch {
	case uri == "":
		add("%s: artifactLocation.uri is empty", where)
	case err != nil:
		add("%s: artifactLocation.uri %q is not a URI reference: %v", where, uri, err)
	case u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/"):
		add("%s: artifactLocation.uri %q is not relative to the repository root", where, uri)
	case u.Path == ".." || strings.HasPrefix(u.Path, "../") || strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/.."):
		add("%s: artifactLocation.uri %q leaves the repository", where, uri)
	}
	if base == nil || *base != "%SRCROOT%" {
		add("%s: artifactLocation.uriBaseId %v, want %%SRCROOT%% (the repository root)", where, deref(base))
	}
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return "(absent)"
	}
	return strconv.Quote(*s)
}
