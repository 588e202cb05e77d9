package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestMFAAgreesLiveSnapshotOffline: okta.app.mfa on an Identity Engine org
// gives the same verdict live, from the snapshot the snapshot command
// takes, and from the saved snapshot.
func TestMFAAgreesLiveSnapshotOffline(t *testing.T) {
	chdir(t, t.TempDir())
	for _, c := range []struct {
		rules, status, message string
		exit                   int
	}{
		{"two-factors.json", "pass", "requires two factors or denies access", 0},
		{"catch-all-one-factor.json", "fail", `rule "Catch-all Rule" (the catch-all rule) allows access with one factor`, 1},
	} {
		t.Run(c.rules, func(t *testing.T) {
			dir := fixture.IdentityEngineDir(t, c.rules)
			app, err := oktatest.FromSnapshot(dir)
			if err != nil {
				t.Fatal(err)
			}
			o := startOrg(t, app)
			cl := o.cli(t)
			druvaYAML := filepath.Join(dir, "druva.yaml")

			offline := cl.run("scan", "--snapshot", dir, "--format", "json")
			want := cl.report().results(t)
			if r := want["okta.app.mfa"]; r.Status != c.status || !strings.Contains(r.Message, c.message) || offline != c.exit {
				t.Fatalf("offline: exit %d, okta.app.mfa %+v", offline, r)
			}

			o.srv.ResetLog()
			live := cl.run(cl.live(goodAppID, "--druva", druvaYAML, "--format", "json")...)
			sameResults(t, "live vs offline", cl.report().results(t), want)
			if live != offline {
				t.Errorf("exit %d live, %d offline", live, offline)
			}
			if n := o.srv.Count(oktatest.EndpointPolicyRules); n != 1 {
				t.Errorf("%d policy rules requests, want 1", n)
			}
			if n := o.srv.Count(""); n != 5 {
				t.Errorf("%d requests, want 5: app, keys, metadata, one users page, policy rules", n)
			}

			out := filepath.Join(t.TempDir(), "evidence")
			if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", druvaYAML, "--out", out, "-q"); code != 0 {
				t.Fatalf("snapshot: exit %d\n%s", code, cl.dump())
			}
			if _, err := os.Stat(filepath.Join(out, "okta", "policy-rules.json")); err != nil {
				t.Fatal(err)
			}
			snapshot := cl.run("scan", "--snapshot", out, "--format", "json")
			sameResults(t, "snapshot command vs offline", cl.report().results(t), want)
			if snapshot != offline {
				t.Errorf("exit %d from the snapshot command's snapshot, %d offline", snapshot, offline)
			}
		})
	}
}

// TestMFAWithoutPoliciesScope: a least-privilege credential (apps and
// users, no okta.policies.read) keeps the exit code it had before
// okta.app.mfa existed; the rule skips and names the scope.
func TestMFAWithoutPoliciesScope(t *testing.T) {
	chdir(t, t.TempDir())
	dir := fixture.IdentityEngineDir(t, "catch-all-one-factor.json")
	app, err := oktatest.FromSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := startOrg(t, app)
	o.srv.AddToken("00leastPrivilege0000", oktatest.ScopeApps, oktatest.ScopeUsers)
	t.Setenv("OKTA_CLIENT_TOKEN", "00leastPrivilege0000")
	cl := o.cli(t)
	code := cl.run(cl.live(goodAppID, "--druva", filepath.Join(dir, "druva.yaml"), "--format", "json")...)
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

	// The snapshot command still saves the app, without the policy rules,
	// and says so.
	out := filepath.Join(t.TempDir(), "evidence")
	if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out, "-q"); code != 0 {
		t.Fatalf("snapshot without okta.policies.read: exit %d\n%s", code, cl.dump())
	}
	if !strings.Contains(cl.stderr.String(), "okta/policy-rules.json was not saved") || !strings.Contains(cl.stderr.String(), "okta.policies.read") {
		t.Errorf("snapshot without okta.policies.read says nothing:\n%s", cl.dump())
	}

	// --require policy: the run could not verify MFA, so it is incomplete.
	code = cl.run(cl.live(goodAppID, "--druva", filepath.Join(dir, "druva.yaml"), "--format", "json", "--require", "policy")...)
	if code != 3 {
		t.Errorf("--require policy: exit %d, want 3\n%s", code, cl.dump())
	}
	if r := cl.report().results(t)["okta.app.mfa"]; r.Status != "error" || !strings.Contains(r.Message, "okta.policies.read") {
		t.Errorf("--require policy: okta.app.mfa %+v", r)
	}

	// On a Classic Engine org the rule does not apply: --require policy
	// does not turn that skip into an error.
	o2 := startOrg(t)
	cl2 := o2.cli(t)
	if code := cl2.run(cl2.live(goodAppID, "--druva", filepath.Join(snap("good"), "druva.yaml"), "--format", "json", "--require", "policy")...); code != 0 {
		t.Errorf("classic engine with --require policy: exit %d\n%s", code, cl2.dump())
	}
	if r := cl2.report().results(t)["okta.app.mfa"]; r.Status != "skip" || !strings.Contains(r.Message, "Classic Engine") {
		t.Errorf("classic engine: okta.app.mfa %+v", r)
	}
}
