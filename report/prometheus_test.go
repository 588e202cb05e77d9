package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
)

// TestPrometheusSeries checks docs/reports.md (Metrics) on the parsed metrics of
// a report with every status, a suppressed result, two targets and
// certificates on one of them only.
func TestPrometheusSeries(t *testing.T) {
	rep := testReport()
	okta := time.Date(2036, 1, 15, 0, 0, 0, 0, time.UTC)
	druva := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	rep.Targets[0].Certificates = []audit.CertExpiry{{Side: audit.SideOkta, NotAfter: okta}, {Side: audit.SideDruva, NotAfter: druva}}
	fams := consumer.Prometheus(t, renderReport(t, rep, "prometheus", Options{}))

	var names []string
	for n := range fams {
		names = append(names, n)
	}
	slices.Sort(names)
	want := slices.Clone(MetricNames)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("families %v, want %v", names, want)
	}

	// Certificates: one series per certificate read, none for acme-dev.
	certs := fams["ssoaudit_certificate_expiry_timestamp_seconds"]
	if len(certs) != 2 {
		t.Fatalf("%d expiry series, want 2 (acme-dev's certificates were not read: no series)", len(certs))
	}
	for side, when := range map[string]time.Time{"okta": okta, "druva": druva} {
		s := consumer.Find(certs, "target", "acme-prod", "side", side)
		if len(s) != 1 || s[0].Value != float64(when.Unix()) || !slices.Equal(s[0].LabelNames(), []string{"side", "target"}) {
			t.Errorf("expiry side=%s: %+v, want %d", side, s, when.Unix())
		}
	}

	// Rule status: one series per result, value 1, with its status.
	status := fams["ssoaudit_rule_status"]
	n := 0
	for _, tr := range rep.Targets {
		for _, r := range tr.Results {
			n++
			s := consumer.Find(status, "target", tr.Name, "rule", r.Rule)
			if len(s) != 1 {
				t.Errorf("%s/%s: %d series", tr.Name, r.Rule, len(s))
				continue
			}
			labels := []string{"rule", "severity", "status", "target"}
			if r.Suppressed {
				labels = []string{"rule", "severity", "status", "suppressed", "target"}
				if s[0].Labels["suppressed"] != "true" {
					t.Errorf("%s/%s suppressed=%q", tr.Name, r.Rule, s[0].Labels["suppressed"])
				}
			}
			if s[0].Value != 1 || s[0].Labels["status"] != string(r.Status) || s[0].Labels["severity"] != string(r.Severity) || !slices.Equal(s[0].LabelNames(), labels) {
				t.Errorf("%s/%s: %+v", tr.Name, r.Rule, s[0])
			}
		}
	}
	// Deployment rules: labelled deployment="…" instead of target.
	for _, d := range rep.Deployments {
		for _, r := range d.Results {
			n++
			s := consumer.Find(status, "deployment", d.Name, "rule", r.Rule)
			if len(s) != 1 || s[0].Labels["status"] != string(r.Status) || !slices.Equal(s[0].LabelNames(), []string{"deployment", "rule", "severity", "status"}) {
				t.Errorf("deployment %s/%s: %+v", d.Name, r.Rule, s)
			}
		}
	}
	if len(status) != n {
		t.Errorf("%d rule status series, want %d", len(status), n)
	}

	// Findings: counts per target, status and severity, zeros included.
	findings := fams["ssoaudit_findings"]
	if len(findings) != (len(rep.Targets)+len(rep.Deployments))*len(audit.Statuses)*len(audit.Severities) {
		t.Errorf("%d findings series", len(findings))
	}
	for _, d := range rep.Deployments {
		var total float64
		for _, s := range consumer.Find(findings, "deployment", d.Name) {
			total += s.Value
		}
		if int(total) != len(d.Results) {
			t.Errorf("deployment %s: %v findings, %d results", d.Name, total, len(d.Results))
		}
	}
	for _, tr := range rep.Targets {
		for _, st := range audit.Statuses {
			var total float64
			for _, s := range consumer.Find(findings, "target", tr.Name, "status", string(st)) {
				total += s.Value
			}
			if int(total) != tr.Summary.Count(st) {
				t.Errorf("%s %s: findings %v, summary %d", tr.Name, st, total, tr.Summary.Count(st))
			}
		}
	}

	gate := fams["ssoaudit_gate_passed"]
	if len(gate) != 1 || gate[0].Value != 0 || len(gate[0].Labels) != 0 {
		t.Errorf("gate %+v, want one unlabelled 0 (exit %d)", gate, rep.ExitCode)
	}
	last := fams["ssoaudit_last_run_timestamp_seconds"]
	if len(last) != 1 || last[0].Value != float64(rep.GeneratedAt.Unix()) {
		t.Errorf("last run %+v, want %d", last, rep.GeneratedAt.Unix())
	}

	rep.ExitCode = audit.ExitOK
	if g := consumer.Prometheus(t, renderReport(t, rep, "prometheus", Options{}))["ssoaudit_gate_passed"]; g[0].Value != 1 {
		t.Errorf("gate %v after exit 0, want 1", g[0].Value)
	}
}

// TestPrometheusLabelEscaping: a value with the format's special characters
// (and a control character) reaches Prometheus as the value the other
// reports show.
func TestPrometheusLabelEscaping(t *testing.T) {
	name := "prod \"eu\" \\ 1\nsecond line\x1b[31m"
	rep := &audit.Report{Schema: audit.Schema, Tool: audit.Tool{Name: "ssoaudit", Version: "1"}, Targets: []audit.TargetReport{{
		Name:    name,
		Results: []audit.Result{{Rule: "okta.saml.sha256", Status: audit.StatusFail, Severity: audit.Medium}},
	}}}
	out := renderReport(t, rep, "prometheus", Options{})
	if strings.Count(string(out), "\n") != strings.Count(string(renderReport(t, &audit.Report{Targets: rep.Targets[:1]}, "prometheus", Options{})), "\n") {
		t.Fatal("a newline in a label value broke a line")
	}
	s := consumer.Prometheus(t, out)["ssoaudit_rule_status"]
	if len(s) != 1 || s[0].Labels["target"] != escape.Line(name) {
		t.Errorf("target label %q, want %q", s[0].Labels["target"], escape.Line(name))
	}
}

// TestPrometheusEmptyRun is a run with no targets: still the gate and the
// run's time, every family declared.
func TestPrometheusEmptyRun(t *testing.T) {
	rep := &audit.Report{Schema: audit.Schema, GeneratedAt: time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC), ExitCode: audit.ExitOK}
	fams := consumer.Prometheus(t, renderReport(t, rep, "prometheus", Options{}))
	if len(fams["ssoaudit_gate_passed"]) != 1 || len(fams["ssoaudit_last_run_timestamp_seconds"]) != 1 {
		t.Errorf("%v", fams)
	}
}

// FuzzPrometheusLabels: whatever a target, rule or deployment is called,
// Prometheus's own parser reads the metrics back, with that name (as every
// report shows it) in its label.
func FuzzPrometheusLabels(f *testing.F) {
	for _, s := range []string{"prod", "prod/Druva inSync", `a"b\c`, "line\nbreak", "\x1b[31mred", "\u202eevil", "\xff\xfe", "", "{}=,"} {
		f.Add(s, "okta.saml.sha256")
	}
	f.Fuzz(func(t *testing.T, name, rule string) {
		// Write makes every value visible (escape.Line) before the writer
		// escapes it for the format (TestPrometheusLabelEscaping goes
		// through Write); the fuzzer feeds the writer directly, without the
		// deep copy, so CI's fixed number of executions stays quick.
		name, rule = escape.Line(name), escape.Line(rule)
		rep := &audit.Report{Schema: audit.Schema, Targets: []audit.TargetReport{{
			Name:         name,
			Certificates: []audit.CertExpiry{{Side: audit.SideOkta, NotAfter: time.Unix(2083968000, 0)}},
			Results:      []audit.Result{{Rule: rule, Status: audit.StatusFail, Severity: audit.High}},
		}}, Deployments: []audit.DeploymentReport{{Name: name, Results: []audit.Result{{Rule: rule, Status: audit.StatusWarn, Severity: audit.High}}}}}
		var b bytes.Buffer
		if err := writePrometheus(&b, rep); err != nil {
			t.Fatal(err)
		}
		fams, err := consumer.ParsePrometheus(b.Bytes())
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		s := consumer.Find(fams["ssoaudit_rule_status"], "target", name, "rule", rule)
		d := consumer.Find(fams["ssoaudit_rule_status"], "deployment", name, "rule", rule)
		if len(s) != 1 || len(d) != 1 || len(fams["ssoaudit_certificate_expiry_timestamp_seconds"]) != 1 {
			t.Fatalf("series for %q/%q not read back:\n%s", name, rule, b.String())
		}
	})
}
