package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// usersApp and adminApp are the two apps of a typical deployment, as
// targets of one run: the good snapshot (the users' app, no relay state)
// and a second app sending the administrators' relay state (adminlogin),
// each with people assigned. A case's mutation says what differs.
func usersApp(tb testing.TB) *audit.Target {
	t := fixture.Good(tb)
	t.Name = "users"
	return t
}

func adminApp(tb testing.TB) *audit.Target {
	t := fixture.Good(tb)
	t.Name = "admins"
	t.App.ID, t.App.Label = "0oa8f3k2adMINx7xk5d7", "Druva inSync (administrators)"
	t.App.Settings.SignOn.DefaultRelayState = "adminlogin"
	t.Metadata.SSOServices = []audit.Endpoint{{Location: "https://acme.okta.com/app/acme_druvainsync_2/exk8f3k2adMINwj4d7/sso/saml"}}
	return t
}

// app is an app of a deployment with one change.
func app(make func(testing.TB) *audit.Target, change func(*audit.Target)) func(testing.TB) *audit.Target {
	return func(tb testing.TB) *audit.Target {
		t := make(tb)
		change(t)
		return t
	}
}

func relayState(v string) func(*audit.Target) {
	return func(t *audit.Target) { t.App.Settings.SignOn.DefaultRelayState = v }
}

func TestAdminSignInPath(t *testing.T) {
	rule, ok := Lookup("druva.admin.sign-in-path")
	if !ok || !rule.OnDeployment() {
		t.Fatal("druva.admin.sign-in-path is not a registered deployment rule")
	}
	admins := func(d *audit.Deployment, sso *bool) {
		d.Console.Admins = &audit.ConsoleAdmins{SSOEnabled: sso, Failsafe: fixture.Ptr(true)}
	}
	cases := []struct {
		name    string
		members []func(testing.TB) *audit.Target
		mutate  func(d *audit.Deployment)
		want    audit.Status
		message string
		check   func(t *testing.T, r audit.Result)
	}{
		{name: "deployment of one without the admin relay state", members: []func(testing.TB) *audit.Target{usersApp},
			want: audit.StatusWarn, message: `the only app this run knows, app "Druva inSync" (target "users"), does not send the administrators' relay state ("adminlogin")`},
		{name: "users and admin apps", members: []func(testing.TB) *audit.Target{usersApp, adminApp},
			want: audit.StatusPass, message: `through app "Druva inSync (administrators)" (target "admins"), which sends the administrators' relay state "adminlogin"`},
		{name: "admin app alone", members: []func(testing.TB) *audit.Target{adminApp}, want: audit.StatusPass},
		{name: "two apps, neither sends adminlogin", members: []func(testing.TB) *audit.Target{usersApp, app(adminApp, relayState("adminLogin"))}, want: audit.StatusFail, message: `app "Druva inSync (administrators)" (target "admins") sends the relay state "adminLogin", a near miss of the administrators' "adminlogin"`,
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "(see okta.saml.relay-state)") || !strings.Contains(r.Remediation, `(the app of target "admins")`) ||
					strings.Contains(r.Message, "audit it in the same run") {
					t.Errorf("message %q / remediation %q do not point at the app's relay state", r.Message, r.Remediation)
				}
			}},
		{name: "the only app sends a near miss of adminlogin (okta.saml.relay-state fails it)", members: []func(testing.TB) *audit.Target{app(adminApp, relayState(" admin_login"))}, want: audit.StatusWarn, message: `sends the relay state " admin_login", a near miss of the administrators' "adminlogin"`},
		{name: "two apps, neither sends adminlogin nor a near miss", members: []func(testing.TB) *audit.Target{usersApp, app(adminApp, relayState("browseractivate"))}, want: audit.StatusFail, message: `none of its 2 apps (app "Druva inSync" (target "users"), app "Druva inSync (administrators)" (target "admins")) sends the administrators' relay state`},
		{name: "admin SSO off", members: []func(testing.TB) *audit.Target{usersApp}, mutate: func(d *audit.Deployment) { admins(d, fixture.Ptr(false)) },
			want: audit.StatusPass, message: "single sign-on for administrators is off"},
		{name: "admin app with nobody assigned", members: []func(testing.TB) *audit.Target{usersApp, app(adminApp, func(t *audit.Target) { fixture.Users(t) })}, want: audit.StatusFail, message: "nobody is assigned to it"},
		{name: "admin app whose users were not read", members: []func(testing.TB) *audit.Target{usersApp, app(adminApp, func(t *audit.Target) {
			t.Users = nil
			t.Missing(audit.InputUsers, "okta/users.json is not in the snapshot")
		})}, want: audit.StatusSkip, message: "whether anyone is assigned to it was not read (okta/users.json is not in the snapshot)"},
		{name: "an app that could not be read might be the admin app", members: []func(testing.TB) *audit.Target{usersApp, app(adminApp, func(t *audit.Target) {
			t.App = nil
			t.Failed(audit.InputApp, errors.New("HTTP 500"))
		})},
			want: audit.StatusError, message: "could not be read: it may be the administrators' app"},
		{name: "DCP accepts an empty administrators' relay state", members: []func(testing.TB) *audit.Target{usersApp},
			mutate: func(d *audit.Deployment) { d.Platform = "dcp" }, want: audit.StatusPass},
		{name: "no admins section", members: []func(testing.TB) *audit.Target{usersApp}, mutate: func(d *audit.Deployment) { d.Console.Admins = nil },
			want: audit.StatusSkip, message: "no admins section", check: inputAbsent},
		{name: "admin SSO not recorded", members: []func(testing.TB) *audit.Target{usersApp}, mutate: func(d *audit.Deployment) { admins(d, nil) },
			want: audit.StatusSkip, message: "does not record admins.sso_enabled", check: func(t *testing.T, r audit.Result) {
				inputAbsent(t, r)
				recordOnly(t, r)
			}},
		{name: "no console", members: []func(testing.TB) *audit.Target{usersApp}, mutate: func(d *audit.Deployment) {
			d.Console = nil
			d.Missing(audit.InputConsole, "no druva.yaml was given")
		}, want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", members: []func(testing.TB) *audit.Target{usersApp}, mutate: func(d *audit.Deployment) {
			d.Console = nil
			d.Failed(audit.InputConsole, "snapshot directory gone")
		}, want: audit.StatusError, message: "could not read druva.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			targets := make([]*audit.Target, len(c.members))
			for i, m := range c.members {
				targets[i] = m(t)
			}
			d := audit.NewDeployment("druva.yaml", fixture.Console(t), audit.DefaultPlatform, fixture.Now, targets)
			if c.mutate != nil {
				c.mutate(d)
			}
			r := audit.EvaluateDeployment(rule, d)
			if r.Status != c.want {
				t.Fatalf("status = %s, want %s; message: %s", r.Status, c.want, r.Message)
			}
			if !strings.Contains(r.Message, c.message) {
				t.Errorf("message %q does not contain %q", r.Message, c.message)
			}
			if r.Rule != rule.ID || r.Title == "" || r.Remediation == "" || r.Reference == "" {
				t.Errorf("result lacks metadata: %+v", r)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

func TestAdminSignInPathOnlyOnDeployments(t *testing.T) {
	// Run never applies a deployment rule to a target, and a plan's
	// JudgeDeployment never a target rule to a deployment.
	for _, r := range audit.Run(fixture.Good(t), All(), nil) {
		if r.Rule == "druva.admin.sign-in-path" {
			t.Error("a deployment rule was judged on a target")
		}
	}
	p := audit.NewPlan(All(), nil)
	users := usersApp(t)
	judged := p.Judge(users)
	d := audit.NewDeployment("druva.yaml", fixture.Console(t), audit.DefaultPlatform, fixture.Now, []*audit.Target{users})
	res := p.JudgeDeployment(d, [][]audit.Result{judged})
	if len(res) != len(ForDeployments()) || res[0].Rule != "druva.admin.sign-in-path" {
		t.Errorf("deployment results %+v", res)
	}
	if len(ForDeployments())+len(ForTargets()) != len(All()) {
		t.Error("ForTargets and ForDeployments do not split the catalog")
	}
}
