package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestAssertionEncryption(t *testing.T) {
	okta := func(v *bool) func(*audit.Target) {
		return func(t *audit.Target) { t.App.Settings.SignOn.AssertionEncryption = v }
	}
	druva := func(v *bool) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.WantAssertionsEncrypted = v }
	}
	yes := fixture.Ptr(true)
	runCases(t, "cross.assertion-encryption", append([]ruleCase{
		{name: "good snapshot: neither encrypts", want: audit.StatusPass, message: "neither side encrypts assertions"},
		{name: "both encrypt", mutate: chain(okta(yes), druva(yes)), want: audit.StatusPass, message: "Okta encrypts them"},
		{name: "Druva wants encryption, Okta sends clear", mutate: druva(yes),
			want: audit.StatusFail, message: "Druva wants encrypted assertions (\"Want Assertions Encrypted\" is ticked) but Okta sends them unencrypted"},
		{name: "Okta encrypts, Druva does not want it", mutate: okta(yes),
			want: audit.StatusFail, message: "Okta encrypts the assertions but Druva does not want them encrypted"},
		{name: "Okta's field absent", mutate: chain(okta(nil), unsent("assertionEncryption.enabled")),
			want: audit.StatusSkip, message: "Okta did not send settings.signOn.assertionEncryption.enabled", kind: audit.SkipNotExposed},
		{name: "Okta's field not a boolean", mutate: okta(nil),
			want: audit.StatusSkip, message: "settings.signOn.assertionEncryption.enabled is not a boolean", kind: audit.SkipNotExposed},
		{name: "Terraform has no attribute for it", mutate: chain(okta(nil), func(t *audit.Target) { t.Source = "terraform" }),
			want: audit.StatusSkip, message: "the okta_app_saml resource has no attribute for assertion encryption", kind: audit.SkipNotExposed},
		{name: "Druva's setting unrecorded", mutate: druva(nil),
			want: audit.StatusSkip, message: "druva.yaml does not record the console's \"Want Assertions Encrypted\"",
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent {
					t.Errorf("skip kind %q, want %q (so --require druva turns it into an error)", r.SkipKind, audit.SkipInputAbsent)
				}
			}},
		{name: "druva.yaml absent", mutate: missing(audit.InputConsole), want: audit.StatusSkip},
		{name: "druva.yaml invalid", mutate: failed(audit.InputConsole), want: audit.StatusError},
	}, samlAppCases()...))
}
