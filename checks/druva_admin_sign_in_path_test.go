package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// usersApp and adminApp are the two apps of a typical deployment, as the
// scan records them: the users' app (no relay state) and the
// administrators' (adminlogin), each with people assigned.
func usersApp() audit.Member {
	return audit.Member{Target: "users", App: audit.AppRef{ID: "0oa8f3k2ldRUVA7xk5d7", Label: "Druva inSync"},
		RelayState: fixture.Ptr(""), SSOURLs: []string{fixture.LoginURL}, Assigned: fixture.Ptr(true)}
}

func adminApp() audit.Member {
	return audit.Member{Target: "admins", App: audit.AppRef{ID: "0oa8f3k2adMINx7xk5d7", Label: "Druva inSync (administrators)"},
		RelayState: fixture.Ptr("adminlogin"), SSOURLs: []string{"https://acme.okta.com/app/acme_druvainsync_2/exk8f3k2adMINwj4d7/sso/saml"},
		Assigned: fixture.Ptr(true)}
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
		members []audit.Member
		mutate  func(d *audit.Deployment)
		want    audit.Status
		message string
		check   func(t *testing.T, r audit.Result)
	}{
		{name: "deployment of one without the admin relay state", members: []audit.Member{usersApp()},
			want: audit.StatusWarn, message: `the only app this run knows, app "Druva inSync" (target "users"), does not send the administrators' relay state ("adminlogin")`},
		{name: "users and admin apps", members: []audit.Member{usersApp(), adminApp()},
			want: audit.StatusPass, message: `through app "Druva inSync (administrators)" (target "admins"), which sends the administrators' relay state "adminlogin"`},
		{name: "admin app alone", members: []audit.Member{adminApp()}, want: audit.StatusPass},
		{name: "two apps, neither sends adminlogin", members: []audit.Member{usersApp(), func() audit.Member {
			m := adminApp()
			m.RelayState = fixture.Ptr("adminLogin")
			return m
		}()}, want: audit.StatusFail, message: `app "Druva inSync (administrators)" (target "admins") sends the relay state "adminLogin", a near miss of the administrators' "adminlogin"`,
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "(see okta.saml.relay-state)") || !strings.Contains(r.Remediation, `(the app of target "admins")`) ||
					strings.Contains(r.Message, "audit it in the same run") {
					t.Errorf("message %q / remediation %q do not point at the app's relay state", r.Message, r.Remediation)
				}
			}},
		{name: "the only app sends a near miss of adminlogin (okta.saml.relay-state fails it)", members: []audit.Member{func() audit.Member {
			m := adminApp()
			m.RelayState = fixture.Ptr(" admin_login")
			return m
		}()}, want: audit.StatusWarn, message: `sends the relay state " admin_login", a near miss of the administrators' "adminlogin"`},
		{name: "two apps, neither sends adminlogin nor a near miss", members: []audit.Member{usersApp(), func() audit.Member {
			m := adminApp()
			m.RelayState = fixture.Ptr("browseractivate")
			return m
		}()}, want: audit.StatusFail, message: `none of its 2 apps (app "Druva inSync" (target "users"), app "Druva inSync (administrators)" (target "admins")) sends the administrators' relay state`},
		{name: "admin SSO off", members: []audit.Member{usersApp()}, mutate: func(d *audit.Deployment) { admins(d, fixture.Ptr(false)) },
			want: audit.StatusPass, message: "single sign-on for administrators is off"},
		{name: "admin app with nobody assigned", members: []audit.Member{usersApp(), func() audit.Member {
			m := adminApp()
			m.Assigned = fixture.Ptr(false)
			return m
		}()}, want: audit.StatusFail, message: "nobody is assigned to it"},
		{name: "admin app whose users were not read", members: []audit.Member{usersApp(), func() audit.Member {
			m := adminApp()
			m.Assigned, m.AssignedGap = nil, "okta/users.json is not in the snapshot"
			return m
		}()}, want: audit.StatusSkip, message: "whether anyone is assigned to it was not read (okta/users.json is not in the snapshot)"},
		{name: "an app that could not be read might be the admin app", members: []audit.Member{usersApp(), {Target: "admins", AppGap: "HTTP 500"}},
			want: audit.StatusError, message: "could not be read: it may be the administrators' app"},
		{name: "DCP accepts an empty administrators' relay state", members: []audit.Member{usersApp()},
			mutate: func(d *audit.Deployment) { d.Platform = "dcp" }, want: audit.StatusPass},
		{name: "no admins section", members: []audit.Member{usersApp()}, mutate: func(d *audit.Deployment) { d.Console.Admins = nil },
			want: audit.StatusSkip, message: "no admins section", check: inputAbsent},
		{name: "admin SSO not recorded", members: []audit.Member{usersApp()}, mutate: func(d *audit.Deployment) { admins(d, nil) },
			want: audit.StatusSkip, message: "does not record admins.sso_enabled", check: func(t *testing.T, r audit.Result) {
				inputAbsent(t, r)
				recordOnly(t, r)
			}},
		{name: "no console", members: []audit.Member{usersApp()}, mutate: func(d *audit.Deployment) {
			d.Console = nil
			d.Missing(audit.InputConsole, "no druva.yaml was given")
		}, want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", members: []audit.Member{usersApp()}, mutate: func(d *audit.Deployment) {
			d.Console = nil
			d.Failed(audit.InputConsole, "snapshot directory gone")
		}, want: audit.StatusError, message: "could not read druva.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &audit.Deployment{Name: "druva.yaml", Console: fixture.Console(t), Platform: audit.DefaultPlatform, Now: fixture.Now, Members: c.members}
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
	// Run never applies a deployment rule to a target, and RunDeployment
	// never a target rule to a deployment.
	for _, r := range audit.Run(fixture.Good(t), All(), nil) {
		if r.Rule == "druva.admin.sign-in-path" {
			t.Error("a deployment rule was judged on a target")
		}
	}
	d := &audit.Deployment{Name: "druva.yaml", Console: fixture.Console(t), Platform: audit.DefaultPlatform, Members: []audit.Member{usersApp()}}
	res := audit.RunDeployment(d, All(), nil)
	if len(res) != len(ForDeployments()) || res[0].Rule != "druva.admin.sign-in-path" {
		t.Errorf("deployment results %+v", res)
	}
	if len(ForDeployments())+len(ForTargets()) != len(All()) {
		t.Error("ForTargets and ForDeployments do not split the catalog")
	}
}
