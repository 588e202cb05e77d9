package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestResponseSigned(t *testing.T) {
	runCases(t, "okta.saml.response-signed", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass},
		{name: "response unsigned", mutate: func(t *audit.Target) { t.App.Settings.SignOn.ResponseSigned = false },
			want: audit.StatusFail, message: "not signed"},
		{name: "not a SAML app", mutate: func(t *audit.Target) { t.App.SignOnMode = "BROWSER_PLUGIN" },
			want: audit.StatusSkip, message: "not SAML 2.0"},
		{name: "SAML app without settings", mutate: func(t *audit.Target) { t.App.Settings.SignOn = nil },
			want: audit.StatusError, message: "no settings.signOn"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
