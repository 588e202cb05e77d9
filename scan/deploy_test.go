package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
)

func run(t *testing.T, req Request) *audit.Report {
	t.Helper()
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// signInPath is the deployment's druva.admin.sign-in-path result.
func signInPath(t *testing.T, d audit.DeploymentReport) audit.Result {
	t.Helper()
	if len(d.Results) != len(checks.ForDeployments()) {
		t.Fatalf("deployment %s has %d results, want every deployment rule once", d.Name, len(d.Results))
	}
	for _, r := range d.Results {
		if r.Rule == "druva.admin.sign-in-path" {
			return r
		}
	}
	t.Fatalf("deployment %s: no druva.admin.sign-in-path result", d.Name)
	return audit.Result{}
}

// fleetConfig is a config whose users and admins targets share one
// druva.yaml (written druva: druva.yaml, beside the config).
func fleetConfig(t *testing.T, extra string) (Request, string) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "druva.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	text := "targets:\n  - name: users\n    snapshot: " + snap("good") + "\n    druva: druva.yaml\n" +
		"  - name: admins\n    snapshot: " + snap("admin") + "\n    druva: druva.yaml\n" + extra
	p := filepath.Join(dir, ".ssoaudit.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := loadConfig(t, p)
	req := request(cfg, specsOf(cfg)...)
	req.Fleet = true
	return req, dir
}

func TestDeploymentOfOne(t *testing.T) {
	rep := run(t, request(nil, Spec{Snapshot: snap("good")}))
	if len(rep.Deployments) != 1 {
		t.Fatalf("%d deployments, want 1", len(rep.Deployments))
	}
	d := rep.Deployments[0]
	want := filepath.ToSlash(filepath.Join(snap("good"), "druva.yaml"))
	if d.Name != want || d.Console != want || !slices.Equal(d.Targets, []string{"good"}) || d.ConsoleSHA256 != rep.Targets[0].ConsoleSHA256 {
		t.Errorf("deployment %+v", d)
	}
	if r := signInPath(t, d); r.Status != audit.StatusWarn || !strings.Contains(r.Message, "audit the administrators' app in the same run") ||
		!strings.Contains(r.Remediation, "--discover --druva") {
		t.Errorf("sign-in path: %s %s", r.Status, r.Message)
	}
	// The summary counts the deployment's results; a warn does not fail the gate.
	if rep.Summary.Warn != 1 || rep.ExitCode != audit.ExitOK {
		t.Errorf("summary %+v exit %d", rep.Summary, rep.ExitCode)
	}
	req := request(nil, Spec{Snapshot: snap("good")})
	req.FailOnWarn = true
	if rep := run(t, req); rep.ExitCode != audit.ExitGateFailed {
		t.Errorf("--fail-on-warn: exit %d, want 1", rep.ExitCode)
	}
}

func TestDeploymentOfUsersAndAdminApps(t *testing.T) {
	req, _ := fleetConfig(t, "")
	rep := run(t, req)
	if len(rep.Deployments) != 1 {
		t.Fatalf("%d deployments, want 1: %+v", len(rep.Deployments), rep.Deployments)
	}
	d := rep.Deployments[0]
	if d.Name != "druva.yaml" || !slices.Equal(d.Targets, []string{"users", "admins"}) {
		t.Errorf("deployment %s of %v", d.Name, d.Targets)
	}
	if r := signInPath(t, d); r.Status != audit.StatusPass || !strings.Contains(r.Message, `app "Druva inSync (administrators)" (target "admins")`) {
		t.Errorf("sign-in path: %s %s", r.Status, r.Message)
	}
	// The console holds the users' app's URL: the admin app's login URL
	// check passes through its sibling.
	if r := results(t, rep, "admins")["cross.login-url-match"]; r.Status != audit.StatusPass || !strings.Contains(r.Message, `target "users"`) {
		t.Errorf("admins: cross.login-url-match %s %s", r.Status, r.Message)
	}
	if rep.ExitCode != audit.ExitOK || rep.Summary.Fail+rep.Summary.Warn+rep.Summary.Error != 0 {
		t.Errorf("exit %d, summary %+v", rep.ExitCode, rep.Summary)
	}
	// Result order stays the catalog's after the late rule is judged.
	var ids []string
	for _, r := range rep.Targets[1].Results {
		ids = append(ids, r.Rule)
	}
	var want []string
	for _, r := range checks.ForTargets() {
		want = append(want, r.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("result order %v, want %v", ids, want)
	}
	if n := len(rep.Targets[1].Results); rep.Targets[1].Summary.Pass+rep.Targets[1].Summary.Skip != n {
		t.Errorf("admins summary %+v of %d", rep.Targets[1].Summary, n)
	}
}

// TestDeploymentReadsUsersNoTargetRuleReads: the deployment rule asks for
// whom each app is assigned to (a fact), so the users are read even when
// every users rule is off; and they are read once when those rules are on.
func TestDeploymentReadsUsersNoTargetRuleReads(t *testing.T) {
	req, _ := fleetConfig(t, "rules:\n  okta.users.username-current: {enabled: false}\n  okta.app.assigned: {enabled: false}\n  okta.username.email: {enabled: false}\n")
	rep := run(t, req)
	if r := signInPath(t, rep.Deployments[0]); r.Status != audit.StatusPass || !strings.Contains(r.Message, "has users assigned") {
		t.Errorf("sign-in path: %s %s", r.Status, r.Message)
	}
	if _, ok := results(t, rep, "admins")["okta.app.assigned"]; ok {
		t.Error("a rule the config turned off was judged")
	}
}

func TestDeploymentWithoutAdminApp(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	os.WriteFile(filepath.Join(dir, "druva.yaml"), data, 0o600)
	text := "targets:\n  - name: users\n    snapshot: " + snap("good") + "\n    druva: druva.yaml\n" +
		"  - name: staging\n    snapshot: " + snap("good") + "\n    druva: druva.yaml\n"
	os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(text), 0o644)
	cfg := loadConfig(t, filepath.Join(dir, ".ssoaudit.yaml"))
	rep := run(t, request(cfg, specsOf(cfg)...))
	if r := signInPath(t, rep.Deployments[0]); r.Status != audit.StatusFail || !strings.Contains(r.Message, "none of its 2 apps") {
		t.Errorf("sign-in path: %s %s", r.Status, r.Message)
	}
	if rep.ExitCode != audit.ExitGateFailed {
		t.Errorf("exit %d, want 1: the deployment's fail counts for the gate", rep.ExitCode)
	}
}

func TestDeploymentAdminSSOOff(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	druva := filepath.Join(dir, "druva-off.yaml")
	os.WriteFile(druva, []byte(strings.Replace(string(data), "sso_enabled: true", "sso_enabled: false", 1)), 0o600)
	rep := run(t, request(nil, Spec{Snapshot: snap("good"), Druva: druva}))
	d := rep.Deployments[0]
	if d.Name != druva {
		t.Errorf("deployment named %q, want the console file as given", d.Name)
	}
	if r := signInPath(t, d); r.Status != audit.StatusPass || !strings.Contains(r.Message, "is off") {
		t.Errorf("sign-in path: %s %s", r.Status, r.Message)
	}
}

func TestDeploymentsByConsole(t *testing.T) {
	// Two consoles, and a target with none: three deployments, in the
	// order their consoles first appear.
	rep := run(t, request(nil,
		Spec{Name: "a", Snapshot: snap("good")},
		Spec{Name: "b", Snapshot: snap("broken")},
		Spec{Name: "c", Snapshot: snap("admin")},
		Spec{Name: "d", Snapshot: snap("admin"), Druva: filepath.Join(snap("good"), "druva.yaml")}))
	var got []string
	for _, d := range rep.Deployments {
		got = append(got, d.Name+"="+strings.Join(d.Targets, "+"))
	}
	good := filepath.ToSlash(filepath.Join(snap("good"), "druva.yaml"))
	want := []string{good + "=a+d", filepath.ToSlash(filepath.Join(snap("broken"), "druva.yaml")) + "=b", "c=c"}
	if !slices.Equal(got, want) {
		t.Errorf("deployments %q, want %q", got, want)
	}
	if r := signInPath(t, rep.Deployments[2]); r.Status != audit.StatusSkip || r.SkipKind != audit.SkipInputAbsent {
		t.Errorf("no console: %+v", r)
	}
	if r := signInPath(t, rep.Deployments[0]); r.Status != audit.StatusPass {
		t.Errorf("a+d: %s %s", r.Status, r.Message)
	}
}

// TestDeploymentSuppressions: only a suppression naming the deployment
// reaches its results; one naming one of its targets does not, since the
// result covers every app of the console.
func TestDeploymentSuppressions(t *testing.T) {
	for scope, suppressed := range map[string]bool{"druva.yaml": true, "users": false, "admins": false} {
		t.Run(scope, func(t *testing.T) {
			dir := t.TempDir()
			data, _ := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
			os.WriteFile(filepath.Join(dir, "druva.yaml"), data, 0o600)
			text := "targets:\n  - name: users\n    snapshot: " + snap("good") + "\n    druva: druva.yaml\n" +
				"  - name: admins\n    snapshot: " + snap("good") + "\n    druva: druva.yaml\n" +
				"suppress:\n  - {rule: druva.admin.sign-in-path, target: " + scope + ", reason: admins use the failsafe until CHG-1, expires: 2099-01-01}\n"
			os.WriteFile(filepath.Join(dir, ".ssoaudit.yaml"), []byte(text), 0o644)
			cfg := loadConfig(t, filepath.Join(dir, ".ssoaudit.yaml"))
			rep := run(t, request(cfg, specsOf(cfg)...))
			r := signInPath(t, rep.Deployments[0])
			if r.Status != audit.StatusFail || r.Suppressed != suppressed || (r.Suppression != nil) != suppressed {
				t.Errorf("%s: suppressed %v, want %v: %+v", scope, r.Suppressed, suppressed, r)
			}
			if want := map[bool]int{true: audit.ExitOK, false: audit.ExitGateFailed}[suppressed]; rep.ExitCode != want {
				t.Errorf("exit %d, want %d", rep.ExitCode, want)
			}
		})
	}
}

// consoleFiles writes druva.yaml files into a temporary directory: each
// the good snapshot's, changed by its mutation.
func consoleFiles(t *testing.T, files map[string]func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range files {
		text := string(data)
		if mutate != nil {
			text = mutate(text)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withoutToken drops the console's SSO token fingerprint.
func withoutToken(s string) string {
	i := strings.Index(s, "  sso_token_sha256:")
	j := i + strings.Index(s[i:], "\n") + 1
	return s[:i] + s[j:]
}

// TestDeploymentsByFile: targets are one deployment when they name one
// console file (links resolved), one deployment:, or identical files that
// record the console's SSO token; identical files without it stay apart,
// with a warning.
func TestDeploymentsByFile(t *testing.T) {
	dir := consoleFiles(t, map[string]func(string) string{
		"prod.yaml": nil, "prod-copy.yaml": nil, "bare.yaml": withoutToken, "bare-copy.yaml": withoutToken,
		"other.yaml": func(s string) string { return strings.Replace(s, "failsafe: true", "failsafe: false", 1) },
	})
	if err := os.Symlink(filepath.Join(dir, "prod.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	file := func(n string) string { return filepath.Join(dir, n) }
	cases := []struct {
		name  string
		specs []Spec
		want  []string // deployment=targets
		warn  string
	}{
		{"one file", []Spec{{Name: "a", Druva: file("prod.yaml")}, {Name: "b", Druva: file("prod.yaml")}},
			[]string{file("prod.yaml") + "=a+b"}, ""},
		{"one file through a link", []Spec{{Name: "a", Druva: file("prod.yaml")}, {Name: "b", Druva: file("link.yaml")}},
			[]string{file("prod.yaml") + "=a+b"}, ""},
		{"identical files recording the token", []Spec{{Name: "a", Druva: file("prod.yaml")}, {Name: "b", Druva: file("prod-copy.yaml")}},
			[]string{file("prod.yaml") + "=a+b"}, ""},
		{"identical files without a token", []Spec{{Name: "a", Druva: file("bare.yaml")}, {Name: "b", Druva: file("bare-copy.yaml")}},
			[]string{file("bare.yaml") + "=a", file("bare-copy.yaml") + "=b"}, "are identical but record no SSO token"},
		{"a deployment: joins them", []Spec{{Name: "a", Druva: file("bare.yaml"), Deployment: "prod"}, {Name: "b", Druva: file("bare-copy.yaml"), Deployment: "prod"}},
			[]string{"prod=a+b"}, ""},
		{"different files", []Spec{{Name: "a", Druva: file("prod.yaml")}, {Name: "b", Druva: file("other.yaml")}},
			[]string{file("prod.yaml") + "=a", file("other.yaml") + "=b"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.specs {
				c.specs[i].Snapshot = snap("good")
			}
			var warnings []string
			req := request(nil, c.specs...)
			req.Warn = func(w string) { warnings = append(warnings, w) }
			rep := run(t, req)
			var got []string
			for _, d := range rep.Deployments {
				got = append(got, d.Name+"="+strings.Join(d.Targets, "+"))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("deployments %q, want %q", got, c.want)
			}
			switch {
			case c.warn == "" && len(warnings) > 0:
				t.Errorf("warnings %q", warnings)
			case c.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], c.warn) ||
				!strings.Contains(warnings[0], "if they are one console, name one `druva:` file or a `deployment:`")):
				t.Errorf("warnings %q, want one saying %q", warnings, c.warn)
			}
		})
	}
}

// TestDeploymentNotOneConsole: a deployment that would hold two consoles,
// or one console in two deployments, is a usage error.
func TestDeploymentNotOneConsole(t *testing.T) {
	dir := consoleFiles(t, map[string]func(string) string{
		"prod.yaml":    nil,
		"staging.yaml": func(s string) string { return strings.Replace(s, "failsafe: true", "failsafe: false", 1) },
	})
	for name, c := range map[string]struct {
		specs []Spec
		want  string
	}{
		"two consoles, one deployment:": {[]Spec{{Name: "a", Druva: filepath.Join(dir, "prod.yaml"), Deployment: "prod"}, {Name: "b", Druva: filepath.Join(dir, "staging.yaml"), Deployment: "prod"}},
			`deployment "prod": its targets name different console settings`},
		"one console, two deployment: names": {[]Spec{{Name: "a", Druva: filepath.Join(dir, "prod.yaml"), Deployment: "prod"}, {Name: "b", Druva: filepath.Join(dir, "prod.yaml"), Deployment: "production"}},
			`targets "a" (deployment: prod) and "b" (deployment: production) sign into one console`},
		"a deployment: named like another's console file": {[]Spec{{Name: "a", Druva: filepath.Join(dir, "prod.yaml"), Deployment: "staging.yaml"}, {Name: "b", Druva: filepath.Join(dir, "staging.yaml"), DruvaName: "staging.yaml"}},
			`two deployments would be named "staging.yaml"`},
	} {
		for i := range c.specs {
			c.specs[i].Snapshot = snap("good")
		}
		_, err := Run(context.Background(), request(nil, c.specs...))
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a usage error saying %q", name, err, c.want)
		}
	}
}

func TestDeploymentRequireUsers(t *testing.T) {
	// The admin app's users were not read: the rule cannot tell whether
	// anyone signs in through it, so it skips, and --require users makes
	// that an error.
	dir := t.TempDir()
	admin := filepath.Join(dir, "admin")
	copyDir(t, snap("admin"), admin)
	os.Remove(filepath.Join(admin, "okta", "users.json"))
	specs := []Spec{{Name: "users", Snapshot: snap("good")}, {Name: "admins", Snapshot: admin, Druva: filepath.Join(snap("good"), "druva.yaml")}}
	rep := run(t, request(nil, specs...))
	if r := signInPath(t, rep.Deployments[0]); r.Status != audit.StatusSkip || r.SkipKind != audit.SkipInputAbsent || !strings.Contains(r.Message, "users.json") {
		t.Errorf("sign-in path: %+v", r)
	}
	req := request(nil, specs...)
	req.Require = []string{"users"}
	rep = run(t, req)
	if r := signInPath(t, rep.Deployments[0]); r.Status != audit.StatusError || rep.ExitCode != audit.ExitIncomplete {
		t.Errorf("--require users: %s, exit %d", r.Status, rep.ExitCode)
	}
}

func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	c, err := config.Load(path, checks.Known)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
