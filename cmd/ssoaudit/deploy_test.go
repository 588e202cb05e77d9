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

// consoleWithoutToken is the good snapshot's druva.yaml with no SSO token
// recorded (neither sso_token nor sso_token_sha256).
func consoleWithoutToken(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "sso_token") {
			kept = append(kept, line)
		}
	}
	return []byte(strings.Join(kept, ""))
}

// TestDeploymentCannotBorrowByCopy (issue #16, finding 1): staging's
// console file copied into production's does not make production and
// staging one deployment, so production's cross.login-url-match cannot
// pass on staging's app; the run says why on stderr.
func TestDeploymentCannotBorrowByCopy(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	staging := consoleWithoutToken(t) // its login URL is the good app's
	os.WriteFile("staging.yaml", staging, 0o600)
	os.WriteFile("production.yaml", staging, 0o600) // the copy
	// Production's app is another app (its sign-on URL is not the one
	// staging's console holds).
	cfg := "targets:\n" +
		"  - name: production\n    snapshot: " + snap("admin") + "\n    druva: production.yaml\n" +
		"  - name: staging\n    snapshot: " + snap("good") + "\n    druva: staging.yaml\n"
	os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
	cl := newCLI(t)
	code := cl.run("scan", "--format", "json")
	if deps := cl.deployments(); len(deps) != 2 || deps[0].Name != "production.yaml" || deps[1].Name != "staging.yaml" {
		t.Errorf("deployments %+v, want production.yaml and staging.yaml apart", deps)
	}
	for _, tg := range cl.report().Targets {
		for _, r := range tg.Results {
			if tg.Name == "production" && r.Rule == "cross.login-url-match" && (r.Status != "fail" || strings.Contains(r.Message, "staging")) {
				t.Errorf("production's cross.login-url-match %s: %s", r.Status, r.Message)
			}
		}
	}
	if code != audit.ExitGateFailed {
		t.Errorf("exit %d, want 1\n%s", code, cl.dump())
	}
	warning := "ssoaudit: warning: production.yaml and staging.yaml are identical but record no SSO token, so they are judged as separate consoles: " +
		"if they are one console, name one `druva:` file or a `deployment:`\n"
	if cl.stderr.String() != warning {
		t.Errorf("stderr %q, want %q", cl.stderr.String(), warning)
	}

	// Named one deployment, they are one: the person said so.
	os.WriteFile(".ssoaudit.yaml", []byte(strings.ReplaceAll(cfg, "yaml\n", "yaml\n    deployment: acme\n")), 0o644)
	cl.run("scan", "--format", "json")
	if deps := cl.deployments(); len(deps) != 1 || deps[0].Name != "acme" || !slices.Equal(deps[0].Targets, []string{"production", "staging"}) {
		t.Errorf("with deployment: acme, deployments %+v", deps)
	}
	if cl.stderr.Len() != 0 {
		t.Errorf("stderr %q", cl.stderr.String())
	}
}

// TestDeploymentSuppressionNamesTheDeployment (issue #16, finding 1): a
// suppression naming one target of a deployment (target: staging) does not
// silence the deployment's result, which covers the other apps too; one
// naming the deployment does.
func TestDeploymentSuppressionNamesTheDeployment(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	data, _ := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	os.WriteFile("console.yaml", data, 0o600)
	// Two users' apps of one console, neither sending the administrators'
	// relay state: druva.admin.sign-in-path fails on the deployment.
	cfg := func(scope string) string {
		return "targets:\n" +
			"  - name: production\n    snapshot: " + snap("good") + "\n    druva: console.yaml\n" +
			"  - name: staging\n    snapshot: " + snap("good") + "\n    druva: console.yaml\n" +
			"suppress:\n  - {rule: druva.admin.sign-in-path, target: " + scope + ", reason: staging has no admins, expires: 2099-01-01}\n"
	}
	for scope, want := range map[string]struct {
		suppressed bool
		exit       int
	}{"staging": {false, audit.ExitGateFailed}, "console.yaml": {true, audit.ExitOK}} {
		os.WriteFile(".ssoaudit.yaml", []byte(cfg(scope)), 0o644)
		cl := newCLI(t)
		code := cl.run("scan", "--format", "json")
		deps := cl.deployments()
		if len(deps) != 1 {
			t.Fatalf("target: %s: %d deployments\n%s", scope, len(deps), cl.dump())
		}
		if r := signInPathOf(t, deps[0]); r.Status != audit.StatusFail || r.Suppressed != want.suppressed {
			t.Errorf("target: %s: druva.admin.sign-in-path %s, suppressed %v, want fail, suppressed %v", scope, r.Status, r.Suppressed, want.suppressed)
		}
		if code != want.exit {
			t.Errorf("target: %s: exit %d, want %d\n%s", scope, code, want.exit, cl.dump())
		}
	}
}

// TestUsersReadOnceForEveryRuleThatNeedsThem: live, the assigned users are
// one fact per target: one pass over the users pages however many rules
// read them (three users rules and the deployment rule), and still one pass
// when the users rules are off, since the deployment rule needs to know
// whether anyone is assigned.
func TestUsersReadOnceForEveryRuleThatNeedsThem(t *testing.T) {
	chdir(t, t.TempDir())
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")
	for name, cfg := range map[string]string{
		"every rule":      "fail_on: high\n",
		"users rules off": "rules:\n  okta.users.username-current: {enabled: false}\n  okta.app.assigned: {enabled: false}\n  okta.username.email: {enabled: false}\n",
	} {
		os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644)
		o := startOrg(t, snapApp(t, "good"))
		cl := o.cli(t)
		if code := cl.run(cl.live(goodAppID, "--druva", druvaYAML, "--format", "json")...); code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, code, cl.dump())
		}
		if n := o.srv.Count(oktatest.EndpointUsers); n != 1 {
			t.Errorf("%s: %d users requests, want 1 (one page, read once)", name, n)
		}
		if r := signInPathOf(t, cl.deployments()[0]); r.Status != audit.StatusWarn || !strings.Contains(r.Message, "the only app this run knows") {
			t.Errorf("%s: druva.admin.sign-in-path %s %q", name, r.Status, r.Message)
		}
		// Its evidence lists the app with whether anyone is assigned.
		if out := cl.stdout.String(); !strings.Contains(out, ", users assigned") || strings.Contains(out, "assignments not read") {
			t.Errorf("%s: the deployment did not learn the app's assignments\n%s", name, out)
		}
	}
}
