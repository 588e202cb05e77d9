package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// deploymentApp is one app of a deployment scenario: a snapshot of
// testdata/snapshots with fields of its app.json changed.
type deploymentApp struct {
	target, base string
	set          map[string]any
}

// writeApp writes the app as a snapshot directory (without druva.yaml: the
// scenario's targets share one) and returns it, served the same by the fake
// Okta.
func writeApp(t *testing.T, dir string, a deploymentApp) (string, *oktatest.App) {
	t.Helper()
	app := snapApp(t, a.base)
	if a.set != nil {
		app = withJSON(t, app, a.set)
	}
	out := filepath.Join(dir, a.target)
	if err := os.MkdirAll(filepath.Join(out, "okta"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"app.json": app.JSON, "keys.json": app.Keys, "metadata.xml": app.Metadata} {
		if err := os.WriteFile(filepath.Join(out, "okta", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	users, err := os.ReadFile(filepath.Join(snap(a.base), "okta", "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "okta", "users.json"), users, 0o644); err != nil {
		t.Fatal(err)
	}
	fromSnap, err := oktatest.FromSnapshot(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, fromSnap
}

// deploymentPlatformReport is what these tests read of each target's and
// deployment's platform.
type deploymentPlatformReport struct {
	Targets []struct {
		Name              string
		Platform          string
		PlatformSource    string `json:"platform_source"`
		PlatformInference *struct {
			Matches    []string
			Deployment []string `json:"deployment_apps"`
			Conflict   bool
		} `json:"platform_inference"`
		Results []jsonResult
	}
	Deployments []struct {
		Name           string
		Platform       string
		PlatformSource string `json:"platform_source"`
		Targets        []string
	}
}

// A deployment's targets share the console's platform (docs/platforms.md,
// A deployment's platform): with no platform stated, the one platform its
// apps infer, else — apps inferring different platforms — the default,
// each failing platform rule naming the conflicting apps; a stated
// platform is never overridden. Each scenario is two apps sharing one
// druva.yaml, from snapshots and live (the fake Okta), with the same
// verdicts.
func TestDeploymentPlatform(t *testing.T) {
	const (
		usersID  = "0oa8f3k2ldRUVA7xk5d7"
		adminsID = "0oa8f3k2adMINx7xk5d7"
	)
	dcpAdmins := map[string]any{"id": adminsID, "label": "Druva Cloud Platform (administrators)", "settings.signOn.defaultRelayState": "adminlogin"}
	type target struct {
		platform, source string
		want             map[string]string // rule → status
		says             map[string]string // rule → text its message holds
	}
	cases := []struct {
		name       string
		statesDCP  bool // druva.yaml says platform: dcp
		users      map[string]any
		admins     deploymentApp
		deployment [2]string // platform, source
		targets    map[string]target
	}{
		{
			name:       "both apps dcp",
			admins:     deploymentApp{base: "dcp-inferred", set: dcpAdmins},
			deployment: [2]string{"dcp", "inferred"},
			targets: map[string]target{
				"users":  {"dcp", "inferred", map[string]string{"okta.saml.acs-url": "pass", "okta.saml.audience": "pass", "okta.saml.token-attribute": "pass"}, nil},
				"admins": {"dcp", "inferred", map[string]string{"okta.saml.acs-url": "pass", "okta.saml.relay-state": "pass"}, nil},
			},
		},
		{
			// The admins' app's audience matches no platform: judged
			// against what the console's other app is set up for, it
			// fails the audience alone (against the default it failed
			// the ACS URL and token attribute too).
			name: "one app infers, the other matches none",
			admins: deploymentApp{base: "dcp-inferred", set: map[string]any{"id": adminsID, "label": "Druva Cloud Platform (administrators)",
				"settings.signOn.defaultRelayState": "adminlogin", "settings.signOn.audience": "DCP-Login"}},
			deployment: [2]string{"dcp", "inferred"},
			targets: map[string]target{
				"users": {"dcp", "inferred", map[string]string{"okta.saml.audience": "pass"}, nil},
				"admins": {"dcp", "inferred",
					map[string]string{"okta.saml.acs-url": "pass", "okta.saml.token-attribute": "pass", "okta.saml.audience": "fail"},
					map[string]string{"okta.saml.audience": "the platform the other apps of this console are set up for (users (dcp))"}},
			},
		},
		{
			name:       "apps infer different platforms",
			admins:     deploymentApp{base: "admin"},
			deployment: [2]string{"insync-cloud", "default"},
			targets: map[string]target{
				"users": {"insync-cloud", "default",
					map[string]string{"okta.saml.acs-url": "fail", "okta.saml.audience": "fail", "okta.saml.token-attribute": "fail"},
					map[string]string{
						"okta.saml.acs-url":         "infer different platforms (users (dcp), admins (insync-cloud))",
						"okta.saml.audience":        "infer different platforms (users (dcp), admins (insync-cloud))",
						"okta.saml.token-attribute": "infer different platforms (users (dcp), admins (insync-cloud))",
					}},
				"admins": {"insync-cloud", "default", map[string]string{"okta.saml.acs-url": "pass", "okta.saml.audience": "pass"}, nil},
			},
		},
		{
			name:       "a stated platform is never overridden",
			statesDCP:  true,
			admins:     deploymentApp{base: "admin"},
			deployment: [2]string{"dcp", "druva.yaml"},
			targets: map[string]target{
				"users": {"dcp", "druva.yaml", map[string]string{"okta.saml.acs-url": "pass", "okta.saml.audience": "pass"}, nil},
				"admins": {"dcp", "druva.yaml", map[string]string{"okta.saml.acs-url": "fail"},
					map[string]string{"okta.saml.acs-url": "This app is set up for insync-cloud"}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			chdir(t, dir)
			console, err := os.ReadFile(filepath.Join(snap("dcp-inferred"), "druva.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if c.statesDCP {
				console = append([]byte("platform: dcp\n"), console...)
			}
			if err := os.WriteFile("druva.yaml", console, 0o644); err != nil {
				t.Fatal(err)
			}
			usersDir, usersApp := writeApp(t, dir, deploymentApp{target: "users-snap", base: "dcp-inferred", set: c.users})
			c.admins.target = "admins-snap"
			adminsDir, adminsApp := writeApp(t, dir, c.admins)
			o := startOrg(t, usersApp, adminsApp)

			offline := "targets:\n" +
				"  - name: users\n    snapshot: " + usersDir + "\n    druva: druva.yaml\n" +
				"  - name: admins\n    snapshot: " + adminsDir + "\n    druva: druva.yaml\n"
			live := "targets:\n" +
				"  - name: users\n    okta: {org_url: " + o.srv.URL + ", app_id: " + usersID + "}\n    druva: druva.yaml\n" +
				"  - name: admins\n    okta: {org_url: " + o.srv.URL + ", app_id: " + adminsID + "}\n    druva: druva.yaml\n"
			got := map[string]map[string]jsonResult{}
			for what, cfg := range map[string]string{"snapshot": offline, "live": live} {
				if err := os.WriteFile(what+".yaml", []byte(cfg), 0o644); err != nil {
					t.Fatal(err)
				}
				cl := o.cli(t)
				cl.run("scan", "--config", what+".yaml", "--format", "json")
				var rep deploymentPlatformReport
				if err := json.Unmarshal(cl.stdout.Bytes(), &rep); err != nil {
					t.Fatalf("%s: not a JSON report: %v\n%s", what, err, cl.dump())
				}
				if len(rep.Deployments) != 1 || len(rep.Deployments[0].Targets) != 2 {
					t.Fatalf("%s: deployments %+v, want one of both targets", what, rep.Deployments)
				}
				if d := rep.Deployments[0]; d.Platform != c.deployment[0] || d.PlatformSource != c.deployment[1] {
					t.Errorf("%s: deployment platform %s from %q, want %s from %q", what, d.Platform, d.PlatformSource, c.deployment[0], c.deployment[1])
				}
				for _, tg := range rep.Targets {
					want, ok := c.targets[tg.Name]
					if !ok {
						t.Fatalf("%s: unexpected target %s", what, tg.Name)
					}
					if tg.Platform != want.platform || tg.PlatformSource != want.source {
						t.Errorf("%s: %s: platform %s from %q, want %s from %q", what, tg.Name, tg.Platform, tg.PlatformSource, want.platform, want.source)
					}
					if want.source == "default" && (tg.PlatformInference == nil || !tg.PlatformInference.Conflict || len(tg.PlatformInference.Deployment) != 2) {
						t.Errorf("%s: %s: platform_inference does not record the conflict: %+v", what, tg.Name, tg.PlatformInference)
					}
					res := map[string]jsonResult{}
					for _, r := range tg.Results {
						res[r.Rule] = r
						got[what+"/"+tg.Name] = res
					}
					for rule, status := range want.want {
						if r := res[rule]; r.Status != status {
							t.Errorf("%s: %s: %s %s, want %s: %s", what, tg.Name, rule, r.Status, status, r.Message)
						}
					}
					for rule, text := range want.says {
						if r := res[rule]; !strings.Contains(r.Message, text) {
							t.Errorf("%s: %s: %s lacks %q: %s", what, tg.Name, rule, text, r.Message)
						}
					}
				}
			}
			// Re-judging against the deployment's platform reads nothing
			// again: per app its app, keys, metadata and one users page;
			// per org the session policies' list and its domains.
			if n := o.srv.Count(""); n != 2*4+2 {
				t.Errorf("%d requests, want %d (4 per app, 2 per org)", n, 2*4+2)
			}
			if c.deployment[1] == "inferred" {
				// --require platform: the apps' word is no statement.
				cl := o.cli(t)
				if code := cl.run("scan", "--config", "snapshot.yaml", "--format", "json", "--require", "platform"); code != 3 {
					t.Errorf("--require platform: exit %d, want 3", code)
				}
				for _, tg := range cl.report().Targets {
					for _, r := range tg.Results {
						if r.Rule == "okta.saml.acs-url" && (r.Status != "error" || !strings.Contains(r.Message, "--require platform")) {
							t.Errorf("--require platform: %s: %s %s", tg.Name, r.Status, r.Message)
						}
						if r.Rule == "okta.saml.audience" && tg.Name == "admins" && c.targets["admins"].want["okta.saml.audience"] == "fail" &&
							!strings.Contains(r.Message, "inferred from the other apps of its console: users (dcp)") {
							t.Errorf("--require platform: admins: %s", r.Message)
						}
					}
				}
			}
			for name := range c.targets {
				for rule, s := range got["snapshot/"+name] {
					if !strings.HasPrefix(rule, "okta.saml.") && rule != "okta.username.email" && rule != "okta.metadata.consistent" {
						continue
					}
					if l := got["live/"+name][rule]; l.Status != s.Status || l.Message != s.Message {
						t.Errorf("%s: %s: snapshot %s (%s), live %s (%s)", name, rule, s.Status, s.Message, l.Status, l.Message)
					}
				}
			}
		})
	}
}

// An MSC app is a console of its own: --discover --druva FILE leaves it out
// of the console's deployment of DCP apps (judged without that console, as
// a deployment of its own), and so an inSync app out of a console that
// states dcp; -v says so, one line per app, escaped and redacted like every
// line the CLI prints.
func TestDiscoverLeavesOtherFamiliesOut(t *testing.T) {
	const token = "A-48213-7730-qOItB6b7OuXBuBJ0oyhFIeIrKJlNbMUdLw7FP0IBBfI="
	// The MSC app's label holds a terminal escape and its own token, as a
	// careless admin might have pasted it.
	msc := withJSON(t, snapApp(t, "msc"), map[string]any{"id": "0oaMSC00000000000001", "label": "Druva MSC \x1b[2J" + token})
	insync := snapApp(t, "admin")
	cases := []struct {
		name    string
		states  string // druva.yaml's platform: line
		apps    []*oktatest.App
		leftOut string // the app ID left out
		own     string // the platform it is judged against, alone
	}{
		{"an msc app and a dcp app", "", []*oktatest.App{snapApp(t, "dcp-inferred"), msc}, "0oaMSC00000000000001", "msc"},
		{"an insync app and a console stating dcp", "platform: dcp\n", []*oktatest.App{snapApp(t, "dcp-inferred"), insync}, "0oa8f3k2adMINx7xk5d7", "insync-cloud"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chdir(t, t.TempDir())
			console, err := os.ReadFile(filepath.Join(snap("dcp-inferred"), "druva.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile("druva.yaml", append([]byte(c.states), console...), 0o644); err != nil {
				t.Fatal(err)
			}
			o := startOrg(t, c.apps...)
			cl := o.cli(t)
			cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", "druva.yaml", "--format", "json", "-v")
			var rep struct {
				Targets []struct {
					Name           string
					App            struct{ ID string }
					Platform       string
					PlatformSource string `json:"platform_source"`
					Console        string
					Results        []jsonResult
				}
				Deployments []struct {
					Name     string
					Platform string
					Console  string
					Targets  []string
				}
			}
			if err := json.Unmarshal(cl.stdout.Bytes(), &rep); err != nil {
				t.Fatalf("not a JSON report: %v\n%s", err, cl.dump())
			}
			if len(rep.Targets) != 2 || len(rep.Deployments) != 2 {
				t.Fatalf("%d targets, %d deployments; want 2 and 2 (the console's, and the app left out)\n%s", len(rep.Targets), len(rep.Deployments), cl.dump())
			}
			var out string
			for _, tg := range rep.Targets {
				if tg.App.ID != c.leftOut {
					if tg.Platform != "dcp" || tg.Console == "" {
						t.Errorf("%s: platform %s, console %q: want dcp, judged against druva.yaml", tg.Name, tg.Platform, tg.Console)
					}
					continue
				}
				out = tg.Name
				if tg.Platform != c.own || tg.PlatformSource != "inferred" || tg.Console != "" {
					t.Errorf("left out %s: platform %s from %s, console %q: want its own %s, inferred, no console", tg.Name, tg.Platform, tg.PlatformSource, tg.Console, c.own)
				}
				for _, r := range tg.Results {
					if strings.HasPrefix(r.Rule, "druva.") && (r.Status != "skip" || !strings.Contains(r.Message, "left out of deployment druva.yaml")) {
						t.Errorf("left out %s: %s %s: %s", tg.Name, r.Rule, r.Status, r.Message)
					}
				}
			}
			d := rep.Deployments[0]
			if d.Name != "druva.yaml" || len(d.Targets) != 1 || d.Targets[0] == out || d.Platform != "dcp" {
				t.Errorf("the console's deployment: %+v", d)
			}
			if d := rep.Deployments[1]; len(d.Targets) != 1 || d.Targets[0] != out || d.Console != "" || d.Platform != c.own {
				t.Errorf("the left out app's deployment: %+v", d)
			}
			var lines []string
			for _, l := range strings.Split(cl.stderr.String(), "\n") {
				if strings.HasPrefix(l, "discover: left out of deployment druva.yaml: ") {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 || !strings.Contains(lines[0], c.leftOut) || !strings.Contains(lines[0], "set up for "+c.own) {
				t.Errorf("-v: %d lines saying the app was left out, want 1 naming %s and %s:\n%s", len(lines), c.leftOut, c.own, cl.stderr.String())
			}
			if se := cl.stderr.String(); strings.Contains(se, "\x1b") || strings.Contains(se, token[12:]) {
				t.Errorf("stderr shows a raw escape or the token:\n%q", se)
			}
			// Without -v, nothing is said.
			cl = o.cli(t)
			cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", "druva.yaml", "--format", "json")
			if strings.Contains(cl.stderr.String(), "left out") {
				t.Errorf("without -v: %s", cl.stderr.String())
			}
		})
	}
}

// A deployment whose apps infer different platforms shows it in every
// format: the deployment's platform and why, and the conflicting apps in
// each target's failures or platform details.
func TestDeploymentPlatformInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	console, err := os.ReadFile(filepath.Join(snap("dcp-inferred"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("druva.yaml", console, 0o644); err != nil {
		t.Fatal(err)
	}
	users, _ := writeApp(t, dir, deploymentApp{target: "users-snap", base: "dcp-inferred"})
	admins, _ := writeApp(t, dir, deploymentApp{target: "admins-snap", base: "admin"})
	cfg := "targets:\n" +
		"  - name: users\n    snapshot: " + users + "\n    druva: druva.yaml\n" +
		"  - name: admins\n    snapshot: " + admins + "\n    druva: druva.yaml\n"
	if err := os.WriteFile(".ssoaudit.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	const apps = "users (dcp), admins (insync-cloud)"
	for format, want := range map[string][]string{
		"table":    {"Deployment druva.yaml (platform insync-cloud, by default)", apps},
		"markdown": {"platform `insync-cloud`, by default", apps},
		"html":     {"insync-cloud, by default", apps},
		"junit":    {`<property name="platform.source" value="default">`, apps},
		"sarif":    {`"conflict": true`, `"deployment": "druva.yaml"`, apps},
		"json":     {`"platform_source": "default"`, `"conflict": true`, apps},
	} {
		cl := newCLI(t)
		cl.env["COLUMNS"] = "400"
		cl.run("scan", "--format", format)
		for _, w := range want {
			if !strings.Contains(cl.stdout.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, cl.stdout.String())
			}
		}
	}
}
