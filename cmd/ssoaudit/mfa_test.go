package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestMFAScenarios: every scenario of testdata/mfa gets the verdict its
// expect.json names from its snapshot, live from a fake org serving the
// same policies (paged as the scenario says), and from the snapshot the
// snapshot command takes of that org; and live reads the org's session
// policies with one list request and one rules request per policy.
func TestMFAScenarios(t *testing.T) {
	chdir(t, t.TempDir())
	for _, sc := range fixture.MFAScenarios(t) {
		t.Run(sc.Name, func(t *testing.T) {
			app, err := oktatest.FromSnapshot(sc.Dir)
			if err != nil {
				t.Fatal(err)
			}
			o := startOrg(t, app)
			if sc.PageSize > 0 {
				o.srv.SetRulesPageSize(sc.PageSize)
			}
			cl := o.cli(t)
			druvaYAML := filepath.Join(sc.Dir, "druva.yaml")

			offline := cl.run("scan", "--snapshot", sc.Dir, "--format", "json")
			want := cl.report().results(t)
			r := want["okta.app.mfa"]
			if r.Status != sc.Status {
				t.Fatalf("offline: okta.app.mfa %s, want %s: %s", r.Status, sc.Status, r.Message)
			}
			for _, s := range sc.Says {
				if !strings.Contains(r.Message, s) {
					t.Errorf("offline: message lacks %q: %s", s, r.Message)
				}
			}

			o.srv.ResetLog()
			live := cl.run(cl.live(goodAppID, "--druva", druvaYAML, "--format", "json")...)
			got := cl.report().results(t)
			_, statErr := os.Stat(filepath.Join(sc.Dir, "okta", "session-policies.json"))
			orgHasSessions := statErr == nil
			if !orgHasSessions {
				// Live, an org's session policies are always known (this
				// fake org lists none), so the message differs from that of
				// a snapshot without the file; the verdict does not.
				if g := got["okta.app.mfa"]; g.Status != sc.Status {
					t.Errorf("live: okta.app.mfa %s, want %s: %s", g.Status, sc.Status, g.Message)
				}
				delete(got, "okta.app.mfa")
				delete(want, "okta.app.mfa")
			}
			sameResults(t, "live vs offline", got, want)
			if live != offline {
				t.Errorf("exit %d live, %d offline", live, offline)
			}
			// The requests: the app's own (app, keys, metadata, one users
			// page, and its authentication policy's rules, paged), and the
			// org's: one list of session policies, one rules request each.
			appRules, sessionRules := 0, 0
			for _, q := range o.srv.Requests() {
				if q.Endpoint == oktatest.EndpointPolicyRules {
					if q.Path == "/api/v1/policies/"+fixture.PolicyID+"/rules" {
						appRules++
					} else {
						sessionRules++
					}
				}
			}
			if n := o.srv.Count(oktatest.EndpointPolicies); n != 1 {
				t.Errorf("%d session policy list requests, want 1", n)
			}
			wantSessionRules := 0
			if orgHasSessions {
				wantSessionRules = 1 // one policy
			}
			if sessionRules != wantSessionRules {
				t.Errorf("%d session policy rules requests, want %d", sessionRules, wantSessionRules)
			}
			wantApp := 0
			if sc.PageSize > 0 {
				wantApp = 2 // the scenario's rules span two pages
			} else if _, err := os.Stat(filepath.Join(sc.Dir, "okta", "policy-rules.json")); err == nil {
				wantApp = 1
			}
			if appRules != wantApp {
				t.Errorf("%d authentication policy rules requests, want %d", appRules, wantApp)
			}
			// ... and, once per org, its custom domains.
			if n := o.srv.Count(""); n != 4+wantApp+1+wantSessionRules+1 {
				t.Errorf("%d requests, want %d: app, keys, metadata, users, %d for the app's policy rules, %d for the org's session policies, 1 for its domains",
					n, 4+wantApp+1+wantSessionRules+1, wantApp, 1+wantSessionRules)
			}

			out := filepath.Join(t.TempDir(), "evidence")
			if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", druvaYAML, "--out", out, "-q"); code != 0 {
				t.Fatalf("snapshot: exit %d\n%s", code, cl.dump())
			}
			if _, err := os.Stat(filepath.Join(out, "okta", "session-policies.json")); err != nil {
				t.Fatal(err)
			}
			snapshot := cl.run("scan", "--snapshot", out, "--format", "json")
			fromSnapshot := cl.report().results(t)
			if !orgHasSessions {
				delete(fromSnapshot, "okta.app.mfa")
			}
			sameResults(t, "snapshot command vs offline", fromSnapshot, want)
			if snapshot != offline {
				t.Errorf("exit %d from the snapshot command's snapshot, %d offline", snapshot, offline)
			}
		})
	}
}

// TestMFAFleetReadsSessionPoliciesOnce: the org's global session policies
// are read once per org and run, however many of its apps are scanned; each
// app's own requests are what they were.
func TestMFAFleetReadsSessionPoliciesOnce(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	sc := fixture.LoadMFAScenario(t, "upgraded-org")
	app, err := oktatest.FromSnapshot(sc.Dir)
	if err != nil {
		t.Fatal(err)
	}
	druvaYAML := filepath.Join(sc.Dir, "druva.yaml")
	for _, apps := range []int{1, 20} {
		o := startOrg(t, app)
		var cfg strings.Builder
		cfg.WriteString("targets:\n")
		for i := range apps {
			fmt.Fprintf(&cfg, "  - name: app%d\n    okta: {org_url: %s, app_id: %s}\n    druva: %s\n", i, o.srv.URL, goodAppID, druvaYAML)
		}
		path := filepath.Join(dir, fmt.Sprintf("fleet%d.yaml", apps))
		if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		cl := o.cli(t)
		if code := cl.run("scan", "--config", path, "--format", "json", "--fail-on", "none"); code != 0 {
			t.Fatalf("%d apps: exit %d\n%s", apps, code, cl.dump())
		}
		rep := cl.report()
		if len(rep.Targets) != apps {
			t.Fatalf("%d targets, want %d", len(rep.Targets), apps)
		}
		for _, tg := range rep.Targets {
			for _, r := range tg.Results {
				if r.Rule == "okta.app.mfa" && r.Status != "pass" {
					t.Errorf("%d apps: okta.app.mfa %s: %s", apps, r.Status, r.Message)
				}
			}
		}
		// Per app: app, keys, metadata, one users page, the policy's rules.
		// Per org: the session policy list and its one policy's rules, and
		// its custom domains (GET /api/v1/domains).
		perApp, perOrg := 5, 3
		if n := o.srv.Count(oktatest.EndpointPolicies); n != 1 {
			t.Errorf("%d apps: %d session policy list requests, want 1", apps, n)
		}
		if n := o.srv.Count(oktatest.EndpointDomains); n != 1 {
			t.Errorf("%d apps: %d domains requests, want 1", apps, n)
		}
		if n := o.srv.Count(""); n != apps*perApp+perOrg {
			t.Errorf("%d apps: %d requests, want %d (%d per app, %d per org)", apps, n, apps*perApp+perOrg, perApp, perOrg)
		}
		t.Logf("%d app(s) in one org: %d requests (%d session policy list, %d policy rules)", apps, o.srv.Count(""),
			o.srv.Count(oktatest.EndpointPolicies), o.srv.Count(oktatest.EndpointPolicyRules))
	}
}

// TestMFAWithoutPoliciesScope: a least-privilege credential (apps and
// users, no okta.policies.read) keeps the exit code it had before
// okta.app.mfa existed; the rule skips and names the scope.
func TestMFAWithoutPoliciesScope(t *testing.T) {
	chdir(t, t.TempDir())
	sc := fixture.LoadMFAScenario(t, "session-without-mfa")
	app, err := oktatest.FromSnapshot(sc.Dir)
	if err != nil {
		t.Fatal(err)
	}
	o := startOrg(t, app)
	o.srv.AddToken("00leastPrivilege0000", oktatest.ScopeApps, oktatest.ScopeUsers)
	t.Setenv("OKTA_CLIENT_TOKEN", "00leastPrivilege0000")
	cl := o.cli(t)
	code := cl.run(cl.live(goodAppID, "--druva", filepath.Join(sc.Dir, "druva.yaml"), "--format", "json")...)
	if code != 0 {
		t.Errorf("exit %d, want 0 as before okta.app.mfa\n%s", code, cl.dump())
	}
	res := cl.report().results(t)
	if r := res["okta.app.mfa"]; r.Status != "skip" || !strings.Contains(r.Message, "okta.policies.read") {
		t.Errorf("okta.app.mfa: %+v", r)
	}
	for rule, r := range res {
		if r.Status == "error" {
			t.Errorf("%s: error without the policies scope: %s", rule, r.Message)
		}
	}

	// The snapshot command still saves the app, without the policies, and
	// says so.
	out := filepath.Join(t.TempDir(), "evidence")
	if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out, "-q"); code != 0 {
		t.Fatalf("snapshot without okta.policies.read: exit %d\n%s", code, cl.dump())
	}
	for _, f := range []string{"policy-rules.json", "session-policies.json"} {
		if !strings.Contains(cl.stderr.String(), "okta/"+f+" was not saved") || !strings.Contains(cl.stderr.String(), "okta.policies.read") {
			t.Errorf("snapshot without okta.policies.read says nothing of %s:\n%s", f, cl.dump())
		}
		if _, err := os.Stat(filepath.Join(out, "okta", f)); err == nil {
			t.Errorf("%s saved without okta.policies.read", f)
		}
	}

	// --require policy: the run could not verify MFA, so it is incomplete.
	code = cl.run(cl.live(goodAppID, "--druva", filepath.Join(sc.Dir, "druva.yaml"), "--format", "json", "--require", "policy")...)
	if code != 3 {
		t.Errorf("--require policy: exit %d, want 3\n%s", code, cl.dump())
	}
	if r := cl.report().results(t)["okta.app.mfa"]; r.Status != "error" || !strings.Contains(r.Message, "okta.policies.read") {
		t.Errorf("--require policy: okta.app.mfa %+v", r)
	}

	// A Classic Engine org is judged on its session policies: without the
	// scope the rule skips, naming it, and --require policy makes that an
	// error too.
	o2 := startOrg(t)
	o2.srv.AddToken("00leastPrivilege0000", oktatest.ScopeApps, oktatest.ScopeUsers)
	t.Setenv("OKTA_CLIENT_TOKEN", "00leastPrivilege0000")
	cl2 := o2.cli(t)
	if code := cl2.run(cl2.live(goodAppID, "--druva", filepath.Join(snap("good"), "druva.yaml"), "--format", "json")...); code != 0 {
		t.Errorf("classic engine without okta.policies.read: exit %d\n%s", code, cl2.dump())
	}
	if r := cl2.report().results(t)["okta.app.mfa"]; r.Status != "skip" || !strings.Contains(r.Message, "Classic Engine") || !strings.Contains(r.Message, "okta.policies.read") {
		t.Errorf("classic engine: okta.app.mfa %+v", r)
	}
	if code := cl2.run(cl2.live(goodAppID, "--druva", filepath.Join(snap("good"), "druva.yaml"), "--format", "json", "--require", "policy")...); code != 3 {
		t.Errorf("classic engine without okta.policies.read, --require policy: exit %d, want 3", code)
	}
}
