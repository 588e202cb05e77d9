package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func relaySet(v string) func(*audit.Target) {
	return func(t *audit.Target) { t.App.Settings.SignOn.DefaultRelayState = v }
}

// relayMode asserts which sign-in a passing app serves.
func relayMode(mode string) func(*testing.T, audit.Result) {
	return func(t *testing.T, r audit.Result) {
		t.Helper()
		if got := evidence(t, r, "mode"); got != mode {
			t.Errorf("evidence mode = %v, want %q", got, mode)
		}
	}
}

func TestRelayState(t *testing.T) {
	runCases(t, "okta.saml.relay-state", append([]ruleCase{
		{name: "good snapshot: empty", want: audit.StatusPass, message: "signs users in",
			check: relayMode("users")},
		{name: "browseractivate", mutate: relaySet("browseractivate"), want: audit.StatusPass, message: "signs users in",
			check: relayMode("users")},
		{name: "adminlogin", mutate: relaySet("adminlogin"), want: audit.StatusPass, message: "signs administrators in",
			check: relayMode("administrators")},
		{name: "adminLogin", mutate: relaySet("adminLogin"),
			want: audit.StatusFail, message: `the Default RelayState is "adminLogin", not "adminlogin" (its letter case differs). Druva matches adminlogin exactly and never authenticates`,
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "actual"); got != "adminLogin" {
					t.Errorf("evidence actual = %v", got)
				}
			}},
		{name: "space before adminlogin", mutate: relaySet(" adminlogin"),
			want: audit.StatusFail, message: "a stray space before it"},
		{name: "space after adminlogin", mutate: relaySet("adminlogin "),
			want: audit.StatusFail, message: `not "adminlogin" (it has a stray space after it). Druva matches adminlogin exactly and never authenticates an administrator`},
		{name: "space and case", mutate: relaySet("AdminLogin\t"),
			want: audit.StatusFail, message: "(it has a stray space after it, and its letter case differs). Druva matches adminlogin exactly"},
		{name: "BrowserActivate", mutate: relaySet("BrowserActivate"),
			want: audit.StatusFail, message: `not "browseractivate" (its letter case differs). Druva matches relay states exactly`},
		{name: "space after browseractivate", mutate: relaySet("browseractivate "),
			want: audit.StatusFail, message: `not "browseractivate" (it has a stray space after it)`},
		{name: "blank", mutate: relaySet("  "),
			want: audit.StatusFail, message: "blank but not empty"},
		{name: "a URL", mutate: relaySet("https://cloud.druva.com/admin"),
			want: audit.StatusFail, message: "a URL is not a Druva relay state"},
		{name: "a path", mutate: relaySet("/home/admin"),
			want: audit.StatusFail, message: "a URL is not a Druva relay state"},
		{name: "a DCP user relay state on inSync", mutate: relaySet("deviceactivate"),
			want: audit.StatusFail, message: `"deviceactivate", which Druva documents for dcp / dcp-govcloud / dcp-dell, not for insync-cloud`,
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "closest") != "browseractivate" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "anything else", mutate: relaySet("admin"),
			want: audit.StatusFail, message: `"admin", which is not a Druva relay state: the insync-cloud platform accepts "" or "browseractivate" for users and "adminlogin" for administrators (closest: "adminlogin")`},
		{name: "DCP: webrestore", mutate: chain(onPlatform("dcp"), relaySet("webrestore")), want: audit.StatusPass, message: "signs users in",
			check: func(t *testing.T, r audit.Result) {
				relayMode("users")(t, r)
				if got := evidence(t, r, "documented_by"); !strings.Contains(got.(string), "https://help.druva.com/en/articles/8806061") {
					t.Errorf("documented_by = %v", got)
				}
				if got := evidence(t, r, "note"); !strings.Contains(got.(string), "versions that disagree") {
					t.Errorf("note = %v", got)
				}
			}},
		{name: "DCP: empty serves both", mutate: onPlatform("dcp"), want: audit.StatusPass, message: "serves users and administrators alike"},
		{name: "DCP: browseractivate is inSync's", mutate: chain(onPlatform("dcp"), relaySet("browseractivate")),
			want: audit.StatusFail, message: "which Druva documents for insync-cloud / insync-govcloud / insync-onprem, not for dcp"},
		{name: "DCP: WebRestore", mutate: chain(onPlatform("dcp"), relaySet("WebRestore")),
			want: audit.StatusFail, message: `not "webrestore" (its letter case differs)`},
		{name: "catalog app: relay state null", mutate: chain(asCatalog("druva"), nullSent("defaultRelayState")),
			want: audit.StatusPass, message: "the Default RelayState is empty"},
		{name: "catalog app: relay state left out", mutate: chain(asCatalog("druva"), unsent("defaultRelayState")),
			want: audit.StatusSkip, message: "Okta does not expose the Default RelayState for the"},
		{name: "custom app: relay state left out", mutate: unsent("defaultRelayState"),
			want: audit.StatusSkip, message: "okta/app.json does not record the Default RelayState (settings.signOn.defaultRelayState is left out)"},
	}, samlAppCases()...))
}
