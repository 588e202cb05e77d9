package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestResponseSigned(t *testing.T) {
	runCases(t, "okta.saml.response-signed", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass},
		{name: "response unsigned", mutate: func(t *audit.Target) { t.App.Settings.SignOn.ResponseSigned = false },
			want: audit.StatusFail, message: "not signed"},
		{name: "catalog app: responseSigned not sent", mutate: chain(asCatalog("druva"), unsent("responseSigned")),
			want: audit.StatusSkip, message: `Okta does not expose whether the SAML response is signed for the "Druva inSync" (catalog integration "druva")`, kind: audit.SkipNotExposed},
		{name: "custom app without responseSigned: no verdict on what Okta did not send", mutate: unsent("responseSigned"),
			want: audit.StatusSkip, message: "okta/app.json does not record whether the SAML response is signed", kind: audit.SkipNotExposed},
	}, samlAppCases()...))
}
