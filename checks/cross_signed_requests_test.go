package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestSignedRequests(t *testing.T) {
	oktaRequires := func(t *audit.Target) { t.App.Settings.SignOn.SAMLSignedRequestEnabled = true }
	druvaSigns := func(v *bool) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.AuthnRequestsSigned = v }
	}
	runCases(t, "cross.signed-requests", append([]ruleCase{
		{name: "good snapshot: Okta does not require signatures", want: audit.StatusPass, message: "Okta does not require signed AuthnRequests"},
		{name: "Okta does not require, Druva signs anyway", mutate: druvaSigns(fixture.Ptr(true)), want: audit.StatusPass},
		{name: "Okta does not require, druva.yaml absent", mutate: missing(audit.InputConsole), want: audit.StatusPass},
		{name: "both sign", mutate: chain(oktaRequires, druvaSigns(fixture.Ptr(true))), want: audit.StatusPass, message: "Druva signs them"},
		{name: "Okta requires, Druva does not sign", mutate: oktaRequires,
			want: audit.StatusFail, message: "Okta requires signed AuthnRequests (samlSignedRequestEnabled) but Druva does not sign them"},
		{name: "Okta requires, Druva's setting unrecorded", mutate: chain(oktaRequires, druvaSigns(nil)),
			want: audit.StatusSkip, message: "does not record the console's \"AuthnRequests Signed\"",
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent {
					t.Errorf("skip kind %q", r.SkipKind)
				}
			}},
		{name: "Okta requires, druva.yaml absent", mutate: chain(oktaRequires, missing(audit.InputConsole)),
			want: audit.StatusSkip, message: "druva.yaml is not available"},
		{name: "Okta requires, druva.yaml invalid", mutate: chain(oktaRequires, failed(audit.InputConsole)),
			want: audit.StatusError, message: "could not be read"},
		{name: "catalog app: not sent", mutate: chain(asCatalog("druva"), unsent("samlSignedRequestEnabled")),
			want: audit.StatusSkip, message: "Okta does not expose whether Okta requires signed AuthnRequests"},
	}, samlAppCases()...))
}
