package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// deployments reads the deployments of the JSON report on stdout.
func (c *cli) deployments() []audit.DeploymentReport {
	c.t.Helper()
	var r struct {
		Deployments []audit.DeploymentReport `json:"deployments"`
	}
	if err := json.Unmarshal(c.stdout.Bytes(), &r); err != nil {
		c.t.Fatalf("not a JSON report: %v\n%s", err, c.dump())
	}
	return r.Deployments
}

func signInPathOf(t *testing.T, d audit.DeploymentReport) audit.Result {
	t.Helper()
	for _, r := range d.Results {
		if r.Rule == "druva.admin.sign-in-path" {
			return r
		}
	}
	t.Fatalf("deployment %s has no druva.admin.sign-in-path result: %+v", d.Name, d.Results)
	return audit.Result{}
}

// TestDeploymentLiveSnapshotOffline: the users' and the administrators'
// apps of one console, audited live with --discover --druva, live by app
// ID from a config, and from their snapshots: one deployment, the same
// verdicts everywhere.
func TestDeploymentLiveSnapshotOffline(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	o := startOrg(t, snapApp(t, "good"), snapApp(t, "admin"))
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")
	cl := o.cli(t)

	type verdicts struct {
		deployment string
		targets    int
		signIn     string
		exit       int
	}
	check := func(what string, code int) verdicts {
		t.Helper()
		deps := cl.deployments()
		if len(deps) != 1 {
			t.Fatalf("%s: %d deployments, want 1\n%s", what, len(deps), cl.dump())
		}
		r := signInPathOf(t, deps[0])
		if r.Status != audit.StatusPass || !strings.Contains(r.Message, `"Druva inSync (administrators)"`) {
			t.Errorf("%s: druva.admin.sign-in-path %s %q", what, r.Status, r.Message)
		}
		for _, tg := range cl.report().Targets {
			for _, res := range tg.Results {
				if res.Rule == "cross.login-url-match" && res.Status != "pass" {
					t.Errorf("%s: %s: cross.login-url-match %s %q", what, tg.Name, res.Status, res.Message)
				}
			}
		}
		return verdicts{deployment: deps[0].Name, targets: len(deps[0].Targets), signIn: string(r.Status), exit: code}
	}

	// Live, discovering every Druva app of the org against one console.
	live := check("--discover", cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", druvaYAML, "--format", "json"))
	if live.deployment != druvaYAML || live.targets != 2 || live.exit != 0 {
		t.Errorf("--discover: %+v", live)
	}

	// Live from a config naming both apps with one druva: file.
	cfg := "targets:\n" +
		"  - name: users\n    okta: {org_url: " + o.srv.URL + ", app_id: 0oa8f3k2ldRUVA7xk5d7}\n    druva: " + druvaYAML + "\n" +
		"  - name: admins\n    okta: {org_url: " + o.srv.URL + ", app_id: 0oa8f3k2adMINx7xk5d7}\n    druva: " + druvaYAML + "\n"
	os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
	fleet := check("config, live", cl.run("scan", "--format", "json"))

	// Offline, from the snapshots the snapshot command takes.
	for _, id := range []string{"0oa8f3k2ldRUVA7xk5d7", "0oa8f3k2adMINx7xk5d7"} {
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", id, "--out", filepath.Join(dir, "evidence", id), "-q"); code != 0 {
			t.Fatalf("snapshot %s: exit %d\n%s", id, code, cl.dump())
		}
	}
	cfg = "targets:\n" +
		"  - name: users\n    snapshot: evidence/0oa8f3k2ldRUVA7xk5d7\n    druva: " + druvaYAML + "\n" +
		"  - name: admins\n    snapshot: evidence/0oa8f3k2adMINx7xk5d7\n    druva: " + druvaYAML + "\n"
	os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
	offline := check("config, snapshots", cl.run("scan", "--format", "json"))
	if fleet != offline {
		t.Errorf("live %+v, offline %+v", fleet, offline)
	}

	// The users' app alone: a deployment of one, which warns.
	cl.run(cl.live("0oa8f3k2ldRUVA7xk5d7", "--druva", druvaYAML, "--format", "json")...)
	if r := signInPathOf(t, cl.deployments()[0]); r.Status != audit.StatusWarn {
		t.Errorf("users' app alone: %s %q", r.Status, r.Message)
	}
	// Discovery makes one request per app more than before only for
	// authentication policies: none here (Classic Engine apps). The org's
	// global session policy's rules are read once per org and run.
	for _, r := range o.srv.Requests() {
		if r.Endpoint == oktatest.EndpointPolicyRules && r.Path != "/api/v1/policies/00p8f3k2mfaDEFp0d7/rules" {
			t.Errorf("policy request %s for Classic Engine apps", r.Path)
		}
	}
}

// TestDeploymentInEveryFormat: every format shows the deployment.
func TestDeploymentInEveryFormat(t *testing.T) {
	chdir(t, t.TempDir())
	for format, want := range map[string]string{
		"table": "Deployment ", "markdown": "### Deployment ", "html": "Deployment ",
		"junit": `name="deployment `, "sarif": `"druva.admin.sign-in-path"`, "json": `"deployments": [`,
	} {
		cl := newCLI(t)
		cl.run("scan", "--snapshot", snap("good"), "--format", format)
		if out := cl.stdout.String(); !strings.Contains(out, want) || !strings.Contains(out, "druva.admin.sign-in-path") {
			t.Errorf("%s: no deployment (%q):\n%s", format, want, out)
		}
	}
	cl := newCLI(t)
	cl.run("scan", "--snapshot", snap("good"), "--format", "json")
	deps := cl.deployments()
	if len(deps) != 1 || !slices.Equal(deps[0].Targets, []string{"good"}) {
		t.Errorf("deployments %+v", deps)
	}
}

// A deployment is named after its console file as the config gave it
// (relative to the config); the line under the heading does not spell the
// same file a second way, relative to the working directory.
func TestDeploymentConsoleSpelledOnce(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "druva.yaml"), good, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := "targets:\n  - name: users\n    snapshot: " + snap("good") + "\n    druva: ../druva.yaml\n"
	if err := os.WriteFile(filepath.Join(dir, "conf", "c.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"
	cl.run("scan", "--config", filepath.Join("conf", "c.yaml"))
	out := cl.stdout.String()
	_, dep, ok := strings.Cut(out, "\nDeployment ../druva.yaml ")
	if !ok {
		t.Fatalf("no deployment named as the config gives it:\n%s", out)
	}
	head, _, _ := strings.Cut(dep, "\n\n")
	// The target's heading above already names the file and its
	// fingerprint: the deployment's repeats neither.
	if strings.Contains(head, "from druva.yaml") || strings.Contains(head, "Druva console settings") || strings.Count(out, "(sha256 ") != 1 {
		t.Errorf("deployment heading:\n%s", out)
	}
}
