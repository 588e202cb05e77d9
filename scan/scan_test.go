package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

func snap(name string) string { return filepath.Join(fixture.Root(), "testdata", "snapshots", name) }

func request(cfg *config.Config, specs ...Spec) Request {
	return Request{Specs: specs, Config: cfg, Rules: checks.All(), Now: fixture.Now, FailOn: audit.High, Version: "test"}
}

func results(t *testing.T, rep *audit.Report, target string) map[string]audit.Result {
	t.Helper()
	for _, tr := range rep.Targets {
		if tr.Name == target {
			m := map[string]audit.Result{}
			for _, r := range tr.Results {
				m[r.Rule] = r
			}
			return m
		}
	}
	t.Fatalf("no target %q in report", target)
	return nil
}

func parseConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, ".ssoaudit.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(p, checks.Known)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFleetOneUnreadableTargetErrorsAlone(t *testing.T) {
	cfg := parseConfig(t, `targets:
  - name: prod
    snapshot: `+snap("good")+`
  - name: legacy
    snapshot: `+snap("broken")+`
  - name: gone
    snapshot: `+snap("no-such-dir")+`
`)
	req := request(cfg, specsOf(cfg)...)
	req.Fleet = true
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Targets) != 3 || rep.Targets[0].Name != "prod" || rep.Targets[2].Name != "gone" {
		t.Fatalf("targets out of order: %+v", rep.Targets)
	}
	if s := rep.Targets[0].Summary; s.Fail+s.Error != 0 {
		t.Errorf("prod: %+v", s)
	}
	if s := rep.Targets[1].Summary; s.Fail == 0 || s.Error != 0 {
		t.Errorf("legacy: %+v", s)
	}
	gone := results(t, rep, "gone")
	if r := gone["okta.saml.response-signed"]; r.Status != audit.StatusError || !strings.Contains(r.Message, "does not exist") {
		t.Errorf("gone: %+v", r)
	}
	if len(gone) != len(checks.ForTargets()) {
		t.Errorf("gone has %d results", len(gone))
	}
	for id, r := range gone {
		if r.Status != audit.StatusError {
			t.Errorf("gone: %s is %s, want error (its druva.yaml was to come from the same snapshot): %s", id, r.Status, r.Message)
		}
	}
	if rep.ExitCode != audit.ExitIncomplete {
		t.Errorf("exit %d", rep.ExitCode)
	}
}

func specsOf(cfg *config.Config) []Spec {
	var out []Spec
	for _, t := range cfg.Targets {
		out = append(out, Spec{Name: t.Name, Snapshot: t.Snapshot, Terraform: t.Terraform, Okta: t.Okta, Druva: t.Druva, DruvaName: t.DruvaAsWritten, Platform: t.Platform})
	}
	return out
}

func TestSingleTargetMissingDirIsUsage(t *testing.T) {
	_, err := Run(context.Background(), request(nil, Spec{Snapshot: snap("no-such-dir")}))
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v", err)
	}
}

func TestSuppressions(t *testing.T) {
	cfg := parseConfig(t, `suppress:
  - rule: okta.saml.sha256
    reason: SHA-1 until the Okta org migrates (CHG-42)
    expires: 2027-01-31
  - rule: okta.saml.assertion-signed
    reason: waiting for Druva support
    expires: 2026-10-01
`)
	rep, err := Run(context.Background(), request(cfg, Spec{Snapshot: snap("broken")}))
	if err != nil {
		t.Fatal(err)
	}
	rs := results(t, rep, "broken")
	if r := rs["okta.saml.sha256"]; r.Status != audit.StatusFail || !r.Suppressed || r.Suppression == nil || r.Suppression.Expired {
		t.Errorf("sha256: %+v", r)
	}
	if r := rs["okta.saml.assertion-signed"]; r.Suppressed || r.Suppression == nil || !r.Suppression.Expired {
		t.Errorf("expired suppression: %+v", r)
	}
}

func TestSuppressedFailsDoNotTripTheGate(t *testing.T) {
	var b strings.Builder
	b.WriteString("suppress:\n")
	rep, _ := Run(context.Background(), request(nil, Spec{Snapshot: snap("broken")}))
	for _, r := range rep.Targets[0].Results {
		if r.Status == audit.StatusFail {
			b.WriteString("  - {rule: " + r.Rule + ", reason: accepted risk RISK-7, expires: 2027-06-30}\n")
		}
	}
	rep, err := Run(context.Background(), request(parseConfig(t, b.String()), Spec{Snapshot: snap("broken")}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != audit.ExitOK || rep.Summary.Fail == 0 {
		t.Fatalf("exit %d, summary %+v", rep.ExitCode, rep.Summary)
	}
}

func TestPlatformPrecedence(t *testing.T) {
	cases := []struct {
		name, flag, cfgPlatform, spec, want string
	}{
		{"druva.yaml beats config", "", "dcp", "", "insync-cloud"},
		{"flag beats druva.yaml", "dcp-dell", "dcp", "", "dcp-dell"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := parseConfig(t, "platform: "+c.cfgPlatform+"\n")
			req := request(cfg, Spec{Snapshot: snap("good"), Platform: c.spec})
			req.Platform = c.flag
			rep, err := Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Targets[0].Platform; got != c.want {
				t.Fatalf("platform %s, want %s", got, c.want)
			}
		})
	}
	// Without druva.yaml, the config decides; without either, the default.
	dir := t.TempDir()
	os.CopyFS(dir, os.DirFS(snap("good")))
	os.Remove(filepath.Join(dir, "druva.yaml"))
	rep, _ := Run(context.Background(), request(parseConfig(t, "platform: dcp\n"), Spec{Snapshot: dir}))
	if rep.Targets[0].Platform != "dcp" {
		t.Fatalf("config platform: %s", rep.Targets[0].Platform)
	}
	rep, _ = Run(context.Background(), request(nil, Spec{Snapshot: dir}))
	if rep.Targets[0].Platform != audit.DefaultPlatform {
		t.Fatalf("default platform: %s", rep.Targets[0].Platform)
	}
	if r := results(t, rep, filepath.Base(dir))["druva.admin.failsafe"]; r.Status != audit.StatusSkip {
		t.Fatalf("no druva.yaml: failsafe %s", r.Status)
	}
}

func TestTerraformTargets(t *testing.T) {
	rep, err := Run(context.Background(), request(nil, Spec{Terraform: filepath.Join(fixture.Root(), "testdata", "terraform", "plan.json"), Druva: filepath.Join(snap("good"), "druva.yaml")}))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Targets) < 2 {
		t.Fatalf("%d targets", len(rep.Targets))
	}
	for _, tr := range rep.Targets {
		// Several resources without a config: each is named by its label
		// (docs/cli.md, Target names); labels are unique in this plan.
		if tr.Source != "terraform" || tr.Name != tr.App.Label {
			t.Errorf("target %q source %q", tr.Name, tr.Source)
		}
		if r := results(t, rep, tr.Name)["okta.users.username-current"]; r.Status != audit.StatusSkip {
			t.Errorf("%s users: %s", tr.Name, r.Status)
		}
	}
	if rep.ExitCode != audit.ExitGateFailed {
		t.Errorf("exit %d", rep.ExitCode)
	}
}

func TestReportRecordsConfigOverrides(t *testing.T) {
	cfg := parseConfig(t, "rules:\n  cross.certificate-match: {enabled: false}\n  okta.saml.response-signed: {severity: info}\n  okta.saml.sha256: {severity: medium}\n")
	rep, err := Run(context.Background(), request(cfg, Spec{Snapshot: snap("broken")}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Config != cfg.File || len(rep.Overrides) != 2 {
		t.Fatalf("config %q overrides %+v", rep.Config, rep.Overrides)
	}
	for _, o := range rep.Overrides {
		switch o.Rule {
		case "cross.certificate-match":
			if !o.Disabled || o.DefaultSeverity != audit.Critical {
				t.Errorf("%+v", o)
			}
		case "okta.saml.response-signed":
			if o.Severity != audit.Info || o.DefaultSeverity != audit.Critical {
				t.Errorf("%+v", o)
			}
		default:
			t.Errorf("unexpected override %+v", o)
		}
	}
	if r := results(t, rep, "broken")["okta.saml.response-signed"]; r.Severity != audit.Info || r.DefaultSeverity != audit.Critical {
		t.Errorf("%+v", r)
	}
}

func TestErrorsAreNeverSuppressed(t *testing.T) {
	cfg := parseConfig(t, "suppress:\n  - {rule: okta.saml.response-signed, reason: accepted, expires: 2027-06-30}\n")
	rep, err := Run(context.Background(), request(cfg, Spec{Snapshot: snap("malformed")}))
	if err != nil {
		t.Fatal(err)
	}
	if r := results(t, rep, "malformed")["okta.saml.response-signed"]; r.Status != audit.StatusError || r.Suppressed {
		t.Fatalf("%+v", r)
	}
	if rep.ExitCode != audit.ExitIncomplete {
		t.Fatalf("exit %d", rep.ExitCode)
	}
}
