package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
	"github.com/ssoaudit/ssoaudit/report"
)

// checkReports checks every machine-read report a scan in these tests
// wrote — to stdout or to --output files — the way its consumers read it
// (package consumer). Both CLI harnesses call it after each run, so no test
// of the command can produce a report Jenkins, GitLab, GitHub or
// Prometheus would refuse without failing.
func checkReports(t *testing.T, args []string, code int, stdout []byte) {
	t.Helper()
	if len(args) > 0 && args[0] == "rules" && code == 0 && slices.Contains(args, "json") {
		consumer.Check(t, "json", stdout)
		return
	}
	if len(args) == 0 || args[0] != "scan" || (code != 0 && code != 1 && code != 3) {
		return
	}
	format, formatGiven := "table", false
	var outputs []string
	for i := 1; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || (name != "format" && name != "output") {
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return
			}
			i++
			value = args[i]
		}
		if name == "format" {
			format, formatGiven = strings.ToLower(value), true
		} else {
			outputs = append(outputs, value)
		}
	}
	if len(outputs) == 0 {
		consumer.Check(t, format, stdout)
		return
	}
	for _, out := range outputs {
		f, _ := report.FormatForFile(out)
		if len(outputs) == 1 && formatGiven {
			f = format
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("%v: report %s: %v", args, out, err)
			continue
		}
		consumer.Check(t, f, data)
	}
}

// TestBundledSnapshotsReadByConsumers renders every bundled snapshot, the
// Terraform plan and the examples' fleet config in every machine-read
// format, so each is checked by its consumers (checkReports).
func TestBundledSnapshotsReadByConsumers(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	runs := [][]string{
		{"--snapshot", snap("good")},
		{"--snapshot", snap("broken")},
		{"--snapshot", snap("malformed")},
		{"--terraform", filepath.Join(snap(".."), "terraform", "plan.json"), "--druva", filepath.Join(snap("good"), "druva.yaml")},
	}
	before := consumer.Counts.Snapshot()
	for _, r := range runs {
		out := map[string][]byte{}
		for _, f := range []string{"junit", "sarif", "prometheus", "json"} {
			cl := newCLI(t)
			if code := cl.run(append(append([]string{"scan"}, r...), "--format", f)...); code == 2 {
				t.Fatalf("%v --format %s: exit 2: %s", r, f, cl.stderr.String())
			}
			out[f] = cl.stdout.Bytes()
		}
		// JUnit's totals, as the readers that take them from the
		// attributes see them, are the JSON report's.
		want, err := consumer.TotalsOfJSON(out["json"])
		if err != nil {
			t.Fatal(err)
		}
		if got, err := consumer.JUnitReaderTotals(out["junit"]); err != nil || got != want {
			t.Errorf("%v: JUnit totals %+v (%v), the JSON report's %+v", r, got, err, want)
		}
	}
	after := consumer.Counts.Snapshot()
	for _, c := range []string{consumer.JenkinsXUnit, consumer.GitLabJUnit, consumer.SARIFSchema, consumer.GitHubSARIF, consumer.PrometheusText} {
		if got := after[c] - before[c]; got != len(runs) {
			t.Errorf("%s: %d reports accepted, want %d", c, got, len(runs))
		}
	}
	for k, v := range after {
		t.Logf("%s: %d accepted in this process so far", k, v)
	}
}

// sarifLog is what the CLI tests read of a SARIF log: each result's
// properties and its physical and logical locations.
type sarifLog struct {
	Runs []struct {
		Results []struct {
			Properties map[string]any `json:"properties"`
			Locations  []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					Region           struct{ StartLine int }
				} `json:"physicalLocation"`
				LogicalLocations []struct{ FullyQualifiedName string } `json:"logicalLocations"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// sarifLocations runs a scan and returns each SARIF result's rule (the
// original rule for could-not-evaluate results) → "uri:line".
func sarifLocations(t *testing.T, run func(...string) int, stdout func() []byte, args ...string) map[string]string {
	t.Helper()
	if code := run(args...); code == 2 {
		t.Fatalf("%v: exit 2", args)
	}
	var doc sarifLog
	if err := json.Unmarshal(stdout(), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF: %v", err)
	}
	out := map[string]string{}
	for _, r := range doc.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		out[r.Properties["rule"].(string)] = fmt.Sprintf("%s:%d", loc.ArtifactLocation.URI, loc.Region.StartLine)
	}
	return out
}

// TestSARIFLocationsFromTheRepositoryRoot runs scans the way the example
// workflows do, inside a repository: the Terraform job from terraform/okta
// with paths relative to it, and a live target declared in the config.
// Every location is relative to the repository root, whatever the working
// directory.
func TestSARIFLocationsFromTheRepositoryRoot(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{".git", "druva", filepath.Join("terraform", "okta")} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, filepath.Join(snap("broken"), "druva.yaml"), filepath.Join(repo, "druva", "druva.yaml"))
	copyFile(t, filepath.Join(snap(".."), "terraform", "plan.json"), filepath.Join(repo, "terraform", "okta", "plan.json"))

	chdir(t, filepath.Join(repo, "terraform", "okta"))
	cl := newCLI(t)
	stdout := func() []byte { return cl.stdout.Bytes() }
	got := sarifLocations(t, cl.run, stdout, "scan", "--terraform", "plan.json", "--druva", "../../druva/druva.yaml", "--format", "sarif")
	// A rule located at the console points at its druva.yaml key
	// (failsafe: false is line 33); the others at the plan.
	atConsole := func(rule string) bool {
		return strings.HasPrefix(rule, "druva.") || rule == "cross.certificate-match" || rule == "cross.login-url-match"
	}
	if got["druva.admin.failsafe"] != "druva/druva.yaml:33" {
		t.Errorf("console finding at %s, want druva/druva.yaml:33 (all: %v)", got["druva.admin.failsafe"], got)
	}
	for rule, loc := range got {
		if atConsole(rule) && !strings.HasPrefix(loc, "druva/druva.yaml:") || !atConsole(rule) && loc != "terraform/okta/plan.json:1" {
			t.Errorf("%s at %s", rule, loc)
		}
	}

	// A snapshot from the repository root: each finding at the file its
	// rule reads.
	chdir(t, repo)
	for _, f := range []string{"app.json", "keys.json", "metadata.xml", "users.json"} {
		if err := os.MkdirAll(filepath.Join(repo, "evidence", "current", "okta"), 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, filepath.Join(snap("broken"), "okta", f), filepath.Join(repo, "evidence", "current", "okta", f))
	}
	got = sarifLocations(t, cl.run, stdout, "scan", "--snapshot", "evidence/current", "--druva", "druva/druva.yaml", "--format", "sarif")
	// …at the line of the key it read (the first stale user's, 61 of
	// users.json): signatureAlgorithm on line 76 of
	// app.json, failsafe on 33 of druva.yaml, the certificate on 5.
	if got["okta.users.username-current"] != "evidence/current/okta/users.json:61" || got["okta.saml.sha256"] != "evidence/current/okta/app.json:76" ||
		got["druva.admin.failsafe"] != "druva/druva.yaml:33" || got["cross.certificate-match"] != "druva/druva.yaml:5" {
		t.Errorf("snapshot findings at %v", got)
	}

	// A live target from the config: at its entry, line 3.
	o := startOrg(t, snapApp(t, "broken"))
	cfg := fmt.Sprintf("# fleet\ntargets:\n  - name: prod\n    druva: druva/druva.yaml\n    okta: {org_url: %s, app_id: %s}\n", o.srv.URL, goodAppID)
	if err := os.WriteFile(filepath.Join(repo, ".ssoaudit.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	lc := o.cli(t)
	got = sarifLocations(t, lc.run, func() []byte { return lc.stdout.Bytes() }, "scan", "--format", "sarif")
	if len(got) == 0 {
		t.Fatal("no findings")
	}
	for rule, loc := range got {
		if atConsole(rule) && !strings.HasPrefix(loc, "druva/druva.yaml:") || !atConsole(rule) && loc != ".ssoaudit.yaml:3" {
			t.Errorf("%s at %s", rule, loc)
		}
	}

	// The same with --config as an absolute path, from a subdirectory: the
	// same repository-relative locations, never /tmp/….
	chdir(t, filepath.Join(repo, "terraform", "okta"))
	lc = o.cli(t)
	abs := sarifLocations(t, lc.run, func() []byte { return lc.stdout.Bytes() }, "scan", "--config", filepath.Join(repo, ".ssoaudit.yaml"), "--format", "sarif")
	if fmt.Sprint(abs) != fmt.Sprint(got) {
		t.Errorf("with an absolute --config from terraform/okta: %v, want %v", abs, got)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPrometheusBundledSnapshots checks the section 9 series of each
// bundled snapshot and the Terraform plan, parsed by expfmt: the expiry
// series exist exactly for the certificates that could be read, the gate
// follows the exit code, and every rule has its status series.
func TestPrometheusBundledSnapshots(t *testing.T) {
	chdir(t, t.TempDir())
	plan := filepath.Join(snap(".."), "terraform", "plan.json")
	cases := []struct {
		name  string
		args  []string
		code  int
		certs map[string][]string // target → sides with an expiry series
	}{
		{"good", []string{"--snapshot", snap("good")}, 0, map[string][]string{"good": {"druva", "okta"}}},
		{"broken", []string{"--snapshot", snap("broken")}, 1, map[string][]string{"broken": {"druva", "okta"}}},
		// keys.json does not parse: no Okta series, not a zero.
		{"malformed", []string{"--snapshot", snap("malformed")}, 3, map[string][]string{"malformed": {"druva"}}},
		// A plan has no keys before apply; the state of the legacy app does.
		{"terraform", []string{"--terraform", plan, "--druva", filepath.Join(snap("good"), "druva.yaml")}, 1,
			map[string][]string{"Druva inSync": {"druva"}, "Druva inSync (legacy)": {"druva", "okta"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := newCLI(t)
			code := cl.run(append(append([]string{"scan"}, c.args...), "--format", "prometheus")...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, cl.stderr.String())
			}
			fams := consumer.Prometheus(t, cl.stdout.Bytes())
			got := map[string][]string{}
			for _, s := range fams["ssoaudit_certificate_expiry_timestamp_seconds"] {
				if s.Value < 1e9 {
					t.Errorf("expiry %v for %v", s.Value, s.Labels)
				}
				got[s.Labels["target"]] = append(got[s.Labels["target"]], s.Labels["side"])
			}
			for target := range got {
				slices.Sort(got[target])
			}
			if fmt.Sprint(got) != fmt.Sprint(c.certs) {
				t.Errorf("expiry series %v, want %v", got, c.certs)
			}
			gate := fams["ssoaudit_gate_passed"]
			if len(gate) != 1 || (gate[0].Value == 1) != (code == 0) {
				t.Errorf("gate %+v with exit %d", gate, code)
			}
			if n := len(fams["ssoaudit_rule_status"]); n < 22*len(c.certs) {
				t.Errorf("%d rule status series for %d targets", n, len(c.certs))
			}
			if len(fams["ssoaudit_last_run_timestamp_seconds"]) != 1 {
				t.Error("no last run series")
			}
		})
	}
	// .prom names the format, alone or beside other outputs.
	cl := newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("good"), "--output", "metrics.prom", "--output", "report.json"); code != 0 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	b, err := os.ReadFile("metrics.prom")
	if err != nil {
		t.Fatal(err)
	}
	consumer.Prometheus(t, b)
}
