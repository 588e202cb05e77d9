package report

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// sarifRun is the part of a run the GitHub-facing tests read.
type sarifRun struct {
	Tool struct {
		Driver struct {
			SemanticVersion string `json:"semanticVersion"`
			Rules           []struct {
				ID                   string                 `json:"id"`
				HelpURI              string                 `json:"helpUri"`
				DefaultConfiguration struct{ Level string } `json:"defaultConfiguration"`
				Properties           map[string]any         `json:"properties"`
			} `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	AutomationDetails struct{ ID string } `json:"automationDetails"`
	Invocations       []struct {
		ExecutionSuccessful        bool `json:"executionSuccessful"`
		ToolExecutionNotifications []struct {
			Level          string
			AssociatedRule struct{ ID string } `json:"associatedRule"`
		} `json:"toolExecutionNotifications"`
	} `json:"invocations"`
	Results []struct {
		RuleID    string `json:"ruleId"`
		Level     string `json:"level"`
		Locations []struct {
			PhysicalLocation struct {
				ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
				Region           struct{ StartLine int }
			} `json:"physicalLocation"`
		} `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          map[string]any    `json:"properties"`
	} `json:"results"`
}

func sarifRunOf(t *testing.T, rep *audit.Report, opts Options) sarifRun {
	t.Helper()
	var doc struct{ Runs []sarifRun }
	if err := json.Unmarshal(renderReport(t, rep, "sarif", opts), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF: %v (%d runs)", err, len(doc.Runs))
	}
	return doc.Runs[0]
}

// TestSARIFLocationsRepositoryRelative: every finding is located at a file
// relative to the repository root, whichever directory the scan ran from,
// and a live target at its config entry.
func TestSARIFLocationsRepositoryRelative(t *testing.T) {
	root := filepath.FromSlash("/repo")
	fail := func(rule string) audit.Result { return res(rule, audit.StatusFail, "m", nil) }
	cases := []struct {
		name     string
		target   audit.TargetReport
		config   string
		workDir  string
		rule     string
		wantURI  string
		wantLine int
	}{
		{"snapshot: the file the rule reads", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: "evidence/current"},
			"", root, "okta.cert.strength", "evidence/current/okta/keys.json", 1},
		{"snapshot: app.json for an app rule", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: "evidence/current"},
			"", root, "okta.saml.acs-url", "evidence/current/okta/app.json", 1},
		{"snapshot whose origin is its okta/app.json", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: "evidence/current/okta/app.json"},
			"", root, "okta.cert.strength", "evidence/current/okta/keys.json", 1},
		{"console rule: druva.yaml", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: "evidence/current", Console: "druva/druva.yaml"},
			"", root, "druva.admin.failsafe", "druva/druva.yaml", 1},
		{"terraform run from terraform/okta", audit.TargetReport{Name: "okta_app_saml.druva", Source: "terraform", Origin: "plan.json", Console: "../../druva/druva.yaml"},
			"", filepath.Join(root, "terraform", "okta"), "okta.saml.acs-url", "terraform/okta/plan.json", 1},
		{"terraform's console from terraform/okta", audit.TargetReport{Name: "okta_app_saml.druva", Source: "terraform", Origin: "plan.json", Console: "../../druva/druva.yaml"},
			"", filepath.Join(root, "terraform", "okta"), "druva.profile.sso", "druva/druva.yaml", 1},
		{"absolute path inside the repository", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: filepath.Join(root, "evidence", "prod")},
			"", root, "okta.saml.acs-url", "evidence/prod/okta/app.json", 1},
		{"outside the repository: stable virtual path", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: filepath.FromSlash("/tmp/evidence-123456")},
			"", root, "okta.saml.acs-url", "external/prod/okta/app.json", 1},
		{"live from the config: the entry's line", audit.TargetReport{Name: "prod", Source: "okta", Origin: "https://acme.okta.com", ConfigLine: 12, App: audit.AppRef{ID: "0oa1"}},
			".ssoaudit.yaml", root, "okta.saml.acs-url", ".ssoaudit.yaml", 12},
		{"live without a config", audit.TargetReport{Name: "0oa1", Source: "okta", Origin: "https://acme.okta.com", App: audit.AppRef{ID: "0oa1"}},
			"", root, "okta.saml.acs-url", "okta/acme.okta.com/0oa1", 1},
		{"path needing escapes", audit.TargetReport{Name: "prod", Source: "snapshot", Origin: "snap dir/a#b"},
			"", root, "okta.saml.acs-url", "snap%20dir/a%23b/okta/app.json", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := c.target
			tr.Results = []audit.Result{fail(c.rule)}
			rep := &audit.Report{Schema: audit.Schema, Tool: audit.Tool{Name: "ssoaudit", Version: "1.0.0"}, Targets: []audit.TargetReport{tr}, Config: c.config}
			run := sarifRunOf(t, rep, Options{Catalog: testCatalog(), WorkDir: c.workDir, SourceRoot: root})
			loc := run.Results[0].Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URI != c.wantURI || loc.Region.StartLine != c.wantLine || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
				t.Errorf("located at %s:%d (base %s), want %s:%d (base %%SRCROOT%%)", loc.ArtifactLocation.URI, loc.Region.StartLine, loc.ArtifactLocation.URIBaseID, c.wantURI, c.wantLine)
			}
		})
	}
}

// TestSARIFStableAcrossRuns: the same set-up scanned again — another day,
// another checkout directory, a snapshot directory named after the CI run —
// gives the same fingerprints, so GitHub keeps the same alerts open.
func TestSARIFStableAcrossRuns(t *testing.T) {
	fingerprints := func(day int, origin, root string) map[string]string {
		rep := testReport()
		rep.GeneratedAt = time.Date(2026, 11, day, 5, 23, 0, 0, time.UTC)
		rep.Targets[0].Origin = origin
		run := sarifRunOf(t, rep, Options{Catalog: testCatalog(), WorkDir: root, SourceRoot: root})
		out := map[string]string{}
		for _, r := range run.Results {
			key := r.RuleID + " " + r.Properties["target"].(string) + " " + r.Properties["rule"].(string)
			out[key] = r.PartialFingerprints["primaryLocationLineHash"]
		}
		return out
	}
	a := fingerprints(27, "evidence-7001", filepath.FromSlash("/home/runner/work/a/a"))
	b := fingerprints(28, "evidence-7002", filepath.FromSlash("/srv/ci/b"))
	if len(a) != 10 || len(a) != len(b) {
		t.Fatalf("results %d and %d, want 10", len(a), len(b))
	}
	seen := map[string]bool{}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s: fingerprint %s, then %s", k, v, b[k])
		}
		if seen[v] {
			t.Errorf("%s: fingerprint %s shared with another finding", k, v)
		}
		seen[v] = true
	}
}

// TestSARIFEffectiveSeverity: a rule the config re-rated carries its new
// severity where GitHub reads it, the rule's security-severity.
func TestSARIFEffectiveSeverity(t *testing.T) {
	want := map[string]struct{ score, level, def string }{
		"okta.cert.strength":          {"1.0", "note", "medium"}, // medium → info
		"druva.profile.sso":           {"3.0", "note", "medium"}, // medium → low
		"okta.saml.acs-url":           {"8.0", "error", ""},      // not re-rated
		"okta.cert.validity":          {"9.5", "error", ""},      // not re-rated
		"okta.saml.sha256":            {"5.5", "warning", ""},    // not re-rated
		incompleteRuleID:              {"", "note", ""},          // not a security rule
		"okta.saml.audience":          {"8.0", "error", ""},      // disabled, not re-rated
		"okta.users.username-current": {"8.0", "error", ""},      // not re-rated
	}
	check := func(run sarifRun, want map[string]struct{ score, level, def string }) {
		t.Helper()
		for _, r := range run.Tool.Driver.Rules {
			w, ok := want[r.ID]
			if !ok {
				continue
			}
			score, _ := r.Properties["security-severity"].(string)
			def, _ := r.Properties["default_severity"].(string)
			if score != w.score || r.DefaultConfiguration.Level != w.level || def != w.def {
				t.Errorf("rule %s: security-severity %q level %q default_severity %q, want %q %q %q", r.ID, score, r.DefaultConfiguration.Level, def, w.score, w.level, w.def)
			}
			delete(want, r.ID)
		}
		for id := range want {
			t.Errorf("rule %s not described", id)
		}
	}
	check(sarifRunOf(t, testReport(), Options{Catalog: testCatalog()}), want)
	// Without the catalog, rules are described from results: the same.
	check(sarifRunOf(t, testReport(), Options{}), map[string]struct{ score, level, def string }{
		"okta.cert.strength": {"1.0", "note", "medium"},
		"druva.profile.sso":  {"3.0", "note", "medium"},
	})
	// incompleteReport re-rates the critical okta.saml.response-signed to info.
	check(sarifRunOf(t, incompleteReport(), Options{Catalog: testCatalog()}), map[string]struct{ score, level, def string }{
		"okta.saml.response-signed": {"1.0", "note", "critical"},
	})
}

// TestSARIFCouldNotEvaluate: results whose data could not be read are notes
// of the non-security rule, and tool execution notifications name the
// rules they are about; none is an alert at its rule's severity.
func TestSARIFCouldNotEvaluate(t *testing.T) {
	rep := incompleteReport()
	errs := map[string]bool{}
	for _, r := range rep.Targets[0].Results {
		if r.Status == audit.StatusError {
			errs[r.Rule] = true
		}
	}
	if len(errs) < 5 {
		t.Fatalf("fixture has %d errors", len(errs))
	}
	run := sarifRunOf(t, rep, Options{Catalog: testCatalog()})
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful true for an incomplete run")
	}
	notified := map[string]bool{}
	for _, n := range inv.ToolExecutionNotifications {
		if n.Level != "error" {
			t.Errorf("notification for %s at level %q", n.AssociatedRule.ID, n.Level)
		}
		notified[n.AssociatedRule.ID] = true
	}
	for _, r := range run.Results {
		rule, _ := r.Properties["rule"].(string)
		if r.Properties["status"] != "error" {
			continue
		}
		if r.RuleID != incompleteRuleID || r.Level != "note" {
			t.Errorf("%s could not be evaluated, but is a result of %s at level %s", rule, r.RuleID, r.Level)
		}
		if !notified[rule] {
			t.Errorf("%s: no tool execution notification", rule)
		}
		delete(errs, rule)
	}
	for rule := range errs {
		t.Errorf("%s: error result missing", rule)
	}
	// A live target declared in the config is located at its entry.
	loc := run.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "ci/ssoaudit.yaml" || loc.Region.StartLine != 7 {
		t.Errorf("live config target located at %s:%d, want ci/ssoaudit.yaml:7", loc.ArtifactLocation.URI, loc.Region.StartLine)
	}
}

func TestSARIFRunIdentity(t *testing.T) {
	run := sarifRunOf(t, testReport(), Options{Catalog: testCatalog()})
	if run.AutomationDetails.ID != "ssoaudit/.ssoaudit.yaml/" {
		t.Errorf("automationDetails.id %q, want the config's category", run.AutomationDetails.ID)
	}
	rep := testReport()
	rep.Config, rep.Overrides = "", nil
	if got := sarifRunOf(t, rep, Options{}).AutomationDetails.ID; got != "ssoaudit/acme-dev,acme-prod/" {
		t.Errorf("automationDetails.id %q without a config, want the targets' category", got)
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.HelpURI == "" {
			t.Errorf("rule %s has no helpUri", r.ID)
		}
	}
	for in, want := range map[string]string{
		"1.2.3": "1.2.3", "v1.4.0": "1.4.0", "v0.0.0-20261202130000-abcdef123456": "0.0.0-20261202130000-abcdef123456",
		"dev": "0.0.0-dev", "(devel)": "0.0.0-devel", "1.2": "0.0.0-v1-2", "": "0.0.0-unknown",
	} {
		if got := semanticVersion(in); got != want || !audit.IsSemVer(got) {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
