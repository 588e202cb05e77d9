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
	}, samlAppCases()...))
}
