package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestSAMLActive(t *testing.T) {
	runCases(t, "okta.app.saml-active", []ruleCase{
		{name: "catalog app: recognised, and said so", mutate: asCatalog("druva2"), want: audit.StatusPass,
			message: `it is the "Druva inSync" (catalog integration "druva2") from Okta's catalog`,
			check: func(t *testing.T, r audit.Result) {
				if how := evidence(t, r, "catalog_app").(string); !strings.Contains(how, `its name "druva2" is a catalog integration's key`) {
					t.Errorf("catalog_app = %q", how)
				}
			}},
		{name: "custom app: recognised, and said so", want: audit.StatusPass,
			check: func(t *testing.T, r audit.Result) {
				if how := evidence(t, r, "custom_app").(string); !strings.Contains(how, `custom SAML app: name "acme_druvainsync_1"`) {
					t.Errorf("custom_app = %q", how)
				}
			}},
		{name: "good snapshot", want: audit.StatusPass, check: func(t *testing.T, r audit.Result) {
			actual := evidence(t, r, "actual").(map[string]string)
			if actual["signOnMode"] != "SAML_2_0" || actual["status"] != "ACTIVE" {
				t.Errorf("actual = %v", actual)
			}
		}},
		{name: "inactive app", mutate: func(t *audit.Target) { t.App.Status = "INACTIVE" },
			want: audit.StatusFail, message: `deactivated (status "INACTIVE")`},
		{name: "unknown status", mutate: func(t *audit.Target) { t.App.Status = "DELETED" },
			want: audit.StatusFail, message: `status is "DELETED", not ACTIVE`},
		{name: "not SAML", mutate: func(t *audit.Target) { t.App.SignOnMode = "BROWSER_PLUGIN" },
			want: audit.StatusFail, message: `sign-on mode is "BROWSER_PLUGIN", not SAML 2.0`},
		{name: "SAML 1.1", mutate: func(t *audit.Target) { t.App.SignOnMode = "SAML_1_1" },
			want: audit.StatusFail, message: `"SAML_1_1"`},
		{name: "both wrong", mutate: func(t *audit.Target) { t.App.SignOnMode = "AUTO_LOGIN"; t.App.Status = "INACTIVE" },
			want: audit.StatusFail, message: `sign-on mode is "AUTO_LOGIN", not SAML 2.0 (SAML_2_0), and Druva only accepts SAML 2.0; and it is deactivated`},
		{name: "inactive, no sign-on mode", mutate: func(t *audit.Target) { t.App.SignOnMode = ""; t.App.Status = "INACTIVE" },
			want: audit.StatusFail, message: "also has no signOnMode"},
		{name: "no status", mutate: func(t *audit.Target) { t.App.Status = "" },
			want: audit.StatusError, message: "okta/app.json has no status"},
		{name: "no fields at all", mutate: func(t *audit.Target) { t.App.Status = ""; t.App.SignOnMode = "" },
			want: audit.StatusError, message: "no signOnMode or status"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
