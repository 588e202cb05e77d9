package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestAssertionSigned(t *testing.T) {
	runCases(t, "okta.saml.assertion-signed", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "assertion is signed",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "actual"); got != true {
					t.Errorf("evidence actual = %v", got)
				}
			}},
		{name: "assertion unsigned", mutate: func(t *audit.Target) { t.App.Settings.SignOn.AssertionSigned = false },
			want: audit.StatusFail, message: "only the response's signature protects it",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "actual"); got != false {
					t.Errorf("evidence actual = %v", got)
				}
			}},
		{name: "assertion and response unsigned", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.AssertionSigned, t.App.Settings.SignOn.ResponseSigned = false, false
		}, want: audit.StatusFail, message: "nothing Okta asserts is signed"},
		{name: "catalog app: assertionSigned not sent", mutate: chain(asCatalog("druva"), unsent("assertionSigned", "responseSigned")),
			want: audit.StatusSkip, message: "Okta does not expose whether the SAML assertion is signed"},
	}, samlAppCases()...))
}
